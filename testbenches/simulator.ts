// One abstract stream simulator, one implementation per simulator (cocotb-runner style).
// A simulator turns RTL into a process that speaks the record protocol of the harnesses: beat records
// on stdin, results on stdout (binary words for Verilator's C++ harness, hex text lines for Icarus's
// Verilog harness), with a seed and a stall percentage, and a VCD from a given vector on.

import { join } from 'node:path';
import type { Layout } from '../generators/common/family.js';
import { buildHarness } from '../flows/verilator.js';
import { compileHarness } from '../flows/iverilog.js';

export interface RunArgs {
  seed: number;
  stall: number;
  vcd?: string;
  vcdFrom?: number;
}

export interface PreparedSim {
  command: string;
  /** The process's arguments for one run. */
  args(run: RunArgs): string[];
  /** binary: little-endian uint32 records and results; hex: one line per record / result (testbenches/icarus_harness.v). */
  protocol: 'binary' | 'hex';
  buildSeconds: number;
  cached: boolean;
}

export interface StreamSimulator {
  name: string;
  prepare(files: string[], top: string, layout: Layout, opts: { trace: boolean; logPath: string; workDir: string }): Promise<PreparedSim>;
}

export const verilatorSim: StreamSimulator = {
  name: 'verilator',
  async prepare(files, top, layout, opts) {
    const b = await buildHarness(files, top, layout, opts.trace, opts.logPath);
    return {
      command: b.binary,
      args: (r) => ['--seed', String(r.seed), '--stall', String(r.stall), ...(r.vcd ? ['--vcd', r.vcd, '--vcd-from', String(r.vcdFrom ?? 0)] : [])],
      protocol: 'binary',
      buildSeconds: b.seconds,
      cached: b.hit,
    };
  },
};

/** Icarus Verilog: the second simulator; also the one that reads standard-cell models with UDPs. */
export const icarusSim: StreamSimulator = {
  name: 'iverilog',
  async prepare(files, top, layout, opts) {
    const vvp = join(opts.workDir, `icarus-${top}.vvp`);
    const c = await compileHarness(files, top, layout, vvp, opts.logPath);
    return {
      command: 'vvp',
      args: (r) => ['-n', vvp, `+seed=${r.seed}`, `+stall=${r.stall}`, ...(r.vcd ? [`+vcd=${r.vcd}`, `+vcd_from=${r.vcdFrom ?? 0}`] : [])],
      protocol: 'hex',
      buildSeconds: c.seconds,
      cached: false,
    };
  },
};

export const SIMULATORS: Record<string, StreamSimulator> = { verilator: verilatorSim, iverilog: icarusSim };
