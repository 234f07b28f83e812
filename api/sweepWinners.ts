// The winners of a sweep per target, for the report and the terminal (no charting library here: the
// command line loads Vega only when it writes a report).

import type { SweepPoint, SweepReport } from './sweep.js';
import { areaFigure, TARGET_FACTS, type SweepTarget } from './sweepTargets.js';

const fmt3 = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3, useGrouping: false });
/** A figure with three significant digits (integers as they are). */
export const num = (v: number | undefined): string => (v === undefined ? '' : Number.isInteger(v) ? String(v) : fmt3.format(v));

/** The winners per target among measured (verified) points: smallest area per MAC, highest throughput. */
export function winners(r: SweepReport): { target: SweepTarget; what: string; point: string; value: string }[] {
  const est = r.sweep.estimateOnly;
  const out: { target: SweepTarget; what: string; point: string; value: string }[] = [];
  const pool = r.points.filter((p) => (est ? true : p.status === 'measured'));
  for (const t of r.sweep.targets) {
    const area = areaFigure(t);
    const a = (p: SweepPoint) => (est ? p.targets[t]?.estimate[area.metric] : p.targets[t]?.measured[area.metric]);
    const best = pool.filter((p) => a(p) !== undefined).sort((x, y) => a(x)! - a(y)!)[0];
    if (best) out.push({ target: t, what: `smallest ${area.label}${est ? ' (estimate)' : ''}`, point: best.name, value: `${num(a(best))} ${area.unit}` });
    const th = TARGET_FACTS[t].throughput;
    const tput = (p: SweepPoint) => (est ? p.targets[t]?.estimatedThroughput : p.targets[t]?.throughput);
    const fast = pool.filter((p) => tput(p) !== undefined).sort((x, y) => tput(y)! - tput(x)!)[0];
    if (fast && (th || est)) out.push({ target: t, what: `highest throughput${est ? ' (model: MACs per cycle / adder levels)' : ''}`, point: fast.name, value: `${num(tput(fast))} ${est ? '' : th!.unit}` });
    const front = pool.filter((p) => p.targets[t]?.pareto);
    if (front.length) out.push({ target: t, what: 'on the Pareto front (area per MAC vs throughput)', point: front.map((p) => p.name).join(', '), value: `${front.length} point(s)` });
  }
  const e = pool.filter((p) => p.power?.energyPerMac !== undefined).sort((x, y) => x.power!.energyPerMac! - y.power!.energyPerMac!)[0];
  if (e) out.push({ target: 'asic', what: 'lowest energy per MAC', point: e.name, value: `${num(e.power!.energyPerMac)} pJ/MAC` });
  return out;
}

