// Behavioural row of the ternary family for `lowbit prove` (Family.referenceRow), from the codes'
// definitions (generators/common/ternaryCodes.ts): each lane's weight times its activation.

import type { TernaryEncoding } from '../common/ternaryCodes.js';
import { addTrit, ternaryValue } from '../common/reference.js';

/** One row of the ternary family: s = sum_i w_i * a_i. */
export function ternaryReference(enc: TernaryEncoding, k: number, actBits: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < k; i++) {
    out.push(...(enc === 'base3' ? ternaryValue(enc, Math.floor(i / 5) * 8, i % 5) : ternaryValue(enc, 2 * i)));
    out.push(addTrit(`$signed(a[${i * actBits} +: ${actBits}])`));
  }
  return out;
}
