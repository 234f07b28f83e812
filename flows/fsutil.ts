// Atomic writes: a temp file (or directory) beside the target, then rename, so an interrupted run
// never leaves a half-written file where a reader (or the cache) would trust it.

import { mkdirSync, renameSync, rmSync, writeFileSync, existsSync, createWriteStream } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { randomBytes } from 'node:crypto';

const tmpName = (target: string): string => join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);

export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tmpName(path);
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

/** Writes a set of files into `dir` together: all appear, or none do (an existing dir is replaced). */
export function writeDirAtomic(dir: string, files: { name: string; content: string }[]): void {
  mkdirSync(dirname(dir), { recursive: true });
  const tmp = tmpName(dir);
  mkdirSync(tmp, { recursive: true });
  try {
    for (const f of files) {
      mkdirSync(dirname(join(tmp, f.name)), { recursive: true });
      writeFileSync(join(tmp, f.name), f.content);
    }
    if (existsSync(dir)) {
      const old = tmpName(dir);
      renameSync(dir, old);
      renameSync(tmp, dir);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, dir);
    }
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** A stream to a temp file that becomes `path` only on commit(). */
export function atomicStream(path: string) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tmpName(path);
  const stream = createWriteStream(tmp);
  return {
    stream,
    async commit(): Promise<void> {
      await new Promise<void>((res, rej) => stream.end((err?: Error | null) => (err ? rej(err) : res())));
      renameSync(tmp, path);
    },
    abort(): void {
      stream.destroy();
      rmSync(tmp, { force: true });
    },
  };
}
