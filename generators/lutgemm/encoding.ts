// in_wgt packing of the lutgemm family. The bus is a run of equal fields, row-major:
//  planes int / ternary : one field per weight, w_bits two's complement (the dense family's packing),
//                         lane i of row r at [(r*k + i)*w_bits +: w_bits]. Ternary uses codes 01 / 00 / 11;
//                         code 10 is never produced and reads as -2 (the int2 datapath), in model and RTL alike.
//  planes bipolar       : one bit per weight, 1 = +1, 0 = -1, at [r*k + i].
//  tl1                  : one 4-bit code per pair of weights (tables.ts), pair t of row r at [(r*k/2 + t)*4 +: 4].
//  tl2                  : one 5-bit code per triple (4-bit magnitude, sign at bit 4), at [(r*k/3 + t)*5 +: 5].

import { fieldSweep, getBits, packLanes, randomWords, unpackLanesSigned, wordsFor } from '../../core/bits.js';
import type { Rng } from '../../core/rng.js';
import type { WeightDomain, Weights } from '../common/family.js';
import { beatPosition, checkWeights, signedDomain } from '../common/domain.js';
import { TERNARY_DOMAIN } from '../common/ternaryCodes.js';
import { codeTrits, tableSpec, tritCode, type TableKind, type TableSpec } from './tables.js';

export const WEIGHT_KINDS = ['int', 'bipolar', 'ternary'] as const;
export type WeightKind = (typeof WEIGHT_KINDS)[number];
export const LUT_ENCODINGS = ['planes', 'tl1', 'tl2'] as const;

export interface LutWeightParams {
  rows: number;
  k: number;
  weights: WeightKind;
  encoding: TableKind;
  w_bits: number;
  g: number;
  symmetric: boolean;
}

/** Bipolar weights: -1 and +1, no zero (one bit each). */
export const BIPOLAR_DOMAIN: WeightDomain = { kind: 'set', values: [-1, 1] };

export function domain(p: Pick<LutWeightParams, 'weights' | 'w_bits'>): WeightDomain {
  return p.weights === 'int' ? signedDomain(p.w_bits) : p.weights === 'bipolar' ? BIPOLAR_DOMAIN : TERNARY_DOMAIN;
}

export function spec(p: LutWeightParams): TableSpec {
  return tableSpec(p.encoding, p.g, p.symmetric);
}

/** Bits of one in_wgt field and fields per row. */
export function fields(p: LutWeightParams): { bits: number; perRow: number } {
  if (p.encoding === 'planes') return { bits: p.w_bits, perRow: p.k };
  return { bits: spec(p).idxBits, perRow: p.k / p.g };
}

export function rowBits(p: LutWeightParams): number {
  const f = fields(p);
  return f.bits * f.perRow;
}

export function pack(p: LutWeightParams, w: ArrayLike<number>, out: Uint32Array): void {
  checkWeights(domain(p), w, beatPosition(p.k));
  const f = fields(p);
  if (p.encoding !== 'planes') {
    const kind = p.encoding;
    const codes = new Int32Array(w.length / p.g);
    for (let t = 0; t < codes.length; t++) codes[t] = tritCode(kind, w, t * p.g);
    packLanes(codes, f.bits, out);
  } else if (p.weights === 'bipolar') {
    packLanes(Array.from(w, (v) => (v + 1) >> 1), 1, out);
  } else {
    packLanes(w, f.bits, out);
  }
}

export function unpack(p: LutWeightParams, words: Uint32Array, out: Weights): void {
  const n = p.rows * p.k;
  if (p.encoding !== 'planes') {
    const s = spec(p);
    const f = fields(p);
    for (let t = 0; t < n / p.g; t++) codeTrits(s, getBits(words, t * f.bits, f.bits), out, t * p.g);
  } else if (p.weights === 'bipolar') {
    for (let i = 0; i < n; i++) out[i] = ((words[i >>> 5] >>> (i & 31)) & 1) === 1 ? 1 : -1;
  } else {
    unpackLanesSigned(words, n, p.w_bits, out);
  }
}

/** int and bipolar: uniform random bits (every code is a weight); ternary: uniform trits, packed. */
export function randomBeat(p: LutWeightParams, rng: Rng, weights: Weights, words: Uint32Array): void {
  if (p.weights === 'ternary') {
    for (let i = 0; i < weights.length; i++) weights[i] = rng.int(-1, 1);
    pack(p, weights, words);
    return;
  }
  randomWords(() => rng.u32(), rowBits(p) * p.rows, words);
  unpack(p, words, weights);
}

/** Every code of every field (non-canonical ones too): beat c holds code (c + f) mod 2^bits in field f. */
export function codeSweep(p: LutWeightParams): Uint32Array[] {
  const f = fields(p);
  return fieldSweep(f.bits, p.rows * f.perRow, wordsFor(p.rows * rowBits(p)));
}
