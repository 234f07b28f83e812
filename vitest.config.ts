import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';
import { TEST_CACHE } from './test/testCache.js';

/** What both tiers share (vitest.quick.config.ts picks the quick tier's files). */
export function config(include: string[], junit: string) {
  return defineConfig({
    // `lowbit` is the package's own public API (api/index.ts), as examples/ and users import it.
    resolve: { alias: { lowbit: fileURLToPath(new URL('./api/index.ts', import.meta.url)) } },
    test: {
      include,
      setupFiles: ['test/setup.ts'],
      globalSetup: ['test/globalSetup.ts'],
      // Every test (and every lowbit process it starts) builds into the suite's own cache, never the user's.
      env: { LOWBIT_CACHE: TEST_CACHE, XDG_CACHE_HOME: `${TEST_CACHE}-xdg` },
      // Real tools run in these tests (Verilator builds, Yosys); they are slow, not hung.
      testTimeout: 600_000,
      hookTimeout: 600_000,
      pool: 'forks',
      reporters: ['default', 'junit'],
      outputFile: { junit },
    },
  });
}

// `npm test`: both tiers (test/quick/ and the real-tool tests beside it).
export default config(['test/**/*.test.ts'], 'test-results/junit.xml');
