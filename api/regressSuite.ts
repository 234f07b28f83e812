// Reading a suite file (YAML, or JSON, which YAML 1.2 reads too): parsed with source positions,
// validated against the suite's JSON Schema, then against what the schema cannot say (the families'
// parameter rules, the commands' option ranges, the RTL directories), and expanded: a design's matrix
// into one design per combination. Any defect is a UsageError (exit 2) that names the file, the line and
// column, the path inside the file (`designs[1].matrix.pipeline[1]`), what was expected and what was
// given. Nothing runs and nothing is written before a suite has passed all of it.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { isMap, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { UsageError } from '../core/errors.js';
import type { Family } from '../generators/common/family.js';
import { familyOf } from './familyRefs.js';
import { readRtlDir, resolveDesign, type Design } from './design.js';
import { minProofCycles } from './prove.js';
import { rangeOption, SEED_RANGE } from './ranges.js';
import { CHECKS, CHECK_NAMES, SEED_COUNT, type CheckName } from './regressChecks.js';
import { suiteSchema } from './regressSchema.js';

type PathPart = string | number;

/** One check of one design, its options as the suite gives them (a fan-out option's values as a list). */
export interface SuiteCheck {
  name: CheckName;
  options: Record<string, unknown>;
  /** Where it is in the file (`designs[0].checks[1]`). */
  path: string;
}

/** One design of a suite, after its matrix is expanded. */
export interface SuiteDesign {
  /** Unique in the suite; the first part of its jobs' names. */
  name: string;
  design: Design;
  /** The parameters as the suite gives them (defaults, design, matrix values merged). */
  params: Record<string, unknown>;
  /** Absolute RTL directory, for a design that does not generate its RTL. */
  rtl?: string;
  checks: SuiteCheck[];
  /** Where it is in the file (`designs[0]`), and the matrix values that made it. */
  path: string;
  matrix?: Record<string, unknown>;
}

export interface Suite {
  /** Absolute path of the file. */
  file: string;
  name: string;
  /** SHA-256 of the file's bytes. */
  sha256: string;
  seed: number;
  designs: SuiteDesign[];
  /** How many sweeps the file also has (lowbit sweep runs them). */
  sweeps: number;
}

export const pathText = (parts: PathPart[]): string =>
  parts.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') || '(top level)';

/** Positions in the parsed file, for messages. */
export class Locator {
  constructor(
    readonly file: string,
    private doc: Document,
    private lines: LineCounter,
  ) {}

  /** `file:line:col` of the value at `parts` (or of the key `key` inside it), else of its nearest ancestor. */
  where(parts: PathPart[], key?: string): string {
    let offset = 0;
    for (let n = parts.length; n >= 0; n--) {
      const node = (n === 0 ? this.doc.contents : this.doc.getIn(parts.slice(0, n), true)) as Node | undefined;
      if (!node || !('range' in node) || !node.range) continue;
      offset = node.range[0];
      if (n === parts.length && key !== undefined && isMap(node)) {
        const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
        const k = pair?.key as Node | undefined;
        if (k?.range) offset = k.range[0];
      }
      break;
    }
    const { line, col } = this.lines.linePos(offset);
    return `${this.file}:${line}:${col}`;
  }

  fail(parts: PathPart[], message: string, key?: string): never {
    throw new UsageError(`${this.where(parts, key)}: ${pathText(key === undefined ? parts : [...parts, key])}: ${message}`);
  }
}

const given = (v: unknown): string => (v === undefined ? 'nothing' : v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : JSON.stringify(v));

function parts(instancePath: string): PathPart[] {
  return instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

const valueAt = (data: unknown, ps: PathPart[]): unknown => ps.reduce<unknown>((v, p) => (v == null ? undefined : (v as Record<PathPart, unknown>)[p]), data);

/**
 * The error a person should read among Ajv's: the deepest one, preferring what a value is (an unknown
 * key, a word not in the list, a wrong type) over the alternatives' bookkeeping (anyOf, if).
 */
function bestError(errors: ErrorObject[], data: unknown): ErrorObject {
  const real = errors.filter((e) => !['anyOf', 'oneOf', 'if'].includes(e.keyword));
  const pool = real.length ? real : errors;
  const depth = (e: ErrorObject) => parts(e.instancePath).length + (e.keyword === 'additionalProperties' ? 0.5 : e.keyword === 'required' ? 0.25 : 0);
  // A value given as the wrong kind of alternative (a mapping where a word or a mapping may go) is
  // judged by the alternative of its own kind.
  const fits = (e: ErrorObject) => {
    const v = valueAt(data, parts(e.instancePath));
    if (e.keyword !== 'type' && e.keyword !== 'enum') return true;
    const kind = Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v === 'object' ? 'object' : 'scalar';
    return !pool.some((o) => o !== e && o.instancePath === e.instancePath && o.keyword !== 'type' && o.keyword !== 'enum' && kind !== 'scalar');
  };
  return [...pool].sort((a, b) => depth(b) - depth(a)).find(fits) ?? pool[0];
}

function describe(e: ErrorObject, data: unknown): { message: string; key?: string } {
  const v = valueAt(data, parts(e.instancePath));
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const allowed = Object.keys(((e.parentSchema as { properties?: object })?.properties ?? {}) as object);
      return { key: String(p.additionalProperty), message: `unknown key ${JSON.stringify(p.additionalProperty)}; expected ${allowed.length ? `one of ${allowed.join(', ')}` : 'no other key'}` };
    }
    case 'required':
      return { message: `missing key ${JSON.stringify(p.missingProperty)}` };
    case 'enum':
      return { message: `expected one of ${(p.allowedValues as unknown[]).map(String).join(', ')}, got ${given(v)}` };
    case 'type': {
      const t = Array.isArray(p.type) ? (p.type as string[]).join(' or ') : String(p.type);
      const words: Record<string, string> = { object: 'a mapping', array: 'a list', integer: 'an integer', number: 'a number', string: 'a string', boolean: 'true or false', 'object or null': 'a mapping' };
      return { message: `expected ${words[t] ?? t}, got ${given(v)}` };
    }
    case 'minItems':
      return { message: `expected a list of at least ${p.limit} item(s), got ${Array.isArray(v) ? v.length : given(v)}` };
    case 'uniqueItems':
      return { message: `expected distinct values, got ${JSON.stringify(v)} (items ${p.j} and ${p.i} are equal)` };
    case 'minProperties':
      if (e.instancePath.endsWith('/grid')) return { message: 'expected at least one parameter with its list of values (rows: [1, 4, 16])' };
    // falls through: a check given as a mapping has exactly one key
    case 'maxProperties':
      return { message: `expected one check name as the only key (one of ${CHECK_NAMES.join(', ')}), got ${Object.keys((v as object) ?? {}).length} keys` };
    case 'pattern':
      return { message: `expected letters, digits and _ . + = , [ ] -, got ${given(v)}` };
    default:
      return { message: `${e.message ?? 'invalid'}, got ${given(v)}` };
  }
}

let validator: ReturnType<Ajv['compile']> | undefined;
function validate(data: unknown) {
  validator ??= new Ajv({ allErrors: true, strict: false, verbose: true }).compile(suiteSchema({ ranges: false }));
  return validator(data) ? [] : (validator.errors ?? []);
}

const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Checks one check's options against the commands' ranges and word lists (the schema did the kinds). */
function checkOptions(loc: Locator, at: PathPart[], name: CheckName, opts: Record<string, unknown>, d: Design, combination: string): void {
  for (const o of CHECKS[name].options) {
    const v = opts[o.key];
    if (v === undefined) continue;
    const values = asList(v);
    values.forEach((x, i) => {
      const p = [...at, o.key, ...(Array.isArray(v) ? [i] : [])];
      try {
        if (o.key === 'seeds') rangeOption(Array.isArray(v) ? 'seed' : 'seeds', x, Array.isArray(v) ? SEED_RANGE : SEED_COUNT);
        else if (name === 'prove' && o.key === 'cycles') {
          const min = minProofCycles(d.family.layout(d.params));
          rangeOption('cycles', x, { ...o.range!, min }, min);
        } else if (o.range) rangeOption(o.flag!.replace(/^--/, ''), x, o.range);
      } catch (e) {
        if (e instanceof UsageError) loc.fail(p, `${e.message}${combination}`);
        throw e;
      }
    });
  }
  if (name === 'synth' && opts.pnr === true) {
    const bad = asList(opts.target ?? 'generic').find((t) => t !== 'ice40');
    if (bad !== undefined) loc.fail([...at, 'pnr'], `--pnr needs --target ice40, not ${String(bad)}`);
  }
}

/** The check list entries as name + options. */
function readChecks(raw: unknown[], at: PathPart[]): { name: CheckName; options: Record<string, unknown>; at: PathPart[] }[] {
  return raw.map((c, i) => {
    if (typeof c === 'string') return { name: c as CheckName, options: {}, at: [...at, i] };
    const [name, options] = Object.entries(c as Record<string, unknown>)[0];
    return { name: name as CheckName, options: (options ?? {}) as Record<string, unknown>, at: [...at, i, name] };
  });
}

/** Every combination of the matrix's values, in file order, the last key changing fastest. */
export function crossProduct(matrix: Record<string, unknown[]>): Record<string, unknown>[] {
  return Object.entries(matrix).reduce<Record<string, unknown>[]>((acc, [k, vs]) => acc.flatMap((a) => vs.map((v) => ({ ...a, [k]: v }))), [{}]);
}

/** A suite file read and checked against the schema, with positions for messages. */
export interface SuiteDocument {
  file: string;
  text: string;
  sha256: string;
  loc: Locator;
  data: Record<string, unknown>;
}

/** Reads a suite file and validates it against the schema (UsageError with file:line:col and path). */
export function readSuiteDocument(path: string): SuiteDocument {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`suite: cannot read ${file} (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory, not a file' : (code ?? (e as Error).message)})`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  if (file.endsWith('.json')) {
    // JSON is read as YAML for the positions, but a .json file must be JSON (no trailing commas, comments, ...).
    try {
      JSON.parse(text);
    } catch (e) {
      const at = /position (\d+)/.exec((e as Error).message);
      const { line, col } = at ? lines.linePos(Number(at[1])) : { line: 1, col: 1 };
      throw new UsageError(`${file}:${line}:${col}: not valid JSON: ${(e as Error).message.replace(/ in JSON at position \d+.*$/, '')}`);
    }
  }
  if (doc.errors.length) {
    const e = doc.errors[0];
    const { line, col } = lines.linePos(e.pos[0]);
    throw new UsageError(`${file}:${line}:${col}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${e.message.split('\n')[0]}`);
  }
  const loc = new Locator(file, doc, lines);
  const data = doc.toJS() as unknown;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) loc.fail([], `expected a mapping with designs: [...] or sweeps: [...], got ${given(data)}`);
  const errors = validate(data);
  if (errors.length) {
    const e = bestError(errors, data);
    const d = describe(e, data);
    loc.fail(parts(e.instancePath), d.message, d.key);
  }
  return { file, text, sha256: createHash('sha256').update(text).digest('hex'), loc, data: data as Record<string, unknown> };
}

/** The suite's seed (default 1), range-checked at its position. */
export function suiteSeed(doc: SuiteDocument): number {
  const seed = doc.data.seed;
  if (seed === undefined) return 1;
  try {
    return rangeOption('seed', seed, SEED_RANGE);
  } catch (e) {
    if (e instanceof UsageError) doc.loc.fail(['seed'], e.message);
    throw e;
  }
}

/** Reads, validates and expands a suite file; UsageError (with file:line:col and path) on any defect. */
export function loadSuite(path: string): Suite {
  const { file, text, loc, data } = readSuiteDocument(path);
  const s = data as { name?: string; seed?: number; defaults?: { checks?: unknown[]; params?: Record<string, unknown> }; designs?: Record<string, unknown>[]; sweeps?: unknown[] };
  const seed = suiteSeed({ file, text, sha256: '', loc, data });
  if (!s.designs) loc.fail([], `no designs: this suite has only sweeps (run them with lowbit sweep ${file})`);
  const designs: SuiteDesign[] = [];
  const taken = new Map<string, string>();
  s.designs!.forEach((raw, i) => {
    const at: PathPart[] = ['designs', i];
    let family: Family;
    try {
      family = familyOf(raw.family as string);
    } catch (e) {
      if (e instanceof UsageError) loc.fail([...at, 'family'], e.message);
      throw e;
    }
    const useDefaultChecks = raw.checks === undefined;
    const checks = useDefaultChecks ? readChecks(s.defaults?.checks ?? [], ['defaults', 'checks']) : readChecks(raw.checks as unknown[], [...at, 'checks']);
    if (checks.length === 0) loc.fail(at, `no checks: give checks: [...] here or in defaults`);
    let rtl: string | undefined;
    if (raw.rtl !== undefined) {
      rtl = resolve(dirname(file), raw.rtl as string);
      try {
        readRtlDir(rtl);
      } catch (e) {
        if (e instanceof UsageError) loc.fail([...at, 'rtl'], e.message);
        throw e;
      }
    }
    const matrix = (raw.matrix ?? {}) as Record<string, unknown[]>;
    const combos = raw.matrix ? crossProduct(matrix) : [undefined];
    for (const combo of combos) {
      const params = { ...(s.defaults?.params ?? {}), ...((raw.params ?? {}) as Record<string, unknown>), ...(combo ?? {}) };
      const combination = combo ? ` (matrix: ${Object.entries(combo).map(([k, v]) => `${k}=${String(v)}`).join(', ')})` : '';
      let design!: Design;
      try {
        design = resolveDesign({ family, params, top: raw.top as string | undefined, rtl });
      } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        // Point at the parameter the family names: its matrix value, else its params entry.
        const keys = Object.keys(params);
        const key = keys.find((k) => e.message.startsWith(`${k} `) || e.message.startsWith(`${k}:`)) ?? keys.find((k) => e.message.includes(` ${k} `));
        if (key && combo && key in combo) loc.fail([...at, 'matrix', key, matrix[key].indexOf(combo[key])], `${e.message}${combination}`);
        if (key && raw.params && key in (raw.params as object)) loc.fail([...at, 'params', key], `${e.message}${combination}`);
        if (key && s.defaults?.params && key in s.defaults.params) loc.fail(['defaults', 'params', key], `${e.message} (in ${pathText(at)})${combination}`);
        loc.fail(at, `${e.message}${combination}`);
      }
      for (const c of checks) checkOptions(loc, c.at, c.name, c.options, design, combination);
      const base = (raw.name as string | undefined) ?? family.name;
      let name = combo ? `${base}[${Object.entries(combo).map(([k, v]) => `${k}=${String(v)}`).join(',')}]` : base;
      if (taken.has(name)) {
        if (raw.name !== undefined) loc.fail([...at, 'name'], `design name ${JSON.stringify(name)} is taken by ${taken.get(name)}; names must be unique`);
        let n = 2;
        while (taken.has(`${name}-${n}`)) n++;
        name = `${name}-${n}`;
      }
      taken.set(name, pathText(at));
      designs.push({
        name,
        design,
        params,
        rtl,
        checks: checks.map((c) => ({ name: c.name, options: c.options, path: pathText(c.at) })),
        path: pathText(at),
        matrix: combo,
      });
    }
  });
  return { file, name: s.name ?? basename(file).replace(/\.(ya?ml|json)$/, ''), sha256: createHash('sha256').update(text).digest('hex'), seed, designs, sweeps: s.sweeps?.length ?? 0 };
}
