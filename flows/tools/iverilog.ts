// Icarus Verilog: a compile check for every generated design, and the second co-simulator
// (testbenches/icarus_harness.v around the design).

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { defineTool, runTool, type RunResult } from '../../core/tool.js';
import { trackTemp } from '../../core/procs.js';
import { includeArgs, stageSources, stagedArgs } from '../../core/stage.js';
import { repoPath } from '../../core/paths.js';
import type { Layout } from '../../generators/common/family.js';

/** Icarus's compiler. 11 (Debian bookworm's) is the oldest lowbit is tested with. */
export const IVERILOG = defineTool({
  id: 'iverilog',
  name: 'iverilog',
  executable: 'iverilog',
  envVar: 'LOWBIT_IVERILOG',
  version: { args: ['-V'], pattern: /Icarus Verilog version (\d+\.\d+)/, minimum: '11.0' },
  install: 'apt-get install -y iverilog',
  log: { warning: /: warning:/i, error: /: (?:syntax )?error\b|error\(s\) during|^I give up/i },
});

/** Icarus's runtime, which runs what iverilog compiled (the co-simulation harness); the same package. */
export const VVP = defineTool({
  id: 'vvp',
  name: 'vvp',
  executable: 'vvp',
  envVar: 'LOWBIT_VVP',
  version: { args: ['-V'], pattern: /Icarus Verilog runtime version (\d+\.\d+)/, minimum: '11.0' },
  install: 'apt-get install -y iverilog',
  log: { warning: /^(?:VCD )?warning\b|: warning:/i, error: /^(?:ERROR|FATAL)\b|: error:|^Error:/ },
});

/** `incdirs`: absolute include directories (files.f), as -I. */
export const compileArgs = (files: string[], top: string, out: string, incdirs: string[] = []): string[] => ['-g2005', '-Wall', '-s', top, '-o', out, ...incdirs.map((d) => `-I${d}`), ...files];

export async function compile(files: string[], top: string, out: string, logPath: string, incdirs: string[] = []): Promise<RunResult> {
  return runTool({ tool: IVERILOG, args: compileArgs(files, top, out, incdirs), logPath, what: 'compile' });
}

export const ICARUS_HARNESS = repoPath('testbenches', 'icarus_harness.v');

/** iverilog arguments that wrap a design in the stream harness. */
export function harnessArgs(files: string[], top: string, l: Layout, out: string, maxBeats: number): string[] {
  return [
    '-g2005', '-s', 'lowbit_icarus_harness', '-o', out,
    `-DLB_TOP=${top}`, `-DLB_ACT_BITS=${l.k * l.actBits}`, `-DLB_WGT_BITS=${l.wgtBits}`, `-DLB_OUT_BITS=${l.rows * l.accBits}`,
    // Records kept for presenting again after a reset: a whole vector and what is still in flight.
    `-DLB_PENDING=${pendingRecords(l, maxBeats)}`,
    ICARUS_HARNESS, ...files,
  ];
}

/**
 * Unacknowledged records the harness may hold: the vector in flight (max_beats) plus the vectors whose
 * result is still in the pipeline or the output register (latency + 2 of them, one beat each at
 * least). More only lets the harness read further ahead; fewer never deadlocks a correct design.
 */
export const pendingRecords = (l: Layout, maxBeats: number): number => maxBeats + l.latency + 4;

/**
 * Compiles the harness around a design from private copies of the sources (in a temp directory beside
 * `out`, the run's work directory), so the .vvp holds the bytes as they were when the compile began.
 * The copies go afterwards; an error in the log names a copy by the original's file name.
 */
export async function compileHarness(files: string[], top: string, l: Layout, out: string, logPath: string, maxBeats: number, incdirs: string[] = []): Promise<RunResult> {
  mkdirSync(dirname(out), { recursive: true });
  const src = mkdtempSync(join(dirname(out), '.icarus-src-'));
  // The .vvp keeps every source's path in a double-quoted table with no escapes (a `"` in a path
  // makes it unreadable): the copies are named relative to the compile's directory, and one whose
  // own name holds a quote or a backslash gets a plain name.
  // The copies, and a .vvp cut short, go on Ctrl-C or TERM too (core/procs.ts).
  const untrack = [trackTemp(src), trackTemp(out)];
  try {
    const staged = stageSources([ICARUS_HARNESS, ...files], src, { incdirs, rename: /["\\\n\r]/ });
    const args = [...includeArgs(staged, '.'), ...stagedArgs(harnessArgs(files, top, l, out, maxBeats), staged, '.')];
    return await runTool({ tool: IVERILOG, args, logPath, what: 'harness compile', cwd: src });
  } finally {
    rmSync(src, { recursive: true, force: true });
    for (const u of untrack) u();
  }
}
