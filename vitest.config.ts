import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';
import { TEST_CACHE } from './test/testCache.js';

export default defineConfig({
  // `lowbit` is the package's own public API (api/index.ts), as examples/ and users import it.
  resolve: { alias: { lowbit: fileURLToPath(new URL('./api/index.ts', import.meta.url)) } },
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
