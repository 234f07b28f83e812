// Running external tools: argument arrays (never a shell string), a log file per run, and errors
// that say what to do. Each tool module (verilator, iverilog, yosys) builds on runTool.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { timeLimit, timeLimitError } from './budget.js';
import { spawnTool } from './procs.js';
import { startStep } from './progress.js';

export { TimeLimitError } from './budget.js';

export interface ToolInfo {
  /** What the user would call it. */
  name: string;
  /** The command that installs it on Debian. */
  install: string;
}

export const TOOLS: Record<string, ToolInfo> = {
  verilator: { name: 'verilator', install: 'apt-get install -y verilator' },
  iverilog: { name: 'iverilog', install: 'apt-get install -y iverilog' },
  vvp: { name: 'vvp', install: 'apt-get install -y iverilog' },
  yosys: { name: 'yosys', install: 'apt-get install -y yosys (or unset LOWBIT_YOSYS to use the bundled @yowasp/yosys)' },
  'yowasp-yosys': { name: '@yowasp/yosys', install: 'npm ci (in the lowbit checkout)' },
  make: { name: 'make', install: 'apt-get install -y make' },
  sta: { name: 'sta (OpenSTA)', install: 'apt-get install -y opensta' },
  'yowasp-nextpnr-ice40': { name: '@yowasp/nextpnr-ice40', install: 'npm ci (in the lowbit checkout)' },
  'nextpnr-ice40': { name: 'nextpnr-ice40', install: 'apt-get install -y nextpnr-ice40 (or unset LOWBIT_NEXTPNR to use the bundled @yowasp/nextpnr-ice40)' },
  'g++': { name: 'g++', install: 'apt-get install -y g++' },
};

/** A tool that is not installed: exit code 4 and the command that installs it. */
export class ToolMissingError extends Error {
  readonly exitCode = 4;
  constructor(readonly tool: string, readonly install: string) {
    super(`${tool} is not installed (or not on PATH). Install it with: ${install}\n(or run: bash scripts/setup.sh)`);
    this.name = 'ToolMissingError';
  }
}

/** How a process ended, to follow "X failed": " with exit code 3", ": killed by SIGSEGV". */
export function howItEnded(code: number | undefined, signal?: string): string {
  if (signal) return `: killed by ${signal}`;
  if (code === 0) return ' although it exited 0';
  return code === undefined ? ' without an exit code' : ` with exit code ${code}`;
}

/**
 * A tool that ran and failed (including on --version, and output that does not parse): how it ended,
 * the tail of its log and the log's path (or its output when there is no log).
 */
export class ToolFailedError extends Error {
  readonly exitCode = 1;
  constructor(readonly tool: string, readonly code: number | undefined, readonly tail: string, readonly logPath: string, what?: string, readonly signal?: string) {
    const where = logPath ? `\n--- last lines of ${logPath} ---\n${tail}\n--- full log: ${logPath}` : `\n--- its output ---\n${tail}`;
    super(`${tool} failed${what ? ` (${what})` : ''}${howItEnded(code, signal)}.${where}`);
    this.name = 'ToolFailedError';
  }
}

/** A check that ran and failed (a netlist that differs from the golden model): exit code 1. */
export class CheckFailedError extends Error {
  readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailedError';
  }
}

export function tailOf(text: string, lines = 20): string {
  const all = text.trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}

export interface RunOptions {
  /** Key into TOOLS, for the install hint. */
  tool: string;
  command: string;
  args: string[];
  cwd?: string;
  /** stdout and stderr of the run go here (created, overwritten). */
  logPath: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Short description for error messages ("lint", "build"). */
  what?: string;
  /** What to add to progress lines while it runs ("3 of 12 units compiled"). */
  progress?: () => string | undefined;
}

export interface RunResult {
  seconds: number;
  log: string;
  logPath: string;
}

/**
 * The hour Yosys, OpenSTA and nextpnr get when the run has no time limit (a hung tool must end some
 * time); with --timeout, that limit alone applies.
 */
export const hourUnlessLimited = (): number | undefined => (timeLimit() ? undefined : 60 * 60 * 1000);

const toolName = (tool: string, command: string): string => TOOLS[tool]?.name ?? command;

function missing(tool: string, command: string): ToolMissingError {
  return new ToolMissingError(toolName(tool, command), TOOLS[tool]?.install ?? `install ${command}`);
}

export async function runTool(o: RunOptions): Promise<RunResult> {
  mkdirSync(dirname(o.logPath), { recursive: true });
  const t0 = performance.now();
  const name = toolName(o.tool, o.command);
  const step = startStep(`${name}${o.what ? ` ${o.what}` : ''}`, o.progress);
  try {
    const run = spawnTool(o.command, o.args, { cwd: o.cwd, env: o.env, stdin: 'ignore', all: true, reject: false, maxBuffer: 256 * 1024 * 1024 }, o.timeoutMs);
    const r = await run.child;
    const log = String(r.all ?? '');
    writeFileSync(o.logPath, log);
    if ((r as { code?: string }).code === 'ENOENT') throw missing(o.tool, o.command);
    if (run.stoppedBy() === 'time limit') throw timeLimitError(`${name}${o.what ? ` ${o.what}` : ''}`);
    if (run.stoppedBy() === 'timeout') throw new ToolFailedError(name, undefined, tailOf(log) + `\n(timed out after ${o.timeoutMs} ms)`, o.logPath, o.what);
    if (r.exitCode !== 0 || r.signal) throw new ToolFailedError(name, r.exitCode, tailOf(log), o.logPath, o.what, r.signal);
    return { seconds: (performance.now() - t0) / 1000, log, logPath: o.logPath };
  } finally {
    step.stop();
  }
}

/**
 * A tool's `--version` (or like) output. Not on PATH: ToolMissingError (exit 4, the install command).
 * Found but failing, exit code or signal: ToolFailedError with its output (exit 1): reinstalling is not the fix.
 */
export async function toolVersion(tool: string, command: string, args: string[]): Promise<string> {
  const run = spawnTool(command, args, { stdin: 'ignore', all: true, reject: false }, 60_000);
  const r = await run.child;
  if ((r as { code?: string }).code === 'ENOENT') throw missing(tool, command);
  const out = String(r.all ?? '').trim();
  if (run.stoppedBy() === 'time limit') throw timeLimitError(`${toolName(tool, command)} ${args.join(' ')}`);
  if (r.exitCode !== 0 || r.signal || run.stoppedBy()) {
    throw new ToolFailedError(toolName(tool, command), r.exitCode, tailOf(out) || '(no output)', '', `${[command, ...args].join(' ')}`, r.signal);
  }
  return out;
}

/**
 * Reads a tool's output with `parse`: output that does not parse means the tool misbehaved (another
 * version, a crash that still exited 0), so it is a ToolFailedError naming the log, not a plain error.
 */
export function parseToolOutput<T>(tool: string, logPath: string, what: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if ((e as { exitCode?: number }).exitCode !== undefined) throw e;
    throw new ToolFailedError(tool, 0, `(${(e as Error).message})`, logPath, `${what}: its output does not parse`);
  }
}
