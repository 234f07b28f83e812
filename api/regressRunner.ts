// Running jobs. A job is one lowbit command in a process of its own (its own process group: a job that
// is stopped takes its tools with it), with --out in the job's directory of the run and --json for its
// report; its verdict is read from that report and its exit code. Both schedulers run jobs through
// runJob (the local pool here, each Slurm array task on its node), so a job's result is the same
// wherever it ran. Its result is written atomically to results/<index>.json in the run directory, and a
// pass is also written to the shared cache, atomically, after the job ended: a run killed at any moment
// leaves no entry that looks complete.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from '../core/cache.js';
import { writeFileAtomic } from '../core/fsutil.js';
import { repoPath } from '../core/paths.js';
import { killGroup, spawnTool } from '../core/procs.js';
import { tailOf } from '../core/toolErrors.js';
import { describeMismatch, describeViolation, type CosimReport } from './cosim.js';
import type { Metric } from './record.js';
import type { Job } from './regressJobs.js';
import type { ProveReport } from './prove.js';
import { lowbitCommand } from './shell.js';

/**
 * passed / failed (a check's verdict: a mismatch, a counterexample, a lint warning, a design that does
 * not fit) / error (no verdict: a tool failed or is missing, a time limit, a bad option) / skipped (not run:
 * --fail-fast stopped the run first).
 */
export type JobStatus = 'passed' | 'failed' | 'error' | 'skipped';

/** What one job came to: an entry of the run record's `jobs`. */
export interface JobResult {
  index: number;
  name: string;
  design: string;
  check: string;
  status: JobStatus;
  /** Whether the verdict came from the cache (a pass of an identical job in an earlier run). */
  cached: boolean;
  /** Wall time of the job in this run (0 for a cached one). */
  seconds: number;
  seed?: number;
  sim?: string;
  target?: string;
  /** The job's exit code (absent when it did not run here). */
  exitCode?: number;
  /** The job's output directory and log (for a cached job: the run that computed it). */
  dir?: string;
  log?: string;
  /** The command that runs the job again (absolute paths: works from any directory). */
  command: string;
  /** Why it failed: the first mismatch, the counterexample, the tool's message. */
  message?: string;
  /** For a cosim failure: the command that replays the first failure, and the VCD of that replay. */
  replay?: string;
  vcd?: string;
  /** The job's figures (its report's metrics). */
  metrics?: Metric[];
  key: string;
}

/** The name of a job's directory in a run: its index (sorted) and a readable part of its name. */
export const jobDirName = (j: Job): string => `${String(j.index).padStart(4, '0')}-${j.name.replace(/[^A-Za-z0-9_.=+-]+/g, '_').slice(0, 100)}`;

export const resultFile = (runDir: string, index: number): string => join(runDir, 'results', `${index}.json`);
const cacheFile = (key: string): string => join(cacheRoot(), 'regress', key.slice(0, 2), `${key}.json`);

/** A cached pass for this key, or undefined (a missing, unreadable or foreign entry is a miss). */
export function cachedResult(key: string): JobResult | undefined {
  const f = cacheFile(key);
  if (!existsSync(f)) return undefined;
  try {
    const r = JSON.parse(readFileSync(f, 'utf8')) as JobResult;
    return r.key === key && r.status === 'passed' ? r : undefined;
  } catch {
    return undefined;
  }
}

/** The last JSON object a job printed on stdout (its report), if any. */
function reportOf(stdout: string): Record<string, unknown> | undefined {
  const lines = stdout.trim().split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    if (!lines[i].startsWith('{')) continue;
    try {
      return JSON.parse(lines.slice(i).join('\n')) as Record<string, unknown>;
    } catch {
      // A line that only starts like JSON: keep looking.
    }
  }
  return undefined;
}

/** Why a job that ran did not pass, in one line, from its report. */
function failureMessage(check: string, r: Record<string, unknown> | undefined, logTail: string): string {
  if (r?.mismatch) return `MISMATCH at ${describeMismatch((r as unknown as CosimReport).mismatch!)}`;
  if (r?.violation) return `PROTOCOL VIOLATION at ${describeViolation((r as unknown as CosimReport).violation!)}`;
  if (check === 'prove' && r?.status) {
    const p = r as unknown as ProveReport;
    return p.status === 'counterexample' ? `counterexample after ${p.cycles} cycle(s): the RTL differs from the reference model (VCD: ${p.vcd})` : `proof ${p.status}${p.reason ? `: ${p.reason}` : ''}`;
  }
  const pnr = (r?.pnr as { fits?: boolean; problem?: string } | undefined);
  if (pnr && pnr.fits === false) return `does not fit: ${pnr.problem}`;
  if (typeof r?.error === 'string') return r.error.split('\n')[0];
  return logTail.split('\n').filter((l) => l.trim()).slice(-1)[0] ?? 'failed without a message';
}

/** Runs one job (unless the cache has its pass), writes its result file, returns it. */
export async function runJob(runDir: string, job: Job, key: string, o: { cache: boolean; signal?: AbortSignal }): Promise<JobResult> {
  const base = { index: job.index, name: job.name, design: job.design, check: job.check, seed: job.seed, sim: job.sim, target: job.target, command: lowbitCommand(job.argv), key };
  const hit = o.cache ? cachedResult(key) : undefined;
  let result: JobResult;
  if (hit) {
    result = { ...hit, ...base, cached: true, seconds: 0 };
  } else {
    const dir = join(runDir, 'jobs', jobDirName(job));
    mkdirSync(dir, { recursive: true });
    const log = join(dir, 'job.log');
    const t0 = performance.now();
    const run = spawnTool(process.execPath, [repoPath('bin', 'lowbit.mjs'), ...job.argv, '--out', dir, '--json'], { reject: false, stdin: 'ignore' });
    const stop = () => run.child.pid !== undefined && killGroup(run.child.pid);
    o.signal?.addEventListener('abort', stop, { once: true });
    const r = await run.child;
    o.signal?.removeEventListener('abort', stop);
    const seconds = (performance.now() - t0) / 1000;
    const stdout = String(r.stdout ?? '');
    const stderr = String(r.stderr ?? '');
    writeFileSync(log, `$ ${base.command} --out ${dir} --json\n${stderr}${stderr.endsWith('\n') || !stderr ? '' : '\n'}${stdout}`);
    const report = reportOf(stdout);
    const exitCode = typeof r.exitCode === 'number' ? r.exitCode : undefined;
    // A check's verdict is exit 1 with a report that is not an error's (no `kind`); anything else is no verdict.
    const verdict = exitCode === 1 && report !== undefined && report.kind === undefined;
    const status: JobStatus = exitCode === 0 && report?.ok === true ? 'passed' : verdict ? 'failed' : 'error';
    const killed = o.signal?.aborted ? 'stopped by --fail-fast after another job failed' : r.signal ? `killed by ${r.signal}` : undefined;
    result = {
      ...base, status, cached: false, seconds, exitCode, dir, log,
      metrics: Array.isArray(report?.metrics) ? (report.metrics as Metric[]) : undefined,
      ...(status === 'passed' ? {} : { message: killed ?? failureMessage(job.check, report, tailOf(stderr + stdout, 20)) }),
      ...(typeof report?.replay === 'string' ? { replay: report.replay } : {}),
      ...(typeof report?.vcd === 'string' ? { vcd: report.vcd } : {}),
    };
  }
  writeFileAtomic(resultFile(runDir, job.index), JSON.stringify(result, null, 2) + '\n');
  // The cache learns of a pass after the run has recorded it.
  if (!result.cached && result.status === 'passed' && o.cache) writeFileAtomic(cacheFile(key), JSON.stringify(result) + '\n');
  return result;
}

/** What a scheduler tells its caller as jobs go. */
export interface SchedulerEvents {
  onStart?: (job: Job) => void;
  onDone?: (result: JobResult) => void;
}

/**
 * Runs jobs on this machine, `concurrency` at a time, in order. With `failFast`, the first job that does
 * not pass stops the others (their process groups are killed) and the rest are skipped.
 */
export async function runLocal(runDir: string, jobs: { job: Job; key: string }[], o: SchedulerEvents & { concurrency: number; failFast: boolean; cache: boolean }): Promise<JobResult[]> {
  const results: JobResult[] = [];
  const stop = new AbortController();
  let next = 0;
  const worker = async () => {
    while (next < jobs.length && !stop.signal.aborted) {
      const { job, key } = jobs[next++];
      o.onStart?.(job);
      const r = await runJob(runDir, job, key, { cache: o.cache, signal: stop.signal });
      // A job stopped because another failed is not a verdict of its own.
      const final = r.status !== 'passed' && stop.signal.aborted && r.exitCode !== 0 ? { ...r, status: 'skipped' as const } : r;
      if (final !== r) writeFileAtomic(resultFile(runDir, job.index), JSON.stringify(final, null, 2) + '\n');
      results.push(final);
      o.onDone?.(final);
      if (o.failFast && (final.status === 'failed' || final.status === 'error')) stop.abort();
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency, jobs.length) }, worker));
  for (const { job, key } of jobs.slice(next)) {
    const r: JobResult = { index: job.index, name: job.name, design: job.design, check: job.check, seed: job.seed, sim: job.sim, target: job.target, status: 'skipped', cached: false, seconds: 0, command: lowbitCommand(job.argv), key, message: 'not run: --fail-fast stopped the run after a job failed' };
    results.push(r);
    o.onDone?.(r);
  }
  return results.sort((a, b) => a.index - b.index);
}
