// The house's floors (README "Architecture"): each folder imports only from its own floor or below, no
// cycle between folders, and no library module imports the CLI. An import back up fails here.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import ts from 'typescript';
import { repoPath } from '../../core/paths.js';

/** Floors, lowest first. A file belongs to the most specific folder that matches its path. */
export const FLOORS: { floor: number; folder: string }[] = [
  { floor: 0, folder: 'core' },
  { floor: 1, folder: 'generators' },
  { floor: 2, folder: 'flows/tools' },
  { floor: 3, folder: 'testbenches' },
  { floor: 4, folder: 'flows' },
  { floor: 5, folder: 'api' },
  { floor: 6, folder: 'cli' },
];
const LIBRARY = FLOORS.map((f) => f.folder);

function floorOf(file: string): { floor: number; folder: string } | undefined {
  return [...FLOORS].sort((a, b) => b.folder.length - a.folder.length).find((f) => file === f.folder || file.startsWith(f.folder + '/'));
}

function sources(dir: string): string[] {
  const abs = repoPath(dir);
  return readdirSync(abs).flatMap((n) => {
    const p = join(abs, n);
    if (statSync(p).isDirectory()) return sources(posix.join(dir, n));
    return /\.(ts|mjs)$/.test(n) && !n.endsWith('.d.ts') ? [posix.join(dir, n)] : [];
  });
}

/** Relative imports of a file (static, dynamic and re-exports), as repository paths. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(repoPath(file), 'utf8'), true, true);
  return info.importedFiles
    .map((i) => i.fileName)
    .filter((s) => s.startsWith('.'))
    .map((s) => posix.normalize(posix.join(posix.dirname(file), s)).replace(/\.js$/, '.ts'));
}

const edges = (dirs: string[]) => dirs.flatMap(sources).flatMap((file) => importsOf(file).map((to) => ({ file, to })));

describe('architecture: floors and folders', () => {
  const library = edges(['core', 'generators', 'flows', 'testbenches', 'api', 'cli']);

  it('every library module imports only from its own floor or below', () => {
    const up = library
      .map(({ file, to }) => ({ file, to, from: floorOf(file)!, dest: floorOf(to) }))
      .filter((e) => e.dest === undefined || e.dest.floor > e.from.floor)
      .map((e) => `${e.file} (${e.from.folder}, floor ${e.from.floor}) imports ${e.to} (${e.dest ? `${e.dest.folder}, floor ${e.dest.floor}` : 'outside the library'})`);
    expect(up, up.join('\n')).toEqual([]);
  });

  it('a family folder imports only core/ and generators/common/, never a sibling family', () => {
    const bad = library.filter(({ file, to }) => {
      const m = /^generators\/([^/]+)\//.exec(file);
      if (!m || m[1] === 'common') return false;
      return to.startsWith('generators/') && !to.startsWith(`generators/${m[1]}/`) && !to.startsWith('generators/common/');
    });
    expect(bad.map((e) => `${e.file} imports ${e.to}`)).toEqual([]);
  });

  it('no cycle between folders', () => {
    const graph = new Map<string, Set<string>>();
    for (const { file, to } of library) {
      const a = posix.dirname(file);
      const b = posix.dirname(to);
      if (a === b) continue;
      if (!graph.has(a)) graph.set(a, new Set());
      graph.get(a)!.add(b);
    }
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const walk = (n: string, path: string[]) => {
      if (state.get(n) === 'done') return;
      if (state.get(n) === 'open') {
        cycles.push([...path.slice(path.indexOf(n)), n].join(' -> '));
        return;
      }
      state.set(n, 'open');
      for (const m of graph.get(n) ?? []) walk(m, [...path, n]);
      state.set(n, 'done');
    };
    for (const n of graph.keys()) walk(n, []);
    expect(cycles).toEqual([]);
  });

  it('nothing outside the CLI imports it (tests and benchmarks use the API)', () => {
    const outside = edges(['scripts', 'test', 'examples'].filter((d) => {
      try {
        return statSync(repoPath(d)).isDirectory();
      } catch {
        return false;
      }
    })).filter(({ file }) => !file.startsWith('test/') || !/^test\/cli[^/]*\.test\.ts$/.test(file));
    const bad = [...library, ...outside].filter(({ file, to }) => to.startsWith('cli/') && !file.startsWith('cli/'));
    expect(bad.map((e) => `${e.file} imports ${e.to}`)).toEqual([]);
  });

  it('the floors cover every library folder', () => {
    const unplaced = LIBRARY.flatMap(sources).filter((f) => !floorOf(f));
    expect(unplaced).toEqual([]);
    expect(relative(dirname(repoPath('core')), repoPath('core'))).toBe('core');
  });
});
