import { Command } from 'commander';
import { join } from 'node:path';
import { checkEnv, familyCommand, numberOption, onFamily, prepareRtl } from './common.js';
import { withTimeLimit } from './limits.js';
import { DEFAULT_CLOCK_NS, LIB_FILE, netlistFile, synth, TARGETS, type SynthReport, type Target } from '../flows/tools/yosys.js';
import { runSta, type TimingReport } from '../flows/tools/opensta.js';
import { DEVICES, placeAndRoute, type PnrReport } from '../flows/tools/nextpnr.js';
import chalk from 'chalk';
import { writeFileAtomic } from '../core/fsutil.js';
import { UsageError } from '../generators/common/params.js';

export function formatSynth(s: SynthReport & { timing?: TimingReport }): string {
  const lines = [`${s.target} synthesis of ${s.top} (${s.macs} MACs per cycle) with ${s.tool}, ${s.seconds.toFixed(1)} s`];
  if (s.transistors !== undefined) lines.push(`  transistors (stat -tech cmos): ${s.transistors}  = ${s.perMac.transistors.toFixed(1)} per MAC`);
  if (s.area !== undefined) lines.push(`  area: ${s.area.toFixed(0)} um^2 = ${s.perMac.um2.toFixed(1)} um^2 per MAC (${s.library})`);
  if (s.timing) {
    const t = s.timing;
    lines.push(`  timing (OpenSTA): critical path ${t.criticalPathNs.toFixed(3)} ns (${t.startpoint} -> ${t.endpoint}), slack ${t.worstSlackNs.toFixed(3)} ns at ${t.clockNs} ns${t.met ? '' : ' (VIOLATED)'}, Fmax ${t.fmaxMHz.toFixed(1)} MHz`);
  }
  if (s.resources) {
    lines.push('  ' + Object.entries(s.resources).map(([k, v]) => `${k} ${v} (${s.perMac[k].toFixed(2)}/MAC)`).join('  '));
    if (s.target !== 'ice40') lines.push('  (synthesis estimate: no place and route)');
  }
  lines.push('  cells: ' + Object.entries(s.cells).map(([k, v]) => `${k} ${v}`).join(', '));
  return lines.join('\n');
}

export function synthCommand(): Command {
  return withTimeLimit(familyCommand('synth', 'synthesize a design with Yosys and report cells, per-MAC figures and tool time (saved as synth-<target>.json in the output directory)'))
    .option('--target <target>', `${TARGETS.join(' | ')}`, 'generic')
    .option('--clock-ns <ns>', 'asic: clock period ABC maps for and OpenSTA checks (slack at this period; Fmax from the critical path)', String(DEFAULT_CLOCK_NS))
    .option('--pnr', 'ice40: place and route with nextpnr-ice40 (utilization, post-route Fmax)')
    .option('--device <device>', `ice40 device for --pnr: ${Object.keys(DEVICES).join(' | ')}`, 'hx8k')
    .option('--rtl <dir>', 'synthesize this RTL instead of generating it')
    .option('--out <dir>', 'where to generate the RTL and write scripts, netlists, logs and reports (with --rtl: all but the RTL; default lowbit-out/<family>-<hash>)')
    .action(
      onFamily(async (r, opts, out) => {
        const target = opts.target as Target;
        if (!TARGETS.includes(target)) throw new UsageError(`target must be one of ${TARGETS.join(', ')}, not ${JSON.stringify(opts.target)}`);
        const clockNs = numberOption('clock-ns', opts.clockNs, 0.01, 1e6);
        const device = opts.device as string;
        if (opts.pnr && target !== 'ice40') throw new UsageError(`--pnr needs --target ice40, not ${target}`);
        if (!DEVICES[device]) throw new UsageError(`device must be one of ${Object.keys(DEVICES).join(', ')}, not ${JSON.stringify(device)}`);
        checkEnv({ yosys: true, liberty: target === 'asic' });
        const { workDir: dir, files, incdirs } = await prepareRtl(r, opts as { rtl?: string; out?: string });
        // Per MAC per cycle: a bit-serial design does rows*k MACs every beatCycles cycles.
        const macs = (r.params.rows * r.params.k) / (r.family.layout(r.params).beatCycles ?? 1);
        const rep: SynthReport & { timing?: TimingReport } = await synth(files, r.top, target, macs, join(dir, 'logs'), { clockNs, workDir: dir, incdirs });
        if (target === 'asic') {
          const sta = await runSta({ dir, liberty: LIB_FILE, netlist: netlistFile('asic'), top: r.top, clockNs }, join(dir, 'logs', 'sta-timing.log'));
          rep.timing = sta.timing;
          writeFileAtomic(join(dir, 'synth-asic.json'), JSON.stringify(rep, null, 2) + '\n');
        }
        out.say(formatSynth(rep));
        out.say(`  report: ${join(dir, `synth-${target}.json`)}`);
        let pnr: PnrReport | undefined;
        if (opts.pnr) {
          pnr = await placeAndRoute(dir, device, rep.lut4 ?? 0, join(dir, 'logs', 'nextpnr-ice40.log'));
          writeFileAtomic(join(dir, 'pnr-ice40-summary.json'), JSON.stringify(pnr, null, 2) + '\n');
          if (pnr.fits) {
            const u = Object.entries(pnr.utilization).map(([k, v]) => `${k} ${v.used}/${v.available}`).join(', ');
            out.say(`  place and route (${pnr.tool}) on ${device} (${pnr.package}): ${u}; post-route Fmax ${pnr.fmaxMHz?.toFixed(1) ?? '?'} MHz`);
          } else {
            out.say(chalk.red(`  does not fit ${device}: ${pnr.problem}`));
          }
        }
        out.result({ ok: !pnr || pnr.fits, family: r.family.name, params: r.params, dir, ...rep, pnr });
        return pnr && !pnr.fits ? 1 : 0;
      }),
    );
}
