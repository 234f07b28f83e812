// Runs once around the whole test run: the suite's build cache is a temp directory of its own (never
// the user's ~/.cache/lowbit), removed at the end. LOWBIT_TEST_CACHE keeps a warm one across runs.
import { rmSync } from 'node:fs';
import { TEST_CACHE, TEST_CACHE_KEPT } from './testCache.js';

export default function setup(): () => void {
  return () => {
    if (!TEST_CACHE_KEPT && !process.env.LOWBIT_KEEP_TMP) rmSync(TEST_CACHE, { recursive: true, force: true });
  };
}
