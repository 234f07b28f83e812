// The function every family computes (the project's arithmetic background, shared/docs/background.md): y[r] = sum_beats acc_rule(sum_k W[r][k] * a[k]).
// The reference is exact at any width (BigInt); `beatSums` is the Number fast path for the
// co-simulation hot loop, exact because one beat's sum stays far below 2^53 (k <= 1024, |w*a| <= 2^22).

import { UsageError } from './params.js';
import { accStepBig, signedRange, type Overflow, type Range } from './accumulator.js';

export interface AccRule {
  rows: number;
  k: number;
  act_bits: number;
  acc_bits: number;
  overflow: Overflow;
  max_beats: number;
}

function checkValues(what: string, values: ArrayLike<number>, range: Range): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || BigInt(v) < range.min || BigInt(v) > range.max) {
      throw new UsageError(`${what}[${i}] must be an integer in ${range.min}..${range.max}, not ${v}`);
    }
  }
}

/**
 * Golden model of one vector. weights: rows x (beats*k) logical values; acts: beats*k.
 * Returns the rows accumulator values exactly as the RTL must present them.
 */
export function dotProductModel(p: AccRule, weightRange: Range, weights: number[][], acts: number[]): bigint[] {
  if (acts.length === 0 || acts.length % p.k !== 0) {
    throw new UsageError(`activations must hold a whole number of beats of k (${p.k}) values, not ${acts.length}`);
  }
  const beats = acts.length / p.k;
  if (beats > p.max_beats) throw new UsageError(`a vector may have 1..${p.max_beats} beats (max_beats), not ${beats}`);
  if (weights.length !== p.rows) throw new UsageError(`weights must have rows (${p.rows}) rows, not ${weights.length}`);
  checkValues('activations', acts, signedRange(p.act_bits));
  return weights.map((row, r) => {
    if (row.length !== acts.length) throw new UsageError(`weights[${r}] must hold ${acts.length} values (beats*k), not ${row.length}`);
    checkValues(`weights[${r}]`, row, weightRange);
    let acc = 0n;
    for (let b = 0; b < beats; b++) {
      let psum = 0n;
      for (let i = b * p.k; i < (b + 1) * p.k; i++) psum += BigInt(row[i]) * BigInt(acts[i]);
      acc = accStepBig(acc, psum, p.acc_bits, p.overflow);
    }
    return acc;
  });
}

/** One beat's exact row sums: w is rows*k row-major, a is k. */
export function beatSums(rows: number, k: number, w: Int8Array, a: Int32Array, out: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    // Four partial sums: independent chains run faster; every partial stays an exact integer.
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    const base = r * k;
    let i = 0;
    for (; i + 3 < k; i += 4) {
      s0 += w[base + i] * a[i];
      s1 += w[base + i + 1] * a[i + 1];
      s2 += w[base + i + 2] * a[i + 2];
      s3 += w[base + i + 3] * a[i + 3];
    }
    for (; i < k; i++) s0 += w[base + i] * a[i];
    out[r] = s0 + s1 + s2 + s3;
  }
}
