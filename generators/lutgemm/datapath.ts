// The lutgemm RTL: a table stage shared by every row (`<top>_tables`, one `<top>_gtab` per group)
// and rows that only look up (`<top>_lut`) and add. Widths are exact, from the value ranges.

import { signedRange, type Range } from '../common/accumulator.js';
import { planAdderTree, signExt, treeLevels, type TreePlan, type TreeInput } from '../common/adderTree.js';
import { signedBitsFor } from '../../core/bits.js';
import type { PortConn, SharedStage } from '../common/design.js';
import { render } from '../common/render.js';
import type { TableSpec } from './tables.js';

const widthOf = (r: Range) => signedBitsFor(r.min, r.max);
const union = (a: Range, b: Range): Range => ({ min: a.min < b.min ? a.min : b.min, max: a.max > b.max ? a.max : b.max });
const add = (a: Range, b: Range): Range => ({ min: a.min + b.min, max: a.max + b.max });
const neg = (a: Range): Range => ({ min: -a.max, max: -a.min });
const shl = (a: Range, i: number): Range => ({ min: a.min << BigInt(i), max: a.max << BigInt(i) });
const ZERO: Range = { min: 0n, max: 0n };

interface Sig {
  name: string;
  width: number;
  range: Range;
}

/**
 * Signed sums of a group's activations with shared partial sums: a sum is split into the halves of
 * its non-zero elements, each half normalized so its highest element has coefficient +1 (so that
 * entries differing only in signs share halves), and each sum is one adder or subtractor.
 */
class SumBuilder {
  readonly statements: { name: string; msb: number; expr: string }[] = [];
  private readonly memo = new Map<string, Sig>();
  adders = 0;
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
      sig = this.wire(neg(x.range), (w) => `-${signExt(x.name, x.width, w)}`);
    } else if (nz.length === 1) {
      sig = { name: `a_${top}`, width: this.actBits, range: signedRange(this.actBits) };
    } else {
      const half = nz.slice(0, Math.ceil(nz.length / 2));
      const lo = coefs.map((c, j) => (half.includes(j) ? c : 0));
      const hi = coefs.map((c, j) => (half.includes(j) ? 0 : c));
      const h = this.get(hi);
      const loTop = lo[half[half.length - 1]];
      const l = this.get(loTop > 0 ? lo : lo.map((c) => -c));
      const range = loTop > 0 ? add(h.range, l.range) : add(h.range, neg(l.range));
      sig = this.wire(range, (w) => `${signExt(h.name, h.width, w)} ${loTop > 0 ? '+' : '-'} ${signExt(l.name, l.width, w)}`);
    }
    this.memo.set(key, sig);
    return sig;
  }

  private wire(range: Range, expr: (w: number) => string): Sig {
    const width = widthOf(range);
    const name = `s_${this.statements.length}`;
    this.statements.push({ name, msb: width - 1, expr: expr(width) });
    this.adders++;
    return { name, width, range };
  }
}

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

/** Range of one stored entry, and of a lookup's term (entry, zero or its ones' complement). */
function entryRanges(o: LutDatapathOptions): { entry: Range; term: Range; tw: number } {
  const a = signedRange(o.actBits);
  const ranges = o.spec.entries.map((coefs) =>
    coefs.reduce((r, c) => (c > 0 ? add(r, a) : c < 0 ? add(r, neg(a)) : r), ZERO),
  );
  const entry = ranges.reduce(union, ZERO);
  const tw = widthOf(entry);
  // A negated lookup contributes ~x (= -x - 1) plus a carry-in.
  const term = o.spec.symmetric || o.spec.kind === 'tl2' ? union(entry, { min: -entry.max - 1n, max: -entry.min - 1n }) : entry;
  return { entry, term, tw };
}

const signedLookups = (s: TableSpec) => s.codes.some((c) => c.neg);

/** Logic levels of the row sum, which bounds `pipeline` (mirrors the trees planned in lutRow). */
export function lutLevels(o: Pick<LutDatapathOptions, 'spec' | 'k' | 'planes' | 'offset' | 'serial'>): number {
  const groups = o.k / o.spec.g;
  const carries = signedLookups(o.spec) ? groups : 0;
  const corr = o.offset ? 1 : 0;
  if (o.serial || o.planes === 1) return treeLevels(groups + corr, carries);
  return treeLevels(groups, carries) + treeLevels(o.planes, 0);
}

export function stepsPerBeat(o: Pick<LutDatapathOptions, 'planes' | 'serial'>): number {
  return o.serial && o.planes > 1 ? o.planes : 1;
}

/** Sign-extends or truncates an exact value to the psum port, marking bits nothing reads. */
function toPsum(name: string, width: number, psumBits: number, lo: number, used: Set<number>): string[] {
  const lines: string[] = [];
  const need = psumBits + lo;
  let src = name;
  if (width < need) {
    src = 'psum_ext';
    lines.push(`wire [${need - 1}:0] psum_ext = ${signExt(name, width, need)};`);
    width = need;
  }
  lines.push(`assign psum = ${src}[${need - 1}:${lo}];`);
  for (let b = lo; b < need; b++) used.add(b);
  const unused = Array.from({ length: width }, (_, b) => b).filter((b) => !used.has(b));
  if (unused.length) {
    // Bits of an exact sum the result cannot need: the low bit of 2*sum, or sign copies.
    lines.push(`wire unused_bits = &{1'b0, ${unused.map((b) => `${src}[${b}]`).join(', ')}};`);
  }
  return lines;
}

export function lutModules(o: LutDatapathOptions): { modules: { name: string; verilog: string }[]; shared: SharedStage; rowConns: PortConn[] } {
  const { spec, actBits: ab } = o;
  const g = spec.g;
  const groups = o.k / g;
  const { term, tw } = entryRanges(o);
  const E = spec.entries.length;
  const groupTabBits = E * tw;
  const isSigned = signedLookups(spec);
  const steps = stepsPerBeat(o);
  const serial = steps > 1;
  const halve = o.offset;

  // ---- group table ----
  const sb = new SumBuilder(ab);
  const entryCtx = spec.entries.map((coefs, e) => {
    const s = sb.get(coefs);
    const doc = coefs.map((c, j) => (c === 0 ? '' : `${c > 0 ? '+' : '-'}a${j}`)).join('');
    return { lo: e * tw, expr: signExt(s.name, s.width, tw), doc };
  });
  const sumAll = o.offset ? sb.get(Array(g).fill(1)) : undefined;
  const tableDoc = spec.kind === 'planes' ? (spec.symmetric ? 'symmetric: entries with top coefficient +1' : 'full') : `${spec.kind}${spec.symmetric ? ', symmetric' : ''}`;
  const gtab = render('lut_gtab.v.hbs', {
    top: o.top,
    entries: entryCtx,
    tw,
    tableDoc,
    adders: sb.adders,
    aMsb: g * ab - 1,
    actBits: ab,
    actMsb1: ab - 1,
    tabMsb: groupTabBits - 1,
    lanes: Array.from({ length: g }, (_, j) => ({ j, lo: j * ab })),
    statements: sb.statements,
    sumAll: sumAll ? sumAll.name : false,
    sumAllMsb: sumAll ? sumAll.width - 1 : 0,
  });

  // ---- shared stage: all groups' tables and the -sum(a) correction ----
  let corrRange: Range = ZERO;
  let tablesCtx: Record<string, unknown> = {};
  if (sumAll) {
    const tree = planAdderTree('asum', Array.from({ length: groups }, (_, t) => ({ name: `gs_${t}`, range: sumAll.range })), [], 0);
    const negRange = neg(tree.range);
    corrRange = serial ? union(negRange, ZERO) : negRange;
    const cw = Math.max(widthOf(corrRange), tree.width);
    tablesCtx = { tree, negExpr: signExt(tree.result, tree.width, cw), corrBits: cw, corrMsb: cw - 1, sumMsb: sumAll.width - 1 };
  }
  const cw = sumAll ? (tablesCtx.corrBits as number) : 1;
  const tables = render('lut_tables.v.hbs', {
    top: o.top,
    g,
    groups,
    corr: !!sumAll,
    gated: !!sumAll && serial,
    actMsb: o.k * ab - 1,
    tabBusMsb: groups * groupTabBits - 1,
    groupActBits: g * ab,
    groupTabBits,
    groups_: Array.from({ length: groups }, (_, t) => ({ t, aLo: t * g * ab, tabLo: t * groupTabBits })),
    corrMsb: cw - 1,
    ...tablesCtx,
  });
  const shared: SharedStage = {
    module: `${o.top}_tables`,
    doc: `Activation tables: ${groups} group(s) x ${E} entries of ${tw} bits, built once per beat for all rows.`,
    wires: [{ name: 'tab', msb: groups * groupTabBits - 1 }, ...(sumAll ? [{ name: 'corr', msb: cw - 1 }] : [])],
    conns: [
      { port: 'act', expr: 'in_act' },
      ...(sumAll && serial ? [{ port: 'lsb_plane', expr: 'final_step' }] : []),
      { port: 'tab', expr: 'tab' },
      ...(sumAll ? [{ port: 'corr', expr: 'corr' }] : []),
    ],
  };

  // ---- lookup ----
  const idxBits = spec.idxBits;
  const inv = o.offset;
  let selExpr: string;
  let selBits: number;
  let cases: { code: number; val: string; neg: number }[];
  let negExpr = '';
  let caseNeg = false;
  const entryVal = (e: number) => (e < 0 ? `${tw}'d0` : `tab[${e * tw} +: ${tw}]`);
  if (spec.kind === 'planes') {
    if (spec.symmetric) {
      // T[c] for top bit 1, -T[~c] otherwise: the other bits fold with an XOR, the top bit is the sign.
      selBits = g - 1;
      selExpr = `idx[${g - 2}:0] ^ {${g - 1}{~idx[${g - 1}]}}`;
      cases = spec.entries.map((_, e) => ({ code: e, val: entryVal(e), neg: 0 }));
      negExpr = inv ? `~idx[${g - 1}] ^ inv` : `~idx[${g - 1}]`;
    } else {
      selBits = g;
      selExpr = inv ? `idx ^ {${g}{inv}}` : 'idx';
      cases = spec.entries.map((_, e) => ({ code: e, val: entryVal(e), neg: 0 }));
    }
  } else if (spec.kind === 'tl2') {
    selBits = 4;
    selExpr = 'idx[3:0]';
    cases = Array.from({ length: 16 }, (_, m) => ({ code: m, val: entryVal(spec.codes[m].entry), neg: 0 }));
    negExpr = 'idx[4]';
  } else {
    selBits = idxBits;
    selExpr = 'idx';
    cases = spec.codes.map((c, code) => ({ code, val: entryVal(c.entry), neg: c.neg ? 1 : 0 }));
    caseNeg = isSigned;
    negExpr = 'neg_c';
  }
  const lookupDoc =
    spec.kind === 'planes'
      ? `${g} weight bits of one plane index a ${spec.symmetric ? `${E}-entry symmetric table (T[~c] = -T[c])` : `${E}-entry table`}.`
      : spec.kind === 'tl1'
        ? `A 4-bit code of two ternary weights (bitnet.cpp TL1) indexes a ${spec.symmetric ? '4-entry symmetric' : '8-entry'} table.`
        : 'A 4-bit magnitude of three ternary weights indexes a 13-entry table; bit 4 is the sign (bitnet.cpp TL2).';
  const lut = render('lut_lookup.v.hbs', {
    top: o.top,
    doc: lookupDoc,
    tabMsb: groupTabBits - 1,
    idxMsb: idxBits - 1,
    inv,
    twMsb: tw - 1,
    signed: isSigned,
    selMsb: selBits - 1,
    selExpr,
    selBits,
    cases,
    caseNeg,
    negExpr,
    termExpr: `val ^ {${tw}{neg}}`,
  });

  // ---- row ----
  const b = o.planes;
  const rowPlanes = serial ? 1 : b;
  const lookups: { id: string; tabLo: number; idx: string; inv: string }[] = [];
  const planeTerms: TreeInput[][] = [];
  const planeCarries: string[][] = [];
  for (let i = 0; i < rowPlanes; i++) {
    planeTerms.push([]);
    planeCarries.push([]);
    for (let t = 0; t < groups; t++) {
      const id = rowPlanes > 1 ? `${i}_${t}` : `${t}`;
      let idx: string;
      if (spec.kind !== 'planes') idx = `wgt[${t * idxBits} +: ${idxBits}]`;
      else if (serial) idx = `pbits[${t * g} +: ${g}]`;
      else if (b === 1) idx = `wgt[${t * g} +: ${g}]`;
      else idx = `{${Array.from({ length: g }, (_, j) => `wgt[${(t * g + g - 1 - j) * b + i}]`).join(', ')}}`;
      lookups.push({ id, tabLo: t * groupTabBits, idx, inv: serial ? 'first_step' : i === b - 1 ? "1'b1" : "1'b0" });
      planeTerms[i].push({ name: `tm_${id}`, range: term });
      if (isSigned) planeCarries[i].push(`ng_${id}`);
    }
  }
  if (sumAll) planeTerms[0].push({ name: 'corr', range: corrRange });

  const trees: TreePlan[] = [];
  const finals: string[] = [];
  const used = new Set<number>();
  if (rowPlanes === 1) {
    const tree = planAdderTree('sum', planeTerms[0], planeCarries[0], o.pipeline);
    trees.push(tree);
    if (!serial) finals.push(...toPsum(tree.result, tree.width, o.psumBits, halve ? 1 : 0, used));
    else {
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
      finals.push(`reg  [${rw - 1}:0] x_q;  // planes so far, most significant first`);
      finals.push(`wire [${sw - 1}:0] x_twice = acc_first ? ${sw}'d0 : {${signExt('x_q', rw, sw - 1)}, 1'b0};`);
      finals.push(`wire [${sw - 1}:0] total = x_twice + ${signExt(tree.result, tree.width, sw)};`);
      finals.push(`always @(posedge clk) if (en && acc_valid) x_q <= total[${rw - 1}:0];`);
      for (let bit = 0; bit < rw; bit++) used.add(bit);
      finals.push(...toPsum('total', sw, o.psumBits, 1, used));
    }
  } else {
    // All planes in parallel: one tree per plane, then sum_i 2^i S_i.
    const minLevels = Math.min(...planeTerms.map((ts, i) => treeLevels(ts.length, planeCarries[i].length)));
    const p1 = Math.min(o.pipeline, minLevels);
    const shifted: TreeInput[] = [];
    planeTerms.forEach((ts, i) => {
      const tree = planAdderTree(`p${i}`, ts, planeCarries[i], p1);
      trees.push(tree);
      if (i === 0) shifted.push({ name: tree.result, range: tree.range });
      else {
        finals.push(`wire [${tree.width + i - 1}:0] sh_${i} = {${tree.result}, ${i}'b0};`);
        shifted.push({ name: `sh_${i}`, range: shl(tree.range, i) });
      }
    });
    const comb = planAdderTree('x', shifted, [], o.pipeline - p1);
    // The combining tree reads the shifted planes, so they are declared before it.
    const combLines = render('partials/adder_tree.hbs', comb).trim().split('\n').map((l) => l.trim());
    finals.push(...combLines);
    finals.push(...toPsum(comb.result, comb.width, o.psumBits, halve ? 1 : 0, used));
  }
  const rowDoc =
    spec.kind === 'planes'
      ? `${b} plane(s) of ${groups} lookups${serial ? `, one plane per cycle (${b} cycles per beat)` : ''}${halve ? '; 2*sum = sum_i 2^i S_i - sum(a), halved' : ''}.`
      : `${groups} lookups of ${spec.kind} codes.`;
  const clocked = o.pipeline > 0 || serial;
  const row = render('lut_row.v.hbs', {
    top: o.top,
    lookupDoc: rowDoc,
    latency: o.pipeline,
    clocked,
    serial,
    stepMsb: Math.max(1, Math.ceil(Math.log2(steps))) - 1,
    kMsb: o.k - 1,
    k: o.k,
    b,
    bMsb: b - 1,
    tabBusMsb: groups * groupTabBits - 1,
    corr: !!sumAll,
    corrMsb: cw - 1,
    wgtRowMsb: o.wgtRowBits - 1,
    psumMsb: o.psumBits - 1,
    twMsb: tw - 1,
    signed: isSigned,
    inv,
    groupTabBits,
    lookups,
    trees,
    finals,
  });
  const rowConns: PortConn[] = [
    ...(clocked ? [{ port: 'clk', expr: 'clk' }, { port: 'en', expr: 'en' }] : []),
    ...(serial
      ? [
          { port: 'step', expr: 'step' },
          { port: 'first_step', expr: 'first_step' },
          { port: 'acc_valid', expr: 'acc_valid' },
          { port: 'acc_first', expr: 'acc_first' },
        ]
      : []),
    { port: 'tab', expr: 'tab' },
    ...(sumAll ? [{ port: 'corr', expr: 'corr' }] : []),
  ];
  return {
    modules: [
      { name: `${o.top}_gtab`, verilog: gtab },
      { name: `${o.top}_tables`, verilog: tables },
      { name: `${o.top}_lut`, verilog: lut },
      { name: `${o.top}_row`, verilog: row },
    ],
    shared,
    rowConns,
  };
}
