// Lock files between lowbit processes (a cache entry being built, an output directory in use).
//
// A lock is a small JSON file naming its owner: pid, the process's start time (so a pid reused by an
// unrelated process does not keep a dead owner's lock alive), host and a random token. It is created
// with link(2) from a fully written temp file: link fails when the name exists (like O_EXCL) and,
// unlike open(O_EXCL) + write, nobody ever reads a half-written owner. A lock whose owner is dead is
// stale and taken over; the takeover itself is serialized by a second lock (`<lock>.break`) so two
// waiters can never both remove a lock and then each believe they removed the stale one.

import { linkSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { checkBudget } from './budget.js';

export interface LockOwner {
  pid: number;
  /** Start time of the process (clock ticks since boot, /proc/<pid>/stat field 22); absent off Linux. */
  start?: number;
  host: string;
  token: string;
  /** ms since the epoch when the lock was taken. */
  since: number;
}

const DAY_MS = 24 * 3600 * 1000;

/** Start time of a process from /proc, or undefined when there is no /proc or no such process. */
export function processStart(pid: number | 'self'): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const v = Number(fields[22 - 3]);
    return Number.isFinite(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

const SELF_START = processStart('self');

/** Whether a process with this pid (and, where known, this start time) is running on this host. */
export function pidAlive(pid: number, start?: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    // EPERM: it exists but belongs to another user.
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (start === undefined) return true;
  const now = processStart(pid);
  return now === undefined || now === start;
}

/** Whether the owner of a lock may still hold it. Owners on other hosts cannot be checked: trusted for a day. */
export function ownerAlive(o: LockOwner): boolean {
  if (o.host !== hostname()) return Date.now() - o.since < DAY_MS;
  return pidAlive(o.pid, o.start);
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const o = JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
    return typeof o.pid === 'number' && typeof o.token === 'string' ? o : undefined;
  } catch {
    return undefined;
  }
}

const newOwner = (): LockOwner => ({ pid: process.pid, start: SELF_START, host: hostname(), token: randomBytes(8).toString('hex'), since: Date.now() });

/** Creates `path` holding `owner` if it does not exist; false when it does. */
function tryCreate(path: string, owner: LockOwner): boolean {
  const tmp = `${path}.tmp-${process.pid}-${owner.token}`;
  writeFileSync(tmp, JSON.stringify(owner) + '\n');
  try {
    linkSync(tmp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * Removes the lock at `path` if its owner is dead (or the file is unreadable and older than a minute:
 * a lock is written before it is linked, so an unreadable one was damaged, not caught mid-write).
 * Returns true when the lock is gone afterwards.
 */
export function breakIfStale(path: string): boolean {
  const owner = readOwner(path);
  if (owner ? ownerAlive(owner) : !oldEnough(path, 60_000)) return false;
  const brk = `${path}.break`;
  const me = newOwner();
  if (!tryCreate(brk, me)) {
    // Someone else is breaking it; their break lock is only stale if they died within these few lines.
    const b = readOwner(brk);
    if (b ? !ownerAlive(b) : oldEnough(brk, 60_000)) rmSync(brk, { force: true });
    return false;
  }
  try {
    // Still the same stale lock? (Another waiter may have broken it and taken a fresh one meanwhile.)
    const again = readOwner(path);
    if (again?.token === owner?.token) rmSync(path, { force: true });
  } finally {
    rmSync(brk, { force: true });
  }
  return true;
}

function oldEnough(path: string, ms: number): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs > ms;
  } catch {
    return true;
  }
}

export interface Lock {
  path: string;
  owner: LockOwner;
  release(): void;
}

const held = new Map<string, Lock>();

// Locks still held when the process exits (an error path that skipped release) go with it. A killed
// process cannot run this; its locks are stale and the next run takes them over.
process.on('exit', () => {
  for (const l of [...held.values()]) l.release();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Locks held by this process, by path (for re-entrant use inside one command). */
export const heldLock = (path: string): Lock | undefined => held.get(path);

/**
 * Takes the lock at `path`, waiting while a live process holds it (`onWait` is told its owner once per
 * owner). Inside one process, callers for the same path queue behind each other.
 */
export async function acquireLock(path: string, onWait?: (owner: LockOwner) => void): Promise<Lock> {
  while (held.has(path)) await sleep(50);
  const me = newOwner();
  let told: string | undefined;
  let delay = 50;
  for (;;) {
    if (tryCreate(path, me)) break;
    const owner = readOwner(path);
    if (breakIfStale(path)) continue;
    if (owner && owner.token !== told && onWait) {
      told = owner.token;
      onWait(owner);
    }
    // Waiting counts against the run's time limit like any step.
    checkBudget(`waiting for another lowbit run${owner ? ` (pid ${owner.pid})` : ''} holding ${path}`);
    await sleep(delay);
    delay = Math.min(delay * 2, 500);
    // The queue inside this process may have been overtaken while we slept: keep it FIFO-ish and safe.
    while (held.has(path)) await sleep(50);
  }
  const lock: Lock = {
    path,
    owner: me,
    release() {
      if (held.get(path) !== lock) return;
      held.delete(path);
      // Only remove it if it is still ours (a takeover after a long stall would have replaced it).
      if (readOwner(path)?.token === me.token) rmSync(path, { force: true });
    },
  };
  held.set(path, lock);
  return lock;
}

/** Runs `body` holding the lock at `path`. */
export async function withLock<T>(path: string, body: () => Promise<T>, onWait?: (owner: LockOwner) => void): Promise<T> {
  const lock = await acquireLock(path, onWait);
  try {
    return await body();
  } finally {
    lock.release();
  }
}
