// lowbit layer with the real tools: a layer written as .npy / .safetensors / GGUF from TypeScript, on
// every family, checked against an independent computation from the quantized integers it writes;
// GGUF ternary tensors used as stored (block scales); Icarus as the simulator; a broken design (exit 1,
// tile/row/token, a replay that reproduces it); bad files (exit 2).
import { describe, expect, it, beforeAll } from 'vitest';
import { execa } from 'execa';
import { join } from 'node:path';
import { lowbit, testSeed, tmp } from './helpers.js';
import { encode, ggufBytes, npyBytes, safetensorsBytes, tq1Block, tq2Block, writeBytes } from './tensorWriters.js';
import { loadTensor } from '../core/tensors/load.js';
import { Rng } from '../core/rng.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { LayerReport } from '../api/layer.js';
import { f16round } from '@petamoriken/float16';

let dir: string;
const OUT = 20;
const IN = 72;
const TOKENS = 3;
const seed = testSeed('layer');

/** Normal-ish floats from the seed (sum of uniforms), rounded to float32. */
function floats(n: number, stream: number): Float64Array {
  const r = new Rng(seed, stream);
  return Float64Array.from({ length: n }, () => Math.fround((r.u32() / 2 ** 32 + r.u32() / 2 ** 32 + r.u32() / 2 ** 32 - 1.5) * 2));
}

const W = () => floats(OUT * IN, 1);
const X = () => floats(TOKENS * IN, 2);

async function layer(args: string[], cwd = dir) {
  const r = await lowbit(['layer', ...args, '--json'], { cwd });
  let report: LayerReport | undefined;
  try {
    report = JSON.parse(r.stdout) as LayerReport;
  } catch {
    // asserted by the caller
  }
  return { ...r, report: report! };
}

/** y (tokens x out) recomputed here from the integers and scales the run wrote: sum_i wq*aq, times the weight scale, over the token's scale. */
function recompute(out: string, blockSize?: number): { y: Float64Array; expected: Float64Array } {
  const wq = loadTensor(join(out, 'weights_q.npy'));
  const ws = loadTensor(join(out, 'weights_scales.npy'));
  const aq = loadTensor(join(out, 'acts_q.npy'));
  const as = loadTensor(join(out, 'acts_scales.npy'));
  const y = loadTensor(join(out, 'y.npy'));
  const [rows, cols] = wq.shape;
  const tokens = aq.shape[0];
  const expected = new Float64Array(tokens * rows);
  for (let t = 0; t < tokens; t++) {
    for (let r = 0; r < rows; r++) {
      let s = 0;
      const seg = blockSize ?? cols;
      for (let b = 0; b * seg < cols; b++) {
        let acc = 0;
        for (let i = b * seg; i < Math.min(cols, (b + 1) * seg); i++) acc += wq.data[r * cols + i] * aq.data[t * cols + i];
        const scale = ws.data.length === 1 ? ws.data[0] : ws.shape.length === 2 ? ws.data[r * ws.shape[1] + b] : ws.data[r];
        s += (acc * scale) / as.data[t];
      }
      expected[t * rows + r] = s;
    }
  }
  return { y: y.data as Float64Array, expected };
}

beforeAll(() => {
  dir = tmp('layer');
  writeBytes(join(dir, 'w.npy'), npyBytes({ descr: '<f4', shape: [OUT, IN], data: encode(W(), 'float32') }));
  writeBytes(join(dir, 'x.npy'), npyBytes({ descr: '<f4', shape: [TOKENS, IN], data: encode(X(), 'float32') }));
});

describe('lowbit layer: every family, checked bit-exactly and against an independent recomputation', () => {
  const cases: [string, string[], string][] = [
    ['ternary', ['ternary', '--rows', '8', '--k', '16'], 'bitnet-b1.58 ternary'],
    ['dense int4', ['dense', '--rows', '8', '--k', '16', '--w-bits', '4'], 'symmetric int'],
    ['nmsparse 2:4 int8', ['nmsparse', '--rows', '8', '--k', '16', '--n', '2', '--m', '4'], 'symmetric int'],
    ['nmsparse 2:4 ternary', ['nmsparse', '--rows', '8', '--k', '16', '--n', '2', '--m', '4', '--weights', 'ternary'], 'bitnet-b1.58 ternary'],
    ['lutgemm bipolar', ['lutgemm', '--rows', '8', '--k', '16', '--weights', 'bipolar'], 'bipolar sign'],
    ['lutgemm ternary TL1', ['lutgemm', '--rows', '8', '--k', '16', '--weights', 'ternary', '--encoding', 'tl1'], 'bitnet-b1.58 ternary'],
    ['lutgemm int4 bit-serial', ['lutgemm', '--rows', '8', '--k', '16', '--w-bits', '4'], 'symmetric int'],
  ];
  it.each(cases)('%s', async (name, args, method) => {
    const out = join(dir, name.replace(/[^a-z0-9]+/gi, '-'));
    const r = await layer([...args, '--weights', 'w.npy', '--acts', 'x.npy', '--act-bits', '8', '--out', out]);
    expect(r.code, `${r.stderr} (seed ${seed})`).toBe(0);
    const rep = r.report;
    expect(rep.ok).toBe(true);
    expect(rep.shape).toEqual({ out: OUT, in: IN, tokens: TOKENS });
    expect(rep.tiling.tiles).toBe(3);
    expect(rep.tiling.beatsPerVector).toBe(5);
    expect(rep.hardware.vectors).toBe(3 * TOKENS);
    expect(rep.hardware.beats).toBe(3 * TOKENS * 5);
    expect(rep.hardware.cycles).toBeGreaterThanOrEqual(rep.hardware.beats);
    expect(rep.hardware.utilization).toBeGreaterThan(0);
    expect(rep.hardware.utilization).toBeLessThanOrEqual(1);
    expect(rep.quantization.weights.method).toBe(method);
    if (name.startsWith('nmsparse')) expect(rep.quantization.weights.pruned).toEqual({ n: 2, m: 4 });
    // The output the run reassembled equals the product of the integers it wrote, scaled (to rounding).
    const { y, expected } = recompute(out);
    for (let i = 0; i < y.length; i++) expect(Math.abs(y[i] - expected[i]), `y[${i}] (seed ${seed})`).toBeLessThan(1e-9 * (1 + Math.abs(expected[i])));
    expect(rep.accuracy!.cosine).toBeGreaterThan(0.5);
    expect(rep.accuracy!.cosine).toBeLessThanOrEqual(1 + 1e-12);
    expect(rep.accuracy!.perToken).toHaveLength(TOKENS);
    // Quantized weights keep the family's rules: N:M groups, the domain.
    const wq = loadTensor(join(out, 'weights_q.npy')).data;
    if (name.startsWith('nmsparse')) {
      for (let r0 = 0; r0 < OUT; r0++) for (let g = 0; g < IN / 4; g++) expect([0, 1, 2, 3].filter((i) => wq[r0 * IN + g * 4 + i] !== 0).length).toBeLessThanOrEqual(2);
    }
    if (method === 'bipolar sign') expect(new Set(wq)).toEqual(new Set([-1, 1]));
    if (method.includes('ternary')) expect([...new Set(wq)].every((v) => v >= -1 && v <= 1)).toBe(true);
  });
});

describe('lowbit layer: files and simulators', () => {
  it('a safetensors tensor picked by name, Icarus as the simulator', async () => {
    const f = writeBytes(join(dir, 'model.safetensors'), safetensorsBytes([
      { name: 'layers.0.weight', dtype: 'F32', shape: [OUT, IN], data: encode(W(), 'float32') },
      { name: 'x', dtype: 'F16', shape: [TOKENS, IN], data: encode(X(), 'float16') },
    ]));
    const out = join(dir, 'st');
    const r = await layer(['ternary', '--rows', '8', '--k', '16', '--weights', `${f}:layers.0.weight`, '--acts', `${f}:x`, '--sim', 'iverilog', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.report.simulator).toBe('iverilog');
    // The cycles are the design's own: both simulators count the same (the harnesses' random reset lengths are not counted).
    const v = await layer(['ternary', '--rows', '8', '--k', '16', '--weights', `${f}:layers.0.weight`, '--acts', `${f}:x`, '--out', join(dir, 'st-v')]);
    expect(v.code, v.stderr).toBe(0);
    expect(r.report.hardware.cycles).toBe(v.report.hardware.cycles);
    expect(r.report.hardware.stallCycles).toBe(v.report.hardware.stallCycles);
    const { y, expected } = recompute(out);
    for (let i = 0; i < y.length; i++) expect(Math.abs(y[i] - expected[i])).toBeLessThan(1e-9 * (1 + Math.abs(expected[i])));
    // Without a name, a file with several tensors lists them.
    const many = await layer(['ternary', '--weights', f, '--acts', `${f}:x`]);
    expect(many.code).toBe(2);
    expect(many.stderr).toContain('layers.0.weight');
  });

  it.each([['TQ2_0', 35, tq2Block], ['TQ1_0', 34, tq1Block]] as const)('GGUF %s weights are used as stored: trits and one scale per 256-weight block', async (type, code, block) => {
    const rows = 4;
    const cols = 512;
    const r = new Rng(seed, 7);
    const trits = Array.from({ length: rows * cols }, () => (r.u32() % 3) - 1);
    const scales = Array.from({ length: rows * 2 }, (_, i) => [0.5, 0.25, 1.5, 0.125][i % 4]);
    const blocks = Array.from({ length: rows * 2 }, (_, b) => block(trits.slice(b * 256, (b + 1) * 256), scales[b]));
    const data = new Uint8Array(blocks.reduce((s, b) => s + b.length, 0));
    blocks.reduce((o, b) => (data.set(b, o), o + b.length), 0);
    const f = writeBytes(join(dir, `w-${type}.gguf`), ggufBytes({ kv: [['general.architecture', { type: 'string', value: 'bitnet' }]], tensors: [{ name: 'blk.0.ffn_up.weight', ne: [cols, rows], type: code, data }] }));
    writeBytes(join(dir, 'x512.npy'), npyBytes({ descr: '<f8', shape: [2, cols], data: encode(floats(2 * cols, 9), 'float64') }));
    const out = join(dir, `gguf-${type}`);
    const res = await layer(['ternary', '--rows', '4', '--k', '64', '--weights', `${f}:blk.0.ffn_up.weight`, '--acts', 'x512.npy', '--out', out]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.report.quantization.weights).toMatchObject({ method: 'gguf ternary as stored', scaleAxis: 'block' });
    expect(res.report.tiling).toMatchObject({ segment: 256, segments: 2, beatsPerVector: 4 });
    expect(Array.from(loadTensor(join(out, 'weights_q.npy')).data)).toEqual(trits);
    expect(Array.from(loadTensor(join(out, 'weights_scales.npy')).data)).toEqual(scales);
    const { y, expected } = recompute(out, 256);
    for (let i = 0; i < y.length; i++) expect(Math.abs(y[i] - expected[i])).toBeLessThan(1e-9 * (1 + Math.abs(expected[i])));
  });
});

describe('lowbit layer --act-format: floating-point activations, exact mode', () => {
  /** An .npy file's data as int64 (lowbit's loader reads no int64: it would not fit a double). */
  const int64s = (file: string): bigint[] => {
    const b = readFileSync(file);
    const header = b.readUInt16LE(8);
    const d = b.subarray(10 + header);
    return Array.from({ length: d.length / 8 }, (_, i) => d.readBigInt64LE(i * 8));
  };

  it.each([['fp32'], ['int']] as const)('GGUF TQ2_0 weights, fp16 activations: acc.npy holds every exact sum (out_format %s)', async (outFormat) => {
    const rows = 4;
    const cols = 512;
    const r = new Rng(seed, 11);
    const trits = Array.from({ length: rows * cols }, () => (r.u32() % 3) - 1);
    const blocks = Array.from({ length: rows * 2 }, (_, b) => tq2Block(trits.slice(b * 256, (b + 1) * 256), 0.5));
    const data = new Uint8Array(blocks.reduce((s, b) => s + b.length, 0));
    blocks.reduce((o, b) => (data.set(b, o), o + b.length), 0);
    const f = writeBytes(join(dir, 'w-fp.gguf'), ggufBytes({ kv: [['general.architecture', { type: 'string', value: 'bitnet' }]], tensors: [{ name: 'blk.0.ffn_up.weight', ne: [cols, rows], type: 35, data }] }));
    // Activations over many binades (subnormal to large), float64, so that rounding to fp16 happens.
    const x = Float64Array.from(floats(2 * cols, 12), (v, i) => v * 2 ** ((i % 23) - 16));
    writeBytes(join(dir, 'xfp.npy'), npyBytes({ descr: '<f8', shape: [2, cols], data: encode(x, 'float64') }));
    const out = join(dir, `fp16-${outFormat}`);
    const res = await layer(['ternary', '--rows', '4', '--k', '64', '--act-format', 'fp16', '--out-format', outFormat, '--weights', `${f}:blk.0.ffn_up.weight`, '--acts', 'xfp.npy', '--out', out]);
    expect(res.code, res.stderr).toBe(0);
    // Rounding to fp16 counted against an independent implementation (@petamoriken/float16)
    const h = Array.from(x, (v) => f16round(v));
    expect(res.report.quantization.acts).toMatchObject({ method: 'rounded to fp16', rounded: h.filter((v, i) => v !== x[i]).length });
    // The exact sums, here in BigInt from the trits and the fp16 values in units of 2^-24
    const units = h.map((v) => BigInt(v * 2 ** 24));
    const exact: bigint[] = [];
    for (let t = 0; t < 2; t++) {
      for (let seg = 0; seg < 2; seg++) {
        for (let row = 0; row < rows; row++) {
          let s = 0n;
          for (let i = seg * 256; i < (seg + 1) * 256; i++) s += BigInt(trits[row * cols + i]) * units[t * cols + i];
          exact.push(s);
        }
      }
    }
    if (outFormat === 'fp32') {
      const acc = loadTensor(join(out, 'acc.npy'));
      expect(acc.shape).toEqual([2, 2, rows]);
      // every element is the float32 rounding (Math.fround: nearest even) of its exact sum (|sum| < 2^53: exact as a double)
      expect(Array.from(acc.data)).toEqual(exact.map((s) => Math.fround(Number(s) * 2 ** -24)));
    } else {
      expect(int64s(join(out, 'acc.npy'))).toEqual(exact);
    }
  });
});

describe('lowbit layer --act-format: refusals', () => {
  it('an activation past the format\'s range is exit 2 naming it, nothing written', async () => {
    const x = new Float64Array(2 * IN).fill(1);
    x[IN + 3] = 70000;
    writeBytes(join(dir, 'xbig.npy'), npyBytes({ descr: '<f8', shape: [2, IN], data: encode(x, 'float64') }));
    const out = join(dir, 'big-out');
    const r = await layer(['ternary', '--rows', '8', '--k', '16', '--act-format', 'fp16', '--weights', 'w.npy', '--acts', 'xbig.npy', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("activations[1][3] = 70000 is past fp16's largest finite value (65504)");
    expect(existsSync(out)).toBe(false);
  });
});

describe('lowbit layer: failures', () => {
  it('a broken design: exit 1 naming tile, row, token, expected and actual; the replay command reproduces it', async () => {
    const rtl = join(dir, 'broken');
    const g = await lowbit(['gen', 'ternary', '--rows', '8', '--k', '16', '--max-beats', '5', '--out', rtl]);
    expect(g.code, g.stderr).toBe(0);
    const row = join(rtl, 'lowbit_ternary_row.v');
    const src = readFileSync(row, 'utf8');
    const edited = src.replace(/wire \[7:0\] t_5 = \{8\{sg_5\}\} \^ /, 'wire [7:0] t_5 = ');
    expect(edited).not.toBe(src);
    writeFileSync(row, edited);
    const r = await layer(['ternary', '--rows', '8', '--k', '16', '--max-beats', '5', '--rtl', rtl, '--weights', 'w.npy', '--acts', 'x.npy', '--out', join(dir, 'broken-out')]);
    expect(r.code, r.stderr).toBe(1);
    const m = r.report.mismatch!;
    expect(m.tile).toBeGreaterThanOrEqual(0);
    expect(m.row).toBe(m.tile * 8 + (m.row % 8));
    expect(r.stderr).toContain(`MISMATCH at tile ${m.tile}, row ${m.row}, token ${m.token}: expected ${m.expected}, actual ${m.actual}`);
    expect(r.report.replay).toContain(`--tile ${m.tile}`);
    const again = await execa('bash', ['-c', `${r.report.replay!} --json`], { cwd: tmp('replay'), reject: false });
    expect(again.exitCode).toBe(1);
    expect((JSON.parse(String(again.stdout)) as LayerReport).mismatch).toEqual(m);
  });

  it('bad files and shapes: exit 2 naming the file and the defect, nothing written', async () => {
    writeBytes(join(dir, 'x-wide.npy'), npyBytes({ descr: '<f4', shape: [TOKENS, IN + 1], data: encode(floats(TOKENS * (IN + 1), 3), 'float32') }));
    writeBytes(join(dir, 'cube.npy'), npyBytes({ descr: '<f4', shape: [2, 2, 2], data: encode(new Float64Array(8), 'float32') }));
    writeBytes(join(dir, 'junk.npy'), new TextEncoder().encode('not a numpy file'));
    const nan = W();
    nan[5 * IN + 7] = NaN;
    writeBytes(join(dir, 'nan.npy'), npyBytes({ descr: '<f8', shape: [OUT, IN], data: encode(nan, 'float64') }));
    const cases: [string[], string][] = [
      [['--weights', 'w.npy', '--acts', 'x-wide.npy'], `shapes do not agree: the weights w.npy:w are ${OUT} x ${IN} (out x in), the activations x-wide.npy:x-wide are ${TOKENS} x ${IN + 1} (tokens x in)`],
      [['--weights', 'cube.npy', '--acts', 'x.npy'], 'weights must be a 2-D matrix, but tensor cube in cube.npy has shape [2, 2, 2]'],
      [['--weights', 'junk.npy', '--acts', 'x.npy'], 'junk.npy'],
      [['--weights', 'nan.npy', '--acts', 'x.npy'], '[5, 7]'],
      [['--weights', 'missing.npy', '--acts', 'x.npy'], 'missing.npy: no such file'],
      [['--weights', 'w.npy', '--acts', 'x.npy', '--rounding', 'up'], 'rounding must be one of half-even, half-away, not "up"'],
      [['--weights', 'bipolar', '--weights', 'w.npy', '--acts', 'x.npy'], 'weights: ternary has no weights parameter; "bipolar" is not a weight file'],
    ];
    const out = join(dir, 'never');
    for (const [args, text] of cases) {
      const r = await lowbit(['layer', 'ternary', '--rows', '8', '--k', '16', ...args, '--out', out], { cwd: dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(text);
      expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    }
    const { existsSync } = await import('node:fs');
    expect(existsSync(out)).toBe(false);
  });
});
