// Seeded pseudo-random numbers: xoshiro128** seeded through splitmix32.
// 32-bit integer arithmetic only (Math.imul), so it is fast in JavaScript and reproducible anywhere.
// Every stream is derived from (seed, stream id), so vector v can be regenerated without the ones before it.

function splitmix32(state: number): [number, number] {
  state = (state + 0x9e3779b9) >>> 0;
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return [state, (z ^ (z >>> 16)) >>> 0];
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** seed: a non-negative integer below 2^53; stream: which independent sub-stream. */
  constructor(seed: number, stream = 0) {
    let st = (seed >>> 0) ^ Math.imul(stream + 1, 0x27d4eb2f);
    const hi = Math.floor(seed / 4294967296) >>> 0;
    st = (st ^ Math.imul(hi, 0x165667b1)) >>> 0;
    const out: number[] = [];
    for (let i = 0; i < 4; i++) {
      let v: number;
      [st, v] = splitmix32(st);
      out.push(v);
    }
    [this.s0, this.s1, this.s2, this.s3] = out as [number, number, number, number];
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Uniform 32-bit unsigned integer. */
  u32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform integer in [lo, hi] (inclusive), span < 2^32. Multiply-shift: negligible bias for our spans. */
  int(lo: number, hi: number): number {
    const span = hi - lo + 1;
    return lo + Math.floor((this.u32() / 4294967296) * span);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.u32() < p * 4294967296;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** A fresh seed for runs that were not given one (printed, so the run can be repeated). */
export function freshSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}
