// The function every family computes (the project's arithmetic background, shared/docs/background.md): y[r] = sum_beats acc_rule(sum_k W[r][k] * a[k]).
// The reference is exact at any width (BigInt); `beatSums` is the Number fast path for the
// co-simulation hot loop, exact under the condition it checks (see there).

import { UsageError } from './params.js';
import { accStepBig, type Overflow } from './accumulator.js';
import { checkWeights, signedDomain } from './domain.js';
import type { WeightDomain, Weights } from './family.js';

export interface AccRule {
  rows: number;
  k: number;
  act_bits: number;
  acc_bits: number;
  overflow: Overflow;
  max_beats: number;
}

/** Checks a vector's shape and values; returns its beats. */
function checkVector(p: AccRule, domain: WeightDomain, weights: number[][], acts: number[]): number {
  if (acts.length === 0 || acts.length % p.k !== 0) {
    throw new UsageError(`activations must hold a whole number of beats of k (${p.k}) values, not ${acts.length}`);
  }
  const beats = acts.length / p.k;
  if (beats > p.max_beats) throw new UsageError(`a vector may have 1..${p.max_beats} beats (max_beats), not ${beats}`);
  if (weights.length !== p.rows) throw new UsageError(`weights must have rows (${p.rows}) rows, not ${weights.length}`);
  checkWeights(signedDomain(p.act_bits), acts, (i) => `activations[${i}]`);
  weights.forEach((row, r) => {
    if (row.length !== acts.length) throw new UsageError(`weights[${r}] must hold ${acts.length} values (beats*k), not ${row.length}`);
    checkWeights(domain, row, (i) => `weights[${r}][${i}]`);
  });
  return beats;
}

/**
 * Golden model of one vector. weights: rows x (beats*k) logical values; acts: beats*k.
 * Returns the rows accumulator values exactly as the RTL must present them.
 */
export function dotProductModel(p: AccRule, domain: WeightDomain, weights: number[][], acts: number[]): bigint[] {
  const beats = checkVector(p, domain, weights, acts);
  return weights.map((row) => {
    let acc = 0n;
    for (let b = 0; b < beats; b++) {
      let psum = 0n;
      for (let i = b * p.k; i < (b + 1) * p.k; i++) psum += BigInt(row[i]) * BigInt(acts[i]);
      acc = accStepBig(acc, psum, p.acc_bits, p.overflow);
    }
    return acc;
  });
}

/**
 * Golden model of a family with per-group scales (Family.scales): for each row, the exact integer
 * sum of every group of `lanes` consecutive lanes along the vector (rows x (beats*k/lanes)), which
 * software scales and adds. `lanes` must divide k, so a group never straddles two beats.
 */
export function groupSums(p: AccRule, domain: WeightDomain, lanes: number, weights: number[][], acts: number[]): bigint[][] {
  if (!Number.isInteger(lanes) || lanes < 1 || p.k % lanes !== 0) throw new UsageError(`scale groups must be a divisor of k (${p.k}) lanes, not ${lanes}`);
  checkVector(p, domain, weights, acts);
  return weights.map((row) => {
    const sums: bigint[] = [];
    for (let g = 0; g < row.length; g += lanes) {
      let s = 0n;
      for (let i = g; i < g + lanes; i++) s += BigInt(row[i]) * BigInt(acts[i]);
      sums.push(s);
    }
    return sums;
  });
}

/** Largest magnitude a Number holds exactly, with every integer below it. */
const EXACT = 2 ** 53;

function maxAbs(x: ArrayLike<number>, from: number, to: number): number {
  let m = 0;
  for (let i = from; i < to; i++) {
    const v = x[i] < 0 ? -x[i] : x[i];
    if (v > m) m = v;
  }
  return m;
}

/** True when beatSums can add this beat in Numbers exactly (its bound, see there, stays below 2^53). */
export function numberSumsExact(rows: number, k: number, w: Weights, a: ArrayLike<number>): boolean {
  const aMax = maxAbs(a, 0, k);
  return k * aMax * 2 ** 31 < EXACT || k * aMax * maxAbs(w, 0, rows * k) < EXACT;
}

/** One beat's exact row sums in BigInt, for beats beatSums refuses (wide activations: floating-point units). */
export function beatSumsBig(rows: number, k: number, w: Weights, a: ArrayLike<number>, out: bigint[]): void {
  for (let r = 0; r < rows; r++) {
    let s = 0n;
    const base = r * k;
    for (let i = 0; i < k; i++) if (w[base + i] !== 0 && a[i] !== 0) s += BigInt(w[base + i]) * BigInt(a[i]);
    out[r] = s;
  }
}

/**
 * One beat's exact row sums: w is rows*k row-major, a is k.
 *
 * Why Numbers are exact here: every partial sum below (s0..s3, and each product) is a sum of some
 * of the row's terms, so its magnitude is at most k * max|w| * max|a|. While that bound stays below
 * 2^53 every intermediate is an integer a double holds exactly, and so is the result. With int8
 * weights and activations up to 16 bits (k <= 1024) the bound is below 2^33, far inside; weights
 * may be up to 32 bits wide (Weights), so the bound is checked, first from the activations alone
 * (2^31 bounds any weight) and only when that does not settle it from this beat's weights. A beat
 * whose sums could exceed 2^53 is refused rather than computed inexactly.
 */
export function beatSums(rows: number, k: number, w: Weights, a: ArrayLike<number>, out: Float64Array): void {
  if (!numberSumsExact(rows, k, w, a)) {
    throw new Error(`beatSums: a beat's row sums may exceed 2^53 (k ${k}, activations up to ${maxAbs(a, 0, k)} in magnitude): Numbers cannot hold them exactly`);
  }
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
