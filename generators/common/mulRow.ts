// The multiplier row datapath, shared by every family with integer weights (dense, N:M sparse int):
// one signed multiplier module instantiated per lane and an exact adder tree.

import { productRange, signedRange } from './accumulator.js';
import { planAdderTree } from './adderTree.js';
import { signedBitsFor } from '../../core/bits.js';
import { render } from './render.js';
import type { LaneSource } from './rowParts.js';

export interface MulRowOptions {
  top: string;
  lanes: number;
  /** Lane i's weight: w_bits two's complement at wgt[wgtLo + i*w_bits]. */
  wgtLo: number;
  wBits: number;
  actBits: number;
  source: LaneSource;
  pipeline: number;
  ports: object;
}

export function mulRow(o: MulRowOptions): { modules: { name: string; verilog: string }[]; width: number } {
  const prod = productRange(signedRange(o.actBits), signedRange(o.wBits));
  const prodBits = signedBitsFor(prod.min, prod.max);
  const lanes = Array.from({ length: o.lanes }, (_, i) => ({ i, a: o.source.act(i), w: `wgt[${o.wgtLo + i * o.wBits} +: ${o.wBits}]` }));
  const tree = planAdderTree('sum', lanes.map((x) => ({ name: `p_${x.i}`, range: prod })), [], o.pipeline);
  const ctx = {
    ...o.ports,
    top: o.top,
    latency: o.pipeline,
    actBits: o.actBits,
    actMsb1: o.actBits - 1,
    wBits: o.wBits,
    wMsb: o.wBits - 1,
    prodBits,
    prodMsb: prodBits - 1,
    lanes,
    muxes: o.source.muxes,
    m: o.source.m ?? 0,
    tree,
  };
  return {
    modules: [
      { name: `${o.top}_mul`, verilog: render('dense_mul.v.hbs', ctx) },
      { name: `${o.top}_row`, verilog: render('dense_row.v.hbs', ctx) },
    ],
    width: tree.width,
  };
}
