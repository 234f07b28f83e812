// Behavioural ternary weight decode for `lowbit prove` (Family.referenceRow), from the encodings'
// definitions in encoding.ts: it sets the reference's `v` to the weight of one lane.

import type { Encoding } from './encoding.js';
import { addTrit } from '../common/reference.js';

/**
 * Statements setting `v` to the ternary weight coded at bit `lo` (twos / i2s: a 2-bit code), or, for
 * base3, trit `t` of the byte at bit `lo`.
 */
export function ternaryValue(enc: Encoding, lo: number, t = 0): string[] {
  if (enc === 'twos') return [`b = w[${lo} +: 2];`, `v = (b == 8'd1) ? 1 : (b == 8'd3) ? -1 : 0;`];
  if (enc === 'i2s') return [`b = w[${lo} +: 2];`, 'x = b;', `v = (b == 8'd3) ? 0 : x - 1;`];
  return [`b = w[${lo} +: 8];`, `x = (b / ${3 ** t}) % 3;`, `v = (b >= 8'd243) ? 0 : x - 1;`];
}

/** One row of the ternary family: s = sum_i w_i * a_i. */
export function ternaryReference(enc: Encoding, k: number, actBits: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < k; i++) {
    out.push(...(enc === 'base3' ? ternaryValue(enc, Math.floor(i / 5) * 8, i % 5) : ternaryValue(enc, 2 * i)));
    out.push(addTrit(`$signed(a[${i * actBits} +: ${actBits}])`));
  }
  return out;
}
