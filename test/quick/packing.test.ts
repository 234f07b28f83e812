import { describe, expect, it } from 'vitest';
import { getFamily } from '../../generators/registry.js';
import { Rng } from '../../core/rng.js';
import { wordsFor, wordsToBig, setBits, getBits, getSignedBig, setSignedBig, packLanes } from '../../core/bits.js';
import { base3Decode, base3Encode } from '../../generators/common/ternaryCodes.js';
import { domainRange } from '../../generators/common/domain.js';
import { packMatrix, unpackMatrix } from '../../generators/common/matrix.js';
import { testSeed } from '../helpers.js';

const packBig = (name: string, raw: Record<string, unknown>, w: number[]): bigint => {
  const f = getFamily(name);
  const p = f.resolve(raw);
  const words = new Uint32Array(wordsFor(f.layout(p).wgtBits));
  f.pack(p, w, words);
  return wordsToBig(words, f.layout(p).wgtBits);
};

describe('in_wgt packing: documented layouts', () => {
  it('twos: 01 = +1, 00 = 0, 11 = -1, lane i at [2i +: 2]', () => {
    // lanes: +1, 0, -1, +1 -> 01 00 11 01 from lane 0 up -> 0b01_11_00_01
    expect(packBig('ternary', { rows: 1, k: 4 }, [1, 0, -1, 1])).toBe(0b01110001n);
  });
  it('i2s: code = w + 1', () => {
    expect(packBig('ternary', { rows: 1, k: 4, encoding: 'i2s' }, [1, 0, -1, 1])).toBe(0b10000110n);
  });
  it('base3: five trits per byte, lowest trit = lowest lane, padded with 0 (digit 1)', () => {
    // lanes [1,0,-1,1,0] -> digits [2,1,0,2,1] -> 2 + 3 + 0 + 54 + 81 = 140; lane 5 = -1 then pad 0s -> 0 + 3+9+27+81 = 120
    expect(packBig('ternary', { rows: 1, k: 6, encoding: 'base3' }, [1, 0, -1, 1, 0, -1])).toBe(140n | (120n << 8n));
    // rows: row r's bytes follow row r-1's
    expect(packBig('ternary', { rows: 2, k: 1, encoding: 'base3' }, [1, -1])).toBe((2n + 120n) | ((0n + 120n) << 8n));
  });
  it('dense: two\'s complement lanes of w_bits', () => {
    expect(packBig('dense', { rows: 2, k: 1, w_bits: 4 }, [-1, 5])).toBe(0xfn | (0x5n << 4n));
  });
  it('lutgemm: int planes as dense; bipolar 1 = +1; tl1 3*(w1+1) + (w0+1); tl2 magnitude | sign << 4', () => {
    expect(packBig('lutgemm', { rows: 2, k: 2, g: 2, w_bits: 4 }, [-1, 5, 2, -8])).toBe(0xfn | (0x5n << 4n) | (0x2n << 8n) | (0x8n << 12n));
    expect(packBig('lutgemm', { rows: 1, k: 4, weights: 'bipolar' }, [1, -1, -1, 1])).toBe(0b1001n);
    // pairs (w0, w1): (1, -1) -> 0 + 2 = 2; (0, 1) -> 6 + 1 = 7
    expect(packBig('lutgemm', { rows: 1, k: 4, weights: 'ternary', encoding: 'tl1' }, [1, -1, 0, 1])).toBe(2n | (7n << 4n));
    // triples: (1, 1, 1) -> v = 26, m = 13, sign 0; (-1, 0, 0) -> v = 9 + 3 + 0 = 12, m = 1, sign 1
    expect(packBig('lutgemm', { rows: 1, k: 6, weights: 'ternary', encoding: 'tl2' }, [1, 1, 1, -1, 0, 0])).toBe(13n | ((1n | 16n) << 5n));
  });
  it('rejects weights the encoding cannot hold, naming them', () => {
    expect(() => packBig('lutgemm', { rows: 1, k: 4, weights: 'bipolar' }, [1, 0, 1, 1])).toThrow('weights[0][1] must be one of -1, 1, not 0');
    expect(() => packBig('ternary', { rows: 1, k: 2 }, [1, 2])).toThrow('weights[0][1] must be one of -1, 0, 1, not 2');
    // a beat of two rows: the second row's first lane
    expect(() => packBig('dense', { rows: 2, k: 2, w_bits: 3 }, [3, -4, 4, 0])).toThrow('weights[1][0] must be an integer in -4..3, not 4');
    expect(() => packBig('nmsparse', { rows: 1, k: 4, w_bits: 2 }, [0, 0, 2, 0])).toThrow('weights[0][2] must be an integer in -2..1, not 2');
    expect(() => packBig('dense', { rows: 1, k: 2, w_bits: 3 }, [0.5, 0])).toThrow('weights[0][0] must be an integer in -4..3, not 0.5');
  });
  it('packMatrix names the value by its place in the matrix (its beat and lane)', () => {
    const f = getFamily('lutgemm');
    const p = f.resolve({ rows: 2, k: 4, weights: 'bipolar' });
    // beat 1, lane 1 of row 1 is matrix column 5
    expect(() => packMatrix(f, p, [[1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, -1, 0, 1, 1]])).toThrow('weights[1][5] must be one of -1, 1, not 0');
  });
});

describe('non-canonical codes decode as the RTL decodes them', () => {
  const unpack1 = (name: string, raw: Record<string, unknown>, bits: bigint): number[] => {
    const f = getFamily(name);
    const p = f.resolve(raw);
    const words = new Uint32Array(wordsFor(f.layout(p).wgtBits));
    for (let i = 0; i < words.length; i++) words[i] = Number((bits >> BigInt(32 * i)) & 0xffffffffn);
    const out = new Int32Array(p.rows * p.k);
    f.unpack(p, words, out);
    return Array.from(out);
  };
  it('twos 10 -> 0, i2s 3 -> 0, base3 bytes >= 243 -> zeros', () => {
    expect(unpack1('ternary', { rows: 1, k: 1 }, 0b10n)).toEqual([0]);
    expect(unpack1('ternary', { rows: 1, k: 1, encoding: 'i2s' }, 0b11n)).toEqual([0]);
    expect(unpack1('ternary', { rows: 1, k: 5, encoding: 'base3' }, 250n)).toEqual([0, 0, 0, 0, 0]);
    expect(base3Decode(242)).toEqual([1, 1, 1, 1, 1]);
    expect(base3Encode([1, 1, 1, 1, 1])).toBe(242);
  });
});

describe('round trips (seeded)', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['ternary', { rows: 3, k: 7, encoding: 'twos' }],
    ['ternary', { rows: 5, k: 13, encoding: 'i2s' }],
    ['ternary', { rows: 4, k: 11, encoding: 'base3' }],
    ['ternary', { rows: 1, k: 1, encoding: 'base3' }],
    ['dense', { rows: 3, k: 5, w_bits: 2 }],
    ['dense', { rows: 2, k: 9, w_bits: 7 }],
    ['dense', { rows: 16, k: 64, w_bits: 8 }],
    ['nmsparse', { n: 2, m: 4, rows: 3, k: 8, w_bits: 4 }],
    ['nmsparse', { n: 1, m: 4, rows: 2, k: 12, weights: 'ternary', encoding: 'base3' }],
    ['nmsparse', { n: 3, m: 8, rows: 2, k: 16, weights: 'ternary', encoding: 'i2s' }],
    ['nmsparse', { n: 1, m: 2, rows: 1, k: 6, w_bits: 3 }],
    ['lutgemm', { rows: 3, k: 8, w_bits: 3 }],
    ['lutgemm', { rows: 2, k: 12, weights: 'bipolar', g: 3 }],
    ['lutgemm', { rows: 3, k: 8, weights: 'ternary' }],
    ['lutgemm', { rows: 3, k: 8, weights: 'ternary', encoding: 'tl1' }],
    ['lutgemm', { rows: 2, k: 9, weights: 'ternary', encoding: 'tl2' }],
  ];
  for (const [name, raw] of cases) {
    it(`${name} ${JSON.stringify(raw)}: unpack(pack(w)) = w, and pack(unpack(bits)) = bits for canonical bits`, () => {
      const seed = testSeed(`${name} ${JSON.stringify(raw)}`);
      const rng = new Rng(seed);
      const f = getFamily(name);
      const p = f.resolve(raw);
      const n = p.rows * p.k;
      for (let t = 0; t < 50; t++) {
        const w = new Int32Array(n);
        const raw = new Uint32Array(wordsFor(f.layout(p).wgtBits));
        f.randomBeat(p, rng, w, raw);
        // randomBeat's bits decode to its weights
        const decoded = new Int32Array(n);
        f.unpack(p, raw, decoded);
        expect(Array.from(decoded), `seed ${seed}`).toEqual(Array.from(w));
        const words = new Uint32Array(wordsFor(f.layout(p).wgtBits));
        f.pack(p, w, words);
        const back = new Int32Array(n);
        f.unpack(p, words, back);
        expect(Array.from(back), `seed ${seed}`).toEqual(Array.from(w));
        const again = new Uint32Array(words.length);
        f.pack(p, back, again);
        expect(Array.from(again), `seed ${seed}`).toEqual(Array.from(words));
      }
    });
  }
  it('random weights use every legal value', () => {
    for (const [name, raw] of cases) {
      const f = getFamily(name);
      const p = f.resolve(raw);
      const w = new Int32Array(p.rows * p.k * 64);
      for (let b = 0; b < 64; b++) {
        const one = new Int32Array(p.rows * p.k);
        f.randomBeat(p, new Rng(1, b), one, new Uint32Array(wordsFor(f.layout(p).wgtBits)));
        w.set(one, b * p.rows * p.k);
      }
      const d = f.domain(p);
      const r = domainRange(d);
      expect(Math.min(...w), name).toBe(Number(r.min));
      expect(Math.max(...w), name).toBe(Number(r.max));
      // a set domain: every value occurs, and nothing else
      if (d.kind === 'set') expect([...new Set(w)].sort((a, b) => a - b), name).toEqual([...d.values].sort((a, b) => a - b));
    }
  });
});

describe('matrix packing', () => {
  it('packMatrix / unpackMatrix round-trip a multi-beat matrix for every family (seeded)', () => {
    const seed = testSeed('matrix');
    const cases: [string, Record<string, unknown>][] = [
      ['ternary', { rows: 3, k: 7, encoding: 'base3' }],
      ['dense', { rows: 2, k: 3, w_bits: 5 }],
      ['nmsparse', { rows: 2, k: 8, n: 1, m: 4 }],
      ['lutgemm', { rows: 2, k: 6, weights: 'ternary', encoding: 'tl2' }],
    ];
    for (const [name, raw] of cases) {
      const f = getFamily(name);
      const p = f.resolve(raw);
      const beats: Int32Array[] = Array.from({ length: 3 }, (_, b) => {
        const w = new Int32Array(p.rows * p.k);
        f.randomBeat(p, new Rng(seed, b), w, new Uint32Array(wordsFor(f.layout(p).wgtBits)));
        return w;
      });
      const W = Array.from({ length: p.rows }, (_, r) => beats.flatMap((w) => Array.from(w.slice(r * p.k, (r + 1) * p.k))));
      const packed = packMatrix(f, p, W);
      expect(packed).toHaveLength(3);
      expect(unpackMatrix(f, p, packed), `${name}, seed ${seed}`).toEqual(W);
    }
  });
});

describe('bit helpers', () => {
  it('packLanes equals lane-by-lane setBits for every width', () => {
    const seed = testSeed('packLanes');
    const rng = new Rng(seed);
    for (let width = 1; width <= 32; width++) {
      const n = rng.int(1, 40);
      const values = Array.from({ length: n }, () => rng.u32() | 0);
      const fast = new Uint32Array(wordsFor(n * width) + 1).fill(0xdeadbeef);
      packLanes(values, width, fast, 1);
      const ref = new Uint32Array(fast.length);
      values.forEach((v, i) => setBits(ref, i * width, width, (v + 1) >>> 0));
      expect(Array.from(fast), `width ${width}, seed ${seed}`).toEqual(Array.from(ref));
    }
  });

  it('setBits/getBits and signed BigInt fields round-trip across word boundaries', () => {
    const seed = testSeed('bits');
    const rng = new Rng(seed);
    for (let t = 0; t < 2000; t++) {
      const words = new Uint32Array(4);
      const width = rng.int(1, 32);
      const off = rng.int(0, 128 - width);
      const v = rng.u32() >>> (32 - width);
      setBits(words, off, width, v);
      expect(getBits(words, off, width), `seed ${seed}`).toBe(v);
      const w2 = rng.int(2, 64);
      const off2 = rng.int(0, 128 - w2);
      const big = BigInt.asIntN(w2, (BigInt(rng.u32()) << 32n) | BigInt(rng.u32()));
      setSignedBig(words, off2, w2, big);
      expect(getSignedBig(words, off2, w2), `seed ${seed}`).toBe(big);
    }
  });
});
