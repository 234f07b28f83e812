// What a stream simulator provides (one implementation per simulator: verilatorSim.ts, icarusSim.ts).
// A simulator turns RTL into a process that speaks the record protocol of the harnesses: beat records
// on stdin, results on stdout, with a seed, a stall percentage, the beat length for the in_ready rule,
// and a VCD from a given vector on. How records and results look on the wire is the simulator's own
// codec: the streaming protocol (stream.ts) only moves bytes and whole results.

import type { Layout } from '../generators/common/family.js';
import type { ToolFacts } from '../core/tool.js';
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

/** The words of one record and one result (each bus rounded up to whole 32-bit words). */
export interface RecordShape {
  /** flags + act words + wgt words. */
  recWords: number;
  actWords: number;
  outWords: number;
}

/** Results decoded from the harness: `count` results of `outWords` words each, little-endian. */
export interface ResultBatch {
  count: number;
  words: Uint32Array;
  /** Per result index, the mask of X/Z bits (only results that have any). */
  unknown?: Map<number, Uint32Array>;
}

/**
 * One simulator's wire format. `encode` gets `records` records of `recWords` words each (flags, act
 * words, wgt words; little-endian, least significant word first) and returns bytes that stay valid
 * after `view` is reused. A decoder keeps the partial tail of one run's output between chunks.
 */
export interface WireCodec {
  encode(view: Uint32Array, records: number): Buffer;
  decoder(): (chunk: Buffer) => ResultBatch;
}

/** A harness line that is neither a result nor simulator chatter we know: a tool failure, with the line. */
export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireError';
  }
}

export interface PreparedSim {
  command: string;
  /** The process's arguments for one run. */
  args(run: RunArgs): string[];
  /** binary: little-endian uint32 records and results; hex: one line per record / result (testbenches/icarus_harness.v). */
  protocol: 'binary' | 'hex';
  /** The wire format for records and results of this shape. */
  codec(shape: RecordShape): WireCodec;
  /** The tool behind `command` when it is an installed one (vvp): its install hint when it is not found. */
  tool?: ToolFacts;
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
  /** The external tools it runs (their LOWBIT_* variables are checked before a run writes anything). */
  tools: readonly ToolFacts[];
  prepare(files: string[], top: string, layout: Layout, opts: PrepareOptions): Promise<PreparedSim>;
}

/**
 * The harness's 31-bit seed for a run seed up to 2^53: both simulators get the same one, so no seed is
 * truncated differently by a 32-bit `%d` (Icarus) or a 64-bit parse (Verilator). Never 0.
 */
export function harnessSeed(seed: number): number {
  return (new Rng(seed, 0x7ffffff0).u32() & 0x7fffffff) || 1;
}
