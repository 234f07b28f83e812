// The ternary family: weights in {-1, 0, +1}, add / subtract / skip, no multipliers.

import type { Family, CommonParams, Layout, Rtl } from '../common/family.js';
import { resolveParams } from '../common/params.js';
import { streamSchema } from '../common/schema.js';
import { productRange, signedRange, exactAccBits, scaleRange, type Range } from '../common/accumulator.js';
import { signedBitsFor, wordsFor } from '../common/bits.js';
import { planAdderTree, treeLevels } from '../common/adderTree.js';
import { assembleDesign, rowPortContext } from '../common/design.js';
import { render } from '../common/render.js';
import { ENCODINGS, base3Decode, codeSweep, packBeat, randomBeat, rowBits, unpackBeat, type Encoding } from './encoding.js';

export interface TernaryParams extends CommonParams {
  encoding: Encoding;
}

const WEIGHTS: Range = { min: -1n, max: 1n };
const termRange = (p: { act_bits: number }): Range => productRange(signedRange(p.act_bits), WEIGHTS);

export const schema = streamSchema({
  familyParams: [
    { kind: 'enum', name: 'encoding', values: ENCODINGS, default: 'twos', doc: 'weight code on in_wgt (twos | i2s | base3, see README)' },
  ],
  termRange: (p) => termRange(p as TernaryParams),
  // Every term brings a carry-in (its negation's +1).
  levels: (p) => treeLevels(p.k as number, p.k as number),
});

export const DEFAULTS = resolveParams(schema, {}, 'ternary');

function layout(p: TernaryParams): Layout {
  const term = termRange(p);
  const psum = scaleRange(term, p.k);
  return {
    rows: p.rows,
    k: p.k,
    actBits: p.act_bits,
    wgtBits: p.rows * rowBits(p.encoding, p.k),
    accBits: p.acc_bits,
    psumBits: signedBitsFor(psum.min, psum.max),
    exactBits: exactAccBits(term, p.k, p.max_beats),
    term,
    latency: p.pipeline,
  };
}

/** The base-3 decoder table for bytes carrying n trits. */
function decoderModule(n: number) {
  const entries = [];
  for (let b = 0; b < 243; b++) {
    const trits = base3Decode(b).slice(0, n);
    const bits = trits
      .map((t) => (t === 0 ? '00' : t === 1 ? '01' : '11'))
      .reverse()
      .join('');
    entries.push({ b, bits });
  }
  return { n, msb: 2 * n - 1, width: 2 * n, entries };
}

function generate(p: TernaryParams, top: string): Rtl {
  const l = layout(p);
  const ab = p.act_bits;
  const rep = (n: number, x: string) => `{${n}{${x}}}`;
  const lanes = [];
  const decoders = [];
  const decoderSizes = new Set<number>();
  if (p.encoding === 'base3') {
    for (let j = 0; j < Math.ceil(p.k / 5); j++) {
      const n = Math.min(5, p.k - j * 5);
      decoderSizes.add(n);
      decoders.push({ j, n, lo: j * 8, codesMsb: 2 * n - 1 });
    }
  }
  for (let i = 0; i < p.k; i++) {
    let nz: string;
    let sg: string;
    if (p.encoding === 'twos') {
      nz = `wgt[${2 * i}]`;
      sg = `wgt[${2 * i + 1}]`;
    } else if (p.encoding === 'i2s') {
      nz = `~wgt[${2 * i}]`;
      sg = `~wgt[${2 * i + 1}]`;
    } else {
      const j = Math.floor(i / 5);
      const t = i % 5;
      nz = `codes_${j}[${2 * t}]`;
      sg = `codes_${j}[${2 * t + 1}]`;
    }
    const term = `${rep(ab, `sg_${i}`)} ^ (${rep(ab, `nz_${i}`)} & act[${i * ab} +: ${ab}])`;
    lanes.push({ i, nz, sg, term });
  }
  const tree = planAdderTree(
    'sum',
    lanes.map((x) => ({ name: `t_${x.i}`, range: signedRange(ab) })),
    lanes.map((x) => `sg_${x.i}`),
    p.pipeline,
  );
  if (tree.width !== l.psumBits) throw new Error(`internal: tree width ${tree.width} != psum width ${l.psumBits}`);
  const modules = [...decoderSizes].sort().map((n) => ({ name: `${top}_b3dec${n}`, verilog: render('ternary_b3dec.v.hbs', { top, ...decoderModule(n) }) }));
  const rowVerilog = render('ternary_row.v.hbs', {
    ...rowPortContext(l, rowBits(p.encoding, p.k)),
    top,
    latency: p.pipeline,
    actMsb1: ab - 1,
    lanes,
    decoders,
    tree,
  });
  const wgtDoc =
    p.encoding === 'base3'
      ? `row r's base-3 byte j at [(r*${Math.ceil(p.k / 5)} + j)*8 +: 8], five weights per byte`
      : `row r's weight i at [(r*${p.k} + i)*2 +: 2], ${p.encoding} codes`;
  return assembleDesign({ family: 'ternary', params: p, defaults: DEFAULTS, top, layout: l, wgtRowBits: rowBits(p.encoding, p.k), wgtDoc, modules: [...modules, { name: `${top}_row`, verilog: rowVerilog }] });
}

export const ternary: Family<TernaryParams> = {
  name: 'ternary',
  summary: 'ternary weights {-1,0,+1} x signed activations: add / subtract / skip, no multipliers',
  schema,
  resolve: (raw) => resolveParams(schema, raw, 'ternary') as TernaryParams,
  layout,
  weightRange: () => WEIGHTS,
  randomBeat: (p, rng, weights, words) => randomBeat(p.encoding, p.rows, p.k, rng, weights, words),
  pack: (p, w, out) => packBeat(p.encoding, p.rows, p.k, w, out),
  unpack: (p, words, out) => unpackBeat(p.encoding, p.rows, p.k, words, out),
  codeSweep: (p) => codeSweep(p.encoding, p.rows, p.k, wordsFor(layout(p).wgtBits)),
  generate,
};
