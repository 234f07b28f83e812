// The comparison side of co-simulation: the golden model's expected rows for each vector, stepped
// beat by beat as its beats are sent, and the results the harness returns checked against them, in
// order, bit-exactly (BigInt past 52-bit accumulators; X/Z bits are always a mismatch).

import type { CommonParams, Layout } from '../generators/common/family.js';
import { getBits, getSignedBig, getSignedNum } from '../core/bits.js';
import { accStepBig, numAccumulator, numberSafe } from '../generators/common/accumulator.js';
import { beatSums, beatSumsBig, numberSumsExact } from '../generators/common/golden.js';
import { unitsTable } from '../generators/common/actFormat.js';
import { FP_FORMATS, encodeInt, toNumber } from '../core/fp/format.js';
import { WireError, type ResultBatch } from './simContract.js';
import type { Beat } from './stimulus.js';

export interface Mismatch {
  vector: number;
  kind: string;
  beats: number;
  row: number;
  expected: string;
  /** The row's value; with unknown bits, its bits (most significant first) with x for X/Z. */
  actual: string;
  /** Rows of that vector that differ. */
  rowsWrong: number;
  /** X or Z bits in that row (Icarus keeps them); absent when every bit is known. */
  unknownBits?: number;
}

/** One vector's expected rows: Numbers while every step is exact as a Number (numberSafe), else BigInts. */
export type Expected = Float64Array | BigInt64Array;

/**
 * The golden model, one beat at a time: begin() a vector, step() each beat, finish() gives the rows
 * the design must output. Floating-point activations (Layout.act) arrive as bit patterns and are
 * decoded as the RTL's decoders do (unitsTable); FP32 outputs (Layout.out) are the accumulator
 * rounded once (core/fp/format.ts, BigInt).
 */
export class GoldenModel {
  private readonly useNumber: boolean;
  private readonly stepNum: (acc: number, psum: number) => number;
  private readonly psum: Float64Array;
  private readonly psumBig: bigint[];
  /** The accumulator's width (out_data's rows are FP32 patterns of it with Layout.out). */
  private readonly accBits: number;
  private readonly units?: Float64Array;
  private readonly values: Float64Array;
  constructor(private readonly l: Layout, private readonly overflow: CommonParams['overflow']) {
    this.accBits = l.out?.accBits ?? l.accBits;
    this.useNumber = numberSafe(this.accBits, l.exactBits, l.psumBits);
    this.stepNum = numAccumulator(this.accBits, overflow);
    this.psum = new Float64Array(l.rows);
    this.psumBig = new Array<bigint>(l.rows).fill(0n);
    this.units = l.act ? unitsTable(l.act.format) : undefined;
    this.values = new Float64Array(l.k);
  }

  /** A vector's accumulators, all zero. */
  begin(): Expected {
    return this.useNumber ? new Float64Array(this.l.rows) : new BigInt64Array(this.l.rows);
  }

  /** Adds one beat's partial sums to `acc` with the overflow rule. */
  step(acc: Expected, beat: Beat): void {
    const { l, psum, units, values } = this;
    let a: ArrayLike<number> = beat.acts;
    if (units) {
      for (let i = 0; i < l.k; i++) values[i] = units[beat.acts[i]];
      a = values;
    }
    if (acc instanceof Float64Array) {
      // Number accumulators (numberSafe): every beat sum is below 2^51, so beatSums is exact.
      beatSums(l.rows, l.k, beat.weights, a, psum);
      for (let r = 0; r < l.rows; r++) acc[r] = this.stepNum(acc[r], psum[r]);
    } else if (numberSumsExact(l.rows, l.k, beat.weights, a)) {
      beatSums(l.rows, l.k, beat.weights, a, psum);
      for (let r = 0; r < l.rows; r++) acc[r] = accStepBig(acc[r], BigInt(psum[r]), this.accBits, this.overflow);
    } else {
      beatSumsBig(l.rows, l.k, beat.weights, a, this.psumBig);
      for (let r = 0; r < l.rows; r++) acc[r] = accStepBig(acc[r], this.psumBig[r], this.accBits, this.overflow);
    }
  }

  /** The rows out_data must show for a vector whose beats were stepped into `acc`. */
  finish(acc: Expected): Expected {
    const out = this.l.out;
    if (!out) return acc;
    const rows = new Float64Array(this.l.rows);
    for (let r = 0; r < this.l.rows; r++) rows[r] = encodeInt(FP_FORMATS.fp32, BigInt(acc[r]), out.unitExp).code | 0;
    return rows;
  }
}

/** A row's value for messages: FP32 rows (Layout.out) as their bit pattern and value. */
export function showRow(l: Layout, v: number | bigint | string): string {
  if (!l.out || typeof v === 'string') return String(v);
  const code = Number(v) >>> 0;
  return `0x${code.toString(16).padStart(8, '0')} (${toNumber(FP_FORMATS.fp32, code)})`;
}

/**
 * Reads row r of result j. Values are Numbers while they are exact as Numbers (|v| < 2^53), else
 * BigInts; the golden model's Numbers are exact on the paths that use them (numberSafe), so a
 * BigInt actual against a Number expected is always a mismatch, as it must be.
 */
export function rowReader(l: Layout, outWords: number): (words: Uint32Array, j: number, r: number) => number | bigint {
  if (l.accBits <= 52) return (words, j, r) => getSignedNum(words, j * outWords * 32 + r * l.accBits, l.accBits);
  return (words, j, r) => {
    const v = getSignedBig(words, j * outWords * 32 + r * l.accBits, l.accBits);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  };
}

/**
 * A row read from the harness against its expected value. Expected rows are BigInts when the golden
 * model accumulates past Numbers (numberSafe false: wide accumulators), and the reader gives Numbers
 * for every value that fits one, so a BigInt expectation is compared as a BigInt; a Number one as is
 * (a BigInt actual then never equals it, as it must not: the golden Numbers are exact).
 */
export const sameRow = (actual: number | bigint, expected: number | bigint): boolean =>
  typeof expected === 'bigint' ? BigInt(actual) === expected : actual === expected;

/** Count of X/Z bits of row r in an unknown-bit mask, and the row as a 0/1/x string (MSB first). */
export function unknownRow(mask: Uint32Array, words: Uint32Array, j: number, outWords: number, r: number, accBits: number): { count: number; text: string } {
  let count = 0;
  let text = '';
  for (let i = accBits - 1; i >= 0; i--) {
    const bit = r * accBits + i;
    if (getBits(mask, bit, 1)) {
      count++;
      text += 'x';
    } else text += String(getBits(words, j * outWords * 32 + bit, 1));
  }
  return { count, text };
}

export interface CheckerOptions {
  /** What vector v is, for the mismatch report. */
  describe(v: number): { kind: string; beats: number };
  /** Stop comparing at the first mismatch (the run is then stopped). */
  stopAtMismatch: boolean;
  /** Receives the actual rows of the vectors it wants (--dump). */
  actual?: { wants(v: number): boolean; set(v: number, rows: (number | bigint)[]): void };
}

/**
 * Expected results queue up in vector order (expect()) and results arrive in the same order
 * (take()): one per vector, since the harness presents a vector dropped by a reset again.
 */
export class ResultChecker {
  compared = 0;
  mismatch?: Mismatch;
  private expected: Expected[] = [];
  private base = 0;
  private head = 0;
  private readonly readRow: ReturnType<typeof rowReader>;
  constructor(private readonly l: Layout, private readonly outWords: number, private readonly o: CheckerOptions) {
    this.readRow = rowReader(l, outWords);
  }

  /** Queues the next vector's expected rows. */
  expect(e: Expected): void {
    this.expected.push(e);
  }

  /**
   * Compares a batch of results with the next expected vectors. True when it stopped at the first
   * mismatch (stopAtMismatch): the rest of the batch is not compared. A result for a vector that was
   * not sent is a WireError.
   */
  take(batch: ResultBatch): boolean {
    const { l, outWords, readRow } = this;
    const { words } = batch;
    let stop = false;
    for (let j = 0; j < batch.count && !stop; j++) {
      const v = this.head++;
      const exp = this.expected[v - this.base];
      // The harness sends one result per closing beat it saw accepted; more results than vectors sent is a harness defect.
      if (!exp) throw new WireError(`the simulator returned a result for vector ${v}, which was not sent`);
      const mask = batch.unknown?.get(j);
      let wrong = 0;
      let first = -1;
      let firstUnknown: { count: number; text: string } | undefined;
      for (let r = 0; r < l.rows; r++) {
        const unk = mask ? unknownRow(mask, words, j, outWords, r, l.accBits) : undefined;
        if ((unk && unk.count > 0) || !sameRow(readRow(words, j, r), exp[r])) {
          wrong++;
          if (first < 0) {
            first = r;
            if (unk && unk.count > 0) firstUnknown = unk;
          }
        }
      }
      if (this.o.actual?.wants(v)) this.o.actual.set(v, Array.from({ length: l.rows }, (_, r) => readRow(words, j, r)));
      this.compared++;
      if (wrong > 0 && !this.mismatch) {
        const src = this.o.describe(v);
        this.mismatch = {
          vector: v,
          kind: src.kind,
          beats: src.beats,
          row: first,
          expected: showRow(l, exp[first]),
          actual: firstUnknown ? firstUnknown.text : showRow(l, readRow(words, j, first)),
          rowsWrong: wrong,
          ...(firstUnknown ? { unknownBits: firstUnknown.count } : {}),
        };
        if (this.o.stopAtMismatch) stop = true;
      }
    }
    // Drop what has been compared, now and then (results arrive in order).
    if (this.head - this.base > 4096) {
      this.expected = this.expected.slice(this.head - this.base);
      this.base = this.head;
    }
    return stop;
  }
}
