// The parts of co-simulation without a simulator: each simulator's wire codec (binary words for
// Verilator's harness, hex lines for Icarus's), the golden model stepped beat by beat, and the result
// checker (bit-exact BigInt past 52 bits, X/Z bits, stop at the first mismatch, results in order).
import { describe, expect, it } from 'vitest';
import { getFamily } from '../../generators/registry.js';
import { wordsFor } from '../../core/bits.js';
import { binaryCodec } from '../../testbenches/verilatorSim.js';
import { hexCodec } from '../../testbenches/icarusSim.js';
import { GoldenModel, ResultChecker, type Expected } from '../../testbenches/compare.js';
import { recordShape, resetBeat } from '../../testbenches/stream.js';
import { WireError, type ResultBatch } from '../../testbenches/simContract.js';
import { findViolation } from '../../testbenches/wire.js';
import { newBeat, Schedule } from '../../testbenches/stimulus.js';
import { dotProductModel } from '../../generators/common/golden.js';
import { testSeed } from '../helpers.js';

const shape = { recWords: 4, actWords: 2, outWords: 3 };
const records = new Uint32Array([0x1, 0x89abcdef, 0x01234567, 0xff, 0x3, 0, 0xdeadbeef, 0x7]);

describe('wire codecs', () => {
  it('binary: records as little-endian words, a copy (the caller refills its buffer)', () => {
    const view = records.slice();
    const bytes = binaryCodec(shape).encode(view, 2);
    view.fill(0);
    expect(bytes.length).toBe(32);
    expect([...new Uint32Array(bytes.buffer, bytes.byteOffset, 8)]).toEqual([...records]);
  });

  it('binary: results split across chunks anywhere come out whole', () => {
    const results = new Uint32Array([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const bytes = Buffer.from(results.buffer);
    const decode = binaryCodec(shape).decoder();
    const a = decode(bytes.subarray(0, 5));
    const b = decode(bytes.subarray(5, 29));
    const c = decode(bytes.subarray(29));
    expect([a.count, b.count, c.count]).toEqual([0, 2, 1]);
    expect([...b.words, ...c.words]).toEqual([...results]);
  });

  it('hex: one line per record, flags then each bus most significant word first', () => {
    expect(hexCodec(shape).encode(records, 2).toString('latin1')).toBe('1 0123456789abcdef 000000ff\n3 deadbeef00000000 00000007\n');
  });

  it('hex: R lines (hex) and X lines (binary, x/z as an unknown mask); chatter skipped; partial lines kept', () => {
    const decode = hexCodec({ ...shape, outWords: 2 }).decoder();
    expect(decode(Buffer.from('VCD info: dumpfile r.vcd opened for output.\nR 00000005')).count).toBe(0);
    const b = decode(Buffer.from('00000001\nX 1x0z1\n')) as ResultBatch;
    expect(b.count).toBe(2);
    expect([...b.words]).toEqual([1, 5, 0b10001, 0]);
    expect([...b.unknown!.get(1)!]).toEqual([0b01010, 0]);
    expect(b.unknown!.has(0)).toBe(false);
    expect(() => decode(Buffer.from('R 12g4\n'))).toThrow(WireError);
  });

  it('the record shape: a flags word, then whole words per bus', () => {
    const l = getFamily('ternary').layout(getFamily('ternary').resolve({ rows: 3, k: 20, act_bits: 8, acc_bits: 40 }));
    expect(recordShape(l)).toEqual({ recWords: 1 + wordsFor(160) + wordsFor(l.wgtBits), actWords: 5, outWords: wordsFor(120) });
  });

  it('reads protocol violations from a harness log', () => {
    expect(findViolation('x\nharness: protocol violation at cycle 812, vector 33: out_data changed while out_valid && !out_ready \nmore')).toEqual({ cycle: 812, vector: 33, rule: 'out_data changed while out_valid && !out_ready' });
    expect(findViolation('harness: done')).toBeUndefined();
  });
});

/** Writes `value` (two's complement, `width` bits) at bit `offset` of little-endian words. */
function putBits(words: Uint32Array, offset: number, width: number, value: bigint): void {
  const u = BigInt.asUintN(width, value);
  for (let i = 0; i < width; i++) if ((u >> BigInt(i)) & 1n) words[(offset + i) >>> 5] |= 1 << ((offset + i) & 31);
}

/** A checker over rows of acc_bits, and a batch of results built from their values. */
function setup(accBits: number, rows = 2, stopAtMismatch = true) {
  const l = { rows, k: 1, actBits: 8, wgtBits: 2, accBits, psumBits: 10, exactBits: accBits, term: { min: -128n, max: 128n }, latency: 1 };
  const outWords = wordsFor(rows * accBits);
  const actual: Record<number, (number | bigint)[]> = {};
  const checker = new ResultChecker(l, outWords, { describe: (v) => ({ kind: `vector ${v}`, beats: 1 }), stopAtMismatch, actual: { wants: (v) => v < 2, set: (v, r) => (actual[v] = r) } });
  const batch = (values: bigint[][]): ResultBatch => {
    const words = new Uint32Array(values.length * outWords);
    values.forEach((rowsOf, j) => rowsOf.forEach((v, r) => putBits(words, j * outWords * 32 + r * accBits, accBits, v)));
    return { count: values.length, words };
  };
  return { checker, batch, actual, outWords };
}

describe('the result checker', () => {
  it('is bit-exact past 2^53: a one in the lowest bit of a 60-bit row is a mismatch', () => {
    const big = (1n << 58n) + 1n;
    const { checker, batch, actual } = setup(60);
    checker.expect(new BigInt64Array([big, -big]));
    checker.expect(new BigInt64Array([big, -big]));
    expect(checker.take(batch([[big, -big]]))).toBe(false);
    expect(checker.mismatch).toBeUndefined();
    expect(actual[0]).toEqual([big, -big]);
    expect(checker.take(batch([[big - 1n, -big]]))).toBe(true);
    expect(checker.mismatch).toEqual({ vector: 1, kind: 'vector 1', beats: 1, row: 0, expected: String(big), actual: String(big - 1n), rowsWrong: 1 });
    expect(checker.compared).toBe(2);
  });

  it('numbers up to 52 bits; every wrong row counted, the first reported', () => {
    const { checker, batch } = setup(20, 3);
    checker.expect(new Float64Array([5, -7, 9]));
    checker.take(batch([[5n, -6n, 8n]]));
    expect(checker.mismatch).toMatchObject({ vector: 0, row: 1, expected: '-7', actual: '-6', rowsWrong: 2 });
  });

  it('an unknown bit is a mismatch even where the known bits agree, shown as x', () => {
    const { checker, batch, outWords } = setup(4, 1);
    checker.expect(new Float64Array([3]));
    const b = batch([[3n]]);
    const mask = new Uint32Array(outWords);
    mask[0] = 0b1000;
    checker.take({ ...b, unknown: new Map([[0, mask]]) });
    expect(checker.mismatch).toMatchObject({ row: 0, expected: '3', actual: 'x011', unknownBits: 1 });
  });

  it('stops at the first mismatch when asked (the rest of the batch is not compared), else compares on', () => {
    for (const stop of [true, false]) {
      const { checker, batch } = setup(8, 1, stop);
      for (let i = 0; i < 3; i++) checker.expect(new Float64Array([i]));
      expect(checker.take(batch([[9n], [1n], [2n]]))).toBe(stop);
      expect(checker.compared).toBe(stop ? 1 : 3);
      expect(checker.mismatch?.vector).toBe(0);
    }
  });

  it('a result for a vector that was not sent is a wire error', () => {
    const { checker, batch } = setup(8, 1);
    checker.expect(new Float64Array([1]));
    expect(() => checker.take(batch([[1n], [2n]]))).toThrow('the simulator returned a result for vector 1, which was not sent');
  });
});

describe('the golden model, beat by beat', () => {
  it('equals the whole-vector model, Number and BigInt paths, wrap and saturate', () => {
    const seed = testSeed('golden stepper');
    for (const [name, raw] of [
      ['ternary', { rows: 2, k: 3, act_bits: 8, max_beats: 8 }],
      ['ternary', { rows: 2, k: 3, act_bits: 8, max_beats: 8, acc_bits: 9, overflow: 'saturate' }],
      ['dense', { rows: 2, k: 2, w_bits: 8, act_bits: 16, max_beats: 16, acc_bits: 60 }],
      ['dense', { rows: 1, k: 2, w_bits: 4, act_bits: 8, max_beats: 8, acc_bits: 7 }],
    ] as const) {
      const family = getFamily(name);
      const p = family.resolve(raw as Record<string, unknown>);
      const l = family.layout(p);
      const schedule = new Schedule(family, p, seed, 40);
      const golden = new GoldenModel(l, p.overflow);
      const beat = newBeat(l);
      for (let v = 0; v < 40; v++) {
        const src = schedule.vector(v);
        const acc: Expected = golden.begin();
        const W: number[][] = Array.from({ length: l.rows }, () => []);
        const A: number[] = [];
        for (let b = 0; b < src.beats; b++) {
          src.next(beat);
          golden.step(acc, beat);
          A.push(...beat.acts);
          for (let r = 0; r < l.rows; r++) for (let i = 0; i < l.k; i++) W[r].push(beat.weights[r * l.k + i]);
        }
        const want = dotProductModel(p, family.domain(p), W, A);
        expect(Array.from(acc as ArrayLike<number | bigint>, (x) => BigInt(x)), `${name} ${JSON.stringify(raw)} vector ${v} seed ${seed}`).toEqual(want);
      }
    }
  });

  it('resets: only random vectors, about the requested percent, at a beat inside the vector', () => {
    const family = getFamily('ternary');
    const p = family.resolve({ rows: 1, k: 2, max_beats: 8 });
    const schedule = new Schedule(family, p, 5, 5000);
    const at = Array.from({ length: 5000 }, (_, v) => resetBeat(schedule, v, schedule.vector(v).beats, 10));
    expect(at.slice(0, schedule.directed.length).every((b) => b === -1)).toBe(true);
    const n = at.filter((b) => b >= 0).length;
    expect(n).toBeGreaterThan(400);
    expect(n).toBeLessThan(600);
    expect(at.every((b, v) => b < schedule.vector(v).beats)).toBe(true);
    expect(resetBeat(schedule, 100, 4, 0)).toBe(-1);
  });
});
