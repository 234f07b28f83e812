// Running external tools: argument arrays (never a shell string), a log file per run, and errors
// that say what to do. Each tool module (verilator, iverilog, yosys) builds on runTool.

import { execa } from 'execa';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

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

/** A tool that ran and failed: its exit code, the tail of its log and the log's path. */
export class ToolFailedError extends Error {
  readonly exitCode = 1;
  constructor(readonly tool: string, readonly code: number | undefined, readonly tail: string, readonly logPath: string, what?: string) {
    super(`${tool} failed${what ? ` (${what})` : ''} with exit code ${code ?? 'none (killed)'}.\n--- last lines of ${logPath} ---\n${tail}\n--- full log: ${logPath}`);
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
}

export interface RunResult {
  seconds: number;
  log: string;
  logPath: string;
}

export async function runTool(o: RunOptions): Promise<RunResult> {
  mkdirSync(dirname(o.logPath), { recursive: true });
  const t0 = performance.now();
  {
    const r = await execa(o.command, o.args, {
      cwd: o.cwd,
      env: o.env,
      stdin: 'ignore',
      all: true,
      reject: false,
      timeout: o.timeoutMs,
      maxBuffer: 256 * 1024 * 1024,
    });
    const log = String(r.all ?? '');
    writeFileSync(o.logPath, log);
    const info = TOOLS[o.tool];
    if ((r as { code?: string }).code === 'ENOENT') throw new ToolMissingError(info?.name ?? o.command, info?.install ?? `install ${o.command}`);
    if (r.timedOut) throw new ToolFailedError(info?.name ?? o.command, undefined, tailOf(log) + `\n(timed out after ${o.timeoutMs} ms)`, o.logPath, o.what);
    if (r.exitCode !== 0) throw new ToolFailedError(info?.name ?? o.command, r.exitCode, tailOf(log), o.logPath, o.what);
    return { seconds: (performance.now() - t0) / 1000, log, logPath: o.logPath };
  }
}
