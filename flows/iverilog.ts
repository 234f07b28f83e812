// Icarus Verilog: a compile check for every generated design, and the second co-simulator
// (testbenches/icarus_harness.v around the design).

import { runTool, type RunResult } from './tool.js';
import { repoPath } from '../generators/common/paths.js';
import type { Layout } from '../generators/common/family.js';

export const compileArgs = (files: string[], top: string, out: string): string[] => ['-g2005', '-Wall', '-s', top, '-o', out, ...files];

export async function compile(files: string[], top: string, out: string, logPath: string): Promise<RunResult> {
  return runTool({ tool: 'iverilog', command: 'iverilog', args: compileArgs(files, top, out), logPath, what: 'compile' });
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

export async function compileHarness(files: string[], top: string, l: Layout, out: string, logPath: string, maxBeats: number): Promise<RunResult> {
  return runTool({ tool: 'iverilog', command: 'iverilog', args: harnessArgs(files, top, l, out, maxBeats), logPath, what: 'harness compile' });
}
