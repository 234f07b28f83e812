// What every subcommand shares: family parameters as flags, the output directory, --json output,
// and one place that turns errors into exit codes (0 ok, 1 check or tool failed, 2 bad input,
// 3 time limit reached, 4 tool missing).

import { Command, Option } from 'commander';
import chalk from 'chalk';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { FAMILIES, getFamily } from '../generators/registry.js';
import { describeParam, flagName, UsageError, type ParamSpec } from '../generators/common/params.js';
import type { CommonParams, Family, Rtl } from '../generators/common/family.js';
import { writeFileAtomic } from '../core/fsutil.js';
import { acquireLock, heldLock, type Lock } from '../core/lock.js';
import { VERSION } from '../core/version.js';
import { checkModuleName } from '../generators/common/names.js';
import { startTimeLimit } from './limits.js';
import { parseFileList } from '../core/filelist.js';
import { yosysCommand } from '../flows/tools/yosys.js';
import { liberty } from '../flows/tools/liberty.js';
import { cacheRoot } from '../core/cache.js';

/** Every family parameter, once (families share most of them). */
function allParamSpecs(): Map<string, ParamSpec> {
  const m = new Map<string, ParamSpec>();
  for (const f of Object.values(FAMILIES)) for (const s of f.schema.params) if (!m.has(s.name)) m.set(s.name, s);
  return m;
}

const camel = (name: string): string => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Adds `<family>` and one flag per family parameter, plus a per-family parameter list in --help. */
export function withFamilyParams(cmd: Command): Command {
  cmd.argument('<family>', `design family: ${Object.keys(FAMILIES).join(', ')}`);
  for (const spec of allParamSpecs().values()) {
    // A name several families use with different meanings (encoding, weights, w_bits) is described per family below.
    const users = Object.values(FAMILIES).filter((f) => f.schema.params.some((s) => s.name === spec.name && s.doc !== spec.doc));
    cmd.addOption(new Option(`--${flagName(spec.name)} <value>`, users.length ? `differs by family: see "Family parameters" below` : spec.doc));
  }
  cmd.option('--top <name>', 'top module name (default lowbit_<family>)');
  const lines = Object.values(FAMILIES).map(
    (f) => `\n${f.name}: ${f.summary}\n` + f.schema.params.map((s) => `  --${flagName(s.name).padEnd(10)} ${describeParam(s)}`).join('\n'),
  );
  cmd.addHelpText('after', `\nFamily parameters:${lines.join('\n')}`);
  return cmd;
}

/** Raw parameter values given on the command line (undefined for the ones not given). */
export function rawParams(opts: Record<string, unknown>): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const spec of allParamSpecs().values()) {
    const v = opts[camel(spec.name)];
    if (v !== undefined) raw[spec.name] = v;
  }
  return raw;
}

export interface Resolved {
  family: Family<CommonParams>;
  params: CommonParams;
  top: string;
}

export function resolveFamily(name: string, opts: Record<string, unknown>): Resolved {
  const family = getFamily(name);
  const given = rawParams(opts);
  const recorded = typeof opts.rtl === 'string' ? recordedDesign(opts.rtl) : undefined;
  if (!recorded) {
    const top = checkModuleName('top', (opts.top as string | undefined) ?? `lowbit_${family.name}`);
    return { family, params: family.resolve(given), top };
  }
  // RTL that says what it was made for: parameters not given are taken from it, and a given one that
  // disagrees is bad input (simulating RTL for other parameters would report a false mismatch).
  const where = join(resolve(opts.rtl as string), PARAMS_FILE);
  if (recorded.family !== family.name) throw new UsageError(`family: the command line says ${family.name}, ${where} says ${JSON.stringify(recorded.family)}`);
  const fromFile = family.resolve(recorded.params);
  const params = family.resolve({ ...recorded.params, ...given });
  for (const key of Object.keys(given)) {
    if (params[key] !== fromFile[key]) throw new UsageError(`${key}: the command line says ${String(params[key])}, ${where} says ${String(fromFile[key])}`);
  }
  const top = checkModuleName('top', (opts.top as string | undefined) ?? recorded.top ?? `lowbit_${family.name}`);
  if (recorded.top !== undefined && top !== recorded.top) throw new UsageError(`top: the command line says ${top}, ${where} says ${recorded.top}`);
  return { family, params, top };
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
 * An output directory option: a directory or a path to create, never an existing file or "" (which
 * would write into the current directory). Returns the absolute path.
 */
export function outDirOption(option: string, value: string): string {
  if (value.trim() === '') throw new UsageError(`${option} must name a directory, not an empty string`);
  const dir = resolve(value);
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`${option} must be a directory, but ${dir} is a file`);
  return dir;
}

/** The parameters as command-line words, every one spelled out (for printed commands that repeat a run). */
export function paramFlags(r: Resolved): string[] {
  return Object.entries(r.params).flatMap(([k, val]) => [`--${flagName(k)}`, String(val)]);
}

/** Default output directory: one per family and parameter set, so configurations never collide. */
export function defaultOutDir(r: Resolved): string {
  const h = createHash('sha256').update(JSON.stringify({ p: r.params, top: r.top })).digest('hex').slice(0, 8);
  return resolve('lowbit-out', `${r.family.name}-${h}`);
}

export const FILE_LIST = 'files.f';
export const PARAMS_FILE = 'params.json';

/** Writes the RTL, the file list and the resolved parameters; every file atomically. */
export function writeRtl(dir: string, r: Resolved, rtl: Rtl): string[] {
  const files = rtl.files.map((f) => join(dir, f.name));
  for (const f of rtl.files) writeFileAtomic(join(dir, f.name), f.content);
  writeFileAtomic(join(dir, FILE_LIST), rtl.files.map((f) => f.name).join('\n') + '\n');
  const layout = r.family.layout(r.params);
  writeFileAtomic(
    join(dir, PARAMS_FILE),
    JSON.stringify({ family: r.family.name, top: rtl.top, version: VERSION, params: r.params, layout }, (_, v) => (typeof v === 'bigint' ? String(v) : v), 2) + '\n',
  );
  return files;
}

/**
 * Refuses an output directory that cannot be created or written (read-only, a parent that is a file),
 * before anything is written: bad input naming the option and the path. Nothing is created here.
 */
export function checkWritableDir(what: string, dir: string): void {
  let d = dir;
  // The nearest part of the path that exists decides: it must be a writable directory.
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  const why = !statSync(d).isDirectory() ? `${d} is a file` : (() => {
    try {
      accessSync(d, constants.W_OK | constants.X_OK);
      return undefined;
    } catch (e) {
      return `${d} is not writable (${(e as NodeJS.ErrnoException).code})`;
    }
  })();
  if (why) throw new UsageError(`${what} must be a directory lowbit can create or write, but ${why} (given: ${dir})`);
}

/** Lock file inside an output directory while a run uses it. */
export const OUT_LOCK = '.lowbit.lock';

/** Locks taken by the running command; guarded() releases them when it ends. */
const commandLocks: Lock[] = [];

/**
 * Holds `dir` for this command: a second lowbit run into the same directory waits (and says so) until
 * this one ends, so neither sees the other's files. Re-entrant within a process (demo prepares several).
 */
async function lockDir(dir: string, what: string): Promise<void> {
  const path = join(dir, OUT_LOCK);
  if (heldLock(path)) return;
  checkWritableDir(what, dir);
  mkdirSync(dir, { recursive: true });
  commandLocks.push(await acquireLock(path, (o) => process.stderr.write(`lowbit: waiting for another lowbit run (pid ${o.pid}) using ${dir}\n`)));
}

/** The RTL a command works on and where its outputs go. */
export interface PreparedRtl {
  /** The RTL's directory: generated there, or the user's --rtl directory (an input: never written). */
  rtlDir: string;
  /** Where every output goes (logs, VCDs, reports, scripts, netlists, proofs): --out, else the default output directory. */
  workDir: string;
  /** Absolute paths of the sources. */
  files: string[];
  /** Absolute include directories (files.f +incdir+ / -I), for every tool. */
  incdirs: string[];
  generated: boolean;
}

/** The sources of a --rtl directory: its files.f (see core/filelist.ts), else its *.v and *.sv files. */
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

/** True when `inner` is `outer` or inside it. */
const within = (inner: string, outer: string): boolean => {
  const rel = relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && rel !== '..');
};

/**
 * The RTL to work on and the directory for everything the command writes. Generated RTL goes to
 * --out (else the default output directory), which is also the work directory. A --rtl directory is
 * input only: outputs go to --out, else to the default output directory; --out may not be the --rtl
 * directory itself. The work directory is locked until the command ends. Everything is checked
 * before anything is written.
 */
export async function prepareRtl(r: Resolved, opts: { rtl?: string; out?: string }): Promise<PreparedRtl> {
  const out = opts.out !== undefined ? outDirOption('out', opts.out) : undefined;
  const workDir = out ?? defaultOutDir(r);
  const what = out !== undefined ? 'out' : `the default output directory (${workDir}; pass --out to choose another)`;
  if (opts.rtl !== undefined) {
    const src = readRtlDir(opts.rtl);
    // Outputs beside the sources would write into the input (and the next run would read them as RTL).
    if (within(src.dir, workDir)) throw new UsageError(`out must not be the --rtl directory or hold it (outputs never go into an input directory), but ${workDir} ${workDir === src.dir ? 'is' : 'holds'} ${src.dir}`);
    checkWritableDir(what, workDir);
    await lockDir(workDir, what);
    return { rtlDir: src.dir, workDir, files: src.files, incdirs: src.incdirs, generated: false };
  }
  checkWritableDir(what, workDir);
  const rtl = r.family.generate(r.params, r.top);
  await lockDir(workDir, what);
  return { rtlDir: workDir, workDir, files: writeRtl(workDir, r, rtl), incdirs: [], generated: true };
}

/**
 * Checks the environment variables a command will use (LOWBIT_YOSYS, LOWBIT_LIBERTY, LOWBIT_CACHE)
 * before it writes anything: a bad one is exit 2 with nothing written, not a failure halfway.
 */
export function checkEnv(needs: { yosys?: boolean; liberty?: boolean; cache?: boolean }): void {
  if (needs.yosys) yosysCommand();
  if (needs.liberty) liberty();
  if (needs.cache) cacheRoot();
}

/** Parses an integer option with a named range (exit 2 otherwise). */
export function intOption(name: string, value: unknown, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const s = String(value).trim();
  if (!/^\d+$/.test(s) || Number(s) < min || Number(s) > max) {
    throw new UsageError(`${name} must be an integer in ${min}..${max}, not ${JSON.stringify(value)}`);
  }
  return Number(s);
}

export function numberOption(name: string, value: unknown, min: number, max: number): number {
  const s = String(value).trim();
  const v = Number(s);
  if (!/^\d+(\.\d+)?$/.test(s) || v < min || v > max) throw new UsageError(`${name} must be a number in ${min}..${max}, not ${JSON.stringify(value)}`);
  return v;
}

/** stdout is JSON-only under --json: human output goes through here. */
export class Out {
  constructor(readonly json: boolean) {}
  say(text: string): void {
    if (!this.json) process.stdout.write(text + '\n');
  }
  note(text: string): void {
    process.stderr.write(text + '\n');
  }
  result(obj: unknown): void {
    if (this.json) process.stdout.write(JSON.stringify(obj, (_, v) => (typeof v === 'bigint' ? String(v) : v)) + '\n');
  }
}

export const JSON_HELP = 'print one JSON object on stdout and nothing else there';

/** A subcommand that takes `<family> [parameters]` and --json. */
export function familyCommand(name: string, description: string): Command {
  return withFamilyParams(new Command(name)).description(description).option('--json', JSON_HELP);
}

/** The action of a family command: parameters resolved (bad input exits 2 before anything is written). */
export function onFamily(body: (r: Resolved, opts: Record<string, unknown>, out: Out) => Promise<number>) {
  return (name: string, opts: Record<string, unknown>, cmd?: Command) =>
    guarded(!!opts.json, async () => {
      startTimeLimit(cmd, opts);
      return body(resolveFamily(name, opts), opts, new Out(!!opts.json));
    });
}

/** What an error is called in messages and in --json's `kind`. */
const KINDS: Record<string, string> = {
  UsageError: 'error',
  ToolMissingError: 'missing tool',
  ToolFailedError: 'tool failed',
  CheckFailedError: 'check failed',
  TimeLimitError: 'time limit',
};

/** File-system refusals that come from the paths a user gave (read-only, a file in the way): bad input. */
const USER_FS_ERRORS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EISDIR: 'it is a directory, not a file',
  EEXIST: 'something else is in the way',
  ENAMETOOLONG: 'the name is too long',
};

/** An fs error naming a path the user chose, as a UsageError (exit 2) that names the path and the reason. */
export function userFsError(e: unknown): Error | undefined {
  const err = e as NodeJS.ErrnoException;
  if (!err || typeof err.code !== 'string' || !(err.code in USER_FS_ERRORS) || typeof err.path !== 'string') return undefined;
  return new UsageError(`cannot ${err.syscall ?? 'use'} ${err.path}: ${USER_FS_ERRORS[err.code]} (${err.code}); choose a path lowbit can write (--out) or fix its permissions`);
}

/** The one JSON error object --json prints on stdout for any failure. */
export const jsonError = (error: string, kind: string, exitCode: number): string => JSON.stringify({ ok: false, error, kind, exitCode }) + '\n';

/** Runs a command body, mapping errors to messages and exit codes. */
export async function guarded(json: boolean, body: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await body();
  } catch (e) {
    const err = (userFsError(e) ?? e) as Error & { exitCode?: number };
    const code = typeof err.exitCode === 'number' ? err.exitCode : 1;
    const kind = KINDS[err.name] ?? 'internal error';
    process.stderr.write(`${chalk.red(`lowbit: ${kind}:`)} ${err.message}\n`);
    if (kind === 'internal error' && err.stack) process.stderr.write(err.stack + '\n');
    if (json) process.stdout.write(jsonError(err.message, kind, code));
    process.exitCode = code;
  } finally {
    for (const l of commandLocks.splice(0)) l.release();
  }
}
