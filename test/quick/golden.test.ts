import { describe, expect, it } from 'vitest';
import { dotProductModel, beatSums, groupSums } from '../../generators/common/golden.js';
import { domainRange, quietWeight } from '../../generators/common/domain.js';
import type { WeightDomain } from '../../generators/common/family.js';
import { accStepBig, accStepNum, signedRange } from '../../generators/common/accumulator.js';
import { getFamily } from '../../generators/registry.js';
import { Rng } from '../../core/rng.js';
import { testSeed } from '../helpers.js';

const rule = (o: Partial<{ rows: number; k: number; act_bits: number; acc_bits: number; overflow: 'wrap' | 'saturate'; max_beats: number }>) => ({
  rows: 1, k: 2, act_bits: 8, acc_bits: 32, overflow: 'wrap' as const, max_beats: 16, ...o,
});
const T: WeightDomain = { kind: 'set', values: [-1, 0, 1] };

describe('golden model: hand-computed cases', () => {
  it('ternary add / subtract / skip', () => {
    // row 0: +3 - (-5) + 0*7 = 8; row 1: -3 + 0 + 7 = 4
    expect(dotProductModel(rule({ rows: 2, k: 3 }), T, [[1, -1, 0], [-1, 0, 1]], [3, -5, 7])).toEqual([8n, 4n]);
  });

  it('accumulates across beats', () => {
    // beats [1,2] and [3,4] with weights [1,1],[1,-1]: 3 + (-1) = 2
    expect(dotProductModel(rule({ k: 2 }), T, [[1, 1, 1, -1]], [1, 2, 3, 4])).toEqual([2n]);
  });

  it('wrap keeps the sum modulo 2^acc_bits', () => {
    // 4-bit accumulator: 127 + 127 = 254 -> 254 mod 16 = 14 -> -2
    expect(dotProductModel(rule({ k: 1, acc_bits: 4 }), T, [[1, 1]], [127, 127])).toEqual([-2n]);
  });

  it('saturate clamps every beat, so the order of beats matters', () => {
    // 6-bit: 127 -> 31; 31 + (-128) = -97 -> -32; -32 + 100 = 68 -> 31
    expect(dotProductModel(rule({ k: 1, acc_bits: 6, overflow: 'saturate' }), T, [[1, 1, 1]], [127, -128, 100])).toEqual([31n]);
    // each beat's exact partial sum goes in whole: 127 + 127 = 254 in one beat -> clamp once
    expect(dotProductModel(rule({ k: 2, acc_bits: 6, overflow: 'saturate' }), T, [[1, 1]], [127, 127])).toEqual([31n]);
  });

  it('dense int8 extremes are exact', () => {
    const W: WeightDomain = { kind: 'interval', min: -128, max: 127 };
    expect(dotProductModel(rule({ k: 2 }), W, [[-128, -128]], [-128, -128])).toEqual([32768n]);
    expect(dotProductModel(rule({ k: 1, max_beats: 1 }), W, [[127]], [-128])).toEqual([-16256n]);
  });

  it('is exact beyond 2^53 (BigInt)', () => {
    const big = 2 ** 40;
    // acc_bits 64: (2^40 * 2^15) = 2^55 is exact, a double would still be exact here but the sum of three is not representable as int32
    const W: WeightDomain = { kind: 'interval', min: -(2 ** 41), max: 2 ** 41 };
    const r = dotProductModel({ rows: 1, k: 1, act_bits: 16, acc_bits: 64, overflow: 'wrap', max_beats: 4 }, W, [[big, big, big]], [32767, 32767, 1]);
    expect(r).toEqual([BigInt(big) * 32767n * 2n + BigInt(big)]);
  });

  it('rejects values outside the weight or activation range, naming them', () => {
    expect(() => dotProductModel(rule({ k: 1 }), T, [[2]], [1])).toThrow('weights[0][0] must be one of -1, 0, 1, not 2');
    expect(() => dotProductModel(rule({ k: 1 }), { kind: 'interval', min: -8, max: 7 }, [[1, -9]], [1, 1])).toThrow('weights[0][1] must be an integer in -8..7, not -9');
    expect(() => dotProductModel(rule({ rows: 2, k: 1 }), { kind: 'set', values: [-1, 1] }, [[1], [0]], [1])).toThrow('weights[1][0] must be one of -1, 1, not 0');
    expect(() => dotProductModel(rule({ k: 1 }), T, [[1]], [128])).toThrow('activations[0] must be an integer in -128..127, not 128');
    expect(() => dotProductModel(rule({ k: 2 }), T, [[1, 1, 1]], [1, 2, 3])).toThrow('whole number of beats of k (2)');
  });
});

describe('golden model: properties', () => {
  it('equals a plain dot product when the accumulator is exact', () => {
    const seed = testSeed('golden plain');
    const rng = new Rng(seed);
    for (const name of ['ternary', 'dense']) {
      const f = getFamily(name);
      for (let trial = 0; trial < 50; trial++) {
        const p = f.resolve({ rows: rng.int(1, 5), k: rng.int(1, 9), act_bits: rng.int(2, 16), max_beats: 8 });
        const beats = rng.int(1, 8);
        const acts = Array.from({ length: beats * p.k }, () => rng.int(-(2 ** (p.act_bits - 1)), 2 ** (p.act_bits - 1) - 1));
        const d = f.domain(p);
        const wr = domainRange(d);
        const W = Array.from({ length: p.rows }, () => Array.from({ length: beats * p.k }, () => rng.int(Number(wr.min), Number(wr.max))));
        const plain = W.map((row) => row.reduce((s, w, i) => s + BigInt(w) * BigInt(acts[i]), 0n));
        expect(dotProductModel(p, d, W, acts), `${name} trial ${trial}, seed ${seed}`).toEqual(plain);
      }
    }
  });

  it('Number fast path equals the BigInt rule (wrap and saturate, narrow accumulators)', () => {
    const seed = testSeed('acc fast path');
    const rng = new Rng(seed);
    for (let trial = 0; trial < 20000; trial++) {
      const accBits = rng.int(2, 40);
      const overflow = rng.chance(0.5) ? 'wrap' : 'saturate';
      const lim = signedRange(accBits);
      const acc = rng.int(Number(lim.min), Math.min(Number(lim.max), 2 ** 31)) ;
      const psum = rng.int(-(2 ** 30), 2 ** 30);
      const a = Math.max(Number(lim.min), Math.min(Number(lim.max), acc));
      expect(accStepNum(a, psum, accBits, overflow), `acc ${a} psum ${psum} bits ${accBits} ${overflow}, seed ${seed}`).toBe(Number(accStepBig(BigInt(a), BigInt(psum), accBits, overflow)));
    }
  });

  it('beatSums matches the model for one beat', () => {
    const w = new Int32Array([1, -1, 0, 5, -7, 2]);
    const a = new Int32Array([10, 20, 30]);
    const out = new Float64Array(2);
    beatSums(2, 3, w, a, out);
    expect(Array.from(out)).toEqual([-10, 50 - 140 + 60]);
    // k not a multiple of 4 and k > 4 (unrolled loop plus tail)
    const w7 = Int32Array.from({ length: 14 }, (_, i) => (i % 5) - 2);
    const a7 = Int32Array.from({ length: 7 }, (_, i) => 100 * i - 300);
    const o7 = new Float64Array(2);
    beatSums(2, 7, w7, a7, o7);
    expect(Array.from(o7)).toEqual([0, 1].map((r) => a7.reduce((s, x, i) => s + x * w7[r * 7 + i], 0)));
  });

  it('beatSums is exact for 32-bit weights, and refuses a beat whose sums a Number cannot hold', () => {
    // 2^31 - 1 and -2^31 against 16-bit activations: products near 2^46, sums exact below 2^53
    const w = new Int32Array([2 ** 31 - 1, -(2 ** 31), 2 ** 31 - 1, 1]);
    const a = new Int32Array([32767, -32768]);
    const out = new Float64Array(2);
    beatSums(2, 2, w, a, out);
    expect(out.map((x) => x).join()).toBe([(2n ** 31n - 1n) * 32767n + 2n ** 31n * 32768n, (2n ** 31n - 1n) * 32767n - 32768n].join());
    // 1024 lanes of 2^31 x 2^15: up to 2^56, beyond a double's integers
    const wide = new Int32Array(1024).fill(-(2 ** 31));
    expect(() => beatSums(1, 1024, wide, new Int32Array(1024).fill(-32768), new Float64Array(1))).toThrow('may exceed 2^53');
  });
});

describe('weight domains and per-group sums', () => {
  it('the quiet weight is 0 when legal, else the legal value nearest to 0', () => {
    expect(quietWeight({ kind: 'set', values: [-1, 0, 1] })).toBe(0);
    expect(quietWeight({ kind: 'set', values: [-1, 1] })).toBe(1);
    expect(quietWeight({ kind: 'set', values: [-3, 5, -2] })).toBe(-2);
    expect(quietWeight({ kind: 'interval', min: 2, max: 9 })).toBe(2);
    expect(quietWeight({ kind: 'interval', min: -9, max: -4 })).toBe(-4);
  });
  it('groupSums: per-group exact sums that add up to the plain dot product', () => {
    const p = rule({ rows: 2, k: 4, max_beats: 2 });
    const W = [[1, -1, 0, 1, 1, 1, 1, 1], [0, 0, 0, 0, -1, -1, -1, -1]];
    const acts = [1, 2, 3, 4, 5, 6, 7, 8];
    const g = groupSums(p, T, 2, W, acts);
    expect(g).toEqual([[-1n, 4n, 11n, 15n], [0n, 0n, -11n, -15n]]);
    expect(g.map((r) => r.reduce((x, y) => x + y, 0n))).toEqual(dotProductModel(p, T, W, acts));
    expect(() => groupSums(p, T, 3, W, acts)).toThrow('scale groups must be a divisor of k (4) lanes, not 3');
  });
});

describe('each family\'s golden model', () => {
  it('ternary, dense and nmsparse compute the same function on the weights they accept', () => {
    const acts = [5, -7, 3, 127];
    expect(getFamily('ternary').model(getFamily('ternary').resolve({ rows: 1, k: 4 }), [[1, -1, 0, 1]], acts)).toEqual([5n + 7n + 127n]);
    expect(getFamily('dense').model(getFamily('dense').resolve({ rows: 1, k: 4, w_bits: 4 }), [[-8, 7, 0, 1]], acts)).toEqual([-40n - 49n + 127n]);
    const nm = getFamily('nmsparse');
    expect(nm.model(nm.resolve({ rows: 1, k: 4 }), [[0, -100, 0, 100]], acts)).toEqual([700n + 12700n]);
  });
  it('reject weights they cannot hold, naming them', () => {
    const t = getFamily('ternary');
    expect(() => t.model(t.resolve({ rows: 1, k: 2 }), [[1, 2]], [1, 1])).toThrow('weights[0][1] must be one of -1, 0, 1, not 2');
    // bipolar is a set without 0: the same check, no special case
    const l = getFamily('lutgemm');
    expect(() => l.model(l.resolve({ rows: 1, k: 4, weights: 'bipolar' }), [[1, -1, 0, 1]], [1, 1, 1, 1])).toThrow('weights[0][2] must be one of -1, 1, not 0');
    const nm = getFamily('nmsparse');
    expect(() => nm.model(nm.resolve({ rows: 1, k: 4 }), [[1, 1, 1, 0]], [1, 1, 1, 1])).toThrow('row 0, group 0 (positions 0..3) has 3 non-zeros; 2:4 allows at most 2');
  });
});
