// llama.cpp's ternary block types, decoded exactly as its reference dequantizers (ggml/src/ggml-quants.c,
// dequantize_row_tq1_0 / dequantize_row_tq2_0) do, keeping the trits and the block scale beside the floats.
// Blocks hold QK_K = 256 weights; `d` is the block's fp16 scale; a weight is (trit) * d.
//
// TQ2_0 (66 bytes: qs[64], d): weight 128*h + 32*n + m is the 2-bit field (qs[32*h + m] >> 2n) & 3, minus 1.
// TQ1_0 (54 bytes: qs[48], qh[4], d): qs[0..31] give weights 0..159 as 32*n + m (trit n of byte m),
// qs[32..47] weights 160..239 as 160 + 16*n + m, qh[0..3] weights 240..255 as 240 + 4*n + j. Trit n of a
// byte q is ((q * 3^n mod 256) * 3) >> 8: the quantizer stored ceil(code * 256 / 243), code's first trit
// most significant, so multiplying by 3^n brings trit n to the top of the byte.

import { halfToNumber } from './floats.js';

export const QK_K = 256;
export const TQ1_0_BYTES = 54;
export const TQ2_0_BYTES = 66;

/** Trit n (0 = most significant) of a TQ1_0 byte, as {-1, 0, 1}. */
const tq1Trit = (q: number, pow3: number): number => ((((q * pow3) & 0xff) * 3) >> 8) - 1;

/** Decodes one TQ1_0 block at `b[0..54)` into trits[0..256); returns d. */
export function decodeTq1Block(b: Uint8Array, trits: Int8Array): number {
  const pow3 = [1, 3, 9, 27, 81];
  let y = 0;
  for (let n = 0; n < 5; n++) for (let m = 0; m < 32; m++) trits[y++] = tq1Trit(b[m], pow3[n]);
  for (let n = 0; n < 5; n++) for (let m = 0; m < 16; m++) trits[y++] = tq1Trit(b[32 + m], pow3[n]);
  for (let n = 0; n < 4; n++) for (let j = 0; j < 4; j++) trits[y++] = tq1Trit(b[48 + j], pow3[n]);
  return halfToNumber(b[52] | (b[53] << 8));
}

/**
 * Decodes one TQ2_0 block at `b[0..66)` into trits[0..256); returns d, or the index of the first weight
 * whose field is 3 (llama.cpp's quantizer never writes it; its dequantizer would read it as +2 d, which is
 * not a trit) as `{ badWeight }`.
 */
export function decodeTq2Block(b: Uint8Array, trits: Int8Array): number | { badWeight: number } {
  let y = 0;
  for (let j = 0; j < 64; j += 32) {
    for (let l = 0; l < 4; l++) {
      for (let m = 0; m < 32; m++) {
        const q = (b[j + m] >> (2 * l)) & 3;
        if (q === 3) return { badWeight: y };
        trits[y++] = q - 1;
      }
    }
  }
  return halfToNumber(b[64] | (b[65] << 8));
}
