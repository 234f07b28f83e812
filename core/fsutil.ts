// Atomic writes: a temp file (or directory) beside the target, then rename, so an interrupted run
// never leaves a half-written file where a reader (or the cache) would trust it.

import { mkdirSync, renameSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import { trackTemp } from './procs.js';

const tmpName = (target: string): string => join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);

export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tmpName(path);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    // A full disk or a directory in the way: the half-written temp file must not stay behind.
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** A stream to a temp file that becomes `path` only on commit(). */
export function atomicStream(path: string) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tmpName(path);
  const stream = createWriteStream(tmp);
  // Written over many event-loop turns: an interrupt in between must not leave the temp file.
  const untrack = trackTemp(tmp);
  return {
    stream,
    async commit(): Promise<void> {
      try {
        await new Promise<void>((res, rej) => {
          // A write error is emitted as 'error', not passed to end()'s callback.
          stream.once('error', rej);
          stream.end((err?: Error | null) => (err ? rej(err) : res()));
        });
        renameSync(tmp, path);
      } catch (e) {
        rmSync(tmp, { force: true });
        throw e;
      } finally {
        untrack();
      }
    },
    abort(): void {
      stream.destroy();
      rmSync(tmp, { force: true });
      untrack();
    },
  };
}
