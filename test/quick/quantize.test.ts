// Quantizers (generators/common/quantize.ts) and the float metrics (quantMetrics.ts): hand-computed cases,
// ties under both rounding modes, N:M ties, the 1e-5 floors, and metrics on tiny matrices.
import { describe, expect, it } from 'vitest';
import { roundTo } from '../../generators/common/rounding.js';
import {
  fromGgufTernary, pruneNM, quantizeActivations, quantizeBipolar, quantizeIntPerRow, quantizeTernary, type FloatMatrix,
} from '../../generators/common/quantize.js';
import { blockScaledProduct, compareOutputs, dequantizeProduct, floatProduct, integerProduct } from '../../generators/common/quantMetrics.js';
import type { Tensor } from '../../core/tensors/types.js';
import { errorMessage } from './usage.js';

const mat = (rows: number, cols: number, data: number[]): FloatMatrix => ({ rows, cols, data });
const msg = errorMessage;

describe('roundTo', () => {
  it('ties: half to even and half away from zero', () => {
    const xs = [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 3.5];
    expect(xs.map((x) => roundTo(x, 'half-even'))).toEqual([0, 2, 2, 0, -2, -2, 4]);
    expect(xs.map((x) => roundTo(x, 'half-away'))).toEqual([1, 2, 3, -1, -2, -3, 4]);
  });
  it('non-ties round to nearest; no -0; the largest double below 0.5 is not a tie', () => {
    for (const mode of ['half-even', 'half-away'] as const) {
      expect([2.4, 2.6, -2.4, -2.6, 0.49999999999999994, 7].map((x) => roundTo(x, mode))).toEqual([2, 3, -2, -3, 0, 7]);
      expect(Object.is(roundTo(-0.4, mode), 0)).toBe(true);
      expect(Object.is(roundTo(-0, mode), 0)).toBe(true);
    }
  });
});

describe('BitNet b1.58 ternary weights', () => {
  it('gamma = mean|W|, w = clamp(round(W / gamma), -1, 1)', () => {
    const q = quantizeTernary(mat(2, 3, [0.5, -1.5, 0, 2, -0.25, 0.75]));
    // mean|W| = 5/6; W * 6/5 = 0.6, -1.8, 0, 2.4, -0.3, 0.9
    expect([...q.values]).toEqual([1, -1, 0, 1, 0, 1]);
    expect(q).toMatchObject({ rows: 2, cols: 3, scaleAxis: 'tensor', scaleUse: 'multiply', rounding: 'half-even' });
    expect([...q.scales]).toEqual([5 / 6]);
  });
  it('ties at +-0.5 (mean|W| = 1) follow the rounding mode', () => {
    const w = mat(1, 4, [0.5, -0.5, 1.5, -1.5]);
    expect([...quantizeTernary(w).values]).toEqual([0, 0, 1, -1]);
    expect([...quantizeTernary(w, { rounding: 'half-away' }).values]).toEqual([1, -1, 1, -1]);
  });
  it('gamma is floored at 1e-5', () => {
    // mean|W| = 5e-6 -> gamma 1e-5: 0.6 -> 1, -0.4 -> 0 (unfloored it would be 1.2 -> 1, -0.8 -> -1)
    const q = quantizeTernary(mat(1, 2, [6e-6, -4e-6]));
    expect([...q.values]).toEqual([1, 0]);
    expect(q.scales[0]).toBe(1e-5);
    expect([...quantizeTernary(mat(1, 3, [0, 0, 0])).values]).toEqual([0, 0, 0]);
  });
  it('a matrix whose size disagrees with its data is refused', () => {
    expect(msg(() => quantizeTernary(mat(2, 2, [1, 2, 3])))).toBe('ternary weights: 2 x 2 does not match its 3 values');
  });
});

describe('symmetric per-row int weights', () => {
  const w = mat(3, 4, [7, -2.5, 0.5, 1.5, 0, 0, 0, 0, -14, 3, 0, 5]);
  it('scale = max|W_row| / qmax, w = clamp(round(W * qmax / max), -qmax, qmax); ties per mode', () => {
    const even = quantizeIntPerRow(w, 4);
    expect([...even.values]).toEqual([7, -2, 0, 2, 0, 0, 0, 0, -7, 2, 0, 2]);
    const away = quantizeIntPerRow(w, 4, { rounding: 'half-away' });
    expect([...away.values]).toEqual([7, -3, 1, 2, 0, 0, 0, 0, -7, 2, 0, 3]);
    expect([...even.scales]).toEqual([1, 1e-5 / 7, 2]); // the zero row's max is floored at 1e-5
    expect(even).toMatchObject({ scaleAxis: 'row', scaleUse: 'multiply' });
  });
  it('8 bits: qmax 127, never -128', () => {
    const q = quantizeIntPerRow(mat(1, 3, [-1, 1, -0.998]), 8);
    expect([...q.values]).toEqual([-127, 127, -127]);
  });
  it('bits outside 2..16 are refused', () => {
    expect(msg(() => quantizeIntPerRow(w, 1))).toBe('w_bits must be an integer in 2..16, not 1');
  });
});

describe('N:M magnitude pruning', () => {
  it('keeps the n largest |W| per group of m, ties to the lowest position', () => {
    const p = pruneNM(mat(1, 12, [0.3, -0.5, 0.3, 0.3, 1, 1, 1, 1, 0, 0, 0, -3]), 2, 4);
    expect([...p.data]).toEqual([0.3, -0.5, 0, 0, 1, 1, 0, 0, 0, 0, 0, -3]);
    expect([...p.kept]).toEqual([1, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 1]);
  });
  it('groups run along each row; 1:2', () => {
    const p = pruneNM(mat(2, 4, [1, -2, 3, 3, -1, 1, 0, 0]), 1, 2);
    expect([...p.data]).toEqual([0, -2, 3, 0, -1, 0, 0, 0]);
  });
  it('before ternary quantization: gamma sees the pruned weights', () => {
    const p = pruneNM(mat(1, 4, [0.5, 0.1, -1.5, 0.2]), 2, 4); // keeps 0.5 and -1.5: mean|W| = 0.5
    const q = quantizeTernary(p);
    expect(q.scales[0]).toBe(0.5);
    expect([...q.values]).toEqual([1, 0, -1, 0]);
  });
  it('bad n, m or row length', () => {
    expect(msg(() => pruneNM(mat(1, 6, [1, 2, 3, 4, 5, 6]), 2, 4))).toBe('2:4 pruning needs a row length that is a multiple of m (4), not 6');
    expect(msg(() => pruneNM(mat(1, 4, [1, 2, 3, 4]), 5, 4))).toBe('N:M pruning needs 1 <= n <= m and m >= 2, not 5:4');
  });
});

describe('bipolar weights', () => {
  it('sign with 0 (and -0) -> +1; per-row scale mean|W|, floored', () => {
    const q = quantizeBipolar(mat(2, 4, [0, -0, -0.5, 2, 0, 0, 0, 0]));
    expect([...q.values]).toEqual([1, 1, -1, 1, 1, 1, 1, 1]);
    expect([...q.scales]).toEqual([0.625, 1e-5]);
    expect(q).toMatchObject({ scaleAxis: 'row', rounding: 'as-stored' });
  });
});

describe('per-token activations', () => {
  it('s = qmax / max|x|, q = clamp(round(x * s)); ties per mode (act_bits 3, max 3 -> s = 1)', () => {
    const x = mat(2, 6, [3, 0.5, -0.5, 1.5, 2.5, -2.5, 6, -3, 1, 0, 0, 0]);
    const even = quantizeActivations(x, 3);
    expect([...even.values]).toEqual([3, 0, 0, 2, 2, -2, 3, -2, 0, 0, 0, 0]); // token 1: s = 0.5
    const away = quantizeActivations(x, 3, { rounding: 'half-away' });
    expect([...away.values]).toEqual([3, 1, -1, 2, 3, -3, 3, -2, 1, 0, 0, 0]);
    expect([...even.scales]).toEqual([1, 0.5]);
    expect(even).toMatchObject({ scaleAxis: 'token', scaleUse: 'divide' });
  });
  it('int8: s = 127 / max|x|; an all-zero token gets s = 127 / 1e-5', () => {
    const q = quantizeActivations(mat(2, 4, [1, -0.5, 0.25, 0.004, 0, 0, 0, 0]), 8);
    expect([...q.values]).toEqual([127, -64, 32, 1, 0, 0, 0, 0]);
    expect([...q.scales]).toEqual([127, 127 / 1e-5]);
    expect(msg(() => quantizeActivations(mat(1, 1, [1]), 17))).toBe('act_bits must be an integer in 2..16, not 17');
  });
});

describe('GGUF ternary weights as stored', () => {
  const trits = Int8Array.from({ length: 1024 }, (_, i) => (i < 256 ? 1 : i < 512 ? -1 : (i % 3) - 1));
  const t: Tensor = {
    name: 'blk.0.ffn_up.weight', dtype: 'TQ2_0', shape: [2, 512], file: 'm.gguf', data: new Float64Array(1024),
    ternary: { trits, scales: Float64Array.of(0.5, 2, 0.25, 1), blockSize: 256 },
  };
  it('trits are the weights, each block keeps its d', () => {
    const q = fromGgufTernary(t);
    expect(q).toMatchObject({ rows: 2, cols: 512, scaleAxis: 'block', blockSize: 256, rounding: 'as-stored' });
    expect([...q.values]).toEqual([...trits]);
    expect([...q.scales]).toEqual([0.5, 2, 0.25, 1]);
  });
  it('block-scaled product: sum over blocks of partial sums times d, over s', () => {
    const w = fromGgufTernary(t);
    const a = quantizeActivations(mat(1, 512, new Array(512).fill(1)), 8); // q = 127, s = 127
    const y = blockScaledProduct(w, a);
    expect(y[0]).toBe((256 * 127 * 0.5 + -256 * 127 * 2) * (1 / 127));
    expect(y[0]).toBeCloseTo(-384, 10);
    expect(msg(() => dequantizeProduct(new Float64Array(2), w, a))).toBe('dequantizeProduct needs weights scaled per tensor or per row, not per block (use blockScaledProduct)');
  });
  it('a tensor that is not ternary is refused', () => {
    expect(msg(() => fromGgufTernary({ ...t, dtype: 'float32', ternary: undefined }))).toBe('tensor blk.0.ffn_up.weight in m.gguf is float32, not a GGUF ternary type (TQ1_0, TQ2_0)');
  });
});

describe('dequantization and metrics', () => {
  it('y = y_int * wscale * (1 / ascale)', () => {
    const w = quantizeTernary(mat(2, 2, [1, -1, 0.5, 1.5])); // mean 1: [1, -1, 0, 2 -> 1]
    const a = quantizeActivations(mat(2, 2, [1, 0.5, -2, 2]), 8); // s = 127 -> [127, 64]; s = 63.5 -> [-127, 127]
    expect([...a.values]).toEqual([127, 64, -127, 127]);
    const yInt = integerProduct(w, a); // rows x tokens
    expect([...yInt]).toEqual([63, -254, 64, 127]);
    expect([...dequantizeProduct(yInt, w, a)]).toEqual([63 * 1 * (1 / 127), -254 * 1 * (1 / 63.5), 64 * (1 / 127), 127 * (1 / 63.5)]);
    const iw = quantizeIntPerRow(mat(2, 2, [1, -1, 0.5, 1.5]), 8);
    expect(dequantizeProduct(integerProduct(iw, a), iw, a)[3]).toBe(integerProduct(iw, a)[3] * (1.5 / 127) * (1 / 63.5));
  });
  it('float reference, max abs error, relative Frobenius, cosine per token and overall', () => {
    expect([...floatProduct(mat(1, 2, [1, 2]), mat(2, 2, [3, 4, 5, 6]))]).toEqual([11, 17]);
    const m = compareOutputs([1, 0, 0, 1], [1, 0, 0, -1], 2, 2);
    expect(m.maxAbsError).toBe(2);
    expect(m.relFrobenius).toBe(2 / Math.SQRT2); // sqrt(4) / sqrt(2)
    expect([...m.cosinePerToken]).toEqual([1, -1]);
    expect(m.cosine).toBe(0);
    const same = compareOutputs([3, 4], [3, 4], 2, 1);
    expect(same).toMatchObject({ maxAbsError: 0, relFrobenius: 0, cosine: 1 });
    expect(compareOutputs([0, 0], [0, 0], 1, 2)).toMatchObject({ relFrobenius: 0, cosine: 1 });
    expect(compareOutputs([0, 0], [1, 0], 2, 1)).toMatchObject({ relFrobenius: Infinity, cosine: 0, maxAbsError: 1 });
    expect(msg(() => compareOutputs([1], [1, 2], 1, 2))).toBe('compareOutputs needs two 1 x 2 matrices, not 1 and 2 values');
  });
  it('a quantized ternary layer lands near the float one', () => {
    const W = mat(4, 8, Array.from({ length: 32 }, (_, i) => Math.sin(i * 1.7) * ((i % 5) + 1) / 5));
    const X = mat(3, 8, Array.from({ length: 24 }, (_, i) => Math.cos(i * 0.9)));
    const w = quantizeIntPerRow(W, 8);
    const a = quantizeActivations(X, 8);
    const m = compareOutputs(floatProduct(W, X), dequantizeProduct(integerProduct(w, a), w, a), 4, 3);
    expect(m.cosine).toBeGreaterThan(0.999);
    expect(m.relFrobenius).toBeLessThan(0.02);
  });
});
