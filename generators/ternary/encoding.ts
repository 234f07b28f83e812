// Ternary weight encodings (background.md, "Ternary accumulators") and their in_wgt packing.
//
//  twos  : 2 bits per weight, two's complement: 01 = +1, 00 = 0, 11 = -1; 10 is never produced and
//          decodes as 0. Row r's weight i at in_wgt[(r*k + i)*2 +: 2].
//  i2s   : 2 bits per weight, code = w + 1 (bitnet.cpp I2_S, llama.cpp TQ2_0); code 3 is never
//          produced and decodes as 0. Same lane positions as twos.
//  base3 : five weights per byte, byte = sum_t 3^t * (w_t + 1) (llama.cpp TQ1_0 before its rescale).
//          Each row holds ceil(k/5) bytes; row r's byte j at in_wgt[(r*B + j)*8 +: 8], B = ceil(k/5);
//          weight i of a row is trit (i mod 5) of byte floor(i/5). Lanes past k pad with weight 0.
//          Bytes 243..255 are never produced and decode as five zeros.

import { getBits, setBits } from '../common/bits.js';
import { UsageError } from '../common/params.js';

export const ENCODINGS = ['twos', 'i2s', 'base3'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/** Bits of in_wgt that one row occupies. */
export function rowBits(enc: Encoding, k: number): number {
  return enc === 'base3' ? Math.ceil(k / 5) * 8 : 2 * k;
}

const TWOS_ENC = [0b00, 0b01]; // index w (0, 1); -1 handled below
export function toCode(enc: 'twos' | 'i2s', w: number): number {
  if (enc === 'i2s') return w + 1;
  return w === -1 ? 0b11 : TWOS_ENC[w];
}

export function fromCode(enc: 'twos' | 'i2s', c: number): number {
  if (enc === 'i2s') return c === 3 ? 0 : c - 1;
  return c === 0b01 ? 1 : c === 0b11 ? -1 : 0;
}

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

export function base3Encode(trits: number[]): number {
  let b = 0;
  for (let t = 4; t >= 0; t--) b = b * 3 + ((trits[t] ?? 0) + 1);
  return b;
}

function checkTernary(w: Int32Array): void {
  for (let i = 0; i < w.length; i++) {
    if (w[i] !== -1 && w[i] !== 0 && w[i] !== 1) {
      throw new UsageError(`ternary weights must be -1, 0 or +1; weight ${i} (row-major) is ${w[i]}`);
    }
  }
}

/** Packs one beat of logical weights (rows*k, row-major). */
export function packBeat(enc: Encoding, rows: number, k: number, w: Int32Array, out: Uint32Array): void {
  checkTernary(w);
  out.fill(0);
  if (enc === 'base3') {
    const bytes = Math.ceil(k / 5);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < bytes; j++) {
        let b = 0;
        for (let t = 4; t >= 0; t--) {
          const i = j * 5 + t;
          b = b * 3 + ((i < k ? w[r * k + i] : 0) + 1);
        }
        setBits(out, (r * bytes + j) * 8, 8, b);
      }
    }
    return;
  }
  for (let i = 0; i < rows * k; i++) setBits(out, i * 2, 2, toCode(enc, w[i]));
}

/** Decodes one beat of in_wgt bits into logical weights, every code as the RTL decodes it. */
export function unpackBeat(enc: Encoding, rows: number, k: number, words: Uint32Array, out: Int32Array): void {
  if (enc === 'base3') {
    const bytes = Math.ceil(k / 5);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < bytes; j++) {
        const trits = base3Decode(getBits(words, (r * bytes + j) * 8, 8));
        for (let t = 0; t < 5 && j * 5 + t < k; t++) out[r * k + j * 5 + t] = trits[t];
      }
    }
    return;
  }
  for (let i = 0; i < rows * k; i++) out[i] = fromCode(enc, getBits(words, i * 2, 2));
}

/** Raw beats that put every code (canonical or not) in every lane. */
export function codeSweep(enc: Encoding, rows: number, k: number, words: number): Uint32Array[] {
  const width = enc === 'base3' ? 8 : 2;
  const lanes = rows * (rowBits(enc, k) / width);
  const beats: Uint32Array[] = [];
  for (let c = 0; c < 2 ** width; c++) {
    const b = new Uint32Array(words);
    // Rotate codes across lanes so each beat mixes codes (adjacent lanes differ) and all beats together
    // still cover every code in every lane.
    for (let i = 0; i < lanes; i++) setBits(b, i * width, width, (c + i) % 2 ** width);
    beats.push(b);
  }
  return beats;
}
