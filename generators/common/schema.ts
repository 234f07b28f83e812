// The parameters every family shares, in one place: rows, k, act_bits, max_beats, acc_bits,
// overflow, pipeline. A family adds its own (after act_bits) and says how wide one term is and
// how many logic levels its row sum has (which bounds `pipeline`).

import { exactAccBits, type Range } from './accumulator.js';
import type { ParamSchema, ParamSpec, ParamValue } from './params.js';
import { MAX_UNITS_BITS } from './actFormat.js';

export interface StreamSchemaOptions {
  familyParams: ParamSpec[];
  /** Range of one term w*a for these parameters. */
  termRange: (p: Record<string, ParamValue>) => Range;
  /** Logic levels of one row's sum (pipeline may be 0..levels). */
  levels: (p: Record<string, ParamValue>) => number;
  /** Non-zero terms per row and beat (default k; fewer for sparse families). Sizes the exact accumulator. */
  terms?: (p: Record<string, ParamValue>) => number;
  /** Runs first, so a bad combination is reported before anything derived from it. */
  check?: (p: Record<string, ParamValue>, given: ReadonlySet<string>) => string | undefined;
}

export function streamSchema(o: StreamSchemaOptions): ParamSchema {
  const params: ParamSpec[] = [
    { kind: 'int', name: 'rows', min: 1, max: 256, default: 16, doc: 'output rows (dot products computed in parallel)' },
    { kind: 'int', name: 'k', min: 1, max: 1024, default: 64, doc: 'activation lanes per beat' },
    // Up to 48 bits: the integer array behind floating-point decoders (fpFront.ts) takes their
    // decoded width (FP16: 41); users give integer activations of at most 16 (fpFront's act_bits).
    { kind: 'int', name: 'act_bits', min: 2, max: MAX_UNITS_BITS, default: 8, doc: 'signed activation width' },
    ...o.familyParams,
    { kind: 'int', name: 'max_beats', min: 1, max: 65536, default: 256, doc: 'longest vector, in beats; sizes the exact accumulator' },
    {
      kind: 'int',
      name: 'acc_bits',
      min: 2,
      max: 64,
      default: (p) => exactAccBits(o.termRange(p), o.terms ? o.terms(p) : (p.k as number), p.max_beats as number),
      defaultDoc: 'exact for max_beats beats',
      doc: 'accumulator width',
    },
    { kind: 'enum', name: 'overflow', values: ['wrap', 'saturate'], default: 'wrap', doc: 'what a narrowed accumulator does on overflow' },
    { kind: 'int', name: 'pipeline', min: 0, max: 16, default: 0, doc: 'register levels in the row adder tree' },
  ];
  return {
    params,
    check: (p, given) => {
      const first = o.check?.(p, given);
      if (first) return first;
      const levels = o.levels(p);
      if ((p.pipeline as number) > levels) {
        return `pipeline must be in 0..${levels} for k ${p.k as number} (the row sum has ${levels} logic levels), not ${p.pipeline as number}`;
      }
      return undefined;
    },
  };
}
