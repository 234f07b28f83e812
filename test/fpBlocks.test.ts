// The exact-mode blocks alone, bit for bit, through testbenches/blockCheck.ts: the decoder
// (hw/lowbit_fp_decode.v) on every bit pattern of FP16, E4M3 and E5M2 in Verilator and Icarus, and
// the FP32 rounding (hw/lowbit_int_to_fp.v) on a million integers per configuration in Verilator
// (ties at every rounding position, both parities, one past, the extremes, random magnitudes of
// every length; seeded) and on a hundred thousand in Icarus; both shown failing when broken.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FP_FORMATS, encodeInt, type FpFormatName } from '../core/fp/format.js';
import { actLanes, unitsTable } from '../generators/common/actFormat.js';
import { repoPath } from '../core/paths.js';
import { Rng } from '../core/rng.js';
import { compareBlock, runBlock, wordsOf, type Block, type BlockSim } from '../testbenches/blockCheck.js';
import { testSeed, tmp } from './helpers.js';

const DECODE = repoPath('hw', 'lowbit_fp_decode.v');
const ROUND = repoPath('hw', 'lowbit_int_to_fp.v');
const hex = (xs: number[]) => xs.map((x) => `0x${(x >>> 0).toString(16)}`).join(':');

/** A signed BigInt as `words` little-endian 32-bit words (two's complement). */
function putBig(v: bigint, words: number, out: Uint32Array, at: number): void {
  let u = BigInt.asUintN(words * 32, v);
  for (let j = 0; j < words; j++) {
    out[at + j] = Number(u & 0xffffffffn);
    u >>= 32n;
  }
}

async function decodeCheck(name: FpFormatName, sim: BlockSim, file = DECODE) {
  const f = FP_FORMATS[name];
  const lanes = actLanes(name as 'fp16')!;
  const block: Block = {
    files: [file],
    top: 'lowbit_fp_decode',
    params: { EXP_BITS: f.expBits, MAN_BITS: f.manBits, E4M3: f.specials === 'e4m3' ? 1 : 0, OUT_BITS: lanes.unitsBits },
    inputs: [{ name: 'code', width: f.bits }],
    outputs: [{ name: 'units', width: lanes.unitsBits }],
  };
  const n = 2 ** f.bits;
  const codes = new Uint32Array(n).map((_, i) => i);
  const ow = wordsOf(lanes.unitsBits);
  const expected = new Uint32Array(n * ow);
  const table = unitsTable(name);
  for (let c = 0; c < n; c++) putBig(BigInt.asUintN(lanes.unitsBits, BigInt(table[c])), ow, expected, c * ow);
  const run = await runBlock(block, [codes], { sim, workDir: tmp(`fpdec-${name}-${sim}`) });
  return compareBlock(block, [codes], [expected], run);
}

describe('lowbit_fp_decode: every bit pattern', () => {
  for (const name of ['fp16', 'fp8e4m3', 'fp8e5m2'] as const) {
    for (const sim of ['verilator', 'iverilog'] as const) {
      it(`${name} on ${sim}: the golden units of every pattern (NaN and infinity: 0)`, async () => {
        const cmp = await decodeCheck(name, sim);
        expect(cmp.vectors).toBe(2 ** FP_FORMATS[name].bits);
        expect(cmp.mismatches, cmp.first.map((m) => `code ${hex(m.inputs)}: expected ${hex(m.expected)}, got ${hex(m.actual)}`).join('\n')).toBe(0);
      });
    }
  }

  it('fails a decoder that forgets E4M3 has no infinities', async () => {
    const dir = tmp('fpdec-broken');
    const broken = join(dir, 'lowbit_fp_decode.v');
    const src = readFileSync(DECODE, 'utf8');
    const edited = src.replace('wire special = (E4M3 != 0) ? (&e && &m) : &e;', 'wire special = &e;');
    expect(edited).not.toBe(src);
    writeFileSync(broken, edited);
    const cmp = await decodeCheck('fp8e4m3', 'verilator', broken);
    // E4M3's top binade but its NaN: 7 patterns per sign (256..448) read as 0
    expect(cmp.mismatches).toBe(14);
  });
});

/** Integers of `bits` bits that reach every rounding position of FP32: ties both ways, one past, extremes, random lengths. */
function roundingInputs(bits: number, count: number, seed: number): bigint[] {
  const rng = new Rng(seed);
  const out: bigint[] = [0n, 1n, -1n, -(1n << BigInt(bits - 1)), (1n << BigInt(bits - 1)) - 1n];
  for (let L = 24; L < bits - 1; L++) {
    const top = 1n << BigInt(L);
    const half = 1n << BigInt(L - 24);
    const ulp = half << 1n;
    for (const v of [top + half, top + ulp + half, top + half + 1n, top + half - 1n, top + ulp - 1n, (top << 1n) - 1n, (top << 1n) - half]) out.push(v, -v);
  }
  while (out.length < count) {
    // a random length, then random bits below the leading one
    const len = 1 + (rng.u32() % (bits - 1));
    let v = 1n;
    for (let i = 1; i < len; i++) v = (v << 1n) | BigInt(rng.u32() & 1);
    // often a tie or one off it at this length
    const t = rng.u32() % 4;
    if (t === 0 && len > 25) v = (v >> BigInt(len - 25)) << BigInt(len - 25) | (1n << BigInt(len - 26));
    out.push(rng.u32() & 1 ? -v : v);
  }
  return out.slice(0, count);
}

async function roundCheck(bits: number, scale: number, count: number, sim: BlockSim, file = ROUND) {
  const block: Block = {
    files: [file],
    top: 'lowbit_int_to_fp',
    params: { IN_BITS: bits, SCALE: scale, EXP_BITS: 8, MAN_BITS: 23 },
    inputs: [{ name: 'value', width: bits }],
    outputs: [{ name: 'y', width: 32 }],
  };
  const seed = testSeed(`int_to_fp ${bits} ${scale} ${sim}`);
  const values = roundingInputs(bits, count, seed);
  const iw = wordsOf(bits);
  const inputs = new Uint32Array(values.length * iw);
  const expected = new Uint32Array(values.length);
  values.forEach((v, i) => {
    putBig(v, iw, inputs, i * iw);
    expected[i] = encodeInt(FP_FORMATS.fp32, v, scale).code;
  });
  const run = await runBlock(block, [inputs], { sim, workDir: tmp(`fpround-${bits}-${sim}`) });
  return { seed, cmp: compareBlock(block, [inputs], [expected], run) };
}

describe('lowbit_int_to_fp: FP32 rounding, nearest even', () => {
  // The accumulators exact mode rounds: E4M3 (2^-9), E5M2 (2^-16), FP16 (2^-24), integers (2^0), up to 64 bits.
  const configs: [number, number][] = [[34, -9], [48, -16], [56, -24], [64, -24], [20, 0], [64, 0]];
  for (const [bits, scale] of configs) {
    it(`${bits}-bit sums in units of 2^${scale}: 1,000,000 values on Verilator`, async () => {
      const { seed, cmp } = await roundCheck(bits, scale, 1_000_000, 'verilator');
      expect(cmp.mismatches, `seed ${seed}: ` + cmp.first.map((m) => `value ${hex(m.inputs)}: expected ${hex(m.expected)}, got ${hex(m.actual)}`).join('\n')).toBe(0);
    });
  }
  it('56-bit sums in units of 2^-24: 100,000 values on Icarus', async () => {
    const { seed, cmp } = await roundCheck(56, -24, 100_000, 'iverilog');
    expect(cmp.mismatches, `seed ${seed}`).toBe(0);
  });

  it('fails a rounding that breaks ties away from zero instead of to even', async () => {
    const dir = tmp('fpround-broken');
    const broken = join(dir, 'lowbit_int_to_fp.v');
    const src = readFileSync(ROUND, 'utf8');
    const edited = src.replace('wire                up     = guard && (sticky || frac[0]);', 'wire                up     = guard;');
    expect(edited).not.toBe(src);
    writeFileSync(broken, edited);
    const { cmp } = await roundCheck(56, -24, 20_000, 'verilator', broken);
    expect(cmp.mismatches).toBeGreaterThan(100);
  });
});
