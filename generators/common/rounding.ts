// Rounding to an integer, the one place quantizers differ on ties. torch.round and bitnet.cpp round half
// to even; older kernels and llama.cpp's TQ packers (lroundf) round half away from zero.

export const ROUNDINGS = ['half-even', 'half-away'] as const;
export type Rounding = (typeof ROUNDINGS)[number];

/**
 * Rounds x (finite) to an integer. Exact for every double: x - floor(x) is computed without error,
 * so a tie is a tie only when x is exactly k + 0.5. Never returns -0.
 */
export function roundTo(x: number, mode: Rounding): number {
  const a = Math.abs(x);
  const f = Math.floor(a);
  const frac = a - f;
  let r = frac > 0.5 ? f + 1 : frac < 0.5 ? f : mode === 'half-away' || f % 2 === 1 ? f + 1 : f;
  if (x < 0) r = -r;
  return r === 0 ? 0 : r;
}
