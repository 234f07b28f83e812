// A private working directory for one run of a bundled WebAssembly tool. Such a tool sees a
// directory loaded into memory (flows/tools/yowasp.mjs mounts its whole working directory), so it
// must not run in the user's directory, an --rtl directory or an output directory full of VCDs: it
// runs in a fresh temp directory holding copies of only the files it reads, and what it writes there
// is copied back into the run's real working directory afterwards (failed or not: a proof's
// counterexample, a partial report).

import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, normalize, relative } from 'node:path';
import { randomBytes } from 'node:crypto';
import { trackTemp } from './procs.js';

export interface RunDir {
  /** The private directory the tool runs in. */
  dir: string;
  /** The files copied in, relative to it (what the tool can see). */
  inputs: string[];
  /** Copies every file the tool created or rewrote back to the real directory; returns their relative paths. */
  copyBack(): string[];
  /** Removes the private directory. */
  remove(): void;
}

/** A file's identity after copying: rewritten (a temp file renamed over it) or touched, it differs. */
const identity = (p: string): string => {
  const st = statSync(p);
  return `${st.ino}:${st.size}:${st.mtimeMs}`;
};

function walk(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return walk(root, p);
    return e.isFile() ? [relative(root, p)] : [];
  });
}

/**
 * Copies `files` (paths relative to `cwd`, which they must not leave) into a fresh private directory.
 * Interrupted runs remove it (core/procs.ts).
 */
export function privateRunDir(cwd: string, files: string[]): RunDir {
  const inputs = files.map((f) => {
    const n = normalize(f);
    if (isAbsolute(n) || n === '..' || n.startsWith('../')) throw new Error(`internal: a tool's input ${JSON.stringify(f)} must be relative to its working directory and inside it`);
    return n;
  });
  const dir = mkdtempSync(join(tmpdir(), 'lowbit-tool-'));
  const untrack = trackTemp(dir);
  const copied = new Map<string, string>();
  try {
    for (const f of inputs) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      copyFileSync(join(cwd, f), join(dir, f));
      copied.set(f, identity(join(dir, f)));
    }
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    untrack();
    throw e;
  }
  return {
    dir,
    inputs,
    copyBack() {
      const out: string[] = [];
      for (const f of walk(dir)) {
        // A temp file the tool had not renamed yet when it was stopped.
        if (/\.tmp-\d+$/.test(f)) continue;
        if (copied.get(f) === identity(join(dir, f))) continue;
        const target = join(cwd, f);
        mkdirSync(dirname(target), { recursive: true });
        // Temp file then rename: a reader never sees half a netlist.
        const tmp = join(dirname(target), `.${f.split('/').pop()}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
        try {
          copyFileSync(join(dir, f), tmp);
          renameSync(tmp, target);
        } catch (e) {
          rmSync(tmp, { force: true });
          throw e;
        }
        out.push(f);
      }
      return out;
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
      untrack();
    },
  };
}
