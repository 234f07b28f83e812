// Floating-point addition, the golden model of hw/lowbit_fp_add.v: the exact sum of two codes (BigInt,
// never a double), rounded once to nearest, ties to even (core/fp/format.ts's encode), with subnormals
// in and out. The special-value rules are IEEE 754's for round-to-nearest, with one choice of our own:
// every NaN the adder produces is the format's canonical NaN (NaN payloads and signs are not
// propagated), so a result has exactly one right code and the RTL can be compared bit for bit.

import { classify, decode, encode, type FpFormat } from './format.js';

const signBit = (f: FpFormat): number => 2 ** (f.bits - 1);
const isNeg = (f: FpFormat, code: number): boolean => code >= signBit(f);

/**
 * The NaN every NaN result is: positive, exponent all ones, and for IEEE formats only the top fraction
 * bit set (the quiet NaN of IEEE 754-2008's recommended encoding: fp16 0x7e00, bf16 0x7fc0, fp32
 * 0x7fc00000, E5M2 0x7e); E4M3 has one NaN per sign, S.1111.111, so 0x7f.
 */
export function canonicalNaN(f: FpFormat): number {
  const expAllOnes = (2 ** f.expBits - 1) * 2 ** f.manBits;
  return f.specials === 'e4m3' ? expAllOnes + 2 ** f.manBits - 1 : expAllOnes + 2 ** (f.manBits - 1);
}

/**
 * a + b for codes of format f, as a code. NaN in, inf + -inf, and (E4M3, which has no infinity) overflow
 * give canonicalNaN(f); inf + finite is that inf; an IEEE overflow is the infinity of the sum's sign.
 * An exact zero sum is +0, except -0 + -0 = -0 (IEEE 754 6.3, round to nearest).
 */
export function fpAdd(f: FpFormat, a: number, b: number): number {
  const ca = classify(f, a);
  const cb = classify(f, b);
  if (ca === 'nan' || cb === 'nan') return canonicalNaN(f);
  if (ca === 'inf' || cb === 'inf') {
    if (ca === 'inf' && cb === 'inf' && isNeg(f, a) !== isNeg(f, b)) return canonicalNaN(f);
    return ca === 'inf' ? a : b;
  }
  const x = decode(f, a);
  const y = decode(f, b);
  // Exact: both significands in units of the smaller operand's last bit (a shift of at most the
  // exponent range, so fp32 sums stay under ~280 bits).
  const exp = Math.min(x.exp, y.exp);
  const sx = (x.neg ? -x.sig : x.sig) << BigInt(x.exp - exp);
  const sy = (y.neg ? -y.sig : y.sig) << BigInt(y.exp - exp);
  const sum = sx + sy;
  if (sum === 0n) return x.neg && y.neg ? signBit(f) : 0;
  const r = encode(f, sum < 0n, sum < 0n ? -sum : sum, exp);
  // encode's E4M3 overflow keeps the sign (S.1111.111); the adder's NaNs are all canonical.
  return r.overflow && f.specials === 'e4m3' ? canonicalNaN(f) : r.code;
}
