// Content-addressed cache of tool outputs (Verilator builds). A key is a hash of everything that
// decides the output (sources, tool version, flags); an entry is built in a temp directory and
// renamed into place, so an interrupted build never leaves an entry that looks complete.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export function cacheRoot(): string {
  if (process.env.LOWBIT_CACHE) return process.env.LOWBIT_CACHE;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'lowbit');
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

/**
 * Returns the entry directory for `key` under `kind`, building it with `build(dir)` first when it is
 * missing. `hit` says whether it was already there.
 */
export async function cached(kind: string, key: string, build: (dir: string) => Promise<void>): Promise<{ dir: string; hit: boolean }> {
  const dir = join(cacheRoot(), kind, key.slice(0, 24));
  if (existsSync(dir)) return { dir, hit: true };
  mkdirSync(join(cacheRoot(), kind), { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  mkdirSync(tmp);
  try {
    await build(tmp);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  try {
    renameSync(tmp, dir);
  } catch {
    // Another run built the same entry meanwhile: keep theirs.
    rmSync(tmp, { recursive: true, force: true });
  }
  return { dir, hit: false };
}
