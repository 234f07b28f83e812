// Slurm (Debian `slurm-wlm`): regression jobs as a job array (`lowbit regress --scheduler slurm`).
// sbatch submits, scontrol reports every array task's state, scancel cancels, sinfo says whether a
// cluster answers. Arguments are arrays, never a shell string; a command that fails is a
// ToolFailedError with its exit code and output.
//
// Only sbatch has facts of its own (LOWBIT_SBATCH, the version gate, the install hint): squeue,
// scontrol, scancel and sinfo come from the same package, so they are taken from sbatch's directory
// when LOWBIT_SBATCH names one, else from PATH (slurmCommand). Slurm is not in TOOL_FACTS
// (flows/tools/registry.ts): `doctor` and run records list the tools every run needs, and most
// users never submit to a cluster; the regression runner reports Slurm's version itself
// (clusterStatus).
//
// The cluster the tests use is one node on this machine (scripts/slurm/up.sh). On a real cluster
// the script, the run directory, logDir and the cache must be on a filesystem every node shares.

import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { spawnTool } from '../../core/procs.js';
import { UsageError } from '../../core/errors.js';
import { checkVersion, defineTool, parseToolOutput, resolveTool, runTool, tailOf, ToolFailedError, ToolMissingError } from '../../core/tool.js';

/**
 * sbatch's facts. 22.05 (Debian bookworm's slurm-wlm 22.05.8) is the oldest lowbit is tested with:
 * parseArrayStates reads its `scontrol show job -o` lines and cancel its `scancel -v` messages
 * (`--parsable`, `--chdir` and `%a` in `--output` are much older). Its version output is
 * "slurm-wlm 22.05.8" (Debian) or "slurm 22.05.8" (upstream builds). Like every Slurm client it
 * needs the cluster's slurm.conf even for `--version`: without one it fails ("Could not establish a
 * configuration source"), a ToolFailedError with that message.
 */
export const SBATCH = defineTool({
  id: 'sbatch',
  name: 'sbatch (Slurm)',
  executable: 'sbatch',
  envVar: 'LOWBIT_SBATCH',
  version: { args: ['--version'], pattern: /^slurm(?:-wlm)? (\d+\.\d+(?:\.\d+)?)/m, minimum: '22.05' },
  install: 'apt-get install -y slurm-wlm munge',
  log: { warning: /^sbatch: warning:/i, error: /^sbatch: (?:error|fatal):/i },
});

/** The Slurm client commands besides sbatch, from sbatch's directory when LOWBIT_SBATCH names it. */
export type SlurmCommand = 'squeue' | 'scontrol' | 'scancel' | 'sinfo';

/** The command to run for `name`: beside LOWBIT_SBATCH's sbatch when that is set, else `name` from PATH. */
export function slurmCommand(name: SlurmCommand, env: NodeJS.ProcessEnv = process.env): string {
  const t = resolveTool(SBATCH, env);
  return t.kind === 'override' ? join(dirname(t.command), name) : name;
}

/**
 * Runs a Slurm client command (60 s at most) for its stdout. Failing is a ToolFailedError with its
 * output; so is an `error:` line on stderr when `errorLines` (scancel reports an unknown job id so
 * and still exits 0).
 */
async function slurm(name: SlurmCommand, args: string[], what: string, errorLines = false): Promise<string> {
  const command = slurmCommand(name);
  const run = spawnTool(command, args, { stdin: 'ignore', reject: false }, 60_000);
  const r = await run.child;
  if ((r as { code?: string }).code === 'ENOENT') throw new ToolMissingError(name, SBATCH.install);
  const out = String(r.stdout ?? '');
  const err = String(r.stderr ?? '');
  if (r.exitCode !== 0 || r.signal || run.stoppedBy() || (errorLines && /^\S+: (?:error|fatal):/m.test(err))) {
    const output = tailOf(`${err}\n${out}`.trim()) || '(no output)';
    throw new ToolFailedError(name, r.exitCode, output + (run.stoppedBy() ? '\n(stopped after 60 s)' : ''), '', `${what}: ${[command, ...args].join(' ')}`, r.signal);
  }
  return out;
}

export interface ArraySubmission {
  /** Path of an executable bash script; each array task runs it with SLURM_ARRAY_TASK_ID set. */
  script: string;
  /** Number of array tasks: indices 0..tasks-1. */
  tasks: number;
  /** Directory for the per-task stdout/stderr files: `${logDir}/task-%a.out` (create it). */
  logDir: string;
  jobName: string;
  partition?: string;
  /** Extra sbatch arguments given by the user (--slurm-arg), passed verbatim before the script. */
  extraArgs?: string[];
  /** CPUs per task (default 1). */
  cpusPerTask?: number;
  /** Working directory of the tasks (sbatch --chdir). */
  cwd: string;
  /** At most this many tasks at once (`--array=0-N%T`); absent: as many as the cluster runs. */
  throttle?: number;
}

/**
 * sbatch's arguments for a submission (paths made absolute: the tasks run in `cwd`). The user's
 * extra arguments come after lowbit's, so one of theirs overrides lowbit's (sbatch: the last wins).
 */
export function sbatchArgs(s: ArraySubmission): string[] {
  if (!Number.isInteger(s.tasks) || s.tasks < 1) throw new UsageError(`a Slurm job array needs a whole number of tasks >= 1, not ${s.tasks}`);
  const cpus = s.cpusPerTask ?? 1;
  if (!Number.isInteger(cpus) || cpus < 1) throw new UsageError(`CPUs per Slurm task must be a whole number >= 1, not ${cpus}`);
  return [
    '--parsable',
    `--array=0-${s.tasks - 1}${s.throttle !== undefined ? `%${s.throttle}` : ''}`,
    `--job-name=${s.jobName}`,
    `--output=${join(resolve(s.logDir), 'task-%a.out')}`,
    `--chdir=${resolve(s.cwd)}`,
    '--ntasks=1',
    `--cpus-per-task=${cpus}`,
    ...(s.partition ? [`--partition=${s.partition}`] : []),
    ...(s.extraArgs ?? []),
    resolve(s.script),
  ];
}

/** The job id in sbatch --parsable output ("123" or "123;cluster", after any warnings). */
export function parseJobId(out: string): string {
  const m = /^(\d+)(?:;\S*)?\s*$/m.exec(out);
  if (!m) throw new Error(`no job id in sbatch's output: ${JSON.stringify(tailOf(out, 3))}`);
  return m[1];
}

/**
 * Submits the array (sbatch --parsable --array=0-N ...), returns the Slurm job id. Throws
 * ToolFailedError (with sbatch's message) when sbatch refuses. sbatch's output goes to
 * `${logDir}/sbatch.log`.
 */
export async function submitArray(s: ArraySubmission): Promise<string> {
  const args = sbatchArgs(s);
  const logDir = resolve(s.logDir);
  // slurmd opens the task's output file before the script runs: the directory must exist.
  mkdirSync(logDir, { recursive: true });
  const logPath = join(logDir, 'sbatch.log');
  const r = await runTool({ tool: SBATCH, args, logPath, cwd: resolve(s.cwd), what: `submit ${s.jobName}`, timeoutMs: 120_000 });
  return parseToolOutput(SBATCH.name, logPath, 'submit', () => parseJobId(r.log));
}

export type TaskState = 'PENDING' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'TIMEOUT' | 'NODE_FAIL' | 'OUT_OF_MEMORY' | 'PREEMPTED' | string;
export interface TaskStatus {
  index: number;
  state: TaskState;
  /** The script's exit code, once the task has ended. */
  exitCode?: number;
  /** The signal that ended it (9, 15), when one did. */
  signal?: number;
}

/** States of a task that has not ended yet (the transient ones too: a requeued task runs again). */
const ACTIVE = new Set(['PENDING', 'RUNNING', 'CONFIGURING', 'COMPLETING', 'REQUEUED', 'RESIZING', 'SIGNALING', 'STAGE_OUT', 'SUSPENDED']);

/** Whether a task has not ended yet. */
export const isActive = (state: TaskState): boolean => ACTIVE.has(state);

/** Array indices of a task-id field: "2", "3-5", "4-9%2" (throttled), "1,3,6-8", "0-10:2". */
export function expandIndices(field: string): number[] {
  const out: number[] = [];
  for (const part of field.replace(/%\d+$/, '').split(',')) {
    const m = /^(\d+)(?:-(\d+)(?::(\d+))?)?$/.exec(part);
    if (!m) throw new Error(`not an array task id: ${JSON.stringify(field)}`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    const step = m[3] === undefined ? 1 : Number(m[3]);
    if (step < 1 || to < from || to - from > 1_000_000) throw new Error(`not an array task id: ${JSON.stringify(field)}`);
    for (let i = from; i <= to; i += step) out.push(i);
  }
  return out;
}

/** One field of a `scontrol show job -o` line (the first: JobName comes after ArrayTaskId and before JobState). */
const field = (line: string, key: string): string | undefined => new RegExp(`(?:^| )${key}=(\\S*)`).exec(line)?.[1];

/**
 * Every array task's state from `scontrol show job JOBID -o` output: one line per task that has
 * started, one for the pending rest (`ArrayTaskId=3-5`, `4-9%2` when throttled), expanded. Sorted by
 * index; lines without ArrayTaskId (not an array) are skipped.
 */
export function parseArrayStates(text: string): TaskStatus[] {
  const byIndex = new Map<number, TaskStatus>();
  for (const line of text.split('\n')) {
    const ids = field(line, 'ArrayTaskId');
    const state = field(line, 'JobState');
    if (!ids || !state) continue;
    const indices = expandIndices(ids);
    const ec = /^(\d+):(\d+)$/.exec(field(line, 'ExitCode') ?? '');
    for (const index of indices) {
      const t: TaskStatus = { index, state };
      if (!isActive(state) && ec) {
        t.exitCode = Number(ec[1]);
        if (Number(ec[2]) !== 0) t.signal = Number(ec[2]);
      }
      // A task with a line of its own wins over a range (one snapshot should not hold both).
      if (indices.length === 1 || !byIndex.has(index)) byIndex.set(index, t);
    }
  }
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

/**
 * Every array task's state (scontrol show job JOBID -o, one line per task; pending ranges expanded).
 * A job the controller no longer knows (finished more than MinJobAge ago, or a wrong id) is a
 * ToolFailedError with scontrol's message ("Invalid job id specified").
 */
export async function arrayStates(jobId: string): Promise<TaskStatus[]> {
  const out = await slurm('scontrol', ['show', 'job', jobId, '-o'], `states of job ${jobId}`);
  return parseToolOutput('scontrol', '', `show job ${jobId}`, () => parseArrayStates(out));
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((res, rej) => {
    if (signal?.aborted) return rej(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      rej(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      res();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Polls (every pollMs, default 1000) until no task is PENDING/RUNNING/CONFIGURING/COMPLETING (nor
 * in a transient state: REQUEUED, SUSPENDED ...), calling onPoll with the states each time; resolves
 * with the final states. If `signal` aborts, it scancels the whole job and rejects with the signal's
 * reason (or, when scancel fails, with scancel's ToolFailedError: the job may still run).
 */
export async function waitForArray(jobId: string, o: { pollMs?: number; onPoll?: (s: TaskStatus[]) => void; signal?: AbortSignal } = {}): Promise<TaskStatus[]> {
  const pollMs = o.pollMs ?? 1000;
  try {
    for (;;) {
      if (o.signal?.aborted) throw o.signal.reason;
      const states = await arrayStates(jobId);
      if (o.signal?.aborted) throw o.signal.reason;
      o.onPoll?.(states);
      if (!states.some((t) => isActive(t.state))) return states;
      await sleep(pollMs, o.signal);
    }
  } catch (e) {
    if (o.signal?.aborted) await cancel(jobId);
    throw e;
  }
}

/**
 * scancel JOBID or JOBID_INDEX. A task or job that has ended already is fine ("already completing
 * or completed"); an id the controller does not know is a ToolFailedError ("Invalid job id
 * specified": scancel exits 0 on it, its error line counts). A running task
 * cancelled this way stays listed as CANCELLED (signal 15); a pending one leaves the array's pending
 * range and is listed no more (22.05): callers that know the task count see it missing.
 */
export async function cancel(jobId: string, index?: number): Promise<void> {
  const id = index === undefined ? jobId : `${jobId}_${index}`;
  try {
    // -v: without it scancel says nothing about an unknown id (and exits 0 either way).
    await slurm('scancel', ['-v', id], `cancel ${id}`, true);
  } catch (e) {
    if (e instanceof ToolFailedError && /already completing or completed/i.test(e.tail)) return;
    throw e;
  }
}

/** Node states (sinfo %t, flags stripped) that take new work. */
const USABLE = new Set(['idle', 'mix', 'alloc', 'comp', 'resv', 'plnd']);

/**
 * Whether a cluster answers (sinfo exits 0 and lists a node that is not down): the reason when not.
 * `version` is sbatch's ("22.05.8"), version-gated.
 */
export async function clusterStatus(): Promise<{ up: true; version: string } | { up: false; reason: string }> {
  let out: string;
  try {
    out = await slurm('sinfo', ['-h', '-N', '-o', '%N %t'], 'list nodes');
  } catch (e) {
    return { up: false, reason: (e as Error).message };
  }
  const nodes = out.split('\n').map((l) => l.trim().split(/\s+/)).filter((f) => f.length === 2);
  if (nodes.length === 0) return { up: false, reason: 'sinfo lists no nodes (is slurmctld running? bash scripts/slurm/up.sh brings up a one-node cluster)' };
  // "*": not responding; other suffixes (~ powered off, # powering up, ! pending power down, % powering down, @ reboot, ^ rebooting) are not ready either.
  if (!nodes.some(([, st]) => USABLE.has(st) || (USABLE.has(st.slice(0, -1)) && /[-$]$/.test(st)))) {
    return { up: false, reason: `no node takes jobs: ${nodes.map(([n, st]) => `${n} ${st}`).join(', ')}` };
  }
  try {
    return { up: true, version: (await checkVersion(resolveTool(SBATCH))).version };
  } catch (e) {
    return { up: false, reason: (e as Error).message };
  }
}
