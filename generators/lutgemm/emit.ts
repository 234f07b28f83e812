// Emission of the lutgemm datapath: the Verilog text of a plan (plan.ts) through the templates
// lut_gtab, lut_tables, lut_lookup and lut_row. Every number here comes from the plan; this file
// only decides how it is written.

import { signExt } from '../common/adderTree.js';
import { render } from '../common/render.js';
import type { IndexSource, LutPlan, RowFinal, SumStep } from './plan.js';

export interface Module {
  name: string;
  verilog: string;
}

const stepExpr = (s: SumStep): string => {
  const w = s.sig.width;
  if (s.op === 'neg') return `-${signExt(s.x.name, s.x.width, w)}`;
  return `${signExt(s.h.name, s.h.width, w)} ${s.op} ${signExt(s.l.name, s.l.width, w)}`;
};

/** `<top>_gtab`: one group's table of signed activation sums (and the sum of all, when offset). */
export function emitGroupTable(p: LutPlan): Module {
  const { o, tw, g, table } = p;
  const ab = o.actBits;
  const spec = o.spec;
  const tableDoc = spec.kind === 'planes' ? (spec.symmetric ? 'symmetric: entries with top coefficient +1' : 'full') : `${spec.kind}${spec.symmetric ? ', symmetric' : ''}`;
  const verilog = render('lut_gtab.v.hbs', {
    top: o.top,
    entries: table.entries.map(({ coefs, sum }, e) => ({
      lo: e * tw,
      expr: signExt(sum.name, sum.width, tw),
      doc: coefs.map((c, j) => (c === 0 ? '' : `${c > 0 ? '+' : '-'}a${j}`)).join(''),
    })),
    tw,
    tableDoc,
    adders: table.adders,
    aMsb: g * ab - 1,
    actBits: ab,
    actMsb1: ab - 1,
    tabMsb: p.groupTabBits - 1,
    lanes: Array.from({ length: g }, (_, j) => ({ j, lo: j * ab })),
    statements: table.steps.map((s) => ({ name: s.sig.name, msb: s.sig.width - 1, expr: stepExpr(s) })),
    sumAll: table.sumAll ? table.sumAll.name : false,
    sumAllMsb: table.sumAll ? table.sumAll.width - 1 : 0,
  });
  return { name: `${o.top}_gtab`, verilog };
}

/** Bits of the correction bus (1 when there is none: the port is then absent). */
export const corrBits = (p: LutPlan): number => p.corr?.bits ?? 1;

/** `<top>_tables`: every group's table and the -sum(a) correction, once per beat for all rows. */
export function emitTables(p: LutPlan): Module {
  const { o, g, groups } = p;
  const ab = o.actBits;
  const cw = corrBits(p);
  const corrCtx = p.corr
    ? { tree: p.corr.tree, negExpr: signExt(p.corr.tree.result, p.corr.tree.width, cw), corrBits: cw, sumMsb: p.table.sumAll!.width - 1 }
    : {};
  const verilog = render('lut_tables.v.hbs', {
    top: o.top,
    g,
    groups,
    corr: !!p.corr,
    gated: !!p.corr && p.serial,
    actMsb: o.k * ab - 1,
    tabBusMsb: groups * p.groupTabBits - 1,
    groupActBits: g * ab,
    groupTabBits: p.groupTabBits,
    groups_: Array.from({ length: groups }, (_, t) => ({ t, aLo: t * g * ab, tabLo: t * p.groupTabBits })),
    corrMsb: cw - 1,
    ...corrCtx,
  });
  return { name: `${o.top}_tables`, verilog };
}

/** `<top>_lut`: one lookup, index -> entry, sign and term (the entry or its ones' complement). */
export function emitLookup(p: LutPlan): Module {
  const { o, g, tw } = p;
  const spec = o.spec;
  const l = p.lookup;
  const entryVal = (e: number) => (e < 0 ? `${tw}'d0` : `tab[${e * tw} +: ${tw}]`);
  let selExpr: string;
  let negExpr = '';
  if (l.select === 'fold-top') {
    // T[c] for top bit 1, -T[~c] otherwise: the other bits fold with an XOR, the top bit is the sign.
    selExpr = `idx[${g - 2}:0] ^ {${g - 1}{~idx[${g - 1}]}}`;
    negExpr = l.inv ? `~idx[${g - 1}] ^ inv` : `~idx[${g - 1}]`;
  } else if (l.select === 'all') {
    selExpr = l.inv ? `idx ^ {${g}{inv}}` : 'idx';
  } else if (l.select === 'low4') {
    selExpr = 'idx[3:0]';
    negExpr = 'idx[4]';
  } else {
    selExpr = 'idx';
    negExpr = 'neg_c';
  }
  const lookupDoc =
    spec.kind === 'planes'
      ? `${g} weight bits of one plane index a ${spec.symmetric ? `${p.entries}-entry symmetric table (T[~c] = -T[c])` : `${p.entries}-entry table`}.`
      : spec.kind === 'tl1'
        ? `A 4-bit code of two ternary weights (bitnet.cpp TL1) indexes a ${spec.symmetric ? '4-entry symmetric' : '8-entry'} table.`
        : 'A 4-bit magnitude of three ternary weights indexes a 13-entry table; bit 4 is the sign (bitnet.cpp TL2).';
  const verilog = render('lut_lookup.v.hbs', {
    top: o.top,
    doc: lookupDoc,
    tabMsb: p.groupTabBits - 1,
    idxMsb: spec.idxBits - 1,
    inv: l.inv,
    twMsb: tw - 1,
    signed: p.signed,
    selMsb: l.selBits - 1,
    selExpr,
    selBits: l.selBits,
    cases: l.cases.map((c) => ({ code: c.code, val: entryVal(c.entry), neg: c.neg ? 1 : 0 })),
    caseNeg: l.select === 'case' && p.signed,
    negExpr,
    termExpr: `val ^ {${tw}{neg}}`,
  });
  return { name: `${o.top}_lut`, verilog };
}

function indexExpr(idx: IndexSource): string {
  switch (idx.kind) {
    case 'field':
      return `wgt[${idx.lo} +: ${idx.bits}]`;
    case 'serial':
      return `pbits[${idx.lo} +: ${idx.g}]`;
    case 'bits':
      return `wgt[${idx.lo} +: ${idx.g}]`;
    case 'plane':
      return `{${idx.bits.map((b) => `wgt[${b}]`).join(', ')}}`;
  }
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

/** The row's statements after its trees: combining planes and fitting the result to psum. */
function finalLines(p: LutPlan, f: RowFinal): string[] {
  const psumBits = p.o.psumBits;
  if (f.kind === 'direct') return toPsum(f.name, f.width, psumBits, f.lo, new Set());
  if (f.kind === 'horner') {
    const { tree, rw, sw } = f;
    const used = new Set(Array.from({ length: rw }, (_, b) => b));
    return [
      `reg  [${rw - 1}:0] x_q;  // planes so far, most significant first`,
      `wire [${sw - 1}:0] x_twice = acc_first ? ${sw}'d0 : {${signExt('x_q', rw, sw - 1)}, 1'b0};`,
      `wire [${sw - 1}:0] total = x_twice + ${signExt(tree.result, tree.width, sw)};`,
      `always @(posedge clk) if (en && acc_valid) x_q <= total[${rw - 1}:0];`,
      ...toPsum('total', sw, psumBits, 1, used),
    ];
  }
  const trees = p.row.trees;
  // The combining tree reads the shifted planes, so they are declared before it.
  const shifts = f.shifted.filter((s) => s.i > 0).map((s) => `wire [${s.width - 1}:0] ${s.name} = {${trees[s.i].result}, ${s.i}'b0};`);
  const comb = render('partials/adder_tree.hbs', f.comb).trim().split('\n').map((l) => l.trim());
  return [...shifts, ...comb, ...toPsum(f.comb.result, f.comb.width, psumBits, f.lo, new Set())];
}

/** `<top>_row`: one row's lookups, trees and psum. */
export function emitRow(p: LutPlan): Module {
  const { o, groups, row } = p;
  const spec = o.spec;
  const b = row.planes;
  const rowDoc =
    spec.kind === 'planes'
      ? `${b} plane(s) of ${groups} lookups${p.serial ? `, one plane per cycle (${b} cycles per beat)` : ''}${o.offset ? '; 2*sum = sum_i 2^i S_i - sum(a), halved' : ''}.`
      : `${groups} lookups of ${spec.kind} codes.`;
  const verilog = render('lut_row.v.hbs', {
    top: o.top,
    lookupDoc: rowDoc,
    latency: o.pipeline,
    clocked: row.clocked,
    serial: p.serial,
    stepMsb: Math.max(1, Math.ceil(Math.log2(p.steps))) - 1,
    kMsb: o.k - 1,
    k: o.k,
    b,
    bMsb: b - 1,
    tabBusMsb: groups * p.groupTabBits - 1,
    corr: !!p.corr,
    corrMsb: corrBits(p) - 1,
    wgtRowMsb: o.wgtRowBits - 1,
    psumMsb: o.psumBits - 1,
    twMsb: p.tw - 1,
    signed: p.signed,
    inv: p.lookup.inv,
    groupTabBits: p.groupTabBits,
    lookups: row.lookups.map((l) => ({ id: l.id, tabLo: l.tabLo, idx: indexExpr(l.idx), inv: l.inv === 'first_step' ? 'first_step' : l.inv ? "1'b1" : "1'b0" })),
    trees: row.trees,
    finals: finalLines(p, row.final),
  });
  return { name: `${o.top}_row`, verilog };
}
