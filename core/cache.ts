// Content-addressed cache of tool outputs (Verilator builds).
//
// A build stages its inputs first: the sources are copied into the build's own temp directory and the
// key is the hash of those copies (plus tool version and flags), and the tool reads only the copies. So
// an entry always holds what its key says, whatever happens to the original files meanwhile.
//
// One process builds a key at a time (a lock per key; the others wait, then use the entry). An entry is
// built in a temp directory, gets its manifest (entry.json: every file and its size) written last and
// is renamed into place; a hit is trusted only when the manifest matches what is on disk, else the entry
// is rebuilt. Temp directories of dead processes (and any older than a day) are swept when a kind is used.

import { createHash, randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { UsageError } from './errors.js';
import { writeFileAtomic } from './fsutil.js';
import { breakIfStale, pidAlive, withLock } from './lock.js';
import { trackTemp } from './procs.js';

export const MANIFEST = 'entry.json';
const DAY_MS = 24 * 3600 * 1000;

/** The cache directory (absolute: tools run with other working directories), created if missing. */
export function cacheRoot(): string {
  const given = process.env.LOWBIT_CACHE;
  const root = given ? resolve(given) : join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'lowbit');
  const what = given ? `LOWBIT_CACHE must name a directory (or where one can be created), not ${JSON.stringify(given)}` : `the cache directory ${root} (set LOWBIT_CACHE to use another)`;
  try {
    mkdirSync(root, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' ? `${root} is a file` : code === 'ENOTDIR' ? `a parent of ${root} is a file` : (e as Error).message;
    throw new UsageError(`${what}: ${why}`);
  }
  if (!statSync(root).isDirectory()) throw new UsageError(`${what}: ${root} is a file, not a directory`);
  return root;
}

export function hashOf(parts: (string | Uint8Array)[]): string {
  const h = createHash('sha256');
  for (const p of parts) {
    h.update(String(typeof p === 'string' ? p.length : p.byteLength));
    h.update(':');
    h.update(p);
  }
  return h.digest('hex');
}

export interface ManifestFile {
  path: string;
  size: number;
  executable?: boolean;
}

export interface Manifest {
  kind: string;
  key: string;
  created: string;
  files: ManifestFile[];
}

/** Every regular file under `dir`, relative to it. */
function filesUnder(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...filesUnder(dir, p));
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function writeManifest(dir: string, kind: string, key: string): void {
  const files = filesUnder(dir).map((p): ManifestFile => {
    const abs = join(dir, p);
    return { path: p, size: statSync(abs).size, ...(isExecutable(abs) ? { executable: true } : {}) };
  });
  const m: Manifest = { kind, key, created: new Date().toISOString(), files };
  writeFileAtomic(join(dir, MANIFEST), JSON.stringify(m, null, 1) + '\n');
}

/** Why the entry at `dir` cannot be trusted, or undefined when it is complete. */
export function entryDamage(dir: string, key: string, required: string[] = []): string | undefined {
  let m: Manifest;
  try {
    m = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as Manifest;
  } catch {
    return `${MANIFEST} is missing or unreadable`;
  }
  if (m.key !== key) return `${MANIFEST} names key ${String(m.key).slice(0, 24)}`;
  for (const r of required) if (!m.files?.some((f) => f.path === r)) return `${r} is not in ${MANIFEST}`;
  for (const f of m.files ?? []) {
    let size: number;
    try {
      size = statSync(join(dir, f.path)).size;
    } catch {
      return `${f.path} is missing`;
    }
    if (size !== f.size) return `${f.path} has ${size} bytes, ${MANIFEST} says ${f.size}`;
    if (f.executable && !isExecutable(join(dir, f.path))) return `${f.path} is not executable`;
  }
  return undefined;
}

/** `<pid>` of a `*.tmp-<pid>-*` name. */
const TMP_RE = /\.tmp-(\d+)-/;
const swept = new Set<string>();

/**
 * Removes temp directories (and temp files, and stale locks) in `dir` left by dead processes or older
 * than a day. Returns the number of bytes freed.
 */
export function sweep(dir: string): { removed: number; bytes: number } {
  let removed = 0;
  let bytes = 0;
  if (!existsSync(dir)) return { removed, bytes };
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const m = TMP_RE.exec(name);
    if (m) {
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (pidAlive(Number(m[1])) && Date.now() - st.mtimeMs < DAY_MS) continue;
      bytes += sizeOf(p);
      rmSync(p, { recursive: true, force: true });
      removed++;
    } else if (name.endsWith('.lock') && breakIfStale(p)) {
      removed++;
    }
  }
  return { removed, bytes };
}

/** Bytes under a path (files only; a vanished file counts 0). */
export function sizeOf(path: string): number {
  try {
    const st = statSync(path);
    if (!st.isDirectory()) return st.size;
    return readdirSync(path).reduce((s, n) => s + sizeOf(join(path, n)), 0);
  } catch {
    return 0;
  }
}

export const entryName = (key: string): string => key.slice(0, 24);

const note = (text: string) => process.stderr.write(`lowbit: ${text}\n`);

export interface CachedBuild {
  /** Copies the inputs into `tmp` and returns the key of exactly those bytes. */
  stage(tmp: string): Promise<string> | string;
  /** Builds from the staged inputs in `tmp`. */
  build(tmp: string): Promise<void>;
  /** Files (relative) the entry must contain. */
  required?: string[];
  /** Removes what the entry need not keep (called after build, before the manifest). */
  trim?(tmp: string): void;
}

/**
 * Returns the entry directory for a build, building it first when it is missing or damaged. `hit`
 * says whether a complete entry was already there (or built by another process while this one waited).
 */
export async function cached(kind: string, b: CachedBuild): Promise<{ dir: string; hit: boolean; key: string }> {
  const kindDir = join(cacheRoot(), kind);
  mkdirSync(kindDir, { recursive: true });
  if (!swept.has(kindDir)) {
    swept.add(kindDir);
    sweep(kindDir);
  }
  const tmp = join(kindDir, `stage.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(tmp);
  // Removed on Ctrl-C or TERM too (core/procs.ts); a kill -9 leaves it to the next run's sweep.
  const untrack = trackTemp(tmp);
  try {
    const key = await b.stage(tmp);
    const dir = join(kindDir, entryName(key));
    const complete = () => existsSync(dir) && entryDamage(dir, key, b.required) === undefined;
    if (complete()) return hit(dir, key);
    return await withLock(
      `${dir}.lock`,
      async () => {
        // Built by the run we waited for?
        if (complete()) return hit(dir, key);
        if (existsSync(dir)) {
          note(`cache entry ${dir} is damaged (${entryDamage(dir, key, b.required)}): rebuilding it`);
          removeEntry(dir);
        }
        await b.build(tmp);
        b.trim?.(tmp);
        writeManifest(tmp, kind, key);
        renameSync(tmp, dir);
        return { dir, hit: false, key };
      },
      (o) => note(`waiting for another lowbit run (pid ${o.pid}) building cache entry ${dir}`),
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    untrack();
  }
}

function hit(dir: string, key: string): { dir: string; hit: boolean; key: string } {
  touch(dir);
  return { dir, hit: true, key };
}

/** Marks an entry used now (`cache clean --older-than` and `--max-size` remove the least recently used). */
function touch(dir: string): void {
  const now = new Date();
  try {
    utimesSync(join(dir, MANIFEST), now, now);
  } catch {
    // Read-only cache: the entry still works, it only looks older to `cache clean`.
  }
}

export interface EntryInfo {
  kind: string;
  name: string;
  dir: string;
  bytes: number;
  /** ms since the epoch: when the entry was last built or used. */
  lastUsed: number;
}

/** Every entry in the cache (temp directories and locks are not entries). */
export function listEntries(root: string): EntryInfo[] {
  const out: EntryInfo[] = [];
  for (const kind of readdirSync(root, { withFileTypes: true })) {
    if (!kind.isDirectory()) continue;
    const kindDir = join(root, kind.name);
    for (const e of readdirSync(kindDir, { withFileTypes: true })) {
      if (!e.isDirectory() || TMP_RE.test(e.name)) continue;
      const dir = join(kindDir, e.name);
      let lastUsed: number;
      try {
        lastUsed = statSync(join(dir, MANIFEST)).mtimeMs;
      } catch {
        lastUsed = statSync(dir).mtimeMs;
      }
      out.push({ kind: kind.name, name: e.name, dir, bytes: sizeOf(dir), lastUsed });
    }
  }
  return out;
}

/** Sweeps every kind's temp directories and stale locks. */
export function sweepAll(root: string): { removed: number; bytes: number } {
  const total = { removed: 0, bytes: 0 };
  for (const kind of readdirSync(root, { withFileTypes: true })) {
    if (!kind.isDirectory()) continue;
    const s = sweep(join(root, kind.name));
    total.removed += s.removed;
    total.bytes += s.bytes;
  }
  return total;
}

/**
 * Removes an entry. It is renamed aside first: a run checking it sees it whole or not at all (and
 * rebuilds it), and a removal cut short leaves only a temp directory for the sweep.
 */
export function removeEntry(dir: string): void {
  const aside = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(dir, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  rmSync(aside, { recursive: true, force: true });
}
