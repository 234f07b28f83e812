// The accumulator rules every family shares (the project's arithmetic background, shared/docs/background.md, "Shared conventions"):
// acc_bits wide two's complement; the default is exact for max_beats beats; when narrowed,
// `wrap` keeps the sum modulo 2^acc_bits and `saturate` adds each beat's exact partial sum
// to the accumulator with saturation.

import { signedBitsFor } from '../../core/bits.js';

export type Overflow = 'wrap' | 'saturate';

export interface Range {
  min: bigint;
  max: bigint;
}

/** Range of a sum of `n` terms each in `term`. */
export const scaleRange = (term: Range, n: number): Range => ({ min: term.min * BigInt(n), max: term.max * BigInt(n) });

/** Range of a product of two independent ranges. */
export function productRange(a: Range, b: Range): Range {
  const c = [a.min * b.min, a.min * b.max, a.max * b.min, a.max * b.max];
  return { min: c.reduce((x, y) => (y < x ? y : x)), max: c.reduce((x, y) => (y > x ? y : x)) };
}

/** Range of a signed two's complement value of `bits` bits. */
export const signedRange = (bits: number): Range => ({ min: -(1n << BigInt(bits - 1)), max: (1n << BigInt(bits - 1)) - 1n });

/** Exact accumulator width for vectors of up to maxBeats beats of k terms in `term`. */
export const exactAccBits = (term: Range, k: number, maxBeats: number): number => {
  const r = scaleRange(term, k * maxBeats);
  return signedBitsFor(r.min, r.max);
};

/** One accumulator step, exact at any width. */
export function accStepBig(acc: bigint, psum: bigint, accBits: number, overflow: Overflow): bigint {
  const sum = acc + psum;
  if (overflow === 'wrap') return BigInt.asIntN(accBits, sum);
  const lim = signedRange(accBits);
  return sum > lim.max ? lim.max : sum < lim.min ? lim.min : sum;
}

/**
 * The same rule on Numbers, for the co-simulation hot loop. Exact while every intermediate stays
 * below 2^53 in magnitude, which `numberSafe` checks before a run picks this path.
 */
export function accStepNum(acc: number, psum: number, accBits: number, overflow: Overflow): number {
  const sum = acc + psum;
  const half = 2 ** (accBits - 1);
  if (overflow === 'saturate') return sum > half - 1 ? half - 1 : sum < -half ? -half : sum;
  if (sum >= -half && sum < half) return sum;
  const m = 2 * half;
  const r = ((sum % m) + m) % m;
  return r >= half ? r - m : r;
}

/** accStepNum with its constants computed once (the co-simulation hot loop calls it per row and beat). */
export function numAccumulator(accBits: number, overflow: Overflow): (acc: number, psum: number) => number {
  const half = 2 ** (accBits - 1);
  const max = half - 1;
  const m = 2 * half;
  if (overflow === 'saturate') return (acc, psum) => {
    const sum = acc + psum;
    return sum > max ? max : sum < -half ? -half : sum;
  };
  return (acc, psum) => {
    const sum = acc + psum;
    if (sum >= -half && sum <= max) return sum;
    const r = ((sum % m) + m) % m;
    return r >= half ? r - m : r;
  };
}

/** True when accStepNum is exact: accumulator and beat sums well inside 2^53. */
export function numberSafe(accBits: number, exactBits: number, psumBits: number): boolean {
  return Math.min(accBits, exactBits) <= 51 && psumBits <= 51;
}
