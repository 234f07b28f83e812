// Every external tool lowbit runs, as its facts (one declaration in each tool's module): what
// `doctor` and a run record list, each resolved (resolveTool: its LOWBIT_* variable) and version-gated
// (checkVersion) by core/tool.ts.

import type { ToolFacts } from '../../core/tool.js';
import { VERILATOR } from './verilator.js';
import { IVERILOG, VVP } from './iverilog.js';
import { STA } from './opensta.js';
import { YOSYS } from './yosys.js';
import { NEXTPNR } from './nextpnr.js';

export const TOOL_FACTS: readonly ToolFacts[] = [VERILATOR, IVERILOG, VVP, STA, YOSYS, NEXTPNR];
