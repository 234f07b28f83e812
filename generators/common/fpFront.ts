// Activation formats for any family (actFormat.ts): the family's integer array behind floating-point
// decoders at its edge (exact mode) and, with out_format fp32, one FP32 rounding per row at its exit.
// The family itself stays integer and never knows: withActFormats wraps its contract, giving it the
// act_format / fp_mode / out_format parameters, and builds the design around the family's own RTL
// (templates/fp_top.v.hbs, hw/lowbit_fp_decode.v, hw/lowbit_int_to_fp.v).

import { readFileSync } from 'node:fs';
import { FP_FORMATS, encodeInt } from '../../core/fp/format.js';
import { repoPath } from '../../core/paths.js';
import type { CommonParams, Family, Layout, Rtl } from './family.js';
import { UsageError, parseParamValue, resolveParams, type IntParam, type ParamSpec } from './params.js';
import { render, rtlHeader } from './render.js';
import { addBlocks, costEstimate, fpEdgeBlocks } from './estimate.js';
import { ACT_FORMAT_NAMES, ACT_FORMAT_PARAMS, FP_MODES, MAX_UNITS_BITS, actLanes, unitsTable, type ActFormatParams } from './actFormat.js';

export const DECODE_FILE = 'lowbit_fp_decode.v';
export const ROUND_FILE = 'lowbit_int_to_fp.v';

/** act_bits as a user gives it: integer activations' width (a floating-point format sets it). */
const ACT_BITS: IntParam = {
  kind: 'int',
  name: 'act_bits',
  min: 2,
  max: 16,
  default: 8,
  doc: 'signed activation width (act_format int; a floating-point format sets it to its decoded width)',
};

export type WithActFormats<P extends CommonParams> = P & ActFormatParams;

/** True when the design is the family's own integer one (no decoders, no rounding). */
const plain = (p: ActFormatParams): boolean => p.act_format === 'int' && p.out_format === 'int';

/**
 * The family with activation formats. Integer activations and outputs (the defaults) are exactly
 * the family's design; every other combination is the family's integer array inside fp_top.v.hbs.
 */
export function withActFormats<P extends CommonParams>(core: Family<P>): Family<WithActFormats<P>> {
  const at = core.schema.params.findIndex((s) => s.name === 'act_bits');
  if (at < 0) throw new Error(`withActFormats: family ${core.name} has no act_bits parameter`);
  const params: ParamSpec[] = [...core.schema.params];
  params.splice(at, 1, ACT_BITS, ...ACT_FORMAT_PARAMS);
  const formatSchema = { params: ACT_FORMAT_PARAMS };

  // The family's own parameters of a design (memoized: the contract's hot paths call it per beat).
  const cores = new WeakMap<object, P>();
  const coreOf = (p: WithActFormats<P>): P => {
    let c = cores.get(p);
    if (!c) {
      c = Object.fromEntries(Object.entries(p).filter(([k]) => !ACT_FORMAT_NAMES.has(k))) as P;
      cores.set(p, c);
    }
    return c;
  };

  const known = new Set(params.map((s) => s.name));
  function resolve(raw: Record<string, unknown>): WithActFormats<P> {
    for (const key of Object.keys(raw)) {
      if (raw[key] !== undefined && !known.has(key)) throw new UsageError(`${core.name} has no parameter ${key} (it has: ${[...known].join(', ')})`);
    }
    const fpRaw: Record<string, unknown> = {};
    const coreRaw: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw)) (ACT_FORMAT_NAMES.has(k) ? fpRaw : coreRaw)[k] = v;
    const fp = resolveParams(formatSchema, fpRaw, core.name) as unknown as ActFormatParams;
    const lanes = actLanes(fp.act_format);
    const given = (k: string) => raw[k] !== undefined;
    let p: P;
    if (!lanes) {
      // Resolved parameters resolve to themselves, so the default mode may be given; another one means a mistake.
      if (given('fp_mode') && fp.fp_mode !== FP_MODES[0]) throw new UsageError(`fp_mode ${fp.fp_mode} applies to floating-point activations; act_format is int`);
      if (given('act_bits')) parseParamValue(ACT_BITS, raw.act_bits);
      p = core.resolve(coreRaw);
    } else {
      if (lanes.unitsBits > MAX_UNITS_BITS) {
        const others = FP_MODES.filter((m) => m !== fp.fp_mode);
        throw new UsageError(
          `act_format ${fp.act_format} cannot use fp_mode ${fp.fp_mode}: its values span ${lanes.unitsBits}-bit integers in units of its smallest subnormal (2^${lanes.unitExp}), past the ${MAX_UNITS_BITS} bits exact mode allows` +
            (others.length ? `; use fp_mode ${others.join(' or ')}` : '; use fp16, fp8e4m3 or fp8e5m2 in exact mode'),
        );
      }
      if (given('act_bits') && String(raw.act_bits).trim() !== String(lanes.unitsBits)) {
        throw new UsageError(`act_bits is set by act_format ${fp.act_format} (fp_mode ${fp.fp_mode}: ${lanes.unitsBits}-bit integers in units of 2^${lanes.unitExp}), not ${String(raw.act_bits)}; leave it out`);
      }
      try {
        p = core.resolve({ ...coreRaw, act_bits: lanes.unitsBits });
      } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        // The exact accumulator's width is derived: say what it would need and what to change.
        const wide = /^acc_bits must be an integer in (\d+)\.\.(\d+), not (\d+)$/.exec(e.message);
        if (wide && !given('acc_bits')) {
          throw new UsageError(
            `act_format ${fp.act_format} (fp_mode ${fp.fp_mode}: ${lanes.unitsBits}-bit integer activations) needs a ${wide[3]}-bit accumulator to be exact here, past acc_bits' ${wide[1]}..${wide[2]}: lower k or max_beats, or give a narrower acc_bits with overflow wrap or saturate`,
          );
        }
        throw new UsageError(`${e.message} (act_format ${fp.act_format}: ${lanes.unitsBits}-bit integer activations)`);
      }
    }
    // Schema order: the format parameters just after act_bits.
    const out: Record<string, unknown> = {};
    for (const spec of params) out[spec.name] = ACT_FORMAT_NAMES.has(spec.name) ? fp[spec.name as keyof ActFormatParams] : p[spec.name];
    for (const [k, v] of Object.entries(p)) if (!(k in out)) out[k] = v;
    const full = out as WithActFormats<P>;
    cores.set(full, p);
    return full;
  }

  function layout(p: WithActFormats<P>): Layout {
    const l = core.layout(coreOf(p));
    const act = actLanes(p.act_format);
    return {
      ...l,
      ...(act ? { actBits: act.bits, act } : {}),
      ...(p.out_format === 'fp32' ? { accBits: 32, out: { format: 'fp32' as const, accBits: l.accBits, unitExp: act?.unitExp ?? 0 } } : {}),
    };
  }

  function model(p: WithActFormats<P>, weights: number[][], acts: number[]): bigint[] {
    const c = coreOf(p);
    const act = actLanes(p.act_format);
    let values = acts;
    if (act) {
      const table = unitsTable(act.format);
      values = acts.map((code, i) => {
        if (!Number.isInteger(code) || code < 0 || code >= table.length) {
          throw new UsageError(`activations[${i}] must be a ${act.format} bit pattern, an integer in 0..${table.length - 1}, not ${code}`);
        }
        return table[code];
      });
    }
    const sums = core.model(c, weights, values);
    if (p.out_format !== 'fp32') return sums;
    // FP32 patterns as the rows read them: 32-bit two's complement.
    return sums.map((s) => BigInt.asIntN(32, BigInt(encodeInt(FP_FORMATS.fp32, s, act?.unitExp ?? 0).code)));
  }

  // The regenerate line lists what differs from the family's defaults; act_bits follows the format.
  let defaults: Record<string, unknown> | undefined;
  const defaultsFor = (p: WithActFormats<P>) => ({ ...(defaults ??= resolve({})), act_bits: p.act_bits });

  function generate(p: WithActFormats<P>, top: string): Rtl {
    if (plain(p)) return core.generate(coreOf(p), top);
    const l = layout(p);
    const inner = `${top}_array`;
    const rtl = core.generate(coreOf(p), inner);
    const act = l.act;
    const fmt = act ? FP_FORMATS[act.format] : undefined;
    const coreLayout = core.layout(coreOf(p));
    const outRows = l.out;
    if (outRows && (outRows.unitExp < 1 - FP_FORMATS.fp32.bias || outRows.accBits - 1 + outRows.unitExp > FP_FORMATS.fp32.bias)) {
      throw new Error(`internal: an FP32 rounding of ${outRows.accBits}-bit sums in units of 2^${outRows.unitExp} could be subnormal or infinite`);
    }
    // Every file of the design names the parameters it was made for: the array's files get this header too.
    const first = rtl.files.map((f) => f.content).find((c) => c.startsWith('// Generated by lowbit')) ?? '';
    const origin = /generator '[^']+' \(([^)]+)\)/.exec(first.split('\n')[0])?.[1];
    const header = rtlHeader(core.name, p, defaultsFor(p), origin);
    const files = rtl.files.map((f) => (f.content.startsWith('// Generated by lowbit') ? { ...f, content: f.content.replace(/^(\/\/[^\n]*\n){3}/, `${header}\n`) } : f));
    const wrapper = render('fp_top.v.hbs', {
      header,
      top,
      core: inner,
      rows: l.rows,
      k: l.k,
      actBits: l.actBits,
      accBits: l.accBits,
      act: act && fmt ? { ...act, expBits: fmt.expBits, manBits: fmt.manBits, e4m3: fmt.specials === 'e4m3' ? 1 : 0 } : false,
      out: outRows ?? false,
      actMsb: l.k * l.actBits - 1,
      coreActMsb: l.k * coreLayout.actBits - 1,
      wgtMsb: l.wgtBits - 1,
      outMsb: l.rows * l.accBits - 1,
      coreOutMsb: l.rows * coreLayout.accBits - 1,
    });
    const hw = (name: string) => ({ name, content: readFileSync(repoPath('hw', name), 'utf8') });
    return {
      top,
      files: [...(act ? [hw(DECODE_FILE)] : []), ...(outRows ? [hw(ROUND_FILE)] : []), ...files, { name: `${top}.v`, content: `${wrapper.trim()}\n` }],
    };
  }

  const wrapped: Family<WithActFormats<P>> = {
    name: core.name,
    summary: core.summary,
    ...(core.datapath ? { datapath: core.datapath } : {}),
    schema: { params },
    resolve,
    layout,
    domain: (p) => core.domain(coreOf(p)),
    randomBeat: (p, rng, w, words) => core.randomBeat(coreOf(p), rng, w, words),
    pack: (p, w, out, o) => core.pack(coreOf(p), w, out, o),
    unpack: (p, words, out) => core.unpack(coreOf(p), words, out),
    codeSweep: (p) => core.codeSweep(coreOf(p)),
    model,
    generate,
    referenceRow: (p) => {
      if (!plain(p)) throw new UsageError(`prove covers integer activations and outputs (act_format int, out_format int), not act_format ${p.act_format} with out_format ${p.out_format}: the decoders and the FP32 rounding are checked on their own, and the design by cosim`);
      return core.referenceRow(coreOf(p));
    },
  };
  if (core.scales) wrapped.scales = (p) => core.scales!(coreOf(p));
  if (core.sparsity) wrapped.sparsity = (p) => core.sparsity!(coreOf(p));
  if (core.fillBeat) wrapped.fillBeat = (p, v, w, words) => core.fillBeat!(coreOf(p), v, w, words);
  if (core.prunes) wrapped.prunes = core.prunes;
  if (core.estimate) {
    wrapped.estimate = (p) => {
      const est = core.estimate!(coreOf(p));
      if (plain(p)) return est;
      // The array's estimate plus the decoders at its edge and the FP32 roundings at its exit.
      const l = layout(p);
      const edge = fpEdgeBlocks(l.act ? l.k : 0, l.act?.unitsBits ?? 0, l.act ? FP_FORMATS[l.act.format].expBits : 0, l.rows, l.out?.accBits ?? 0);
      return costEstimate(addBlocks({ ...est.blocks }, edge), l, est.depth + (l.act ? 1 : 0) + (l.out ? 2 : 0));
    };
  }
  return wrapped;
}
