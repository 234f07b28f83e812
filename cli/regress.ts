// `lowbit regress SUITE`: the suite's jobs with a live display on a terminal (done / failed / running /
// queued, elapsed, ETA) and one line per job otherwise (CI logs); every failure prints its first
// mismatch and the command that reproduces it as it happens, and again under the summary.
// `lowbit regress-task` (not listed) is what a Slurm array task runs on its node.

import { Command, Option } from 'commander';
import chalk from 'chalk';
import logUpdate from 'log-update';
import { Out, commandLine, guarded, JSON_HELP } from './common.js';
import { regress, type RegressOptions } from '../api/regress.js';
import { failureText, jobLine, summaryTable } from '../api/regressReport.js';
import { runTask } from '../api/regressSlurm.js';
import type { Job } from '../api/regressJobs.js';
import type { JobResult } from '../api/regressRunner.js';

const clock = (s: number): string => (s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}s`);

/** Progress of a run: a live block on a terminal, plain lines elsewhere. */
export class Display {
  private total = 0;
  private toRun = 0;
  private done: JobResult[] = [];
  private running = new Map<number, { job: Job; t0: number }>();
  private readonly t0 = performance.now();
  private timer?: NodeJS.Timeout;
  constructor(private readonly live: boolean, private readonly write: (s: string) => void) {}

  plan(p: { total: number; cached: number; toRun: number; runDir: string }): void {
    this.total = p.total;
    this.toRun = p.toRun;
    this.print(`run directory: ${p.runDir}\n${p.total} job(s): ${p.cached} from the cache, ${p.toRun} to run`);
    if (this.live) this.timer = setInterval(() => this.render(), 500);
  }
  start(job: Job): void {
    this.running.set(job.index, { job, t0: performance.now() });
    this.render();
  }
  end(r: JobResult): void {
    this.running.delete(r.index);
    this.done.push(r);
    // Failures print how to reproduce them right away; passes scroll by as one line each.
    this.print(r.status === 'failed' || r.status === 'error' ? chalk.red(failureText(r)) : r.status === 'skipped' ? chalk.dim(jobLine(r)) : jobLine(r));
  }
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.live) logUpdate.clear();
  }

  private print(text: string): void {
    if (this.live) logUpdate.clear();
    this.write(text + '\n');
    this.render();
  }
  private render(): void {
    if (!this.live || this.total === 0) return;
    const elapsed = (performance.now() - this.t0) / 1000;
    const ran = this.done.filter((r) => !r.cached && r.status !== 'skipped');
    const failed = this.done.filter((r) => r.status === 'failed' || r.status === 'error').length;
    const queued = this.total - this.done.length - this.running.size;
    // ETA: the mean wall time of a job that ran, over the jobs left, at the concurrency seen so far.
    const left = this.toRun - ran.length;
    const width = Math.max(1, this.running.size);
    const eta = ran.length ? (ran.reduce((s, r) => s + r.seconds, 0) / ran.length) * (left / width) : undefined;
    const head = `${this.done.length}/${this.total} done · ${failed ? chalk.red(`${failed} failed`) : '0 failed'} · ${this.running.size} running · ${queued} queued · ${clock(elapsed)} elapsed${eta !== undefined && left > 0 ? ` · ETA ${clock(eta)}` : ''}`;
    const rows = [...this.running.values()].slice(0, 8).map(({ job, t0 }) => `  ${chalk.dim(clock((performance.now() - t0) / 1000))} ${job.name}`);
    logUpdate([head, ...rows].join('\n'));
  }
}

export function regressCommand(): Command {
  return new Command('regress')
    .description('run a suite file (YAML or JSON): every (design, check, seed, simulator) is a job; parallel, cached, one run directory per run, JUnit for CI')
    .argument('[suite]', 'the suite file (schema: schema/suite.schema.json); with --rerun-failed, defaults to the earlier run\'s')
    .option('-j, --jobs <n>', 'jobs at once (default: the machine\'s cores; with slurm: the array\'s throttle)')
    .option('--filter <pattern>', 'run only the jobs whose names match (* and ? wildcards; without them, a substring)')
    .option('--fail-fast', 'stop at the first job that fails (running jobs are stopped, the rest skipped)')
    .option('--no-cache', 'recompute every job (default: a pass of an identical job is reused)')
    .option('--runs-dir <dir>', 'where run directories go', 'lowbit-runs')
    .option('--junit <file>', 'also write the JUnit XML here (always in the run directory)')
    .option('--rerun-failed', 'run only the jobs that failed in the last run of this suite (or in --from)')
    .option('--from <run.json>', 'the run record whose failed jobs --rerun-failed runs')
    .option('--seed <s>', 'seed the per-job seeds are derived from (default: the suite\'s seed, else 1)')
    .addOption(new Option('--scheduler <name>', 'where jobs run').choices(['local', 'slurm']).default('local'))
    .option('--partition <p>', 'Slurm partition (default: the cluster\'s default)')
    .option('--slurm-chunk <n>', 'jobs per Slurm array task, run one after another (default 1; more for many short jobs)')
    .option('--slurm-arg <arg>', 'extra sbatch argument, verbatim (repeat for several)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--json', JSON_HELP)
    .action((suite: string | undefined, opts: Record<string, unknown>) =>
      guarded(!!opts.json, async () => {
        const out = new Out(!!opts.json);
        // On a terminal the live display; under --json or in a log, plain lines on stderr.
        // (A terminal that reports no size, as some pseudo-terminals do, gets the plain lines: nothing to redraw in.)
        const live = !opts.json && !!process.stdout.isTTY && (process.stdout.rows ?? 0) > 0;
        const display = new Display(live, (s) => (opts.json ? process.stderr.write(s) : process.stdout.write(s)));
        const o: RegressOptions = {
          suite,
          jobs: opts.jobs as string | undefined,
          filter: opts.filter as string | undefined,
          failFast: !!opts.failFast,
          cache: opts.cache !== false,
          runsDir: opts.runsDir as string,
          junit: opts.junit as string | undefined,
          rerunFailed: !!opts.rerunFailed,
          from: opts.from as string | undefined,
          seed: opts.seed as string | undefined,
          scheduler: opts.scheduler as string,
          partition: opts.partition as string | undefined,
          slurmArgs: (opts.slurmArg as string[] | undefined) ?? [],
          slurmChunk: opts.slurmChunk as string | undefined,
          argv: commandLine(),
          onNote: (t) => out.note(t),
          onPlan: (p) => display.plan(p),
          onStart: (j) => display.start(j),
          onDone: (r) => display.end(r),
        };
        let r;
        try {
          r = await regress(o);
        } finally {
          display.stop();
        }
        const failures = r.jobs.filter((j) => j.status === 'failed' || j.status === 'error');
        const text = [
          '',
          summaryTable(r),
          ...(failures.length ? ['', chalk.red(`${failures.length} job(s) did not pass:`), ...failures.map(failureText)] : []),
          '',
          `run record: ${r.runDir}/run.json`,
          `JUnit: ${r.junit.join(', ')}`,
        ].join('\n');
        if (opts.json) out.note(text);
        else out.say(text);
        out.result(r);
        return r.ok ? 0 : 1;
      }),
    );
}

/** What a Slurm array task runs: its job(s) of a run, results written into the run directory. */
export function regressTaskCommand(): Command {
  return new Command('regress-task')
    .description('(internal) run one array task of a lowbit regress run on a Slurm node')
    .argument('<run-dir>')
    .argument('<task>')
    .action((runDir: string, task: string) =>
      guarded(false, async () => {
        const results = await runTask(runDir, Number(task));
        for (const r of results) process.stdout.write(jobLine(r) + '\n');
        return 0;
      }),
    );
}
