// `lowbit power`: power and energy per MAC on OSU 0.18 um cells, from switching activity measured by
// simulating the mapped netlist (or one stated activity, labelled as not measured).

import { join } from 'node:path';
import { YOSYS } from '../flows/tools/yosys.js';
import { STA } from '../flows/tools/opensta.js';
import { IVERILOG, VVP } from '../flows/tools/iverilog.js';
import { measurePower, type PowerResult } from '../flows/power.js';
import { writeFileAtomic } from '../core/fsutil.js';
import { freshSeed } from '../core/rng.js';
import { STIMULI, type Stimulus } from '../testbenches/stimulus.js';
import type { RtlOptions } from './design.js';
import { RANGES, rangeOption } from './ranges.js';
import { checkEnv, oneOf, type Numeric } from './options.js';
import type { RunRecord } from './record.js';
import { runOnRtl } from './run.js';
import { synthesize } from './synthesize.js';

/** Options of {@link power}. */
export interface PowerOptions extends RtlOptions {
  /** Vectors to simulate for the activity, 1..1e7; default 200. */
  vectors?: Numeric;
  /** Clock period, ns, 0.01..1e6 (ABC maps for it; OpenSTA reports power at it); default 10. */
  clockNs?: Numeric;
  /** Seed of the stimulus, 0..2^53-1; default: drawn (and reported). */
  seed?: Numeric;
  /** random (default: a workload), corners (the cosim schedule) or zeros (a quiet baseline). */
  stimulus?: Stimulus | string;
  /** No simulation: this activity (transitions per cycle, 0..2) on every pin, labelled as not measured. */
  activity?: Numeric;
}

/** What {@link power} returns: `lowbit power --json`, and run.json in `dir` (power.json holds the same figures). */
export type PowerReport = RunRecord & Omit<PowerResult, 'run'> & {
  dir: string;
  /** Area of the mapped netlist, um^2. */
  area?: number;
  perMacUm2: number;
  stimulus?: Stimulus;
};

/**
 * Power of a design on OSU 0.18 um cells: synthesized for asic at `clockNs`, the mapped netlist
 * simulated in Icarus under the co-simulation harness (checked bit-exactly on the way), every cell
 * pin's measured activity handed to OpenSTA's report_power; energy per MAC from total power and the
 * simulated time.
 *
 * @returns internal, switching, leakage and total power (W), energy per MAC (pJ), area, timing
 * @throws CheckFailedError when the netlist differs from the golden model (exit 1); UsageError, ToolFailedError, ToolMissingError as every command
 */
export async function power(o: PowerOptions): Promise<PowerReport> {
  return runOnRtl(
    'power',
    o,
    (_d, rec) => {
      const R = RANGES.power;
      const clockNs = rangeOption('clock-ns', o.clockNs, R['clock-ns']);
      const vectors = rangeOption('vectors', o.vectors, R.vectors);
      const stimulus = oneOf('stimulus', o.stimulus ?? 'random', STIMULI);
      const activity = o.activity === undefined ? undefined : rangeOption('activity', o.activity, R.activity);
      const seed = rangeOption('seed', o.seed, R.seed, freshSeed());
      // Icarus simulates the netlist for the measured activity; a stated one needs no simulation.
      checkEnv({ tools: [YOSYS, STA, ...(activity === undefined ? [IVERILOG, VVP] : [])], liberty: true });
      if (activity === undefined) rec.seed = seed;
      return { clockNs, vectors, stimulus, activity, seed };
    },
    async ({ d, rtl, rec, opts: c }) => {
      const dir = rtl.workDir;
      if (o.seed === undefined && c.activity === undefined) o.onNote?.(`seed ${c.seed} (pass --seed ${c.seed} to repeat this run)`);
      const rep = await synthesize(d, rtl, 'asic', rec, { clockNs: c.clockNs });
      if (c.activity === undefined) rec.used('iverilog', 'vvp');
      rec.used('sta');
      const res = await rec.step(c.activity === undefined ? 'gate-level simulation and OpenSTA power' : 'OpenSTA power', () =>
        measurePower({
          family: d.family, params: d.params, top: d.top, dir, library: rep.library!, clockNs: c.clockNs,
          vectors: c.activity === undefined ? c.vectors : undefined, seed: c.seed, stimulus: c.stimulus, defaultActivity: c.activity,
        }),
      );
      const log = join(dir, 'logs', 'sta-power.log');
      const mw = (w: number) => w * 1e3;
      rec.metric('internal_power', mw(res.power.internalW), 'mW', log);
      rec.metric('switching_power', mw(res.power.switchingW), 'mW', log);
      rec.metric('leakage_power', mw(res.power.leakageW), 'mW', log);
      rec.metric('total_power', mw(res.power.totalW), 'mW', log);
      rec.metric('energy_per_mac', res.energyPerMacPJ, 'pJ/MAC', log);
      rec.metric('slack', res.timing.worstSlackNs, 'ns', log);
      rec.metric('fmax', res.timing.fmaxMHz, 'MHz', log);
      const vcd = join(dir, 'power.vcd');
      rec.metric('cycles', res.cycles, 'cycles', vcd);
      rec.metric('beats', res.beats, 'beats', vcd);
      rec.metric('pins_annotated', res.pinsAnnotated, 'pins', join(dir, 'sta-activity.tcl'));
      const { run: _run, ...figures } = res;
      const fields = { dir, area: rep.area, perMacUm2: rep.perMac.um2, ...figures, seed: res.measured ? c.seed : undefined, stimulus: res.measured ? c.stimulus : undefined };
      writeFileAtomic(join(dir, 'power.json'), JSON.stringify({ ok: true, family: d.family.name, params: d.params, ...fields }, null, 2) + '\n');
      return { ok: true, fields };
    },
  );
}
