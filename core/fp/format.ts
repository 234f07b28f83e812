// Binary floating-point formats as data, and their exact arithmetic in BigInt: decode a bit pattern to
// (sign, integer significand, exponent), and encode an exact value back with round-to-nearest-even.
// Never through a JS Number: the values an activation format's sums reach (FP16 in units of 2^-24,
// BF16's 2^-133) are past 2^53 long before they are large.
//
// Formats: IEEE 754 binary16 and binary32, bfloat16 (binary32's top half), and OCP FP8 (OCP 8-bit
// Floating Point Specification, v1.0): E5M2 follows IEEE (infinities, NaNs at exponent 31); E4M3 has
// no infinities and one NaN per sign (S.1111.111), so exponent 15 holds normal values up to 448.

export type FpFormatName = 'fp16' | 'bf16' | 'fp8e4m3' | 'fp8e5m2' | 'fp32';

export interface FpFormat {
  name: FpFormatName;
  /** Total bits: 1 + expBits + manBits. */
  bits: number;
  expBits: number;
  /** Stored fraction bits (the significand has manBits + 1 bits with the implicit one). */
  manBits: number;
  bias: number;
  /** ieee: exponent all ones is infinity (fraction 0) or NaN; e4m3: only S.1111.111 is NaN, no infinities. */
  specials: 'ieee' | 'e4m3';
}

const fmt = (name: FpFormatName, expBits: number, manBits: number, specials: FpFormat['specials'] = 'ieee'): FpFormat => ({
  name,
  bits: 1 + expBits + manBits,
  expBits,
  manBits,
  bias: (1 << (expBits - 1)) - 1,
  specials,
});

export const FP_FORMATS: Readonly<Record<FpFormatName, FpFormat>> = {
  fp16: fmt('fp16', 5, 10),
  bf16: fmt('bf16', 8, 7),
  fp8e4m3: fmt('fp8e4m3', 4, 3, 'e4m3'),
  fp8e5m2: fmt('fp8e5m2', 5, 2),
  fp32: fmt('fp32', 8, 23),
};

export type FpClass = 'zero' | 'subnormal' | 'normal' | 'inf' | 'nan';

const fieldsOf = (f: FpFormat, code: number) => ({
  neg: ((code >>> (f.bits - 1)) & 1) === 1,
  e: (code >>> f.manBits) & ((1 << f.expBits) - 1),
  m: code & ((1 << f.manBits) - 1),
});

const maxExpField = (f: FpFormat): number => (1 << f.expBits) - 1;

export function classify(f: FpFormat, code: number): FpClass {
  const { e, m } = fieldsOf(f, code);
  if (f.specials === 'e4m3') {
    if (e === maxExpField(f) && m === (1 << f.manBits) - 1) return 'nan';
  } else if (e === maxExpField(f)) return m === 0 ? 'inf' : 'nan';
  if (e === 0) return m === 0 ? 'zero' : 'subnormal';
  return 'normal';
}

export const isFiniteCode = (f: FpFormat, code: number): boolean => {
  const c = classify(f, code);
  return c !== 'inf' && c !== 'nan';
};

/** Exponent of the smallest subnormal (the unit exact alignment counts in): 1 - bias - manBits. */
export const minExponent = (f: FpFormat): number => 1 - f.bias - f.manBits;

/** An exact finite value: (-1)^neg * sig * 2^exp, sig >= 0. */
export interface Exact {
  neg: boolean;
  sig: bigint;
  exp: number;
}

/** The exact value of a finite pattern (throws on NaN and infinity: callers check first). */
export function decode(f: FpFormat, code: number): Exact {
  const c = classify(f, code);
  if (c === 'inf' || c === 'nan') throw new Error(`decode: ${f.name} pattern 0x${code.toString(16)} is ${c === 'nan' ? 'NaN' : 'infinite'}`);
  const { neg, e, m } = fieldsOf(f, code);
  if (e === 0) return { neg, sig: BigInt(m), exp: minExponent(f) };
  return { neg, sig: BigInt(m + (1 << f.manBits)), exp: e - f.bias - f.manBits };
}

/** A finite pattern as a signed integer in units of the format's smallest subnormal (exact alignment). */
export function toUnits(f: FpFormat, code: number): bigint {
  const d = decode(f, code);
  const mag = d.sig << BigInt(d.exp - minExponent(f));
  return d.neg ? -mag : mag;
}

/** Bits of a signed integer that holds toUnits of every finite pattern (FP16 41, E5M2 33, E4M3 19, BF16 262). */
export function unitsBits(f: FpFormat): number {
  const max = toUnits(f, maxFinite(f));
  return max.toString(2).length + 1;
}

/** The largest finite positive pattern (FP16 0x7bff = 65504, E4M3 0x7e = 448, E5M2 0x7b = 57344). */
export function maxFinite(f: FpFormat): number {
  const top = f.specials === 'e4m3' ? (maxExpField(f) << f.manBits) | ((1 << f.manBits) - 2) : ((maxExpField(f) - 1) << f.manBits) | ((1 << f.manBits) - 1);
  return top;
}

const bitLength = (x: bigint): number => (x === 0n ? 0 : x.toString(2).length);

export interface Encoded {
  code: number;
  /** The value was not representable exactly (rounded). */
  inexact: boolean;
  /** Its magnitude rounded past the largest finite value: code is infinity (ieee) or NaN (E4M3, which has no infinity). */
  overflow: boolean;
}

/**
 * (-1)^neg * mag * 2^exp rounded to nearest, ties to even, with subnormals (no flush to zero). Zero
 * encodes with the given sign. Overflow follows IEEE 754's rule for round-to-nearest: a magnitude
 * that rounds past the largest finite value becomes infinity (NaN for E4M3, as OCP's non-saturating
 * conversion does).
 */
export function encode(f: FpFormat, neg: boolean, mag: bigint, exp: number): Encoded {
  const signBit = neg ? 2 ** (f.bits - 1) : 0;
  if (mag < 0n) throw new Error('encode: magnitude must be non-negative');
  if (mag === 0n) return { code: signBit, inexact: false, overflow: false };
  const top = exp + bitLength(mag) - 1; // value in [2^top, 2^(top+1))
  const emin = 1 - f.bias;
  let q = Math.max(top, emin) - f.manBits; // exponent of the result's last significand bit
  let sig: bigint;
  let inexact = false;
  if (q <= exp) sig = mag << BigInt(exp - q);
  else {
    const shift = BigInt(q - exp);
    sig = mag >> shift;
    const rem = mag & ((1n << shift) - 1n);
    const half = 1n << (shift - 1n);
    inexact = rem !== 0n;
    if (rem > half || (rem === half && (sig & 1n) === 1n)) sig += 1n;
    if (sig === 1n << BigInt(f.manBits + 1)) {
      sig >>= 1n;
      q += 1;
    }
  }
  const hidden = 1n << BigInt(f.manBits);
  const eField = sig >= hidden ? q + f.manBits + f.bias : 0;
  const man = Number(sig >= hidden ? sig - hidden : sig);
  const code = signBit + eField * 2 ** f.manBits + man;
  const limit = maxFinite(f);
  const overflowed = eField > (limit >>> f.manBits) || (eField === limit >>> f.manBits && man > (limit & ((1 << f.manBits) - 1)));
  if (overflowed) {
    const special = f.specials === 'e4m3' ? (maxExpField(f) << f.manBits) | ((1 << f.manBits) - 1) : maxExpField(f) << f.manBits;
    return { code: signBit + special, inexact: true, overflow: true };
  }
  return { code, inexact, overflow: false };
}

/** A signed integer times 2^exp, rounded once to the format (RNE); zero is +0. */
export function encodeInt(f: FpFormat, value: bigint, exp: number): Encoded {
  return encode(f, value < 0n, value < 0n ? -value : value, exp);
}

/** A finite double's exact value (every double is sig * 2^exp with a 53-bit sig). */
export function exactOfNumber(x: number): Exact {
  if (!Number.isFinite(x)) throw new Error(`exactOfNumber: ${x} is not finite`);
  const neg = x < 0 || Object.is(x, -0);
  let a = Math.abs(x);
  if (a === 0) return { neg, sig: 0n, exp: 0 };
  let exp = 0;
  // Scale to an integer by powers of two (exact in binary floating point).
  while (!Number.isInteger(a)) {
    a *= 2 ** 32;
    exp -= 32;
  }
  let sig = BigInt(a);
  while ((sig & 1n) === 0n) {
    sig >>= 1n;
    exp += 1;
  }
  return { neg, sig, exp };
}

/** A finite double rounded to the format (RNE); -0 stays -0. */
export function encodeNumber(f: FpFormat, x: number): Encoded {
  const e = exactOfNumber(x);
  return encode(f, e.neg, e.sig, e.exp);
}

/** A finite pattern's value as a double (exact for every format here: at most 24 significand bits, exponents inside double's range). */
export function toNumber(f: FpFormat, code: number): number {
  const c = classify(f, code);
  const neg = fieldsOf(f, code).neg;
  if (c === 'nan') return NaN;
  if (c === 'inf') return neg ? -Infinity : Infinity;
  const d = decode(f, code);
  const v = Number(d.sig) * 2 ** d.exp;
  return neg ? -v : v;
}
