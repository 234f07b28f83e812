// The hostile harness: reset, X and handshake bugs that a friendly testbench lets through are caught
// by both simulators, and correct designs still pass under garbage inputs, random initial state and
// mid-stream resets.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getFamily } from '../generators/registry.js';
import { cosim, type CosimResult } from '../testbenches/cosim.js';
import { SIMULATORS } from '../testbenches/simulator.js';
import { findViolation, resultLinesToWords } from '../testbenches/wire.js';
import { generated, shellEditedDesign, testSeed } from './helpers.js';

const SIMS = ['verilator', 'iverilog'] as const;

/** Generates a design, applies `edit` to the shared shell (must change it), runs cosim with default harness settings. */
async function runEdited(raw: Record<string, unknown>, sim: string, edit?: [string, string], o: { vectors?: number; resets?: number; name?: string } = {}) {
  const { family, params, top, dir, files } = await shellEditedDesign(o.name ?? 'ternary', raw, edit && ((src) => src.replace(edit[0], edit[1])));
  const seed = testSeed(`hostile ${JSON.stringify(raw)} ${sim} ${edit?.[1] ?? ''}`);
  const res: CosimResult = await cosim({ family, params, top, files, simulator: SIMULATORS[sim], vectors: o.vectors ?? 300, seed, stall: 25, resets: o.resets, workDir: dir });
  return { res, seed };
}

describe('the three designs that passed the friendly harness fail now, in both simulators', () => {
  for (const sim of SIMS) {
    it(`${sim}: a valid chain that resets to ones (phantom beats after reset) is a mismatch`, async () => {
      const { res, seed } = await runEdited({ rows: 3, k: 8, act_bits: 6, pipeline: 2 }, sim, ['v_q <= {LATENCY{1\'b0}};', 'v_q <= {LATENCY{1\'b1}};']);
      expect(res.passed, `seed ${seed}`).toBe(false);
      expect(res.mismatch, `seed ${seed}`).toBeDefined();
      expect(res.mismatch!.expected).not.toBe(res.mismatch!.actual);
    });

    it(`${sim}: an accumulator without reset is a mismatch (X bits named in Icarus, never a crash)`, async () => {
      const { res, seed } = await runEdited({ rows: 3, k: 8, act_bits: 6 }, sim, ['if (rst) acc <= ', 'if (1\'b0) acc <= ']);
      expect(res.passed, `seed ${seed}`).toBe(false);
      const m = res.mismatch!;
      expect(m, `seed ${seed}`).toBeDefined();
      if (sim === 'iverilog') {
        expect(m.unknownBits, `seed ${seed}`).toBe(res.mismatch!.actual.length);
        expect(m.actual).toMatch(/^x+$/);
        expect(m.actual).toHaveLength(getFamily('ternary').layout(getFamily('ternary').resolve({ rows: 3, k: 8, act_bits: 6 })).accBits);
      } else {
        expect(m.unknownBits).toBeUndefined();
        expect(m.actual).toMatch(/^-?\d+$/);
      }
    });

    it(`${sim}: out_valid raised on s_last without a handshake is a protocol violation`, async () => {
      const { res, seed } = await runEdited({ rows: 3, k: 8, act_bits: 6 }, sim, ['else if (take && s_last) out_valid <= 1\'b1;', 'else if (s_last) out_valid <= 1\'b1;']);
      expect(res.passed, `seed ${seed}`).toBe(false);
      expect(res.violation?.rule, `seed ${seed}`).toContain('without a closing beat');
      expect(res.violation!.cycle).toBeGreaterThan(0);
      expect(readFileSync(res.vcd!, 'utf8')).toContain('out_valid');
    });
  }
});

describe('protocol rules, each broken on purpose', () => {
  const rules: [string, [string, string], string][] = [
    ['out_valid drops without out_ready', ["else if (out_ready) out_valid <= 1'b0;", "else out_valid <= 1'b0;"], 'out_valid dropped while out_ready was low'],
    ['out_data moves while a result waits', ['if (take && s_last) out_data[r*ACC_BITS +: ACC_BITS] <= next;', 'if (take) out_data[r*ACC_BITS +: ACC_BITS] <= next;'], 'out_data changed while out_valid was high'],
    ['in_ready low with no result waiting', ['assign in_ready = en;', 'assign in_ready = en && !out_valid;'], 'in_ready low with a beat presented and no result waiting'],
    ['out_valid not cleared by reset', ["if (rst) out_valid <= 1'b0;", "if (1'b0) out_valid <= 1'b0;"], 'without a closing beat'],
  ];
  for (const [what, edit, rule] of rules) {
    for (const sim of SIMS) {
      it(`${sim}: ${what}`, async () => {
        const { res, seed } = await runEdited({ rows: 2, k: 4, max_beats: 8 }, sim, edit, { vectors: 400, resets: 20 });
        expect(res.passed, `seed ${seed}`).toBe(false);
        expect(res.violation?.rule, `seed ${seed}: ${JSON.stringify(res.mismatch)}`).toContain(rule);
      });
    }
  }
});

describe('mid-stream resets', () => {
  it('correct designs of every family pass with resets in flight, in both simulators, and the resets happen', async () => {
    const designs: [string, Record<string, unknown>][] = [
      ['ternary', { rows: 3, k: 5, pipeline: 2, max_beats: 12 }],
      ['dense', { rows: 2, k: 3, w_bits: 4, max_beats: 8, pipeline: 1, acc_bits: 9, overflow: 'saturate' }],
      ['lutgemm', { rows: 2, k: 4, w_bits: 3, max_beats: 8, pipeline: 1 }],
      ['nmsparse', { rows: 2, k: 8, n: 1, m: 4, max_beats: 8 }],
    ];
    for (const [name, raw] of designs) {
      for (const sim of SIMS) {
        const { res, seed } = await runEdited(raw, sim, undefined, { name, vectors: 400, resets: 20 });
        expect(res.passed, `${name} ${sim} seed ${seed}: ${JSON.stringify(res.mismatch ?? res.violation)}`).toBe(true);
        expect(res.compared).toBe(400);
        expect(res.resets, `${name} ${sim}`).toBeGreaterThan(20);
      }
    }
  });

  it('an accumulator that only the first reset clears is caught by mid-stream resets, not without them', async () => {
    const passed: boolean[] = [];
    for (const resets of [0, 20]) {
      const { family, params, dir, files } = await generated('ternary', { rows: 2, k: 4, max_beats: 8 });
      const f = join(dir, 'lowbit_stream_acc.v');
      const src = readFileSync(f, 'utf8')
        .replace('genvar r;', "reg done_first = 1'b0;\n    always @(posedge clk) if (rst) done_first <= 1'b1;\n    genvar r;")
        .replace('if (rst) acc <= ', 'if (rst && !done_first) acc <= ');
      expect(src).toContain('rst && !done_first');
      writeFileSync(f, src);
      const seed = testSeed(`reset-once ${resets}`);
      const res = await cosim({ family, params, top: 'lowbit_ternary', files, simulator: SIMULATORS.verilator, vectors: 400, seed, stall: 25, resets, workDir: dir });
      passed.push(res.passed);
    }
    expect(passed).toEqual([true, false]);
  });
});

describe('wire formats', () => {
  it('Icarus result lines: hex values, and binary lines whose x/z bits become an unknown mask', () => {
    const b = resultLinesToWords(['R 0000000100000002', 'X 1x0z'], 2);
    expect(Array.from(b.words.slice(0, 2))).toEqual([2, 1]);
    expect(b.words[2]).toBe(0b1000);
    expect(Array.from(b.unknown!.get(1)!)).toEqual([0b0101, 0]);
    expect(b.unknown!.has(0)).toBe(false);
    expect(() => resultLinesToWords(['R 12g4'], 1)).toThrow(/not hex/);
  });

  it('protocol violations are read from the harness log', () => {
    expect(findViolation('x\nharness: protocol violation at cycle 12, vector 3: out_valid dropped while out_ready was low\n')).toEqual({ cycle: 12, vector: 3, rule: 'out_valid dropped while out_ready was low' });
    expect(findViolation('harness: 10 cycles')).toBeUndefined();
  });
});
