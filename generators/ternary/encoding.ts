// Ternary weight encodings (the project's arithmetic background, shared/docs/background.md, "Ternary accumulators") and their in_wgt packing.
//
//  twos  : 2 bits per weight, two's complement: 01 = +1, 00 = 0, 11 = -1; 10 is never produced and
//          decodes as 0. Row r's weight i at in_wgt[(r*k + i)*2 +: 2].
//  i2s   : 2 bits per weight, code = w + 1 (bitnet.cpp I2_S, llama.cpp TQ2_0); code 3 is never
//          produced and decodes as 0. Same lane positions as twos.
//  base3 : five weights per byte, byte = sum_t 3^t * (w_t + 1) (llama.cpp TQ1_0 before its rescale).
//          Each row holds ceil(k/5) bytes; row r's byte j at in_wgt[(r*B + j)*8 +: 8], B = ceil(k/5);
//          weight i of a row is trit (i mod 5) of byte floor(i/5). Lanes past k pad with weight 0.
//          Bytes 243..255 are never produced and decode as five zeros.

import { getBits, packLanes, setBits } from '../../core/bits.js';
import type { Rng } from '../../core/rng.js';
import { beatPosition, checkWeights } from '../common/domain.js';
import type { Weights } from '../common/family.js';
import { TERNARY_DOMAIN, base3Decode, fromCode, ternaryBits, writeBase3, type TernaryEncoding as Encoding } from '../common/ternaryCodes.js';

/** Bits of in_wgt that one row occupies. */
export const rowBits = (enc: Encoding, k: number): number => ternaryBits(enc, k);

/** Packs one beat of logical weights (rows*k, row-major). */
export function packBeat(enc: Encoding, rows: number, k: number, w: ArrayLike<number>, out: Uint32Array): void {
  checkWeights(TERNARY_DOMAIN, w, beatPosition(k));
  out.fill(0);
  if (enc === 'base3') {
    for (let r = 0; r < rows; r++) writeBase3(out, r * rowBits(enc, k), w, r * k, k);
    return;
  }
  // twos: the 2-bit two's complement of w is its code; i2s: w + 1.
  packLanes(w, 2, out, enc === 'i2s' ? 1 : 0);
}

/** Decodes one beat of in_wgt bits into logical weights, every code as the RTL decodes it. */
export function unpackBeat(enc: Encoding, rows: number, k: number, words: Uint32Array, out: Weights): void {
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

/** Logical value of a twos code (index = code): 00 -> 0, 01 -> +1, 10 -> 0, 11 -> -1. */
const TWOS_VALUE = Int32Array.from([0, 1, 0, -1]);
/** Trits of every valid base-3 byte, 5 per byte. */
const BASE3_TRITS = Int32Array.from({ length: 243 * 5 }, (_, i) => base3Decode(Math.floor(i / 5))[i % 5]);

/**
 * A random beat: canonical codes only, every weight value present. twos/i2s: 2 random bits a lane
 * with code 10 folded to 00 (P(0) = 1/2, P(+1) = P(-1) = 1/4, close to BitNet's share of zeros);
 * base3: uniform random valid bytes (padding trits past k are random too: they are ignored).
 */
export function randomBeat(enc: Encoding, rows: number, k: number, rng: Rng, weights: Weights, words: Uint32Array): void {
  const n = rows * k;
  if (enc === 'base3') {
    const bytes = Math.ceil(k / 5);
    words.fill(0);
    let r = 0;
    let left = 0;
    for (let row = 0; row < rows; row++) {
      for (let j = 0; j < bytes; j++) {
        let b: number;
        do {
          if (left === 0) {
            r = rng.u32();
            left = 4;
          }
          b = r & 0xff;
          r >>>= 8;
          left--;
        } while (b >= 243);
        setBits(words, (row * bytes + j) * 8, 8, b);
        for (let t = 0; t < 5 && j * 5 + t < k; t++) weights[row * k + j * 5 + t] = BASE3_TRITS[b * 5 + t];
      }
    }
    return;
  }
  // 16 lanes per random word.
  for (let j = 0; j < words.length; j++) {
    let r = rng.u32();
    r = (r & ~((((r >>> 1) & ~r) & 0x55555555) << 1)) >>> 0; // code 10 -> 00
    const lane = j * 16;
    const left = n - lane;
    r = left <= 0 ? 0 : left >= 16 ? r : (r & ((1 << (2 * left)) - 1)) >>> 0;
    words[j] = r;
    for (let t = 0; t < 16 && lane + t < n; t++, r >>>= 2) weights[lane + t] = TWOS_VALUE[r & 3];
  }
  if (enc === 'i2s') packLanes(weights, 2, words, 1);
}
