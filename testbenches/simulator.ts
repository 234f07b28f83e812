// One abstract stream simulator, one implementation per simulator (cocotb-runner style).
// A simulator turns RTL into a process that speaks the record protocol of testbenches/harness.cpp:
// beat records on stdin, results on stdout, --seed/--stall/--vcd/--vcd-from arguments.

import type { Layout } from '../generators/common/family.js';
import { buildHarness } from '../flows/verilator.js';

export interface PreparedSim {
  command: string;
  /** Arguments before the run's own (--seed ...). */
  args: string[];
  buildSeconds: number;
  cached: boolean;
}

export interface StreamSimulator {
  name: string;
  prepare(files: string[], top: string, layout: Layout, opts: { trace: boolean; logPath: string }): Promise<PreparedSim>;
}

export const verilatorSim: StreamSimulator = {
  name: 'verilator',
  async prepare(files, top, layout, opts) {
    const b = await buildHarness(files, top, layout, opts.trace, opts.logPath);
    return { command: b.binary, args: [], buildSeconds: b.seconds, cached: b.hit };
  },
};

export const SIMULATORS: Record<string, StreamSimulator> = { verilator: verilatorSim };
