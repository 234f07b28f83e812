// The checks a suite file can ask for, as data: each is one lowbit command (lint, cosim, prove, synth,
// power), its options under the command's own names (snake_case: `clock_ns` is --clock-ns) with the
// command's own ranges (api/ranges.ts) and word lists, and which options fan a check out into several
// jobs (cosim's seeds and sim, synth's target). The suite's JSON Schema, its validation, the jobs'
// command lines and the job names all come from this table.

import { SIMULATORS } from '../testbenches/simulator.js';
import { TARGETS } from '../flows/tools/yosys.js';
import { DEVICES } from '../flows/tools/nextpnr.js';
import { STIMULI } from '../testbenches/stimulus.js';
import { RANGES, SEED_RANGE, type Range } from './ranges.js';

/** One option of a check. */
export interface CheckOption {
  /** Its key in a suite file (`clock_ns`). */
  key: string;
  /** The command's flag (`--clock-ns`); absent for the fan-out keys that are not flags (`seeds`). */
  flag?: string;
  type: 'integer' | 'number' | 'boolean' | 'word';
  range?: Range;
  /** The words a `word` option takes. */
  words?: readonly string[];
  /** A list of values fans the check out: one job per value. */
  fanOut?: boolean;
  description: string;
}

export const CHECK_NAMES = ['lint', 'cosim', 'prove', 'synth', 'power'] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

/** `--timeout S` of the commands that take a time limit (prove's `timeout` is its proof budget instead). */
const TIME_LIMIT: CheckOption = { key: 'timeout', flag: '--timeout', type: 'integer', range: { min: 1, max: 7 * 86400, integer: true }, description: 'time limit of the job in seconds (exit 3: the job is an error, not a verdict)' };

/** Seeds of a cosim: a count (that many seeds derived from the suite's seed and the job) or a list of seeds. */
export const SEED_COUNT: Range = { min: 1, max: 10000, integer: true, fallback: 1 };

export const CHECKS: Record<CheckName, { description: string; options: CheckOption[] }> = {
  lint: { description: 'verilator --lint-only -Wall: any warning fails', options: [TIME_LIMIT] },
  cosim: {
    description: 'co-simulation against the golden model, every output of every vector compared',
    options: [
      { key: 'vectors', flag: '--vectors', type: 'integer', range: RANGES.cosim.vectors, description: 'vectors per job (directed corner vectors first)' },
      { key: 'seeds', type: 'integer', range: SEED_COUNT, fanOut: true, description: 'a count of seeds derived from the suite seed, or a list of seeds: one job per seed' },
      { key: 'sim', flag: '--sim', type: 'word', words: Object.keys(SIMULATORS), fanOut: true, description: 'simulator, or a list of them: one job per simulator' },
      { key: 'stall', flag: '--stall', type: 'integer', range: RANGES.cosim.stall, description: 'percent of cycles with a gap on in_valid and with out_ready low' },
      { key: 'resets', flag: '--resets', type: 'integer', range: RANGES.cosim.resets, description: 'percent of random vectors interrupted by a reset' },
      { key: 'netlist', flag: '--netlist', type: 'word', words: ['generic', 'asic'], fanOut: true, description: 'simulate the netlist Yosys makes of the RTL (generic or asic), or a list of them' },
      TIME_LIMIT,
    ],
  },
  prove: {
    description: 'formal equivalence of the RTL with the reference model (Yosys SAT)',
    options: [
      { key: 'cycles', flag: '--cycles', type: 'integer', range: RANGES.prove.cycles, description: "cycles of the bounded proof (at least the design's shortest proof)" },
      { key: 'timeout', flag: '--timeout', type: 'integer', range: RANGES.prove.timeout, description: 'seconds the proof may take (an unfinished proof is inconclusive)' },
    ],
  },
  synth: {
    description: 'synthesis with Yosys: area and timing per MAC',
    options: [
      { key: 'target', flag: '--target', type: 'word', words: TARGETS, fanOut: true, description: 'target, or a list of them: one job per target' },
      { key: 'clock_ns', flag: '--clock-ns', type: 'number', range: RANGES.synth['clock-ns'], description: 'clock period for timing (ns)' },
      { key: 'pnr', flag: '--pnr', type: 'boolean', description: 'also place and route on an iCE40 (target ice40 only)' },
      { key: 'device', flag: '--device', type: 'word', words: Object.keys(DEVICES), description: 'iCE40 device for pnr' },
      TIME_LIMIT,
    ],
  },
  power: {
    description: 'gate-level power with OpenSTA on the OSU 0.18 um cells',
    options: [
      { key: 'vectors', flag: '--vectors', type: 'integer', range: RANGES.power.vectors, description: 'vectors simulated for the switching activity' },
      { key: 'clock_ns', flag: '--clock-ns', type: 'number', range: RANGES.power['clock-ns'], description: 'clock period (ns)' },
      { key: 'stimulus', flag: '--stimulus', type: 'word', words: STIMULI, description: 'activation and weight statistics of the vectors' },
      { key: 'seed', flag: '--seed', type: 'integer', range: SEED_RANGE, description: 'seed of the stimulus (default: derived from the suite seed)' },
      TIME_LIMIT,
    ],
  },
};

