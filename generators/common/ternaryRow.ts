// The multiplier-free ternary row datapath, shared by every family with ternary weights
// (the ternary family itself, N:M sparse ternary): lane decode per encoding, sign/mask terms,
// and the adder tree with carry-ins.

import { signedRange } from './accumulator.js';
import { planAdderTree } from './adderTree.js';
import { render } from './render.js';
import type { LaneSource } from './rowParts.js';
import { base3Decode, type TernaryEncoding } from './ternaryCodes.js';

/** The base-3 decoder table for bytes carrying n trits (all 243 valid bytes, lowest n trits). */
function decoderModule(n: number) {
  const entries = [];
  for (let b = 0; b < 243; b++) {
    const bits = base3Decode(b)
      .slice(0, n)
      .map((t) => (t === 0 ? '00' : t === 1 ? '01' : '11'))
      .reverse()
      .join('');
    entries.push({ b, bits });
  }
  return { n, msb: 2 * n - 1, width: 2 * n, entries };
}

export interface TernaryRowOptions {
  top: string;
  encoding: TernaryEncoding;
  /** Weight lanes in the row; their codes start at bit `wgtLo` of `wgt` (packed as the encoding says). */
  lanes: number;
  wgtLo: number;
  actBits: number;
  source: LaneSource;
  pipeline: number;
  /** Context for the row's ports (rowPortContext). */
  ports: object;
}

/** Renders `<top>_row` and its decoders; returns the modules and the tree's output width. */
export function ternaryRow(o: TernaryRowOptions): { modules: { name: string; verilog: string }[]; width: number } {
  const ab = o.actBits;
  const rep = (n: number, x: string) => `{${n}{${x}}}`;
  const lanes = [];
  const decoders = [];
  const decoderSizes = new Set<number>();
  if (o.encoding === 'base3') {
    for (let j = 0; j < Math.ceil(o.lanes / 5); j++) {
      const n = Math.min(5, o.lanes - j * 5);
      decoderSizes.add(n);
      decoders.push({ j, n, lo: o.wgtLo + j * 8, codesMsb: 2 * n - 1 });
    }
  }
  for (let i = 0; i < o.lanes; i++) {
    let nz: string;
    let sg: string;
    const c = o.wgtLo + 2 * i;
    if (o.encoding === 'twos') {
      nz = `wgt[${c}]`;
      sg = `wgt[${c + 1}]`;
    } else if (o.encoding === 'i2s') {
      nz = `~wgt[${c}]`;
      sg = `~wgt[${c + 1}]`;
    } else {
      const j = Math.floor(i / 5);
      const t = i % 5;
      nz = `codes_${j}[${2 * t}]`;
      sg = `codes_${j}[${2 * t + 1}]`;
    }
    const term = `${rep(ab, `sg_${i}`)} ^ (${rep(ab, `nz_${i}`)} & ${o.source.act(i)})`;
    lanes.push({ i, nz, sg, term });
  }
  const tree = planAdderTree(
    'sum',
    lanes.map((x) => ({ name: `t_${x.i}`, range: signedRange(ab) })),
    lanes.map((x) => `sg_${x.i}`),
    o.pipeline,
  );
  const modules = [...decoderSizes].sort().map((n) => ({ name: `${o.top}_b3dec${n}`, verilog: render('ternary_b3dec.v.hbs', { top: o.top, ...decoderModule(n) }) }));
  const row = render('ternary_row.v.hbs', {
    ...o.ports,
    top: o.top,
    latency: o.pipeline,
    actMsb1: ab - 1,
    lanes,
    decoders,
    muxes: o.source.muxes,
    m: o.source.m ?? 0,
    tree,
  });
  return { modules: [...modules, { name: `${o.top}_row`, verilog: row }], width: tree.width };
}
