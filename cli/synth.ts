import { Command } from 'commander';
import chalk from 'chalk';
import { join } from 'node:path';
import { familyCommand, given, onFamily } from './common.js';
import { withTimeLimit } from './limits.js';
import { DEFAULT_CLOCK_NS, TARGETS } from '../flows/tools/yosys.js';
import { DEVICES } from '../flows/tools/nextpnr.js';
import { synth } from '../api/synth.js';
import type { SynthResult } from '../api/synthesize.js';

export function formatSynth(s: SynthResult): string {
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
  return withTimeLimit(familyCommand('synth', 'synthesize a design with Yosys and report cells, per-MAC figures and tool time (saved as synth-<target>.json and run.json in the output directory)', {
    rtl: 'synthesize this RTL instead of generating it',
    out: 'where to generate the RTL and write scripts, netlists, logs and reports (with --rtl: all but the RTL; default lowbit-out/<family>-<hash>)',
  }))
    .option('--target <target>', `${TARGETS.join(' | ')}`, 'generic')
    .option('--clock-ns <ns>', 'asic: clock period ABC maps for and OpenSTA checks (slack at this period; Fmax from the critical path)', String(DEFAULT_CLOCK_NS))
    .option('--pnr', 'ice40: place and route with nextpnr-ice40 (utilization, post-route Fmax)')
    .option('--device <device>', `ice40 device for --pnr: ${Object.keys(DEVICES).join(' | ')}`, 'hx8k')
    .action(
      onFamily(async (base, opts, out) => {
        const r = await synth({ ...base, ...given(opts, 'target', 'clockNs', 'device'), pnr: !!opts.pnr });
        // The human report gives the tool's own time (the record's `seconds` is the whole command's).
        const toolSeconds = r.steps.find((s) => s.name === `yosys synth ${r.target}`)?.seconds ?? r.seconds;
        out.say(formatSynth({ ...r, top: r.top!, seconds: toolSeconds }));
        out.say(`  report: ${join(r.dir, `synth-${r.target}.json`)}`);
        const pnr = r.pnr;
        if (pnr) {
          if (pnr.fits) {
            const u = Object.entries(pnr.utilization).map(([k, v]) => `${k} ${v.used}/${v.available}`).join(', ');
            out.say(`  place and route (${pnr.tool}) on ${pnr.device} (${pnr.package}): ${u}; post-route Fmax ${pnr.fmaxMHz?.toFixed(1) ?? '?'} MHz`);
          } else {
            out.say(chalk.red(`  does not fit ${pnr.device}: ${pnr.problem}`));
          }
        }
        out.result(r);
        return r.ok ? 0 : 1;
      }),
    );
}
