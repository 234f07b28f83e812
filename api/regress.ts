// `lowbit regress`: a suite file's jobs, run on this machine or as a Slurm job array, each one a lowbit
// command in its own process; verdicts cached by content; every run in a directory of its own.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import { checkEnv, checkWritableDir, outDirOption, outFileOption, type Numeric } from './options.js';
import { RUN_RECORD } from './record.js';
import { rangeOption, SEED_RANGE } from './ranges.js';
import { runJobs, schedulerOptions } from './jobRun.js';
import { jobFilter, suiteJobs } from './regressJobs.js';
import type { RegressReport } from './regressReport.js';
import type { SchedulerEvents } from './regressRunner.js';
import { loadSuite, type Suite } from './regressSuite.js';

export type { RegressReport, JobCounts } from './regressReport.js';
export type { JobResult, JobStatus } from './regressRunner.js';
export type { Job } from './regressJobs.js';

/** Options of {@link regress} (the flags of `lowbit regress`, in camelCase). */
export interface RegressOptions {
  /** The suite file (YAML or JSON). May be left out with `rerunFailed`: the earlier run's suite is used. */
  suite?: string;
  /** Jobs at once, 1..1024 (default: the machine's cores); with Slurm, the array's throttle. */
  jobs?: Numeric;
  /** Runs only the jobs whose names match (`*` and `?` wildcards; without them, a substring). */
  filter?: string;
  /** Stops at the first job that fails (running jobs are stopped, the rest skipped). */
  failFast?: boolean;
  /** false: recompute every job (default true: a pass of an identical job is reused). */
  cache?: boolean;
  /** Where run directories go (default `lowbit-runs`). */
  runsDir?: string;
  /** Also write the JUnit XML here. */
  junit?: string;
  /** Runs only the jobs that failed (failed or error) in the last run of this suite in runsDir, or in `from`. */
  rerunFailed?: boolean;
  /** The run record (run.json) whose failures `rerunFailed` runs. */
  from?: string;
  /** Seed the per-job seeds are derived from (default: the suite's `seed`, else 1). */
  seed?: Numeric;
  /** local (default) or slurm. */
  scheduler?: string;
  /** Slurm partition (default: the cluster's default). */
  partition?: string;
  /** Extra sbatch arguments, verbatim. */
  slurmArgs?: string[];
  /** Jobs per Slurm array task, 1..1000 (default 1): short jobs pay Slurm's start-up once per chunk. */
  slurmChunk?: Numeric;
  /** The command line (recorded). */
  argv?: string[];
  /** Called with notes for a person (what was selected, a rerun with nothing to do). */
  onNote?: (text: string) => void;
  /** Called when jobs are planned, start and end. */
  onPlan?: (p: { total: number; cached: number; toRun: number; runDir: string }) => void;
  onStart?: SchedulerEvents['onStart'];
  onDone?: SchedulerEvents['onDone'];
}

/** The newest run record in `runsDir` (of this suite file, when given). */
function lastRun(runsDir: string, suiteFile?: string): string | undefined {
  if (!existsSync(runsDir)) return undefined;
  const records = readdirSync(runsDir)
    .map((d) => join(runsDir, d, RUN_RECORD))
    .filter((f) => existsSync(f))
    .flatMap((f) => {
      try {
        const r = JSON.parse(readFileSync(f, 'utf8')) as RegressReport;
        return r.command === 'regress' && (suiteFile === undefined || r.suite?.file === suiteFile) ? [{ f, at: r.startedAt }] : [];
      } catch {
        return [];
      }
    })
    .sort((a, b) => a.at.localeCompare(b.at));
  return records.at(-1)?.f;
}

function readRecord(path: string): RegressReport {
  const file = resolve(path);
  let r: RegressReport;
  try {
    r = JSON.parse(readFileSync(file, 'utf8')) as RegressReport;
  } catch (e) {
    throw new UsageError(`from must be a run record (run.json of a lowbit regress run), but ${file} ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `is not JSON (${(e as Error).message})`}`);
  }
  if (r.command !== 'regress' || !Array.isArray(r.jobs) || !r.suite?.file) throw new UsageError(`from must be a run record of lowbit regress, but ${file} is not one`);
  return r;
}

/**
 * Runs a regression suite: every (design, check, seed, simulator) is a job, run `jobs` at a time here
 * (or as a Slurm array), passes cached by a hash of everything that decides them. Writes the run's
 * directory under `runsDir` (job outputs, results/, junit.xml, run.json).
 *
 * @returns the run record; `ok` is true only when every job passed
 * @throws UsageError for a bad suite (file:line:col, path, expected and given) or option (nothing written)
 * @example
 * const r = await regress({ suite: 'examples/regress/smoke.yaml', jobs: 2 });
 * console.log(r.counts.passed, r.counts.failed);
 */
export async function regress(o: RegressOptions): Promise<RegressReport> {
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  // Options first: nothing is written before all of them (and the suite) are good.
  const scheduling = schedulerOptions(o);
  if (o.filter !== undefined && o.filter.trim() === '') throw new UsageError('filter must be a pattern, not an empty string');
  if (o.from !== undefined && !o.rerunFailed) throw new UsageError('--from needs --rerun-failed');
  const runsDir = outDirOption('runs-dir', o.runsDir ?? 'lowbit-runs');
  checkWritableDir('runs-dir', runsDir);
  const junitCopy = o.junit !== undefined ? outFileOption('junit', o.junit) : undefined;
  checkEnv({ tools: [], cache: true });
  let previous: RegressReport | undefined;
  if (o.rerunFailed) {
    const from = o.from ?? lastRun(runsDir, o.suite !== undefined ? resolve(o.suite) : undefined);
    if (!from) throw new UsageError(`--rerun-failed: no earlier run${o.suite !== undefined ? ` of ${resolve(o.suite)}` : ''} in ${runsDir}; run the suite first, or give --from RUN/run.json`);
    previous = readRecord(from);
  }
  const suitePath = o.suite ?? previous?.suite.file;
  if (suitePath === undefined) throw new UsageError('suite: give the suite file (lowbit regress SUITE)');
  const suite: Suite = loadSuite(suitePath);
  if (suite.sweeps) o.onNote?.(`${suite.file} also has ${suite.sweeps} sweep(s): lowbit sweep ${suite.file} runs them`);
  if (o.seed !== undefined) suite.seed = rangeOption('seed', o.seed, SEED_RANGE);
  const all = suiteJobs(suite);
  let selected = all;
  if (o.filter !== undefined) {
    const match = jobFilter(o.filter);
    selected = selected.filter((j) => match(j.name));
    if (selected.length === 0) throw new UsageError(`filter ${JSON.stringify(o.filter)} matches none of the suite's ${all.length} jobs (e.g. ${all.slice(0, 3).map((j) => j.name).join(', ')})`);
  }
  if (previous) {
    const failed = new Set(previous.jobs.filter((j) => j.status === 'failed' || j.status === 'error').map((j) => j.name));
    const gone = [...failed].filter((n) => !all.some((j) => j.name === n));
    if (gone.length) o.onNote?.(`${gone.length} failed job(s) of the earlier run are no longer in the suite: ${gone.join(', ')}`);
    selected = selected.filter((j) => failed.has(j.name));
    o.onNote?.(selected.length ? `rerunning ${selected.length} job(s) that failed in ${previous.runDir}` : `no job failed in ${previous.runDir}: nothing to rerun`);
  }
  return runJobs({
    jobs: selected,
    command: 'regress',
    suite: { file: suite.file, name: suite.name, sha256: suite.sha256, seed: suite.seed },
    inputs: [{ path: suite.file, sha256: suite.sha256 }],
    runsDir, ...scheduling, junitCopy, failFast: !!o.failFast,
    argv: o.argv, t0, startedAt,
    selection: o.filter !== undefined || previous ? { filter: o.filter, rerunFailedFrom: previous ? join(previous.runDir, RUN_RECORD) : undefined, selected: selected.length, of: all.length } : undefined,
    onPlan: o.onPlan, onStart: o.onStart, onDone: o.onDone,
  });
}
