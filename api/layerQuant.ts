// Which quantizer a layer's weights go through, decided by the family's contract, never its name: its
// weight domain (the set {-1, 0, +1}: BitNet b1.58 ternary; {-1, +1}: bipolar sign with a per-channel
// scale; an interval -2^(b-1)..2^(b-1)-1: symmetric per-channel int-b) and its sparsity (N:M magnitude
// pruning first). A GGUF ternary tensor (TQ1_0, TQ2_0) is used as stored: its trits are the weights,
// its block scales the scales.

import { UsageError } from '../core/errors.js';
import type { Tensor } from '../core/tensors/types.js';
import { fromGgufTernary, pruneNM, quantizeBipolar, quantizeIntPerRow, quantizeTernary, type FloatMatrix, type Rounding } from '../generators/common/quantize.js';
import type { Design } from './design.js';

/** How the weights were quantized (the report's `quantization.weights`). */
export interface WeightQuantization {
  method: 'bitnet-b1.58 ternary' | 'bipolar sign' | 'symmetric int' | 'gguf ternary as stored';
  bits?: number;
  scaleAxis: 'tensor' | 'row' | 'block';
  /** N:M magnitude pruning before quantization. */
  pruned?: { n: number; m: number };
  rounding?: Rounding;
  /** The source tensor's dtype. */
  from: string;
}

/** Quantized weights: the integers (out x in), their scales, and the scale of (row, scale block). */
export interface QuantizedWeights {
  values: Int32Array;
  scales: Float64Array;
  scaleShape: number[];
  scaleOf: (row: number, block: number) => number;
  description: WeightQuantization;
}

const hasAll = (d: ReturnType<Design['family']['domain']>, vs: number[]) => vs.every((v) => (d.kind === 'set' ? d.values.includes(v) : v >= d.min && v <= d.max));

export function quantizeWeights(d: Design, W: Tensor, out: number, inputs: number, rounding: Rounding): QuantizedWeights {
  const domain = d.family.domain(d.params);
  const sparsity = d.family.sparsity?.(d.params);
  if (W.ternary) {
    if (!hasAll(domain, [-1, 0, 1])) throw new UsageError(`weights: ${W.file}:${W.name} is ${W.dtype} (ternary), but ${d.family.name} with these parameters takes weights ${domain.kind === 'set' ? `in {${domain.values.join(', ')}}` : `in ${domain.min}..${domain.max}`}; choose a family (or weights parameter) that holds -1, 0 and +1`);
    const q = fromGgufTernary(W);
    if (sparsity) checkSparsity(q.values, out, inputs, sparsity, `${W.file}:${W.name}`);
    const blocks = inputs / q.blockSize!;
    return { values: q.values, scales: q.scales, scaleShape: [out, blocks], scaleOf: (row, block) => q.scales[row * blocks + block], description: { method: 'gguf ternary as stored', scaleAxis: 'block', from: W.dtype } };
  }
  let Wf: FloatMatrix = { rows: out, cols: inputs, data: W.data };
  const pruned = sparsity ? { n: sparsity.n, m: sparsity.m } : undefined;
  if (sparsity) Wf = pruneNM(Wf, sparsity.n, sparsity.m);
  if (domain.kind === 'set' && hasAll(domain, [-1, 0, 1]) && domain.values.length === 3) {
    const q = quantizeTernary(Wf, { rounding });
    return { values: q.values, scales: q.scales, scaleShape: [1], scaleOf: () => q.scales[0], description: { method: 'bitnet-b1.58 ternary', scaleAxis: 'tensor', pruned, rounding, from: W.dtype } };
  }
  if (domain.kind === 'set' && domain.values.length === 2 && hasAll(domain, [-1, 1])) {
    const q = quantizeBipolar(Wf);
    return { values: q.values, scales: q.scales, scaleShape: [out], scaleOf: (row) => q.scales[row], description: { method: 'bipolar sign', scaleAxis: 'row', pruned, from: W.dtype } };
  }
  if (domain.kind === 'interval' && domain.min === -domain.max - 1 && Number.isInteger(Math.log2(domain.max + 1))) {
    const bits = Math.log2(domain.max + 1) + 1;
    const q = quantizeIntPerRow(Wf, bits, { rounding });
    return { values: q.values, scales: q.scales, scaleShape: [out], scaleOf: (row) => q.scales[row], description: { method: 'symmetric int', bits, scaleAxis: 'row', pruned, rounding, from: W.dtype } };
  }
  throw new UsageError(`weights: ${d.family.name} takes weights ${domain.kind === 'set' ? `in {${domain.values.join(', ')}}` : `in ${domain.min}..${domain.max}`}, for which lowbit has no quantizer`);
}

/** GGUF trits used as stored must already keep the family's N:M rule. */
function checkSparsity(values: Int32Array, out: number, inputs: number, s: { n: number; m: number }, what: string): void {
  for (let r = 0; r < out; r++) {
    for (let g = 0; g * s.m < inputs; g++) {
      let nz = 0;
      for (let i = g * s.m; i < Math.min(inputs, (g + 1) * s.m); i++) if (values[r * inputs + i] !== 0) nz++;
      if (nz > s.n) throw new UsageError(`weights: ${what} used as stored breaks ${s.n}:${s.m} sparsity: row ${r}, group ${g} (inputs ${g * s.m}..${(g + 1) * s.m - 1}) has ${nz} non-zero weights; a stored ternary tensor is not pruned`);
    }
  }
}
