// What lowbit leaves running or half written, and how it goes: every tool runs in its own process
// group (so make's and g++'s children go with Verilator), and temp files and directories being
// written are registered here. A time limit, Ctrl-C or TERM (cli/index.ts) kill the groups
// and remove the temps. A kill -9 cannot be handled in-process: a tiny watchdog shell, holding the
// read end of a pipe only this process writes to, kills the groups still listed when the pipe closes.

import { execa, type Options, type ResultPromise } from 'execa';
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { remainingMs } from './budget.js';

const groups = new Set<number>();
const temps = new Set<string>();

/** Kills a process group (its leader's pid); one that is gone already is fine. */
export function killGroup(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: every member has exited.
  }
}

// Reads "+<pgid>" / "-<pgid>" lines; at end of input (this process exited, however) kills what is left.
const WATCHDOG = `g=' '
while IFS= read -r l; do
  n=\${l#?}
  case $l in
    +*) g="$g$n " ;;
    -*) case $g in *" $n "*) g="\${g%% $n *} \${g#* $n }" ;; esac ;;
  esac
done
for n in $g; do kill -s KILL -- "-$n" 2>/dev/null; done`;

let watchdog: ChildProcess | undefined;
let watchdogFailed = false;

function tellWatchdog(line: string): void {
  if (watchdogFailed) return;
  if (!watchdog) {
    // Its own session: a Ctrl-C on the terminal must not take it down before it is needed.
    watchdog = spawn('sh', ['-c', WATCHDOG], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    watchdog.on('error', () => {
      watchdogFailed = true;
    });
    watchdog.stdin!.on('error', () => undefined);
    // Neither the watchdog nor its pipe keeps this process alive.
    watchdog.unref();
    (watchdog.stdin as unknown as { unref?: () => void }).unref?.();
  }
  watchdog.stdin!.write(line + '\n');
}

function trackGroup(pid: number): () => void {
  groups.add(pid);
  tellWatchdog(`+${pid}`);
  return () => {
    if (groups.delete(pid)) tellWatchdog(`-${pid}`);
  };
}

/** Registers a temp path to remove if the run is interrupted; returns the function that unregisters it. */
export function trackTemp(path: string): () => void {
  temps.add(path);
  return () => void temps.delete(path);
}

const stoppers = new Set<() => void>();

/**
 * Registers work to stop that is not a local process group (a Slurm job array: scancel); `stop` must
 * be synchronous. Returns the function that unregisters it.
 */
export function trackStop(stop: () => void): () => void {
  stoppers.add(stop);
  return () => void stoppers.delete(stop);
}

/** Kills every running tool's process group and removes every registered temp path (synchronous: safe in a signal handler). */
export function cleanUp(): void {
  for (const s of stoppers) {
    try {
      s();
    } catch {
      // Stopping is best effort: the rest must still be cleaned up.
    }
  }
  stoppers.clear();
  for (const pid of groups) killGroup(pid);
  groups.clear();
  for (const p of temps) rmSync(p, { recursive: true, force: true });
  temps.clear();
}

export interface Spawned<O extends Options> {
  child: ResultPromise<O>;
  /** Why lowbit stopped it, if it did: the run's time limit, or this process's own timeout. */
  stoppedBy(): 'time limit' | 'timeout' | undefined;
}

/**
 * Starts a tool in its own process group, stopped (the whole group, SIGKILL) when the run's time limit or
 * `timeoutMs` runs out, whichever is first. When the tool exits its group is killed too: nothing it
 * started outlives it.
 */
export function spawnTool<O extends Options>(command: string, args: string[], options: O, timeoutMs?: number): Spawned<O> {
  const child = execa(command, args, { ...options, detached: true }) as unknown as ResultPromise<O>;
  let stopped: 'time limit' | 'timeout' | undefined;
  const pid = child.pid;
  if (pid !== undefined) {
    const untrack = trackGroup(pid);
    const budget = remainingMs();
    const ms = Math.min(budget ?? Infinity, timeoutMs ?? Infinity);
    const timer = Number.isFinite(ms)
      ? setTimeout(() => {
          stopped = budget !== undefined && budget <= (timeoutMs ?? Infinity) ? 'time limit' : 'timeout';
          killGroup(pid);
        }, ms)
      : undefined;
    const done = () => {
      clearTimeout(timer);
      killGroup(pid);
      untrack();
    };
    child.then(done, done);
  }
  return { child, stoppedBy: () => stopped };
}
