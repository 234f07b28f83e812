// The example family (examples/xnor), registered from outside lowbit's tree, through the public API
// (the functions the CLI calls): gen, lint, bit-exact co-simulation (Verilator and Icarus), synthesis and
// formal proof. And the reverse: a variant with its sign convention swapped must fail, or these checks
// would prove nothing. (test/package.test.ts runs it from an installed package through `npx lowbit` too.)
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { xnor, type XnorParams } from '../examples/xnor/index.js';
import { cosim, generate, getFamily, lint, prove, synth, type Family } from 'lowbit';
import { testSeed, tmp } from './helpers.js';

const RAW = { rows: 2, k: 8, max_beats: 16 };

/** The example with its sign convention swapped everywhere but in the RTL: bit 1 read as -1. */
const negate = (w: Int32Array) => {
  for (let i = 0; i < w.length; i++) w[i] = -w[i];
};
const swapped: Family<XnorParams> = {
  ...xnor,
  name: 'xnor_swapped',
  pack: (p, w, out) => xnor.pack(p, Array.from(w, (v) => -v), out),
  unpack: (p, words, out) => {
    xnor.unpack(p, words, out);
    negate(out);
  },
  randomBeat: (p, rng, w, words) => {
    xnor.randomBeat(p, rng, w, words);
    negate(w);
  },
  referenceRow: (p) => xnor.referenceRow(p).map((s) => s.replace(/\? s \+ (.*) : s - /, '? s - $1 : s + ')),
};

describe('the example family through the public API and the real tools', () => {
  it('is registered by importing its module, by name', () => {
    expect(getFamily('xnor')).toBe(xnor);
  });

  it('gen writes RTL, files.f, params.json and run.json; lint is clean (verilator -Wall, Icarus)', async () => {
    const out = tmp('example-gen');
    const g = await generate({ family: 'xnor', params: RAW, out });
    expect(g).toMatchObject({ ok: true, family: 'xnor', command: 'gen' });
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'))).toMatchObject({ ok: true, family: 'xnor' });
    expect(JSON.parse(readFileSync(join(out, 'params.json'), 'utf8'))).toMatchObject({ family: 'xnor' });
    const l = await lint({ family: 'xnor', params: RAW, rtl: out, out: tmp('example-lint') });
    expect(l.ok).toBe(true);
  });

  it('synthesizes (Yosys, generic gates), per MAC over rows*k', async () => {
    const s = await synth({ family: 'xnor', params: RAW, target: 'generic', out: tmp('example-synth') });
    expect(s.ok).toBe(true);
    expect(s.transistors).toBeGreaterThan(0);
    expect(s.macs).toBe(16);
  });

  for (const sim of ['verilator', 'iverilog'] as const) {
    it(`co-simulates bit-exactly with ${sim} (300 vectors, directed corners first), and the swapped variant fails`, async () => {
      const seed = testSeed(`example ${sim}`);
      const run = (family: Family<XnorParams>) => cosim({ family, params: RAW, vectors: 300, seed, sim, out: tmp(`example-${sim}-${family.name}`) });
      const res = await run(xnor);
      expect(res.mismatch, `seed ${seed}`).toBeUndefined();
      expect(res.ok).toBe(true);
      expect(res.vectors).toBe(300);
      expect(res.directed).toBeGreaterThanOrEqual(6);
      const bad = await run(swapped);
      expect(bad.ok, `seed ${seed}`).toBe(false);
      // a directed corner vector (an extreme term) catches it, not luck
      expect(bad.mismatch!.vector).toBeLessThan(bad.directed);
      expect(existsSync(join(bad.dir, 'run.json'))).toBe(true);
    });
  }

  it('co-simulates pipelined (2 register levels) with Verilator', async () => {
    const seed = testSeed('example pipelined');
    const res = await cosim({ family: 'xnor', params: { ...RAW, pipeline: 2 }, vectors: 300, seed, out: tmp('example-pipe') });
    expect(res.mismatch, `seed ${seed}`).toBeUndefined();
    expect(res.ok).toBe(true);
  });

  it('is proved equal to its behavioural reference; the swapped reference gets a counterexample', async () => {
    // SAT over every input sequence is exponential in the inputs: a proof-sized design (as the built-in families' proofs).
    const params = { rows: 1, k: 4, act_bits: 3, max_beats: 2 };
    const good = await prove({ family: 'xnor', params, out: tmp('example-prove') });
    expect(good.status).toBe('proved');
    const bad = await prove({ family: swapped, params, out: tmp('example-prove-bad') });
    expect(bad.status).toBe('counterexample');
  });
});
