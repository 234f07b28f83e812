// Fitted per-block constants of the estimate model (generators/common/estimate.ts). Written by
// scripts/estimate-fit.ts from test/quick/estimate-calibration.json: do not edit by hand, refit.
import type { Coefs } from './estimate.js';

export const COEFS: Record<'ice40' | 'generic' | 'xilinx' | 'asic', Coefs> = {
  ice40: {
    lut4: {one: 10.3, add2: 0.002825, csa: 0.4698, add3: 1.105, inc: 1.909, tern: 0.8981, flip: 2.149, mulPP: 2.692, mux: 1.038, lut: 4.943e-15, b3: 25.02, acc: 1.497, sat: 1.119},
    carry: {chain: 0.9852, mchain: 0.9027, mulPP: 0.09061, mulMax: 0.5381, sat: 0.2492},
  },
  generic: {
    transistors: {one: 118.4, csa: 8.246, add3: 23.09, inc: 13.23, tern: 26.53, mulPP: 43.76, mux: 10.25, b3: 244.8, acc: 27.7, sat: 6.967, dff: 25.23},
  },
  xilinx: {
    lut: {add2: 1, add3: 1, inc: 1, tern: 1, mux: 1, acc: 1},
    carry4: {add2: 0.25, add3: 0.25, inc: 0.25, acc: 0.25},
  },
  asic: {
    area: {add2: 100, add3: 100, dff: 200},
  },
};
