// The design a command works on: the family and its resolved parameters (from the options and, with
// `rtl`, the RTL directory's params.json), the RTL (generated, or read from `rtl`), and the output
// directory everything is written to (locked while the command runs). Everything is checked before
// anything is written; a `rtl` directory is input only and never written into.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { flagName } from '../generators/common/params.js';
import type { CommonParams, Family, Rtl } from '../generators/common/family.js';
import { checkModuleName } from '../generators/common/names.js';
import { UsageError } from '../core/errors.js';
import { writeFileAtomic } from '../core/fsutil.js';
import { acquireLock, heldLock } from '../core/lock.js';
import { VERSION } from '../core/version.js';
import { parseFileList } from '../core/filelist.js';
import { familyOf, type FamilyRef } from './familyRefs.js';
import { checkWritableDir, outDirOption } from './options.js';

/** The file list `generate` writes and `rtl` directories may hold (one source per line, compile order). */
export const FILE_LIST = 'files.f';
/** What `generate` writes beside the RTL: family, top, version, resolved parameters and port layout. */
export const PARAMS_FILE = 'params.json';
/** Lock file inside an output directory while a run uses it. */
export const OUT_LOCK = '.lowbit.lock';

/** Options every family command takes. */
export interface DesignOptions {
  /** A registered family's name, or a Family object (a user family need not be registered). */
  family: FamilyRef;
  /** Raw parameter values by parameter name (`act_bits`), as given; missing ones take defaults (or the `rtl` directory's params.json). */
  params?: Record<string, unknown>;
  /** Top module name (default `lowbit_<family>`, or the one params.json records). */
  top?: string;
  /** Called with notes meant for a person (a drawn seed, a wait for another run's lock). */
  onNote?: (text: string) => void;
  /** The command line, when the command runs from the CLI (recorded in run.json). */
  argv?: string[];
}

/** Options of a command that works on RTL: generated into `out`, or read from `rtl`. */
export interface RtlOptions extends DesignOptions {
  /** Use the RTL in this directory (its files.f, else every *.v and *.sv); input only, never written. */
  rtl?: string;
  /** Output directory (default `lowbit-out/<family>-<hash of the parameters>` under the current directory). */
  out?: string;
}

/** A family with resolved parameters and a top module name. */
export interface Design {
  family: Family<CommonParams>;
  params: CommonParams;
  top: string;
}

/** params.json of an RTL directory (family, top, parameters), or undefined when it has none. */
function recordedDesign(rtl: string): { family: string; top?: string; params: Record<string, unknown> } | undefined {
  const file = join(resolve(rtl), PARAMS_FILE);
  if (!existsSync(file) || !statSync(file).isFile()) return undefined;
  let j: unknown;
  try {
    j = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`${file} is not valid JSON (${(e as Error).message}); fix it or remove it to use the command line's parameters`);
  }
  const o = j as { family?: unknown; top?: unknown; params?: unknown };
  if (typeof o !== 'object' || o === null || typeof o.family !== 'string' || typeof o.params !== 'object' || o.params === null) {
    throw new UsageError(`${file} must hold { family, top, params } as lowbit gen writes it`);
  }
  return { family: o.family, top: typeof o.top === 'string' ? o.top : undefined, params: o.params as Record<string, unknown> };
}

/**
 * The fewest of a params.json's resolved values that resolve to all of them: a resolved set is not
 * always valid input again (a family may refuse a parameter given where it does not apply, such as an
 * encoding for int weights), so values the defaults reproduce are left out.
 */
function minimalParams(family: Family<CommonParams>, recorded: Record<string, unknown>): Record<string, unknown> {
  const same = (p: Record<string, unknown>) => Object.keys(recorded).every((k) => p[k] === recorded[k]);
  const min = { ...recorded };
  for (const key of Object.keys(recorded)) {
    const { [key]: _dropped, ...without } = min;
    try {
      if (same(family.resolve(without))) delete min[key];
    } catch {
      // Needed: without it the set does not resolve.
    }
  }
  return min;
}

/**
 * Resolves the family, its parameters and the top module name. With `rtl`, the directory's
 * params.json supplies what the options do not give, and an option that disagrees with it is bad
 * input (simulating RTL made for other parameters would report a false mismatch).
 *
 * @throws UsageError naming the parameter, its range and the value (or both disagreeing values)
 */
export function resolveDesign(o: { family: FamilyRef; params?: Record<string, unknown>; top?: string; rtl?: string }): Design {
  const family = familyOf(o.family);
  const given = Object.fromEntries(Object.entries(o.params ?? {}).filter(([, v]) => v !== undefined));
  const recorded = typeof o.rtl === 'string' ? recordedDesign(o.rtl) : undefined;
  if (!recorded) {
    const top = checkModuleName('top', o.top ?? `lowbit_${family.name}`);
    return { family, params: family.resolve(given), top };
  }
  const where = join(resolve(o.rtl!), PARAMS_FILE);
  if (recorded.family !== family.name) throw new UsageError(`family: the command line says ${family.name}, ${where} says ${JSON.stringify(recorded.family)}`);
  const recordedParams = minimalParams(family, recorded.params);
  const fromFile = family.resolve(recordedParams);
  const params = family.resolve({ ...recordedParams, ...given });
  for (const key of Object.keys(given)) {
    if (params[key] !== fromFile[key]) throw new UsageError(`${key}: the command line says ${String(params[key])}, ${where} says ${String(fromFile[key])}`);
  }
  const top = checkModuleName('top', o.top ?? recorded.top ?? `lowbit_${family.name}`);
  if (recorded.top !== undefined && top !== recorded.top) throw new UsageError(`top: the command line says ${top}, ${where} says ${recorded.top}`);
  return { family, params, top };
}

/** The parameters as command-line words, every one spelled out (for printed commands that repeat a run). */
export function paramFlags(d: Design): string[] {
  const full = d.params as Record<string, unknown>;
  const same = (x: Record<string, unknown>): boolean => {
    try {
      const r = d.family.resolve(x);
      return Object.keys(full).every((k) => r[k] === full[k]);
    } catch {
      return false;
    }
  };
  // A family may refuse a value given where it does not apply (nmsparse's encoding with int weights):
  // then the fewest values that resolve to the design, plus every other one that may be given.
  let given = full;
  if (!same(full)) {
    given = minimalParams(d.family, full);
    for (const k of Object.keys(full)) if (!(k in given) && same({ ...given, [k]: full[k] })) given = { ...given, [k]: full[k] };
  }
  return Object.keys(full)
    .filter((k) => k in given)
    .flatMap((k) => [`--${flagName(k)}`, String(full[k])]);
}

/** Default output directory: one per family and parameter set, so configurations never collide. */
export function defaultOutDir(d: Design): string {
  const h = createHash('sha256').update(JSON.stringify({ p: d.params, top: d.top })).digest('hex').slice(0, 8);
  return resolve('lowbit-out', `${d.family.name}-${h}`);
}

/** Writes the RTL, the file list and the resolved parameters, every file atomically; returns the sources' absolute paths. */
export function writeRtl(dir: string, d: Design, rtl: Rtl): string[] {
  const files = rtl.files.map((f) => join(dir, f.name));
  for (const f of rtl.files) writeFileAtomic(join(dir, f.name), f.content);
  writeFileAtomic(join(dir, FILE_LIST), rtl.files.map((f) => f.name).join('\n') + '\n');
  const layout = d.family.layout(d.params);
  writeFileAtomic(
    join(dir, PARAMS_FILE),
    JSON.stringify({ family: d.family.name, top: rtl.top, version: VERSION, params: d.params, layout }, (_, v) => (typeof v === 'bigint' ? String(v) : v), 2) + '\n',
  );
  return files;
}

/** The sources of a `rtl` directory: its files.f (see core/filelist.ts), else its *.v and *.sv files. */
export function readRtlDir(rtl: string): { dir: string; files: string[]; incdirs: string[] } {
  const dir = resolve(rtl);
  if (rtl.trim() === '' || !existsSync(dir)) throw new UsageError(`rtl must be an existing directory, not ${JSON.stringify(rtl)}`);
  if (!statSync(dir).isDirectory()) throw new UsageError(`rtl must be a directory, but ${dir} is a file`);
  const list = join(dir, FILE_LIST);
  if (existsSync(list)) {
    let text: string;
    try {
      text = readFileSync(list, 'utf8');
    } catch (e) {
      throw new UsageError(`rtl: ${list} must be a readable file list (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    return { dir, ...parseFileList(text, dir, list) };
  }
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => (f.endsWith('.v') || f.endsWith('.sv')) && statSync(join(dir, f)).isFile()).sort();
  } catch (e) {
    throw new UsageError(`rtl: ${dir} must be a readable directory (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (names.length === 0) throw new UsageError(`rtl directory ${dir} holds no Verilog files (and no ${FILE_LIST})`);
  return { dir, files: names.map((n) => join(dir, n)), incdirs: [] };
}

/** The RTL a command works on and where its outputs go. */
export interface PreparedRtl {
  /** The RTL's directory: generated there, or the user's `rtl` directory (an input: never written). */
  rtlDir: string;
  /** Where every output goes (logs, VCDs, reports, scripts, netlists, proofs, run.json): `out`, else the default output directory. */
  workDir: string;
  /** Absolute paths of the sources. */
  files: string[];
  /** Absolute include directories (files.f +incdir+ / -I), for every tool. */
  incdirs: string[];
  generated: boolean;
  /** Files read as inputs besides the sources (files.f, params.json of a `rtl` directory). */
  metaFiles: string[];
  /** Releases the output directory's lock (a no-op when an outer call of this process holds it). */
  release(): void;
}

/** True when `inner` is `outer` or inside it. */
const within = (inner: string, outer: string): boolean => {
  const rel = relative(outer, inner);
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !rel.startsWith(sep));
};

/**
 * Holds `dir` for this command: a second lowbit run into the same directory waits (and says so) until
 * this one ends, so neither sees the other's files. Re-entrant within a process.
 */
async function lockDir(dir: string, what: string, onNote?: (text: string) => void): Promise<() => void> {
  const path = join(dir, OUT_LOCK);
  if (heldLock(path)) return () => {};
  checkWritableDir(what, dir);
  mkdirSync(dir, { recursive: true });
  const lock = await acquireLock(path, (o) => onNote?.(`lowbit: waiting for another lowbit run (pid ${o.pid}) using ${dir}`));
  return () => lock.release();
}

/**
 * The RTL to work on and the directory for everything the command writes. Generated RTL goes to
 * `out` (else the default output directory), which is also the work directory. A `rtl` directory is
 * input only: outputs go to `out`, else to the default output directory; `out` may not be the `rtl`
 * directory itself nor hold it. The work directory is locked until `release()`. Everything is checked
 * before anything is written.
 *
 * @throws UsageError for a bad `rtl` or `out` (nothing written)
 */
export async function prepareRtl(d: Design, o: { rtl?: string; out?: string; onNote?: (text: string) => void }): Promise<PreparedRtl> {
  const out = o.out !== undefined ? outDirOption('out', o.out) : undefined;
  const workDir = out ?? defaultOutDir(d);
  const what = out !== undefined ? 'out' : `the default output directory (${workDir}; pass --out to choose another)`;
  if (o.rtl !== undefined) {
    const src = readRtlDir(o.rtl);
    // Outputs beside the sources would write into the input (and the next run would read them as RTL).
    if (within(src.dir, workDir)) throw new UsageError(`out must not be the --rtl directory or hold it (outputs never go into an input directory), but ${workDir} ${workDir === src.dir ? 'is' : 'holds'} ${src.dir}`);
    checkWritableDir(what, workDir);
    const release = await lockDir(workDir, what, o.onNote);
    const metaFiles = [FILE_LIST, PARAMS_FILE].map((f) => join(src.dir, f)).filter((f) => existsSync(f) && statSync(f).isFile());
    return { rtlDir: src.dir, workDir, files: src.files, incdirs: src.incdirs, generated: false, metaFiles, release };
  }
  checkWritableDir(what, workDir);
  const rtl = d.family.generate(d.params, d.top);
  const release = await lockDir(workDir, what, o.onNote);
  try {
    return { rtlDir: workDir, workDir, files: writeRtl(workDir, d, rtl), incdirs: [], generated: true, metaFiles: [], release };
  } catch (e) {
    release();
    throw e;
  }
}
