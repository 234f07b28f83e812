// Activation formats on every family (generators/common/fpFront.ts): the parameters and their exact
// errors, integer designs unchanged byte for byte, the layout and golden model of floating-point ones
// against an independent computation in doubles, and the stimulus's directed vectors.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { getFamily } from '../../generators/registry.js';
import { ternaryArray } from '../../generators/ternary/index.js';
import { denseArray } from '../../generators/dense/index.js';
import { FP_FORMATS, encodeNumber, toNumber } from '../../core/fp/format.js';
import { Schedule, newBeat } from '../../testbenches/stimulus.js';
import { GoldenModel, ResultChecker } from '../../testbenches/compare.js';
import { Rng } from '../../core/rng.js';
import { lowbit, testSeed, tmp } from '../helpers.js';

const msg = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

describe('parameters', () => {
  const t = getFamily('ternary');
  it('every family has act_format, fp_mode and out_format after act_bits', () => {
    for (const name of ['ternary', 'dense', 'nmsparse', 'lutgemm']) {
      const names = getFamily(name).schema.params.map((s) => s.name);
      expect(names.slice(names.indexOf('act_bits'), names.indexOf('act_bits') + 4)).toEqual(['act_bits', 'act_format', 'fp_mode', 'out_format']);
    }
  });
  it('a floating-point format sets act_bits to its decoded width', () => {
    expect(t.resolve({ act_format: 'fp16' }).act_bits).toBe(41);
    expect(t.resolve({ act_format: 'fp8e5m2' }).act_bits).toBe(33);
    expect(t.resolve({ act_format: 'fp8e4m3' }).act_bits).toBe(19);
    // given equal to it: fine (resolved parameters resolve to themselves)
    const p = t.resolve({ act_format: 'fp16', k: 8 });
    expect(t.resolve(p)).toEqual(p);
  });
  it('refuses what does not fit, in words that name the parameter, the range and the value', () => {
    expect(msg(() => t.resolve({ act_format: 'bf16' }))).toBe(
      'act_format bf16 cannot use fp_mode exact: its values span 262-bit integers in units of its smallest subnormal (2^-133), past the 48 bits exact mode allows; use fp16, fp8e4m3 or fp8e5m2 in exact mode',
    );
    expect(msg(() => t.resolve({ act_format: 'fp16', act_bits: 8 }))).toBe('act_bits is set by act_format fp16 (fp_mode exact: 41-bit integers in units of 2^-24), not 8; leave it out');
    expect(msg(() => t.resolve({ act_bits: 20 }))).toBe('act_bits must be an integer in 2..16, not 20');
    expect(msg(() => t.resolve({ act_format: 'fp64' }))).toBe('act_format must be one of int, fp16, bf16, fp8e4m3, fp8e5m2, not "fp64"');
    expect(msg(() => t.resolve({ out_format: 'fp16' }))).toBe('out_format must be one of int, fp32, not "fp16"');
    expect(msg(() => getFamily('dense').resolve({ act_format: 'fp16', k: 1024, max_beats: 65536 }))).toBe(
      'act_format fp16 (fp_mode exact: 41-bit integer activations) needs a 75-bit accumulator to be exact here, past acc_bits\' 2..64: lower k or max_beats, or give a narrower acc_bits with overflow wrap or saturate',
    );
    expect(msg(() => getFamily('dense').resolve({ act_format: 'fp16', acc_bits: 70 }))).toBe('acc_bits must be an integer in 2..64, not 70 (act_format fp16: 41-bit integer activations)');
    // narrowed on purpose: fine
    expect(getFamily('dense').resolve({ act_format: 'fp16', k: 1024, max_beats: 65536, acc_bits: 64, overflow: 'saturate' }).acc_bits).toBe(64);
    expect(msg(() => t.resolve({ w_bits: 4 }))).toMatch(/^ternary has no parameter w_bits \(it has: rows, k, act_bits, act_format, fp_mode, out_format, encoding/);
  });
  it('bf16 exact on the command line: exit 2, the message, nothing written', async () => {
    const out = join(tmp('bf16'), 'rtl');
    const r = await lowbit(['gen', 'ternary', '--act-format', 'bf16', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('act_format bf16 cannot use fp_mode exact');
    expect(existsSync(out)).toBe(false);
  });
});

describe('prove', () => {
  it('refuses floating-point designs (no behavioural reference yet): exit 2, nothing written', async () => {
    const out = join(tmp('fp-prove'), 'rtl');
    const r = await lowbit(['prove', 'ternary', '--rows', '2', '--k', '4', '--act-format', 'fp16', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('prove covers integer activations and outputs (act_format int, out_format int), not act_format fp16');
    expect(existsSync(out)).toBe(false);
  });
});

describe('designs', () => {
  it('integer activations and outputs are the family\'s own design, byte for byte', () => {
    for (const [name, array, raw] of [['ternary', ternaryArray, { rows: 3, k: 7 }], ['dense', denseArray, { rows: 2, k: 5, w_bits: 4 }]] as const) {
      const f = getFamily(name);
      const p = f.resolve(raw);
      const own = array as unknown as { resolve(r: object): never; generate(p: never, top: string): unknown };
      expect(f.generate(p, 'top')).toEqual(own.generate(own.resolve(raw), 'top'));
    }
  });
  it('a floating-point design: in_act lanes of the format, FP32 rows, the array inside, every file naming the parameters', () => {
    const f = getFamily('ternary');
    const p = f.resolve({ rows: 2, k: 4, act_format: 'fp8e4m3', out_format: 'fp32' });
    const l = f.layout(p);
    expect(l).toMatchObject({ actBits: 8, accBits: 32, act: { format: 'fp8e4m3', bits: 8, unitsBits: 19, unitExp: -9 }, out: { format: 'fp32', unitExp: -9 } });
    const rtl = f.generate(p, 'top');
    expect(rtl.files.map((x) => x.name)).toEqual(['lowbit_fp_decode.v', 'lowbit_int_to_fp.v', 'lowbit_stream_acc.v', 'top_array_row.v', 'top_array.v', 'top.v']);
    for (const file of rtl.files.filter((x) => x.name.startsWith('top'))) {
      expect(file.content).toContain('act_format=fp8e4m3');
      expect(file.content).toContain('Regenerate: lowbit gen ternary --rows 2 --k 4 --act-format fp8e4m3 --out-format fp32');
    }
    expect(() => f.referenceRow(p)).toThrow(/prove covers integer activations and outputs/);
  });
});

describe('comparison of wide rows', () => {
  it('a BigInt expectation (accumulators past 52 bits) equals a small actual read as a Number', () => {
    // fp16 exact at k 8, max_beats 256: a 53-bit accumulator, so the golden model accumulates in BigInt
    const f = getFamily('ternary');
    const l = f.layout(f.resolve({ rows: 2, k: 8, act_format: 'fp16' }));
    expect(l.accBits).toBeGreaterThan(52);
    const check = new ResultChecker(l, 4, { describe: () => ({ kind: 'test', beats: 1 }), stopAtMismatch: false });
    check.expect(BigInt64Array.from([0n, 5n]));
    check.expect(BigInt64Array.from([-1n, (1n << 51n) + 3n]));
    // rows at [r*accBits +: accBits], 4 words per result
    const words = new Uint32Array(8);
    const put = (j: number, r: number, v: bigint) => {
      const u = BigInt.asUintN(l.accBits, v);
      for (let b = 0; b < l.accBits; b++) if ((u >> BigInt(b)) & 1n) words[j * 4 + ((r * l.accBits + b) >> 5)] |= 1 << ((r * l.accBits + b) & 31);
    };
    put(0, 1, 5n);
    put(1, 0, -1n);
    put(1, 1, (1n << 51n) + 3n);
    check.take({ count: 2, words });
    expect(check.mismatch).toBeUndefined();
    expect(check.compared).toBe(2);
    // and a wrong one is still wrong
    check.expect(BigInt64Array.from([0n, 6n]));
    const w2 = new Uint32Array(4);
    w2.set(words.subarray(0, 4));
    check.take({ count: 1, words: w2 });
    expect(check.mismatch).toMatchObject({ vector: 2, row: 1, expected: '6', actual: '5' });
  });
});

describe('golden model', () => {
  it('decodes patterns and rounds the exact sum once to FP32, as doubles and Math.fround do (seeded)', () => {
    const seed = testSeed('act format golden');
    const rng = new Rng(seed);
    const f = getFamily('dense');
    const p = f.resolve({ rows: 3, k: 5, w_bits: 4, max_beats: 4, act_format: 'fp16', out_format: 'fp32' });
    for (let t = 0; t < 200; t++) {
      const beats = 1 + (rng.u32() % 4);
      const codes = Array.from({ length: beats * 5 }, () => {
        let c;
        do c = rng.u32() & 0xffff;
        while ((c & 0x7c00) === 0x7c00);
        return c;
      });
      const w = Array.from({ length: 3 }, () => Array.from({ length: beats * 5 }, () => rng.int(-8, 7)));
      const got = f.model(p, w, codes);
      const vals = codes.map((c) => toNumber(FP_FORMATS.fp16, c));
      // Independent: every product and sum is exact in doubles here (multiples of 2^-24 below 2^19: under
      // 2^43 units, 20 terms under 2^48), and Math.fround rounds to nearest even.
      const want = w.map((row) => {
        const s = row.reduce((a, wi, i) => a + wi * vals[i], 0);
        return BigInt(encodeNumber(FP_FORMATS.fp32, Math.fround(s)).code | 0);
      });
      expect(got, `seed ${seed}`).toEqual(want);
    }
  });

  // Each directed tie vector through the golden model: the FP32 pattern of its row.
  function tieRows(raw: Record<string, unknown>) {
    const f = getFamily('ternary');
    const p = f.resolve({ rows: 1, ...raw, out_format: 'fp32' });
    const l = f.layout(p);
    const s = new Schedule(f, p, 1, 100);
    const kinds = s.directed.map((d) => d().kind);
    const golden = new GoldenModel(l, p.overflow);
    const rowOf = (kind: string) => {
      expect(kinds).toContain(kind);
      const src = s.directed[kinds.indexOf(kind)]();
      const beat = newBeat(l);
      const acc = golden.begin();
      for (let b = 0; b < src.beats; b++) {
        src.next(beat);
        golden.step(acc, beat);
      }
      return Number(golden.finish(acc)[0]) >>> 0;
    };
    return { kinds, rowOf };
  }

  it('the directed tie vectors land on FP32 ties and round to even (B + h down, B + u + h up): fp16 in one beat', () => {
    const { kinds, rowOf } = tieRows({ k: 4, max_beats: 2, act_format: 'fp16' });
    expect(kinds).toEqual(expect.arrayContaining(['+0 and -0', 'NaN and infinity lanes (decode to 0)', 'x and -x in one beat (exact cancellation)']));
    expect(rowOf('FP32 tie, even: B + h rounds down to B')).toBe(0x47000000); // 2^15
    expect(rowOf('FP32 tie, odd: B + u + h rounds up')).toBe(0x47000002); // 2^15 (1 + 2^-22)
    expect(rowOf('FP32 past a tie: B + h + 1 unit rounds up')).toBe(0x47000001);
    expect(rowOf('FP32 tie, even, negative')).toBe(0xc7000000);
    expect(rowOf('x and -x in one beat (exact cancellation)')).toBe(0);
  });

  it('E4M3 and 16-bit integers reach FP32 ties over several beats (256 x 256.0 = 2^16; 2048 x 2^14 = 2^25)', () => {
    const e4 = tieRows({ k: 4, max_beats: 72, act_format: 'fp8e4m3' });
    expect(e4.rowOf('FP32 tie, even: B + h rounds down to B')).toBe(0x47800000);
    expect(e4.rowOf('FP32 tie, odd: B + u + h rounds up')).toBe(0x47800002);
    expect(e4.rowOf('FP32 tie, odd, negative')).toBe(0xc7800002);
    const i16 = tieRows({ k: 64, max_beats: 256, act_bits: 16 });
    expect(i16.rowOf('FP32 tie, even: B + h rounds down to B')).toBe(0x4c000000);
    expect(i16.rowOf('FP32 past a tie: B + h + 1 unit rounds up')).toBe(0x4c000001);
    // int8 would need 2^19 terms: left out, not cut short
    expect(tieRows({ k: 64, max_beats: 256, act_bits: 8 }).kinds.filter((k) => k.startsWith('FP32'))).toEqual([]);
  });
});
