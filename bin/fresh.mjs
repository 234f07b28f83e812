// Is dist/ up to date with the TypeScript sources? Only a checkout has sources: the package ships
// compiled JavaScript (dist/) and no .ts files, so an installed lowbit is never checked.
// Rule: every library source X.ts (core, generators, flows, testbenches, api, cli) has dist/X.js, and no
// source is newer than dist/.built, the stamp `npm run build` writes after tsc. One stat per source
// (about 100, a few milliseconds) on each start in a checkout; nothing at all when installed.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folders `tsconfig.build.json` compiles. */
export const SOURCE_DIRS = ['core', 'generators', 'flows', 'testbenches', 'api', 'cli'];
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const STAMP = join(ROOT, 'dist', '.built');

function sources(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

/** True when this is a checkout (TypeScript sources beside bin/), false for an installed package. */
export const isCheckout = (root = ROOT) => existsSync(join(root, 'cli', 'index.ts'));

/**
 * Why dist/ is stale in a checkout (a sentence naming a file), or undefined when it is fresh or this is
 * an installed package.
 */
export function staleReason(root = ROOT) {
  if (!isCheckout(root)) return undefined;
  const stamp = join(root, 'dist', '.built');
  if (!existsSync(stamp)) return 'dist/ has not been built';
  const built = statSync(stamp).mtimeMs;
  for (const src of SOURCE_DIRS.flatMap((d) => sources(join(root, d)))) {
    const rel = relative(root, src);
    const out = join(root, 'dist', rel.replace(/\.ts$/, '.js'));
    if (!existsSync(out)) return `${rel} has no compiled dist/${relative(root, out).slice(5)}`;
    if (statSync(src).mtimeMs > built) return `${rel} changed after the last build`;
  }
  for (const cfg of ['tsconfig.json', 'tsconfig.build.json']) {
    const p = join(root, cfg);
    if (existsSync(p) && statSync(p).mtimeMs > built) return `${cfg} changed after the last build`;
  }
  return undefined;
}
