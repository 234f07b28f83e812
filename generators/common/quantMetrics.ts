// From quantized integers back to floats, and how far a quantized layer lands from the float one.
// Outputs are laid out y[r][t]: rows = output channels, one column per token (C order, rows x tokens),
// the same as the golden models' y_int[r][t] gathered over a batch of vectors.

import { UsageError } from '../../core/errors.js';
import type { FloatMatrix, Quantized } from './quantize.js';

/** y[r][t] = sum_k w[r][k] * x[t][k] for row-major w (rows x cols) and x (tokens x cols). */
function productT(w: ArrayLike<number>, x: ArrayLike<number>, rows: number, tokens: number, cols: number): Float64Array {
  const y = new Float64Array(rows * tokens);
  for (let r = 0; r < rows; r++) {
    for (let t = 0; t < tokens; t++) {
      let s = 0;
      for (let k = 0; k < cols; k++) s += w[r * cols + k] * x[t * cols + k];
      y[r * tokens + t] = s;
    }
  }
  return y;
}

/** The exact integer products sum_k w[r][k] * a[t][k] (exact while below 2^53, far above any design's sums). */
export function integerProduct(w: Quantized, a: Quantized): Float64Array {
  if (w.cols !== a.cols) throw new UsageError(`weights have ${w.cols} columns but activations ${a.cols} values per token`);
  return productT(w.values, a.values, w.rows, a.rows, w.cols);
}

/**
 * Float result of integer products y_int (rows x tokens): y_int[r][t] * wscale * (1 / ascale), in that
 * order, with wscale the tensor's or row r's scale and ascale token t's s. Block-scaled weights (GGUF
 * ternary) have no single scale per row: use blockScaledProduct.
 */
export function dequantizeProduct(yInt: ArrayLike<number>, w: Quantized, a: Quantized): Float64Array {
  if (w.scaleAxis !== 'tensor' && w.scaleAxis !== 'row') {
    throw new UsageError(`dequantizeProduct needs weights scaled per tensor or per row, not per ${w.scaleAxis} (use blockScaledProduct)`);
  }
  if (a.scaleAxis !== 'token') throw new UsageError(`dequantizeProduct needs activations scaled per token, not per ${a.scaleAxis}`);
  if (yInt.length !== w.rows * a.rows) throw new UsageError(`y_int holds ${yInt.length} values, not rows (${w.rows}) x tokens (${a.rows})`);
  const y = new Float64Array(yInt.length);
  for (let r = 0; r < w.rows; r++) {
    const ws = w.scales[w.scaleAxis === 'tensor' ? 0 : r];
    for (let t = 0; t < a.rows; t++) y[r * a.rows + t] = yInt[r * a.rows + t] * ws * (1 / a.scales[t]);
  }
  return y;
}

/** Float result for block-scaled weights: sum over blocks b of (integer partial sum_b * d_b), times 1 / s_t. */
export function blockScaledProduct(w: Quantized, a: Quantized): Float64Array {
  if (w.scaleAxis !== 'block' || !w.blockSize) throw new UsageError(`blockScaledProduct needs block-scaled weights, not per ${w.scaleAxis}`);
  if (w.cols !== a.cols) throw new UsageError(`weights have ${w.cols} columns but activations ${a.cols} values per token`);
  const bs = w.blockSize;
  const perRow = w.cols / bs;
  const y = new Float64Array(w.rows * a.rows);
  for (let r = 0; r < w.rows; r++) {
    for (let t = 0; t < a.rows; t++) {
      let acc = 0;
      for (let b = 0; b < perRow; b++) {
        let s = 0;
        for (let k = b * bs; k < (b + 1) * bs; k++) s += w.values[r * w.cols + k] * a.values[t * a.cols + k];
        acc += s * w.scales[r * perRow + b];
      }
      y[r * a.rows + t] = acc * (1 / a.scales[t]);
    }
  }
  return y;
}

/** The float reference y[r][t] = sum_k W[r][k] * x[t][k]. */
export function floatProduct(w: FloatMatrix, x: FloatMatrix): Float64Array {
  if (w.cols !== x.cols) throw new UsageError(`weights have ${w.cols} columns but activations ${x.cols} values per token`);
  return productT(w.data, x.data, w.rows, x.rows, w.cols);
}

export interface ErrorMetrics {
  maxAbsError: number;
  /** ||got - ref||_F / ||ref||_F (0 when both are zero, Infinity when only ref is). */
  relFrobenius: number;
  /** Cosine similarity of the whole matrices. */
  cosine: number;
  /** Cosine similarity per token (column t of the rows x tokens layout). */
  cosinePerToken: Float64Array;
}

/** cos = a.b / (|a||b|); two zero vectors are alike (1), a zero and a non-zero one are not (0). */
function cosineOf(dot: number, na2: number, nb2: number): number {
  if (na2 === 0 && nb2 === 0) return 1;
  if (na2 === 0 || nb2 === 0) return 0;
  return dot / (Math.sqrt(na2) * Math.sqrt(nb2));
}

/** Compares a quantized layer's float output with the float reference, both rows x tokens. */
export function compareOutputs(ref: ArrayLike<number>, got: ArrayLike<number>, rows: number, tokens: number): ErrorMetrics {
  if (ref.length !== rows * tokens || got.length !== rows * tokens) {
    throw new UsageError(`compareOutputs needs two ${rows} x ${tokens} matrices, not ${ref.length} and ${got.length} values`);
  }
  let maxAbsError = 0;
  let diff2 = 0;
  let dot = 0;
  let r2 = 0;
  let g2 = 0;
  const cosinePerToken = new Float64Array(tokens);
  for (let t = 0; t < tokens; t++) {
    let d = 0;
    let a2 = 0;
    let b2 = 0;
    for (let r = 0; r < rows; r++) {
      const x = ref[r * tokens + t];
      const y = got[r * tokens + t];
      maxAbsError = Math.max(maxAbsError, Math.abs(y - x));
      diff2 += (y - x) ** 2;
      d += x * y;
      a2 += x * x;
      b2 += y * y;
    }
    cosinePerToken[t] = cosineOf(d, a2, b2);
    dot += d;
    r2 += a2;
    g2 += b2;
  }
  const relFrobenius = r2 === 0 ? (diff2 === 0 ? 0 : Infinity) : Math.sqrt(diff2) / Math.sqrt(r2);
  return { maxAbsError, relFrobenius, cosine: cosineOf(dot, r2, g2), cosinePerToken };
}
