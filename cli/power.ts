import { Command } from 'commander';
import { join } from 'node:path';
import { familyCommand, given, onFamily } from './common.js';
import { withTimeLimit } from './limits.js';
import { DEFAULT_CLOCK_NS } from '../flows/tools/yosys.js';
import { power } from '../api/power.js';

export function powerCommand(): Command {
  return withTimeLimit(familyCommand('power', 'power and energy per MAC on OSU 0.18 um cells: switching activity measured by simulating the mapped netlist, per pin into OpenSTA report_power', {
    rtl: 'use this RTL instead of generating it',
    out: 'where to generate the RTL and keep the reports (power.json, run.json)',
  }))
    .option('--vectors <n>', 'vectors to simulate for the activity (which ones: --stimulus)', '200')
    .option('--clock-ns <ns>', 'clock period (ABC maps for it; OpenSTA reports power at it)', String(DEFAULT_CLOCK_NS))
    .option('--seed <s>', 'random seed of the stimulus (printed when not given)')
    .option('--stimulus <kind>', 'random (random vectors: a workload) | corners (the cosim schedule: directed corner vectors, then random) | zeros (every vector all zeros: a quiet baseline)', 'random')
    .option('--activity <a>', 'no simulation: this activity (transitions per cycle) on every pin, labelled as not measured')
    .action(
      onFamily(async (base, opts, out) => {
        const r = await power({ ...base, ...given(opts, 'vectors', 'clockNs', 'seed', 'stimulus', 'activity') });
        const mw = (w: number) => (w * 1e3).toFixed(4);
        const p = r.power;
        out.say(`power of ${r.top} at ${r.clockNs} ns (${(1000 / r.clockNs).toFixed(1)} MHz) on ${r.library}`);
        out.say(`  activity: ${r.activitySource}`);
        out.say(`  internal ${mw(p.internalW)} mW, switching ${mw(p.switchingW)} mW, leakage ${mw(p.leakageW)} mW, total ${mw(p.totalW)} mW`);
        out.say(`  energy per MAC: ${r.energyPerMacPJ.toFixed(4)} pJ${r.measured ? ` (${r.beats} beats in ${r.cycles} cycles)` : ' (at one beat per cycle)'}`);
        out.say(`  area ${r.area!.toFixed(0)} um^2 (${r.perMacUm2.toFixed(1)} per MAC); timing: slack ${r.timing.worstSlackNs.toFixed(3)} ns, Fmax ${r.timing.fmaxMHz.toFixed(1)} MHz`);
        out.say(`  report: ${join(r.dir, 'power.json')}`);
        out.result(r);
        return 0;
      }),
    );
}
