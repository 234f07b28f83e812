// Activation formats: integers (act_bits, the arrays' own) or floating-point bit patterns on in_act,
// which `exact` mode decodes once at the array's edge into signed integers in units of the format's
// smallest subnormal (2^-24 for FP16, 2^-16 for E5M2, 2^-9 for E4M3). The integer array behind the
// decoders is the family's own, with act_bits set to that width, so its sum is exact and does not
// depend on add order, tiling, tables, bit planes or skipped lanes. The parameters live here once;
// fpFront.ts builds the designs.

import { FP_FORMATS, classify, minExponent, toUnits, unitsBits, type FpFormat, type FpFormatName } from '../../core/fp/format.js';
import type { ParamSpec } from './params.js';

export const ACT_FORMATS = ['int', 'fp16', 'bf16', 'fp8e4m3', 'fp8e5m2'] as const;
export type ActFormat = (typeof ACT_FORMATS)[number];
export const FP_MODES = ['exact'] as const;
export type FpMode = (typeof FP_MODES)[number];
export const OUT_FORMATS = ['int', 'fp32'] as const;
export type OutFormat = (typeof OUT_FORMATS)[number];

/** The activation-format parameters every family has (after act_bits in the schema). */
export interface ActFormatParams {
  act_format: ActFormat;
  fp_mode: FpMode;
  out_format: OutFormat;
}

export const ACT_FORMAT_PARAMS: readonly ParamSpec[] = [
  { kind: 'enum', name: 'act_format', values: ACT_FORMATS, default: 'int', doc: 'activation format on in_act: int (act_bits-bit integers) or floating-point bit patterns' },
  { kind: 'enum', name: 'fp_mode', values: FP_MODES, default: 'exact', doc: 'floating-point activations: exact (decoded once into integers of the smallest subnormal, exact integer array)' },
  { kind: 'enum', name: 'out_format', values: OUT_FORMATS, default: 'int', doc: 'out_data rows: int (the accumulator) or fp32 (the exact sum rounded once, to nearest even)' },
];

export const ACT_FORMAT_NAMES: ReadonlySet<string> = new Set(ACT_FORMAT_PARAMS.map((s) => s.name));

/** Widest integer activation the arrays take from a decoder (FP16 exact needs 41). */
export const MAX_UNITS_BITS = 48;

/** The floating-point format of an act_format (undefined for int). */
export const fpFormatOf = (f: ActFormat): FpFormat | undefined => (f === 'int' ? undefined : FP_FORMATS[f as FpFormatName]);

/** What a design's in_act lanes and out_data rows carry, beyond their widths (Layout.act / Layout.out). */
export interface ActLanes {
  format: FpFormatName;
  /** Width of one lane on in_act (the format's bits). */
  bits: number;
  /** Width of the decoded integer lane the array computes with. */
  unitsBits: number;
  /** One unit of the decoded integers is 2^unitExp. */
  unitExp: number;
}

export interface OutRows {
  format: 'fp32';
  /** The accumulator behind the conversion (the row's integer sum, acc_bits wide). */
  accBits: number;
  /** One unit of the accumulator is 2^unitExp. */
  unitExp: number;
}

/** in_act's lanes for a floating-point format: widths and the unit. */
export function actLanes(name: ActFormat): ActLanes | undefined {
  const f = fpFormatOf(name);
  if (!f) return undefined;
  return { format: f.name, bits: f.bits, unitsBits: unitsBits(f), unitExp: minExponent(f) };
}

const tables = new Map<FpFormatName, Float64Array>();

/**
 * Every pattern of a format as the integer the RTL's decoder makes of it, as Numbers (exact: at most
 * 2^40 for FP16). NaN and infinity decode to 0: the documented behaviour of the exact-mode decoder
 * (hw/lowbit_fp_decode.v), which loaders and packers never let through.
 */
export function unitsTable(name: FpFormatName): Float64Array {
  let t = tables.get(name);
  if (!t) {
    const f = FP_FORMATS[name];
    if (unitsBits(f) > 53) throw new Error(`unitsTable: ${name} units need ${unitsBits(f)} bits, past a double's 53`);
    t = new Float64Array(2 ** f.bits);
    for (let c = 0; c < t.length; c++) {
      const k = classify(f, c);
      t[c] = k === 'nan' || k === 'inf' ? 0 : Number(toUnits(f, c));
    }
    tables.set(name, t);
  }
  return t;
}
