// Where lowbit's own files are (templates/, hw/, testbenches/ harness sources, package.json): found
// from this module's location, never the current directory. The same code runs from the sources
// (core/paths.ts) and from the build (dist/core/paths.js), so it walks up to lowbit's package.json.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'lowbit') return dir;
    if (dirname(dir) === dir) throw new Error(`internal: lowbit's package.json not found above ${from}`);
  }
}

/** Absolute path of the lowbit package (a checkout or an installed package). */
export const REPO_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
export const repoPath = (...parts: string[]): string => join(REPO_ROOT, ...parts);
