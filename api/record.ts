// The run record every command returns and writes as run.json in its output directory: what ran
// (command line, lowbit and tool versions), on what (family, parameters, hashes of every input file,
// seed), what came out (ok, every metric with its unit and the file it came from) and how long each
// step took. The command's --json output is this same object.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/fsutil.js';
import { VERSION } from '../core/version.js';
import type { CommonParams } from '../generators/common/family.js';
import { toolUse, type ToolKind, type ToolUse } from './tools.js';
import type { Design } from './design.js';

/** The name of the run record in an output directory. */
export const RUN_RECORD = 'run.json';

/** One figure a run measured. */
export interface Metric {
  /** snake_case, per MAC figures end in `_per_mac` (`lut4_per_mac`). */
  name: string;
  value: number;
  /** `LUT4/MAC`, `transistors`, `um2`, `ns`, `MHz`, `mW`, `pJ/MAC`, `vectors`, `beats`, ... */
  unit: string;
  /** The report file or log the figure came from (absolute path). */
  source: string;
}

/** One input file a run read, with the SHA-256 of its bytes. */
export interface InputFile {
  path: string;
  sha256: string;
}

/** Wall time of one step of a run. */
export interface StepTime {
  name: string;
  seconds: number;
}

/** The fields every command's report (its --json output and run.json) has. */
export interface RunRecord {
  /** The verdict: false on a check failure (mismatch, counterexample, survivor) and on a tool failure. */
  ok: boolean;
  /** The command (`cosim`). */
  command: string;
  /** The command line's words after `lowbit`, when the command ran from the CLI. */
  argv?: string[];
  /** lowbit's version. */
  lowbit: string;
  family?: string;
  top?: string;
  /** The resolved parameters (every default filled in). */
  params?: CommonParams;
  /** The seed of the run's random choices, where one is used. */
  seed?: number;
  /** Every tool the run started. */
  tools: ToolUse[];
  /** Every input file read: RTL sources, files.f, params.json, the liberty, a weight matrix. */
  inputs: InputFile[];
  metrics: Metric[];
  steps: StepTime[];
  /** ISO 8601 time the command started. */
  startedAt: string;
  /** Wall time of the whole command. */
  seconds: number;
  /** On a failure that was not a check's verdict (a tool failed, a time limit): the message. */
  error?: string;
  /** On such a failure: `tool failed`, `missing tool`, `time limit`, `check failed`, `internal error`. */
  kind?: string;
  /** On such a failure: the exit code the CLI gives it. */
  exitCode?: number;
}

/** What an error is called in messages, run records and --json's `kind`. */
const KINDS: Record<string, string> = {
  UsageError: 'error',
  ToolMissingError: 'missing tool',
  ToolFailedError: 'tool failed',
  CheckFailedError: 'check failed',
  TimeLimitError: 'time limit',
};

/** The kind of an error, as records and the CLI name it. */
export const errorKind = (e: Error): string => KINDS[e.name] ?? 'internal error';

/** The exit code an error maps to (its `exitCode`, else 1). */
export const exitCodeOf = (e: unknown): number => {
  const c = (e as { exitCode?: unknown })?.exitCode;
  return typeof c === 'number' ? c : 1;
};

const records = new WeakMap<object, RunRecord>();

/** The run record written for an error a command threw after it started writing (undefined for bad input). */
export const recordOf = (e: unknown): RunRecord | undefined => (typeof e === 'object' && e !== null ? records.get(e) : undefined);

const jsonText = (o: unknown, indent?: number): string => JSON.stringify(o, (_, v) => (typeof v === 'bigint' ? String(v) : v), indent);

/**
 * Collects a run's record while the command runs: steps with their wall times, tools, input files
 * and metrics; `finish` (or `fail`) writes run.json and returns the record.
 */
export class Recorder {
  private readonly t0 = performance.now();
  private readonly startedAt = new Date().toISOString();
  private readonly steps: StepTime[] = [];
  private readonly tools: ToolKind[] = [];
  private readonly inputs = new Map<string, string>();
  private readonly metrics: Metric[] = [];
  design?: Design;
  seed?: number;

  constructor(readonly command: string, readonly argv?: string[]) {}

  /** Runs one step and records its wall time (also when it throws). */
  async step<T>(name: string, body: () => Promise<T> | T): Promise<T> {
    const t = performance.now();
    try {
      return await body();
    } finally {
      this.steps.push({ name, seconds: (performance.now() - t) / 1000 });
    }
  }

  /** Records a step timed elsewhere (a tool's own time). */
  stepTime(name: string, seconds: number): void {
    this.steps.push({ name, seconds });
  }

  /** Notes that a tool ran (its version and path are looked up when the record is written). */
  used(...kinds: ToolKind[]): void {
    for (const k of kinds) if (!this.tools.includes(k)) this.tools.push(k);
  }

  /** Notes input files read, hashing their bytes now (before a later step could change them). */
  read(paths: string[]): void {
    for (const p of paths) if (!this.inputs.has(p)) this.inputs.set(p, createHash('sha256').update(readFileSync(p)).digest('hex'));
  }

  /** Records a figure (skipped when it is not a finite number: nothing measured). */
  metric(name: string, value: number | undefined, unit: string, source: string): void {
    if (typeof value === 'number' && Number.isFinite(value)) this.metrics.push({ name, value, unit, source });
  }

  /** The record with the command's own fields at top level (written last, so the record's fields win). */
  private async build<F extends object>(fields: F, ok: boolean): Promise<RunRecord & F> {
    const tools: ToolUse[] = [];
    for (const k of this.tools) {
      try {
        tools.push(await toolUse(k));
      } catch {
        // A tool that cannot say its version now (it failed, or went away) is recorded by name only.
        tools.push({ name: k, version: 'unknown', path: '' });
      }
    }
    const d = this.design;
    return {
      ok,
      command: this.command,
      ...(this.argv ? { argv: this.argv } : {}),
      lowbit: VERSION,
      ...(d ? { family: d.family.name, top: d.top, params: d.params } : {}),
      ...(this.seed !== undefined ? { seed: this.seed } : {}),
      ...fields,
      tools,
      inputs: [...this.inputs].map(([path, sha256]) => ({ path, sha256 })),
      metrics: this.metrics,
      steps: this.steps,
      startedAt: this.startedAt,
      seconds: (performance.now() - this.t0) / 1000,
    } as RunRecord & F;
  }

  /**
   * The record of a finished run, written as `dir`/run.json when `dir` is given; the JSON round trip
   * makes the returned object exactly what run.json holds (no undefined fields, BigInts as text).
   */
  async finish<F extends object>(dir: string | undefined, fields: F, ok: boolean): Promise<RunRecord & F> {
    const rec = await this.build(fields, ok);
    const text = jsonText(rec, 2) + '\n';
    if (dir !== undefined) writeFileAtomic(join(dir, RUN_RECORD), text);
    return JSON.parse(text) as RunRecord & F;
  }

  /**
   * A run that failed after it started writing (a tool failed, a time limit): run.json is written
   * with ok false and the error, and the error is returned with the record attached (recordOf).
   * Bad input (exit 2) writes nothing.
   */
  async fail(dir: string, e: unknown): Promise<unknown> {
    const err = e as Error;
    if (!(err instanceof Error) || exitCodeOf(err) === 2) return e;
    try {
      const rec = await this.finish(dir, { error: err.message, kind: errorKind(err), exitCode: exitCodeOf(err) }, false);
      records.set(err, rec);
    } catch {
      // Recording must not hide the error that stopped the run (a full disk, say).
    }
    return e;
  }
}

export { jsonText };
