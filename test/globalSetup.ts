// Runs once around the whole test run: the suite's build cache is a temp directory of its own (never
// the user's ~/.cache/lowbit), removed at the end. LOWBIT_TEST_CACHE keeps a warm one across runs.
// The user's own cache is fingerprinted before and after: a suite that touched it fails.
import { rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { TEST_CACHE, TEST_CACHE_KEPT } from './testCache.js';
import { fingerprint } from './fingerprint.js';

export default function setup(): () => void {
  const userCache = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'lowbit');
  const before = fingerprint(userCache);
  return () => {
    if (!TEST_CACHE_KEPT && !process.env.LOWBIT_KEEP_TMP) rmSync(TEST_CACHE, { recursive: true, force: true });
    rmSync(`${TEST_CACHE}-xdg`, { recursive: true, force: true });
    if (fingerprint(userCache) !== before) throw new Error(`the test suite changed the user's cache ${userCache}: every test must build into its own (LOWBIT_CACHE)`);
  };
}
