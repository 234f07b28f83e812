// Stimulus for co-simulation: directed corner vectors first, then random vectors.
//
// Vector v is a pure function of (family, params, seed, v): each random vector draws from its own
// stream Rng(seed, v), so any vector can be regenerated (replays, reports) without the ones before it.
// Beats are produced one at a time, so a max_beats-long vector never has to sit in memory whole.

import type { CommonParams, Family, Layout, Weights } from '../generators/common/family.js';
import { packLanes, wordsFor } from '../core/bits.js';
import { signedRange, type Range } from '../generators/common/accumulator.js';
import { domainRange, inDomain, quietWeight } from '../generators/common/domain.js';
import { unitsTable } from '../generators/common/actFormat.js';
import { Rng } from '../core/rng.js';
import { FP_REGIMES, fillFpLanes, fpActs, fpTieTerms, intTieTerms, randomBand, randomFinite } from './fpStimulus.js';

/** One beat: activations (k), logical weights (rows*k, row-major), packed in_wgt words. */
export interface Beat {
  acts: Int32Array;
  weights: Weights;
  wgtWords: Uint32Array;
}

export interface VectorSource {
  /** What this vector is for (shown in mismatch reports). */
  kind: string;
  beats: number;
  /** Fills the next beat (beats are produced in order). */
  next(out: Beat): void;
}

export function newBeat(l: Layout): Beat {
  return { acts: new Int32Array(l.k), weights: new Int32Array(l.rows * l.k), wgtWords: new Uint32Array(wordsFor(l.wgtBits)) };
}

/** Packs activations into in_act words out[start..end): lane i at [i*act_bits +: act_bits]. */
export function packActs(acts: Int32Array, actBits: number, out: Uint32Array, start = 0, end = out.length): void {
  packLanes(acts, actBits, out, 0, start, end);
}

/** Activation and weight values whose product is the term range's max (or min): a product is extreme at the ends of both ranges. */
function extremePair(aR: Range, wR: Range, want: 'max' | 'min'): [number, number] {
  let best: [number, number] = [0, 0];
  let bestP: bigint | undefined;
  for (const a of [aR.min, aR.max]) {
    for (const w of [wR.min, wR.max]) {
      const prod = a * w;
      if (bestP === undefined || (want === 'max' ? prod > bestP : prod < bestP)) {
        bestP = prod;
        best = [Number(a), Number(w)];
      }
    }
  }
  return best;
}

/** Vectors that reach the corners: zeros, every weight code, the accumulator's limits. */
export function directedVectors<P extends CommonParams>(family: Family<P>, p: P, seed: number): (() => VectorSource)[] {
  const l = family.layout(p);
  // Floating-point lanes (Layout.act): extremes are the largest finite patterns, in the decoder's units.
  const fa = l.act ? fpActs(l.act) : undefined;
  const maxUnits = fa && l.act ? BigInt(unitsTable(l.act.format)[fa.max]) : 0n;
  const aR = fa ? { min: -maxUnits, max: maxUnits } : signedRange(p.act_bits);
  const code = (v: number): number => (!fa ? v : v === 0 ? 0 : v > 0 ? fa.max : fa.max | fa.sign);
  const domain = family.domain(p);
  const wR = domainRange(domain);
  const [aMax, wMax] = extremePair(aR, wR, 'max');
  const [aMin, wMin] = extremePair(aR, wR, 'min');
  const constant = (kind: string, beats: number, at: (b: number) => [number, number]) => (): VectorSource => {
    let b = 0;
    return {
      kind,
      beats,
      next(out) {
        const [a, w] = at(b++);
        out.acts.fill(code(a));
        if (family.fillBeat) family.fillBeat(p, w, out.weights, out.wgtWords);
        else {
          out.weights.fill(w);
          family.pack(p, out.weights, out.wgtWords);
        }
      },
    };
  };
  // Zero activations, with the quietest legal weight (0, or for a domain without it the one nearest to 0).
  const vectors: (() => VectorSource)[] = [constant('zeros', 1, () => [0, quietWeight(domain)])];
  // Every weight code (canonical or not) in every lane, against extreme and random activations.
  family.codeSweep(p).forEach((words, c) => {
    vectors.push(() => {
      const rng = new Rng(seed, 0x7fffffff - c);
      return {
      kind: `weight codes #${c}`,
      beats: 1,
      next(out) {
        for (let i = 0; i < l.k; i++) {
          out.acts[i] = i % 3 === 0 ? code(Number(aR.min)) : i % 3 === 1 ? code(Number(aR.max)) : fa ? randomFinite(fa, rng) : rng.int(Number(aR.min), Number(aR.max));
        }
        out.wgtWords.set(words);
        family.unpack(p, words, out.weights);
      },
      };
    });
  });
  vectors.push(constant('one beat at the largest term', 1, () => [aMax, wMax]));
  vectors.push(constant('one beat at the smallest term', 1, () => [aMin, wMin]));
  vectors.push(constant('max_beats beats at the largest term (accumulator maximum)', p.max_beats, () => [aMax, wMax]));
  vectors.push(constant('max_beats beats at the smallest term (accumulator minimum)', p.max_beats, () => [aMin, wMin]));
  if (p.max_beats >= 2) {
    const half = Math.ceil(p.max_beats / 2);
    vectors.push(constant('up to the maximum, then down (saturation recovery)', p.max_beats, (b) => (b < half ? [aMax, wMax] : [aMin, wMin])));
  }
  if (fa) vectors.push(...fpDirected(family, p, seed, fa));
  // FP32 outputs: sums exactly on a rounding tie, whatever the activations are.
  if (l.out) vectors.push(...tieVectors(family, p, fa ? fpTieTerms(fa) : intTieTerms(p.act_bits)));
  return vectors;
}

/**
 * Vectors whose rows sum exactly to the given terms: a beat filled with weights of 1 (sparse families
 * keep their pattern), the terms in its weight-1 lanes beat after beat, zeros elsewhere. A tie that
 * needs more beats than max_beats (or a family without the weight 1) is left out.
 */
function tieVectors<P extends CommonParams>(family: Family<P>, p: P, ties: { kind: string; terms: number[] }[]): (() => VectorSource)[] {
  if (!inDomain(family.domain(p), 1)) return [];
  const l = family.layout(p);
  const probe = newBeat(l);
  fillOnes(family, p, probe);
  const active: number[] = [];
  for (let i = 0; i < l.k; i++) if (probe.weights[i] === 1) active.push(i);
  if (active.length === 0) return [];
  return ties
    .filter((t) => Math.ceil(t.terms.length / active.length) <= p.max_beats)
    .map((t) => () => {
      let b = 0;
      return {
        kind: t.kind,
        beats: Math.ceil(t.terms.length / active.length),
        next(out: Beat) {
          fillOnes(family, p, out);
          out.acts.fill(0);
          active.forEach((lane, j) => {
            const n = b * active.length + j;
            if (n < t.terms.length) out.acts[lane] = t.terms[n];
          });
          b++;
        },
      };
    });
}

/** The densest legal beat of weights 1. */
function fillOnes<P extends CommonParams>(family: Family<P>, p: P, b: Beat): void {
  if (family.fillBeat) family.fillBeat(p, 1, b.weights, b.wgtWords);
  else {
    b.weights.fill(1);
    family.pack(p, b.weights, b.wgtWords);
  }
}

/**
 * Floating-point corners: both zeros, NaN and infinity lanes (the decoder's documented 0), and x and -x
 * in one beat (in lanes whose weight is 1: a beat filled with 1s, sparse families keep their pattern).
 */
function fpDirected<P extends CommonParams>(family: Family<P>, p: P, seed: number, fa: ReturnType<typeof fpActs>): (() => VectorSource)[] {
  const out: (() => VectorSource)[] = [];
  const oneBeat = (kind: string, c: number, fill: (rng: Rng, acts: Int32Array, active: number[]) => void, ones: boolean) => () => {
    const rng = new Rng(seed, 0x7ffff000 - c);
    return {
      kind,
      beats: 1,
      next(b: Beat) {
        if (ones) fillOnes(family, p, b);
        else family.randomBeat(p, rng, b.weights, b.wgtWords);
        const active: number[] = [];
        for (let i = 0; i < b.acts.length; i++) if (b.weights[i] === 1) active.push(i);
        b.acts.fill(0);
        fill(rng, b.acts, active);
      },
    };
  };
  out.push(oneBeat('+0 and -0', 0, (_, acts) => { for (let i = 0; i < acts.length; i++) acts[i] = i % 2 ? fa.sign : 0; }, false));
  if (fa.specials.length) {
    out.push(oneBeat('NaN and infinity lanes (decode to 0)', 1, (rng, acts) => {
      for (let i = 0; i < acts.length; i++) acts[i] = i % 2 ? fa.specials[(i >> 1) % fa.specials.length] : randomFinite(fa, rng);
    }, false));
  }
  if (inDomain(family.domain(p), 1)) {
    out.push(oneBeat('x and -x in one beat (exact cancellation)', 2, (rng, acts, active) => {
      for (let j = 0; j + 1 < active.length; j += 2) {
        acts[active[j]] = randomFinite(fa, rng);
        acts[active[j + 1]] = acts[active[j]] ^ fa.sign;
      }
    }, true));
  }
  return out;
}

/** Random length, log-uniform over 1..max_beats: many short vectors (handshake corners), some long ones. */
export function randomLength(rng: Rng, maxBeats: number): number {
  if (maxBeats === 1) return 1;
  const x = Math.exp((rng.u32() / 4294967296) * Math.log(maxBeats + 1));
  return Math.min(maxBeats, Math.max(1, Math.floor(x)));
}

export function randomVector<P extends CommonParams>(family: Family<P>, p: P, seed: number, v: number): VectorSource {
  const rng = new Rng(seed, v);
  const beats = randomLength(rng, p.max_beats);
  const act = family.layout(p).act;
  if (act) {
    const fa = fpActs(act);
    const regime = rng.u32() % FP_REGIMES.length;
    const band = randomBand(fa, rng);
    return {
      kind: `random (${FP_REGIMES[regime]})`,
      beats,
      next(out) {
        fillFpLanes(fa, regime, band, rng, out.acts);
        family.randomBeat(p, rng, out.weights, out.wgtWords);
      },
    };
  }
  const shift = 32 - p.act_bits;
  return {
    kind: 'random',
    beats,
    next(out) {
      // Two activations (<= 16 bits each) per random word.
      for (let i = 0; i < out.acts.length; i += 2) {
        const r = rng.u32();
        out.acts[i] = (r << shift) >> shift;
        if (i + 1 < out.acts.length) out.acts[i + 1] = ((r >>> 16) << shift) >> shift;
      }
      family.randomBeat(p, rng, out.weights, out.wgtWords);
    },
  };
}

/**
 * corners (co-simulation's): the directed vectors, then random ones. random: random vectors only
 * (a workload, for power: the corners are extremes, and an int8 code sweep alone is 256 vectors).
 * zeros: every vector the all-zeros one (power analysis's quiet baseline).
 */
export const STIMULI = ['corners', 'random', 'zeros'] as const;
export type Stimulus = (typeof STIMULI)[number];

/** Vector v's second stream is AUX_STREAM + v (random vectors use v, code sweeps 0x7fffffff - c). */
const AUX_STREAM = 0x40000000;

/** The schedule of `total` vectors for a stimulus (with corners: directed first, cut if total is smaller). */
export class Schedule<P extends CommonParams> {
  readonly directed: (() => VectorSource)[];
  constructor(readonly family: Family<P>, readonly p: P, readonly seed: number, readonly total: number, readonly stimulus: Stimulus = 'corners') {
    this.directed = directedVectors(family, p, seed);
  }
  /** True when vector v is a directed corner vector (or the zeros stimulus's constant vector). */
  isDirected(v: number): boolean {
    return this.stimulus === 'zeros' || (this.stimulus === 'corners' && v < this.directed.length);
  }
  /** A second random stream of vector v, for decisions about it that must not change its contents (resets). */
  auxRng(v: number): Rng {
    return new Rng(this.seed, AUX_STREAM + v);
  }
  vector(v: number): VectorSource {
    if (this.stimulus === 'zeros') return this.directed[0]();
    if (this.stimulus === 'random') return randomVector(this.family, this.p, this.seed, v);
    return v < this.directed.length ? this.directed[v]() : randomVector(this.family, this.p, this.seed, v);
  }
}
