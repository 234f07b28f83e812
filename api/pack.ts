// `lowbit pack`: a weight matrix packed into the in_wgt word of each beat; and the way back (unpack).
// pack has no output directory: with `out` its run record goes beside the file (run.json in the
// file's directory); without `out` no run record is written.

import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import { writeFileAtomic } from '../core/fsutil.js';
import { packMatrix, unpackMatrix } from '../generators/common/matrix.js';
import { resolveDesign, type DesignOptions } from './design.js';
import { outFileOption } from './options.js';
import { Recorder, RUN_RECORD, type RunRecord } from './record.js';

/** Options of {@link pack}. */
export interface PackOptions extends DesignOptions {
  /** The weights, int[rows][beats*k] (beat b's lane i at b*k + i): a JSON file holding them, or the array. */
  matrix: string | number[][];
  /** Sparse families: keep the n largest magnitudes per group instead of rejecting a matrix that breaks the rule. */
  prune?: boolean;
  /** Write the packed beats as JSON to this file, and run.json beside it. */
  out?: string;
}

/** What {@link pack} returns: `lowbit pack --json`, and run.json beside `out`. */
export interface PackReport extends RunRecord {
  /** Width of in_wgt. */
  wgtBits: number;
  /** One in_wgt word per beat, hex, most significant digit first, zero-padded to the width. */
  beats: string[];
}

/** Options of {@link unpack}. */
export interface UnpackOptions extends DesignOptions {
  /** One in_wgt word per beat: hex text (as pack writes it) or a BigInt. */
  beats: (string | bigint)[];
}

/** What {@link unpack} returns (no run.json: nothing is written). */
export interface UnpackReport extends RunRecord {
  /** The logical weights, int[rows][beats*k], decoded as the RTL decodes every code. */
  weights: number[][];
}

/** Reads a weight matrix: JSON int[rows][beats*k] (the `weights` of a cosim dump vector). */
function readMatrix(m: unknown, rows: number, k: number): number[][] {
  if (!Array.isArray(m) || m.length !== rows) throw new UsageError(`matrix must hold rows (${rows}) rows, not ${Array.isArray(m) ? m.length : typeof m}`);
  const len = (m[0] as unknown[])?.length;
  for (const [r, row] of (m as unknown[][]).entries()) {
    if (!Array.isArray(row) || row.length !== len || len === 0 || len % k !== 0) {
      throw new UsageError(`matrix[${r}] must hold a whole number of beats of k (${k}) values, all rows alike, not ${Array.isArray(row) ? row.length : typeof row}`);
    }
  }
  return m as number[][];
}

function loadMatrix(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`matrix must be a readable JSON file holding int[rows][beats*k], not ${JSON.stringify(path)} (${(e as Error).message})`);
  }
}

/**
 * Packs a weight matrix into one in_wgt word per beat (the family's packing, README "in_wgt packing").
 *
 * @returns the packed beats (hex) and the width of in_wgt
 * @throws UsageError for weights the family cannot hold, a matrix of the wrong shape, a sparse matrix that breaks the N:M rule (without `prune`)
 * @example
 * const r = await pack({ family: 'ternary', params: { rows: 1, k: 4 }, matrix: [[1, 0, -1, 1]] });
 * console.log(r.beats[0]);
 */
export async function pack(o: PackOptions): Promise<PackReport> {
  const rec = new Recorder('pack', o.argv);
  const d = resolveDesign(o);
  rec.design = d;
  if (o.prune && !d.family.prunes) throw new UsageError(`prune applies to sparse families only; ${d.family.name} has no sparsity rule`);
  const outFile = o.out === undefined ? undefined : outFileOption('out', o.out);
  if (outFile && basename(outFile) === RUN_RECORD) throw new UsageError(`out must not be named ${RUN_RECORD}: the run record is written beside it (${outFile})`);
  const l = d.family.layout(d.params);
  const source = typeof o.matrix === 'string' ? resolve(o.matrix) : '(matrix given as an array)';
  const m = readMatrix(typeof o.matrix === 'string' ? loadMatrix(o.matrix) : o.matrix, d.params.rows, d.params.k);
  if (typeof o.matrix === 'string') rec.read([source]);
  const hex = await rec.step('pack', () => packMatrix(d.family, d.params, m, { prune: !!o.prune }).map((v) => v.toString(16).padStart(Math.ceil(l.wgtBits / 4), '0')));
  rec.metric('beats', hex.length, 'beats', source);
  rec.metric('wgt_bits', l.wgtBits, 'bits', source);
  const result = { ok: true, family: d.family.name, params: d.params, wgtBits: l.wgtBits, beats: hex };
  if (outFile) writeFileAtomic(outFile, JSON.stringify(result, null, 2) + '\n');
  return rec.finish(outFile ? dirname(outFile) : undefined, { wgtBits: l.wgtBits, beats: hex }, true);
}

/**
 * Unpacks in_wgt words (one per beat) into the logical weight matrix, decoding every code exactly as
 * the RTL does, canonical or not.
 *
 * @throws UsageError for a word that is not hex
 */
export async function unpack(o: UnpackOptions): Promise<UnpackReport> {
  const rec = new Recorder('unpack', o.argv);
  const d = resolveDesign(o);
  rec.design = d;
  const words = o.beats.map((b, i) => {
    if (typeof b === 'bigint') return b;
    if (!/^(0x)?[0-9a-fA-F]+$/.test(b.trim())) throw new UsageError(`beats[${i}] must be a hex word, not ${JSON.stringify(b)}`);
    return BigInt(b.trim().startsWith('0x') ? b.trim() : `0x${b.trim()}`);
  });
  const weights = unpackMatrix(d.family, d.params, words);
  return rec.finish(undefined, { weights }, true);
}
