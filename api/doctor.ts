// `lowbit doctor`: every tool lowbit uses, checked as a run would use it: resolved from its facts and
// its LOWBIT_* variable (resolveTool), version-gated (checkVersion); the C++ toolchain Verilator builds
// with; the liberty.

import { checkVersion, resolveTool, TOOLS, ToolMissingError, ToolTooOldError, type ResolvedTool, type ToolFacts } from '../core/tool.js';
import { TOOL_FACTS } from '../flows/tools/registry.js';
import { liberty, LIBERTY_INSTALL } from '../flows/tools/liberty.js';
import { probeExecutable, resolvedPath } from './tools.js';

/** One tool as `lowbit doctor` found it (one row of its table and of its --json `tools`). */
export interface ToolStatus {
  tool: string;
  ok: boolean;
  /**
   * ok; missing (not on PATH: install it); too-old (older than `minimum`: install a newer one); failing
   * (found, but it fails, even on --version: its output in `note`; or its variable names no executable).
   */
  status: 'ok' | 'missing' | 'too-old' | 'failing';
  version?: string;
  path?: string;
  install?: string;
  note?: string;
  /** The environment variable that picks the tool (LOWBIT_VERILATOR). */
  variable?: string;
  /** How the tool was chosen, in words ("LOWBIT_VERILATOR=/opt/v/bin/verilator", "verilator from PATH"). */
  source?: string;
  /** The oldest version lowbit accepts. */
  minimum?: string;
}

/** A failed probe as a status: not found is missing, anything else is failing (with what it said). */
function failed(tool: string, e: unknown, install = TOOLS[tool]?.install): ToolStatus {
  if (e instanceof ToolMissingError) return { tool, ok: false, status: 'missing', install: e.install };
  return { tool, ok: false, status: 'failing', install, note: (e as Error).message };
}

async function probe(tool: string, command: string, args: string[]): Promise<ToolStatus> {
  try {
    const u = await probeExecutable(tool, command, args);
    return { tool, ok: true, status: 'ok', version: u.version, path: u.path };
  } catch (e) {
    return failed(tool, e);
  }
}

/** What doctor says beside a working tool: how to switch a bundled build, or the variable that chose it. */
function choiceNote(t: ResolvedTool): string | undefined {
  const f = t.facts;
  if (t.kind === 'bundled') return `bundled WebAssembly build; ${f.envVar}=system uses ${f.executable} from PATH`;
  return t.kind === 'override' || f.bundled ? t.source : undefined;
}

/**
 * A tool's status as a run would use it: resolved from its facts and its LOWBIT_* variable
 * (resolveTool) and version-gated (checkVersion). A variable naming no executable is failing with the
 * message a run would give; a version below the minimum is too-old.
 */
export async function toolStatus(f: ToolFacts): Promise<ToolStatus> {
  const base = { tool: f.id, variable: f.envVar, minimum: f.version.minimum };
  let t: ResolvedTool;
  try {
    t = resolveTool(f);
  } catch (e) {
    return { ...base, ok: false, status: 'failing', install: TOOLS[f.id]?.install, note: (e as Error).message };
  }
  const at = { ...base, source: t.source };
  try {
    const v = await checkVersion(t);
    return { ...at, ok: true, status: 'ok', version: v.text.split('\n')[0], path: await resolvedPath(t), note: choiceNote(t) };
  } catch (e) {
    if (e instanceof ToolTooOldError) return { ...at, ok: false, status: 'too-old', version: e.found, path: await resolvedPath(t), install: e.install, note: e.message };
    if (e instanceof ToolMissingError) return { ...at, ok: false, status: 'missing', install: e.install };
    return { ...at, ok: false, status: 'failing', install: t.install, note: (e as Error).message };
  }
}

/** Every tool's status (`lowbit doctor --json`'s `tools`): TOOL_FACTS in order, then g++, make and the liberty. */
export async function doctor(): Promise<ToolStatus[]> {
  const list = await Promise.all([...TOOL_FACTS.map(toolStatus), probe('g++', 'g++', ['--version']), probe('make', 'make', ['--version'])]);
  try {
    const lib = liberty();
    list.push({ tool: 'liberty', ok: true, status: 'ok', version: lib.name, path: lib.path, variable: 'LOWBIT_LIBERTY' });
  } catch (e) {
    // A LOWBIT_LIBERTY naming no file is failing (fix the variable), the default library absent is missing.
    list.push({ ...failed('liberty', e, LIBERTY_INSTALL), variable: 'LOWBIT_LIBERTY' });
  }
  return list;
}

