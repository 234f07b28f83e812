// The tools a run used, for its record: name, version and path. Probed once per process; a WebAssembly
// tool is named by its npm package and its path is the package's entry point.

import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { checkVersion, resolveTool, toolVersion, type ResolvedTool } from '../core/tool.js';
import { TOOL_FACTS } from '../flows/tools/registry.js';

/** One tool a run used. */
export interface ToolUse {
  /** The executable (`verilator`), or the npm package of a WebAssembly build (`@yowasp/yosys`). */
  name: string;
  /** The first line of its version output. */
  version: string;
  /** Where it was found: the executable's path, or the package's entry point. */
  path: string;
}

/** Tools a command can run, by the name runs record them under. */
export type ToolKind = 'verilator' | 'g++' | 'make' | 'iverilog' | 'vvp' | 'yosys' | 'sta' | 'nextpnr-ice40';

/** The absolute path `command -v` finds for an executable (the name itself when the shell does not say). */
export async function whichPath(command: string): Promise<string> {
  const w = await execa('sh', ['-c', 'command -v "$1"', 'sh', command], { reject: false });
  return String(w.stdout).trim() || command;
}

/** A version probe of an executable on PATH: its first line and its path (ToolMissingError / ToolFailedError as toolVersion). */
export async function probeExecutable(tool: string, command: string, args: string[]): Promise<ToolUse> {
  const version = (await toolVersion(tool, command, args)).split('\n')[0];
  return { name: command, version, path: await whichPath(command) };
}

/** The entry point of an installed npm package (its name when it cannot be resolved). */
function packagePath(name: string): string {
  try {
    return fileURLToPath(import.meta.resolve(name));
  } catch {
    return name;
  }
}

/**
 * Where a resolved tool is: its override's path, the executable `command -v` finds on PATH, or the
 * bundled build's package entry point.
 */
export async function resolvedPath(t: ResolvedTool): Promise<string> {
  if (t.kind === 'bundled') return packagePath(t.facts.bundled!.package);
  return t.kind === 'override' ? t.command : whichPath(t.command);
}

async function probe(kind: ToolKind): Promise<ToolUse> {
  const facts = TOOL_FACTS.find((f) => f.id === kind);
  if (!facts) return probeExecutable(kind, kind, ['--version']);
  // The tool as the run chose it (its LOWBIT_* variable), so the record names what actually ran.
  const t = resolveTool(facts);
  const version = (await checkVersion(t)).text.split('\n')[0];
  return { name: t.kind === 'bundled' ? t.facts.bundled!.package : facts.executable, version, path: await resolvedPath(t) };
}

const memo = new Map<ToolKind, Promise<ToolUse>>();

/** The tool's name, version and path (probed once per process; the tool has already run, so it is there). */
export function toolUse(kind: ToolKind): Promise<ToolUse> {
  let p = memo.get(kind);
  if (!p) {
    p = probe(kind);
    // A failed probe is not remembered: the next run may find the tool.
    p.catch(() => memo.delete(kind));
    memo.set(kind, p);
  }
  return p;
}
