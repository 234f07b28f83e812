// The floating-point adder's golden model (core/fp/add.ts): hand-computed cases (ties to even at several
// rounding points, cancellation, signed zeros, subnormals, overflow, the special values), then two
// independent cross-checks: fp32 against JavaScript doubles (Math.fround(x + y)) and fp16 against
// @petamoriken/float16 (f16round(x + y)), every fp8 pair against doubles too.
import { describe, expect, it } from 'vitest';
import { f16round } from '@petamoriken/float16';
import { FP_FORMATS, classify, maxFinite, toNumber, type FpFormat } from '../../core/fp/format.js';
import { canonicalNaN, fpAdd } from '../../core/fp/add.js';
import { Rng } from '../../core/rng.js';
import { testSeed } from '../helpers.js';

const { fp16, bf16, fp32, fp8e4m3: e4m3, fp8e5m2: e5m2 } = FP_FORMATS;
const hex = (x: number) => `0x${x.toString(16)}`;

describe('fpAdd: hand-computed cases', () => {
  it('defines the canonical NaNs', () => {
    expect([fp16, bf16, fp32, e4m3, e5m2].map(canonicalNaN).map(hex)).toEqual(['0x7e00', '0x7fc0', '0x7fc00000', '0x7f', '0x7e']);
    for (const f of [fp16, bf16, fp32, e4m3, e5m2]) expect(classify(f, canonicalNaN(f))).toBe('nan');
  });

  it('exact sums', () => {
    expect(fpAdd(fp16, 0x3c00, 0x3c00)).toBe(0x4000); // 1 + 1 = 2
    expect(fpAdd(fp16, 0x3e00, 0xbc00)).toBe(0x3800); // 1.5 - 1 = 0.5
    expect(fpAdd(fp32, 0x3f800000, 0x40000000)).toBe(0x40400000); // 1 + 2 = 3
    expect(fpAdd(e4m3, 0x38, 0x38)).toBe(0x40); // 1 + 1 = 2
  });

  it('ties to even at several rounding points', () => {
    // fp16 at 1: ulp 2^-10. 1 + 2^-11 is a tie between 1 (even) and 1+ulp: 1.
    expect(fpAdd(fp16, 0x3c00, 0x1000)).toBe(0x3c00);
    // 1+ulp (odd) + 2^-11: tie between 1+ulp and 1+2ulp (even): up.
    expect(fpAdd(fp16, 0x3c01, 0x1000)).toBe(0x3c02);
    // just above the tie (2^-11 + 2^-24, the smallest subnormal) rounds up, even from even.
    expect(fpAdd(fp16, 0x3c00, 0x1001)).toBe(0x3c01);
    // fp16 at 2048: ulp 2; 2048 + 1 is a tie -> 2048; 2050 + 1 -> 2052.
    expect(fpAdd(fp16, 0x6800, 0x3c00)).toBe(0x6800);
    expect(fpAdd(fp16, 0x6801, 0x3c00)).toBe(0x6802);
    // Subtraction: 2048 - 1 = 2047 is exact (ulp 1 below 2048); 4096 - 1 = 4095 lies in [2048, 4096)
    // where the ulp is 2: a tie between 4094 (odd fraction 0x3ff) and 4096 (even): 4096.
    expect(fpAdd(fp16, 0x6800, 0xbc00)).toBe(0x67ff);
    expect(fpAdd(fp16, 0x6c00, 0xbc00)).toBe(0x6c00);
    // fp32: 2^24 + 1 -> 2^24 (tie, even); (2^24 + 2) + 1 -> 2^24 + 4.
    expect(fpAdd(fp32, 0x4b800000, 0x3f800000)).toBe(0x4b800000);
    expect(fpAdd(fp32, 0x4b800001, 0x3f800000)).toBe(0x4b800002);
    // bf16: 1 + 2^-8 is the tie (ulp 2^-7): 1; 1 + 3*2^-8 is the tie between 1+ulp (odd) and 1+2ulp: up.
    expect(fpAdd(bf16, 0x3f80, 0x3b80)).toBe(0x3f80);
    expect(fpAdd(bf16, 0x3f80, 0x3c40)).toBe(0x3f82);
    // E5M2 at 1: ulp 0.25; 1 + 0.125 -> 1; 1.25 + 0.125 -> 1.5.
    expect(fpAdd(e5m2, 0x3c, 0x30)).toBe(0x3c);
    expect(fpAdd(e5m2, 0x3d, 0x30)).toBe(0x3e);
  });

  it('signed zeros: cancellation is +0, -0 + -0 is -0', () => {
    expect(fpAdd(fp16, 0x3c00, 0xbc00)).toBe(0x0000);
    expect(fpAdd(fp16, 0xbc00, 0x3c00)).toBe(0x0000);
    expect(fpAdd(fp16, 0x8000, 0x8000)).toBe(0x8000);
    expect(fpAdd(fp16, 0x8000, 0x0000)).toBe(0x0000);
    expect(fpAdd(fp16, 0x0000, 0x8000)).toBe(0x0000);
    expect(fpAdd(fp16, 0x8000, 0xbc00)).toBe(0xbc00); // -0 + x = x
    expect(fpAdd(fp32, 0x80000001, 0x00000001)).toBe(0); // subnormal cancellation
    expect(fpAdd(e4m3, 0x80, 0x80)).toBe(0x80);
  });

  it('subnormals in and out, no flush to zero', () => {
    expect(fpAdd(fp16, 0x0001, 0x0001)).toBe(0x0002); // 2^-24 + 2^-24
    expect(fpAdd(fp16, 0x03ff, 0x0001)).toBe(0x0400); // max subnormal + min subnormal = min normal
    expect(fpAdd(fp16, 0x0200, 0x0200)).toBe(0x0400); // subnormal + subnormal -> normal
    expect(fpAdd(fp16, 0x0400, 0x8001)).toBe(0x03ff); // min normal - min subnormal -> max subnormal
    expect(fpAdd(e4m3, 0x04, 0x04)).toBe(0x08); // 2^-7 = 4 * 2^-9, twice: 2^-6, the min normal
    expect(fpAdd(e5m2, 0x01, 0x02)).toBe(0x03);
    // Normal minus subnormal landing among the subnormals: 2^-14 - 3 * 2^-24 = 1021 * 2^-24.
    expect(fpAdd(fp16, 0x0400, 0x8003)).toBe(0x03fd);
  });

  it('overflow: infinity (IEEE), NaN (E4M3); E4M3 448 + 16 is the tie that stays 448', () => {
    expect(fpAdd(fp16, 0x7bff, 0x7bff)).toBe(0x7c00);
    expect(fpAdd(fp16, 0xfbff, 0xfbff)).toBe(0xfc00);
    // 65504 + 16 = 65520: the tie between 65504 (odd significand 0x3ff) and 65536 (even, overflow): inf.
    expect(fpAdd(fp16, 0x7bff, 0x4c00)).toBe(0x7c00);
    // 65504 + 8 stays 65504 (below the tie).
    expect(fpAdd(fp16, 0x7bff, 0x4800)).toBe(0x7bff);
    expect(fpAdd(fp32, 0x7f7fffff, 0x7f7fffff)).toBe(0x7f800000);
    expect(fpAdd(e5m2, 0x7b, 0x7b)).toBe(0x7c);
    // E4M3: 0x58 is 16 (exponent field 11, bias 7), 0x60 is 32.
    expect(fpAdd(e4m3, 0x7e, 0x58)).toBe(0x7e); // 448 + 16 = 464: tie between 448 (1.110) and 480: 448
    expect(fpAdd(e4m3, 0x7e, 0x60)).toBe(0x7f); // 448 + 32 = 480: overflow: NaN
    expect(fpAdd(e4m3, 0xfe, 0xe0)).toBe(0x7f); // -480: the canonical NaN, positive
    expect(fpAdd(e4m3, 0x7e, 0x7e)).toBe(0x7f);
    expect(fpAdd(e4m3, 0x7d, 0x58)).toBe(0x7e); // 416 + 16 = 432: tie between 416 (1.101, odd) and 448: 448
  });

  it('NaNs, infinities', () => {
    expect(fpAdd(fp16, 0x7c01, 0x3c00)).toBe(0x7e00); // signalling NaN in: canonical quiet NaN out
    expect(fpAdd(fp16, 0x3c00, 0xfe55)).toBe(0x7e00);
    expect(fpAdd(fp16, 0x7c00, 0xfc00)).toBe(0x7e00); // inf - inf
    expect(fpAdd(fp16, 0x7c00, 0x7c00)).toBe(0x7c00);
    expect(fpAdd(fp16, 0xfc00, 0x7bff)).toBe(0xfc00); // -inf + max finite
    expect(fpAdd(fp16, 0x3c00, 0xfc00)).toBe(0xfc00);
    expect(fpAdd(e5m2, 0x7c, 0xfc)).toBe(0x7e);
    expect(fpAdd(e4m3, 0xff, 0x38)).toBe(0x7f);
    expect(fpAdd(e4m3, 0x78, 0x78)).toBe(0x7f); // 256 + 256 = 512: overflow
    expect(fpAdd(fp32, 0xff800000, 0x7f800000)).toBe(0x7fc00000);
  });
});

/** A code's value as a double, or the code of a double result (NaN compared as a class). */
function sameAsDouble(f: FpFormat, code: number, x: number): boolean {
  if (Number.isNaN(x)) return classify(f, code) === 'nan';
  return Object.is(toNumber(f, code), x);
}

describe('fpAdd against doubles (independent cross-checks)', () => {
  // Why a double sum rounded again gives the correctly rounded result: two p-bit floats have an exact
  // sum; the double sum rounds it to 53 bits, and rounding that to p bits equals rounding the exact sum
  // once whenever 53 >= 2p + 2 (double rounding is innocuous for +, -, *, /, sqrt: S. Figueroa, "When is
  // double rounding innocuous?", SIGNUM 1995). p = 24 (fp32): 53 >= 50; p = 11 (fp16), 8 (bf16), 4, 3:
  // the double sum is exact anyway (every fp16 sum fits 41 bits). Overflow: the double is finite and
  // rounds to +-Infinity exactly where the format overflows; zeros follow the same IEEE sign rule.
  it('fp32: Math.fround(x + y) for random pairs over the whole exponent range (seeded)', () => {
    const seed = testSeed('fpAdd fp32 vs doubles');
    const rng = new Rng(seed);
    const view = new DataView(new ArrayBuffer(4));
    const asFloat = (c: number) => (view.setUint32(0, c), view.getFloat32(0));
    for (let i = 0; i < 200_000; i++) {
      const a = rng.u32();
      // Half the pairs with nearby exponents (where rounding and cancellation happen).
      const b = i & 1 ? rng.u32() : ((a & 0x7f800000) + ((rng.int(-26, 3) << 23) | (rng.u32() & 0x807fffff))) >>> 0;
      const x = asFloat(a) + asFloat(b);
      const got = fpAdd(fp32, a, b);
      if (!sameAsDouble(fp32, got, Math.fround(x))) throw new Error(`seed ${seed}: fp32 ${hex(a)} + ${hex(b)}: golden ${hex(got)}, Math.fround ${Math.fround(x)}`);
    }
  });

  it('fp16: f16round(x + y) for random pairs (seeded)', () => {
    const seed = testSeed('fpAdd fp16 vs float16');
    const rng = new Rng(seed);
    for (let i = 0; i < 200_000; i++) {
      const a = rng.u32() & 0xffff;
      const b = i & 1 ? rng.u32() & 0xffff : (a & 0xfc00) + ((rng.int(-13, 2) << 10) | (rng.u32() & 0x83ff)) & 0xffff;
      const x = toNumber(fp16, a) + toNumber(fp16, b);
      const got = fpAdd(fp16, a, b);
      if (!sameAsDouble(fp16, got, f16round(x))) throw new Error(`seed ${seed}: fp16 ${hex(a)} + ${hex(b)}: golden ${hex(got)}, f16round ${f16round(x)}`);
    }
  });

  it('every fp8 pair: the exact double sum rounded by the format encoder agrees (E4M3 overflow is the canonical NaN)', () => {
    for (const f of [e4m3, e5m2]) {
      for (let a = 0; a < 256; a++) {
        for (let b = 0; b < 256; b++) {
          const got = fpAdd(f, a, b);
          const x = toNumber(f, a) + toNumber(f, b); // exact: fp8 sums need at most 21 bits
          if (Number.isNaN(x)) {
            if (got !== canonicalNaN(f)) throw new Error(`${f.name} ${hex(a)} + ${hex(b)}: ${hex(got)}, not the canonical NaN`);
            continue;
          }
          // The nearest code by value (ties to even), found by search: independent of encode's arithmetic.
          const want = nearestCode(f, x);
          if (got !== want) throw new Error(`${f.name} ${hex(a)} + ${hex(b)} = ${x}: golden ${hex(got)}, nearest ${hex(want)}`);
        }
      }
    }
  });
});

/**
 * The code nearest x by brute force over every magnitude code (ties: the even code, which is the even
 * significand), with one virtual code past the largest finite: maxFinite + 1, worth max + its ulp. It
 * is even for IEEE formats (the first code of the next binade: ties overflow to infinity) and odd for
 * E4M3 (S.1111.111, 480: the tie 464 stays 448). Rounding to it is overflow.
 */
const tables = new Map<FpFormat, number[]>();
/** Values of the magnitude codes 0..maxFinite, and of the virtual code past them. */
function magnitudes(f: FpFormat): number[] {
  let t = tables.get(f);
  if (!t) {
    const max = maxFinite(f);
    t = Array.from({ length: max + 1 }, (_, c) => toNumber(f, c));
    t.push(2 * t[max] - t[max - 1]);
    tables.set(f, t);
  }
  return t;
}

function nearestCode(f: FpFormat, x: number): number {
  if (x === 0) return Object.is(x, -0) ? 2 ** (f.bits - 1) : 0;
  if (!Number.isFinite(x)) return (x < 0 ? 2 ** (f.bits - 1) : 0) + maxFinite(f) + 1; // an infinity operand (IEEE only)
  const max = maxFinite(f);
  const values = magnitudes(f);
  const mag = Math.abs(x);
  let best = 0;
  for (let c = 1; c <= max + 1; c++) {
    const d = Math.abs(values[c] - mag) - Math.abs(values[best] - mag);
    if (d < 0 || (d === 0 && (c & 1) === 0)) best = c;
  }
  if (best > max) return f.specials === 'e4m3' ? canonicalNaN(f) : (x < 0 ? 2 ** (f.bits - 1) : 0) + max + 1;
  return (x < 0 ? 2 ** (f.bits - 1) : 0) + best;
}
