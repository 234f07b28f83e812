// Staging a build's sources: private copies, side by side under their own names, that the tool reads
// instead of the originals. A build then compiles exactly the bytes that were hashed (or logged), even
// when the originals are rewritten while it runs (the user's editor, another run into the same folder).
//
// Included files come along: a quoted `` `include "x" `` found next to the including file is copied at
// the same relative path; one found in an include directory (files.f `+incdir+`) is copied under
// `inc<n>/` (n: the directory's position), which the tool gets as `-I`. So the staged tree is
// self-contained (the WebAssembly Yosys sees nothing else) and its bytes are the cache key.

import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, normalize, resolve } from 'node:path';
import { UsageError } from './errors.js';

export interface Staged {
  /** Original path -> the copy's name inside the staging directory (the original's basename, or a safe name). */
  names: Map<string, string>;
  /** Name and bytes of every copy (the sources and the files they include), for a cache key. */
  contents: (string | Uint8Array)[];
  /** The include directories' copies, relative to the staging directory: `inc0`, `inc1`, ... */
  incdirs: string[];
  /** Every copy (sources and included files), relative to the staging directory: what a tool reads. */
  files: string[];
}

export interface StageOptions {
  /** Absolute include directories (files.f), searched after the including file's own directory. */
  incdirs?: string[];
  /**
   * Sources whose name holds one of these characters are copied as `lowbit_src<n>.v` instead (see
   * YOSYS_UNSAFE, PLAIN_UNSAFE); `names` maps them.
   */
  rename?: RegExp;
}

/**
 * Characters a name passed to Yosys's read_verilog must not hold: it expands `*`, `?`, `[` (and `\`
 * escapes them) as a glob, so `a[b].v` would read `ab.v`; a double quote or a line end cannot be
 * quoted in its scripts at all.
 */
export const YOSYS_UNSAFE = /[*?[\]{}\\"\n\r\0]/;
/** Anything but a plain name: for files whose names Yosys copies into commands unquoted (mutate's -src). */
export const PLAIN_UNSAFE = /[^A-Za-z0-9_.+-]/;

/** Quoted includes (`#include "x"` in C++, `` `include "x" `` in Verilog) in a file's text. */
function quotedIncludes(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^[ \t]*[#`][ \t]*include[ \t]+"([^"]+)"/gm)) {
    const name = normalize(m[1]);
    if (isAbsolute(name) || name.startsWith('..')) continue;
    out.push(name);
  }
  return out;
}

const isFile = (p: string) => existsSync(p) && statSync(p).isFile();

/**
 * Copies `sources` (and the files they include) into `dir`. Two different sources with one name are
 * bad input: side by side, one would replace the other.
 */
export function stageSources(sources: string[], dir: string, opts: StageOptions = {}): Staged {
  const incdirs = opts.incdirs ?? [];
  mkdirSync(dir, { recursive: true });
  const stagedIncdirs = incdirs.map((_, i) => `inc${i}`);
  for (const d of stagedIncdirs) mkdirSync(join(dir, d), { recursive: true });
  const names = new Map<string, string>();
  const byName = new Map<string, string>();
  const contents: (string | Uint8Array)[] = [];
  const copy = (src: string, name: string) => {
    const seen = byName.get(name);
    if (seen !== undefined) {
      if (seen !== src) throw new UsageError(`sources must have distinct file names, but ${seen} and ${src} are both named ${name}`);
      return;
    }
    byName.set(name, src);
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    // Generated RTL is synthesized where it was written: it is its own copy.
    if (resolve(src) !== resolve(dir, name)) copyFileSync(src, join(dir, name));
    // Hash the copy, not the original: the original may change between the two reads.
    const bytes = readFileSync(join(dir, name));
    contents.push(name, bytes);
    for (const inc of quotedIncludes(bytes.toString('utf8'))) {
      // Where the tools look: the including file's directory first, then the include directories in order.
      if (isFile(join(dirname(src), inc))) copy(join(dirname(src), inc), join(dirname(name), inc));
      else {
        const i = incdirs.findIndex((d) => isFile(join(d, inc)));
        if (i >= 0) copy(join(incdirs[i], inc), join(stagedIncdirs[i], inc));
      }
    }
  };
  for (const [i, src] of sources.entries()) {
    const base = basename(src);
    const ext = extname(base);
    const name = opts.rename?.test(base) ? `lowbit_src${i}${/^\.[A-Za-z0-9]+$/.test(ext) ? ext : '.v'}` : base;
    copy(src, name);
    names.set(src, name);
  }
  return { names, contents, incdirs: stagedIncdirs, files: [...byName.keys()] };
}

/** `args` with every staged source replaced by `prefix/<its copy's name>`. */
export function stagedArgs(args: string[], s: Staged, prefix: string): string[] {
  return args.map((a) => {
    const n = s.names.get(a);
    return n === undefined ? a : join(prefix, n);
  });
}

/** `-I` arguments for the staged include directories (and the staging directory itself), under `prefix`. */
export const includeArgs = (s: Staged, prefix: string): string[] => [prefix, ...s.incdirs.map((d) => join(prefix, d))].map((d) => `-I${d}`);
