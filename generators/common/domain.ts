// Weight domains (family.ts, WeightDomain): the one check of weight values against them, used by the
// golden model and every packer, and what the stimulus and the term ranges need to know of them.

import { UsageError } from './params.js';
import type { WeightDomain } from './family.js';
import type { Range } from './accumulator.js';

/** The domain of signed two's complement values of `bits` bits. */
export const signedDomain = (bits: number): WeightDomain => ({ kind: 'interval', min: -(2 ** (bits - 1)), max: 2 ** (bits - 1) - 1 });

/** True when `v` is a value of the domain. */
export function inDomain(d: WeightDomain, v: number): boolean {
  if (!Number.isInteger(v)) return false;
  return d.kind === 'set' ? d.values.includes(v) : v >= d.min && v <= d.max;
}

/** The allowed values in words, for messages: "one of -1, 1" or "an integer in -8..7". */
export const describeDomain = (d: WeightDomain): string => (d.kind === 'set' ? `one of ${d.values.join(', ')}` : `an integer in ${d.min}..${d.max}`);

/**
 * The one check of weight values: throws a UsageError naming the first value outside the domain,
 * where it is (`where(i)`, e.g. `weights[0][3]`) and what is allowed:
 * "weights[0][3] must be one of -1, 1, not 0".
 */
export function checkWeights(d: WeightDomain, values: ArrayLike<number>, where: (i: number) => string): void {
  if (d.kind === 'interval') {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!(v >= d.min && v <= d.max) || !Number.isInteger(v)) throw outside(d, v, where(i));
    }
    return;
  }
  for (let i = 0; i < values.length; i++) if (!d.values.includes(values[i])) throw outside(d, values[i], where(i));
}

const outside = (d: WeightDomain, v: number, at: string) => new UsageError(`${at} must be ${describeDomain(d)}, not ${v}`);

/** Where value i of one beat's weights (rows x k, row-major) sits in the matrix of that beat. */
export const beatPosition = (k: number) => (i: number): string => `weights[${Math.floor(i / k)}][${i % k}]`;

/** The smallest interval holding the domain (term ranges, widths). */
export function domainRange(d: WeightDomain): Range {
  if (d.kind === 'interval') return { min: BigInt(d.min), max: BigInt(d.max) };
  return { min: BigInt(Math.min(...d.values)), max: BigInt(Math.max(...d.values)) };
}

/** The legal weight nearest to 0 (0 itself when legal; ties go to the positive one): a quiet weight. */
export function quietWeight(d: WeightDomain): number {
  if (inDomain(d, 0)) return 0;
  if (d.kind === 'interval') return d.min > 0 ? d.min : d.max;
  return [...d.values].sort((a, b) => Math.abs(a) - Math.abs(b) || b - a)[0];
}
