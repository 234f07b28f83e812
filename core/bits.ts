// Bit-level helpers shared by packers, the co-simulation stream and report parsing.
// Buses travel as little-endian arrays of 32-bit words: bit i of a bus is bit (i % 32) of word i >> 5,
// which is also how Verilator lays out wide ports.

/** Number of 32-bit words that hold `bits` bits. */
export const wordsFor = (bits: number): number => Math.max(1, Math.ceil(bits / 32));

/** Writes the low `width` (<= 32) bits of `value` at bit `offset`. */
export function setBits(words: Uint32Array, offset: number, width: number, value: number): void {
  let v = width === 32 ? value >>> 0 : (value & ((1 << width) - 1)) >>> 0;
  let pos = offset;
  let left = width;
  while (left > 0) {
    const w = pos >>> 5;
    const b = pos & 31;
    const take = Math.min(left, 32 - b);
    const mask = take === 32 ? 0xffffffff : ((1 << take) - 1) << b;
    words[w] = ((words[w] & ~mask) | ((v << b) & mask)) >>> 0;
    v = take === 32 ? 0 : v >>> take;
    pos += take;
    left -= take;
  }
}

/**
 * Packs lanes of `width` (<= 32) bits: lane i = (values[i] + offset) mod 2^width at [i*width +: width],
 * into out[start..end) (the words past the lanes are zeroed).
 * The hot path of stimulus generation, so it streams bits into words instead of calling setBits.
 */
export function packLanes(values: ArrayLike<number>, width: number, out: Uint32Array, offset = 0, start = 0, end = out.length): void {
  const mask = width === 32 ? 0xffffffff : (1 << width) - 1;
  let word = start;
  let bit = 0;
  let acc = 0;
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const c = ((values[i] + offset) & mask) >>> 0;
    acc |= c << bit;
    bit += width;
    if (bit >= 32) {
      out[word++] = acc >>> 0;
      bit -= 32;
      acc = bit > 0 ? c >>> (width - bit) : 0;
    }
  }
  if (bit > 0) out[word++] = acc >>> 0;
  for (; word < end; word++) out[word] = 0;
}

/** Reads `count` lanes of `width` (<= 32) bits as two's complement values (the inverse of packLanes). */
export function unpackLanesSigned(words: Uint32Array, count: number, width: number, out: Int32Array): void {
  const shift = 32 - width;
  let bit = 0;
  for (let i = 0; i < count; i++) {
    const w = bit >>> 5;
    const b = bit & 31;
    let v = words[w] >>> b;
    if (b + width > 32) v |= words[w + 1] << (32 - b);
    out[i] = (v << shift) >> shift;
    bit += width;
  }
}

/** Fills words with random bits, keeping bits at and above `bits` zero (Verilator wants clean tops). */
export function randomWords(next: () => number, bits: number, out: Uint32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = next();
  const rem = bits & 31;
  const last = (bits + 31) >>> 5;
  if (rem) out[last - 1] &= (1 << rem) - 1;
  for (let i = last; i < out.length; i++) out[i] = 0;
}

/** Reads `width` (<= 32) bits at bit `offset`, unsigned. */
export function getBits(words: Uint32Array, offset: number, width: number): number {
  let out = 0;
  let got = 0;
  let pos = offset;
  while (got < width) {
    const w = pos >>> 5;
    const b = pos & 31;
    const take = Math.min(width - got, 32 - b);
    const chunk = take === 32 ? words[w] : (words[w] >>> b) & ((1 << take) - 1);
    out = (out | (chunk << got)) >>> 0;
    got += take;
    pos += take;
  }
  return width === 32 ? out >>> 0 : out;
}

/** Interprets the low `width` bits of an unsigned value as two's complement. */
export function signExtend(v: number, width: number): number {
  if (width <= 32) {
    const sh = 32 - width;
    return (v << sh) >> sh;
  }
  return v >= 2 ** (width - 1) ? v - 2 ** width : v;
}

/** Reads a signed field of any width as a BigInt. */
export function getSignedBig(words: Uint32Array, offset: number, width: number): bigint {
  let v = 0n;
  for (let done = 0; done < width; done += 32) {
    const w = Math.min(32, width - done);
    v |= BigInt(getBits(words, offset + done, w)) << BigInt(done);
  }
  return BigInt.asIntN(width, v);
}

/** Writes a signed BigInt (two's complement) into a field of any width. */
export function setSignedBig(words: Uint32Array, offset: number, width: number, value: bigint): void {
  const u = BigInt.asUintN(width, value);
  for (let done = 0; done < width; done += 32) {
    const w = Math.min(32, width - done);
    setBits(words, offset + done, w, Number((u >> BigInt(done)) & 0xffffffffn));
  }
}

/** Reads a signed field of width <= 52 as a Number (exact). */
export function getSignedNum(words: Uint32Array, offset: number, width: number): number {
  if (width <= 32) return signExtend(getBits(words, offset, width), width);
  const lo = getBits(words, offset, 32);
  const hi = getBits(words, offset + 32, width - 32);
  return signExtend(hi * 4294967296 + lo, width);
}

/** Smallest two's complement width that holds every integer in [min, max]. */
export function signedBitsFor(min: bigint, max: bigint): number {
  let b = 1;
  while (-(1n << BigInt(b - 1)) > min || (1n << BigInt(b - 1)) - 1n < max) b++;
  return b;
}

/** Bus as a BigInt (for the documented packing API and small tests). */
export function wordsToBig(words: Uint32Array, bits: number): bigint {
  let v = 0n;
  for (let i = wordsFor(bits) - 1; i >= 0; i--) v = (v << 32n) | BigInt(words[i]);
  return BigInt.asUintN(bits, v);
}

export function bigToWords(v: bigint, bits: number): Uint32Array {
  const words = new Uint32Array(wordsFor(bits));
  let u = BigInt.asUintN(bits, v);
  for (let i = 0; i < words.length; i++) {
    words[i] = Number(u & 0xffffffffn);
    u >>= 32n;
  }
  return words;
}

/**
 * Directed beats that put every code of `width` (<= 16) bits in each of `fields` consecutive fields:
 * beat c holds code (c + f) mod 2^width in field f (at [f*width +: width]).
 */
export function fieldSweep(width: number, fields: number, words: number): Uint32Array[] {
  const n = 2 ** width;
  return Array.from({ length: n }, (_, c) => {
    const b = new Uint32Array(words);
    for (let f = 0; f < fields; f++) setBits(b, f * width, width, (c + f) % n);
    return b;
  });
}
