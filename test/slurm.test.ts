// Slurm job arrays on a real one-node cluster (scripts/slurm/up.sh: Debian's slurm-wlm and munge on
// this machine): submitting, task states and exit codes, cancelling one task or the whole job,
// sbatch refusing. Where the cluster cannot run (not root, not Debian) every cluster test is skipped
// with the up script's reason; parsing scontrol's output is tested everywhere.
import { beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { arrayStates, cancel, SBATCH, clusterStatus, expandIndices, parseArrayStates, sbatchArgs, submitArray, waitForArray, type TaskStatus } from '../flows/tools/slurm.js';
import { ToolFailedError } from '../core/tool.js';
import { bringUpCluster } from './slurmCluster.js';
import { tmp } from './helpers.js';

// Lines as `scontrol show job 9 -o` prints them (22.05.8, fields cut short): tasks 0 and 2 running,
// 1 cancelled while running, 3 and 5 pending throttled (4 was cancelled while pending), and a
// finished array beside it.
const SAMPLE = [
  'JobId=9 ArrayJobId=9 ArrayTaskId=3,5%2 ArrayTaskThrottle=2 JobName=wrap UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901757 Nice=0 Account=(null) QOS=(null) JobState=PENDING Reason=JobArrayTaskLimit Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0 RunTime=00:00:00 TimeLimit=UNLIMITED Partition=lowbit WorkDir=/tmp StdOut=/dev/null Power= ',
  'JobId=12 ArrayJobId=9 ArrayTaskId=2 JobName=wrap UserId=root(0) GroupId=root(0) JobState=RUNNING Reason=None Dependency=(null) ExitCode=0:0 RunTime=00:00:01 NodeList=vm BatchHost=vm WorkDir=/tmp Power= ',
  'JobId=11 ArrayJobId=9 ArrayTaskId=1 JobName=wrap UserId=root(0) GroupId=root(0) JobState=CANCELLED Reason=None Dependency=(null) ExitCode=0:15 RunTime=00:00:01 WorkDir=/tmp Power= ',
  'JobId=10 ArrayJobId=9 ArrayTaskId=0 JobName=wrap UserId=root(0) GroupId=root(0) JobState=RUNNING Reason=None Dependency=(null) ExitCode=0:0 RunTime=00:00:01 WorkDir=/tmp Power= ',
].join('\n');

describe('scontrol show job -o parsing', () => {
  it('expands pending ranges (throttled, lists) and reads exit codes and signals of ended tasks only', () => {
    expect(parseArrayStates(SAMPLE)).toEqual([
      { index: 0, state: 'RUNNING' },
      { index: 1, state: 'CANCELLED', exitCode: 0, signal: 15 },
      { index: 2, state: 'RUNNING' },
      { index: 3, state: 'PENDING' },
      { index: 5, state: 'PENDING' },
    ]);
    const pending = 'JobId=20 ArrayJobId=20 ArrayTaskId=4-9%2 JobName=lowbit regress JobState=PENDING Reason=Resources ExitCode=0:0';
    const failed = 'JobId=23 ArrayJobId=20 ArrayTaskId=3 JobName=x JobState=FAILED Reason=NonZeroExitCode ExitCode=3:0';
    const killed = 'JobId=22 ArrayJobId=20 ArrayTaskId=0 JobName=x JobState=CANCELLED Reason=None ExitCode=0:9';
    expect(parseArrayStates([pending, failed, killed].join('\n'))).toEqual([
      { index: 0, state: 'CANCELLED', exitCode: 0, signal: 9 },
      { index: 3, state: 'FAILED', exitCode: 3 },
      ...[4, 5, 6, 7, 8, 9].map((index) => ({ index, state: 'PENDING' })),
    ]);
    // A pending range cancelled as a whole stays one line, every index CANCELLED.
    expect(parseArrayStates('JobId=9 ArrayJobId=9 ArrayTaskId=3-5%2 JobState=CANCELLED Reason=None ExitCode=0:0').map((t) => `${t.index} ${t.state}`)).toEqual(['3 CANCELLED', '4 CANCELLED', '5 CANCELLED']);
    // Not an array job: nothing.
    expect(parseArrayStates('JobId=7 JobName=wrap JobState=COMPLETED ExitCode=0:0\n')).toEqual([]);
    expect(expandIndices('0-10:5')).toEqual([0, 5, 10]);
    expect(() => expandIndices('3-x')).toThrow(/not an array task id/);
  });

  it('reads sbatch\'s version, Debian\'s and upstream\'s', () => {
    expect(SBATCH.version.pattern.exec('slurm-wlm 22.05.8')?.[1]).toBe('22.05.8');
    expect(SBATCH.version.pattern.exec('slurm 23.11.4')?.[1]).toBe('23.11.4');
  });

  it('builds sbatch arguments with absolute paths, the user arguments last before the script', () => {
    const args = sbatchArgs({ script: 'run.sh', tasks: 4, logDir: '/r/logs', jobName: 'lowbit-regress', cwd: '/r', partition: 'lowbit', extraArgs: ['--time=5', '--qos=low'], cpusPerTask: 2 });
    expect(args).toEqual(['--parsable', '--array=0-3', '--job-name=lowbit-regress', '--output=/r/logs/task-%a.out', '--chdir=/r', '--ntasks=1', '--cpus-per-task=2', '--partition=lowbit', '--time=5', '--qos=low', join(process.cwd(), 'run.sh')]);
    expect(() => sbatchArgs({ script: '/s', tasks: 0, logDir: '/l', jobName: 'j', cwd: '/' })).toThrow(/tasks >= 1/);
  });
});

describe('Slurm job arrays on the one-node cluster (scripts/slurm/up.sh)', () => {
  let skipReason: string | undefined;
  beforeAll(() => {
    const r = bringUpCluster();
    if (!r.ok) {
      skipReason = `no Slurm cluster here: ${r.reason}`;
      console.warn(`slurm.test.ts: skipping the cluster tests: ${skipReason}`);
    }
  });
  const needCluster = (ctx: TestContext) => {
    if (skipReason) ctx.skip(skipReason);
  };

  /** An executable bash script in a fresh directory. */
  function script(body: string): { dir: string; path: string } {
    const dir = tmp('slurm');
    const path = join(dir, 'task.sh');
    writeFileSync(path, `#!/bin/bash\nset -eu\n${body}\n`);
    chmodSync(path, 0o755);
    return { dir, path };
  }
  const submit = (s: { dir: string; path: string }, tasks: number, jobName: string) => submitArray({ script: s.path, tasks, logDir: join(s.dir, 'logs'), jobName, cwd: s.dir });
  const summary = (ts: TaskStatus[]) => ts.map((t) => `${t.index} ${t.state}${t.exitCode !== undefined ? ` exit ${t.exitCode}` : ''}${t.signal ? ` signal ${t.signal}` : ''}`);
  /** Polls until `ok` holds for the states (20 s at most). */
  async function until(jobId: string, ok: (s: TaskStatus[]) => boolean): Promise<TaskStatus[]> {
    const t0 = Date.now();
    for (;;) {
      const s = await arrayStates(jobId);
      if (ok(s)) return s;
      if (Date.now() - t0 > 20_000) throw new Error(`job ${jobId} never got there: ${summary(s).join(', ')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('answers, with sbatch version', async (ctx) => {
    needCluster(ctx);
    const st = await clusterStatus();
    expect(st).toMatchObject({ up: true });
    if (st.up) expect(st.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('runs a 3-task array: every task COMPLETED, each wrote its file in the working directory, its output in logDir', async (ctx) => {
    needCluster(ctx);
    const s = script('echo "task $SLURM_ARRAY_TASK_ID" > "out.$SLURM_ARRAY_TASK_ID"\necho "hello from $SLURM_ARRAY_TASK_ID"');
    const jobId = await submit(s, 3, 'lowbit-test-ok');
    expect(jobId).toMatch(/^\d+$/);
    const polls: TaskStatus[][] = [];
    const final = await waitForArray(jobId, { pollMs: 250, onPoll: (st) => polls.push(st) });
    expect(summary(final)).toEqual(['0 COMPLETED exit 0', '1 COMPLETED exit 0', '2 COMPLETED exit 0']);
    expect(polls.at(-1)).toEqual(final);
    for (const i of [0, 1, 2]) {
      expect(readFileSync(join(s.dir, `out.${i}`), 'utf8')).toBe(`task ${i}\n`);
      expect(readFileSync(join(s.dir, 'logs', `task-${i}.out`), 'utf8')).toBe(`hello from ${i}\n`);
    }
  });

  it('reports a task that exits 3 as FAILED with exit code 3, the others COMPLETED', async (ctx) => {
    needCluster(ctx);
    const s = script('echo "failing? $SLURM_ARRAY_TASK_ID" >&2\n[ "$SLURM_ARRAY_TASK_ID" != 1 ] || exit 3');
    const final = await waitForArray(await submit(s, 2, 'lowbit-test-fail'), { pollMs: 250 });
    expect(final).toEqual([
      { index: 0, state: 'COMPLETED', exitCode: 0 },
      { index: 1, state: 'FAILED', exitCode: 3 },
    ]);
    // stderr goes to the same per-task file.
    expect(readFileSync(join(s.dir, 'logs', 'task-1.out'), 'utf8')).toBe('failing? 1\n');
  });

  it('cancels one running task (cancel(jobId, 1)): CANCELLED, while the others complete', async (ctx) => {
    needCluster(ctx);
    const s = script('if [ "$SLURM_ARRAY_TASK_ID" = 1 ]; then sleep 300; fi\ntouch "done.$SLURM_ARRAY_TASK_ID"');
    const jobId = await submit(s, 3, 'lowbit-test-cancel1');
    await until(jobId, (st) => st.find((t) => t.index === 1)?.state === 'RUNNING');
    await cancel(jobId, 1);
    const final = await waitForArray(jobId, { pollMs: 250 });
    expect(summary(final)).toEqual(['0 COMPLETED exit 0', '1 CANCELLED exit 0 signal 15', '2 COMPLETED exit 0']);
    expect([0, 1, 2].map((i) => existsSync(join(s.dir, `done.${i}`)))).toEqual([true, false, true]);
    // Cancelling what has ended is fine; an id Slurm does not know is not.
    await cancel(jobId, 1);
    await expect(cancel('999999999')).rejects.toThrow(/scancel failed[\s\S]*Invalid job id/);
  });

  it('waitForArray aborted by its AbortSignal cancels the whole job and rejects with the reason', async (ctx) => {
    needCluster(ctx);
    const s = script('sleep 300');
    const jobId = await submit(s, 3, 'lowbit-test-abort');
    const ac = new AbortController();
    const reason = new Error('user pressed Ctrl-C');
    const waiting = waitForArray(jobId, {
      pollMs: 250,
      signal: ac.signal,
      onPoll: (st) => {
        if (st.some((t) => t.state === 'RUNNING')) ac.abort(reason);
      },
    });
    await expect(waiting).rejects.toBe(reason);
    const final = await until(jobId, (st) => st.every((t) => t.state === 'CANCELLED'));
    expect(final.map((t) => t.index)).toEqual([0, 1, 2]);
  });

  it('throws ToolFailedError with sbatch\'s message when sbatch refuses (a partition that does not exist)', async (ctx) => {
    needCluster(ctx);
    const s = script('true');
    const err = await submitArray({ script: s.path, tasks: 2, logDir: join(s.dir, 'logs'), jobName: 'lowbit-test-refused', cwd: s.dir, partition: 'no-such-partition' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolFailedError);
    expect((err as Error).message).toMatch(/sbatch \(Slurm\) failed[\s\S]*invalid partition[\s\S]*no-such-partition|no-such-partition[\s\S]*invalid partition/i);
    expect((err as Error).message).toContain(join(s.dir, 'logs', 'sbatch.log'));
  });
});
