// Staging a build's sources: private copies, side by side under their own names, that the tool reads
// instead of the originals. A build then compiles exactly the bytes that were hashed (or logged), even
// when the originals are rewritten while it runs (the user's editor, another run into the same folder).

import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize } from 'node:path';
import { UsageError } from '../generators/common/params.js';

export interface Staged {
  /** Original path -> the copy's name inside the staging directory (the original's basename). */
  names: Map<string, string>;
  /** Name and bytes of every copy (the sources and the local files they include), for a cache key. */
  contents: (string | Uint8Array)[];
}

/** Quoted includes (`#include "x"` in C++, `` `include "x" `` in Verilog) that resolve next to `file`. */
function localIncludes(file: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^[ \t]*[#`][ \t]*include[ \t]+"([^"]+)"/gm)) {
    const name = normalize(m[1]);
    if (isAbsolute(name) || name.startsWith('..')) continue;
    if (existsSync(join(dirname(file), name))) out.push(name);
  }
  return out;
}

/**
 * Copies `sources` (and the local files they include, at the same relative paths) into `dir`.
 * Two different sources with one basename are bad input: side by side, one would replace the other.
 */
export function stageSources(sources: string[], dir: string): Staged {
  mkdirSync(dir, { recursive: true });
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
    copyFileSync(src, join(dir, name));
    // Hash the copy, not the original: the original may change between the two reads.
    const bytes = readFileSync(join(dir, name));
    contents.push(name, bytes);
    for (const inc of localIncludes(src, bytes.toString('utf8'))) copy(join(dirname(src), inc), join(dirname(name), inc));
  };
  for (const src of sources) {
    const name = basename(src);
    copy(src, name);
    names.set(src, name);
  }
  return { names, contents };
}

/** `args` with every staged source replaced by `prefix/<its copy's name>`. */
export function stagedArgs(args: string[], s: Staged, prefix: string): string[] {
  return args.map((a) => {
    const n = s.names.get(a);
    return n === undefined ? a : join(prefix, n);
  });
}
