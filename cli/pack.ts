import { Command } from 'commander';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { checkWritableDir, familyCommand, onFamily } from './common.js';
import { UsageError } from '../generators/common/params.js';
import { packMatrix } from '../generators/common/matrix.js';
import { writeFileAtomic } from '../core/fsutil.js';

/** Reads a weight matrix: JSON int[rows][beats*k] (the `weights` of a cosim dump vector). */
function readMatrix(path: string, rows: number, k: number): number[][] {
  let m: unknown;
  try {
    m = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`matrix must be a readable JSON file holding int[rows][beats*k], not ${JSON.stringify(path)} (${(e as Error).message})`);
  }
  if (!Array.isArray(m) || m.length !== rows) throw new UsageError(`matrix must hold rows (${rows}) rows, not ${Array.isArray(m) ? m.length : typeof m}`);
  const len = (m[0] as unknown[])?.length;
  for (const [r, row] of (m as unknown[][]).entries()) {
    if (!Array.isArray(row) || row.length !== len || len === 0 || len % k !== 0) {
      throw new UsageError(`matrix[${r}] must hold a whole number of beats of k (${k}) values, all rows alike, not ${Array.isArray(row) ? row.length : typeof row}`);
    }
  }
  return m as number[][];
}

/** An output file option: a file to create or replace, never a directory or "" (exit 2 otherwise). */
function outFileOption(option: string, value: string): string {
  if (value.trim() === '') throw new UsageError(`${option} must name a file, not an empty string`);
  const file = resolve(value);
  if (existsSync(file) && statSync(file).isDirectory()) throw new UsageError(`${option} must name a file to write, but ${file} is a directory`);
  checkWritableDir(`the directory of --${option}`, dirname(file));
  return file;
}

export function packCommand(): Command {
  return familyCommand('pack', 'pack a weight matrix (JSON int[rows][beats*k]) into the in_wgt bit stream of each beat (hex, most significant digit first)')
    .requiredOption('--matrix <file>', 'JSON file: int[rows][beats*k] logical weights')
    .option('--prune', 'sparse families: keep the n largest magnitudes per group (ties: lowest position) instead of rejecting')
    .option('--out <file>', 'write the result as JSON here (default: stdout)')
    .action(
      onFamily(async (r, opts, out) => {
        if (opts.prune && !r.family.prunes) throw new UsageError(`prune applies to sparse families only; ${r.family.name} has no sparsity rule`);
        const outFile = opts.out === undefined ? undefined : outFileOption('out', opts.out as string);
        const l = r.family.layout(r.params);
        const m = readMatrix(opts.matrix as string, r.params.rows, r.params.k);
        const hex = packMatrix(r.family, r.params, m, { prune: !!opts.prune }).map((v) => v.toString(16).padStart(Math.ceil(l.wgtBits / 4), '0'));
        const beats = hex.length;
        const result = { ok: true, family: r.family.name, params: r.params, wgtBits: l.wgtBits, beats: hex };
        if (outFile) {
          writeFileAtomic(outFile, JSON.stringify(result, null, 2) + '\n');
          out.say(`packed ${beats} beat(s) of ${l.wgtBits} bits into ${opts.out as string}`);
        } else if (!opts.json) {
          for (const h of hex) out.say(h);
        }
        out.result(result);
        return 0;
      }),
    );
}
