// Floating-point activations (exact mode) in every family, on both simulators, against the golden
// model (decoders and FP32 rounding in BigInt): every output of every vector bit-exact, with stalls
// and random resets; and the checks shown failing on a decoder or a rounding broken on purpose.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cosim } from '../testbenches/cosim.js';
import { SIMULATORS } from '../testbenches/simulator.js';
import { Schedule } from '../testbenches/stimulus.js';
import { lint } from '../flows/tools/verilator.js';
import { generated, lowbit, testSeed, tmp } from './helpers.js';
import type { SweepReport } from '../api/sweep.js';

const FAMILIES: [string, Record<string, unknown>][] = [
  ['ternary', { rows: 2, k: 8, max_beats: 12 }],
  ['dense', { rows: 2, k: 6, w_bits: 4, max_beats: 12, pipeline: 1 }],
  ['nmsparse', { rows: 2, k: 8, n: 2, m: 4, weights: 'ternary', max_beats: 12 }],
  ['lutgemm', { rows: 2, k: 8, weights: 'ternary', encoding: 'tl1', max_beats: 12 }],
  ['lutgemm', { rows: 3, k: 8, w_bits: 3, max_beats: 12 }],
];
const FORMATS = ['fp8e4m3', 'fp8e5m2', 'fp16'] as const;

async function run(name: string, raw: Record<string, unknown>, sim: 'verilator' | 'iverilog', vectors: number, edit?: (dir: string) => void) {
  const g = await generated(name, raw);
  edit?.(g.dir);
  const seed = testSeed(`${sim} ${name} ${JSON.stringify(raw)}`);
  const res = await cosim({ family: g.family, params: g.params, top: g.top, files: g.files, simulator: SIMULATORS[sim], vectors, seed, stall: 25, workDir: g.dir, replay: false });
  return { res, seed, g };
}

describe('exact mode: every family and format co-simulates bit-exactly (Verilator)', () => {
  for (const [name, base] of FAMILIES) {
    for (const act_format of FORMATS) {
      for (const out_format of ['int', 'fp32'] as const) {
        const raw = { ...base, act_format, out_format };
        it(`${name} ${JSON.stringify(raw)}`, async () => {
          const { res, seed, g } = await run(name, raw, 'verilator', 400);
          expect(res.mismatch, `seed ${seed}`).toBeUndefined();
          expect(res.violation, `seed ${seed}`).toBeUndefined();
          expect(res.compared).toBe(400);
          expect(res.resets, `seed ${seed}`).toBeGreaterThan(0);
          // verilator --lint-only -Wall: any warning throws (with the log's tail)
          await lint(g.files, g.top, join(g.dir, 'lint.log'));
        });
      }
    }
  }
});

describe('exact mode at the default max_beats (accumulators past 52 bits: BigInt comparison)', () => {
  for (const sim of ['verilator', 'iverilog'] as const) {
    it(`ternary fp16, out_format int, max_beats 256 on ${sim}`, async () => {
      const raw = { rows: 2, k: 8, act_format: 'fp16' };
      const { res, seed, g } = await run('ternary', raw, sim, 120);
      expect(g.family.layout(g.params).accBits).toBeGreaterThan(52);
      expect(res.mismatch, `seed ${seed}`).toBeUndefined();
      expect(res.compared).toBe(120);
    });
  }
});

describe('FP32 ties reached over several beats', () => {
  for (const raw of [{ rows: 2, k: 8, max_beats: 40, act_format: 'fp8e4m3', out_format: 'fp32' }, { rows: 2, k: 32, max_beats: 80, act_bits: 16, out_format: 'fp32' }]) {
    it(`ternary ${JSON.stringify(raw)}: the tie vectors run and match`, async () => {
      const { res, seed, g } = await run('ternary', raw, 'verilator', 200);
      expect(res.mismatch, `seed ${seed}`).toBeUndefined();
      const kinds = new Schedule(g.family, g.params, seed, 200).directed.map((d) => d().kind);
      expect(kinds.filter((k) => k.startsWith('FP32'))).toHaveLength(5);
    });
  }
});

describe('exact mode on Icarus (the second simulator)', () => {
  for (const [name, base] of FAMILIES.slice(0, 4)) {
    for (const [act_format, out_format] of [['fp16', 'fp32'], ['fp8e4m3', 'int']] as const) {
      const raw = { ...base, act_format, out_format };
      it(`${name} ${JSON.stringify(raw)}`, async () => {
        const { res, seed } = await run(name, raw, 'iverilog', 150);
        expect(res.mismatch, `seed ${seed}`).toBeUndefined();
        expect(res.violation, `seed ${seed}`).toBeUndefined();
        expect(res.compared).toBe(150);
      });
    }
  }
});

describe('the checks fail on broken floating-point blocks', () => {
  const edit = (file: string, from: string, to: string) => (dir: string) => {
    const f = join(dir, file);
    const src = readFileSync(f, 'utf8');
    expect(src).toContain(from);
    writeFileSync(f, src.replace(from, to));
  };

  it('an FP32 rounding that truncates (no ties to even) fails, reported as FP32 pattern and value', async () => {
    const { res, seed } = await run('ternary', { rows: 2, k: 8, act_format: 'fp16', out_format: 'fp32' }, 'verilator', 60, edit('lowbit_int_to_fp.v', 'wire                up     = guard && (sticky || frac[0]);', 'wire                up     = 1\'b0;'));
    expect(res.passed, `seed ${seed}`).toBe(false);
    expect(res.mismatch!.expected).toMatch(/^0x[0-9a-f]{8} \(/);
  });

  it('a decoder that lets infinity and NaN through fails on the NaN and infinity vector', async () => {
    const { res, seed } = await run('dense', { rows: 2, k: 6, w_bits: 4, act_format: 'fp8e5m2' }, 'verilator', 60, edit('lowbit_fp_decode.v', "wire special = (E4M3 != 0) ? (&e && &m) : &e;", "wire special = (E4M3 != 0) ? (&e && &m) : 1'b0;"));
    expect(res.passed, `seed ${seed}`).toBe(false);
    expect(res.mismatch!.kind).toBe('NaN and infinity lanes (decode to 0)');
  });

  it('a decoder that drops subnormals fails', async () => {
    const { res, seed } = await run('nmsparse', { rows: 2, k: 8, n: 2, m: 4, weights: 'ternary', act_format: 'fp16' }, 'verilator', 200, edit('lowbit_fp_decode.v', 'wire [MAN_BITS:0] sig = {|e, m};', "wire [MAN_BITS:0] sig = (|e) ? {1'b1, m} : {(MAN_BITS+1){1'b0}};"));
    expect(res.passed, `seed ${seed}`).toBe(false);
  });
});

describe('sweeps take the activation format as a dimension', () => {
  it('every point of act_format=int,fp8e4m3,bf16 is verified and measured, or skipped with the family\'s reason', async () => {
    const dir = tmp('fp-sweep');
    const r = await lowbit(['sweep', 'ternary', '--grid', 'rows=2', '--grid', 'k=8', '--grid', 'act_format=int,fp8e4m3,bf16', '--target', 'generic', '--vectors', '80', '--runs-dir', join(dir, 'runs'), '--out', join(dir, 'out'), '--json'], { cwd: dir, env: { LOWBIT_CACHE: join(dir, 'cache') } });
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout) as SweepReport;
    const byFormat = new Map(rep.points.map((p) => [p.params.act_format, p]));
    expect([...byFormat.keys()].sort()).toEqual(['fp8e4m3', 'int']);
    for (const p of rep.points) {
      expect(p.status).toBe('measured');
      expect(p.cosim?.status).toBe('passed');
    }
    // The decoders cost area: the FP8 point is larger per MAC, measured and estimated
    const tr = (f: string) => byFormat.get(f)!.targets.generic!.measured.transistors_per_mac;
    expect(byFormat.get('fp8e4m3')!.targets.generic!.estimate.transistors_per_mac).toBeGreaterThan(byFormat.get('int')!.targets.generic!.estimate.transistors_per_mac);
    expect(tr('fp8e4m3')).toBeGreaterThan(tr('int'));
    expect(rep.skipped.map((s) => s.reason).join('\n')).toContain('act_format bf16 cannot use fp_mode exact');
  });
});
