// files.f: the file list of an RTL directory (`lowbit gen` writes one; `--rtl` reads it).
//
// One entry per line, so a file name may hold spaces and shell characters (nothing is split on
// blanks). Blank lines and comment lines (`//` or `#` first) are skipped. Include directories:
// `+incdir+DIR` (several joined with `+` too), `-I DIR`, `-IDIR`. Relative paths are relative to
// the RTL directory. Anything else that starts with `-` or `+` is an option lowbit does not take:
// refused, not silently passed on or read as a file name.

import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { UsageError } from './errors.js';

export interface FileList {
  /** Absolute paths of the Verilog sources, in list order. */
  files: string[];
  /** Absolute include directories, in list order (passed to every tool as -I). */
  incdirs: string[];
}

/** One line's meaning, before any path is checked. */
export type Entry = { kind: 'file'; path: string } | { kind: 'incdir'; path: string } | { kind: 'skip' };

/** What one trimmed line of a files.f says (throws a message without the file's name: the caller adds it). */
export function parseEntry(line: string): Entry[] {
  const s = line.trim();
  if (s === '' || s.startsWith('//') || s.startsWith('#')) return [{ kind: 'skip' }];
  if (s.startsWith('+incdir+')) {
    const dirs = s.slice('+incdir+'.length).split('+').filter((d) => d !== '');
    if (dirs.length === 0) throw new Error('+incdir+ names no directory');
    return dirs.map((path) => ({ kind: 'incdir', path }));
  }
  if (s.startsWith('-I')) {
    const path = s.slice(2).trim();
    if (path === '') throw new Error('-I names no directory');
    return [{ kind: 'incdir', path }];
  }
  if (s.startsWith('-') || s.startsWith('+')) {
    throw new Error(`${JSON.stringify(s)} is an option lowbit does not take (a files.f holds file names, comments, +incdir+DIR and -I DIR)`);
  }
  return [{ kind: 'file', path: s }];
}

/**
 * Parses the text of `listPath` (a files.f), resolving paths against `baseDir` and checking that
 * every file and include directory exists: bad input (exit 2) naming the list, the line and the path.
 */
export function parseFileList(text: string, baseDir: string, listPath: string): FileList {
  const out: FileList = { files: [], incdirs: [] };
  const lines = text.split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    const where = `${listPath} line ${i + 1}`;
    let entries: Entry[];
    try {
      entries = parseEntry(line);
    } catch (e) {
      throw new UsageError(`${where}: ${(e as Error).message}`);
    }
    for (const e of entries) {
      if (e.kind === 'skip') continue;
      const abs = isAbsolute(e.path) ? e.path : resolve(baseDir, e.path);
      if (e.kind === 'file') {
        if (!existsSync(abs)) throw new UsageError(`${where} names ${JSON.stringify(e.path)}, but ${abs} does not exist (expected a Verilog file)`);
        if (!statSync(abs).isFile()) throw new UsageError(`${where} names ${JSON.stringify(e.path)}, but ${abs} is not a file (expected a Verilog file)`);
        out.files.push(abs);
      } else {
        if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new UsageError(`${where}: include directory ${JSON.stringify(e.path)} (${abs}) is not an existing directory`);
        if (!out.incdirs.includes(abs)) out.incdirs.push(abs);
      }
    }
  }
  if (out.files.length === 0) throw new UsageError(`${listPath} lists no Verilog files`);
  return out;
}
