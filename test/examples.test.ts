// The example family (examples/xnor), registered from outside lowbit's tree, through the real tools:
// lint, bit-exact co-simulation (Verilator and Icarus), synthesis and formal proof. And the reverse: a
// variant with its sign convention swapped must fail, or these checks would prove nothing.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { xnor, type XnorParams } from '../examples/xnor/index.js';
import { macsPerCycle, type Family } from 'lowbit';
import { lint } from '../flows/tools/verilator.js';
import { synth } from '../flows/tools/yosys.js';
import { prove } from '../flows/prove.js';
import { cosim } from '../testbenches/cosim.js';
import { SIMULATORS } from '../testbenches/simulator.js';
import { proveMiter, referenceDesign } from '../generators/common/reference.js';
import { stageSources, YOSYS_UNSAFE } from '../core/stage.js';
import { testSeed, tmp } from './helpers.js';

const RAW = { rows: 2, k: 8, max_beats: 16 };
const TOP = 'lowbit_example';

/** Generates the family's RTL into a fresh directory; returns the files in compile order. */
function generate(family: Family<XnorParams>, p: XnorParams, prefix: string): { dir: string; files: string[] } {
  const dir = tmp(prefix);
  const files = family.generate(p, TOP).files.map((f) => {
    writeFileSync(join(dir, f.name), f.content);
    return join(dir, f.name);
  });
  return { dir, files };
}

async function proveIt(family: Family<XnorParams>, p: XnorParams, dir: string, files: string[]) {
  const l = family.layout(p);
  const proofDir = join(dir, 'proof');
  const staged = stageSources(files, proofDir, { rename: YOSYS_UNSAFE });
  const ref = referenceDesign(family, p, TOP);
  const referenceFile = join(proofDir, `${ref.name}.v`);
  writeFileSync(referenceFile, ref.verilog);
  const miterFile = join(proofDir, 'lowbit_miter.v');
  writeFileSync(miterFile, proveMiter(family, p, TOP, ref.name));
  const cycles = 1 + (l.beatCycles ?? 1) + l.latency + 2;
  return prove({ dir: proofDir, files: files.map((f) => join(proofDir, staged.names.get(f)!)), incdirs: staged.incdirs, referenceFile, miterFile, cycles, timeoutS: 300 }, join(dir, 'prove.log'));
}

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

describe('the example family through the real tools', () => {
  const p = xnor.resolve(RAW);

  it('lints clean (verilator -Wall) and synthesizes (Yosys, generic gates)', async () => {
    const { dir, files } = generate(xnor, p, 'example-lint');
    const v = await lint(files, TOP, join(dir, 'lint.log'));
    expect(v.log.trim(), 'verilator printed warnings').toBe('');
    const report = await synth(files, TOP, 'generic', macsPerCycle(xnor.layout(p)), join(dir, 'logs'), { workDir: join(dir, 'synth') });
    expect(report.totalCells).toBeGreaterThan(0);
    expect(report.transistors).toBeGreaterThan(0);
    expect(report.macs).toBe(16);
  });

  for (const sim of ['verilator', 'iverilog'] as const) {
    it(`co-simulates bit-exactly with ${sim} (300 vectors, directed corners first), and the swapped variant fails`, async () => {
      const seed = testSeed(`example ${sim}`);
      const { dir, files } = generate(xnor, p, `example-${sim}`);
      const run = (family: Family<XnorParams>) => cosim({ family, params: p, top: TOP, files, simulator: SIMULATORS[sim], vectors: 300, seed, stall: 25, workDir: join(dir, family.name), replay: false });
      const res = await run(xnor);
      expect(res.mismatch, `seed ${seed}`).toBeUndefined();
      expect(res.passed).toBe(true);
      expect(res.compared).toBe(300);
      expect(res.directed).toBeGreaterThanOrEqual(6);
      const bad = await run(swapped);
      expect(bad.passed, `seed ${seed}`).toBe(false);
      // a directed corner vector (an extreme term) catches it, not luck
      expect(bad.mismatch!.vector).toBeLessThan(bad.directed);
    });
  }

  it('co-simulates pipelined (2 register levels) with Verilator', async () => {
    const pp = xnor.resolve({ ...RAW, pipeline: 2 });
    const seed = testSeed('example pipelined');
    const { dir, files } = generate(xnor, pp, 'example-pipe');
    const res = await cosim({ family: xnor, params: pp, top: TOP, files, simulator: SIMULATORS.verilator, vectors: 300, seed, stall: 25, workDir: dir });
    expect(res.mismatch, `seed ${seed}`).toBeUndefined();
    expect(res.passed).toBe(true);
  });

  it('is proved equal to its behavioural reference; the swapped reference gets a counterexample', async () => {
    // SAT over every input sequence is exponential in the inputs: a proof-sized design (as the built-in families' proofs).
    const p = xnor.resolve({ rows: 1, k: 4, act_bits: 3, max_beats: 2 });
    const { dir, files } = generate(xnor, p, 'example-prove');
    const res = await proveIt(xnor, p, dir, files);
    expect(res.status).toBe('proved');
    const bad = await proveIt(swapped, p, tmp('example-prove-bad'), files);
    expect(bad.status).toBe('counterexample');
  });
});
