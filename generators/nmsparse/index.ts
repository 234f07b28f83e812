// The N:M sparse family: per row and group of m lanes, n kept weights (int or ternary), each with
// its index; each kept weight meets its activation through an m:1 multiplexer. Computes the same
// function as every family on the dense-equivalent weight matrix (zeros where pruned).
//
// in_wgt, row r at [r*WR +: WR]; within a row, slot s = g*n + j (group g, j-th kept weight):
//   values  at [0, VR):  int: [s*w_bits +: w_bits] two's complement; ternary twos/i2s: [s*2 +: 2];
//                        ternary base3: slot s is trit (s mod 5) of byte floor(s/5), VR = ceil(S/5)*8
//   indices at [VR + s*ib +: ib], ib = log2(m) (so a row's 2:4 metadata is NVIDIA's nibble stream)
// with S = (k/m)*n slots per row and WR = VR + S*ib.

import type { Family, CommonParams, Layout, Rtl, WeightDomain, Weights } from '../common/family.js';
import { resolveParams, UsageError, type ParamValue } from '../common/params.js';
import { dotProductModel } from '../common/golden.js';
import { streamSchema } from '../common/schema.js';
import { productRange, signedRange, type Range } from '../common/accumulator.js';
import { getBits, setBits, signExtend, wordsFor } from '../../core/bits.js';
import { treeLevels } from '../common/adderTree.js';
import { assembleDesign, rowPortContext, streamLayout } from '../common/design.js';
import { render } from '../common/render.js';
import type { LaneSource } from '../common/rowParts.js';
import type { Rng } from '../../core/rng.js';
import { ternaryRow } from '../common/ternaryRow.js';
import { mulRow } from '../common/mulRow.js';
import { TERNARY_DOMAIN, TERNARY_ENCODINGS, base3Decode, fromCode, toCode, writeBase3, type TernaryEncoding } from '../common/ternaryCodes.js';
import { beatPosition, checkWeights, domainRange, signedDomain } from '../common/domain.js';
import { compress } from './compress.js';
import { addTrit, ternaryValue } from '../common/reference.js';
import { estimateNmSparse } from './estimate.js';
import { withActFormats } from '../common/fpFront.js';

export interface NmSparseParams extends CommonParams {
  weights: 'int' | 'ternary';
  w_bits: number;
  encoding: TernaryEncoding;
  n: number;
  m: number;
}

type Raw = Record<string, ParamValue>;
const domainOf = (p: Raw): WeightDomain => (p.weights === 'ternary' ? TERNARY_DOMAIN : signedDomain(p.w_bits as number));
const termRange = (p: Raw): Range => productRange(signedRange(p.act_bits as number), domainRange(domainOf(p)));
/** Kept weights per row and beat (rounded up so a bad k still resolves far enough to be reported). */
const slots = (p: Raw): number => Math.ceil((p.k as number) / (p.m as number)) * (p.n as number);
const isPow2 = (x: number) => (x & (x - 1)) === 0;

export const schema = streamSchema({
  familyParams: [
    { kind: 'enum', name: 'weights', values: ['int', 'ternary'], default: 'int', doc: 'kept weight values: signed int of w_bits, or ternary' },
    { kind: 'int', name: 'w_bits', min: 2, max: 8, default: 8, doc: 'signed weight width (weights int)' },
    { kind: 'enum', name: 'encoding', values: TERNARY_ENCODINGS, default: 'twos', doc: 'ternary value code (weights ternary)' },
    { kind: 'int', name: 'n', min: 1, max: 15, default: 2, doc: 'kept weights per group (n < m)' },
    { kind: 'int', name: 'm', min: 2, max: 16, default: 4, doc: 'group size along k, a power of two' },
  ],
  termRange,
  terms: slots,
  levels: (p) => treeLevels(slots(p), p.weights === 'ternary' ? slots(p) : 0),
  check: (p, given) => {
    const m = p.m as number;
    const n = p.n as number;
    if (!isPow2(m)) return `m must be a power of two in 2..16 (2, 4, 8, 16), not ${m}`;
    if (n >= m) return `n must be in 1..${m - 1} for m ${m} (n < m), not ${n}`;
    if ((p.k as number) % m !== 0) return `k must be a multiple of m (${m}), not ${p.k as number}`;
    if (p.weights === 'ternary' && given.has('w_bits')) return `w_bits applies to weights int only; weights is ternary (values are -1, 0, +1)`;
    if (p.weights === 'int' && given.has('encoding')) return `encoding applies to weights ternary only; weights is int`;
    return undefined;
  },
});

export const DEFAULTS = resolveParams(schema, {}, 'nmsparse');

interface Geometry {
  groups: number;
  slots: number;
  ib: number;
  /** Bits of a row's values region, and of the whole row field. */
  valueBits: number;
  rowBits: number;
}

function geometry(p: NmSparseParams): Geometry {
  const groups = p.k / p.m;
  const s = groups * p.n;
  const ib = Math.log2(p.m);
  const valueBits = p.weights === 'int' ? s * p.w_bits : p.encoding === 'base3' ? Math.ceil(s / 5) * 8 : 2 * s;
  return { groups, slots: s, ib, valueBits, rowBits: valueBits + s * ib };
}

function layout(p: NmSparseParams): Layout {
  const g = geometry(p);
  return streamLayout(p, termRange(p), g.slots, g.rowBits);
}

// ---- value codes within a row's values region ----

/** Writes the kept values of one row (slots, group-major) at bit `base`. */
function writeValues(p: NmSparseParams, g: Geometry, values: ArrayLike<number>, words: Uint32Array, base: number): void {
  if (p.weights === 'int') {
    for (let s = 0; s < g.slots; s++) setBits(words, base + s * p.w_bits, p.w_bits, values[s]);
  } else if (p.encoding === 'base3') {
    writeBase3(words, base, values, 0, g.slots);
  } else {
    for (let s = 0; s < g.slots; s++) setBits(words, base + 2 * s, 2, toCode(p.encoding, values[s]));
  }
}

function readValue(p: NmSparseParams, words: Uint32Array, base: number, s: number): number {
  if (p.weights === 'int') return signExtend(getBits(words, base + s * p.w_bits, p.w_bits), p.w_bits);
  if (p.encoding === 'base3') return base3Decode(getBits(words, base + Math.floor(s / 5) * 8, 8))[s % 5];
  return fromCode(p.encoding, getBits(words, base + 2 * s, 2));
}

/** Packs one beat of dense-equivalent weights (rows*k); `prune` keeps the n largest per group. */
export function packSparse(p: NmSparseParams, w: ArrayLike<number>, out: Uint32Array, prune = false): void {
  checkWeights(domainOf(p), w, beatPosition(p.k));
  const g = geometry(p);
  const rows = Array.from({ length: p.rows }, (_, r) => Array.prototype.slice.call(w, r * p.k, (r + 1) * p.k) as number[]);
  const c = compress(rows, { n: p.n, m: p.m, prune });
  out.fill(0);
  for (let r = 0; r < p.rows; r++) {
    const base = r * g.rowBits;
    writeValues(p, g, c.values[r], out, base);
    c.indices[r].forEach((idx, s) => setBits(out, base + g.valueBits + s * g.ib, g.ib, idx));
  }
}

function unpack(p: NmSparseParams, words: Uint32Array, out: Weights): void {
  const g = geometry(p);
  out.fill(0);
  for (let r = 0; r < p.rows; r++) {
    const base = r * g.rowBits;
    for (let grp = 0; grp < g.groups; grp++) {
      let seen = 0;
      for (let j = 0; j < p.n; j++) {
        const s = grp * p.n + j;
        const idx = getBits(words, base + g.valueBits + s * g.ib, g.ib);
        if (seen & (1 << idx)) throw new UsageError(`row ${r}, group ${grp}: index ${idx} appears twice; not a valid ${p.n}:${p.m} encoding`);
        seen |= 1 << idx;
        out[r * p.k + grp * p.m + idx] = readValue(p, words, base, s);
      }
    }
  }
}

/** A random n-subset of 0..m-1, ascending. */
function randomPositions(rng: Rng, n: number, m: number): number[] {
  const pool = Array.from({ length: m }, (_, i) => i);
  for (let i = 0; i < n; i++) {
    const j = rng.int(i, m - 1);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, n).sort((a, b) => a - b);
}

/** Random kept positions and values, written in compressed form (zero values included, often). */
function randomBeat(p: NmSparseParams, rng: Rng, weights: Weights, words: Uint32Array): void {
  const g = geometry(p);
  const wr = domainRange(domainOf(p));
  words.fill(0);
  weights.fill(0);
  const values = new Array<number>(g.slots);
  for (let r = 0; r < p.rows; r++) {
    const base = r * g.rowBits;
    for (let grp = 0; grp < g.groups; grp++) {
      randomPositions(rng, p.n, p.m).forEach((pos, j) => {
        const s = grp * p.n + j;
        // A quarter of kept values are zero, so groups with fewer than n non-zeros are common.
        const v = rng.chance(0.25) ? 0 : rng.int(Number(wr.min), Number(wr.max));
        values[s] = v;
        weights[r * p.k + grp * p.m + pos] = v;
        setBits(words, base + g.valueBits + s * g.ib, g.ib, pos);
      });
    }
    writeValues(p, g, values, words, base);
  }
}

/** The densest legal beat with every kept weight equal to `value` (first n positions of each group). */
function fillBeat(p: NmSparseParams, value: number, weights: Weights, words: Uint32Array): void {
  weights.fill(0);
  for (let i = 0; i < weights.length; i++) if (i % p.m < p.n) weights[i] = value;
  packSparse(p, weights, words);
}

/**
 * Every value code in every slot and every legal index in every slot: beat c puts value code
 * (c + s) in slot s (byte code (c + b) for base3) and shifts group g's indices by (c + g) mod (m-n+1).
 */
function codeSweep(p: NmSparseParams): Uint32Array[] {
  const g = geometry(p);
  const valueWidth = p.weights === 'int' ? p.w_bits : p.encoding === 'base3' ? 8 : 2;
  const valueLanes = p.weights === 'ternary' && p.encoding === 'base3' ? g.valueBits / 8 : g.slots;
  const beats = Math.max(2 ** valueWidth, p.m - p.n + 1);
  const words = wordsFor(p.rows * g.rowBits);
  return Array.from({ length: beats }, (_, c) => {
    const b = new Uint32Array(words);
    for (let r = 0; r < p.rows; r++) {
      const base = r * g.rowBits;
      for (let i = 0; i < valueLanes; i++) setBits(b, base + i * valueWidth, valueWidth, (c + i) % 2 ** valueWidth);
      for (let grp = 0; grp < g.groups; grp++) {
        const shift = (c + grp) % (p.m - p.n + 1);
        for (let j = 0; j < p.n; j++) setBits(b, base + g.valueBits + (grp * p.n + j) * g.ib, g.ib, j + shift);
      }
    }
    return b;
  });
}

function generate(p: NmSparseParams, top: string): Rtl {
  const l = layout(p);
  const g = geometry(p);
  const ab = p.act_bits;
  const groupOf = (s: number) => Math.floor(s / p.n);
  const source: LaneSource = {
    act: (s) => `am_${s}`,
    muxes: Array.from({ length: g.slots }, (_, s) => ({ i: s, lo: groupOf(s) * p.m * ab, width: p.m * ab, selLo: g.valueBits + s * g.ib, selBits: g.ib })),
    m: p.m,
  };
  const ports = rowPortContext(l, g.rowBits);
  const common = { top, lanes: g.slots, wgtLo: 0, actBits: ab, source, pipeline: p.pipeline, ports };
  const row = p.weights === 'ternary' ? ternaryRow({ ...common, encoding: p.encoding }) : mulRow({ ...common, wBits: p.w_bits });
  if (row.width !== l.psumBits) throw new Error(`internal: tree width ${row.width} != psum width ${l.psumBits}`);
  const mux = {
    name: `${top}_mux`,
    verilog: render('nm_mux.v.hbs', { top, m: p.m, groupMsb: p.m * ab - 1, selMsb: g.ib - 1, selBits: g.ib, actMsb1: ab - 1, actBits: ab, cases: Array.from({ length: p.m }, (_, i) => i) }),
  };
  const wgtDoc = `row r at [r*${g.rowBits} +: ${g.rowBits}]: ${g.slots} kept values (${g.valueBits} bits), then ${g.slots} indices of ${g.ib} bits`;
  return assembleDesign({ family: 'nmsparse', origin: 'generators/nmsparse', params: p, defaults: DEFAULTS, top, layout: l, wgtRowBits: g.rowBits, wgtDoc, modules: [mux, ...row.modules] });
}

/** The integer array (act_format int): withActFormats adds floating-point activations around it. */
export const nmsparseArray: Family<NmSparseParams> = {
  name: 'nmsparse',
  summary: 'N:M structured-sparse PE: n kept int or ternary weights per group of m, each with an index driving an m:1 activation mux',
  schema,
  resolve: (raw) => resolveParams(schema, raw, 'nmsparse') as NmSparseParams,
  layout,
  domain: (p) => domainOf(p),
  sparsity: (p) => ({ n: p.n, m: p.m }),
  // The dense-equivalent matrix must keep the N:M rule in every beat (compress() names the offender).
  model: (p, w, a) => {
    compress(w, { n: p.n, m: p.m });
    return dotProductModel(p, domainOf(p), w, a);
  },
  randomBeat,
  pack: (p, w, out, options) => packSparse(p, w, out, options?.prune ?? false),
  prunes: true,
  unpack,
  codeSweep,
  fillBeat,
  generate,
  estimate: (p) => estimateNmSparse(p, layout(p)),
  // Slot s: its value times the activation its index points at, within its group of m lanes.
  referenceRow: (p) => {
    const g = geometry(p);
    const out: string[] = [];
    for (let s = 0; s < g.slots; s++) {
      if (p.weights === 'int') out.push(`v = $signed(w[${s * p.w_bits} +: ${p.w_bits}]);`);
      else out.push(...(p.encoding === 'base3' ? ternaryValue('base3', Math.floor(s / 5) * 8, s % 5) : ternaryValue(p.encoding, 2 * s)));
      out.push(`c = ${Math.floor(s / p.n) * p.m} + w[${g.valueBits + s * g.ib} +: ${g.ib}];`);
      const a = `$signed(a[c*${p.act_bits} +: ${p.act_bits}])`;
      out.push(p.weights === 'int' ? `s = s + v * ${a};` : addTrit(a));
    }
    return out;
  },
};

export const nmsparse = withActFormats(nmsparseArray);
