// Declarative parameter schemas shared by every family.
//
// A schema is data: the CLI builds its flags from it, `resolve` validates raw values against it,
// and the README's parameter tables are written from the same source. Errors name the parameter,
// the allowed range and the value given (UsageError -> exit code 2).

import { UsageError } from '../../core/errors.js';

export { UsageError };

export type ParamValue = number | string | boolean;

interface ParamBase {
  /** Parameter name as used in JSON and Verilog headers (snake_case); the CLI flag is its kebab-case form. */
  name: string;
  doc: string;
}

export interface IntParam extends ParamBase {
  kind: 'int';
  min: number;
  max: number;
  /** A number, or a function of the already-resolved parameters before it (derived defaults). */
  default?: number | ((p: Record<string, ParamValue>) => number);
  /** Shown in help when the default is derived. */
  defaultDoc?: string;
}

export interface EnumParam extends ParamBase {
  kind: 'enum';
  values: readonly string[];
  default: string;
}

export interface BoolParam extends ParamBase {
  kind: 'bool';
  default: boolean;
}

export type ParamSpec = IntParam | EnumParam | BoolParam;

export interface ParamSchema {
  params: readonly ParamSpec[];
  /**
   * Checks that span several parameters (e.g. pipeline <= adder-tree depth for this k).
   * Returns an error message, or undefined when the combination is fine.
   */
  check?: (p: Record<string, ParamValue>, given: ReadonlySet<string>) => string | undefined;
}

export const flagName = (name: string): string => name.replace(/_/g, '-');

function parseInt10(spec: IntParam, raw: unknown): number {
  if (typeof raw === 'number') {
    if (!Number.isInteger(raw)) throw rangeError(spec, String(raw));
    return raw;
  }
  const s = String(raw).trim();
  if (!/^-?\d+$/.test(s)) throw rangeError(spec, JSON.stringify(raw));
  return Number(s);
}

function rangeError(spec: IntParam, given: string): UsageError {
  return new UsageError(`${spec.name} must be an integer in ${spec.min}..${spec.max}, not ${given}`);
}

function resolveOne(spec: ParamSpec, raw: unknown, sofar: Record<string, ParamValue>): ParamValue {
  switch (spec.kind) {
    case 'int': {
      let v: number;
      if (raw === undefined) {
        if (spec.default === undefined) throw new UsageError(`${spec.name} is required (an integer in ${spec.min}..${spec.max})`);
        v = typeof spec.default === 'function' ? spec.default(sofar) : spec.default;
      } else {
        v = parseInt10(spec, raw);
      }
      if (v < spec.min || v > spec.max) throw rangeError(spec, String(v));
      return v;
    }
    case 'enum': {
      const v = raw === undefined ? spec.default : String(raw);
      if (!spec.values.includes(v)) {
        throw new UsageError(`${spec.name} must be one of ${spec.values.join(', ')}, not ${JSON.stringify(v)}`);
      }
      return v;
    }
    case 'bool': {
      if (raw === undefined) return spec.default;
      if (typeof raw === 'boolean') return raw;
      const s = String(raw).toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(s)) return true;
      if (['false', '0', 'no', 'off'].includes(s)) return false;
      throw new UsageError(`${spec.name} must be true or false, not ${JSON.stringify(raw)}`);
    }
  }
}

/** One given value checked against its parameter alone (its kind and range; no cross-parameter rule). */
export function parseParamValue(spec: ParamSpec, raw: unknown): ParamValue {
  return resolveOne(spec, raw, {});
}

/**
 * Validates raw values (CLI strings, JSON numbers) against the schema, fills defaults in schema order
 * (so a default may depend on earlier parameters) and runs the cross-parameter check.
 * Unknown names are rejected, so a typo never silently falls back to a default.
 */
export function resolveParams(schema: ParamSchema, raw: Record<string, unknown>, family: string): Record<string, ParamValue> {
  const known = new Set(schema.params.map((s) => s.name));
  for (const key of Object.keys(raw)) {
    if (raw[key] !== undefined && !known.has(key)) {
      throw new UsageError(`${family} has no parameter ${key} (it has: ${[...known].join(', ')})`);
    }
  }
  const out: Record<string, ParamValue> = {};
  for (const spec of schema.params) out[spec.name] = resolveOne(spec, raw[spec.name], out);
  const given = new Set(Object.keys(raw).filter((k) => raw[k] !== undefined));
  const problem = schema.check?.(out, given);
  if (problem) throw new UsageError(problem);
  return out;
}

/** One line per parameter, for --help and the README. */
export function describeParam(spec: ParamSpec): string {
  switch (spec.kind) {
    case 'int': {
      const d = typeof spec.default === 'function' ? spec.defaultDoc ?? 'derived' : spec.default ?? 'required';
      return `${spec.doc} (${spec.min}..${spec.max}, default ${d})`;
    }
    case 'enum':
      return `${spec.doc} (${spec.values.join(' | ')}, default ${spec.default})`;
    case 'bool':
      return `${spec.doc} (true | false, default ${spec.default})`;
  }
}
