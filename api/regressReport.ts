// What a regression run leaves: its record (run.json in the run directory, and `lowbit regress --json`),
// JUnit XML as CI systems read it (a testsuite per design, a testcase per job, the first mismatch as the
// failure's message, the seed as a property), and a summary table for people.

import junitModule, { type Builder } from 'junit-report-builder';
import { textTable } from './table.js';
import type { RunRecord } from './record.js';
import type { JobResult } from './regressRunner.js';

/** Counts of a run's jobs by status. */
export interface JobCounts {
  total: number;
  passed: number;
  failed: number;
  errors: number;
  skipped: number;
  /** Of the passed: verdicts taken from the cache. */
  cached: number;
}

/** What `lowbit regress` returns: `--json`, and run.json in the run directory. */
export interface RegressReport extends RunRecord {
  suite: { file: string; name: string; sha256: string; seed: number };
  /** The run's own directory (job outputs, results/, run.json, junit.xml). */
  runDir: string;
  host: string;
  /** ISO 8601 time the run ended. */
  endedAt: string;
  scheduler: 'local' | 'slurm';
  /** Jobs run at once (local), or the array's throttle (Slurm; absent: no throttle). */
  concurrency?: number;
  slurm?: { jobId: string; version: string; partition?: string };
  /** --filter, --rerun-failed: what selected the jobs. */
  selection?: { filter?: string; rerunFailedFrom?: string; selected: number; of: number };
  counts: JobCounts;
  jobs: JobResult[];
  /** The JUnit XML written (always run-dir/junit.xml; --junit adds a copy). */
  junit: string[];
}

export function countJobs(jobs: JobResult[]): JobCounts {
  const n = (s: JobResult['status']) => jobs.filter((j) => j.status === s).length;
  return { total: jobs.length, passed: n('passed'), failed: n('failed'), errors: n('error'), skipped: n('skipped'), cached: jobs.filter((j) => j.cached).length };
}

/** JUnit XML: a testsuite per design, a testcase per job (classname = the design, name = the rest of the job's name). */
export function junitXml(r: Pick<RegressReport, 'suite' | 'jobs' | 'startedAt' | 'host'>): string {
  const builder = junitRoot.newBuilder();
  const designs = [...new Set(r.jobs.map((j) => j.design))];
  for (const design of designs) {
    const suite = builder.testSuite().name(design).timestamp(r.startedAt).property('suite', r.suite.file).property('host', r.host);
    for (const j of r.jobs.filter((x) => x.design === design)) {
      const tc = suite
        .testCase()
        .className(`${r.suite.name}.${design}`)
        .name(j.name.slice(design.length + 1))
        .time(j.seconds);
      if (j.seed !== undefined) tc.property('seed', String(j.seed));
      tc.property('command', j.command);
      tc.property('cached', String(j.cached));
      if (j.log) tc.property('log', j.log);
      if (j.vcd) tc.property('vcd', j.vcd);
      const details = [j.message, j.seed !== undefined ? `seed: ${j.seed}` : undefined, j.replay ? `replay: ${j.replay}` : `rerun: ${j.command}`, j.vcd ? `VCD: ${j.vcd}` : undefined, j.log ? `log: ${j.log}` : undefined]
        .filter(Boolean)
        .join('\n');
      if (j.status === 'failed') tc.failure(j.message ?? 'failed', j.check).stacktrace(details);
      else if (j.status === 'error') tc.error(j.message ?? 'error', j.check, details);
      else if (j.status === 'skipped') tc.skipped();
    }
  }
  return builder.build();
}

// The package is CommonJS whose module.exports is the builder; its types describe an ES default export.
const junitRoot = ((junitModule as unknown as { default?: Builder }).default ?? (junitModule as unknown as Builder)) as Builder;

const STATUS: Record<JobResult['status'], string> = { passed: 'PASS', failed: 'FAIL', error: 'ERROR', skipped: 'SKIP' };

/** One line per job, as plain output prints it when the job ends. */
export const jobLine = (j: JobResult): string =>
  `${STATUS[j.status].padEnd(5)} ${j.name}  ${j.cached ? '(cached)' : `${j.seconds.toFixed(1)} s`}${j.status !== 'passed' && j.message ? `  ${j.message}` : ''}`;

/** The lines that tell a person how to look at a failure: what, the seed, the command that reproduces it, the VCD, the log. */
export function failureText(j: JobResult): string {
  return [
    `${STATUS[j.status]} ${j.name}: ${j.message ?? ''}`,
    ...(j.seed !== undefined ? [`  seed: ${j.seed}`] : []),
    `  ${j.replay ? 'replay' : 'rerun'}: ${j.replay ?? j.command}`,
    ...(j.vcd ? [`  VCD: ${j.vcd}`] : []),
    ...(j.log ? [`  log: ${j.log}`] : []),
  ].join('\n');
}

/** The summary: per design, jobs by status and wall time; then the totals. */
export function summaryTable(r: Pick<RegressReport, 'jobs' | 'counts' | 'seconds'>): string {
  const designs = [...new Set(r.jobs.map((j) => j.design))];
  const rows = designs.map((d) => {
    const js = r.jobs.filter((j) => j.design === d);
    const c = countJobs(js);
    return [d, String(c.total), String(c.passed), String(c.failed), String(c.errors), String(c.skipped), String(c.cached), js.reduce((s, j) => s + j.seconds, 0).toFixed(1)];
  });
  const c = r.counts;
  return [
    textTable(['design', 'jobs', 'passed', 'failed', 'errors', 'skipped', 'cached', 'job s'], rows),
    '',
    `${c.passed} passed, ${c.failed} failed, ${c.errors} errors, ${c.skipped} skipped (${c.cached} from the cache) in ${r.seconds.toFixed(1)} s`,
  ].join('\n');
}
