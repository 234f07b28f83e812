#!/usr/bin/env node
// lowbit's entry point: the compiled CLI (dist/cli/index.js), no TypeScript loader at run time.
// In a checkout (TypeScript sources beside bin/) it first checks that dist/ is not older than the
// sources and refuses to run a stale build: `npm run build` (npm test, npm run demo and npm ci do it).
import { staleReason } from './fresh.mjs';

const stale = staleReason();
if (stale) {
  process.stderr.write(`lowbit: the compiled CLI in dist/ is out of date (${stale}): run \`npm run build\` first\n`);
  if (process.argv.includes('--json')) {
    process.stdout.write(JSON.stringify({ ok: false, error: `dist/ is out of date (${stale}): run npm run build`, kind: 'stale-build', exitCode: 2 }) + '\n');
  }
  process.exit(2);
}
await import('../dist/cli/index.js');
