// Assembles a family's row datapath into the shared streaming design: the family renders
// `<top>_row` (and any sub-modules); this file adds the header, the top module (templates/top.v.hbs)
// and the hand-written shell (hw/lowbit_stream_acc.v).

import { readFileSync } from 'node:fs';
import type { CommonParams, Layout, Rtl } from './family.js';
import { render, rtlHeader } from './render.js';
import { repoPath } from './paths.js';
import { exactAccBits, scaleRange, type Range } from './accumulator.js';
import { signedBitsFor } from './bits.js';

export const SHELL_FILE = 'lowbit_stream_acc.v';

export interface RowDesign {
  family: string;
  params: CommonParams;
  /** The family's default parameters (so the regenerate line lists only what differs). */
  defaults: Record<string, unknown>;
  top: string;
  layout: Layout;
  /** Bits of in_wgt per row (in_wgt = rows * wgtRowBits). */
  wgtRowBits: number;
  /** One line describing in_wgt's packing, for the generated file's comment. */
  wgtDoc: string;
  /** Rendered Verilog of `<top>_row` and its sub-modules, one module each (one file per module). */
  modules: { name: string; verilog: string }[];
}

/**
 * The layout of a streaming design whose rows each sum `terms` terms in `term` per beat and take
 * `wgtRowBits` bits of in_wgt.
 */
export function streamLayout(p: CommonParams, term: Range, terms: number, wgtRowBits: number): Layout {
  const psum = scaleRange(term, terms);
  return {
    rows: p.rows,
    k: p.k,
    actBits: p.act_bits,
    wgtBits: p.rows * wgtRowBits,
    accBits: p.acc_bits,
    psumBits: signedBitsFor(psum.min, psum.max),
    exactBits: exactAccBits(term, terms, p.max_beats),
    term,
    latency: p.pipeline,
  };
}

/** Context every row template needs for its ports. */
export function rowPortContext(l: Layout, wgtRowBits: number) {
  return {
    clocked: l.latency > 0,
    actMsb: l.k * l.actBits - 1,
    wgtRowMsb: wgtRowBits - 1,
    psumMsb: l.psumBits - 1,
  };
}

export function assembleDesign(d: RowDesign): Rtl {
  const l = d.layout;
  const header = rtlHeader(d.family, d.params, d.defaults);
  const top = render('top.v.hbs', {
    header,
    top: d.top,
    rows: l.rows,
    actBits: l.actBits,
    accBits: l.accBits,
    psumBits: l.psumBits,
    wgtRowBits: d.wgtRowBits,
    wgtDoc: d.wgtDoc,
    latency: l.latency,
    clocked: l.latency > 0,
    saturate: d.params.overflow === 'saturate' ? 1 : 0,
    actMsb: l.k * l.actBits - 1,
    wgtMsb: l.wgtBits - 1,
    outMsb: l.rows * l.accBits - 1,
    psumBusMsb: l.rows * l.psumBits - 1,
  });
  return {
    top: d.top,
    files: [
      { name: SHELL_FILE, content: readFileSync(repoPath('hw', SHELL_FILE), 'utf8') },
      ...d.modules.map((m) => ({ name: `${m.name}.v`, content: `${header}\n\n${m.verilog.trim()}\n` })),
      { name: `${d.top}.v`, content: `${top.trim()}\n` },
    ],
  };
}
