// Stimulus for floating-point activations (Layout.act): bit patterns spread over the whole exponent
// range -- subnormals, both zeros, the largest finite values, exact cancellations (x and -x in one
// beat), runs of one sign -- and directed vectors for what the RTL documents: NaN and infinity
// lanes decode to 0, and sums that fall exactly on an FP32 rounding tie (out_format fp32).

import { FP_FORMATS, classify, maxFinite, type FpFormat } from '../core/fp/format.js';
import type { ActLanes } from '../generators/common/actFormat.js';
import type { Rng } from '../core/rng.js';

export interface FpActs {
  f: FpFormat;
  sign: number;
  /** Every finite pattern. */
  finite: Uint32Array;
  /** Every NaN and infinity pattern. */
  specials: number[];
  /** The largest finite positive pattern. */
  max: number;
}

const cache = new Map<string, FpActs>();

export function fpActs(act: ActLanes): FpActs {
  let a = cache.get(act.format);
  if (!a) {
    const f = FP_FORMATS[act.format];
    const finite: number[] = [];
    const specials: number[] = [];
    for (let c = 0; c < 2 ** f.bits; c++) {
      const k = classify(f, c);
      (k === 'nan' || k === 'inf' ? specials : finite).push(c);
    }
    a = { f, sign: 2 ** (f.bits - 1), finite: Uint32Array.from(finite), specials, max: maxFinite(f) };
    cache.set(act.format, a);
  }
  return a;
}

/** How a random vector draws its lanes (one regime per vector, so each stresses one thing). */
export const FP_REGIMES = ['any finite', 'one binade', 'one sign', 'subnormals and zeros', 'x and -x'] as const;

/** A random finite pattern. */
export const randomFinite = (a: FpActs, rng: Rng): number => a.finite[rng.u32() % a.finite.length];

/** Fills one beat's lanes with patterns of a regime; `band` is the vector's binade for 'one binade'. */
export function fillFpLanes(a: FpActs, regime: number, band: number, rng: Rng, out: Int32Array): void {
  const { f, sign } = a;
  const manMask = (1 << f.manBits) - 1;
  for (let i = 0; i < out.length; i++) {
    let c: number;
    switch (regime) {
      case 1: {
        // Neighbouring exponents: aligned additions with carries; redraw the one NaN pattern E4M3 has in its top binade.
        do c = (rng.u32() & sign) | (band << f.manBits) | (rng.u32() & manMask);
        while (classify(f, c) === 'nan' || classify(f, c) === 'inf');
        break;
      }
      case 2:
        c = randomFinite(a, rng) & ~sign;
        break;
      case 3:
        c = (rng.u32() & sign) | (rng.u32() & manMask);
        break;
      case 4:
        c = i % 2 === 0 ? randomFinite(a, rng) : out[i - 1] ^ sign;
        break;
      default:
        c = randomFinite(a, rng);
    }
    out[i] = c;
  }
}

/** The binade a 'one binade' vector uses: any finite exponent field. */
export function randomBand(a: FpActs, rng: Rng): number {
  const top = a.f.specials === 'e4m3' ? (1 << a.f.expBits) - 1 : (1 << a.f.expBits) - 2;
  return rng.u32() % (top + 1);
}

/**
 * Terms whose sum (in the decoder's units) falls exactly on an FP32 rounding tie, and next to it. B is
 * the format's largest power of two (2^P units), repeated `count` times so that the sum 2^L has at
 * least 25 bits (L = max(P, 25): FP32 rounds only past 24); h = half an FP32 ulp at 2^L (2^(L-24)
 * units), u = one ulp. Ties to even keep 2^L + h at 2^L and round 2^L + u + h up; 2^L + h + 1 unit
 * rounds up; and the negatives. The terms go into the lanes of a beat filled with weights of 1, beat
 * after beat (E4M3 needs 256 terms of 256.0: several beats). `codeOf` gives the lane code of a power of
 * two in units, or undefined when the format has none.
 */
export function tieTerms(topPow: number, codeOf: (e: number) => number | undefined, negate: (c: number) => number): { kind: string; terms: number[] }[] {
  const P = topPow;
  const L = Math.max(P, 25);
  const B = codeOf(P);
  const h = codeOf(L - 24);
  const u = codeOf(L - 23);
  const one = codeOf(0);
  if (B === undefined || h === undefined || u === undefined || one === undefined) return [];
  const big = Array.from({ length: 2 ** (L - P) }, () => B);
  const neg = (l: number[]) => l.map(negate);
  return [
    { kind: 'FP32 tie, even: B + h rounds down to B', terms: [...big, h] },
    { kind: 'FP32 tie, odd: B + u + h rounds up', terms: [...big, u, h] },
    { kind: 'FP32 past a tie: B + h + 1 unit rounds up', terms: [...big, h, one] },
    { kind: 'FP32 tie, even, negative', terms: neg([...big, h]) },
    { kind: 'FP32 tie, odd, negative', terms: neg([...big, u, h]) },
  ];
}

/** tieTerms for a floating-point format: powers of two are patterns (normal or subnormal). */
export function fpTieTerms(a: FpActs): { kind: string; terms: number[] }[] {
  const { f, sign } = a;
  const topField = f.specials === 'e4m3' ? (1 << f.expBits) - 1 : (1 << f.expBits) - 2;
  const codeOf = (e: number): number | undefined => {
    // 2^e units: a normal number with exponent field e - manBits + 1, or a subnormal's fraction bit e
    const field = e - f.manBits + 1;
    if (field >= 1 && field <= topField) return field << f.manBits;
    if (e >= 0 && e < f.manBits) return 1 << e;
    return undefined;
  };
  return tieTerms(topField - 1 + f.manBits, codeOf, (c) => c ^ sign);
}

/** tieTerms for act_bits-bit integers: the largest power of two is 2^(act_bits-2). */
export function intTieTerms(actBits: number): { kind: string; terms: number[] }[] {
  return tieTerms(actBits - 2, (e) => (e >= 0 && e <= actBits - 2 ? 2 ** e : undefined), (c) => -c);
}
