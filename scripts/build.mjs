// `npm run build`: tsc (tsconfig.build.json) to dist/, then the stamp bin/fresh.mjs compares sources with.
// dist/ is emptied first, so a module whose source was deleted cannot linger (or ship).
// The stamp's time is taken before tsc starts, so a source saved while tsc runs still counts as newer.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ROOT, STAMP, staleReason } from '../bin/fresh.mjs';

// --if-stale (npm's prepare, which `npm pack` runs right after prepack's build): nothing when dist/ is fresh.
if (process.argv.includes('--if-stale') && !staleReason()) process.exit(0);

const started = new Date();
rmSync(join(ROOT, 'dist'), { recursive: true, force: true });
const tsc = createRequire(join(ROOT, 'package.json')).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
mkdirSync(dirname(STAMP), { recursive: true });
closeSync(openSync(STAMP, 'w'));
utimesSync(STAMP, started, started);
