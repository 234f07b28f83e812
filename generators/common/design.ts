// Assembles a family's row datapath into the shared streaming design: the family renders
// `<top>_row` (and any sub-modules); this file adds the header, the top module (templates/top.v.hbs)
// and the hand-written shell (hw/lowbit_stream_acc.v).

import { readFileSync } from 'node:fs';
import type { CommonParams, Layout, Rtl } from './family.js';
import { render, rtlHeader } from './render.js';
import { repoPath } from '../../core/paths.js';
import { exactAccBits, scaleRange, type Range } from './accumulator.js';
import { signedBitsFor } from '../../core/bits.js';

export const SHELL_FILE = 'lowbit_stream_acc.v';
export const SEQ_FILE = 'lowbit_beat_seq.v';

export interface PortConn {
  port: string;
  expr: string;
}

/**
 * A stage every row shares, between in_act and the rows: built once per beat, whatever `rows` is
 * (LUT mpGEMM's activation tables). Its outputs are wires of the top that rows connect to.
 */
export interface SharedStage {
  module: string;
  doc: string;
  wires: { name: string; msb: number }[];
  conns: PortConn[];
}

export interface RowDesign {
  family: string;
  /** Where the generator lives, named in every file's header: a built-in family's folder (generators/<name>); none for a family from elsewhere. */
  origin?: string;
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
  /** Row inputs besides wgt and psum; default clk/en (when pipelined) and act <- in_act. */
  rowConns?: PortConn[];
  shared?: SharedStage;
  /**
   * Cycles per beat (default 1). More puts hw/lowbit_beat_seq.v in front of the shell; rows may then
   * connect to its step, first_step, final_step, acc_valid and acc_first.
   */
  steps?: number;
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
  const header = rtlHeader(d.family, d.params, d.defaults, d.origin);
  const steps = d.steps !== undefined && d.steps > 1 ? d.steps : 0;
  const clocked = l.latency > 0;
  const rowConns = d.rowConns ?? [...(clocked ? [{ port: 'clk', expr: 'clk' }, { port: 'en', expr: 'en' }] : []), { port: 'act', expr: 'in_act' }];
  const stepBits = steps ? Math.max(1, Math.ceil(Math.log2(steps))) : 0;
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
    usesEn: clocked || steps > 0,
    steps,
    stepBits,
    stepMsb: stepBits - 1,
    shared: d.shared ?? false,
    rowConns,
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
      ...(steps ? [{ name: SEQ_FILE, content: readFileSync(repoPath('hw', SEQ_FILE), 'utf8') }] : []),
      ...d.modules.map((m) => ({ name: `${m.name}.v`, content: `${header}\n\n${m.verilog.trim()}\n` })),
      { name: `${d.top}.v`, content: `${top.trim()}\n` },
    ],
  };
}
