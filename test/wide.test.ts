// Results wider than a Number holds exactly (acc_bits 54..64): read and compared exactly, in both
// simulators, for every family; an error in the lowest bit of a 64-bit result is still an error.
import { describe, expect, it } from 'vitest';
import { cosim } from '../testbenches/cosim.js';
import { SIMULATORS } from '../testbenches/simulator.js';
import { shellEditedDesign, testSeed } from './helpers.js';

const FAMILIES: [string, Record<string, unknown>][] = [
  ['ternary', { rows: 2, k: 5, max_beats: 12 }],
  ['dense', { rows: 2, k: 3, w_bits: 4, act_bits: 6, max_beats: 8 }],
  ['nmsparse', { rows: 2, k: 8, n: 2, m: 4, w_bits: 3, max_beats: 8 }],
  ['lutgemm', { rows: 2, k: 4, w_bits: 2, max_beats: 8 }],
];
const WIDTHS = [54, 60, 63, 64];

const design = (name: string, raw: Record<string, unknown>, edit?: (src: string) => string) => shellEditedDesign(name, raw, edit);

describe('acc_bits 54..64: correct designs pass, bit-exact, on Verilator and Icarus', () => {
  for (const [name, raw] of FAMILIES) {
    for (const sim of ['verilator', 'iverilog']) {
      it(`${name} on ${sim}, acc_bits ${WIDTHS.join(', ')}`, async () => {
        for (const acc_bits of WIDTHS) {
          const d = await design(name, { ...raw, acc_bits });
          const seed = testSeed(`wide ${name} ${sim} ${acc_bits}`);
          const res = await cosim({ ...d, simulator: SIMULATORS[sim], vectors: 150, seed, stall: 20, workDir: d.dir });
          expect(res.mismatch ?? res.violation, `${name} ${sim} acc_bits ${acc_bits} seed ${seed}`).toBeUndefined();
          expect(res.compared).toBe(150);
        }
      });
    }
  }
});

describe('an error in the lowest bit of a 64-bit result', () => {
  // The LSB of every result flipped, but only when the result is negative.
  const flip = (src: string) => src.replace('if (take && s_last) out_data[r*ACC_BITS +: ACC_BITS] <= next;', "if (take && s_last) out_data[r*ACC_BITS +: ACC_BITS] <= next ^ {{(ACC_BITS-1){1'b0}}, next[ACC_BITS-1]};");
  for (const sim of ['verilator', 'iverilog']) {
    it(`is caught on ${sim} (acc_bits 64), with the exact expected and actual values`, async () => {
      const d = await design('dense', { rows: 2, k: 3, w_bits: 4, act_bits: 6, max_beats: 8, acc_bits: 64 }, flip);
      const seed = testSeed(`wide lsb ${sim}`);
      const res = await cosim({ ...d, simulator: SIMULATORS[sim], vectors: 150, seed, stall: 20, workDir: d.dir });
      const m = res.mismatch!;
      expect(m, `seed ${seed}`).toBeDefined();
      expect(BigInt(m.expected)).toBeLessThan(0n);
      expect(BigInt(m.actual) ^ BigInt(m.expected)).toBe(1n);
    });
  }
});
