// The quick tier (`npm run test:quick`): pure TypeScript and fake tools only, no Verilator, Icarus,
// Yosys or OpenSTA run; under a minute on a 2-core machine. `npm test` runs this tier and the real-tool tier.
import { config } from './vitest.config.js';

export default config(['test/quick/**/*.test.ts'], 'test-results/junit-quick.xml');
