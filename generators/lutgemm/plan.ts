// Planning of the lutgemm datapath, as data: value ranges and exact widths of table entries and
// lookup terms, which partial sums the table entries share, how a lookup selects and signs an entry,
// which lookups each row makes and the adder trees that sum them. No Verilog here: emit.ts renders
// a plan, wiring.ts connects it. Unit-testable on its own (test/quick/lutPlan.test.ts).

import { signedRange, type Range } from '../common/accumulator.js';
import { planAdderTree, treeLevels, type TreeInput, type TreePlan } from '../common/adderTree.js';
import { signedBitsFor } from '../../core/bits.js';
import type { TableSpec } from './tables.js';

export const widthOf = (r: Range) => signedBitsFor(r.min, r.max);
const union = (a: Range, b: Range): Range => ({ min: a.min < b.min ? a.min : b.min, max: a.max > b.max ? a.max : b.max });
const add = (a: Range, b: Range): Range => ({ min: a.min + b.min, max: a.max + b.max });
const neg = (a: Range): Range => ({ min: -a.max, max: -a.min });
const shl = (a: Range, i: number): Range => ({ min: a.min << BigInt(i), max: a.max << BigInt(i) });
const ZERO: Range = { min: 0n, max: 0n };

export interface LutDatapathOptions {
  top: string;
  spec: TableSpec;
  k: number;
  actBits: number;
  /** Weight planes (int / ternary planes: w_bits; bipolar, tl1, tl2: 1) and whether they are offset (-sum a). */
  planes: number;
  offset: boolean;
  serial: boolean;
  pipeline: number;
  wgtRowBits: number;
  psumBits: number;
}

/** A signal of exact width: an activation `a_<j>` or a partial sum `s_<n>`. */
export interface Sig {
  name: string;
  width: number;
  range: Range;
}

/** One adder (or negation) of the table's sums: sig = -x, or sig = h + l / h - l. */
export type SumStep = { sig: Sig; op: 'neg'; x: Sig } | { sig: Sig; op: '+' | '-'; h: Sig; l: Sig };

/**
 * Signed sums of a group's activations with shared partial sums: a sum is split into the halves of
 * its non-zero elements, each half normalized so its highest element has coefficient +1 (so that
 * entries differing only in signs share halves), and each sum is one adder or subtractor.
 */
class SumBuilder {
  readonly steps: SumStep[] = [];
  private readonly memo = new Map<string, Sig>();
  constructor(private readonly actBits: number) {}

  get(coefs: number[]): Sig {
    const key = coefs.join(',');
    const hit = this.memo.get(key);
    if (hit) return hit;
    const nz = coefs.flatMap((c, j) => (c !== 0 ? [j] : []));
    if (nz.length === 0) throw new Error('internal: empty table sum');
    let sig: Sig;
    const top = nz[nz.length - 1];
    if (coefs[top] < 0) {
      const x = this.get(coefs.map((c) => -c));
      sig = this.sig(neg(x.range));
      this.steps.push({ sig, op: 'neg', x });
    } else if (nz.length === 1) {
      sig = { name: `a_${top}`, width: this.actBits, range: signedRange(this.actBits) };
    } else {
      const half = nz.slice(0, Math.ceil(nz.length / 2));
      const lo = coefs.map((c, j) => (half.includes(j) ? c : 0));
      const hi = coefs.map((c, j) => (half.includes(j) ? 0 : c));
      const h = this.get(hi);
      const loTop = lo[half[half.length - 1]];
      const l = this.get(loTop > 0 ? lo : lo.map((c) => -c));
      sig = this.sig(loTop > 0 ? add(h.range, l.range) : add(h.range, neg(l.range)));
      this.steps.push({ sig, op: loTop > 0 ? '+' : '-', h, l });
    }
    this.memo.set(key, sig);
    return sig;
  }

  /** The next partial sum's signal (named by its position among the steps). */
  private sig(range: Range): Sig {
    return { name: `s_${this.steps.length}`, width: widthOf(range), range };
  }
}

/** The group table: its entries' sums and the partial sums they share. */
export interface TablePlan {
  steps: SumStep[];
  /** Adders and subtractors (and negations) of one group's table. */
  adders: number;
  /** Stored entries in bus order: coefficient vector and the sum holding it. */
  entries: { coefs: number[]; sum: Sig }[];
  /** The sum of all g activations, when the weights are offset (the -sum(a) correction). */
  sumAll?: Sig;
}

/** How a lookup turns an index into a stored entry, its sign and its term. */
export interface LookupPlan {
  /** Bits of the case selector. */
  selBits: number;
  /**
   * fold-top: symmetric planes, the other index bits XOR-folded by the inverted top bit (which is the sign);
   * all: the whole index (inverted when the weights are offset and `inv` is set);
   * low4: TL2's 4-bit magnitude (bit 4 is the sign);
   * case: TL1, each code's case says its entry and its sign.
   */
  select: 'fold-top' | 'all' | 'low4' | 'case';
  /** Lookups take an `inv` input (offset weights read T[~idx] for the most significant plane). */
  inv: boolean;
  /** Case table: code -> stored entry (-1: the constant 0) and whether the case negates it. */
  cases: { code: number; entry: number; neg: boolean }[];
}

/** Where lookup idx of a row reads its index. */
export type IndexSource =
  | { kind: 'field'; lo: number; bits: number }
  | { kind: 'serial'; lo: number; g: number }
  | { kind: 'bits'; lo: number; g: number }
  | { kind: 'plane'; bits: number[] };

export interface RowLookup {
  id: string;
  tabLo: number;
  idx: IndexSource;
  /** What drives the lookup's inv input: the beat sequencer's first_step, or a constant per plane. */
  inv: 'first_step' | 0 | 1;
}

/** How a row's tree results become its psum. */
export type RowFinal =
  /** Parallel or single plane: the tree's result (halved when offset: lo = 1). */
  | { kind: 'direct'; name: string; width: number; lo: number }
  /** Bit-serial: Horner over the planes, x = 2x + s, in a register of `rw` bits and a sum of `sw` bits. */
  | { kind: 'horner'; tree: TreePlan; rw: number; sw: number }
  /** All planes at once: plane i's tree shifted by i, then a combining tree. */
  | { kind: 'planes'; shifted: { i: number; name: string; width: number }[]; comb: TreePlan; lo: number };

export interface RowPlan {
  /** Weight planes, and those one row computes per cycle (1 when serial). */
  planes: number;
  rowPlanes: number;
  lookups: RowLookup[];
  trees: TreePlan[];
  final: RowFinal;
  clocked: boolean;
}

export interface LutPlan {
  o: LutDatapathOptions;
  g: number;
  groups: number;
  /** Width of a stored entry; entries per group; bits of one group's table on the bus. */
  tw: number;
  entries: number;
  groupTabBits: number;
  /** Range of one lookup's term (an entry, zero, or an entry's ones' complement). */
  term: Range;
  /** Lookups can negate (each then brings a carry-in). */
  signed: boolean;
  steps: number;
  serial: boolean;
  table: TablePlan;
  /** The -sum(a) correction of offset weights: its adder tree over the groups, its range and width. */
  corr?: { tree: TreePlan; range: Range; bits: number };
  lookup: LookupPlan;
  row: RowPlan;
}

/** Range of one stored entry, and of a lookup's term (entry, zero or its ones' complement). */
function entryRanges(o: LutDatapathOptions): { entry: Range; term: Range; tw: number } {
  const a = signedRange(o.actBits);
  const ranges = o.spec.entries.map((coefs) => coefs.reduce((r, c) => (c > 0 ? add(r, a) : c < 0 ? add(r, neg(a)) : r), ZERO));
  const entry = ranges.reduce(union, ZERO);
  const tw = widthOf(entry);
  // A negated lookup contributes ~x (= -x - 1) plus a carry-in.
  const term = o.spec.symmetric || o.spec.kind === 'tl2' ? union(entry, { min: -entry.max - 1n, max: -entry.min - 1n }) : entry;
  return { entry, term, tw };
}

const signedLookups = (s: TableSpec) => s.codes.some((c) => c.neg);

/** Logic levels of the row sum, which bounds `pipeline` (mirrors the trees planRow plans). */
export function lutLevels(o: Pick<LutDatapathOptions, 'spec' | 'k' | 'planes' | 'offset' | 'serial'>): number {
  const groups = o.k / o.spec.g;
  const carries = signedLookups(o.spec) ? groups : 0;
  const corr = o.offset ? 1 : 0;
  if (o.serial || o.planes === 1) return treeLevels(groups + corr, carries);
  // Planes in parallel: the planes' trees (plane 0's also sums the correction, which can give its
  // carries an adder and so take a level off) take registers up to the shallowest one's depth, the
  // combining tree the rest (planRow).
  return Math.min(treeLevels(groups + corr, carries), treeLevels(groups, carries)) + treeLevels(o.planes, 0);
}

export function stepsPerBeat(o: Pick<LutDatapathOptions, 'planes' | 'serial'>): number {
  return o.serial && o.planes > 1 ? o.planes : 1;
}

function planTable(o: LutDatapathOptions): TablePlan {
  const sb = new SumBuilder(o.actBits);
  const entries = o.spec.entries.map((coefs) => ({ coefs, sum: sb.get(coefs) }));
  const sumAll = o.offset ? sb.get(Array(o.spec.g).fill(1)) : undefined;
  return { steps: sb.steps, adders: sb.steps.length, entries, sumAll };
}

function planCorrection(sumAll: Sig, groups: number, serial: boolean): LutPlan['corr'] {
  const tree = planAdderTree('asum', Array.from({ length: groups }, (_, t) => ({ name: `gs_${t}`, range: sumAll.range })), [], 0);
  const negRange = neg(tree.range);
  // Bit-serial: only the least significant plane adds the correction; the others add 0.
  const range = serial ? union(negRange, ZERO) : negRange;
  return { tree, range, bits: Math.max(widthOf(range), tree.width) };
}

function planLookup(spec: TableSpec, inv: boolean): LookupPlan {
  const stored = spec.entries.map((_, e) => ({ code: e, entry: e, neg: false }));
  if (spec.kind === 'planes') return spec.symmetric ? { selBits: spec.g - 1, select: 'fold-top', inv, cases: stored } : { selBits: spec.g, select: 'all', inv, cases: stored };
  if (spec.kind === 'tl2') return { selBits: 4, select: 'low4', inv, cases: Array.from({ length: 16 }, (_, m) => ({ code: m, entry: spec.codes[m].entry, neg: false })) };
  return { selBits: spec.idxBits, select: 'case', inv, cases: spec.codes.map((c, code) => ({ code, entry: c.entry, neg: c.neg })) };
}

function planRow(o: LutDatapathOptions, p: Omit<LutPlan, 'row' | 'lookup'>): RowPlan {
  const { spec } = o;
  const { g, groups, serial } = p;
  const b = o.planes;
  const rowPlanes = serial ? 1 : b;
  const lookups: RowLookup[] = [];
  const planeTerms: TreeInput[][] = [];
  const planeCarries: string[][] = [];
  for (let i = 0; i < rowPlanes; i++) {
    planeTerms.push([]);
    planeCarries.push([]);
    for (let t = 0; t < groups; t++) {
      const id = rowPlanes > 1 ? `${i}_${t}` : `${t}`;
      let idx: IndexSource;
      if (spec.kind !== 'planes') idx = { kind: 'field', lo: t * spec.idxBits, bits: spec.idxBits };
      else if (serial) idx = { kind: 'serial', lo: t * g, g };
      else if (b === 1) idx = { kind: 'bits', lo: t * g, g };
      // Element j of the group is index bit j: bit i of weight t*g + j, listed most significant first.
      else idx = { kind: 'plane', bits: Array.from({ length: g }, (_, j) => (t * g + g - 1 - j) * b + i) };
      lookups.push({ id, tabLo: t * p.groupTabBits, idx, inv: serial ? 'first_step' : i === b - 1 ? 1 : 0 });
      planeTerms[i].push({ name: `tm_${id}`, range: p.term });
      if (p.signed) planeCarries[i].push(`ng_${id}`);
    }
  }
  if (p.corr) planeTerms[0].push({ name: 'corr', range: p.corr.range });
  const halve = o.offset ? 1 : 0;
  const clocked = o.pipeline > 0 || serial;
  if (rowPlanes === 1) {
    const tree = planAdderTree('sum', planeTerms[0], planeCarries[0], o.pipeline);
    if (!serial) return { planes: b, rowPlanes, lookups, trees: [tree], final: { kind: 'direct', name: tree.result, width: tree.width, lo: halve }, clocked };
    // Horner over the planes, most significant first: x = 2x + s; the last plane's total is 2*sum.
    // The tree's range covers every plane (corr included, conservatively).
    const s = tree.range;
    let partial = s;
    let held = s;
    for (let i = b - 2; i >= 1; i--) {
      partial = add(shl(partial, 1), s);
      held = union(held, partial);
    }
    const rw = widthOf(held);
    const sw = Math.max(widthOf(union(add(shl(held, 1), s), s)), rw + 1);
    return { planes: b, rowPlanes, lookups, trees: [tree], final: { kind: 'horner', tree, rw, sw }, clocked };
  }
  // All planes in parallel: one tree per plane, then sum_i 2^i S_i.
  const minLevels = Math.min(...planeTerms.map((ts, i) => treeLevels(ts.length, planeCarries[i].length)));
  const p1 = Math.min(o.pipeline, minLevels);
  const trees = planeTerms.map((ts, i) => planAdderTree(`p${i}`, ts, planeCarries[i], p1));
  const shifted = trees.map((tree, i) => ({ i, name: i === 0 ? tree.result : `sh_${i}`, width: tree.width + i }));
  const comb = planAdderTree('x', trees.map((tree, i) => ({ name: shifted[i].name, range: shl(tree.range, i) })), [], o.pipeline - p1);
  return { planes: b, rowPlanes, lookups, trees, final: { kind: 'planes', shifted, comb, lo: halve }, clocked };
}

/** The whole datapath, as data. */
export function planLut(o: LutDatapathOptions): LutPlan {
  const g = o.spec.g;
  const groups = o.k / g;
  const { term, tw } = entryRanges(o);
  const entries = o.spec.entries.length;
  const steps = stepsPerBeat(o);
  const serial = steps > 1;
  const table = planTable(o);
  const base = {
    o,
    g,
    groups,
    tw,
    entries,
    groupTabBits: entries * tw,
    term,
    signed: signedLookups(o.spec),
    steps,
    serial,
    table,
    corr: table.sumAll ? planCorrection(table.sumAll, groups, serial) : undefined,
  };
  return { ...base, lookup: planLookup(o.spec, o.offset), row: planRow(o, base) };
}
