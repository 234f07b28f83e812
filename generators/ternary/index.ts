// The ternary family: weights in {-1, 0, +1}, add / subtract / skip, no multipliers.

import type { Family, CommonParams, Layout, Rtl } from '../common/family.js';
import { resolveParams } from '../common/params.js';
import { dotProductModel } from '../common/golden.js';
import { streamSchema } from '../common/schema.js';
import { productRange, signedRange, type Range } from '../common/accumulator.js';
import { wordsFor } from '../../core/bits.js';
import { treeLevels } from '../common/adderTree.js';
import { directLanes } from '../common/rowParts.js';
import { ternaryRow } from '../common/ternaryRow.js';
import { TERNARY_DOMAIN, TERNARY_ENCODINGS, type TernaryEncoding } from '../common/ternaryCodes.js';
import { domainRange } from '../common/domain.js';
import { ternaryReference } from './reference.js';
import { assembleDesign, rowPortContext, streamLayout } from '../common/design.js';
import { codeSweep, packBeat, randomBeat, rowBits, unpackBeat } from './encoding.js';
import { estimateTernary } from './estimate.js';
import { withActFormats } from '../common/fpFront.js';

export interface TernaryParams extends CommonParams {
  encoding: TernaryEncoding;
}

const termRange = (p: { act_bits: number }): Range => productRange(signedRange(p.act_bits), domainRange(TERNARY_DOMAIN));

export const schema = streamSchema({
  familyParams: [
    { kind: 'enum', name: 'encoding', values: TERNARY_ENCODINGS, default: 'twos', doc: 'weight code on in_wgt (twos | i2s | base3, see README)' },
  ],
  termRange: (p) => termRange(p as TernaryParams),
  // Every term brings a carry-in (its negation's +1).
  levels: (p) => treeLevels(p.k as number, p.k as number),
});

export const DEFAULTS = resolveParams(schema, {}, 'ternary');

function layout(p: TernaryParams): Layout {
  return streamLayout(p, termRange(p), p.k, rowBits(p.encoding, p.k));
}

function generate(p: TernaryParams, top: string): Rtl {
  const l = layout(p);
  const row = ternaryRow({
    top,
    encoding: p.encoding,
    lanes: p.k,
    wgtLo: 0,
    actBits: p.act_bits,
    source: directLanes(p.act_bits),
    pipeline: p.pipeline,
    ports: rowPortContext(l, rowBits(p.encoding, p.k)),
  });
  if (row.width !== l.psumBits) throw new Error(`internal: tree width ${row.width} != psum width ${l.psumBits}`);
  const wgtDoc =
    p.encoding === 'base3'
      ? `row r's base-3 byte j at [(r*${Math.ceil(p.k / 5)} + j)*8 +: 8], five weights per byte`
      : `row r's weight i at [(r*${p.k} + i)*2 +: 2], ${p.encoding} codes`;
  return assembleDesign({ family: 'ternary', origin: 'generators/ternary', params: p, defaults: DEFAULTS, top, layout: l, wgtRowBits: rowBits(p.encoding, p.k), wgtDoc, modules: row.modules });
}

/** The integer array (act_format int): withActFormats adds floating-point activations around it. */
export const ternaryArray: Family<TernaryParams> = {
  name: 'ternary',
  summary: 'ternary weights {-1,0,+1} x signed activations: add / subtract / skip, no multipliers',
  schema,
  resolve: (raw) => resolveParams(schema, raw, 'ternary') as TernaryParams,
  layout,
  domain: () => TERNARY_DOMAIN,
  model: (p, w, a) => dotProductModel(p, TERNARY_DOMAIN, w, a),
  randomBeat: (p, rng, weights, words) => randomBeat(p.encoding, p.rows, p.k, rng, weights, words),
  pack: (p, w, out) => packBeat(p.encoding, p.rows, p.k, w, out),
  unpack: (p, words, out) => unpackBeat(p.encoding, p.rows, p.k, words, out),
  codeSweep: (p) => codeSweep(p.encoding, p.rows, p.k, wordsFor(layout(p).wgtBits)),
  generate,
  referenceRow: (p) => ternaryReference(p.encoding, p.k, p.act_bits),
  estimate: (p) => estimateTernary(p, layout(p)),
};

export const ternary = withActFormats(ternaryArray);
