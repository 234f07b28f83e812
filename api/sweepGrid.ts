// A sweep's grid as points: every family's cross product of the grid values of the parameters it has
// (a key a family does not have leaves its points alone, and says so), each combination resolved by
// the family's own rules. A combination the rules refuse (k not a multiple of g, ...) is a skipped
// point with the family's reason; a key no family has, or a value outside its parameter's own range,
// is bad input (UsageError, exit 2), since no point could use it.

import { UsageError } from '../core/errors.js';
import type { CommonParams, Family } from '../generators/common/family.js';
import { parseParamValue, type ParamSpec } from '../generators/common/params.js';
import { resolveDesign, type Design } from './design.js';
import { crossProduct } from './regressSuite.js';

/** A grid key or value no point could use: which key (and value), for a suite file's positions. */
export class GridError extends UsageError {
  constructor(message: string, readonly key: string, readonly fixed: boolean, readonly value?: unknown) {
    super(message);
  }
}

/** Grid values per parameter, in order (the last key changes fastest). */
export type Grid = Record<string, unknown[]>;

/** A grid point a family accepted. */
export interface GridPoint {
  /** `family[key=value,...]` over the family's grid keys: unique in a sweep. */
  name: string;
  design: Design;
  /** The grid values that made it (the family's keys only). */
  grid: Record<string, unknown>;
}

/** A grid point a family's rules refused. */
export interface SkippedPoint {
  name: string;
  family: string;
  grid: Record<string, unknown>;
  reason: string;
}

export interface ExpandedGrid {
  points: GridPoint[];
  skipped: SkippedPoint[];
  /** What a person should know: keys that apply to some families only. */
  notes: string[];
}

/** `rows=1,4,16` (one --grid flag) -> ['rows', ['1', '4', '16']]; `act-bits` is `act_bits`. */
export function parseGridFlag(text: string): [string, string[]] {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*=(.*)$/.exec(text);
  if (!m) throw new UsageError(`grid must be KEY=V1,V2,... (for example rows=1,4,16), not ${JSON.stringify(text)}`);
  const values = m[2].split(',').map((s) => s.trim());
  if (values.some((v) => v === '')) throw new UsageError(`grid ${m[1]}: an empty value in ${JSON.stringify(m[2].trim())} (values are separated by commas)`);
  return [m[1].replace(/-/g, '_'), values];
}

/** Several --grid flags as one grid (a key given twice is an error). */
export function gridFromFlags(flags: string[]): Grid {
  const grid: Grid = {};
  for (const f of flags) {
    const [k, vs] = parseGridFlag(f);
    if (k in grid) throw new UsageError(`grid key ${k} is given twice; give its values once: --grid ${k}=${[...grid[k], ...vs].join(',')}`);
    grid[k] = vs;
  }
  return grid;
}

const label = (v: unknown): string => String(v);
export const pointName = (family: string, grid: Record<string, unknown>): string =>
  Object.keys(grid).length ? `${family}[${Object.entries(grid).map(([k, v]) => `${k}=${label(v)}`).join(',')}]` : family;

/** A grid or params key: `rows` (every family that has it) or `lutgemm.encoding` (that family only). */
function splitKey(key: string): { family?: string; name: string } {
  const dot = key.indexOf('.');
  return dot < 0 ? { name: key } : { family: key.slice(0, dot), name: key.slice(dot + 1).replace(/-/g, '_') };
}

/** The parameters a sweep varies (more than one value somewhere): the x axes of its plots. */
export function sweptParams(grid: Grid): string[] {
  return [...new Set(Object.entries(grid).filter(([, vs]) => vs.length > 1).map(([k]) => splitKey(k).name))];
}

/**
 * Expands a grid over families. A key applies to every family that has the parameter (`rows`), or,
 * prefixed with a family's name (`lutgemm.encoding`), to that family only, overriding the plain key
 * there. `fixed` parameters follow the same rules. Throws GridError (a UsageError) for a key no family
 * has, a value no family that has the key accepts on its own, a value given twice, or an empty list.
 */
export function expandGrid(families: Family<CommonParams>[], grid: Grid, fixed: Record<string, unknown> = {}, where = (k: string) => `grid key ${k}`): ExpandedGrid {
  if (families.length === 0) throw new UsageError('families: give at least one family');
  const notes: string[] = [];
  const specOf = (f: Family<CommonParams>, k: string): ParamSpec | undefined => f.schema.params.find((p) => p.name === k);
  const prefixed = (f: Family<CommonParams>, name: string) => [...Object.keys(grid), ...Object.keys(fixed)].some((k) => splitKey(k).family === f.name && splitKey(k).name === name);
  const check = (key: string, values: unknown[], what: string, fixedKey: boolean) => {
    const { family, name } = splitKey(key);
    if (family !== undefined && !families.some((f) => f.name === family)) throw new GridError(`${what}: ${family} is not one of the sweep's families (${families.map((f) => f.name).join(', ')})`, key, fixedKey);
    const scope = family !== undefined ? families.filter((f) => f.name === family) : families;
    const having = scope.filter((f) => specOf(f, name) && (family !== undefined || !prefixed(f, name)));
    if (scope.filter((f) => specOf(f, name)).length === 0) {
      const all = [...new Set(scope.flatMap((f) => f.schema.params.map((p) => p.name)))];
      throw new GridError(`${what} is not a parameter of ${scope.map((f) => f.name).join(', ')} (${scope.length > 1 ? 'their' : 'its'} parameters: ${all.join(', ')})`, key, fixedKey);
    }
    if (values.length === 0) throw new GridError(`${what}: give at least one value`, key, fixedKey);
    const twice = values.find((v, i) => values.findIndex((w) => String(w) === String(v)) !== i);
    if (twice !== undefined) throw new GridError(`${what}: ${String(twice)} is given twice`, key, fixedKey, twice);
    // A value every family with the key refuses on its own (out of range, not a word it knows) is a typo, not a point to skip.
    for (const v of values) {
      const errors = having.flatMap((f) => {
        try {
          parseParamValue(specOf(f, name)!, v);
          return [];
        } catch (e) {
          if (e instanceof UsageError) return [e.message];
          throw e;
        }
      });
      if (having.length && errors.length === having.length) throw new GridError(`${what}: ${errors[0]}${having.length > 1 ? ` (in every family that has ${name})` : ''}`, key, fixedKey, v);
    }
    const without = family === undefined ? families.filter((f) => !specOf(f, name)) : [];
    if (without.length) notes.push(`${name} is not a parameter of ${without.map((f) => f.name).join(', ')}: ${without.length > 1 ? 'their' : 'its'} points do not vary it`);
  };
  for (const [k, v] of Object.entries(fixed)) check(k, [v], `parameter ${k}`, true);
  for (const [k, vs] of Object.entries(grid)) {
    if (k in fixed) throw new GridError(`${where(k)}: ${k} is also given as a fixed parameter; give it once`, k, false);
    check(k, vs, where(k), false);
  }
  // A family's own entries: its prefixed keys, and the plain keys it has that no prefixed key overrides.
  const own = <T>(f: Family<CommonParams>, m: Record<string, T>): Record<string, T> =>
    Object.fromEntries(
      Object.entries(m).flatMap(([k, v]) => {
        const { family, name } = splitKey(k);
        if (family !== undefined) return family === f.name ? [[name, v]] : [];
        return specOf(f, name) && !prefixed(f, name) ? [[name, v]] : [];
      }),
    );
  const points: GridPoint[] = [];
  const skipped: SkippedPoint[] = [];
  const names = new Set<string>();
  for (const f of families) {
    const g = own(f, grid);
    const params = own(f, fixed);
    const varied = Object.keys(g).filter((k) => g[k].length > 1);
    for (const raw of crossProduct(g)) {
      // Values as the family reads them (the command line gives words): 18, not "18".
      const combo = Object.fromEntries(
        Object.entries(raw).map(([k, v]) => {
          try {
            return [k, parseParamValue(specOf(f, k)!, v)];
          } catch {
            return [k, v];
          }
        }),
      );
      const name = pointName(f.name, Object.fromEntries(varied.map((k) => [k, combo[k]])));
      if (names.has(name)) continue;
      names.add(name);
      try {
        points.push({ name, design: resolveDesign({ family: f, params: { ...params, ...combo } }), grid: combo });
      } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        skipped.push({ name, family: f.name, grid: combo, reason: e.message });
      }
    }
  }
  return { points, skipped, notes };
}
