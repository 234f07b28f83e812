// The dense family: signed w_bits x act_bits multiply-accumulate, the yardstick every other family
// is compared with at equal rows, k and act_bits. in_wgt: row r's weight i at [(r*k + i)*w_bits +: w_bits],
// two's complement.

import type { Family, CommonParams, Layout, Rtl, Weights } from '../common/family.js';
import { resolveParams } from '../common/params.js';
import { dotProductModel } from '../common/golden.js';
import { streamSchema } from '../common/schema.js';
import { productRange, signedRange, type Range } from '../common/accumulator.js';
import { fieldSweep, packLanes, randomWords, unpackLanesSigned, wordsFor } from '../../core/bits.js';
import { treeLevels } from '../common/adderTree.js';
import { directLanes } from '../common/rowParts.js';
import { mulRow } from '../common/mulRow.js';
import { beatPosition, checkWeights, signedDomain } from '../common/domain.js';
import { assembleDesign, rowPortContext, streamLayout } from '../common/design.js';
import type { Rng } from '../../core/rng.js';
import { estimateDense } from './estimate.js';
import { withActFormats } from '../common/fpFront.js';

export interface DenseParams extends CommonParams {
  w_bits: number;
}

const termRange = (p: { act_bits: number; w_bits: number }): Range => productRange(signedRange(p.act_bits), signedRange(p.w_bits));

export const schema = streamSchema({
  familyParams: [{ kind: 'int', name: 'w_bits', min: 2, max: 8, default: 8, doc: 'signed weight width' }],
  termRange: (p) => termRange(p as DenseParams),
  levels: (p) => treeLevels(p.k as number, 0),
});

export const DEFAULTS = resolveParams(schema, {}, 'dense');

function layout(p: DenseParams): Layout {
  return streamLayout(p, termRange(p), p.k, p.k * p.w_bits);
}

function generate(p: DenseParams, top: string): Rtl {
  const l = layout(p);
  const row = mulRow({
    top,
    lanes: p.k,
    wgtLo: 0,
    wBits: p.w_bits,
    actBits: p.act_bits,
    source: directLanes(p.act_bits),
    pipeline: p.pipeline,
    ports: rowPortContext(l, p.k * p.w_bits),
  });
  if (row.width !== l.psumBits) throw new Error(`internal: tree width ${row.width} != psum width ${l.psumBits}`);
  const wgtDoc = `row r's weight i at [(r*${p.k} + i)*${p.w_bits} +: ${p.w_bits}], two's complement`;
  return assembleDesign({ family: 'dense', origin: 'generators/dense', params: p, defaults: DEFAULTS, top, layout: l, wgtRowBits: p.k * p.w_bits, wgtDoc, modules: row.modules });
}

function pack(p: DenseParams, w: ArrayLike<number>, out: Uint32Array): void {
  checkWeights(signedDomain(p.w_bits), w, beatPosition(p.k));
  packLanes(w, p.w_bits, out);
}

function unpack(p: DenseParams, words: Uint32Array, out: Weights): void {
  unpackLanesSigned(words, p.rows * p.k, p.w_bits, out);
}

/** Uniform weights: random in_wgt bits (every code is a legal weight), decoded. */
function randomBeat(p: DenseParams, rng: Rng, weights: Weights, words: Uint32Array): void {
  const n = p.rows * p.k;
  randomWords(() => rng.u32(), n * p.w_bits, words);
  // int8 lanes are the weights' own bytes (little-endian words); Int32Array.set widens them, sign included.
  if (p.w_bits === 8) weights.set(new Int8Array(words.buffer, words.byteOffset, n));
  else unpackLanesSigned(words, n, p.w_bits, weights);
}

/** The integer array (act_format int): withActFormats adds floating-point activations around it. */
export const denseArray: Family<DenseParams> = {
  name: 'dense',
  summary: 'signed w_bits x act_bits multiply-accumulate: the baseline every family is compared with',
  schema,
  resolve: (raw) => resolveParams(schema, raw, 'dense') as DenseParams,
  layout,
  domain: (p) => signedDomain(p.w_bits),
  model: (p, w, a) => dotProductModel(p, signedDomain(p.w_bits), w, a),
  randomBeat,
  pack,
  unpack,
  // Every code in every lane: beat c holds code (c + lane) mod 2^w_bits.
  codeSweep: (p) => fieldSweep(p.w_bits, p.rows * p.k, wordsFor(p.rows * p.k * p.w_bits)),
  generate,
  referenceRow: (p) => [`for (i = 0; i < ${p.k}; i = i + 1) s = s + $signed(w[i*${p.w_bits} +: ${p.w_bits}]) * $signed(a[i*${p.act_bits} +: ${p.act_bits}]);`],
  estimate: (p) => estimateDense(p, layout(p)),
};

export const dense = withActFormats(denseArray);
