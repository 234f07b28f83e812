// Ternary weight codes (the project's arithmetic background, shared/docs/background.md, "Ternary
// accumulators"), shared by every family that stores trits (ternary, N:M sparse ternary):
//
//  twos  : 2 bits per weight, two's complement: 01 = +1, 00 = 0, 11 = -1; 10 is never produced and
//          decodes as 0.
//  i2s   : 2 bits per weight, code = w + 1 (bitnet.cpp I2_S, llama.cpp TQ2_0); code 3 is never
//          produced and decodes as 0.
//  base3 : five weights per byte, byte = sum_t 3^t * (w_t + 1) (llama.cpp TQ1_0 before its rescale);
//          bytes 243..255 are never produced and decode as five zeros.
//
// Where the codes sit in in_wgt is each family's business; these are the codes themselves.

import { setBits } from '../../core/bits.js';
import type { WeightDomain } from './family.js';

export const TERNARY_ENCODINGS = ['twos', 'i2s', 'base3'] as const;
export type TernaryEncoding = (typeof TERNARY_ENCODINGS)[number];

/** The weights every ternary code stands for. */
export const TERNARY_DOMAIN: WeightDomain = { kind: 'set', values: [-1, 0, 1] };

/** Bits that `lanes` ternary weights take in an encoding (base3: whole bytes of five). */
export function ternaryBits(enc: TernaryEncoding, lanes: number): number {
  return enc === 'base3' ? Math.ceil(lanes / 5) * 8 : 2 * lanes;
}

/** The weight a 2-bit code stands for, non-canonical codes as the RTL reads them (0). */
export function fromCode(enc: 'twos' | 'i2s', c: number): number {
  if (enc === 'i2s') return c === 3 ? 0 : c - 1;
  return c === 0b01 ? 1 : c === 0b11 ? -1 : 0;
}

/** The 2-bit code of a weight (-1, 0 or +1). */
export const toCode = (enc: 'twos' | 'i2s', w: number): number => (enc === 'i2s' ? w + 1 : w & 3);

/** Five trits (w in -1..1, lowest first) of a base-3 byte; invalid bytes give zeros. */
export function base3Decode(byte: number): number[] {
  if (byte >= 243) return [0, 0, 0, 0, 0];
  const out: number[] = [];
  for (let t = 0; t < 5; t++) {
    out.push((byte % 3) - 1);
    byte = Math.floor(byte / 3);
  }
  return out;
}

/**
 * The base-3 byte of trits values[at..at+5) (lowest first); lanes at or past `end` (default: the
 * array's length) pad with weight 0.
 */
export function base3Byte(values: ArrayLike<number>, at = 0, end = values.length): number {
  let b = 0;
  for (let t = 4; t >= 0; t--) b = b * 3 + ((at + t < end ? values[at + t] : 0) + 1);
  return b;
}

/** base3Byte of up to five trits. */
export const base3Encode = (trits: ArrayLike<number>): number => base3Byte(trits);

/**
 * The one base-3 packer: `count` trits values[at..at+count) as ceil(count/5) bytes at bit `bitLo`
 * of `words`, byte j holding trits 5j..5j+4 (the last byte padded with zeros).
 */
export function writeBase3(words: Uint32Array, bitLo: number, values: ArrayLike<number>, at: number, count: number): void {
  for (let j = 0; j < Math.ceil(count / 5); j++) setBits(words, bitLo + j * 8, 8, base3Byte(values, at + j * 5, at + count));
}
