// The ranges of the commands' own numeric options, as data: the commands check their options against
// these, and a suite file (lowbit regress) and its JSON Schema use the same ones, so a value is refused
// with the same words wherever it is given.

import { DEFAULT_RESETS } from '../testbenches/cosim.js';
import { DEFAULT_CLOCK_NS } from '../flows/tools/yosys.js';
import { intOption, numberOption } from './options.js';

/** An option's range; `integer` options take whole numbers only. */
export interface Range {
  min: number;
  max: number;
  integer: boolean;
  /** The value when the option is not given (absent: none, or one that depends on the design). */
  fallback?: number;
}

const int = (min: number, max: number, fallback?: number): Range => ({ min, max, integer: true, fallback });
const num = (min: number, max: number, fallback?: number): Range => ({ min, max, integer: false, fallback });

export const SEED_RANGE = int(0, Number.MAX_SAFE_INTEGER);
export const CLOCK_NS_RANGE = num(0.01, 1e6, DEFAULT_CLOCK_NS);

/** Numeric options per command, by their option name (`clock-ns` as on the command line). */
export const RANGES = {
  cosim: { vectors: int(1, 1e9, 10000), seed: SEED_RANGE, stall: int(0, 90, 25), resets: int(0, 50, DEFAULT_RESETS) },
  // cycles' lowest value is the design's shortest proof (minProofCycles); 1 is the floor of any design.
  prove: { timeout: int(1, 86400, 300), cycles: int(1, 1000) },
  synth: { 'clock-ns': CLOCK_NS_RANGE },
  power: { vectors: int(1, 1e7, 200), 'clock-ns': CLOCK_NS_RANGE, seed: SEED_RANGE, activity: num(0, 2) },
} as const satisfies Record<string, Record<string, Range>>;

/**
 * Checks a value against a range (UsageError naming the option, the range and the value, as
 * intOption/numberOption word it); `fallback` replaces the range's own default.
 */
export function rangeOption(name: string, value: unknown, r: Range, fallback?: number): number {
  const dflt = fallback ?? r.fallback;
  if (value === undefined && dflt !== undefined) return dflt;
  return r.integer ? intOption(name, value, r.min, r.max, dflt ?? NaN) : numberOption(name, value, r.min, r.max);
}
