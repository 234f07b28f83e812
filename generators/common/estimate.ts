// The analytical cost model's shared building blocks (`lowbit estimate`): a family counts the
// structure its generator builds (adder bits with and without carry-in, ternary term bits,
// multiplier partial products, multiplexer inputs, table lookups, decoders, accumulators,
// flip-flops) into `Blocks`; `costEstimate` prices them per target with per-block constants fitted
// against real synthesis (estimateCoefs.ts, written by scripts/estimate-fit.ts from
// test/quick/estimate-calibration.json). Pure arithmetic: no tool runs, no Verilog is rendered.
//
// Figures carry the names `lowbit synth --json` uses for the same quantities: ice40 lut4 / carry /
// dff, generic transistors, xilinx resources lut / carry4 / ff, asic area (um^2), and per MAC
// (per MAC per cycle) lut4, carry, dff, transistors, lut, carry4, ff, um2.

import type { CommonParams, Layout } from './family.js';
import { macsPerCycle } from './family.js';
import { cutLevels, treeLevels, type TreePlan } from './adderTree.js';
import { COEFS } from './estimateCoefs.js';

export const ESTIMATE_TARGETS = ['ice40', 'generic', 'xilinx', 'asic'] as const;
export type EstimateTarget = (typeof ESTIMATE_TARGETS)[number];

/** The structure of a whole design (rows multiplied out, shared stages once). */
export interface Blocks {
  /** Constant: the shell's control (handshakes, valid/last), counted once. */
  one: number;
  /** Bits of two-operand adders outside merged trees (table sums, Horner steps). */
  add2: number;
  /**
   * Bits of the adders of carry-free trees (sums of plain operands: multiplier rows, unsigned
   * lookups, combining and correction trees), which synthesis merges into one multi-operand adder
   * per register segment (Yosys alumacc/maccmap): compressor bits plus one final carry chain.
   */
  mtree: number;
  /** Final carry-chain bits of those merged adders: width - 1 per register segment's root. */
  mchain: number;
  /** Compressor bits of those merged adders: (operands - 2) x width per segment root. */
  csa: number;
  /** Bits of adders with a carry-in (a + b + cin: ternary and signed-lookup trees). */
  add3: number;
  /** Bits of increments (a + cin) and negations (-x). */
  inc: number;
  /** Adders outside merged trees (add2, add3, inc, acc). */
  adders: number;
  /** Carry bits of those adders: a w-bit adder's chain has w - 1 (derived: add2 + add3 + inc + acc - adders). */
  chain: number;
  /** Bits of ternary terms sg ^ (nz & a). */
  tern: number;
  /** Bits of conditional ones' complements x ^ {neg} (signed table lookups). */
  flip: number;
  /** Partial-product bits of signed multipliers (w_bits x act_bits each). */
  mulPP: number;
  /** Product bits of signed multipliers (w_bits + act_bits each). */
  mulOut: number;
  /** The wider operand of signed multipliers (max(w_bits, act_bits) each: about their final adder). */
  mulMax: number;
  /**
   * Adder bits of an array multiplier (min(w, a) - 1 shifted partial products of w + a - i bits, the
   * narrower operand as multiplier): how the multiplier's cost grows beyond w x a.
   */
  mulArr: number;
  /** 2:1 multiplexer equivalents (bits x (inputs - 1)) selecting activations or weight bits. */
  mux: number;
  /** Table-lookup selection: entry bits x (distinct entries a lookup reads, the constant 0 included, - 1) per lookup. */
  lut: number;
  /** Trits of base-3 byte decoders. */
  b3: number;
  /** Accumulator adder bits (the shell: acc + psum). */
  acc: number;
  /** Saturating accumulator bits (overflow detection and clamp). */
  sat: number;
  /** Flip-flops (accumulators, output registers, pipeline registers, sequencer, valid/last). */
  dff: number;
  /**
   * Multipliers xc7 synthesis maps to a DSP48E1 (Yosys synth_xilinx: both operands >= 2 bits and a
   * product of >= 9 bits); they leave the LUT fabric.
   */
  dsp: number;
  /**
   * Derived, for the first-order targets (xilinx, asic): the ice40 LUT4 estimate of the logic xc7 keeps
   * in LUTs (DSP48E1 multipliers left out) and the generic transistor estimate, which those targets
   * scale (few calibration points: fewer constants).
   */
  ice40Lut4: number;
  cmos: number;
}

export type BlockName = keyof Blocks;
export const BLOCK_NAMES: readonly BlockName[] = ['one', 'add2', 'mtree', 'mchain', 'csa', 'add3', 'inc', 'adders', 'chain', 'tern', 'flip', 'mulPP', 'mulOut', 'mulMax', 'mulArr', 'mux', 'lut', 'b3', 'acc', 'sat', 'dff', 'dsp', 'ice40Lut4', 'cmos'];

export const newBlocks = (): Blocks => ({ one: 1, add2: 0, mtree: 0, mchain: 0, csa: 0, add3: 0, inc: 0, adders: 0, chain: 0, tern: 0, flip: 0, mulPP: 0, mulOut: 0, mulMax: 0, mulArr: 0, mux: 0, lut: 0, b3: 0, acc: 0, sat: 0, dff: 0, dsp: 0, ice40Lut4: 0, cmos: 0 });

/** Adds `n` times `b` into `into`. */
export function addBlocks(into: Blocks, b: Partial<Blocks>, n = 1): Blocks {
  for (const k of BLOCK_NAMES) if (b[k]) into[k] += b[k]! * n;
  return into;
}

/** A target's figures, named as synth --json names them. */
export interface TargetEstimate {
  target: EstimateTarget;
  /** ice40 */
  lut4?: number;
  carry?: number;
  dff?: number;
  /** generic */
  transistors?: number;
  /** asic (OSU 0.18 um), um^2 */
  area?: number;
  /** FPGA targets: resource counts (ice40 lut4/carry/dff; xilinx lut/carry4/ff). */
  resources?: Record<string, number>;
  /** Per MAC per cycle. */
  perMac: Record<string, number>;
}

/** What a family's `estimate` returns. */
export interface CostEstimate {
  /** The structure counted (whole design). */
  blocks: Blocks;
  /** MACs per cycle (rows*k over the cycles a beat takes): what per-MAC figures divide by. */
  macs: number;
  /**
   * First-order logic depth: adder levels (carry chains) on the longest register-to-register path,
   * the accumulator's included, plus one level for lane logic (term, multiplexer, lookup).
   */
  depth: number;
  targets: Record<EstimateTarget, TargetEstimate>;
}

// ---- building blocks ----

/**
 * The adders and registers of a rendered adder-tree plan (generators/common/adderTree.ts, the
 * generator's own structure): wire statements are adders (two operands, with a carry-in, or an
 * increment), reg statements pipeline registers. Every two-operand adder counts as add2 here (no
 * merging): the reference the tests hold adderTreeCost to, which is what estimates use.
 */
export function treeBlocks(t: TreePlan): Partial<Blocks> {
  const b = { add2: 0, add3: 0, inc: 0, adders: 0, dff: 0 };
  for (const s of t.statements) {
    const w = s.msb + 1;
    if (s.kind === 'reg') {
      b.dff += w;
      continue;
    }
    b.adders++;
    const parts = s.expr.split(' + ').length;
    const cin = s.expr.includes("'d0, ");
    if (parts >= 3) b.add3 += w;
    else if (cin) b.inc += w;
    else b.add2 += w;
  }
  return b;
}

/**
 * The edge of a floating-point design (fpFront.ts) in exact mode: per lane a decoder (the significand
 * shifted by the exponent field into a unitsBits-wide integer: expBits stages of 2:1 multiplexers per
 * output bit, then a conditional negation); per row with FP32 outputs a rounding (negation, leading-one
 * search and normalizing shift over the accumulator's bits, a 24-bit round increment, the exponent).
 * First-order: priced with the constants fitted to the arrays' own multiplexers and increments.
 */
export function fpEdgeBlocks(lanes: number, unitsBits: number, expBits: number, rows: number, outAccBits: number): Partial<Blocks> {
  const decode = { mux: lanes * unitsBits * expBits, inc: lanes * unitsBits, adders: lanes };
  if (outAccBits === 0) return decode;
  const shift = Math.ceil(Math.log2(outAccBits));
  return { mux: decode.mux + rows * outAccBits * (shift + 1), inc: decode.inc + rows * (outAccBits + 24), add2: rows * 8, adders: decode.adders + rows * 3 };
}

/** A value range as Numbers (exact below 2^53: every range the families build). */
export interface NumRange {
  min: number;
  max: number;
}

/** Bits of the two's complement that holds every value of a range (core/bits.ts signedBitsFor, on Numbers). */
export function bitsOf(r: NumRange): number {
  // b bits hold [-2^(b-1), 2^(b-1) - 1]: the smallest b with 2^(b-1) > max(max, -min - 1).
  const m = Math.max(r.max, -r.min - 1);
  if (m <= 0) return 1;
  if (m < 2 ** 31) return 33 - Math.clz32(m);
  let b = 32;
  while (2 ** (b - 1) <= m) b++;
  return b;
}

/** What {@link adderTreeCost} counts: blocks, the root's range and width, and the levels. */
export interface TreeCost {
  blocks: { add2: number; add3: number; inc: number; adders: number; mtree: number; mchain: number; csa: number; dff: number };
  range: NumRange;
  width: number;
  levels: number;
}

/**
 * The blocks of planAdderTree(terms, carries, stages) without building it: the same pairing, node
 * widths, carry-in placement and register cuts (adderTree.ts), on Numbers and without Verilog text,
 * so that an estimate costs microseconds (treeBlocks of the real plan is the reference in the tests).
 */
export function adderTreeCost(terms: readonly NumRange[], carries: number, stages: number): TreeCost {
  const levels = treeLevels(terms.length, carries);
  const cuts = cutLevels(levels, stages);
  const b = { add2: 0, add3: 0, inc: 0, adders: 0, mtree: 0, mchain: 0, csa: 0, dff: 0 };
  // A carry-free tree is merged by synthesis into one multi-operand adder per register segment:
  // `ops` counts the operands each node sums since the last register. Typed arrays, no objects:
  // this is the inner loop of a sweep.
  const merged = carries === 0;
  let n = terms.length;
  const lo = new Float64Array(n);
  const hi = new Float64Array(n);
  const ops = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    lo[i] = terms[i].min;
    hi[i] = terms[i].max;
    ops[i] = 1;
  }
  let cins = carries;
  const width = (i: number) => bitsOf({ min: lo[i], max: hi[i] });
  const close = (i: number) => {
    if (!merged || ops[i] < 2) return;
    const w = width(i);
    b.mchain += w - 1;
    b.csa += (ops[i] - 2) * w;
  };
  const registerAll = () => {
    for (let i = 0; i < n; i++) {
      b.dff += width(i);
      close(i);
      ops[i] = 1;
    }
    b.dff += cins;
  };
  let level = 0;
  if (cuts.has(level)) registerAll();
  while (n > 1 || cins > 0) {
    level++;
    if (n > 1) {
      // In place: node j of the next level is items 2j and 2j+1 (an odd last item moves down as is).
      let j = 0;
      for (let i = 0; i + 1 < n; i += 2, j++) {
        const cin = cins > 0 ? 1 : 0;
        cins -= cin;
        lo[j] = lo[i] + lo[i + 1];
        hi[j] = hi[i] + hi[i + 1] + cin;
        ops[j] = ops[i] + ops[i + 1];
        const w = width(j);
        if (cin) b.add3 += w;
        else if (merged) b.mtree += w;
        else b.add2 += w;
        if (!merged) b.adders++;
      }
      if (n % 2 === 1) {
        lo[j] = lo[n - 1];
        hi[j] = hi[n - 1];
        ops[j] = ops[n - 1];
        j++;
      }
      n = j;
    } else {
      cins--;
      hi[0] += 1;
      ops[0] = 1;
      b.inc += width(0);
      b.adders++;
    }
    if (cuts.has(level)) registerAll();
  }
  if (!cuts.has(level)) close(0);
  const range = { min: lo[0], max: hi[0] };
  return { blocks: b, range, width: bitsOf(range), levels };
}

/** `n` copies of a range. */
export const copies = (n: number, r: NumRange): NumRange[] => Array.from({ length: n }, () => r);

/** The signed range of `bits` bits, as Numbers. */
export const signedNum = (bits: number): NumRange => ({ min: -(2 ** (bits - 1)), max: 2 ** (bits - 1) - 1 });

/** Adder levels of a tree (ranks of wire statements), for the depth. */
export function treeDepth(levels: number, stages: number): number {
  return Math.ceil(levels / (stages + 1));
}

/** A signed w x a multiplier (dense_mul.v.hbs: one `*`). */
export function multiplier(w: number, a: number): Partial<Blocks> {
  let arr = 0;
  for (let i = 1; i < Math.min(w, a); i++) arr += w + a - i;
  return { mulPP: w * a, mulOut: w + a, mulMax: Math.max(w, a), mulArr: arr, dsp: w >= 2 && a >= 2 && w + a >= 9 ? 1 : 0 };
}

/**
 * One ternary row of `lanes` lanes (common/ternaryRow.ts, shared by ternary and N:M sparse ternary):
 * lane terms sg ^ (nz & a), base-3 decoders, the adder tree with one carry-in (sign) per lane.
 */
export function ternaryRowBlocks(lanes: number, actBits: number, encoding: string, pipeline: number): { blocks: Blocks; depth: number } {
  const tree = adderTreeCost(copies(lanes, signedNum(actBits)), lanes, pipeline);
  const b = addBlocks({ ...newBlocks(), one: 0, tern: lanes * actBits, b3: encoding === 'base3' ? lanes : 0 }, tree.blocks);
  return { blocks: b, depth: treeDepth(tree.levels, pipeline) };
}

/**
 * One multiplier row of `lanes` lanes (common/mulRow.ts, shared by dense and N:M sparse int): signed
 * act_bits x w_bits multipliers and the exact (carry-free) tree over their products.
 */
export function mulRowBlocks(lanes: number, actBits: number, wBits: number, pipeline: number): { blocks: Blocks; depth: number } {
  const amin = -(2 ** (actBits - 1));
  const wmin = -(2 ** (wBits - 1));
  const prod = { min: Math.min(amin * (-wmin - 1), wmin * (-amin - 1)), max: amin * wmin };
  const tree = adderTreeCost(copies(lanes, prod), 0, pipeline);
  const b = addBlocks(addBlocks({ ...newBlocks(), one: 0 }, multiplier(wBits, actBits), lanes), tree.blocks);
  // A multiplier is about min(w, a) adder ranks deep.
  return { blocks: b, depth: treeDepth(tree.levels + Math.min(wBits, actBits), pipeline) };
}

/** An m:1 multiplexer of `bits` bits. */
export const muxBlocks = (m: number, bits: number): Partial<Blocks> => ({ mux: (m - 1) * bits });

/**
 * The shared streaming shell (hw/lowbit_stream_acc.v) for `rows` rows: per row an accumulator
 * (adder, register) and an output register; valid/last registers per latency stage; out_valid.
 */
export function shellBlocks(p: CommonParams, l: Layout): Partial<Blocks> {
  const sumBits = Math.max(l.accBits, l.psumBits) + 1;
  const sat = p.overflow === 'saturate';
  return {
    acc: p.rows * (sat ? sumBits : l.accBits),
    adders: p.rows,
    sat: sat ? p.rows * l.accBits : 0,
    dff: p.rows * 2 * l.accBits + 1 + 2 * l.latency,
  };
}

/** hw/lowbit_beat_seq.v for `steps` steps: a step counter and valid/first registers per stage. */
export function beatSeqBlocks(steps: number, latency: number): Partial<Blocks> {
  const bits = Math.max(1, Math.ceil(Math.log2(steps)));
  return { inc: bits, adders: 1, dff: bits + 2 * latency };
}

// ---- pricing ----

/** Per-target constants: figure -> block -> cost of one unit of the block. */
export type Coefs = Record<string, Partial<Record<BlockName, number>>>;

const price = (b: Blocks, c: Partial<Record<BlockName, number>> | undefined): number => {
  let s = 0;
  if (!c) return 0;
  for (const k of BLOCK_NAMES) s += (c[k] ?? 0) * b[k];
  return s;
};

/**
 * A design of `rows` identical rows (each `row`, with `extra` per row besides) and the shared shell:
 * the estimate of every direct-datapath family; `levels` is what the row adds to the tree's depth.
 */
export function rowsEstimate(p: CommonParams, l: Layout, row: { blocks: Partial<Blocks>; depth: number }, levels = 1, extra?: Partial<Blocks>): CostEstimate {
  const b = newBlocks();
  addBlocks(b, row.blocks, p.rows);
  if (extra) addBlocks(b, extra, p.rows);
  addBlocks(b, shellBlocks(p, l));
  return costEstimate(b, l, row.depth + levels);
}

/** Prices counted blocks on every target. */
export function costEstimate(b: Blocks, l: Pick<Layout, 'rows' | 'k' | 'beatCycles'>, depth: number): CostEstimate {
  b.chain = b.add2 + b.add3 + b.inc + b.acc - b.adders;
  const macs = macsPerCycle(l);
  const r = (x: number) => Math.round(x);
  const per = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v / macs]));
  const ice = { lut4: r(price(b, COEFS.ice40.lut4)), carry: r(price(b, COEFS.ice40.carry)), dff: r(b.dff) };
  const transistors = r(price(b, COEFS.generic.transistors));
  // Every multiplier of a design has the same widths: either all map to DSP48E1 or none does.
  b.ice40Lut4 = b.dsp > 0 ? r(price({ ...b, mulPP: 0, mulOut: 0, mulMax: 0, mulArr: 0 }, COEFS.ice40.lut4)) : ice.lut4;
  b.cmos = transistors;
  const xc = { lut: r(price(b, COEFS.xilinx.lut)), carry4: r(price(b, COEFS.xilinx.carry4)), dsp48: b.dsp, ff: r(b.dff) };
  const area = price(b, COEFS.asic.area);
  return {
    blocks: b,
    macs,
    depth,
    targets: {
      ice40: { target: 'ice40', ...ice, resources: ice, perMac: per(ice) },
      generic: { target: 'generic', transistors, perMac: per({ transistors }) },
      xilinx: { target: 'xilinx', resources: xc, perMac: per(xc) },
      asic: { target: 'asic', area, perMac: { um2: area / macs } },
    },
  };
}
