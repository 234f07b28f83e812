// Checks of a command's own options (besides the family parameters), shared by every API command:
// one wording for every range, so the API and the CLI refuse the same values with the same text.

import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import { resolveTool, type ToolFacts } from '../core/tool.js';
import { YOSYS } from '../flows/tools/yosys.js';
import { liberty } from '../flows/tools/liberty.js';
import { cacheRoot } from '../core/cache.js';

/**
 * A number option: a number, or its decimal text as typed on the command line (the error message
 * quotes what was given, so `--vectors 0` and `{ vectors: '0' }` read alike).
 */
export type Numeric = number | string;

/** An integer option in min..max (UsageError naming the option, the range and the value otherwise). */
export function intOption(name: string, value: unknown, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const s = String(value).trim();
  if (!/^\d+$/.test(s) || Number(s) < min || Number(s) > max) {
    throw new UsageError(`${name} must be an integer in ${min}..${max}, not ${JSON.stringify(value)}`);
  }
  return Number(s);
}

/** A non-negative decimal option in min..max. */
export function numberOption(name: string, value: unknown, min: number, max: number): number {
  const s = String(value).trim();
  const v = Number(s);
  if (!/^\d+(\.\d+)?$/.test(s) || v < min || v > max) throw new UsageError(`${name} must be a number in ${min}..${max}, not ${JSON.stringify(value)}`);
  return v;
}

/** One of a fixed list of words. */
export function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new UsageError(`${name} must be one of ${allowed.join(', ')}, not ${JSON.stringify(value)}`);
  return value as T;
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

/** An output file option: a file to create or replace, never a directory or "". */
export function outFileOption(option: string, value: string): string {
  if (value.trim() === '') throw new UsageError(`${option} must name a file, not an empty string`);
  const file = resolve(value);
  if (existsSync(file) && statSync(file).isDirectory()) throw new UsageError(`${option} must name a file to write, but ${file} is a directory`);
  checkWritableDir(`the directory of --${option}`, dirname(file));
  return file;
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

/** What {@link checkEnv} checks: the tools a command will run, and the liberty and cache it will use. */
export interface EnvNeeds {
  /** Every external tool the command will run: each one's variable (LOWBIT_VERILATOR, ...) is resolved from its facts. */
  tools?: readonly ToolFacts[];
  /** Shorthand for YOSYS in `tools`. */
  yosys?: boolean;
  liberty?: boolean;
  cache?: boolean;
}

/**
 * Checks the environment variables a command will use before it writes anything: the variable of
 * every tool it will run (resolveTool from the tool's facts: LOWBIT_VERILATOR, LOWBIT_IVERILOG,
 * LOWBIT_VVP, LOWBIT_STA, LOWBIT_YOSYS, LOWBIT_NEXTPNR naming nothing, a directory or a file that is
 * not executable), LOWBIT_LIBERTY and LOWBIT_CACHE. A bad one is bad input (exit 2, naming the
 * variable, its value and what it may hold) with nothing written, not a failure halfway.
 */
export function checkEnv(needs: EnvNeeds): void {
  for (const f of needs.tools ?? []) resolveTool(f);
  if (needs.yosys) resolveTool(YOSYS);
  if (needs.liberty) liberty();
  if (needs.cache) cacheRoot();
}
