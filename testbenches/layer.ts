// A layer through the RTL: the integer weight matrix W (out x in) is cut into tiles of `rows` output
// rows, each input row into segments (the whole input, or the blocks that carry their own scale), each
// segment into beats of k lanes (zeros past the edge: zero weights and zero activations add nothing, and
// N:M groups stay whole because a segment starts on a group boundary and k is a multiple of m). One
// vector is one (tile, segment, token): the tile's weights for that segment, beat by beat, with that
// token's activations. The vectors stream through the same harness, build cache and golden-model
// comparison as co-simulation; every vector's expected rows come back so the caller reassembles y.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../core/rng.js';
import { UsageError } from '../core/errors.js';
import type { CommonParams, Family, Layout } from '../generators/common/family.js';
import type { CosimOptions } from './cosim.js';
import type { VectorSource } from './stimulus.js';
import type { Expected } from './compare.js';
import { stream, type StreamRun, type VectorPlan } from './stream.js';
import { quietWeight } from '../generators/common/domain.js';

/** How a layer is cut. */
export interface LayerTiling {
  /** Output rows of the layer, input width, tokens. */
  out: number;
  inputs: number;
  tokens: number;
  /** Rows per tile (the design's rows) and tiles. */
  rows: number;
  tiles: number;
  /** Input lanes per segment, segments per row, beats per segment (vector). */
  segment: number;
  segments: number;
  beats: number;
  k: number;
}

/** The tiling of an out x inputs layer for a design with layout `l`; `segment` defaults to the whole input row. */
export function layerTiling(l: Layout, out: number, inputs: number, tokens: number, segment = inputs): LayerTiling {
  if (segment % l.k !== 0 && segment !== inputs) throw new UsageError(`k (${l.k}) must divide the scale block (${segment} inputs) so that no beat straddles two blocks, not ${l.k}`);
  const segments = Math.ceil(inputs / segment);
  const beats = Math.ceil(Math.min(segment, inputs) / l.k);
  return { out, inputs, tokens, rows: l.rows, tiles: Math.ceil(out / l.rows), segment, segments, beats, k: l.k };
}

/** Which (tile, segment, token) vector v is, in the order they are sent: tile, then segment, then token. */
export function vectorAt(t: LayerTiling, v: number, tiles: number[]): { tile: number; segment: number; token: number } {
  const perTile = t.segments * t.tokens;
  const tile = tiles[Math.floor(v / perTile)];
  const rest = v % perTile;
  return { tile, segment: Math.floor(rest / t.tokens), token: rest % t.tokens };
}

/** The vectors of the chosen tiles of a layer (W: out x inputs row-major, A: tokens x inputs row-major). */
export function layerPlan<P extends CommonParams>(family: Family<P>, p: P, t: LayerTiling, W: Int32Array, A: Int32Array, tiles: number[]): { plan: VectorPlan<P>; count: number } {
  const count = tiles.length * t.segments * t.tokens;
  // Padding: zero activations, and the family's quietest weight (0, or +1 for bipolar weights, which have
  // no zero): a padded lane adds nothing, and a padded row's outputs are not part of the layer.
  const pad = quietWeight(family.domain(p));
  const vector = (v: number): VectorSource => {
    const { tile, segment, token } = vectorAt(t, v, tiles);
    const start = segment * t.segment;
    const end = Math.min(start + t.segment, t.inputs);
    let b = 0;
    return {
      kind: `tile ${tile}, token ${token}${t.segments > 1 ? `, block ${segment}` : ''}`,
      beats: t.beats,
      next(out) {
        const c0 = start + b * t.k;
        for (let i = 0; i < t.k; i++) {
          const c = c0 + i;
          out.acts[i] = c < end ? A[token * t.inputs + c] : 0;
          for (let r = 0; r < t.rows; r++) {
            const row = tile * t.rows + r;
            out.weights[r * t.k + i] = c < end && row < t.out ? W[row * t.inputs + c] : pad;
          }
        }
        family.pack(p, out.weights, out.wgtWords);
        b++;
      },
    };
  };
  // Layer vectors are data, not corners: resets (when asked for) may interrupt any of them.
  return { plan: { vector, isDirected: () => false, auxRng: (v: number) => new Rng(0x4c415952, v) }, count };
}

/** A layer run: a co-simulation's design, simulator and harness options, and the layer in place of random vectors. */
export interface LayerRunOptions<P extends CommonParams> extends Pick<CosimOptions<P>, 'family' | 'params' | 'top' | 'files' | 'incdirs' | 'simulator' | 'workDir' | 'stall' | 'seed' | 'onProgress'> {
  tiling: LayerTiling;
  W: Int32Array;
  A: Int32Array;
  /** Tiles to run (default: all). */
  tiles?: number[];
  resets: number;
}

export interface LayerRun extends StreamRun {
  vectors: number;
  buildSeconds: number;
  buildCached: boolean;
  /** y as the RTL computed it (checked equal to the golden model): per (tile, segment, token), the tile's rows. */
  results: Map<number, Expected>;
  tiles: number[];
}

/** Builds (or takes from the cache) the harness and streams the layer's vectors through it. */
export async function runLayer<P extends CommonParams>(o: LayerRunOptions<P>): Promise<LayerRun> {
  const l = o.family.layout(o.params);
  if (o.tiling.beats > o.params.max_beats) {
    throw new UsageError(`max_beats must be at least ${o.tiling.beats} (a segment of ${Math.min(o.tiling.segment, o.tiling.inputs)} inputs is ${o.tiling.beats} beats of k ${l.k}), not ${o.params.max_beats}`);
  }
  const logDir = join(o.workDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const prep = await o.simulator.prepare(o.files, o.top, l, { trace: false, logPath: join(logDir, `${o.simulator.name}-build.log`), workDir: o.workDir, maxBeats: o.params.max_beats, incdirs: o.incdirs });
  const tiles = o.tiles ?? Array.from({ length: o.tiling.tiles }, (_, i) => i);
  const { plan, count } = layerPlan(o.family, o.params, o.tiling, o.W, o.A, tiles);
  const results = new Map<number, Expected>();
  const run = await stream({
    family: o.family, params: o.params, sim: prep, simulator: o.simulator, seed: o.seed, count, resets: o.resets, stall: o.stall,
    workDir: o.workDir, logPath: join(logDir, `${o.simulator.name}-layer.log`), stopAtMismatch: true, plan, onProgress: o.onProgress,
    onExpected: (v, rows) => results.set(v, rows.slice() as Expected),
  });
  return { ...run, vectors: count, buildSeconds: prep.buildSeconds, buildCached: prep.cached, results, tiles };
}
