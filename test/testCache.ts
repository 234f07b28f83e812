// Where the test suite keeps its build cache (vitest.config.ts hands it to every worker as LOWBIT_CACHE).
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Set by a developer who wants a warm cache across runs; otherwise one fresh directory per run. */
export const TEST_CACHE_KEPT = !!process.env.LOWBIT_TEST_CACHE;
export const TEST_CACHE = process.env.LOWBIT_TEST_CACHE ?? join(tmpdir(), `lowbit-test-cache-${process.pid}`);
