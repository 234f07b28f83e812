// Commands printed for a person to run again (a cosim replay, a mutant's check): POSIX shell words.

import { repoPath } from '../core/paths.js';

/** A word for a POSIX shell: left bare when it is plainly safe, else in single quotes. */
export const shellWord = (w: string): string => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);

/** A lowbit command line that works from any directory: this node, this lowbit's entry point, then `words`. */
export const lowbitCommand = (words: string[]): string => [process.execPath, repoPath('bin', 'lowbit.mjs'), ...words].map(shellWord).join(' ');
