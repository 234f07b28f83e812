// The progress of a run of jobs (regress, sweep): a live block on a terminal (done / failed / running /
// queued, elapsed, ETA, the running jobs) and, for every job as it ends, one line (a failure: its first
// mismatch and the command that reproduces it).

import chalk from 'chalk';
import logUpdate from 'log-update';
import { failureText, jobLine } from '../api/regressReport.js';
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

