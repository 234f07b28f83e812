// hw/lowbit_fp_add.v against its golden model (core/fp/add.ts), bit for bit, through testbenches/
// blockCheck.ts: every pair of both fp8 formats in Verilator and in Icarus; a million fp16 and fp32
// pairs (corners, aimed ties and cancellations, random over the whole exponent range, seeded) and
// 65,536+ bf16 pairs in Verilator. Also: lint (Verilator -Wall, Icarus -g2005) and Yosys synthesis of
// every format, and a check that the comparison fails an adder that truncates instead of rounding.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FP_FORMATS, type FpFormat, type FpFormatName } from '../core/fp/format.js';
import { repoPath } from '../core/paths.js';
import { runTool } from '../core/tool.js';
import { lint } from '../flows/tools/verilator.js';
import { compile } from '../flows/tools/iverilog.js';
import { YOSYS } from '../flows/tools/yosys.js';
import { compareBlock, runBlock, type Block, type BlockSim } from '../testbenches/blockCheck.js';
import { allPairs, goldenSums, mixedPairs, roundingCases, type Pairs } from './fpVectors.js';
import { testSeed, tmp } from './helpers.js';

const RTL = repoPath('hw', 'lowbit_fp_add.v');
const hex = (x: number) => `0x${x.toString(16)}`;

const params = (f: FpFormat) => ({ EXP_BITS: f.expBits, MAN_BITS: f.manBits, E4M3: f.specials === 'e4m3' ? 1 : 0 });

const adderBlock = (f: FpFormat, file = RTL): Block => ({
  files: [file],
  top: 'lowbit_fp_add',
  params: params(f),
  inputs: [{ name: 'a', width: f.bits }, { name: 'b', width: f.bits }],
  outputs: [{ name: 'y', width: f.bits }],
});

/** Runs the pairs through the adder, compares with the golden sums; the figures go to the log. */
async function check(f: FpFormat, pairs: Pairs, sim: BlockSim, file = RTL) {
  const t0 = performance.now();
  const golden = goldenSums(f, pairs);
  const goldenSeconds = (performance.now() - t0) / 1000;
  const block = adderBlock(f, file);
  const run = await runBlock(block, [pairs.a, pairs.b], { sim, workDir: tmp(`fpadd-${f.name}-${sim}`) });
  const cmp = compareBlock(block, [pairs.a, pairs.b], [golden], run);
  const first = cmp.first.map((m) => `${hex(m.inputs[0])} + ${hex(m.inputs[1])}: expected ${hex(m.expected[0])}, got ${m.unknown ? 'X/Z' : hex(m.actual[0])}`);
  console.log(
    `fp add ${f.name} ${sim}: ${cmp.vectors} vectors, ${cmp.mismatches} mismatches; golden ${goldenSeconds.toFixed(2)} s, ` +
      `${sim === 'verilator' ? `build ${run.cached ? 'cached' : `${run.buildSeconds.toFixed(1)} s`}` : `compile ${run.buildSeconds.toFixed(1)} s`}, run ${run.runSeconds.toFixed(2)} s`,
  );
  return { ...cmp, firstText: first.join('\n') };
}

describe('lowbit_fp_add: lint and synthesis, every format', () => {
  const formats: FpFormatName[] = ['fp8e4m3', 'fp8e5m2', 'fp16', 'bf16', 'fp32'];

  it('verilator --lint-only -Wall and iverilog -g2005 accept it for every format', async () => {
    const dir = tmp('fpadd-lint');
    for (const name of formats) {
      const f = FP_FORMATS[name];
      // Each format's parameters as a top that instantiates the adder (Verilator lints that instance).
      const top = join(dir, `lint_${name}.v`);
      const p = params(f);
      writeFileSync(
        top,
        `module lint_${name} (input wire [${f.bits - 1}:0] a, input wire [${f.bits - 1}:0] b, output wire [${f.bits - 1}:0] y);\n` +
          `    lowbit_fp_add #(.EXP_BITS(${p.EXP_BITS}), .MAN_BITS(${p.MAN_BITS}), .E4M3(${p.E4M3})) u_add (.a(a), .b(b), .y(y));\nendmodule\n`,
      );
      const r = await lint([top, RTL], `lint_${name}`, join(dir, `lint-${name}.log`));
      expect(r.warnings, `${name}: ${r.log}`).toEqual([]);
      const c = await compile([top, RTL], `lint_${name}`, join(dir, `${name}.vvp`), join(dir, `iverilog-${name}.log`));
      expect(c.warnings, `${name}: ${c.log}`).toEqual([]);
    }
  });

  it('Yosys read_verilog + synth succeeds for every format', async () => {
    const dir = tmp('fpadd-yosys');
    writeFileSync(join(dir, 'lowbit_fp_add.v'), readFileSync(RTL));
    const script: string[] = [];
    for (const name of formats) {
      const p = params(FP_FORMATS[name]);
      script.push(
        'design -reset',
        'read_verilog lowbit_fp_add.v',
        `chparam -set EXP_BITS ${p.EXP_BITS} -set MAN_BITS ${p.MAN_BITS} -set E4M3 ${p.E4M3} lowbit_fp_add`,
        'synth -top lowbit_fp_add',
        `tee -o stat-${name}.txt stat`,
      );
    }
    writeFileSync(join(dir, 'synth.ys'), script.join('\n') + '\n');
    const r = await runTool({ tool: YOSYS, args: ['-q', '-s', 'synth.ys'], cwd: dir, files: ['lowbit_fp_add.v', 'synth.ys'], logPath: join(dir, 'yosys.log'), what: 'synth fp add' });
    for (const name of formats) {
      const stat = readFileSync(join(dir, `stat-${name}.txt`), 'utf8');
      const cells = /Number of cells:\s+(\d+)/.exec(stat);
      expect(Number(cells?.[1]), `${name}: ${r.log}`).toBeGreaterThan(50);
      // Purely combinational (no flip-flop, no latch inferred from the always block): so every input
      // pair simulated, as the fp8 tests below do, is a complete check of the 8-bit adders' function.
      expect(stat, name).not.toMatch(/DFF|LATCH|dlatch|\$dff/i);
      console.log(`fp add ${name}: ${cells?.[1]} cells (Yosys synth)`);
    }
    console.log(`fp add: Yosys synth of 5 formats ${r.seconds.toFixed(1)} s`);
  });
});

describe('lowbit_fp_add equals the golden model bit for bit', () => {
  for (const name of ['fp8e4m3', 'fp8e5m2'] as const) {
    for (const sim of ['verilator', 'iverilog'] as const) {
      it(`${name}: every pair (65,536) in ${sim}`, async () => {
        const f = FP_FORMATS[name];
        const r = await check(f, allPairs(f.bits), sim);
        expect(r.vectors).toBe(65536);
        expect(r.mismatches, `${name} ${sim}: first mismatches:\n${r.firstText}`).toBe(0);
      });
    }
  }

  for (const [name, total] of [['fp16', 1_000_000], ['fp32', 1_000_000], ['bf16', 65_536 * 2]] as const) {
    it(`${name}: ${total.toLocaleString('en')} corner, aimed and random pairs in Verilator (seeded)`, async () => {
      const f = FP_FORMATS[name];
      const seed = testSeed(`fp add ${name}`);
      const pairs = mixedPairs(f, seed, total);
      // The vectors reach the rounding logic: many inexact sums, and exact ties of both parities.
      const cases = roundingCases(f, pairs);
      console.log(`fp add ${name}: ${cases.inexact} inexact sums, ${cases.ties} exact ties among ${total} pairs`);
      expect(cases.ties, `seed ${seed}`).toBeGreaterThan(total / 100);
      const r = await check(f, pairs, 'verilator');
      expect(r.vectors).toBe(total);
      expect(r.mismatches, `${name}, seed ${seed} (LOWBIT_TEST_SEED=${seed} replays): first mismatches:\n${r.firstText}`).toBe(0);
    });
  }
});

describe('the check can fail', () => {
  it('an adder that truncates instead of rounding to nearest even is caught', async () => {
    const dir = tmp('fpadd-broken');
    const src = readFileSync(RTL, 'utf8');
    const broken = src.replace(/wire\s+up = g & \(rs \| lsb\);/, "wire          up = 1'b0;  // BROKEN: truncation");
    expect(broken, 'the edit must apply to the RTL').not.toBe(src);
    const file = join(dir, 'lowbit_fp_add.v');
    writeFileSync(file, broken);
    const f = FP_FORMATS.fp8e5m2;
    const r = await check(f, allPairs(f.bits), 'verilator', file);
    console.log(`fp add, truncating adder: ${r.mismatches} of ${r.vectors} fp8e5m2 pairs mismatch; first:\n${r.firstText}`);
    expect(r.mismatches).toBeGreaterThan(1000);
    // Each reported mismatch is a real disagreement, in hex.
    expect(r.firstText).toMatch(/^0x[0-9a-f]+ \+ 0x[0-9a-f]+: expected 0x[0-9a-f]+, got 0x[0-9a-f]+/);
  });
});
