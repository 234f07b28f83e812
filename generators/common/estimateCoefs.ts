// Fitted per-block constants of the estimate model (generators/common/estimate.ts). Written by
// scripts/estimate-fit.ts from test/quick/estimate-calibration.json: do not edit by hand, refit.
import type { Coefs } from './estimate.js';

export const COEFS: Record<'ice40' | 'generic' | 'xilinx' | 'asic', Coefs> = {
  ice40: {
    lut4: { one: 5.507, add2: 1.792, mtree: 0.1568, mchain: 0.3052, csa: 0.9075, add3: 0.3039, inc: 0.8915, adders: 1.778, tern: 1.691, flip: 1.3, mulPP: 1.154, mulArr: 1.369, mux: 1.065, lut: 0.8548, b3: 24.59, acc: 1.565, sat: 1.016 },
    carry: { chain: 0.9842, mchain: 0.9869, mulPP: 0.06891, mulMax: 0.6135 },
  },
  generic: {
    transistors: { one: 18.91, add2: 32.56, mtree: 17.36, mchain: 4.182, csa: 4.762, add3: 22.52, inc: 13.34, tern: 27.81, flip: 8.404, mulPP: 22.71, mulArr: 15.35, mux: 9.783, lut: 8.839, b3: 228.1, acc: 30.68, sat: 6.029, dff: 26.44 },
  },
  xilinx: {
    lut: { one: 7.578, ice40Lut4: 0.373, chain: 0.7573, csa: 0.9395, mulArr: 0.2175 },
    carry4: { one: 0.1538, chain: 0.2565, adders: 0.5084, mchain: 0.2789 },
  },
  asic: {
    area: { cmos: 5.146, dff: 35.95 },
  },
};
