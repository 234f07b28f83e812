// Power of the OSU 0.18 um netlist: switching activity measured by simulating the mapped netlist
// (Icarus, VCD) under the co-simulation stimulus — which also checks it bit-exactly — handed to
// OpenSTA per pin (this OpenSTA has no VCD reader), then report_power. Or, without simulation, one
// stated default activity. Every figure says its library, clock and activity source.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { macsPerCycle, type CommonParams, type Family } from '../generators/common/family.js';
import { measureActivity } from './activity.js';
import { libertyPinNames } from './tools/liberty.js';
import { runSta, type PinActivity, type PowerReport, type TimingReport } from './tools/opensta.js';
import { LIB_FILE, netlistFile, SIM_NETLIST } from './tools/yosys.js';
import { CheckFailedError } from '../core/tool.js';
import { traceRun, type StreamRun } from '../testbenches/cosim.js';
import { icarusSim } from '../testbenches/simulator.js';
import type { Stimulus } from '../testbenches/stimulus.js';

export interface PowerResult {
  power: PowerReport;
  timing: TimingReport;
  clockNs: number;
  library: string;
  /** Where the activity came from, in words. */
  activitySource: string;
  measured: boolean;
  /** Energy per MAC in pJ: total power x simulated time / MACs done (measured), or per MAC at full throughput. */
  energyPerMacPJ: number;
  cycles?: number;
  beats?: number;
  pinsAnnotated?: number;
  run?: StreamRun;
}

export interface PowerOptions<P extends CommonParams> {
  family: Family<P>;
  params: P;
  top: string;
  /** Directory with the asic synthesis (netlists and cells.lib). */
  dir: string;
  library: string;
  clockNs: number;
  /** Simulate this many vectors; or undefined with `defaultActivity` for no simulation. */
  vectors?: number;
  seed: number;
  stimulus: Stimulus;
  defaultActivity?: number;
}

export async function measurePower<P extends CommonParams>(o: PowerOptions<P>): Promise<PowerResult> {
  const l = o.family.layout(o.params);
  const perCycle = macsPerCycle(l);
  const sta = { dir: o.dir, liberty: LIB_FILE, netlist: netlistFile('asic'), top: o.top, clockNs: o.clockNs };
  const logPath = join(o.dir, 'logs', 'sta-power.log');
  if (o.vectors === undefined) {
    const a = o.defaultActivity ?? 0.1;
    const r = await runSta(sta, logPath, { global: { activity: a, duty: 0.5 } });
    return {
      power: r.power!,
      timing: r.timing,
      clockNs: o.clockNs,
      library: o.library,
      activitySource: `default activity ${a} transitions per cycle on every pin, duty 0.5 (NOT measured)`,
      measured: false,
      energyPerMacPJ: (r.power!.totalW * o.clockNs * 1e3) / perCycle,
    };
  }
  const vcd = join(o.dir, 'power.vcd');
  const run = await traceRun(
    { family: o.family, params: o.params, top: o.top, files: [join(o.dir, SIM_NETLIST)], simulator: icarusSim, vectors: o.vectors, seed: o.seed, stall: 0, workDir: o.dir, stimulus: o.stimulus,
      // The activity of the workload alone: no mid-stream resets, zeros (not garbage) on idle inputs.
      resets: 0, quiet: true },
    o.vectors,
    0,
    vcd,
    'power',
  );
  if (run.violation) throw new CheckFailedError(`the netlist breaks the streaming protocol at cycle ${run.violation.cycle}: ${run.violation.rule}; no power figures for a wrong circuit`);
  if (run.mismatch) {
    const m = run.mismatch;
    throw new CheckFailedError(`the netlist does not match the golden model (vector ${m.vector}, row ${m.row}: expected ${m.expected}, actual ${m.actual}): no power figures for a wrong circuit`);
  }
  const act = await measureActivity(vcd, 'dut');
  const cycles = Math.max(1, act.cycles);
  const duty = (b: { highTime: number }) => (act.duration > 0 ? Math.min(1, b.highTime / act.duration) : 0.5);
  const pins: PinActivity[] = [];
  const ports: PinActivity[] = [];
  // A library cell is `cell_<n>` in its module (yosys.ts); its pins are the liberty's pin names (its
  // model's inner nets are not). STA names the flattened cell by the same dotted instance path, with
  // the brackets of generate blocks escaped for get_pins.
  const pinNames = libertyPinNames(readFileSync(join(o.dir, LIB_FILE), 'utf8'));
  for (const [name, b] of act.bits) {
    const cell = /^((?:.*\.)?cell_\d+)\.(\w+)$/.exec(name);
    if (cell && pinNames.has(cell[2])) pins.push({ pin: `${cell[1].replace(/[[\]]/g, '\\$&')}/${cell[2]}`, activity: b.toggles / cycles, duty: duty(b) });
    else if (/^(in_act|in_wgt)\[\d+\]$|^(rst|in_valid|in_last|out_ready)$/.test(name)) ports.push({ pin: name, activity: b.toggles / cycles, duty: duty(b) });
  }
  if (pins.length === 0) throw new Error(`no cell pins found in ${vcd} (expected signals <instance path>.cell_<n>.<pin> below scope dut)`);
  const r = await runSta(sta, logPath, { pins, ports });
  // MACs done: every beat multiplies-and-adds rows*k, however many cycles it takes.
  const macs = run.beats * l.rows * l.k;
  return {
    power: r.power!,
    timing: r.timing,
    clockNs: o.clockNs,
    library: o.library,
    activitySource: `measured: Icarus simulation of the mapped netlist, ${o.vectors} vectors (${o.stimulus}, seed ${o.seed}), ${cycles} cycles, ${pins.length} cell pins and ${ports.length} input port bits annotated`,
    measured: true,
    energyPerMacPJ: (r.power!.totalW * cycles * o.clockNs * 1e3) / Math.max(1, macs),
    cycles,
    beats: run.beats,
    pinsAnnotated: pins.length,
    run,
  };
}
