// N:M compression (the project's arithmetic background, shared/docs/background.md, "N:M structured sparsity"): in every group of m consecutive weights
// along k at most n are non-zero. The compressed form keeps n values per group in ascending position
// order, each with a log2(m)-bit index; a group with fewer non-zeros pads with zero values at the
// lowest unused positions. NVIDIA's 2:4 metadata packs a group's indices as the nibble
// idx0 | idx1 << 2, groups LSB-first in 16- or 32-bit words.

import { UsageError } from '../common/params.js';

export interface Compressed {
  /** rows x (groups*n) kept values, group-major. */
  values: number[][];
  /** rows x (groups*n) indices within their group. */
  indices: number[][];
}

export interface CompressOptions {
  n: number;
  m: number;
  /** Keep the n largest magnitudes per group (ties: lowest position) instead of rejecting. */
  prune?: boolean;
}

/** One group: positions kept (ascending) for these m weights. */
function keepPositions(w: ArrayLike<number>, base: number, o: CompressOptions, row: number, group: number): number[] {
  const nz: number[] = [];
  for (let i = 0; i < o.m; i++) if (w[base + i] !== 0) nz.push(i);
  let kept = nz;
  if (nz.length > o.n) {
    if (!o.prune) {
      throw new UsageError(`row ${row}, group ${group} (positions ${group * o.m}..${group * o.m + o.m - 1}) has ${nz.length} non-zeros; ${o.n}:${o.m} allows at most ${o.n} (pass --prune to keep the ${o.n} largest)`);
    }
    // Largest magnitude first; ties keep the lowest position (stable order by position).
    kept = [...nz].sort((a, b) => Math.abs(w[base + b]) - Math.abs(w[base + a]) || a - b).slice(0, o.n);
  }
  const set = new Set(kept);
  for (let i = 0; set.size < o.n; i++) set.add(i); // pad at the lowest unused positions
  return [...set].sort((a, b) => a - b);
}

/** Dense rows (each a multiple of m long) -> compressed values and indices. */
export function compress(dense: ArrayLike<number>[], o: CompressOptions): Compressed {
  const values: number[][] = [];
  const indices: number[][] = [];
  dense.forEach((w, r) => {
    if (w.length % o.m !== 0) throw new UsageError(`row ${r} has ${w.length} weights, not a multiple of m (${o.m})`);
    const vs: number[] = [];
    const is: number[] = [];
    for (let g = 0; g < w.length / o.m; g++) {
      for (const pos of keepPositions(w, g * o.m, o, r, g)) {
        vs.push(w[g * o.m + pos]);
        is.push(pos);
      }
    }
    values.push(vs);
    indices.push(is);
  });
  return { values, indices };
}

/** Compressed -> dense rows. Repeated indices in a group are not a valid N:M encoding. */
export function decompress(c: Compressed, o: { n: number; m: number }): number[][] {
  return c.values.map((vs, r) => {
    const groups = vs.length / o.n;
    const out = new Array<number>(groups * o.m).fill(0);
    for (let g = 0; g < groups; g++) {
      const seen = new Set<number>();
      for (let j = 0; j < o.n; j++) {
        const idx = c.indices[r][g * o.n + j];
        if (idx < 0 || idx >= o.m) throw new UsageError(`row ${r}, group ${g}: index ${idx} is outside 0..${o.m - 1}`);
        if (seen.has(idx)) throw new UsageError(`row ${r}, group ${g}: index ${idx} appears twice; not a valid ${o.n}:${o.m} encoding`);
        seen.add(idx);
        out[g * o.m + idx] = vs[g * o.n + j];
      }
    }
    return out;
  });
}

/** NVIDIA 2:4 metadata: per row, one nibble idx0 | idx1 << 2 per group, LSB-first in `wordBits`-bit words. */
export function toNvidiaMetadata(indices: number[][], wordBits: 16 | 32): number[][] {
  const perWord = wordBits / 4;
  return indices.map((is) => {
    if (is.length % 2 !== 0) throw new UsageError('NVIDIA metadata is for 2:4 sparsity: each row needs two indices per group');
    const groups = is.length / 2;
    const words = new Array<number>(Math.ceil(groups / perWord)).fill(0);
    for (let g = 0; g < groups; g++) {
      const nibble = (is[2 * g] & 3) | ((is[2 * g + 1] & 3) << 2);
      words[Math.floor(g / perWord)] = (words[Math.floor(g / perWord)] | (nibble << (4 * (g % perWord)))) >>> 0;
    }
    return words;
  });
}

export function fromNvidiaMetadata(words: number[][], groups: number, wordBits: 16 | 32): number[][] {
  const perWord = wordBits / 4;
  return words.map((ws, r) => {
    if (ws.length < Math.ceil(groups / perWord)) throw new UsageError(`row ${r}: ${groups} groups need ${Math.ceil(groups / perWord)} metadata words, not ${ws.length}`);
    const is: number[] = [];
    for (let g = 0; g < groups; g++) {
      const nibble = (ws[Math.floor(g / perWord)] >>> (4 * (g % perWord))) & 0xf;
      is.push(nibble & 3, nibble >> 2);
    }
    return is;
  });
}
