// The lutgemm RTL: a table stage shared by every row (`<top>_tables`, one `<top>_gtab` per group)
// and rows that only look up (`<top>_lut`) and add. Three steps: plan.ts decides ranges, exact
// widths, table sharing and trees (data); emit.ts writes the modules; wiring.ts connects them.

import type { PortConn, SharedStage } from '../common/design.js';
import { emitGroupTable, emitLookup, emitRow, emitTables, type Module } from './emit.js';
import { planLut, type LutDatapathOptions } from './plan.js';
import { rowConnections, sharedStage } from './wiring.js';

export { lutLevels, stepsPerBeat, type LutDatapathOptions } from './plan.js';

export function lutModules(o: LutDatapathOptions): { modules: Module[]; shared: SharedStage; rowConns: PortConn[] } {
  const plan = planLut(o);
  return {
    modules: [emitGroupTable(plan), emitTables(plan), emitLookup(plan), emitRow(plan)],
    shared: sharedStage(plan),
    rowConns: rowConnections(plan),
  };
}
