// The estimate's calibration data (estimate-calibration.json: synthesis figures per design point)
// and its error statistics, shared by the quick test (estimate.test.ts) and the fit
// (scripts/estimate-fit.ts).
import { readFileSync } from 'node:fs';
import type { CostEstimate } from '../../generators/common/estimate.js';

export interface CalibrationPoint {
  family: string;
  target: 'ice40' | 'generic' | 'xilinx' | 'asic';
  params: Record<string, unknown>;
  tool: string;
  macs: number;
  cells: Record<string, number>;
  lut4?: number;
  carry?: number;
  dff?: number;
  transistors?: number;
  area?: number;
  resources?: Record<string, number>;
}

export interface Calibration {
  note: string;
  points: CalibrationPoint[];
}

export const loadCalibration = (): Calibration => JSON.parse(readFileSync(new URL('./estimate-calibration.json', import.meta.url), 'utf8')) as Calibration;

/** The figures compared: target, name (as synth --json), the measured value and the estimated one. */
export const FIGURES: { target: CalibrationPoint['target']; figure: string; measured: (p: CalibrationPoint) => number | undefined; estimated: (e: CostEstimate) => number }[] = [
  { target: 'ice40', figure: 'lut4', measured: (p) => p.lut4, estimated: (e) => e.targets.ice40.lut4! },
  { target: 'ice40', figure: 'carry', measured: (p) => p.carry, estimated: (e) => e.targets.ice40.carry! },
  { target: 'ice40', figure: 'dff', measured: (p) => p.dff, estimated: (e) => e.targets.ice40.dff! },
  { target: 'generic', figure: 'transistors', measured: (p) => p.transistors, estimated: (e) => e.targets.generic.transistors! },
  { target: 'xilinx', figure: 'lut', measured: (p) => p.resources?.lut, estimated: (e) => e.targets.xilinx.resources!.lut },
  { target: 'xilinx', figure: 'carry4', measured: (p) => p.resources?.carry4, estimated: (e) => e.targets.xilinx.resources!.carry4 },
  { target: 'xilinx', figure: 'dsp48', measured: (p) => p.resources?.dsp48, estimated: (e) => e.targets.xilinx.resources!.dsp48 },
  { target: 'xilinx', figure: 'ff', measured: (p) => p.resources?.ff, estimated: (e) => e.targets.xilinx.resources!.ff },
  { target: 'asic', figure: 'area', measured: (p) => p.area, estimated: (e) => e.targets.asic.area! },
];

export interface ErrorRow {
  family: string;
  target: string;
  figure: string;
  params: Record<string, unknown>;
  measured: number;
  estimated: number;
  /** |estimated - measured| / measured */
  error: number;
}

/**
 * One row per calibration point and figure it measured. `price` overrides the figure's estimate
 * (the fit prices blocks with constants it has not written yet).
 */
export function calibrationRows(
  data: Calibration,
  estimateOf: (p: CalibrationPoint) => { blocks: Record<string, number>; estimate: CostEstimate },
  coefs?: Record<string, Record<string, Record<string, number>>>,
): ErrorRow[] {
  const rows: ErrorRow[] = [];
  for (const p of data.points) {
    const { blocks, estimate } = estimateOf(p);
    for (const f of FIGURES) {
      if (f.target !== p.target) continue;
      const m = f.measured(p);
      if (m === undefined || m <= 0) continue;
      const c = coefs?.[f.target]?.[f.figure];
      const e = c ? Object.entries(c).reduce((s, [b, v]) => s + v * blocks[b], 0) : f.estimated(estimate);
      rows.push({ family: p.family, target: f.target, figure: f.figure, params: p.params, measured: m, estimated: e, error: Math.abs(e - m) / m });
    }
  }
  return rows;
}

export interface ErrorStat {
  target: string;
  figure: string;
  /** A family's name, or 'all'. */
  family: string;
  n: number;
  median: number;
  max: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Median and max relative error per target figure, per family and over all families. */
export function errorStats(rows: ErrorRow[]): ErrorStat[] {
  const groups = new Map<string, ErrorRow[]>();
  for (const r of rows) {
    for (const fam of [r.family, 'all']) {
      const key = `${r.target}|${r.figure}|${fam}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key)!.push(r);
    }
  }
  return [...groups.entries()].map(([key, rs]) => {
    const [target, figure, family] = key.split('|');
    const errs = rs.map((r) => r.error);
    return { target, figure, family, n: rs.length, median: median(errs), max: Math.max(...errs) };
  });
}
