// What a sweep leaves in its output directory: points.json (the report: every point with its
// parameters, figures, estimates, errors and reproduce commands), points.csv (one row per point and
// target, for spreadsheets and pandas) and report.html. Each written atomically.

import { writeFileAtomic } from '../core/fsutil.js';
import type { SweepReport } from './sweep.js';
import { TARGET_FACTS } from './sweepTargets.js';

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
export const csvField = (v: unknown): string => {
  const s = v === undefined || v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** points.csv: one row per (point, target). */
export function pointsCsv(r: SweepReport): string {
  const params = [...new Set(r.points.flatMap((p) => Object.keys(p.params)))];
  const figures = [...new Set(r.sweep.targets.flatMap((t) => TARGET_FACTS[t].figures.map((f) => f.metric)))];
  const power = r.points.some((p) => p.power);
  const head = ['point', 'family', 'datapath', 'status', 'verified', ...params, 'macs_per_cycle', 'target', ...figures, ...figures.map((f) => `estimate_${f}`), ...figures.map((f) => `error_${f}`), 'throughput', 'throughput_unit', 'post_route_fmax_mhz', 'pareto', ...(power ? ['energy_per_mac_pj', 'power_mw'] : []), 'note', 'reproduce'];
  const rows = r.points.flatMap((p) =>
    r.sweep.targets.map((t) => {
      const pt = p.targets[t];
      return [
        p.name, p.family, p.datapath, p.status, p.verified ?? '', ...params.map((k) => p.params[k]), p.macsPerCycle, t,
        ...figures.map((f) => pt?.measured[f]), ...figures.map((f) => pt?.estimate[f]), ...figures.map((f) => pt?.error[f]),
        pt?.throughput, pt?.throughput !== undefined ? TARGET_FACTS[t].throughput?.unit : '', pt?.measured.post_route_fmax, pt?.pareto ? 'true' : 'false',
        ...(power ? [p.power?.energyPerMac, p.power?.totalPower] : []), pt?.note,
        // This row's figures: the co-simulation and this target's synthesis.
        [p.cosim?.command, pt?.command].filter(Boolean).join(' && '),
      ];
    }),
  );
  return [head, ...rows].map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}

/** Writes points.json, points.csv and report.html. */
export async function writeSweepFiles(r: SweepReport): Promise<void> {
  writeFileAtomic(r.files.json, JSON.stringify(r, null, 2) + '\n');
  writeFileAtomic(r.files.csv, pointsCsv(r));
  // Vega is loaded here, not when lowbit starts: every other command (and every job of a run) starts without it.
  const { sweepHtml } = await import('./sweepReport.js');
  writeFileAtomic(r.files.report, await sweepHtml(r));
}
