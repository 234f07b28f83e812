// A binary-weight family, written as a lowbit user writes one: weights in {-1, +1}, stored as one bit
// each (1 = +1, 0 = -1), row sum = sum_i (w_i ? a_i : -a_i). It imports only the package ('lowbit')
// and keeps its template next to it; importing this module registers it (README.md beside it).

import {
  assembleDesign,
  beatPosition,
  checkWeights,
  domainRange,
  dotProductModel,
  fieldSweep,
  getBits,
  planAdderTree,
  productRange,
  randomWords,
  registerFamily,
  renderFile,
  resolveParams,
  rowPortContext,
  setBits,
  signedRange,
  streamLayout,
  streamSchema,
  treeLevels,
  wordsFor,
  type CommonParams,
  type Family,
  type Layout,
  type Range,
  type Rtl,
  type WeightDomain,
  type Weights,
} from 'lowbit';

/** The family's name: `lowbit gen <name>`, module names `lowbit_<name>`. */
const NAME = 'xnor';

/** This family has no parameters beyond the shared ones (rows, k, act_bits, max_beats, acc_bits, overflow, pipeline). */
export type XnorParams = CommonParams;

/** Binary weights: -1 and +1, no zero. */
export const DOMAIN: WeightDomain = { kind: 'set', values: [-1, 1] };

/** One term w*a: for int8 activations -128 (-128 * +1) to 128 (-128 * -1), 9 bits. */
const termRange = (p: { act_bits: number }): Range => productRange(signedRange(p.act_bits), domainRange(DOMAIN));

export const schema = streamSchema({
  familyParams: [],
  termRange: (p) => termRange(p as XnorParams),
  // Every lane brings a carry-in (its negation's +1), as in the ternary family's tree.
  levels: (p) => treeLevels(p.k as number, p.k as number),
});

const DEFAULTS = resolveParams(schema, {}, NAME);

/** in_wgt: row r's weight bit i at [r*k + i]. */
function layout(p: XnorParams): Layout {
  return streamLayout(p, termRange(p), p.k, p.k);
}

function pack(p: XnorParams, w: ArrayLike<number>, out: Uint32Array): void {
  checkWeights(DOMAIN, w, beatPosition(p.k));
  out.fill(0);
  for (let i = 0; i < w.length; i++) if (w[i] > 0) setBits(out, i, 1, 1);
}

/** Every bit pattern is a legal beat: bit 1 reads +1, bit 0 reads -1 (in model and RTL alike). */
function unpack(p: XnorParams, words: Uint32Array, out: Weights): void {
  for (let i = 0; i < p.rows * p.k; i++) out[i] = getBits(words, i, 1) ? 1 : -1;
}

function generate(p: XnorParams, top: string): Rtl {
  const l = layout(p);
  const ab = p.act_bits;
  const lanes = Array.from({ length: p.k }, (_, i) => ({ i, term: `~(act[${i * ab} +: ${ab}] ^ {${ab}{wgt[${i}]}})` }));
  // Terms in the activation's own range (a or ~a), one carry-in per lane.
  const tree = planAdderTree('sum', lanes.map(({ i }) => ({ name: `t_${i}`, range: signedRange(ab) })), lanes.map(({ i }) => `ng_${i}`), p.pipeline);
  if (tree.width !== l.psumBits) throw new Error(`internal: tree width ${tree.width} != psum width ${l.psumBits}`);
  const row = renderFile(new URL('./xnor_row.v.hbs', import.meta.url), { ...rowPortContext(l, p.k), top, latency: p.pipeline, actMsb1: ab - 1, lanes, tree });
  return assembleDesign({
    family: NAME,
    params: p,
    defaults: DEFAULTS,
    top,
    layout: l,
    wgtRowBits: p.k,
    wgtDoc: `row r's weight bit i at [r*${p.k} + i]: 1 = +1, 0 = -1`,
    modules: [{ name: `${top}_row`, verilog: row }],
  });
}

export const xnor: Family<XnorParams> = {
  name: NAME,
  summary: 'binary weights {-1,+1}, one bit each: an XNOR of every activation bit with the weight bit and a carry-in, no multipliers',
  schema,
  resolve: (raw) => resolveParams(schema, raw, NAME) as XnorParams,
  layout,
  domain: () => DOMAIN,
  model: (p, w, a) => dotProductModel(p, DOMAIN, w, a),
  // Uniform random bits: every code is a weight, and -1 and +1 are equally likely.
  randomBeat: (p, rng, weights, words) => {
    randomWords(() => rng.u32(), p.rows * p.k, words);
    unpack(p, words, weights);
  },
  pack,
  unpack,
  // Both codes in every lane: beat c holds bit (c + lane) mod 2.
  codeSweep: (p) => fieldSweep(1, p.rows * p.k, wordsFor(p.rows * p.k)),
  generate,
  // From the packing's definition, not from the generator: add a lane's activation for bit 1, subtract it for bit 0.
  referenceRow: (p) => Array.from({ length: p.k }, (_, i) => {
    const a = `$signed(a[${i * p.act_bits} +: ${p.act_bits}])`;
    return `s = w[${i}] ? s + ${a} : s - ${a};`;
  }),
};

registerFamily(xnor);

export default xnor;
