// One abstract stream simulator, one implementation per simulator (cocotb-runner style).
// A simulator turns RTL into a process that speaks the record protocol of the harnesses: beat records
// on stdin, results on stdout (binary words for Verilator's C++ harness, hex text lines for Icarus's
// Verilog harness; testbenches/wire.ts), with a seed, a stall percentage, the beat length for the
// in_ready rule, and a VCD from a given vector on.

import { join } from 'node:path';
import type { Layout } from '../generators/common/family.js';
import { buildHarness } from '../flows/tools/verilator.js';
import { compileHarness } from '../flows/tools/iverilog.js';
import { Rng } from '../core/rng.js';

export interface RunArgs {
  /** The run's seed (any integer below 2^53); each simulator derives the 31-bit seeds it needs from it. */
  seed: number;
  stall: number;
  /** Cycles one beat occupies the input (Layout.beatCycles): in_ready may stay low that long. */
  beatCycles: number;
  /** Zeros instead of garbage on idle inputs (power's workload: only the vectors toggle). */
  quiet?: boolean;
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

export interface PrepareOptions {
  trace: boolean;
  logPath: string;
  workDir: string;
  /** Longest vector in beats: the Icarus harness keeps that many records for presenting again after a reset. */
  maxBeats: number;
  /** Include directories of the sources (files.f +incdir+), absolute. */
  incdirs?: string[];
}

export interface StreamSimulator {
  name: string;
  prepare(files: string[], top: string, layout: Layout, opts: PrepareOptions): Promise<PreparedSim>;
}

/**
 * The harness's 31-bit seed for a run seed up to 2^53: both simulators get the same one, so no seed is
 * truncated differently by a 32-bit `%d` (Icarus) or a 64-bit parse (Verilator). Never 0.
 */
export function harnessSeed(seed: number): number {
  return (new Rng(seed, 0x7ffffff0).u32() & 0x7fffffff) || 1;
}

export const verilatorSim: StreamSimulator = {
  name: 'verilator',
  async prepare(files, top, layout, opts) {
    const b = await buildHarness(files, top, layout, opts.trace, opts.logPath, opts.incdirs);
    return {
      command: b.binary,
      args: (r) => [
        '--seed', String(harnessSeed(r.seed)),
        '--stall', String(r.stall),
        '--beat-cycles', String(r.beatCycles),
        ...(r.quiet ? ['--quiet'] : []),
        ...(r.vcd ? ['--vcd', r.vcd, '--vcd-from', String(r.vcdFrom ?? 0)] : []),
        // Every register starts random (the build has --x-initial unique), seeded from the run's seed.
        '+verilator+rand+reset+2', `+verilator+seed+${harnessSeed(r.seed + 1)}`,
      ],
      protocol: 'binary',
      buildSeconds: b.seconds,
      cached: b.hit,
    };
  },
};

/** Icarus Verilog: the second simulator; keeps X, and reads standard-cell models with UDPs. */
export const icarusSim: StreamSimulator = {
  name: 'iverilog',
  async prepare(files, top, layout, opts) {
    const vvp = join(opts.workDir, `icarus-${top}.vvp`);
    const c = await compileHarness(files, top, layout, vvp, opts.logPath, opts.maxBeats, opts.incdirs);
    return {
      command: 'vvp',
      args: (r) => [
        '-n', vvp,
        `+seed=${harnessSeed(r.seed)}`, `+stall=${r.stall}`, `+beat_cycles=${r.beatCycles}`,
        ...(r.quiet ? ['+quiet'] : []),
        ...(r.vcd ? [`+vcd=${r.vcd}`, `+vcd_from=${r.vcdFrom ?? 0}`] : []),
      ],
      protocol: 'hex',
      buildSeconds: c.seconds,
      cached: false,
    };
  },
};

export const SIMULATORS: Record<string, StreamSimulator> = { verilator: verilatorSim, iverilog: icarusSim };
