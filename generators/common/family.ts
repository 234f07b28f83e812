// The contract between the spine (CLI, co-simulation, synthesis, reports) and a family.
// A new family is a folder with a schema, a packer, a golden model and templates that
// implements this interface and is listed in generators/registry.ts; nothing else changes.

import type { Rng } from '../../core/rng.js';
import type { ParamSchema, ParamValue } from './params.js';
import type { Overflow, Range } from './accumulator.js';

/** Parameters every family has (the project's arithmetic background, shared/docs/background.md, "Shared conventions"). */
export interface CommonParams {
  rows: number;
  k: number;
  act_bits: number;
  max_beats: number;
  acc_bits: number;
  overflow: Overflow;
  pipeline: number;
  [name: string]: ParamValue;
}

/** Port widths and timing of a generated design: what a harness needs to drive it. */
export interface Layout {
  rows: number;
  k: number;
  actBits: number;
  /** Width of in_wgt. */
  wgtBits: number;
  accBits: number;
  /** Exact width of one beat's row sum. */
  psumBits: number;
  /** Exact accumulator width for max_beats beats (the default acc_bits). */
  exactBits: number;
  /** Range of one term w*a. */
  term: Range;
  /** Register stages between accepting a beat and adding it to the accumulator. */
  latency: number;
  /** Cycles a beat occupies the input (1 unless the datapath is bit-serial). */
  beatCycles?: number;
}

/**
 * Multiply-accumulates per clock cycle of a design: rows*k every beat, and a beat takes `beatCycles`
 * cycles (bit-serial datapaths). The one definition every per-MAC figure divides by.
 */
export function macsPerCycle(l: Pick<Layout, 'rows' | 'k' | 'beatCycles'>): number {
  return (l.rows * l.k) / (l.beatCycles ?? 1);
}

/** Logical weights of a beat (rows*k, row-major) in the hot paths. */
export type Weights = Int8Array;

export interface RtlFile {
  /** Path relative to the output directory. */
  name: string;
  content: string;
}

export interface Rtl {
  top: string;
  /** In compile order. */
  files: RtlFile[];
}

/**
 * Logical weights travel as Int8Array in the beat-level hot paths: every family's weights are at
 * most 8-bit signed values, and one 32-bit store can then write four lanes.
 */
export interface PackOptions {
  /** Sparse families: keep the largest weights instead of rejecting a matrix that breaks the rule. */
  prune?: boolean;
}

export interface Family<P extends CommonParams = CommonParams> {
  name: string;
  summary: string;
  schema: ParamSchema;
  /** Validates raw values (throws UsageError) and fills every default. */
  resolve(raw: Record<string, unknown>): P;
  layout(p: P): Layout;
  /** Logical weight values this family accepts. */
  weightRange(p: P): Range;
  /**
   * One random beat: in_wgt bits in `words` and, in `weights` (rows*k, row-major), the logical
   * weights they decode to (always equal to unpack(words)). Every legal weight value occurs.
   * Both at once because this is the hot loop of co-simulation.
   */
  randomBeat(p: P, rng: Rng, weights: Weights, words: Uint32Array): void;
  /** One beat: logical weights (rows*k, row-major) -> in_wgt bits. Throws UsageError on illegal values. */
  pack(p: P, weights: ArrayLike<number>, out: Uint32Array, options?: PackOptions): void;
  /** True when pack can prune a matrix that breaks the family's sparsity rule (PackOptions.prune). */
  prunes?: boolean;
  /** One beat: in_wgt bits -> logical weights. Decodes every code, canonical or not, as the RTL does. */
  unpack(p: P, words: Uint32Array, out: Weights): void;
  /**
   * The densest legal beat whose weights all equal `value` (directed corner vectors). Optional:
   * the default fills every lane; sparse families keep their pattern.
   */
  fillBeat?(p: P, value: number, weights: Weights, words: Uint32Array): void;
  /** Raw in_wgt beats that together put every weight code in every lane (directed tests). */
  codeSweep(p: P): Uint32Array[];
  /**
   * Golden model of one vector: weights rows x (beats*k) logical values (dense-equivalent), acts
   * beats*k; exact at any width (BigInt). Rejects weights this family cannot hold.
   */
  model(p: P, weights: number[][], acts: number[]): bigint[];
  /** Renders the RTL; `top` names the top module (sub-modules are prefixed with it). */
  generate(p: P, top: string): Rtl;
  /**
   * Behavioural Verilog statements for `lowbit prove`: one row's exact beat sum, written from the
   * in_wgt packing and the golden model's definition (never from the generator's structure). They
   * run in an `always @(*)` with `w` (the row's in_wgt field), `a` (in_act), the accumulator
   * `s` and a scratch `v` (both signed, psum bits wide), an 8-bit scratch `b` and the integers `i`, `j`, `c`, `x`; they set `s`.
   */
  referenceRow(p: P): string[];
}
