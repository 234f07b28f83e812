// Fitted per-block constants of the estimate model (generators/common/estimate.ts). Written by
// scripts/estimate-fit.ts from test/quick/estimate-calibration.json: do not edit by hand, refit.
import type { Coefs } from './estimate.js';

export const COEFS: Record<'ice40' | 'generic' | 'xilinx' | 'asic', Coefs> = {
  ice40: {
    lut4: { one: 5.442, add2: 1.8, mchain: 0.3943, csa: 0.9764, add3: 0.3616, inc: 0.8953, adders: 1.701, tern: 1.634, flip: 1.208, mulPP: 1.274, mulArr: 1.274, mux: 1.064, lut: 0.8606, b3: 25.04, acc: 1.596, sat: 1.034 },
    carry: { chain: 0.9823, mchain: 0.9779, mulPP: 0.07404, mulMax: 0.5907 },
  },
  generic: {
    transistors: { one: 17.06, add2: 32.88, mtree: 21.14, mchain: 0.5111, csa: 2.487, add3: 22.83, inc: 12.07, tern: 27.3, flip: 7.001, mulPP: 21.23, mulArr: 16.4, mux: 9.817, lut: 8.843, b3: 233, acc: 30.7, sat: 5.669, dff: 26.99 },
  },
  xilinx: {
    lut: { one: 8.908, ice40Lut4: 0.3397, chain: 0.8188, mchain: 0.1212, csa: 1.003, mulArr: 0.2022 },
    carry4: { one: 0.02352, chain: 0.2642, adders: 0.4856, mchain: 0.2749 },
  },
  asic: {
    area: { cmos: 5.146, dff: 35.74 },
  },
};
