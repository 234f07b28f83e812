// The LUT mpGEMM family (LUT Tensor Core / T-MAC / bitnet.cpp TL1-TL2): per beat, one table of signed
// activation sums per group of g lanes, shared by every row; each row looks its weights' entries up
// and adds, with no multipliers. Same function, interface and accumulator rules as every family.

import type { Family, CommonParams, Layout, Rtl } from '../common/family.js';
import { resolveParams, type ParamValue } from '../common/params.js';
import { dotProductModel } from '../common/golden.js';
import { streamSchema } from '../common/schema.js';
import { productRange, signedRange, type Range } from '../common/accumulator.js';
import { assembleDesign, streamLayout } from '../common/design.js';
import type { TableKind } from './tables.js';
import { LUT_ENCODINGS, WEIGHT_KINDS, codeSweep, domain, fields, pack, randomBeat, rowBits, spec, unpack, type WeightKind } from './encoding.js';
import { domainRange } from '../common/domain.js';
import { lutLevels, lutModules, stepsPerBeat } from './datapath.js';
import { addTrit } from '../common/reference.js';
import type { LutDatapathOptions } from './plan.js';
import { estimateLutgemm } from './estimate.js';
import { withActFormats } from '../common/fpFront.js';

export interface LutgemmParams extends CommonParams {
  weights: WeightKind;
  encoding: TableKind;
  w_bits: number;
  g: number;
  symmetric: boolean;
  serial: boolean;
}

type Raw = Record<string, ParamValue>;
const asParams = (p: Raw) => p as unknown as LutgemmParams;
const termRange = (p: Raw): Range => productRange(signedRange(p.act_bits as number), domainRange(domain(asParams(p))));
/** Weight bit planes the row computes: w_bits for int / ternary planes, 1 otherwise. */
const planesOf = (p: Pick<LutgemmParams, 'encoding' | 'weights' | 'w_bits'>) => (p.encoding === 'planes' && p.weights !== 'bipolar' ? p.w_bits : 1);
const offsetOf = (p: Pick<LutgemmParams, 'encoding' | 'weights'>) => p.encoding === 'planes' && p.weights !== 'bipolar';

export const schema = streamSchema({
  familyParams: [
    { kind: 'enum', name: 'weights', values: WEIGHT_KINDS, default: 'int', doc: 'weight values: signed int of w_bits, bipolar -1/+1, or ternary -1/0/+1' },
    { kind: 'enum', name: 'encoding', values: LUT_ENCODINGS, default: 'planes', doc: 'how weights index tables: bit planes (T-MAC), or ternary pairs tl1 / triples tl2 (bitnet.cpp)' },
    {
      kind: 'int',
      name: 'w_bits',
      min: 1,
      max: 8,
      default: (p) => (p.weights === 'bipolar' ? 1 : p.weights === 'ternary' ? 2 : 4),
      defaultDoc: '4 for int, 1 for bipolar, 2 for ternary',
      doc: 'weight bits: int 2..8; bipolar 1; ternary 2',
    },
    {
      kind: 'int',
      name: 'g',
      min: 2,
      max: 6,
      default: (p) => (p.encoding === 'tl1' ? 2 : p.encoding === 'tl2' ? 3 : 4),
      defaultDoc: '4; 2 for tl1, 3 for tl2',
      doc: 'activations per table (group size); k must be a multiple of it',
    },
    { kind: 'bool', name: 'symmetric', default: true, doc: 'store half the table and take the sign from the index (T[~c] = -T[c])' },
    { kind: 'bool', name: 'serial', default: true, doc: 'one weight bit plane per cycle (a beat takes w_bits cycles); false: all planes at once' },
  ],
  termRange,
  levels: (p) => lutLevels({ spec: spec(asParams(p)), k: p.k as number, planes: planesOf(asParams(p)), offset: offsetOf(asParams(p)), serial: p.serial as boolean }),
  check: (p, given) => {
    const w = p.w_bits as number;
    const g = p.g as number;
    const enc = p.encoding as string;
    if (p.weights === 'int' && w < 2) return `w_bits must be in 2..8 for weights int, not ${w}`;
    if (p.weights === 'bipolar' && w !== 1) return `w_bits must be 1 for weights bipolar (values -1 and +1), not ${w}`;
    if (p.weights === 'ternary' && w !== 2) return `w_bits must be 2 for weights ternary (two's complement planes or base-3 codes), not ${w}`;
    if (enc !== 'planes' && p.weights !== 'ternary') return `encoding ${enc} needs weights ternary (it indexes tables by trits), not weights ${p.weights as string}`;
    if (enc === 'tl1' && g !== 2) return `g must be 2 for encoding tl1 (pairs of weights), not ${g}`;
    if (enc === 'tl2' && g !== 3) return `g must be 3 for encoding tl2 (triples of weights), not ${g}`;
    if (enc === 'tl2' && given.has('symmetric') && p.symmetric === false) {
      return 'symmetric must be true for encoding tl2 (its 13 entries plus a sign are the symmetric form); use encoding tl1 or planes for a full table';
    }
    if ((p.k as number) % g !== 0) return `k must be a multiple of g (${g}), not ${p.k as number}`;
    return undefined;
  },
});

export const DEFAULTS = resolveParams(schema, {}, 'lutgemm');

function layout(p: LutgemmParams): Layout {
  return { ...streamLayout(p, termRange(p), p.k, rowBits(p)), beatCycles: stepsPerBeat({ planes: planesOf(p), serial: p.serial }) };
}

/** The datapath's options (plan.ts) for parameters: what generate renders and estimate counts. */
function datapathOptions(p: LutgemmParams, top: string, l: Layout): LutDatapathOptions {
  return { top, spec: spec(p), k: p.k, actBits: p.act_bits, planes: planesOf(p), offset: offsetOf(p), serial: p.serial, pipeline: p.pipeline, wgtRowBits: rowBits(p), psumBits: l.psumBits };
}

function generate(p: LutgemmParams, top: string): Rtl {
  const l = layout(p);
  const d = lutModules(datapathOptions(p, top, l));
  const f = fields(p);
  const what = p.encoding === 'planes' ? (p.weights === 'bipolar' ? 'weight bits (1 = +1, 0 = -1)' : `weights, ${p.w_bits}-bit two's complement`) : `${p.encoding} codes of ${p.g} weights`;
  const wgtDoc = `row r at [r*${rowBits(p)} +: ${rowBits(p)}]: ${f.perRow} ${what} of ${f.bits} bit(s) each`;
  return assembleDesign({
    family: 'lutgemm',
    origin: 'generators/lutgemm',
    params: p,
    defaults: DEFAULTS,
    top,
    layout: l,
    wgtRowBits: rowBits(p),
    wgtDoc,
    modules: d.modules,
    rowConns: d.rowConns,
    shared: d.shared,
    steps: l.beatCycles,
  });
}

/** The integer array (act_format int): withActFormats adds floating-point activations around it. */
export const lutgemmArray: Family<LutgemmParams> = {
  name: 'lutgemm',
  summary: 'LUT mpGEMM: per-group tables of signed activation sums shared by all rows; rows look up by weight bits (planes, bit-serial) or ternary codes (TL1/TL2)',
  datapath: 'table',
  schema,
  resolve: (raw) => resolveParams(schema, raw, 'lutgemm') as LutgemmParams,
  layout,
  domain,
  model: (p, w, a) => dotProductModel(p, domain(p), w, a),
  randomBeat,
  pack,
  unpack,
  codeSweep,
  generate,
  referenceRow: (p) => lutReference(p),
  estimate: (p) => {
    const l = layout(p);
    return estimateLutgemm(p, datapathOptions(p, 'est', l), l);
  },
};

/** The weights from their packing (encoding.ts), times the activations: no tables. */
function lutReference(p: LutgemmParams): string[] {
  const ab = p.act_bits;
  const act = (i: number) => `$signed(a[${i * ab} +: ${ab}])`;
  const out: string[] = [];
  if (p.encoding === 'planes') {
    if (p.weights === 'bipolar') for (let i = 0; i < p.k; i++) out.push(`v = w[${i}] ? 1 : -1;`, addTrit(act(i)));
    else out.push(`for (i = 0; i < ${p.k}; i = i + 1) s = s + $signed(w[i*${p.w_bits} +: ${p.w_bits}]) * $signed(a[i*${ab} +: ${ab}]);`);
    return out;
  }
  const f = fields(p);
  for (let t = 0; t < f.perRow; t++) {
    out.push(`b = w[${t * f.bits} +: ${f.bits}];`);
    if (p.encoding === 'tl1') {
      // c = 3*(w1+1) + (w0+1) for c <= 8; other codes are zeros.
      out.push(`if (b <= 8'd8) begin`, `  x = b % 3; v = x - 1; ${addTrit(act(2 * t))}`, `  x = b / 3; v = x - 1; ${addTrit(act(2 * t + 1))}`, 'end');
    } else {
      // v = 13 + m (sign 0) or 13 - m (sign 1), m <= 13; the trits of v, lowest first.
      out.push(`if (b[3:0] <= 4'd13) begin`, `  b = b[4] ? 8'd13 - {4'd0, b[3:0]} : 8'd13 + {4'd0, b[3:0]};`);
      for (let j = 0; j < 3; j++) out.push(`  x = (b / ${3 ** j}) % 3; v = x - 1; ${addTrit(act(3 * t + j))}`);
      out.push('end');
    }
  }
  return out;
}

export const lutgemm = withActFormats(lutgemmArray);
