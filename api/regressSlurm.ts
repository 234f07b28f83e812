// The Slurm scheduler of `lowbit regress`: the jobs the cache did not answer become one Slurm job array
// (sbatch --array), each array task runs its job through lowbit itself on the node (`lowbit regress-task
// RUN_DIR TASK`: the same runJob as the local scheduler, writing the same result file), and lowbit waits
// for the array, then reads the results. A task that ends without a result (cancelled, killed, its node
// lost) is reported as an error naming its Slurm state and log, never lost. The run directory and the
// cache must be on a filesystem the nodes share.

import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { writeFileAtomic } from '../core/fsutil.js';
import { trackStop } from '../core/procs.js';
import { repoPath } from '../core/paths.js';
import { checkVersion, resolveTool } from '../core/tool.js';
import { cancel, SBATCH, slurmCommand, submitArray, waitForArray, type TaskStatus } from '../flows/tools/slurm.js';
import type { Job } from './regressJobs.js';
import { resultFile, runJob, type JobResult, type SchedulerEvents } from './regressRunner.js';
import { lowbitCommand, shellWord } from './shell.js';

const TASKS = 'tasks.json';

/** sbatch's version (ToolMissingError with the install command when Slurm is not there). */
export async function slurmVersion(): Promise<string> {
  return (await checkVersion(resolveTool(SBATCH))).text.split('\n')[0];
}

interface JobsFile {
  cache: boolean;
  jobs: (Job & { key: string })[];
}

/** An array task's work, on the node: runs the task's jobs (one each) and writes their results. */
export async function runTask(runDir: string, task: number): Promise<JobResult[]> {
  const { cache, jobs } = JSON.parse(readFileSync(join(runDir, 'jobs.json'), 'utf8')) as JobsFile;
  const tasks = JSON.parse(readFileSync(join(runDir, 'slurm', TASKS), 'utf8')) as number[][];
  const mine = tasks[task];
  if (!mine) throw new Error(`task ${task} is not one of the ${tasks.length} tasks of ${runDir}`);
  const out: JobResult[] = [];
  for (const index of mine) {
    const j = jobs.find((x) => x.index === index)!;
    out.push(await runJob(runDir, j, j.key, { cache }));
  }
  return out;
}

const readResult = (runDir: string, index: number): JobResult | undefined => {
  const f = resultFile(runDir, index);
  if (!existsSync(f)) return undefined;
  try {
    return JSON.parse(readFileSync(f, 'utf8')) as JobResult;
  } catch {
    return undefined;
  }
};

/** Runs jobs as a Slurm array and collects their results (in the order of `jobs`). */
export async function runSlurm(
  runDir: string,
  jobs: { job: Job; key: string }[],
  o: SchedulerEvents & { throttle?: number; failFast: boolean; partition?: string; slurmArgs: string[]; chunk?: number },
): Promise<{ jobId: string; results: JobResult[] }> {
  const dir = join(runDir, 'slurm');
  mkdirSync(dir, { recursive: true });
  // Task t runs jobs [t*chunk, (t+1)*chunk) of the list, one after another: short jobs pay Slurm's
  // per-task start-up once per chunk instead of once each.
  const chunk = o.chunk ?? 1;
  const taskOf = (i: number) => Math.floor(i / chunk);
  const tasks = Array.from({ length: Math.ceil(jobs.length / chunk) }, (_, t) => jobs.slice(t * chunk, (t + 1) * chunk).map(({ job }) => job.index));
  writeFileAtomic(join(dir, TASKS), JSON.stringify(tasks) + '\n');
  const script = join(dir, 'task.sh');
  writeFileAtomic(script, `#!/bin/bash\n# One array task of a lowbit regress run: its job(s), through lowbit itself.\nexec ${[process.execPath, repoPath('bin', 'lowbit.mjs'), 'regress-task', runDir].map(shellWord).join(' ')} "$SLURM_ARRAY_TASK_ID"\n`);
  chmodSync(script, 0o755);
  const jobId = await submitArray({
    script, tasks: tasks.length, logDir: dir, jobName: 'lowbit-regress', partition: o.partition, extraArgs: o.slurmArgs, cwd: runDir, throttle: o.throttle,
  });
  const started = new Set<number>();
  const done = new Map<number, JobResult>();
  let stopping = false;
  const poll = (states: TaskStatus[]) => {
    const running = new Set(states.filter((t) => t.state !== 'PENDING').map((t) => t.index));
    jobs.forEach((j, i) => {
      if (done.has(i)) return;
      const r = readResult(runDir, j.job.index);
      // A task runs its jobs in order: a job has started when its task runs and the jobs before it in the task are done.
      const first = taskOf(i) * chunk;
      const turn = running.has(taskOf(i)) && Array.from({ length: i - first }, (_, k) => first + k).every((x) => done.has(x));
      if (!started.has(i) && (r || turn)) {
        started.add(i);
        o.onStart?.(j.job);
      }
      if (!r) return;
      done.set(i, r);
      o.onDone?.(r);
      if (o.failFast && !stopping && (r.status === 'failed' || r.status === 'error')) {
        stopping = true;
        // If scancel fails the tasks run to their end and report their own verdicts (an unhandled
        // rejection here would end the whole run).
        cancel(jobId).catch(() => undefined);
      }
    });
  };
  // Ctrl-C or TERM: the array is cancelled with the run (scancel, synchronously, from the signal handler).
  const untrack = trackStop(() => void spawnSync(slurmCommand('scancel'), [jobId], { stdio: 'ignore', timeout: 10_000 }));
  let final: TaskStatus[];
  try {
    final = await waitForArray(jobId, { onPoll: poll });
  } catch (e) {
    // Failing to watch the array (scontrol failing): the run ends with the error, and its array with it.
    await cancel(jobId).catch(() => undefined);
    throw e;
  } finally {
    untrack();
  }
  poll(final);
  const results = jobs.map(({ job, key }, i): JobResult => {
    const r = done.get(i) ?? readResult(runDir, job.index);
    if (r) return r;
    const task = taskOf(i);
    const s = final.find((x) => x.index === task);
    // A pending task cancelled on its own is no longer listed by Slurm at all.
    const state = s?.state ?? 'CANCELLED';
    const skipped = stopping && (state === 'CANCELLED' || state === 'PENDING');
    const lost: JobResult = {
      index: job.index, name: job.name, design: job.design, check: job.check, seed: job.seed, sim: job.sim, target: job.target,
      status: skipped ? 'skipped' : 'error', cached: false, seconds: 0, command: lowbitCommand(job.argv), key,
      log: join(dir, `task-${task}.out`),
      message: skipped
        ? 'not run: --fail-fast cancelled the array after a job failed'
        : `Slurm array task ${jobId}_${task} ended ${state}${s?.exitCode !== undefined ? ` (exit ${s.exitCode}${s.signal ? `, signal ${s.signal}` : ''})` : ''} without a result; its log: ${join(dir, `task-${task}.out`)}`,
    };
    writeFileAtomic(resultFile(runDir, job.index), JSON.stringify(lost, null, 2) + '\n');
    o.onDone?.(lost);
    return lost;
  });
  return { jobId, results };
}
