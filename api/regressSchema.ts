// The JSON Schema of a suite file, built from the data that decides what is valid: the check table
// (api/regressChecks.ts, with the commands' ranges) and each registered family's parameter schema.
// schema/suite.schema.json is this object as shipped for editors (`npm run schema` writes it; a quick
// test fails when it is stale). lowbit validates with the same object minus the numeric ranges: those
// are checked by the commands' own option checks, so a suite refuses a value in the commands' words.

import type { ParamSpec } from '../generators/common/params.js';
import { families } from '../generators/registry.js';
import { CHECKS, CHECK_NAMES, type CheckOption } from './regressChecks.js';
import { DEVICES } from '../flows/tools/nextpnr.js';
import { SIMULATORS } from '../testbenches/simulator.js';
import { RANGES } from './ranges.js';
import { SWEEP_TARGETS } from './sweepTargets.js';

type Schema = Record<string, unknown>;

export const SCHEMA_ID = 'https://lowbit.invalid/schema/suite.schema.json';

/** With `ranges`, minimum/maximum are in (the shipped file); without, the validator's variant. */
interface Variant {
  ranges: boolean;
}

function rangeOf(o: { min?: number; max?: number }, v: Variant): Schema {
  return v.ranges ? { ...(o.min !== undefined ? { minimum: o.min } : {}), ...(o.max !== undefined ? { maximum: o.max } : {}) } : {};
}

function optionValue(o: CheckOption, v: Variant): Schema {
  if (o.type === 'boolean') return { type: 'boolean' };
  if (o.type === 'word') return { enum: [...o.words!] };
  return { type: o.type, ...rangeOf(o.range ?? {}, v) };
}

function optionSchema(o: CheckOption, v: Variant): Schema {
  const one = optionValue(o, v);
  if (o.key === 'seeds') {
    // A count of derived seeds, or the seeds themselves.
    return { description: o.description, anyOf: [one, { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'integer', ...rangeOf({ min: 0, max: Number.MAX_SAFE_INTEGER }, v) } }] };
  }
  if (!o.fanOut) return { description: o.description, ...one };
  return { description: o.description, anyOf: [one, { type: 'array', minItems: 1, uniqueItems: true, items: one }] };
}

function checkSchema(v: Variant): Schema {
  const objectForm: Schema = {
    type: 'object',
    minProperties: 1,
    maxProperties: 1,
    additionalProperties: false,
    properties: Object.fromEntries(
      CHECK_NAMES.map((c) => [
        c,
        {
          description: CHECKS[c].description,
          type: ['object', 'null'],
          additionalProperties: false,
          properties: Object.fromEntries(CHECKS[c].options.map((o) => [o.key, optionSchema(o, v)])),
        },
      ]),
    ),
  };
  return { description: 'a check: its name, or { name: { options } }', anyOf: [{ type: 'string', enum: [...CHECK_NAMES] }, objectForm] };
}

function paramValue(p: ParamSpec, v: Variant): Schema {
  const doc = { description: p.doc };
  if (p.kind === 'int') return { ...doc, type: 'integer', ...rangeOf(p, v) };
  if (p.kind === 'enum') return { ...doc, enum: [...p.values] };
  return { ...doc, type: 'boolean' };
}

/** Per family: its parameters (params) and lists of them (matrix), nothing else. */
function familyRules(v: Variant): Schema[] {
  return families().map((f) => {
    const specs = f.schema.params;
    return {
      if: { properties: { family: { const: f.name } }, required: ['family'] },
      then: {
        properties: {
          params: { type: 'object', additionalProperties: false, properties: Object.fromEntries(specs.map((p) => [p.name, paramValue(p, v)])) },
          matrix: {
            type: 'object',
            additionalProperties: false,
            properties: Object.fromEntries(specs.map((p) => [p.name, { type: 'array', minItems: 1, uniqueItems: true, items: paramValue(p, v) }])),
          },
        },
      },
    };
  });
}

const scalar = { type: ['integer', 'number', 'string', 'boolean'] };

/** A sweep: families, a grid of parameter values, what to measure (lowbit sweep's options under their names). */
function sweepSchema(v: Variant): Schema {
  const names = families().map((f) => f.name);
  return {
    type: 'object',
    additionalProperties: false,
    required: ['families', 'grid'],
    properties: {
      name: { type: 'string', pattern: '^[A-Za-z0-9_.+=,-]+$', description: 'what the sweep is called (lowbit sweep FILE --name NAME; default sweep<N>)' },
      families: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', ...(v.ranges ? { examples: names } : {}) }, description: 'registered families' },
      params: { type: 'object', additionalProperties: scalar, description: 'parameters every point takes (where its family has them)' },
      grid: { type: 'object', minProperties: 1, additionalProperties: { type: 'array', minItems: 1, items: scalar }, description: 'lists of parameter values: each family gets the cross product of the keys it has' },
      targets: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...SWEEP_TARGETS] }, description: 'synthesis targets (default ice40, generic)' },
      synthesize: { enum: ['all', 'pareto'], description: 'measure every point, or those on or near the estimated Pareto fronts' },
      near: { type: 'number', ...rangeOf({ min: 0, max: 100 }, v), description: 'percent from the estimated front that pareto still measures (default 10)' },
      pnr: { type: 'boolean', description: "iCE40: also place and route (nextpnr's Fmax where the design fits the device's cells and pins; default false)" },
      device: { enum: Object.keys(DEVICES), description: 'iCE40 device (default hx8k)' },
      power: { type: 'boolean', description: 'also measure power: energy per MAC (default false)' },
      cosim: {
        type: 'object',
        additionalProperties: false,
        description: "each point's co-simulation",
        properties: { vectors: { type: 'integer', ...rangeOf(RANGES.cosim.vectors, v) }, sim: { enum: ['auto', ...Object.keys(SIMULATORS)], description: 'auto (default): Icarus up to 32 lanes (rows x k), Verilator above' } },
      },
    },
  };
}

/** The suite file's JSON Schema. */
export function suiteSchema(v: Variant = { ranges: true }): Schema {
  const checks = { type: 'array', items: { $ref: '#/definitions/check' } };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: SCHEMA_ID,
    title: 'lowbit regression suite',
    description: 'Designs and the checks to run on each (lowbit regress SUITE), and design-space sweeps (lowbit sweep SUITE).',
    type: 'object',
    additionalProperties: false,
    anyOf: [{ required: ['designs'] }, { required: ['sweeps'] }],
    properties: {
      $schema: { type: 'string' },
      name: { type: 'string', description: 'what the suite is called in reports (default: the file name)' },
      seed: { type: 'integer', ...rangeOf({ min: 0, max: Number.MAX_SAFE_INTEGER }, v), description: 'seed the per-job seeds are derived from (default 1; --seed overrides)' },
      defaults: {
        type: 'object',
        additionalProperties: false,
        description: 'what a design that does not say takes',
        properties: { checks, params: { type: 'object', additionalProperties: scalar } },
      },
      designs: { type: 'array', minItems: 1, items: { $ref: '#/definitions/design' } },
      sweeps: { type: 'array', minItems: 1, items: { $ref: '#/definitions/sweep' }, description: 'design-space sweeps (lowbit sweep FILE)' },
    },
    definitions: {
      check: checkSchema(v),
      sweep: sweepSchema(v),
      design: {
        type: 'object',
        additionalProperties: false,
        required: ['family'],
        properties: {
          name: { type: 'string', pattern: '^[A-Za-z0-9_.+=,\\[\\]-]+$', description: 'name in job names and reports (default: the family, with the matrix values)' },
          family: { type: 'string', description: 'a registered family', ...(v.ranges ? { examples: families().map((f) => f.name) } : {}) },
          params: { type: 'object', additionalProperties: scalar, description: 'the family parameters' },
          matrix: { type: 'object', additionalProperties: { type: 'array', minItems: 1, items: scalar }, description: 'lists of parameter values: one design per combination' },
          rtl: { type: 'string', description: 'use the RTL in this directory (relative to the suite file) instead of generating it; params still describe it' },
          top: { type: 'string', description: 'top module name' },
          checks,
        },
        allOf: familyRules(v),
      },
    },
  };
}

/** The shipped file's text (schema/suite.schema.json). */
export const suiteSchemaText = (): string => JSON.stringify(suiteSchema(), null, 2) + '\n';
