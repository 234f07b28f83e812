// Operand pairs for the floating-point adder tests (test/fpAdd.test.ts): every pair of an 8-bit format,
// or corner pairs plus seeded random pairs of a wider one, as Uint32 columns that blockCheck reads.
import { FP_FORMATS, classify, decode, encode, maxFinite, type FpFormat } from '../core/fp/format.js';
import { canonicalNaN, fpAdd } from '../core/fp/add.js';
import { Rng } from '../core/rng.js';

export interface Pairs {
  a: Uint32Array;
  b: Uint32Array;
}

/** Every (a, b) of a format of `bits` bits: 2^(2 bits) pairs. */
export function allPairs(bits: number): Pairs {
  const n = 2 ** (2 * bits);
  const a = new Uint32Array(n);
  const b = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = i >>> bits;
    b[i] = i & (2 ** bits - 1);
  }
  return { a, b };
}

/**
 * The codes every adder must get right: both zeros, smallest and largest subnormal, smallest normal,
 * one, largest finite and its neighbour, infinities and NaNs (canonical, another quiet one, a
 * signalling one), each with both signs.
 */
export function cornerCodes(f: FpFormat): number[] {
  const sign = 2 ** (f.bits - 1);
  const one = f.bias * 2 ** f.manBits;
  const max = maxFinite(f);
  const expOnes = (2 ** f.expBits - 1) * 2 ** f.manBits;
  const specials = f.specials === 'e4m3' ? [canonicalNaN(f)] : [expOnes, canonicalNaN(f), expOnes + 1, expOnes + 2 ** f.manBits - 1];
  const pos = [0, 1, 2, 2 ** f.manBits - 1, 2 ** f.manBits, 2 ** f.manBits + 1, one, one + 1, max, max - 1, ...specials];
  return [...pos, ...pos.map((c) => c + sign)];
}

/**
 * Pairs aimed at the rounding and normalization logic, for `n` random magnitudes: x + -x; operands one
 * ulp apart (both signs: a cancellation to one ulp); the larger one's half ulp added and subtracted
 * (exact ties at the rounding point, both parities), 1.5 ulp (a tie after a carry), half ulp plus the
 * smallest subnormal (just past the tie), and each neighbour of those.
 */
function aimedPairs(f: FpFormat, rng: Rng, n: number, push: (a: number, b: number) => void): void {
  const sign = 2 ** (f.bits - 1);
  const max = maxFinite(f);
  const M = f.manBits;
  for (let i = 0; i < n; i++) {
    const x = rng.int(1, max - 1);
    const s = rng.chance(0.5) ? sign : 0;
    push(x + s, x + (sign - s));
    push(x + s, x + 1 + (sign - s));
    push(x + 1 + s, x + (sign - s));
    push(x + s, x + 1 + s);
    // Half an ulp of x is 2^(e - bias - M - 1): exponent field e - M - 1, fraction 0 (when that is a
    // normal; below, a subnormal with one bit set).
    const e = Math.floor(x / 2 ** M);
    const halfField = e - M - 1;
    const half = halfField >= 1 ? halfField * 2 ** M : halfField > -M ? 2 ** (M - 1 + halfField) : 0;
    if (half === 0) continue;
    const threeHalves = halfField + 1 >= 1 ? (halfField + 1) * 2 ** M + 2 ** (M - 1) : half * 3;
    for (const y of [half, half + 1, half - 1, threeHalves]) {
      push(x + s, y + s);
      push(x + s, y + (sign - s));
    }
  }
}

/**
 * Pairs for a format too wide to test exhaustively: every pair of corner codes, aimed pairs, then
 * random pairs up to `total`: a third uniformly random codes (every exponent; mostly far apart, so the
 * smaller one is all sticky), two thirds with the second exponent near the first (-(M+4)..+2: where
 * alignment, cancellation and rounding all happen) and a random sign.
 */
export function mixedPairs(f: FpFormat, seed: number, total: number): Pairs {
  const rng = new Rng(seed);
  const a = new Uint32Array(total);
  const b = new Uint32Array(total);
  let n = 0;
  const push = (x: number, y: number) => {
    if (n < total) {
      a[n] = x;
      b[n] = y;
      n++;
    }
  };
  const corners = cornerCodes(f);
  for (const x of corners) for (const y of corners) push(x, y);
  aimedPairs(f, rng, Math.floor(total / 40), push);
  const codeMask = 2 ** f.bits - 1;
  const expField = 2 ** f.expBits - 1;
  while (n < total) {
    const x = f.bits === 32 ? rng.u32() : rng.u32() & codeMask;
    if (rng.int(0, 2) === 0) {
      push(x, f.bits === 32 ? rng.u32() : rng.u32() & codeMask);
      continue;
    }
    const e = Math.floor(x / 2 ** f.manBits) % (expField + 1);
    const ey = Math.min(expField, Math.max(0, e + rng.int(-(f.manBits + 4), 2)));
    const frac = rng.u32() % 2 ** f.manBits;
    const sy = rng.chance(0.5) ? 2 ** (f.bits - 1) : 0;
    push(x, sy + ey * 2 ** f.manBits + frac);
  }
  return { a, b };
}

/** The golden sums of pairs (fpAdd on each). */
export function goldenSums(f: FpFormat, p: Pairs): Uint32Array {
  const y = new Uint32Array(p.a.length);
  for (let i = 0; i < y.length; i++) y[i] = fpAdd(f, p.a[i], p.b[i]);
  return y;
}

/**
 * How many pairs of finite operands have an inexact sum, and how many an exact tie at the rounding
 * point (the sum lies exactly between two neighbours: a hair above and a hair below it round apart),
 * so a test can show its vectors reach the rounding logic.
 */
export function roundingCases(f: FpFormat, p: Pairs): { inexact: number; ties: number } {
  let inexact = 0;
  let ties = 0;
  for (let i = 0; i < p.a.length; i++) {
    const ca = classify(f, p.a[i]);
    const cb = classify(f, p.b[i]);
    if (ca === 'nan' || ca === 'inf' || cb === 'nan' || cb === 'inf') continue;
    const x = decode(f, p.a[i]);
    const y = decode(f, p.b[i]);
    const exp = Math.min(x.exp, y.exp);
    const sum = ((x.neg ? -x.sig : x.sig) << BigInt(x.exp - exp)) + ((y.neg ? -y.sig : y.sig) << BigInt(y.exp - exp));
    const mag = sum < 0n ? -sum : sum;
    if (mag === 0n) continue;
    if (encode(f, false, mag, exp).inexact) inexact++;
    // Four times finer: a quarter unit either side of the sum.
    if (encode(f, false, 4n * mag + 1n, exp - 2).code !== encode(f, false, 4n * mag - 1n, exp - 2).code && encode(f, false, mag, exp).inexact) ties++;
  }
  return { inexact, ties };
}

export { FP_FORMATS };
