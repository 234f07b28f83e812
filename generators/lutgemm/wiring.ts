// Wiring of the lutgemm datapath into the streaming design (common/design.ts): the shared table
// stage's wires and port connections, and the row's connections besides wgt and psum.

import type { PortConn, SharedStage } from '../common/design.js';
import { corrBits } from './emit.js';
import type { LutPlan } from './plan.js';

/** `<top>_tables` between in_act and the rows: tab (and corr) wires of the top. */
export function sharedStage(p: LutPlan): SharedStage {
  const corr = !!p.corr;
  return {
    module: `${p.o.top}_tables`,
    doc: `Activation tables: ${p.groups} group(s) x ${p.entries} entries of ${p.tw} bits, built once per beat for all rows.`,
    wires: [{ name: 'tab', msb: p.groups * p.groupTabBits - 1 }, ...(corr ? [{ name: 'corr', msb: corrBits(p) - 1 }] : [])],
    conns: [
      { port: 'act', expr: 'in_act' },
      // Bit-serial: the correction enters with the least significant plane only.
      ...(corr && p.serial ? [{ port: 'lsb_plane', expr: 'final_step' }] : []),
      { port: 'tab', expr: 'tab' },
      ...(corr ? [{ port: 'corr', expr: 'corr' }] : []),
    ],
  };
}

/** A row's inputs: clock and enable when clocked, the beat sequencer's steps when serial, the tables. */
export function rowConnections(p: LutPlan): PortConn[] {
  return [
    ...(p.row.clocked ? [{ port: 'clk', expr: 'clk' }, { port: 'en', expr: 'en' }] : []),
    ...(p.serial
      ? [
          { port: 'step', expr: 'step' },
          { port: 'first_step', expr: 'first_step' },
          { port: 'acc_valid', expr: 'acc_valid' },
          { port: 'acc_first', expr: 'acc_first' },
        ]
      : []),
    { port: 'tab', expr: 'tab' },
    ...(p.corr ? [{ port: 'corr', expr: 'corr' }] : []),
  ];
}
