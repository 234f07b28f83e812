// `lowbit layer`: a real layer through the RTL. The weight matrix and the activations come from files
// (.npy, .safetensors, GGUF), are quantized as the field does (api/layerQuant.ts picks the quantizer
// from the family's weight domain and sparsity), cut into tiles and beats (testbenches/layer.ts),
// streamed through the Verilator model of the generated RTL (cosim's harness and build cache) and
// compared bit-exactly with the golden model. The result is reassembled, dequantized and compared with
// the float product W·a: the accuracy the quantization costs, next to the cycles the hardware took.

import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { writeFileAtomic } from '../core/fsutil.js';
import { loadTensor, asMatrix } from '../core/tensors/load.js';
import type { Tensor } from '../core/tensors/types.js';
import { writeNpy, type NpyData } from '../core/tensors/npyWrite.js';
import { macsPerCycle } from '../generators/common/family.js';
import { SIMULATORS } from '../testbenches/simulator.js';
import { layerTiling, runLayer, vectorAt, type LayerTiling } from '../testbenches/layer.js';
import { quantizeActivations, roundActivations, ROUNDINGS, type FpRounded, type Rounding } from '../generators/common/quantize.js';
import { FP_FORMATS, toNumber } from '../core/fp/format.js';
import { compareOutputs, floatProduct } from '../generators/common/quantMetrics.js';
import { familyOf } from './familyRefs.js';
import { paramFlags, type Design, type RtlOptions } from './design.js';
import { checkEnv, intOption, oneOf, type Numeric } from './options.js';
import type { RunRecord } from './record.js';
import { RANGES, rangeOption } from './ranges.js';
import { runOnRtl } from './run.js';
import { lowbitCommand } from './shell.js';
import { quantizeWeights, type WeightQuantization } from './layerQuant.js';

/** Options of {@link layer}. */
export interface LayerOptions extends RtlOptions {
  /** The weight matrix, out x in: `FILE[:NAME]` (.npy, .safetensors, .gguf). */
  weights: string;
  /** The activations, tokens x in: `FILE[:NAME]`. */
  acts: string;
  /** verilator (default) or iverilog. */
  sim?: string;
  /** Percent of cycles with a gap on in_valid and out_ready low, 0..90; default 0 (the cycle counts are the design's own). */
  stall?: Numeric;
  /** Percent of vectors interrupted by a reset, 0..50; default 0. */
  resets?: Numeric;
  /** Harness seed (gaps, garbage on idle inputs), default 1. */
  seed?: Numeric;
  /** half-even (default: torch, bitnet.cpp) or half-away (older kernels). */
  rounding?: string;
  /** Run only this tile (what a mismatch's replay command does). */
  tile?: Numeric;
  onProgress?: (done: number, total: number) => void;
}

/** Error of a layer's dequantized result against the float product. */
export interface LayerError {
  maxAbsError: number;
  relFrobenius: number;
  cosine: number;
  perToken: { token: number; maxAbsError: number; relFrobenius: number; cosine: number }[];
}

/** One mismatch, in the layer's terms. */
export interface LayerMismatch {
  tile: number;
  /** The layer's output row (tile * rows + the design's row). */
  row: number;
  token: number;
  /** The scale block of the input row, when the weights carry one scale per block. */
  block?: number;
  expected: string;
  actual: string;
}

/** What {@link layer} returns: `lowbit layer --json`, run.json and layer.json in `dir`. */
export interface LayerReport extends RunRecord {
  shape: { out: number; in: number; tokens: number };
  tiling: { rows: number; k: number; tiles: number; tilesRun: number[]; segment: number; segments: number; beatsPerVector: number };
  quantization: {
    weights: WeightQuantization;
    /**
     * Integer activations (act_format int): absmax per token to act_bits. Floating-point ones: each value
     * rounded to the format, nearest even, no scale; `rounded` of them were not representable exactly.
     */
    acts:
      | { method: string; bits: number; scaleAxis: 'token'; rounding: Rounding }
      | { method: string; format: string; rounding: 'half-even'; rounded: number; maxAbsError: number; maxRelError: number };
  };
  /** Dequantized integer result against the float product W·a, overall and per token. */
  accuracy?: LayerError;
  hardware: { vectors: number; beats: number; cycles?: number; stallCycles?: number; utilization?: number; macsPerCycle: number; macsPerCycleAchieved?: number; macs: number };
  time: { buildSeconds: number; buildCached: boolean; simulationSeconds: number; totalSeconds: number };
  simulator: string;
  dir: string;
  mismatch?: LayerMismatch;
  /** The command that runs the failing tile again. */
  replay?: string;
  /** Files written (quantized integers and scales as .npy, layer.json). */
  files: string[];
}

/** The tensors of a layer, checked: W is out x in, acts tokens x in, the same in. */
function loadLayer(o: LayerOptions): { W: Tensor; A: Tensor; out: number; inputs: number; tokens: number } {
  const W = loadTensor(o.weights);
  const A = loadTensor(o.acts);
  const w = asMatrix(W, 'weights');
  const a = asMatrix(A, 'acts');
  if (w.cols !== a.cols) {
    throw new UsageError(`shapes do not agree: the weights ${W.file}${W.name ? `:${W.name}` : ''} are ${w.rows} x ${w.cols} (out x in), the activations ${A.file}${A.name ? `:${A.name}` : ''} are ${a.rows} x ${a.cols} (tokens x in); in must be equal`);
  }
  return { W, A, out: w.rows, inputs: w.cols, tokens: a.rows };
}


/**
 * Streams a layer through the RTL and checks it bit-exactly.
 *
 * @returns the report: shape, tiling, quantization, error against the float product, cycles
 * @throws UsageError for a bad file, a shape that does not agree, a bad option (exit 2)
 * @example
 * const r = await layer({ family: 'ternary', params: { rows: 16, k: 64 }, weights: 'w.npy', acts: 'x.npy' });
 * console.log(r.ok, r.accuracy?.cosine, r.hardware.cycles);
 */
export async function layer(o: LayerOptions): Promise<LayerReport> {
  const t0 = performance.now();
  const sim = o.sim ?? 'verilator';
  const simulator = SIMULATORS[sim];
  if (!simulator) throw new UsageError(`sim must be one of ${Object.keys(SIMULATORS).join(', ')}, not ${JSON.stringify(sim)}`);
  // The two modes by their names, and the words people also use for them.
  const ALIASES: Record<string, Rounding> = { even: 'half-even', 'half-to-even': 'half-even', rne: 'half-even', away: 'half-away', 'half-away-from-zero': 'half-away' };
  const rounding = oneOf('rounding', ALIASES[o.rounding ?? ''] ?? o.rounding ?? 'half-even', ROUNDINGS);
  const stall = rangeOption('stall', o.stall, { ...RANGES.cosim.stall, fallback: 0 });
  const resets = rangeOption('resets', o.resets, { ...RANGES.cosim.resets, fallback: 0 });
  const seed = rangeOption('seed', o.seed, { ...RANGES.cosim.seed, fallback: 1 });
  const L = loadLayer(o);
  const family = familyOf(o.family);
  // The weights decide the segment: GGUF ternary tensors carry one scale per block of the row.
  const segment = L.W.ternary ? L.W.ternary.blockSize : L.inputs;
  const raw = { ...(o.params ?? {}) } as Record<string, unknown>;
  if (raw.max_beats === undefined && o.rtl === undefined) {
    // The smallest exact design for this layer: max_beats is the beats of one vector (and acc_bits follows).
    const k = family.layout(family.resolve(raw)).k;
    raw.max_beats = Math.max(1, Math.ceil(Math.min(segment, L.inputs) / k));
  }
  const acts = { rows: L.tokens, cols: L.inputs, data: L.A.data };
  return runOnRtl<{ tile?: number; fq?: FpRounded }, Omit<LayerReport, keyof RunRecord>>(
    'layer',
    { ...o, params: raw },
    (d) => {
      checkEnv({ tools: simulator.tools, cache: simulator.name === 'verilator' });
      const tiling = layerTiling(d.family.layout(d.params), L.out, L.inputs, L.tokens, segment);
      const tile = o.tile === undefined ? undefined : intOption('tile', o.tile, 0, tiling.tiles - 1, 0);
      // Floating-point activations are rounded (and refused past the format's range) before anything is written.
      const act = d.family.layout(d.params).act;
      return { tile, fq: act ? roundActivations(acts, act.format) : undefined };
    },
    async ({ d, rtl, rec, opts }) => {
      rec.read([L.W.file, L.A.file]);
      rec.seed = seed;
      const l = d.family.layout(d.params);
      const tiling = layerTiling(l, L.out, L.inputs, L.tokens, segment);
      const wq = await rec.step('quantize', () => quantizeWeights(d, L.W, L.out, L.inputs, rounding));
      // Floating-point activations go in as the format's bit patterns, unscaled (scale 1); integers as today.
      const fq = opts.fq;
      const aq = fq ? { values: fq.values, scales: new Float64Array(L.tokens).fill(1) } : quantizeActivations(acts, d.params.act_bits, { rounding });
      // What one output row of the array is worth, before the weight scale: FP32 patterns, or integers in the decoder's units.
      const worth = (v: number | bigint): number => (l.out ? toNumber(FP_FORMATS.fp32, Number(v) >>> 0) : Number(v) * 2 ** (l.act?.unitExp ?? 0));
      const run = await runLayer({
        family: d.family, params: d.params, top: d.top, files: rtl.files, incdirs: rtl.incdirs, simulator, workDir: rtl.workDir,
        tiling, W: wq.values, A: aq.values, tiles: opts.tile === undefined ? undefined : [opts.tile], stall, resets, seed, onProgress: o.onProgress,
      });
      if (simulator.name === 'verilator' && !run.buildCached) rec.used('make', 'g++');
      rec.stepTime(`${simulator.name} build`, run.buildSeconds);
      rec.stepTime('simulation', run.simSeconds);
      const log = join(rtl.workDir, 'logs', `${simulator.name}-layer.log`);
      const macs = run.tiles.reduce((s, t) => s + Math.min(l.rows, L.out - t * l.rows), 0) * L.inputs * L.tokens;
      const perCycle = macsPerCycle(l);
      const hardware: LayerReport['hardware'] = { vectors: run.vectors, beats: run.beats, macsPerCycle: perCycle, macs };
      if (run.cycles !== undefined) {
        hardware.cycles = run.cycles;
        hardware.stallCycles = Math.max(0, run.cycles - run.beats * (l.beatCycles ?? 1));
        hardware.macsPerCycleAchieved = macs / run.cycles;
        hardware.utilization = macs / (run.cycles * perCycle);
        rec.metric('cycles', run.cycles, 'cycles', log);
        rec.metric('macs_per_cycle_achieved', hardware.macsPerCycleAchieved, 'MAC/cycle', log);
        rec.metric('utilization', hardware.utilization, 'fraction', log);
      }
      rec.metric('vectors', run.vectors, 'vectors', log);
      rec.metric('beats', run.beats, 'beats', log);
      let mismatch: LayerMismatch | undefined;
      let replay: string | undefined;
      if (run.mismatch) {
        const at = vectorAt(tiling, run.mismatch.vector, run.tiles);
        mismatch = { tile: at.tile, row: at.tile * l.rows + run.mismatch.row, token: at.token, ...(tiling.segments > 1 ? { block: at.segment } : {}), expected: run.mismatch.expected, actual: run.mismatch.actual };
        replay = layerCommand(d, o, { sim: simulator.name, stall, resets, seed, rounding, tile: at.tile, rtl: rtl.generated ? undefined : rtl.rtlDir });
      }
      // The layer's output as the RTL computed it (every row checked equal to the golden model's).
      let accuracy: LayerReport['accuracy'];
      const files: string[] = [];
      if (!run.mismatch && !run.violation) {
        const y = new Float64Array(L.out * L.tokens);
        for (const [v, rows] of run.results) {
          const at = vectorAt(tiling, v, run.tiles);
          for (let r = 0; r < l.rows; r++) {
            const row = at.tile * l.rows + r;
            if (row >= L.out) break;
            y[row * L.tokens + at.token] += worth(rows[r]) * wq.scaleOf(row, at.segment) / aq.scales[at.token];
          }
        }
        // y is out x tokens; the float reference W·a^T too.
        const ref = floatProduct({ rows: L.out, cols: L.inputs, data: L.W.data }, { rows: L.tokens, cols: L.inputs, data: L.A.data });
        const rowsRun = run.tiles.flatMap((t) => Array.from({ length: Math.min(l.rows, L.out - t * l.rows) }, (_, r) => t * l.rows + r));
        const refRun = pick(ref, rowsRun, L.tokens);
        const yRun = pick(y, rowsRun, L.tokens);
        const all = compareOutputs(refRun, yRun, rowsRun.length, L.tokens);
        const perToken = Array.from({ length: L.tokens }, (_, t) => {
          const m = compareOutputs(column(refRun, rowsRun.length, L.tokens, t), column(yRun, rowsRun.length, L.tokens, t), rowsRun.length, 1);
          return { token: t, maxAbsError: m.maxAbsError, relFrobenius: m.relFrobenius, cosine: m.cosine };
        });
        accuracy = { maxAbsError: all.maxAbsError, relFrobenius: all.relFrobenius, cosine: all.cosine, perToken };
        rec.metric('cosine_similarity', accuracy.cosine, '', log);
        rec.metric('relative_frobenius_error', accuracy.relFrobenius, '', log);
        rec.metric('max_abs_error', accuracy.maxAbsError, '', log);
        const dir = rtl.workDir;
        const put = (name: string, data: NpyData, shape: number[]) => {
          const f = join(dir, name);
          writeNpy(f, data, shape);
          files.push(f);
        };
        put('weights_q.npy', wq.values, [L.out, L.inputs]);
        put('weights_scales.npy', wq.scales, wq.scaleShape);
        put('acts_q.npy', aq.values, [L.tokens, L.inputs]);
        put('acts_scales.npy', aq.scales, [L.tokens]);
        put('y.npy', transpose(y, L.out, L.tokens), [L.tokens, L.out]);
        const acc = arrayOutputs(run.results, tiling, run.tiles, l.rows, !!l.out);
        put('acc.npy', acc.data, acc.shape);
      }
      const fields: Omit<LayerReport, keyof RunRecord> = {
        shape: { out: L.out, in: L.inputs, tokens: L.tokens },
        tiling: { rows: l.rows, k: l.k, tiles: tiling.tiles, tilesRun: run.tiles, segment: Math.min(tiling.segment, L.inputs), segments: tiling.segments, beatsPerVector: tiling.beats },
        quantization: {
          weights: wq.description,
          acts: fq
            ? { method: `rounded to ${fq.format}`, format: fq.format, rounding: 'half-even', rounded: fq.rounded, maxAbsError: fq.maxAbsError, maxRelError: fq.maxRelError }
            : { method: 'absmax per token', bits: d.params.act_bits, scaleAxis: 'token', rounding },
        },
        accuracy,
        hardware,
        time: { buildSeconds: run.buildSeconds, buildCached: run.buildCached, simulationSeconds: run.simSeconds, totalSeconds: (performance.now() - t0) / 1000 },
        simulator: simulator.name,
        dir: rtl.workDir,
        mismatch,
        replay,
        files,
      };
      if (!mismatch) {
        const report = join(rtl.workDir, 'layer.json');
        writeFileAtomic(report, JSON.stringify({ family: d.family.name, top: d.top, params: d.params, ...fields }, null, 2) + '\n');
        files.push(report);
      }
      return { ok: !run.mismatch && !run.violation, fields };
    },
  );
}

/**
 * The array's outputs as it produced them (acc.npy), before any software scaling: tokens x out, or
 * tokens x segments x out when the weights carry one scale per block (one output per block). FP32
 * rows as float32, integers as int64. Rows of the tiles not run are 0.
 */
function arrayOutputs(results: Map<number, ArrayLike<number | bigint>>, t: LayerTiling, tiles: number[], rows: number, fp32: boolean): { data: Float32Array | BigInt64Array; shape: number[] } {
  const n = t.tokens * t.segments * t.out;
  const data = fp32 ? new Float32Array(n) : new BigInt64Array(n);
  for (const [v, out] of results) {
    const at = vectorAt(t, v, tiles);
    for (let r = 0; r < rows; r++) {
      const row = at.tile * rows + r;
      if (row >= t.out) break;
      const i = (at.token * t.segments + at.segment) * t.out + row;
      // FP32 rows decode as the report's y does (an FP32 value is exact in a float32 element).
      if (data instanceof Float32Array) data[i] = toNumber(FP_FORMATS.fp32, Number(out[r]) >>> 0);
      else data[i] = BigInt(out[r]);
    }
  }
  return { data, shape: t.segments > 1 ? [t.tokens, t.segments, t.out] : [t.tokens, t.out] };
}

const pick = (y: Float64Array, rows: number[], tokens: number): Float64Array => Float64Array.from(rows.flatMap((r) => Array.from(y.subarray(r * tokens, (r + 1) * tokens))));
const column = (y: Float64Array, rows: number, tokens: number, t: number): Float64Array => Float64Array.from({ length: rows }, (_, r) => y[r * tokens + t]);
function transpose(y: Float64Array, out: number, tokens: number): Float64Array {
  const z = new Float64Array(out * tokens);
  for (let r = 0; r < out; r++) for (let t = 0; t < tokens; t++) z[t * out + r] = y[r * tokens + t];
  return z;
}

/** The command that runs a layer again (one tile of it): absolute paths, every option that shaped it. */
export function layerCommand(d: Design, o: LayerOptions, shape: { sim: string; stall: number; resets: number; seed: number; rounding: string; tile?: number; rtl?: string }): string {
  const { resolve } = { resolve: (p: string) => (p.startsWith('/') ? p : join(process.cwd(), p)) };
  return lowbitCommand([
    'layer', d.family.name, ...paramFlags(d), '--top', d.top, '--weights', resolve(o.weights), '--acts', resolve(o.acts),
    '--sim', shape.sim, '--stall', String(shape.stall), '--resets', String(shape.resets), '--seed', String(shape.seed), '--rounding', shape.rounding,
    ...(shape.tile !== undefined ? ['--tile', String(shape.tile)] : []), ...(shape.rtl ? ['--rtl', shape.rtl] : []),
  ]);
}
