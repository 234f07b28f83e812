// Fitted per-block constants of the estimate model (generators/common/estimate.ts). Written by
// scripts/estimate-fit.ts from test/quick/estimate-calibration.json: do not edit by hand, refit.
import type { Coefs } from './estimate.js';

export const COEFS: Record<'ice40' | 'generic' | 'xilinx' | 'asic', Coefs> = {
  ice40: { lut4: { add2: 1, add3: 1, inc: 1, tern: 1, mux: 1, acc: 1 }, carry: { add2: 1, add3: 1, inc: 1, acc: 1 } },
  generic: { transistors: { add2: 30, add3: 30, inc: 12, tern: 10, mux: 12, acc: 30, dff: 24 } },
  xilinx: { lut: { add2: 1, add3: 1, inc: 1, tern: 1, mux: 1, acc: 1 }, carry4: { add2: 0.25, add3: 0.25, inc: 0.25, acc: 0.25 } },
  asic: { area: { add2: 100, add3: 100, dff: 200 } },
};
