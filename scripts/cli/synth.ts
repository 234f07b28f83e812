import { Command } from 'commander';
import { join } from 'node:path';
import { familyCommand, onFamily, prepareRtl } from './common.js';
import { synth, TARGETS, type SynthReport, type Target } from '../../flows/yosys.js';
import { UsageError } from '../../generators/common/params.js';

export function formatSynth(s: SynthReport): string {
  const lines = [`${s.target} synthesis of ${s.top} (${s.macs} MACs per cycle) with ${s.tool}, ${s.seconds.toFixed(1)} s`];
  if (s.transistors !== undefined) lines.push(`  transistors (stat -tech cmos): ${s.transistors}  = ${s.perMac.transistors.toFixed(1)} per MAC`);
  if (s.lut4 !== undefined) {
    lines.push(`  SB_LUT4 ${s.lut4} (${s.perMac.lut4.toFixed(2)}/MAC)  SB_CARRY ${s.carry} (${s.perMac.carry.toFixed(2)}/MAC)  DFF ${s.dff} (${s.perMac.dff.toFixed(2)}/MAC)`);
  }
  lines.push('  cells: ' + Object.entries(s.cells).map(([k, v]) => `${k} ${v}`).join(', '));
  return lines.join('\n');
}

export function synthCommand(): Command {
  return familyCommand('synth', 'synthesize a design with Yosys and report cells, per-MAC figures and tool time (saved as synth-<target>.json next to the RTL)')
    .option('--target <target>', `${TARGETS.join(' | ')}`, 'generic')
    .option('--rtl <dir>', 'synthesize this RTL instead of generating it')
    .option('--out <dir>', 'where to generate the RTL')
    .action(
      onFamily(async (r, opts, out) => {
        const target = opts.target as Target;
        if (!TARGETS.includes(target)) throw new UsageError(`target must be one of ${TARGETS.join(', ')}, not ${JSON.stringify(opts.target)}`);
        const { dir, files } = prepareRtl(r, opts as { rtl?: string; out?: string });
        // Per MAC per cycle: a bit-serial design does rows*k MACs every beatCycles cycles.
        const macs = (r.params.rows * r.params.k) / (r.family.layout(r.params).beatCycles ?? 1);
        const rep = await synth(files, r.top, target, macs, join(dir, 'logs'));
        out.say(formatSynth(rep));
        out.say(`  report: ${join(dir, `synth-${target}.json`)}`);
        out.result({ ok: true, family: r.family.name, params: r.params, dir, ...rep });
        return 0;
      }),
    );
}
