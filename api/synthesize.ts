// Synthesis as the commands share it (synth, power, cosim --netlist, demo): per-MAC figures divided by
// MACs per cycle (macsPerCycle: a bit-serial beat takes several cycles), OpenSTA timing for asic,
// every figure recorded with its unit and the report it came from.

import { join } from 'node:path';
import { macsPerCycle } from '../generators/common/family.js';
import { LIB_FILE, netlistFile, synth, type SynthReport, type Target } from '../flows/tools/yosys.js';
import { runSta, type TimingReport } from '../flows/tools/opensta.js';
import { liberty } from '../flows/tools/liberty.js';
import { writeFileAtomic } from '../core/fsutil.js';
import type { Design } from './design.js';
import type { Recorder } from './record.js';

/** A synthesis report, with OpenSTA's timing for asic. */
export type SynthResult = SynthReport & { timing?: TimingReport };

/** What the FPGA resource counts are called in units. */
const RESOURCE_UNITS: Record<string, string> = {
  lut4: 'LUT4', carry: 'SB_CARRY', dff: 'DFF', dsp: 'SB_MAC16', bram: 'BRAM', ccu2c: 'CCU2C', mult18: 'MULT18X18D', ff: 'FF', lut: 'LUT', carry4: 'CARRY4', dsp48: 'DSP48E1', muxf: 'MUXF7/8',
};

/** The report file of a target's synthesis in a work directory (written by flows/tools/yosys.ts). */
export const synthReportFile = (dir: string, target: Target): string => join(dir, `synth-${target}.json`);

/** Records a synthesis report's figures: counts, per-MAC figures, area and timing (names prefixed by `prefix`). */
export function synthMetrics(rec: Recorder, rep: SynthResult, dir: string, prefix = ''): void {
  const src = synthReportFile(dir, rep.target);
  const m = (name: string, value: number | undefined, unit: string, source = src) => rec.metric(prefix + name, value, unit, source);
  m('macs_per_cycle', rep.macs, 'MAC/cycle');
  m('cells', rep.totalCells, 'cells');
  m('cells_per_mac', rep.perMac.cells, 'cells/MAC');
  m('transistors', rep.transistors, 'transistors');
  m('transistors_per_mac', rep.perMac.transistors, 'transistors/MAC');
  m('logic_levels', rep.levels, 'gates');
  for (const [k, v] of Object.entries(rep.resources ?? {})) {
    const unit = RESOURCE_UNITS[k] ?? k;
    m(k, v, unit);
    m(`${k}_per_mac`, rep.perMac[k], `${unit}/MAC`);
  }
  m('area', rep.area, 'um2');
  m('area_per_mac', rep.perMac.um2, 'um2/MAC');
  if (rep.timing) {
    const log = join(dir, 'logs', 'sta-timing.log');
    m('slack', rep.timing.worstSlackNs, 'ns', log);
    m('critical_path', rep.timing.criticalPathNs, 'ns', log);
    m('fmax', rep.timing.fmaxMHz, 'MHz', log);
  }
}

/**
 * Synthesizes a design's sources for `target` in `dir` (logs in `dir`/logs), dividing per-MAC figures
 * by MACs per cycle; with `timing` (asic), OpenSTA times the netlist at `clockNs` and the report file
 * is rewritten with the timing.
 */
export async function synthesize(
  d: Design,
  src: { workDir: string; files: string[]; incdirs: string[] },
  target: Target,
  rec: Recorder,
  o: { clockNs?: number; timing?: boolean; prefix?: string } = {},
): Promise<SynthResult> {
  const dir = src.workDir;
  const macs = macsPerCycle(d.family.layout(d.params));
  rec.used('yosys');
  if (target === 'asic') rec.read([liberty().path]);
  const p = o.prefix ?? '';
  const rep: SynthResult = await rec.step(`${p}yosys synth ${target}`, () => synth(src.files, d.top, target, macs, join(dir, 'logs'), { clockNs: o.clockNs, workDir: dir, incdirs: src.incdirs }));
  if (target === 'asic' && o.timing) {
    rec.used('sta');
    const sta = await rec.step(`${p}opensta timing`, () => runSta({ dir, liberty: LIB_FILE, netlist: netlistFile('asic'), top: d.top, clockNs: rep.clockNs! }, join(dir, 'logs', 'sta-timing.log')));
    rep.timing = sta.timing;
    writeFileAtomic(synthReportFile(dir, 'asic'), JSON.stringify(rep, null, 2) + '\n');
  }
  synthMetrics(rec, rep, dir, p);
  return rep;
}
