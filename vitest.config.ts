import { defineConfig } from 'vitest/config';
import { TEST_CACHE } from './test/testCache.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    globalSetup: ['test/globalSetup.ts'],
    // Every test (and every lowbit process it starts) builds into the suite's own cache, never the user's.
    env: { LOWBIT_CACHE: TEST_CACHE },
    // Real tools run in these tests (Verilator builds, Yosys); they are slow, not hung.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    reporters: ['default', 'junit'],
    outputFile: { junit: 'test-results/junit.xml' },
  },
});
