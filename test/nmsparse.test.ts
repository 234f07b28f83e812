import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compress, decompress, toNvidiaMetadata, fromNvidiaMetadata } from '../generators/nmsparse/compress.js';
import { getFamily } from '../generators/registry.js';
import { wordsFor, wordsToBig } from '../core/bits.js';
import { Rng } from '../core/rng.js';
import { lowbit, testSeed, tmp } from './helpers.js';

// hipSPARSELt's 2:4 example: 4x4 dense, values [[1,2],[3,4],[6,7],[6,8]], indices [[0,1],[2,3],[1,2],[1,3]].
const HIP_DENSE = [[1, 2, 0, 0], [0, 0, 3, 4], [0, 6, 7, 0], [0, 6, 0, 8]];
const HIP_VALUES = [[1, 2], [3, 4], [6, 7], [6, 8]];
const HIP_INDICES = [[0, 1], [2, 3], [1, 2], [1, 3]];

describe('N:M compression', () => {
  it('compresses the hipSPARSELt example and back', () => {
    const c = compress(HIP_DENSE, { n: 2, m: 4 });
    expect(c.values).toEqual(HIP_VALUES);
    expect(c.indices).toEqual(HIP_INDICES);
    expect(decompress(c, { n: 2, m: 4 })).toEqual(HIP_DENSE);
  });

  it('NVIDIA 2:4 metadata: nibble idx0 | idx1 << 2, LSB-first in 16- and 32-bit words', () => {
    expect(toNvidiaMetadata(HIP_INDICES, 16)).toEqual([[0x4], [0xe], [0x9], [0xd]]);
    // one row of all four groups: nibbles 4, e, 9, d from the least significant end
    const oneRow = [HIP_INDICES.flat()];
    expect(toNvidiaMetadata(oneRow, 16)).toEqual([[0xd9e4]]);
    expect(toNvidiaMetadata(oneRow, 32)).toEqual([[0xd9e4]]);
    const nine = [Array.from({ length: 9 }, () => [1, 3]).flat()]; // 9 groups: 2 words of 32 bits
    expect(toNvidiaMetadata(nine, 32)).toEqual([[0xdddddddd, 0xd]]);
    expect(fromNvidiaMetadata(toNvidiaMetadata(oneRow, 16), 4, 16)).toEqual(oneRow);
    expect(fromNvidiaMetadata(toNvidiaMetadata(nine, 32), 9, 32)).toEqual(nine);
  });

  it('rejects a matrix that breaks the rule, naming row, group and count', () => {
    expect(() => compress([[1, 2, 0, 0, 1, 1, 1, 0]], { n: 2, m: 4 })).toThrow(
      'row 0, group 1 (positions 4..7) has 3 non-zeros; 2:4 allows at most 2 (pass --prune to keep the 2 largest)',
    );
  });

  it('prune keeps the n largest magnitudes, ties at the lowest position', () => {
    const c = compress([[3, -5, 5, 1, 2, 2, 2, 2]], { n: 2, m: 4, prune: true });
    expect(c.values).toEqual([[-5, 5, 2, 2]]);
    expect(c.indices).toEqual([[1, 2, 0, 1]]);
  });

  it('pads groups with fewer than n non-zeros with zeros at the lowest unused positions', () => {
    const c = compress([[0, 0, 0, 7, 0, 0, 0, 0]], { n: 2, m: 4 });
    expect(c.indices).toEqual([[0, 3, 0, 1]]);
    expect(c.values).toEqual([[0, 7, 0, 0]]);
    expect(compress([[0, 0, 9, 0, 0, 0, 0, 0]], { n: 3, m: 8 }).indices).toEqual([[0, 1, 2]]);
  });

  it('decompress rejects repeated indices', () => {
    expect(() => decompress({ values: [[1, 2]], indices: [[1, 1]] }, { n: 2, m: 4 })).toThrow('row 0, group 0: index 1 appears twice; not a valid 2:4 encoding');
  });
});

describe('nmsparse packer', () => {
  it('packs the hipSPARSELt example: values, then NVIDIA metadata, per row', () => {
    const f = getFamily('nmsparse');
    const p = f.resolve({ rows: 4, k: 4 });
    const words = new Uint32Array(wordsFor(f.layout(p).wgtBits));
    f.pack(p, HIP_DENSE.flat(), words);
    const bits = wordsToBig(words, 80);
    const row = (r: number) => Number((bits >> BigInt(20 * r)) & 0xfffffn);
    // row r: value 0 at [0 +: 8], value 1 at [8 +: 8], metadata nibble at [16 +: 4]
    expect([0, 1, 2, 3].map(row)).toEqual([0x40201, 0xe0403, 0x90706, 0xd0806]);
  });

  it('random beats keep at most n non-zeros in every group (round trips: packing.test.ts)', () => {
    const seed = testSeed('nm groups');
    const rng = new Rng(seed);
    const f = getFamily('nmsparse');
    for (const raw of [{ n: 2, m: 4, rows: 3, k: 8 }, { n: 3, m: 8, rows: 2, k: 16, weights: 'ternary' }, { n: 1, m: 2, rows: 1, k: 6 }]) {
      const p = f.resolve(raw);
      const [gm, gn] = [p.m as number, p.n as number];
      for (let t = 0; t < 30; t++) {
        const w = new Int32Array(p.rows * p.k);
        f.randomBeat(p, rng, w, new Uint32Array(wordsFor(f.layout(p).wgtBits)));
        for (let g = 0; g < w.length / gm; g++) {
          expect(Array.from(w.slice(g * gm, g * gm + gm)).filter((x) => x !== 0).length, `${JSON.stringify(raw)}, seed ${seed}`).toBeLessThanOrEqual(gn);
        }
      }
    }
  });
});

describe('nmsparse on the command line', () => {
  const bad: [string[], string][] = [
    [['--n', '4', '--m', '4'], 'n must be in 1..3 for m 4 (n < m), not 4'],
    [['--m', '6'], 'm must be a power of two in 2..16 (2, 4, 8, 16), not 6'],
    [['--k', '18'], 'k must be a multiple of m (4), not 18'],
    [['--m', '32'], 'm must be an integer in 2..16, not 32'],
    [['--weights', 'ternary', '--w-bits', '4'], 'w_bits applies to weights int only; weights is ternary'],
    [['--encoding', 'base3'], 'encoding applies to weights ternary only; weights is int'],
  ];
  for (const [args, message] of bad) {
    it(`gen nmsparse ${args.join(' ')} exits 2 and writes nothing`, async () => {
      const dir = tmp('nmbad');
      const r = await lowbit(['gen', 'nmsparse', ...args, '--out', join(dir, 'o')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
      expect(readdirSync(dir)).toEqual([]);
    });
  }

  it('pack rejects a matrix that breaks 2:4 (exit 2), and --prune packs it', async () => {
    const dir = tmp('nmpack');
    const m = join(dir, 'm.json');
    writeFileSync(m, JSON.stringify([[1, 2, 3, 0], [0, 0, 3, 4]]));
    const r = await lowbit(['pack', 'nmsparse', '--rows', '2', '--k', '4', '--matrix', m]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('row 0, group 0 (positions 0..3) has 3 non-zeros; 2:4 allows at most 2');
    const ok = await lowbit(['pack', 'nmsparse', '--rows', '2', '--k', '4', '--matrix', m, '--prune', '--out', join(dir, 'p.json')]);
    expect(ok.code).toBe(0);
    const j = JSON.parse(readFileSync(join(dir, 'p.json'), 'utf8'));
    expect(j.beats).toEqual(['e040390302']); // row 0 keeps 2 and 3 at positions 1, 2
    const t = await lowbit(['pack', 'ternary', '--rows', '1', '--k', '2', '--matrix', m, '--prune']);
    expect(t.code).toBe(2);
    expect(t.stderr).toContain('prune applies to sparse families only; ternary has no sparsity rule');
  });
});
