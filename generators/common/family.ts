// The contract between the spine (CLI, co-simulation, synthesis, reports) and a family.
// A new family is a folder with a schema, a packer, a golden model and templates that implements
// this interface and is registered with registerFamily (generators/registry.ts: the built-in ones
// there, a user's own from its module); nothing else changes.

import type { Rng } from '../../core/rng.js';
import type { ParamSchema, ParamValue } from './params.js';
import type { Overflow, Range } from './accumulator.js';
import type { CostEstimate } from './estimate.js';
import type { ActLanes, OutRows } from './actFormat.js';

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
  /**
   * Floating-point activations (act_format): in_act's lanes are bit patterns of this format
   * (actBits is its width), decoded at the array's edge into integers. Absent: actBits-bit signed integers.
   */
  act?: ActLanes;
  /**
   * out_data's rows are FP32 patterns (accBits is 32) of the accumulator, rounded once to nearest even.
   * Absent: the accumulator itself. psumBits and exactBits always describe the integer array.
   */
  out?: OutRows;
}

/**
 * Multiply-accumulates per clock cycle of a design: rows*k every beat, and a beat takes `beatCycles`
 * cycles (bit-serial datapaths). The one definition every per-MAC figure divides by.
 */
export function macsPerCycle(l: Pick<Layout, 'rows' | 'k' | 'beatCycles'>): number {
  return (l.rows * l.k) / (l.beatCycles ?? 1);
}

/**
 * Logical weights of a beat (rows*k, row-major) in the hot paths: signed values of any width up to
 * 32 bits (a family's domain says which). Int32Array so that a family's own weight format (wider
 * integers, codes of future formats) fits without a change of type.
 */
export type Weights = Int32Array;

/**
 * The logical weight values a family accepts for given parameters: a set (ternary {-1, 0, +1},
 * bipolar {-1, +1}) or an interval of integers (two's complement w_bits: -2^(w_bits-1)..2^(w_bits-1)-1).
 * Values are 32-bit signed integers at most. The golden model, the packers and the stimulus read
 * it; generators/common/domain.ts checks values against it (one message format for every family).
 */
export type WeightDomain =
  | { kind: 'set'; values: readonly number[] }
  | { kind: 'interval'; min: number; max: number };

/**
 * Per-group scales: the design's outputs are integer sums per group of `lanes` consecutive lanes
 * along k, which software multiplies by each group's scale and adds (group-wise quantization).
 */
export interface GroupScales {
  /** Lanes per scale group; a divisor of k. */
  lanes: number;
}

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

export interface PackOptions {
  /** Sparse families: keep the largest weights instead of rejecting a matrix that breaks the rule. */
  prune?: boolean;
}

export interface Family<P extends CommonParams = CommonParams> {
  name: string;
  summary: string;
  /**
   * How products are formed: `table` looks them up in precomputed tables of activation sums shared by
   * the rows (LUT mpGEMM), `direct` (the default) computes each lane's product. Sweep reports compare
   * the two (the crossover map: where the table pays).
   */
  datapath?: 'table' | 'direct';
  schema: ParamSchema;
  /** Validates raw values (throws UsageError) and fills every default. */
  resolve(raw: Record<string, unknown>): P;
  layout(p: P): Layout;
  /** Logical weight values this family accepts (a set or an interval). */
  domain(p: P): WeightDomain;
  /**
   * Optional per-group scales. Undefined (or a missing member): outputs are the plain integer dot
   * products every built-in family computes, and the golden model is `model`. Defined: the family
   * says its outputs are integer sums per group of `lanes` lanes, scaled in software; the golden
   * model of those sums is golden.ts's `groupSums`. The contract carries it so that such a family
   * can be described; the co-simulation harness and the shared streaming shell compare and carry
   * one sum per row today, so no command runs a family whose `scales` returns a value yet.
   */
  scales?(p: P): GroupScales | undefined;
  /**
   * Optional N:M structured sparsity the weights must keep: at most `n` non-zero weights in every
   * group of `m` consecutive lanes, groups starting at lane 0. Quantizers (lowbit layer) prune a float
   * matrix to it before quantizing; absent: dense.
   */
  sparsity?(p: P): { n: number; m: number } | undefined;
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
  /**
   * Optional analytical cost model (`lowbit estimate`): the structure this family's generator builds
   * (lane logic, adder trees, multiplexers, tables, accumulators, registers) counted into building
   * blocks and priced per target (generators/common/estimate.ts). Pure arithmetic, no tool run;
   * absent: the family has no estimate (the command says so).
   */
  estimate?(p: P): CostEstimate;
}
