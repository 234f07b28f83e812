import { Command } from 'commander';
import { join } from 'node:path';
import { checkEnv, familyCommand, intOption, numberOption, onFamily, prepareRtl } from './common.js';
import { withTimeLimit } from './limits.js';
import { DEFAULT_CLOCK_NS, synth } from '../flows/tools/yosys.js';
import { measurePower } from '../flows/power.js';
import { writeFileAtomic } from '../core/fsutil.js';
import { freshSeed } from '../core/rng.js';
import { UsageError } from '../generators/common/params.js';
import { STIMULI, type Stimulus } from '../testbenches/stimulus.js';

export function powerCommand(): Command {
  return withTimeLimit(familyCommand('power', 'power and energy per MAC on OSU 0.18 um cells: switching activity measured by simulating the mapped netlist, per pin into OpenSTA report_power'))
    .option('--vectors <n>', 'vectors to simulate for the activity (which ones: --stimulus)', '200')
    .option('--clock-ns <ns>', 'clock period (ABC maps for it; OpenSTA reports power at it)', String(DEFAULT_CLOCK_NS))
    .option('--seed <s>', 'random seed of the stimulus (printed when not given)')
    .option('--stimulus <kind>', 'random (random vectors: a workload) | corners (the cosim schedule: directed corner vectors, then random) | zeros (every vector all zeros: a quiet baseline)', 'random')
    .option('--activity <a>', 'no simulation: this activity (transitions per cycle) on every pin, labelled as not measured')
    .option('--rtl <dir>', 'use this RTL instead of generating it')
    .option('--out <dir>', 'where to generate the RTL and keep the reports')
    .action(
      onFamily(async (r, opts, out) => {
        const clockNs = numberOption('clock-ns', opts.clockNs, 0.01, 1e6);
        const vectors = intOption('vectors', opts.vectors, 1, 1e7, 200);
        const stimulus = opts.stimulus as Stimulus;
        if (!STIMULI.includes(stimulus)) throw new UsageError(`stimulus must be one of ${STIMULI.join(', ')}, not ${JSON.stringify(opts.stimulus)}`);
        const activity = opts.activity === undefined ? undefined : numberOption('activity', opts.activity, 0, 2);
        const seedGiven = opts.seed !== undefined;
        const seed = intOption('seed', opts.seed, 0, Number.MAX_SAFE_INTEGER, freshSeed());
        checkEnv({ yosys: true, liberty: true });
        const { workDir: dir, files, incdirs } = await prepareRtl(r, opts as { rtl?: string; out?: string });
        if (!seedGiven && activity === undefined) out.note(`seed ${seed} (pass --seed ${seed} to repeat this run)`);
        const l = r.family.layout(r.params);
        const macs = (l.rows * l.k) / (l.beatCycles ?? 1);
        const rep = await synth(files, r.top, 'asic', macs, join(dir, 'logs'), { clockNs, workDir: dir, incdirs });
        const res = await measurePower({
          family: r.family, params: r.params, top: r.top, dir, library: rep.library!, clockNs,
          vectors: activity === undefined ? vectors : undefined, seed, stimulus, defaultActivity: activity,
        });
        const mw = (w: number) => (w * 1e3).toFixed(4);
        const p = res.power;
        out.say(`power of ${r.top} at ${clockNs} ns (${(1000 / clockNs).toFixed(1)} MHz) on ${res.library}`);
        out.say(`  activity: ${res.activitySource}`);
        out.say(`  internal ${mw(p.internalW)} mW, switching ${mw(p.switchingW)} mW, leakage ${mw(p.leakageW)} mW, total ${mw(p.totalW)} mW`);
        out.say(`  energy per MAC: ${res.energyPerMacPJ.toFixed(4)} pJ${res.measured ? ` (${res.beats} beats in ${res.cycles} cycles)` : ' (at one beat per cycle)'}`);
        out.say(`  area ${rep.area!.toFixed(0)} um^2 (${rep.perMac.um2.toFixed(1)} per MAC); timing: slack ${res.timing.worstSlackNs.toFixed(3)} ns, Fmax ${res.timing.fmaxMHz.toFixed(1)} MHz`);
        const summary = { ok: true, family: r.family.name, params: r.params, dir, area: rep.area, perMacUm2: rep.perMac.um2, ...res, run: undefined, seed: res.measured ? seed : undefined, stimulus: res.measured ? stimulus : undefined };
        writeFileAtomic(join(dir, 'power.json'), JSON.stringify(summary, null, 2) + '\n');
        out.say(`  report: ${join(dir, 'power.json')}`);
        out.result(summary);
        return 0;
      }),
    );
}
