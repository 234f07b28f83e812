// Narrow float formats widened to JavaScript numbers. JavaScript has no float16/bfloat16 views (Node 20),
// so these decode bit patterns by hand; both conversions are exact (every half and bfloat16 value is a double).

/** IEEE 754 binary16 bits -> number (subnormals, infinities and NaN included). */
export function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1024 + frac) * 2 ** (exp - 25);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** bfloat16 bits -> number: bfloat16 is the top half of a float32. */
export function bfloat16ToNumber(b: number): number {
  u32[0] = (b & 0xffff) << 16;
  return f32[0];
}
