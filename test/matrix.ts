// Parameter matrices shared by the lint and co-simulation tests.
export type Case = [family: string, raw: Record<string, unknown>];

/** Designs every generator must emit lint-clean and Icarus-compatible. */
export const LINT_MATRIX: Case[] = [
  ...['twos', 'i2s', 'base3'].flatMap((encoding): Case[] => [
    ['ternary', { encoding, rows: 1, k: 1 }],
    ['ternary', { encoding, rows: 3, k: 7, pipeline: 1 }],
    ['ternary', { encoding, rows: 5, k: 12, pipeline: 5, act_bits: 2 }],
    ['ternary', { encoding, rows: 2, k: 33, act_bits: 16, acc_bits: 9, overflow: 'saturate', pipeline: 3 }],
  ]),
  ['ternary', { rows: 16, k: 64 }],
  ['ternary', { rows: 2, k: 6, max_beats: 1, acc_bits: 64 }],
  ['dense', { rows: 1, k: 1, w_bits: 2, act_bits: 2 }],
  ['dense', { rows: 3, k: 5, w_bits: 4, pipeline: 4 }],
  ['dense', { rows: 2, k: 10, w_bits: 8, act_bits: 16, acc_bits: 12, overflow: 'saturate', pipeline: 2 }],
  ['dense', { rows: 16, k: 64, w_bits: 8 }],
  ['nmsparse', { rows: 16, k: 64 }],
  ['nmsparse', { rows: 3, k: 8, n: 1, m: 2, w_bits: 3, pipeline: 2 }],
  ['nmsparse', { rows: 2, k: 16, n: 3, m: 8, weights: 'ternary', encoding: 'base3', pipeline: 1 }],
  ['nmsparse', { rows: 1, k: 16, n: 15, m: 16, weights: 'ternary', encoding: 'i2s', act_bits: 16, acc_bits: 9, overflow: 'saturate' }],
  ['lutgemm', { rows: 16, k: 64 }],
  ['lutgemm', { rows: 1, k: 2, g: 2, w_bits: 2, act_bits: 2 }],
  ['lutgemm', { rows: 3, k: 12, g: 6, w_bits: 8, act_bits: 16, serial: false, pipeline: 4 }],
  ['lutgemm', { rows: 2, k: 10, g: 5, weights: 'bipolar', symmetric: false, pipeline: 2 }],
  ['lutgemm', { rows: 2, k: 8, weights: 'ternary', encoding: 'tl1', symmetric: false, acc_bits: 9, overflow: 'saturate' }],
  ['lutgemm', { rows: 2, k: 9, weights: 'ternary', encoding: 'tl2', pipeline: 3, act_bits: 16 }],
];

/** Small designs co-simulated against the golden model: every encoding, pipeline depths, narrowed
 *  accumulators (wrap and saturate), rows and k that are not powers of two. */
export const COSIM_MATRIX: Case[] = [
  ['ternary', { encoding: 'twos', rows: 3, k: 7, max_beats: 40 }],
  ['ternary', { encoding: 'i2s', rows: 5, k: 6, pipeline: 2, max_beats: 40 }],
  ['ternary', { encoding: 'base3', rows: 2, k: 12, pipeline: 1, max_beats: 40 }],
  ['ternary', { encoding: 'base3', rows: 3, k: 3, pipeline: 4, act_bits: 16, max_beats: 30 }],
  ['ternary', { encoding: 'twos', rows: 1, k: 1, act_bits: 2, max_beats: 20 }],
  ['ternary', { encoding: 'twos', rows: 3, k: 5, acc_bits: 6, overflow: 'wrap', pipeline: 1, max_beats: 40 }],
  ['ternary', { encoding: 'i2s', rows: 3, k: 5, acc_bits: 6, overflow: 'saturate', pipeline: 3, max_beats: 40 }],
  ['ternary', { encoding: 'twos', rows: 6, k: 9, act_bits: 16, acc_bits: 2, overflow: 'saturate', max_beats: 20 }],
  ['dense', { rows: 3, k: 5, w_bits: 4, max_beats: 40 }],
  ['dense', { rows: 2, k: 7, w_bits: 8, act_bits: 16, pipeline: 3, max_beats: 40 }],
  ['dense', { rows: 5, k: 3, w_bits: 2, act_bits: 3, acc_bits: 5, overflow: 'wrap', pipeline: 1, max_beats: 40 }],
  ['dense', { rows: 4, k: 6, w_bits: 7, acc_bits: 10, overflow: 'saturate', pipeline: 2, max_beats: 40 }],
  // N:M sparse: 1:2, 1:4, 2:4, 2:8, 3:8, 4:8; int and ternary (every encoding); odd rows; narrowed accumulators.
  // Random beats keep random positions with random values (zeros included): groups with fewer than n non-zeros.
  ['nmsparse', { n: 1, m: 2, rows: 3, k: 6, w_bits: 4, max_beats: 30 }],
  ['nmsparse', { n: 1, m: 4, rows: 5, k: 8, weights: 'ternary', pipeline: 2, max_beats: 30 }],
  ['nmsparse', { n: 2, m: 4, rows: 3, k: 12, max_beats: 30 }],
  ['nmsparse', { n: 2, m: 4, rows: 3, k: 8, weights: 'ternary', encoding: 'i2s', acc_bits: 5, overflow: 'wrap', max_beats: 30 }],
  ['nmsparse', { n: 2, m: 8, rows: 1, k: 16, w_bits: 2, act_bits: 16, pipeline: 3, max_beats: 30 }],
  ['nmsparse', { n: 3, m: 8, rows: 3, k: 16, weights: 'ternary', encoding: 'base3', pipeline: 1, max_beats: 30 }],
  ['nmsparse', { n: 4, m: 8, rows: 7, k: 8, w_bits: 5, acc_bits: 8, overflow: 'saturate', max_beats: 30 }],
  // LUT mpGEMM: every weight kind (int, bipolar, ternary as planes, TL1 and TL2), symmetric and full tables,
  // serial (one plane per cycle) and parallel planes, g 2..6, act_bits 8 and 16, odd rows, narrowed accumulators.
  ['lutgemm', { rows: 3, k: 8, w_bits: 4, max_beats: 30 }],
  ['lutgemm', { rows: 5, k: 6, g: 2, w_bits: 2, act_bits: 16, serial: false, max_beats: 30 }],
  ['lutgemm', { rows: 3, k: 9, g: 3, w_bits: 3, symmetric: false, pipeline: 2, acc_bits: 9, overflow: 'wrap', max_beats: 30 }],
  ['lutgemm', { rows: 1, k: 10, g: 5, w_bits: 8, act_bits: 16, serial: false, pipeline: 3, max_beats: 30 }],
  ['lutgemm', { rows: 7, k: 8, w_bits: 5, symmetric: false, serial: false, acc_bits: 10, overflow: 'saturate', max_beats: 30 }],
  ['lutgemm', { rows: 2, k: 12, g: 6, w_bits: 2, act_bits: 2, pipeline: 1, max_beats: 30 }],
  ['lutgemm', { rows: 3, k: 8, weights: 'bipolar', act_bits: 16, max_beats: 30 }],
  ['lutgemm', { rows: 2, k: 10, g: 5, weights: 'bipolar', symmetric: false, pipeline: 2, max_beats: 30 }],
  ['lutgemm', { rows: 5, k: 6, g: 3, weights: 'ternary', act_bits: 16, max_beats: 30 }],
  ['lutgemm', { rows: 3, k: 4, g: 2, weights: 'ternary', symmetric: false, serial: false, acc_bits: 6, overflow: 'saturate', max_beats: 30 }],
  ['lutgemm', { rows: 3, k: 8, weights: 'ternary', encoding: 'tl1', act_bits: 16, max_beats: 30 }],
  ['lutgemm', { rows: 3, k: 6, weights: 'ternary', encoding: 'tl1', symmetric: false, pipeline: 1, acc_bits: 7, overflow: 'saturate', max_beats: 30 }],
  ['lutgemm', { rows: 3, k: 9, weights: 'ternary', encoding: 'tl2', pipeline: 2, max_beats: 30 }],
];
