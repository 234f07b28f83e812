import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cosim } from '../testbenches/cosim.js';
import { SIMULATORS } from '../testbenches/simulator.js';
import { COSIM_MATRIX } from './matrix.js';
import { generated, testSeed, tmp } from './helpers.js';

async function run(name: string, raw: Record<string, unknown>, o: { vectors?: number; seed?: number; stall?: number; edit?: (dir: string) => void; dump?: string } = {}) {
  const { family, params, top, dir, files } = await generated(name, raw);
  o.edit?.(dir);
  const seed = o.seed ?? testSeed(`${name} ${JSON.stringify(raw)}`);
  const res = await cosim({ family, params, top, files, simulator: SIMULATORS.verilator, vectors: o.vectors ?? 300, seed, stall: o.stall ?? 30, workDir: dir, dumpPath: o.dump });
  return { res, seed, dir, params };
}

describe('co-simulation matrix: every output of every vector bit-exact', () => {
  for (const [name, raw] of COSIM_MATRIX) {
    it(`${name} ${JSON.stringify(raw)}`, async () => {
      const { res, seed } = await run(name, raw);
      expect(res.mismatch, `seed ${seed}`).toBeUndefined();
      expect(res.passed).toBe(true);
      expect(res.compared).toBe(300);
      expect(res.directed).toBeGreaterThanOrEqual(8);
    });
  }
});

describe('co-simulation catches broken RTL', () => {
  it('a sign error in one lane is reported with vector, row, expected, actual and a VCD of the replay', async () => {
    const { res, seed } = await run('ternary', { rows: 3, k: 7, max_beats: 20 }, {
      edit: (dir) => {
        const f = join(dir, 'lowbit_ternary_row.v');
        const src = readFileSync(f, 'utf8');
        const broken = src.replace('wire sg_3 = wgt[7];', 'wire sg_3 = 1\'b0;');
        expect(broken).not.toBe(src);
        writeFileSync(f, broken);
      },
    });
    expect(res.passed, `seed ${seed}`).toBe(false);
    const m = res.mismatch!;
    expect(m.vector).toBeGreaterThanOrEqual(0);
    expect(m.row).toBeGreaterThanOrEqual(0);
    expect(m.expected).not.toBe(m.actual);
    expect(existsSync(res.vcd!)).toBe(true);
    const vcd = readFileSync(res.vcd!, 'utf8');
    expect(vcd).toContain('$var');
    expect(vcd).toContain('in_ready');
  });

  it('an accumulator that wraps where it should saturate is caught by the directed corner vectors', async () => {
    const { res, seed } = await run('dense', { rows: 2, k: 3, w_bits: 4, acc_bits: 8, overflow: 'saturate', max_beats: 10 }, {
      vectors: 20,
      edit: (dir) => {
        const f = join(dir, 'lowbit_dense.v');
        writeFileSync(f, readFileSync(f, 'utf8').replace('.SATURATE (1)', '.SATURATE (0)'));
      },
    });
    expect(res.passed, `seed ${seed}`).toBe(false);
    expect(res.mismatch!.vector).toBeLessThan(res.directed); // a directed corner vector, not luck
  });
});

describe('co-simulation behaviour', () => {
  it('the same seed gives the same run; builds are cached by content', async () => {
    const a = await run('ternary', { rows: 2, k: 5, max_beats: 12 }, { vectors: 200, seed: 42 });
    const b = await run('ternary', { rows: 2, k: 5, max_beats: 12 }, { vectors: 200, seed: 42 });
    expect(a.res.passed && b.res.passed).toBe(true);
    expect(b.res.beats).toBe(a.res.beats);
    expect(b.res.buildCached).toBe(true);
  });

  it('passes without stalls and under heavy backpressure', async () => {
    for (const stall of [0, 80]) {
      const { res, seed } = await run('ternary', { rows: 3, k: 4, pipeline: 2, max_beats: 8 }, { vectors: 500, stall });
      expect(res.passed, `stall ${stall}, seed ${seed}`).toBe(true);
    }
  });

  it('--dump writes the documented JSON, and its numbers check out with a plain dot product', async () => {
    const dumpDir = tmp('dump');
    const { res, params } = await run('dense', { rows: 3, k: 2, w_bits: 3, max_beats: 5 }, { vectors: 1200, dump: join(dumpDir, 'cosim.json') });
    expect(res.passed).toBe(true);
    const d = JSON.parse(readFileSync(join(dumpDir, 'cosim.json'), 'utf8'));
    expect(d.family).toBe('dense');
    expect(d.params).toEqual(params);
    expect(d.vectors).toHaveLength(1000);
    for (const v of d.vectors) {
      const beats = v.activations.length / params.k;
      expect(Number.isInteger(beats) && beats >= 1 && beats <= 5).toBe(true);
      expect(v.weights).toHaveLength(3);
      const plain = v.weights.map((row: number[]) => row.reduce((s, w, i) => s + w * v.activations[i], 0));
      expect(v.expected).toEqual(plain); // exact accumulator: no overflow possible
      expect(v.actual).toEqual(v.expected);
    }
    expect(readdirSync(dumpDir)).toEqual(['cosim.json']); // written atomically, no temp left
  });
});
