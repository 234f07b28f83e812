// What the commands that run jobs (regress, sweep) share on the command line: the job-running flags
// (-j, --no-cache, --runs-dir, --scheduler and Slurm's), their values as API options, and the progress
// display wired to the run's events.

import { Command, Option } from 'commander';
import { Display } from './display.js';
import type { Out } from './common.js';
import type { JobResult, SchedulerEvents } from '../api/regressRunner.js';
import type { Job } from '../api/regressJobs.js';

/** Adds the job-running flags to a command. */
export function jobRunFlags(cmd: Command): Command {
  return cmd
    .option('-j, --jobs <n>', 'jobs at once (default: the machine\'s cores; with slurm: the array\'s throttle)')
    .option('--no-cache', 'recompute every job (default: a pass of an identical job is reused)')
    .option('--runs-dir <dir>', 'where run directories go', 'lowbit-runs')
    .addOption(new Option('--scheduler <name>', 'where jobs run').choices(['local', 'slurm']).default('local'))
    .option('--partition <p>', 'Slurm partition (default: the cluster\'s default)')
    .option('--slurm-chunk <n>', 'jobs per Slurm array task, run one after another (default 1; more for many short jobs)')
    .option('--slurm-arg <arg>', 'extra sbatch argument, verbatim (repeat for several)', (v: string, prev: string[] = []) => [...prev, v]);
}

/** The job-running flags' values, as the API takes them. */
export function jobRunValues(opts: Record<string, unknown>) {
  return {
    jobs: opts.jobs as string | undefined,
    cache: opts.cache !== false,
    runsDir: opts.runsDir as string,
    scheduler: opts.scheduler as string,
    partition: opts.partition as string | undefined,
    slurmArgs: (opts.slurmArg as string[] | undefined) ?? [],
    slurmChunk: opts.slurmChunk as string | undefined,
  };
}

type Events = SchedulerEvents & { onNote: (t: string) => void; onPlan: (p: { total: number; cached: number; toRun: number; runDir: string }) => void };

/**
 * Runs `body` with the run's events feeding a progress display: a live block on a sized terminal,
 * plain lines otherwise (on stderr under --json); the display is stopped however `body` ends.
 */
export async function withProgress<T>(json: boolean, out: Out, body: (events: Events) => Promise<T>): Promise<T> {
  // A terminal that reports no size, as some pseudo-terminals do, gets the plain lines: nothing to redraw in.
  const live = !json && !!process.stdout.isTTY && (process.stdout.rows ?? 0) > 0;
  const display = new Display(live, (s) => (json ? process.stderr.write(s) : process.stdout.write(s)));
  try {
    return await body({
      onNote: (t) => out.note(t),
      onPlan: (p) => display.plan(p),
      onStart: (j: Job) => display.start(j),
      onDone: (r: JobResult) => display.end(r),
    });
  } finally {
    display.stop();
  }
}
