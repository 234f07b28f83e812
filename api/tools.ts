// The tools a run used, for its record: name, version and path. Probed once per process; a WebAssembly
// tool is named by its npm package and its path is the package's entry point.

import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { toolVersion } from '../core/tool.js';
import { yosysCommand, yosysVersion } from '../flows/tools/yosys.js';
import { verilatorVersion } from '../flows/tools/verilator.js';
import { repoPath } from '../core/paths.js';

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

async function probe(kind: ToolKind): Promise<ToolUse> {
  switch (kind) {
    case 'verilator':
      return { name: 'verilator', version: (await verilatorVersion()).split('\n')[0], path: await whichPath('verilator') };
    case 'g++':
    case 'make':
      return probeExecutable(kind, kind, ['--version']);
    case 'iverilog':
      return probeExecutable('iverilog', 'iverilog', ['-V']);
    case 'vvp':
      return probeExecutable('vvp', 'vvp', ['-V']);
    case 'sta':
      return probeExecutable('sta', 'sta', ['-version']);
    case 'yosys': {
      const y = yosysCommand();
      const version = (await yosysVersion()).split('\n')[0];
      return y.kind === 'system' ? { name: 'yosys', version, path: await whichPath('yosys') } : { name: '@yowasp/yosys', version, path: packagePath('@yowasp/yosys') };
    }
    case 'nextpnr-ice40': {
      if (process.env.LOWBIT_NEXTPNR === 'system') return probeExecutable('nextpnr-ice40', 'nextpnr-ice40', ['--version']);
      const version = (await toolVersion('yowasp-nextpnr-ice40', process.execPath, [repoPath('flows', 'tools', 'yowasp.mjs'), 'nextpnr-ice40', '--version'])).split('\n')[0];
      return { name: '@yowasp/nextpnr-ice40', version, path: packagePath('@yowasp/nextpnr-ice40') };
    }
  }
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
