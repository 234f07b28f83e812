// Float weights and activations -> the integers lowbit's designs compute on, exactly and deterministically,
// with every scale kept beside the integers so a layer's float output can be recovered and compared.
//
// Float arithmetic: Float64 throughout (inputs are widened on load). Where the reference multiplies by a
// reciprocal scale, so do we, because that decides ties: BitNet b1.58's reference (weight_quant /
// activation_quant in "The Era of 1-bit LLMs" training tips, and bitnet.cpp) computes
// `scale = 1 / mean|W|` and `round(W * scale)`, and `s = 127 / max|x|` and `round(x * s)`. The per-row int
// quantizer follows the same pattern (LLM.int8's absmax: `round(W * (qmax / max|W_row|))`), keeping
// `max|W_row| / qmax` as the dequantization scale. Sums (mean |W|) run in C order.
// Results equal torch's float32 ones except where float32 rounding moves a value across a .5 boundary.
//
// Scales: weights keep a dequantization multiplier (W ~ q * scale); activations keep the quantization
// factor s (x ~ q / s), as BitNet does; `scaleUse` says which. Floors: every denominator (mean |W|, max |W|,
// max |x|) is floored at 1e-5, so an all-zero row or token quantizes to zeros with a finite scale.

import { FP_FORMATS, encodeNumber, maxFinite, toNumber, type FpFormatName } from '../../core/fp/format.js';
import type { Tensor } from '../../core/tensors/types.js';
import { UsageError } from '../../core/errors.js';
import { roundTo, type Rounding } from './rounding.js';

export { roundTo, ROUNDINGS, type Rounding } from './rounding.js';

/** A float matrix in C order. */
export interface FloatMatrix {
  rows: number;
  cols: number;
  data: ArrayLike<number>;
}

export interface Quantized {
  /** rows x cols integers in C order. */
  values: Int32Array;
  rows: number;
  cols: number;
  /** One per tensor, per row, per token (row of an activation matrix) or per block of `blockSize` along a row. */
  scales: Float64Array;
  scaleAxis: 'tensor' | 'row' | 'token' | 'block';
  blockSize?: number;
  /** 'multiply': float ~ value * scale (weights); 'divide': float ~ value / scale (activations). */
  scaleUse: 'multiply' | 'divide';
  /** How ties were rounded; 'as-stored' for weights taken from a file without rounding. */
  rounding: Rounding | 'as-stored';
}

export const SCALE_FLOOR = 1e-5;

export interface QuantizeOptions {
  rounding?: Rounding;
}

function checkMatrix(m: FloatMatrix, what: string): void {
  if (!Number.isInteger(m.rows) || !Number.isInteger(m.cols) || m.rows < 1 || m.cols < 1 || m.data.length !== m.rows * m.cols) {
    throw new UsageError(`${what}: ${m.rows} x ${m.cols} does not match its ${m.data.length} values`);
  }
}

const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);

/** qmax = 2^(bits-1) - 1, the symmetric range's edge; bits in 2..16. */
function qmaxOf(bits: number, what: string): number {
  if (!Number.isInteger(bits) || bits < 2 || bits > 16) throw new UsageError(`${what} must be an integer in 2..16, not ${bits}`);
  return 2 ** (bits - 1) - 1;
}

/** BitNet b1.58: gamma = max(mean|W|, 1e-5) over the whole tensor, w = clamp(round(W * (1/gamma)), -1, 1). */
export function quantizeTernary(w: FloatMatrix, o: QuantizeOptions = {}): Quantized {
  checkMatrix(w, 'ternary weights');
  const rounding = o.rounding ?? 'half-even';
  let sum = 0;
  for (let i = 0; i < w.data.length; i++) sum += Math.abs(w.data[i]);
  const gamma = Math.max(sum / w.data.length, SCALE_FLOOR);
  const inv = 1 / gamma;
  const values = new Int32Array(w.data.length);
  for (let i = 0; i < values.length; i++) values[i] = clamp(roundTo(w.data[i] * inv, rounding), -1, 1);
  return { values, rows: w.rows, cols: w.cols, scales: Float64Array.of(gamma), scaleAxis: 'tensor', scaleUse: 'multiply', rounding };
}

/**
 * Symmetric per-output-channel int-b: m = max(max|W_row|, 1e-5), w = clamp(round(W * (qmax/m)), -qmax, qmax),
 * scale m / qmax kept per row. -2^(b-1) is never used, so the range is symmetric as in the dense family's
 * usual data.
 */
export function quantizeIntPerRow(w: FloatMatrix, bits: number, o: QuantizeOptions = {}): Quantized {
  checkMatrix(w, `int${bits} weights`);
  const qmax = qmaxOf(bits, 'w_bits');
  const rounding = o.rounding ?? 'half-even';
  const values = new Int32Array(w.data.length);
  const scales = new Float64Array(w.rows);
  for (let r = 0; r < w.rows; r++) {
    let m = 0;
    for (let c = 0; c < w.cols; c++) m = Math.max(m, Math.abs(w.data[r * w.cols + c]));
    m = Math.max(m, SCALE_FLOOR);
    const inv = qmax / m;
    scales[r] = m / qmax;
    for (let c = 0; c < w.cols; c++) {
      const i = r * w.cols + c;
      values[i] = clamp(roundTo(w.data[i] * inv, rounding), -qmax, qmax);
    }
  }
  return { values, rows: w.rows, cols: w.cols, scales, scaleAxis: 'row', scaleUse: 'multiply', rounding };
}

/**
 * N:M magnitude pruning along the input dimension (a row's consecutive groups of m): keeps the n largest
 * |W| of each group, ties to the lowest position, zeroes the rest. Run before int or ternary quantization
 * (whose scales then see the pruned weights). `kept` marks the survivors.
 */
export function pruneNM(w: FloatMatrix, n: number, m: number): FloatMatrix & { data: Float64Array; kept: Uint8Array } {
  checkMatrix(w, `${n}:${m} pruning`);
  if (!Number.isInteger(m) || m < 2 || !Number.isInteger(n) || n < 1 || n > m) throw new UsageError(`N:M pruning needs 1 <= n <= m and m >= 2, not ${n}:${m}`);
  if (w.cols % m !== 0) throw new UsageError(`${n}:${m} pruning needs a row length that is a multiple of m (${m}), not ${w.cols}`);
  const data = new Float64Array(w.data.length);
  const kept = new Uint8Array(w.data.length);
  const order = Array.from({ length: m }, (_, j) => j);
  for (let g = 0; g < w.data.length; g += m) {
    // Stable ranking: larger |W| first, then lower position.
    order.sort((a, b) => Math.abs(w.data[g + b]) - Math.abs(w.data[g + a]) || a - b);
    for (let j = 0; j < n; j++) {
      kept[g + order[j]] = 1;
      data[g + order[j]] = w.data[g + order[j]];
    }
    order.sort((a, b) => a - b);
  }
  return { rows: w.rows, cols: w.cols, data, kept };
}

/**
 * Bipolar (+-1) weights for the LUT family: w = +1 if W >= 0 else -1, per-row scale alpha = max(mean|W_row|, 1e-5)
 * (the optimal scale for sign weights, as in binary networks). A zero (and -0) weight maps to +1: bipolar weights have no
 * zero, the LUT encoding's bit 1 is +1, and `W >= 0` is the usual binarization (sign(0) = 0 would not be bipolar).
 */
export function quantizeBipolar(w: FloatMatrix): Quantized {
  checkMatrix(w, 'bipolar weights');
  const values = new Int32Array(w.data.length);
  const scales = new Float64Array(w.rows);
  for (let r = 0; r < w.rows; r++) {
    let sum = 0;
    for (let c = 0; c < w.cols; c++) {
      const v = w.data[r * w.cols + c];
      sum += Math.abs(v);
      values[r * w.cols + c] = v >= 0 ? 1 : -1;
    }
    scales[r] = Math.max(sum / w.cols, SCALE_FLOOR);
  }
  return { values, rows: w.rows, cols: w.cols, scales, scaleAxis: 'row', scaleUse: 'multiply', rounding: 'as-stored' };
}

/** A GGUF TQ1_0 / TQ2_0 matrix used as stored: its trits as the weights, each block's d as the block's scale. */
export function fromGgufTernary(t: Tensor): Quantized {
  if (!t.ternary) throw new UsageError(`tensor ${t.name} in ${t.file} is ${t.dtype}, not a GGUF ternary type (TQ1_0, TQ2_0)`);
  if (t.shape.length !== 2) throw new UsageError(`ternary weights must be a 2-D matrix, but tensor ${t.name} in ${t.file} has shape [${t.shape.join(', ')}]`);
  return {
    values: Int32Array.from(t.ternary.trits),
    rows: t.shape[0],
    cols: t.shape[1],
    scales: Float64Array.from(t.ternary.scales),
    scaleAxis: 'block',
    blockSize: t.ternary.blockSize,
    scaleUse: 'multiply',
    rounding: 'as-stored',
  };
}

/**
 * Per-token absmax activations (BitNet): for each token (row of x), s = qmax / max(max|x|, 1e-5),
 * q = clamp(round(x * s), -qmax, qmax) with qmax = 2^(act_bits-1) - 1. (BitNet clamps at -2^(b-1); since
 * |x * s| <= qmax that bound is never reached, and the symmetric clamp is the same function.)
 */
export function quantizeActivations(x: FloatMatrix, actBits: number, o: QuantizeOptions = {}): Quantized {
  checkMatrix(x, 'activations');
  const qmax = qmaxOf(actBits, 'act_bits');
  const rounding = o.rounding ?? 'half-even';
  const values = new Int32Array(x.data.length);
  const scales = new Float64Array(x.rows);
  for (let t = 0; t < x.rows; t++) {
    let m = 0;
    for (let c = 0; c < x.cols; c++) m = Math.max(m, Math.abs(x.data[t * x.cols + c]));
    const s = qmax / Math.max(m, SCALE_FLOOR);
    scales[t] = s;
    for (let c = 0; c < x.cols; c++) {
      const i = t * x.cols + c;
      values[i] = clamp(roundTo(x.data[i] * s, rounding), -qmax, qmax);
    }
  }
  return { values, rows: x.rows, cols: x.cols, scales, scaleAxis: 'token', scaleUse: 'divide', rounding };
}

/** Activations rounded to a floating-point format (layer --act-format): bit patterns and what rounding did. */
export interface FpRounded {
  /** The patterns (tokens x inputs, row-major). */
  values: Int32Array;
  format: FpFormatName;
  /** Values that were not representable exactly (rounded to nearest even). */
  rounded: number;
  maxAbsError: number;
  /** Largest |rounded - x| / |x| over non-zero x. */
  maxRelError: number;
}

/**
 * Rounds every activation to `format`, to nearest, ties to even (no scaling: the format's own range).
 * A value past the format's largest finite one is refused (UsageError naming the position), never
 * turned into an infinity the RTL would decode to 0.
 */
export function roundActivations(x: FloatMatrix, format: FpFormatName): FpRounded {
  checkMatrix(x, 'activations');
  const f = FP_FORMATS[format];
  const values = new Int32Array(x.data.length);
  let rounded = 0;
  let maxAbsError = 0;
  let maxRelError = 0;
  for (let i = 0; i < x.data.length; i++) {
    const v = x.data[i];
    const e = encodeNumber(f, v);
    if (e.overflow) {
      throw new UsageError(`activations[${Math.floor(i / x.cols)}][${i % x.cols}] = ${v} is past ${format}'s largest finite value (${toNumber(f, maxFinite(f))}); scale the activations or use a wider format`);
    }
    values[i] = e.code;
    if (e.inexact) {
      rounded++;
      const err = Math.abs(toNumber(f, e.code) - v);
      maxAbsError = Math.max(maxAbsError, err);
      if (v !== 0) maxRelError = Math.max(maxRelError, err / Math.abs(v));
    }
  }
  return { values, format, rounded, maxAbsError, maxRelError };
}
