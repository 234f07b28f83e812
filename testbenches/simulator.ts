// The stream simulators by name (cocotb-runner style): what one must provide is in simContract.ts,
// each implementation with its own wire codec beside it (verilatorSim.ts: binary words for the C++
// harness; icarusSim.ts: hex lines for the Verilog harness).

import type { StreamSimulator } from './simContract.js';
import { verilatorSim } from './verilatorSim.js';
import { icarusSim } from './icarusSim.js';

export type { PreparedSim, PrepareOptions, RunArgs, StreamSimulator } from './simContract.js';
export { harnessSeed } from './simContract.js';
export { verilatorSim } from './verilatorSim.js';
export { icarusSim } from './icarusSim.js';

export const SIMULATORS: Record<string, StreamSimulator> = { verilator: verilatorSim, iverilog: icarusSim };
