// The floating-point formats (core/fp/format.ts): every bit pattern of the 8- and 16-bit formats,
// FP16 against @petamoriken/float16, BF16 against float32's top half, FP32 against Math.fround, and
// the OCP FP8 facts the spec states.
import { describe, expect, it } from 'vitest';
import { f16round, getFloat16 } from '@petamoriken/float16';
import { FP_FORMATS, classify, decode, encode, encodeInt, encodeNumber, maxFinite, minExponent, toNumber, toUnits, unitsBits, type FpFormat } from '../../core/fp/format.js';
import { bfloat16ToNumber, halfToNumber } from '../../core/tensors/floats.js';
import { Rng } from '../../core/rng.js';
import { testSeed } from '../helpers.js';

const SMALL = ['fp16', 'bf16', 'fp8e4m3', 'fp8e5m2'] as const;

describe('every bit pattern', () => {
  for (const name of SMALL) {
    const f = FP_FORMATS[name];
    it(`${name}: decode then encode gives the pattern back; units and doubles agree`, () => {
      let finite = 0;
      for (let code = 0; code < 2 ** f.bits; code++) {
        const c = classify(f, code);
        if (c === 'nan' || c === 'inf') continue;
        finite++;
        const d = decode(f, code);
        const back = encode(f, d.neg, d.sig, d.exp);
        if (back.code !== code || back.inexact || back.overflow) throw new Error(`${name} 0x${code.toString(16)}: encode(decode) = ${JSON.stringify(back)}`);
        const units = toUnits(f, code);
        const x = toNumber(f, code);
        // units * 2^minExponent is the value (exact in a double; BF16's units pass 2^53, checked as BigInt)
        if (f.name === 'bf16') {
          if (units * (x < 0 ? -1n : 1n) !== BigInt(Math.abs(x) * 2 ** -minExponent(f))) throw new Error(`bf16 0x${code.toString(16)}: units ${units} vs ${x}`);
        } else if ( Number(units) * 2 ** minExponent(f) !== x) throw new Error(`${name} 0x${code.toString(16)}: units ${units} vs ${x}`);
      }
      // finite patterns: FP16 2*(31*1024) = 63488, BF16 2*(255*128) = 65280, E4M3 all but 2 NaNs, E5M2 2*(31*4) = 248
      expect(finite).toBe({ fp16: 63488, bf16: 65280, fp8e4m3: 254, fp8e5m2: 248 }[name]);
    });
  }

  it('fp16 decodes as @petamoriken/float16 and lowbit\'s tensor loader do, every pattern', () => {
    const view = new DataView(new ArrayBuffer(2));
    for (let code = 0; code < 65536; code++) {
      view.setUint16(0, code);
      const lib = getFloat16(view, 0);
      const ours = toNumber(FP_FORMATS.fp16, code);
      if (!Object.is(lib, ours) && !(Number.isNaN(lib) && Number.isNaN(ours))) throw new Error(`0x${code.toString(16)}: library ${lib}, ours ${ours}`);
      if (code & 0x8000 && classify(FP_FORMATS.fp16, code) === 'zero') expect(Object.is(ours, -0)).toBe(true);
      const loader = halfToNumber(code);
      if (!Object.is(loader, ours) && !(Number.isNaN(loader) && Number.isNaN(ours))) throw new Error(`0x${code.toString(16)}: loader ${loader}, ours ${ours}`);
    }
  });

  it('bf16 is float32\'s top half, every pattern', () => {
    for (let code = 0; code < 65536; code++) {
      const ref = bfloat16ToNumber(code);
      const ours = toNumber(FP_FORMATS.bf16, code);
      if (!Object.is(ref, ours) && !(Number.isNaN(ref) && Number.isNaN(ours))) throw new Error(`0x${code.toString(16)}: ${ref} vs ${ours}`);
    }
  });
});

describe('rounding to a format (RNE, subnormals, overflow)', () => {
  it('doubles round to fp16 as @petamoriken/float16 rounds them (seeded)', () => {
    const seed = testSeed('fp16 rounding');
    const rng = new Rng(seed);
    const f = FP_FORMATS.fp16;
    const view = new DataView(new ArrayBuffer(2));
    const check = (x: number) => {
      const e = encodeNumber(f, x);
      const lib = f16round(x);
      view.setUint16(0, e.code);
      const ours = e.overflow ? (x < 0 ? -Infinity : Infinity) : getFloat16(view, 0);
      if (!Object.is(ours, lib)) throw new Error(`seed ${seed}: fp16 rounding of ${x}: ours ${ours}, library ${lib}`);
    };
    // Every tie between neighbouring patterns, and a hair either side of it.
    for (let code = 0; code < 0x7bff; code++) {
      const a = toNumber(f, code);
      const b = toNumber(f, code + 1);
      const mid = (a + b) / 2;
      for (const x of [mid, -mid, mid * (1 + 2 ** -40), mid * (1 - 2 ** -40)]) check(x);
    }
    for (let i = 0; i < 200_000; i++) {
      const x = (rng.u32() / 2 ** 32 - 0.5) * 2 ** rng.int(-30, 17);
      check(x);
    }
    for (const x of [65504, 65519.99, 65520, 65536, 2 ** -24, 2 ** -25, 2 ** -25 * 1.0001, 3 * 2 ** -26, 0, -0]) check(x);
  });

  it('doubles round to fp32 as Math.fround rounds them (seeded)', () => {
    const seed = testSeed('fp32 rounding');
    const rng = new Rng(seed);
    const f = FP_FORMATS.fp32;
    const buf = new DataView(new ArrayBuffer(4));
    for (let i = 0; i < 100_000; i++) {
      const x = (rng.u32() / 2 ** 32 - 0.5) * 2 ** rng.int(-160, 130) + (rng.u32() % 7 === 0 ? 2 ** -149 * (rng.u32() % 5) / 2 : 0);
      const e = encodeNumber(f, x);
      buf.setUint32(0, e.code);
      const ours = e.overflow ? (x < 0 ? -Infinity : Infinity) : buf.getFloat32(0);
      if (!Object.is(ours, Math.fround(x))) throw new Error(`seed ${seed}: fp32 rounding of ${x}: ours ${ours}, Math.fround ${Math.fround(x)}`);
    }
  });

  it('integers past 2^53 round exactly (BigInt, never a double)', () => {
    const f = FP_FORMATS.fp32;
    // 2^60 + 2^36: exactly between two fp32 values (ulp 2^37 at 2^60): ties to even -> 2^60
    expect(encodeInt(f, (1n << 60n) + (1n << 36n), 0).code).toBe(0x5d800000);
    // one unit more breaks the tie upwards -- invisible to a double, which cannot hold 2^60 + 2^36 + 1
    expect(encodeInt(f, (1n << 60n) + (1n << 36n) + 1n, 0).code).toBe(0x5d800001);
    expect(encodeInt(f, -((1n << 60n) + 3n * (1n << 36n)), 0).code).toBe((0xdd800002) >>> 0);
    expect(encodeInt(f, 0n, -24).code).toBe(0);
  });

  it('states the OCP FP8 and IEEE facts', () => {
    const { fp16, bf16, fp8e4m3, fp8e5m2 } = FP_FORMATS;
    expect(toNumber(fp8e4m3, maxFinite(fp8e4m3))).toBe(448);
    expect(toNumber(fp8e5m2, maxFinite(fp8e5m2))).toBe(57344);
    expect(toNumber(fp16, maxFinite(fp16))).toBe(65504);
    expect(minExponent(fp16)).toBe(-24);
    expect(minExponent(fp8e5m2)).toBe(-16);
    expect(minExponent(fp8e4m3)).toBe(-9);
    expect(classify(fp8e4m3, 0x7f)).toBe('nan');
    expect(classify(fp8e4m3, 0xff)).toBe('nan');
    expect(classify(fp8e4m3, 0x78)).toBe('normal'); // 256: exponent 15 is an ordinary binade
    expect(classify(fp8e5m2, 0x7c)).toBe('inf');
    expect(classify(fp8e5m2, 0x7d)).toBe('nan');
    expect([fp16, fp8e5m2, fp8e4m3, bf16].map(unitsBits)).toEqual([41, 33, 19, 262]);
    // E4M3 has no infinity: overflow is NaN. 464 is the tie between 448 (significand 1110, even) and
    // 480 (1111, the NaN pattern's place): ties to even keep 448; anything above rounds to 480 and overflows.
    expect(encodeNumber(fp8e4m3, 464)).toEqual({ code: 0x7e, inexact: true, overflow: false });
    expect(encodeNumber(fp8e4m3, 464.5)).toEqual({ code: 0x7f, inexact: true, overflow: true });
    expect(encodeNumber(fp8e4m3, -480)).toEqual({ code: 0xff, inexact: true, overflow: true });
    expect(encodeNumber(fp8e5m2, -61440)).toEqual({ code: 0xfc, inexact: true, overflow: true });
  });
});

export type { FpFormat };
