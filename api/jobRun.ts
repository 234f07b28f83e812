// Running a set of jobs as one run: what `lowbit regress` and `lowbit sweep` share. Cache keys (lowbit's
// build, the tools, the family modules, each job's RTL and command line), a run directory of its own
// under the runs directory (jobs.json, results/, jobs/, junit.xml, run.json), verdicts the cache holds
// taken at once, the rest run on this machine or as a Slurm array, and the run record.

import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../core/fsutil.js';
import { repoPath } from '../core/paths.js';
import { VERSION } from '../core/version.js';
import { UsageError } from '../core/errors.js';
import { availableParallelism } from 'node:os';
import { intOption, oneOf, type Numeric } from './options.js';
import { doctor } from './doctor.js';
import { RUN_RECORD } from './record.js';
import { jobKey, type Job } from './regressJobs.js';
import { countJobs, junitXml, type RegressReport } from './regressReport.js';
import { cachedResult, resultFile, runLocal, type JobResult, type SchedulerEvents } from './regressRunner.js';
import { runSlurm, slurmVersion } from './regressSlurm.js';
import type { ToolUse } from './tools.js';

/** Digest of the code a job runs (lowbit's build, templates, shared RTL, harnesses): a dev checkout changes it without a version bump. */
let buildDigest: string | undefined;
function lowbitBuild(): string {
  if (buildDigest) return buildDigest;
  const h = createHash('sha256');
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(js|hbs|v|sv|cpp|h|mjs)$/.test(e.name)) h.update(p.slice(repoPath().length)).update(readFileSync(p));
    }
  };
  for (const d of ['dist', 'templates', 'hw', 'testbenches', 'bin']) walk(repoPath(d));
  return (buildDigest = h.digest('hex'));
}

/** Digest of the family modules a user loads (LOWBIT_FAMILIES): their golden models decide verdicts. */
function familiesDigest(): string {
  const list = (process.env.LOWBIT_FAMILIES ?? '').split(/[,:]/).filter(Boolean);
  const h = createHash('sha256');
  for (const f of list) {
    h.update(f);
    try {
      if (statSync(resolve(f)).isFile()) h.update(readFileSync(resolve(f)));
    } catch {
      // A package name rather than a file: its name stands for it.
    }
  }
  return h.digest('hex');
}

const runId = (): string => `${new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}-${randomBytes(3).toString('hex')}`;

/** The job-running options regress and sweep take (the flags of cli/jobOptions.ts, in camelCase). */
export interface SchedulerOptions {
  jobs?: Numeric;
  scheduler?: string;
  partition?: string;
  slurmArgs?: string[];
  slurmChunk?: Numeric;
  cache?: boolean;
}

/** Those options checked (UsageError naming the option), as runJobs takes them. */
export function schedulerOptions(o: SchedulerOptions): Pick<JobRun, 'concurrency' | 'throttle' | 'scheduler' | 'chunk' | 'cache' | 'partition' | 'slurmArgs'> {
  const concurrency = intOption('jobs', o.jobs, 1, 1024, availableParallelism());
  const scheduler = oneOf('scheduler', o.scheduler ?? 'local', ['local', 'slurm'] as const);
  if (scheduler !== 'slurm' && (o.partition !== undefined || (o.slurmArgs ?? []).length || o.slurmChunk !== undefined)) throw new UsageError(`--partition, --slurm-arg and --slurm-chunk need --scheduler slurm`);
  const chunk = intOption('slurm-chunk', o.slurmChunk, 1, 1000, 1);
  // With Slurm, -j is the array's throttle only when given.
  return { concurrency, throttle: o.jobs !== undefined ? concurrency : undefined, scheduler, chunk, cache: o.cache !== false, partition: o.partition, slurmArgs: o.slurmArgs ?? [] };
}

/** A run of jobs: what the command decided (options already checked) and whom to tell as jobs go. */
export interface JobRun extends SchedulerEvents {
  jobs: Job[];
  command: 'regress' | 'sweep';
  /** What the jobs came from: a suite file, or a sweep (its file, or the command line). */
  suite: RegressReport['suite'];
  inputs: { path: string; sha256: string }[];
  runsDir: string;
  scheduler: 'local' | 'slurm';
  concurrency: number;
  /** Slurm: the array's throttle (undefined: none). */
  throttle?: number;
  chunk: number;
  failFast: boolean;
  cache: boolean;
  partition?: string;
  slurmArgs: string[];
  junitCopy?: string;
  argv?: string[];
  selection?: RegressReport['selection'];
  /** When the command started (for the record's wall time). */
  t0: number;
  startedAt: string;
  onPlan?: (p: { total: number; cached: number; toRun: number; runDir: string }) => void;
}

/** Runs the jobs (cached verdicts taken, the rest scheduled) and writes the run's directory and record. */
export async function runJobs(o: JobRun): Promise<RegressReport> {
  const slurm = o.scheduler === 'slurm' ? await slurmVersion() : undefined;

  // What decides a verdict besides the job itself: the tools (version and path) and lowbit's build.
  const statuses = await doctor();
  const tools: ToolUse[] = statuses.filter((t) => t.version !== undefined).map((t) => ({ name: t.tool, version: t.version!, path: t.path ?? '' }));
  const context = { build: lowbitBuild(), tools: JSON.stringify(tools), families: familiesDigest() };
  const keyed = o.jobs.map((job) => ({ job, key: jobKey(job, context) }));

  const runDir = join(o.runsDir, runId());
  mkdirSync(join(runDir, 'results'), { recursive: true });
  writeFileAtomic(join(runDir, 'jobs.json'), JSON.stringify({ suite: o.suite.file, cache: o.cache, jobs: keyed.map(({ job, key }) => ({ ...job, key })) }, null, 2) + '\n');

  // Verdicts the cache holds are taken here: only the others go to the scheduler.
  const results: JobResult[] = [];
  const toRun: { job: Job; key: string }[] = [];
  for (const k of keyed) {
    const hit = o.cache ? cachedResult(k.key) : undefined;
    if (!hit) {
      toRun.push(k);
      continue;
    }
    const r: JobResult = { ...hit, index: k.job.index, name: k.job.name, design: k.job.design, cached: true, seconds: 0 };
    writeFileAtomic(resultFile(runDir, k.job.index), JSON.stringify(r, null, 2) + '\n');
    results.push(r);
  }
  o.onPlan?.({ total: keyed.length, cached: results.length, toRun: toRun.length, runDir });
  for (const r of results) o.onDone?.(r);
  let slurmJob: RegressReport['slurm'];
  if (o.scheduler === 'local') {
    results.push(...(await runLocal(runDir, toRun, { concurrency: o.concurrency, failFast: o.failFast, cache: o.cache, onStart: o.onStart, onDone: o.onDone })));
  } else if (toRun.length) {
    const s = await runSlurm(runDir, toRun, { throttle: o.throttle, failFast: o.failFast, partition: o.partition, slurmArgs: o.slurmArgs, chunk: o.chunk, onStart: o.onStart, onDone: o.onDone });
    results.push(...s.results);
    slurmJob = { jobId: s.jobId, version: slurm!, partition: o.partition };
  }
  results.sort((a, b) => a.index - b.index);

  const counts = countJobs(results);
  const seconds = (performance.now() - o.t0) / 1000;
  const base = { suite: o.suite, jobs: results, startedAt: o.startedAt, host: hostname() };
  const junit = join(runDir, 'junit.xml');
  const xml = junitXml(base);
  writeFileAtomic(junit, xml);
  if (o.junitCopy) writeFileAtomic(o.junitCopy, xml);
  const record = join(runDir, RUN_RECORD);
  const metric = (name: string, value: number) => ({ name, value, unit: 'jobs', source: record });
  const report: RegressReport = {
    ok: counts.failed === 0 && counts.errors === 0 && counts.skipped === 0,
    command: o.command,
    argv: o.argv,
    lowbit: VERSION,
    tools,
    inputs: o.inputs,
    metrics: [metric('jobs', counts.total), metric('jobs_passed', counts.passed), metric('jobs_failed', counts.failed), metric('jobs_errors', counts.errors), metric('jobs_skipped', counts.skipped), metric('jobs_cached', counts.cached)],
    steps: [],
    seconds,
    ...base,
    runDir,
    endedAt: new Date().toISOString(),
    scheduler: o.scheduler,
    concurrency: o.scheduler === 'local' ? o.concurrency : o.throttle,
    ...(slurmJob ? { slurm: slurmJob } : {}),
    ...(o.selection ? { selection: o.selection } : {}),
    counts,
    junit: [junit, ...(o.junitCopy ? [o.junitCopy] : [])],
  };
  writeFileAtomic(record, JSON.stringify(report, null, 2) + '\n');
  return report;
}
