import { Command } from 'commander';
import { familyCommand, given, onFamily } from './common.js';
import { estimate, ESTIMATE_TARGETS, type EstimateResult } from '../api/estimate.js';

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));

export function formatEstimate(r: EstimateResult): string {
  const lines = [`estimate of ${r.family} (${r.macs} MACs per cycle, logic depth ~${r.depth} adder levels); analytical model, no synthesis`];
  for (const t of Object.values(r.targets)) {
    if (!t) continue;
    const per = t.perMac;
    if (t.resources) lines.push(`  ${t.target.padEnd(8)} ` + Object.entries(t.resources).map(([k, v]) => `${k} ${fmt(v)} (${fmt(per[k])}/MAC)`).join('  '));
    if (t.transistors !== undefined) lines.push(`  ${t.target.padEnd(8)} transistors ${fmt(t.transistors)} (${fmt(per.transistors)}/MAC)`);
    if (t.area !== undefined) lines.push(`  ${t.target.padEnd(8)} area ${t.area.toFixed(0)} um^2 (${fmt(per.um2)}/MAC)`);
  }
  return lines.join('\n');
}

export function estimateCommand(): Command {
  return familyCommand('estimate', 'estimate a design\'s cost from its family\'s analytical model: iCE40 LUT4/carry/DFF, generic-CMOS transistors, xc7 LUT/CARRY4/FF, OSU 0.18 um um^2, per MAC; instant, no tool run (see README "Estimates")')
    .option('--target <targets>', `comma-separated: ${ESTIMATE_TARGETS.join(' | ')} (default all)`)
    .action(
      onFamily(async (base, opts, out) => {
        const r = await estimate({ family: base.family, params: base.params, top: base.top, argv: base.argv, ...given(opts, 'target') });
        out.say(formatEstimate(r));
        out.result(r);
        return 0;
      }),
    );
}
