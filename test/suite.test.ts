// The suite itself: it builds into a cache of its own, never the user's.
import { describe, expect, it } from 'vitest';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheRoot } from '../core/cache.js';

describe('the test suite', () => {
  it("uses its own build cache (LOWBIT_CACHE), not the user's ~/.cache/lowbit", () => {
    // The directory vitest.config.ts chose in the main process (a worker's TEST_CACHE names its own pid).
    const expected = process.env.LOWBIT_TEST_CACHE ?? join(tmpdir(), `lowbit-test-cache-${/lowbit-test-cache-(\d+)$/.exec(process.env.LOWBIT_CACHE ?? '')?.[1]}`);
    expect(process.env.LOWBIT_CACHE).toBe(expected);
    expect(cacheRoot()).toBe(expected);
    expect(cacheRoot().startsWith(join(homedir(), '.cache'))).toBe(false);
  });
});
