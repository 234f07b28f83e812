// Matrix-level packing: a logical weight matrix (rows x beats*k) <-> one in_wgt word per beat.
// The beat-level packers of each family do the work; this is the form users hold their weights in.

import type { CommonParams, Family, PackOptions, Weights } from './family.js';
import { UsageError } from './params.js';
import { bigToWords, wordsFor, wordsToBig } from '../../core/bits.js';
import { checkWeights } from './domain.js';

export function packMatrix<P extends CommonParams>(family: Family<P>, p: P, weights: number[][], options?: PackOptions): bigint[] {
  if (weights.length !== p.rows) throw new UsageError(`weights must have rows (${p.rows}) rows, not ${weights.length}`);
  const len = weights[0]?.length ?? 0;
  weights.forEach((row, r) => {
    if (row.length !== len || len === 0 || len % p.k !== 0) {
      throw new UsageError(`weights[${r}] must hold a whole number of beats of k (${p.k}) values, all rows alike, not ${row.length}`);
    }
    // Checked here too so that a message names the value's place in the matrix, not in its beat.
    checkWeights(family.domain(p), row, (i) => `weights[${r}][${i}]`);
  });
  const bits = family.layout(p).wgtBits;
  const words = new Uint32Array(wordsFor(bits));
  const out: bigint[] = [];
  for (let b = 0; b < len / p.k; b++) {
    family.pack(p, weights.flatMap((row) => row.slice(b * p.k, (b + 1) * p.k)), words, options);
    out.push(wordsToBig(words, bits));
  }
  return out;
}

export function unpackMatrix<P extends CommonParams>(family: Family<P>, p: P, beats: bigint[]): number[][] {
  const bits = family.layout(p).wgtBits;
  const rows: number[][] = Array.from({ length: p.rows }, () => []);
  const w: Weights = new Int32Array(p.rows * p.k);
  for (const beat of beats) {
    family.unpack(p, bigToWords(beat, bits), w);
    for (let r = 0; r < p.rows; r++) for (let i = 0; i < p.k; i++) rows[r].push(w[r * p.k + i]);
  }
  return rows;
}
