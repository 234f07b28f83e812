// The sweep report's charts as Vega-Lite specifications (data, not drawing code): each figure per MAC
// against each swept parameter (one series per family), the Pareto fronts (area per MAC against
// throughput; energy per MAC where power was measured) with the dominated points faded, the estimate
// against synthesis with the y = x line, and the crossover map of table (LUT) against direct datapaths.
// Each chart says how many data marks it draws (`marks`), which the browser test counts.

import type { SweepPoint, SweepReport } from './sweep.js';
import { areaFigure, TARGET_FACTS, type SweepTarget } from './sweepTargets.js';

type Spec = Record<string, unknown>;

export interface Chart {
  id: string;
  section: 'metrics' | 'pareto' | 'estimate' | 'crossover';
  title: string;
  spec: Spec;
  /** Data marks drawn: symbols (points) or, for the crossover map, cells. */
  marks: number;
  markKind: 'symbol' | 'rect';
  /** What a reader should know about the chart (where its numbers come from). */
  caption: string;
}

const WIDTH = 380;
/** Above this many points, the per-parameter charts draw medians and ranges instead of every point. */
export const DETAIL_LIMIT = 2000;
const HEIGHT = 250;

/** Whether a point's figures are measured (verified and synthesized) or only estimated. */
const measured = (p: SweepPoint): boolean => p.status === 'measured';

/** A figure of a point for a target: the measured one when the sweep measured, else the estimate. */
function value(p: SweepPoint, t: SweepTarget, metric: string, estimateOnly: boolean): number | undefined {
  const pt = p.targets[t];
  if (!pt) return undefined;
  return estimateOnly ? pt.estimate[metric] : measured(p) ? pt.measured[metric] : undefined;
}

const familyColor = (families: string[]) => ({ field: 'family', type: 'nominal', title: 'family', scale: { domain: families } });

/** A log scale for a parameter whose values spread over a factor of 8 or more (rows 1..64), else linear. */
function paramScale(values: number[]): Spec {
  const pos = values.filter((v) => v > 0);
  if (pos.length === values.length && pos.length > 1 && Math.max(...pos) / Math.min(...pos) >= 8) return { type: 'log', base: 2 };
  return { zero: false };
}

/** Every chart of a sweep report. */
export function sweepCharts(r: SweepReport): Chart[] {
  const est = r.sweep.estimateOnly;
  const families = [...new Set(r.points.map((p) => p.family))];
  const charts: Chart[] = [];
  const source = est ? 'cost model estimate (no synthesis)' : 'synthesis of co-simulated points';

  // 1. Each figure per MAC against each swept parameter, a series per family (points + median line).
  for (const t of r.sweep.targets) {
    for (const f of TARGET_FACTS[t].figures) {
      for (const x of r.swept) {
        const rows = r.points.flatMap((p) => {
          const y = value(p, t, f.metric, est);
          const xv = p.params[x];
          return y === undefined || xv === undefined ? [] : [{ family: p.family, point: p.name, x: xv, y }];
        });
        if (rows.length === 0 || rows.every((d) => d.y === 0)) continue;
        const numeric = rows.every((d) => typeof d.x === 'number');
        const xEnc = numeric ? { field: 'x', type: 'quantitative', title: x, scale: paramScale(rows.map((d) => d.x as number)) } : { field: 'x', type: 'ordinal', title: x };
        const id = `metric-${t}-${f.metric}-${x}`;
        const title = `${f.label} vs ${x}`;
        if (rows.length > DETAIL_LIMIT) {
          // Too many points to draw one by one: per family and value, the median and the range.
          const groups = new Map<string, { family: string; x: unknown; ys: number[] }>();
          for (const d of rows) {
            const k = `${d.family}\0${String(d.x)}`;
            const g = groups.get(k) ?? { family: d.family, x: d.x, ys: [] };
            g.ys.push(d.y);
            groups.set(k, g);
          }
          const agg = [...groups.values()].map((g) => {
            const ys = g.ys.sort((a, b) => a - b);
            return { family: g.family, x: g.x, y: ys[Math.floor((ys.length - 1) / 2)], lo: ys[0], hi: ys[ys.length - 1], n: ys.length };
          });
          charts.push({
            id,
            section: 'metrics',
            title,
            caption: `${rows.length} point(s), ${source}: over ${DETAIL_LIMIT} points, each mark is a family's median at one ${x}, the bar its range (min to max over the other parameters)`,
            marks: agg.length,
            markKind: 'symbol',
            spec: {
              width: WIDTH,
              height: HEIGHT,
              data: { values: agg },
              layer: [
                { mark: { type: 'rule', opacity: 0.5 }, encoding: { x: xEnc, y: { field: 'lo', type: 'quantitative', title: f.unit }, y2: { field: 'hi' }, color: familyColor(families) } },
                { mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x: xEnc, y: { field: 'y', type: 'quantitative' }, color: familyColor(families) } },
                { mark: { type: 'point', filled: true, size: 40 }, encoding: { x: xEnc, y: { field: 'y', type: 'quantitative' }, color: familyColor(families), shape: { field: 'family', type: 'nominal', scale: { domain: families } }, tooltip: [{ field: 'family' }, { field: 'x', title: x }, { field: 'y', title: 'median', format: '.3~f' }, { field: 'lo', title: 'min', format: '.3~f' }, { field: 'hi', title: 'max', format: '.3~f' }, { field: 'n', title: 'points' }] } },
              ],
            },
          });
          continue;
        }
        charts.push({
          id,
          section: 'metrics',
          title,
          caption: `${rows.length} point(s), ${source}; the line is each family's median at each ${x}`,
          marks: rows.length,
          markKind: 'symbol',
          spec: {
            width: WIDTH,
            height: HEIGHT,
            data: { values: rows },
            layer: [
              { mark: { type: 'point', filled: true, size: 40, opacity: 0.7 }, encoding: { x: xEnc, y: { field: 'y', type: 'quantitative', title: f.unit }, color: familyColor(families), shape: { field: 'family', type: 'nominal', scale: { domain: families } }, tooltip: [{ field: 'point' }, { field: 'y', format: '.3~f' }] } },
              { mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x: xEnc, y: { field: 'y', type: 'quantitative', aggregate: 'median' }, color: familyColor(families) } },
            ],
          },
        });
      }
    }
  }

  // 2. Pareto fronts: area per MAC against throughput, dominated points faded, the front joined.
  for (const t of r.sweep.targets) {
    const th = TARGET_FACTS[t].throughput;
    const area = areaFigure(t);
    const rows = r.points.flatMap((p) => {
      const pt = p.targets[t];
      if (!pt) return [];
      const a = value(p, t, area.metric, est);
      const x = est ? pt.estimatedThroughput : pt.throughput;
      return a === undefined || x === undefined || x <= 0 ? [] : [{ family: p.family, point: p.name, x, y: a, front: pt.pareto ? 'on the front' : 'dominated' }];
    });
    if (rows.length === 0) continue;
    const xTitle = est ? 'MACs per cycle / adder levels (model)' : th?.label ?? 'throughput';
    charts.push(paretoChart(`pareto-${t}`, `Pareto front on ${t}: ${area.label} vs throughput`, rows, families, xTitle, area.unit, `${rows.length} point(s), ${source}; faded: dominated (another point is as cheap or cheaper and as fast or faster)`));
  }
  const energy = r.points.flatMap((p) => (measured(p) && p.power?.energyPerMac !== undefined && p.power.throughput !== undefined ? [{ family: p.family, point: p.name, x: p.power.throughput, y: p.power.energyPerMac, front: p.power.pareto ? 'on the front' : 'dominated' }] : []));
  if (energy.length) charts.push(paretoChart('pareto-energy', 'Pareto front: energy per MAC vs throughput (OSU 0.18 um, OpenSTA)', energy, families, 'MACs/cycle x Fmax (OpenSTA), MMAC/s', 'pJ/MAC', `${energy.length} point(s) with power measured`));

  // 3. Estimate against synthesis, with y = x.
  if (!est) {
    for (const t of r.sweep.targets) {
      for (const f of TARGET_FACTS[t].figures) {
        const rows = r.points.flatMap((p) => {
          const pt = p.targets[t];
          const m = pt?.measured[f.metric];
          const e = pt?.estimate[f.metric];
          return measured(p) && m !== undefined && e !== undefined && m > 0 && e > 0 ? [{ family: p.family, point: p.name, x: m, y: e, error: pt!.error[f.metric] }] : [];
        });
        if (rows.length === 0 || f !== TARGET_FACTS[t].figures[0]) continue;
        const lo = Math.min(...rows.flatMap((d) => [d.x, d.y]));
        const hi = Math.max(...rows.flatMap((d) => [d.x, d.y]));
        const errs = rows.map((d) => Math.abs(d.error ?? 0)).sort((a, b) => a - b);
        const median = errs[Math.floor((errs.length - 1) / 2)];
        const scale = { type: 'log', domain: [lo / 1.1, hi * 1.1] };
        charts.push({
          id: `estimate-${t}-${f.metric}`,
          section: 'estimate',
          title: `Estimate vs synthesis on ${t}: ${f.label}`,
          caption: `${rows.length} point(s); median |error| ${(median * 100).toFixed(1)}%, max ${(errs[errs.length - 1] * 100).toFixed(1)}%; on the line, the model is exact`,
          marks: rows.length,
          markKind: 'symbol',
          spec: {
            width: WIDTH,
            height: HEIGHT,
            layer: [
              { data: { values: [{ v: lo }, { v: hi }] }, mark: { type: 'line', color: '#888', strokeDash: [4, 3] }, encoding: { x: { field: 'v', type: 'quantitative', scale }, y: { field: 'v', type: 'quantitative', scale } } },
              {
                data: { values: rows },
                mark: { type: 'point', filled: true, size: 40, opacity: 0.75 },
                encoding: {
                  x: { field: 'x', type: 'quantitative', title: `synthesis, ${f.unit}`, scale },
                  y: { field: 'y', type: 'quantitative', title: `estimate, ${f.unit}`, scale },
                  color: familyColor(families),
                  tooltip: [{ field: 'point' }, { field: 'x', title: 'synthesis', format: '.3~f' }, { field: 'y', title: 'estimate', format: '.3~f' }, { field: 'error', format: '+.1%' }],
                },
              },
            ],
          },
        });
      }
    }
  }

  // 4. Crossover map: the best table (LUT) design's area per MAC over the best direct one's, by rows and act_bits.
  const hasBoth = r.points.some((p) => p.datapath === 'table') && r.points.some((p) => p.datapath === 'direct');
  if (hasBoth) {
    for (const t of r.sweep.targets) {
      const area = areaFigure(t).metric;
      const cells = new Map<string, { rows: number; act_bits: number; table?: { v: number; p: string }; direct?: { v: number; p: string } }>();
      for (const p of r.points) {
        const v = value(p, t, area, est);
        if (v === undefined) continue;
        const key = `${p.params.rows}/${p.params.act_bits}`;
        const c = cells.get(key) ?? { rows: p.params.rows as number, act_bits: p.params.act_bits as number };
        const side = p.datapath === 'table' ? 'table' : 'direct';
        if (!c[side] || v < c[side]!.v) c[side] = { v, p: p.name };
        cells.set(key, c);
      }
      const rows = [...cells.values()].filter((c) => c.table && c.direct).map((c) => ({ rows: c.rows, act_bits: c.act_bits, ratio: c.table!.v / c.direct!.v, table: c.table!.p, direct: c.direct!.p, label: (c.table!.v / c.direct!.v).toFixed(2) }));
      if (rows.length === 0) continue;
      const extent = Math.max(...rows.map((d) => Math.abs(Math.log2(d.ratio))), 0.1);
      charts.push({
        id: `crossover-${t}`,
        section: 'crossover',
        title: `Where the table pays on ${t}: best LUT design / best direct design, ${areaFigure(t).label}`,
        caption: `${rows.length} cell(s); below 1 (blue) the LUT design is smaller per MAC, above 1 (red) a direct design is; ${source}`,
        marks: rows.length,
        markKind: 'rect',
        spec: {
          width: WIDTH,
          height: HEIGHT,
          data: { values: rows },
          encoding: { x: { field: 'rows', type: 'ordinal', title: 'rows', sort: 'ascending' }, y: { field: 'act_bits', type: 'ordinal', title: 'act_bits', sort: 'descending' } },
          layer: [
            {
              mark: 'rect',
              encoding: {
                color: { field: 'ratio', type: 'quantitative', title: 'LUT / direct', scale: { type: 'log', base: 2, scheme: 'redblue', reverse: true, domain: [2 ** -extent, 2 ** extent], domainMid: 1 } },
                tooltip: [{ field: 'ratio', format: '.2f' }, { field: 'table' }, { field: 'direct' }],
              },
            },
            { mark: { type: 'text', fontSize: 11 }, encoding: { text: { field: 'label' } } },
          ],
        },
      });
    }
  }
  return charts;
}

function paretoChart(id: string, title: string, rows: { family: string; point: string; x: number; y: number; front: string }[], families: string[], xTitle: string, yUnit: string, caption: string): Chart {
  const logX = Math.max(...rows.map((d) => d.x)) / Math.min(...rows.map((d) => d.x)) >= 8;
  const logY = Math.max(...rows.map((d) => d.y)) / Math.min(...rows.map((d) => d.y)) >= 8;
  const x = { field: 'x', type: 'quantitative', title: xTitle, scale: logX ? { type: 'log' } : { zero: false } };
  const y = { field: 'y', type: 'quantitative', title: yUnit, scale: logY ? { type: 'log' } : { zero: false } };
  const data = rows.map((d) => ({ ...d, alpha: d.front === 'on the front' ? 1 : 0.2 }));
  return {
    id,
    section: 'pareto',
    title,
    caption,
    marks: rows.length,
    markKind: 'symbol',
    spec: {
      width: WIDTH,
      height: HEIGHT,
      data: { values: data },
      layer: [
        { transform: [{ filter: "datum.front === 'on the front'" }], mark: { type: 'line', color: '#444', strokeWidth: 1, interpolate: 'step-after' }, encoding: { x, y, order: { field: 'x' } } },
        {
          mark: { type: 'point', filled: true, size: 50 },
          encoding: {
            x,
            y,
            color: familyColor(families),
            shape: { field: 'family', type: 'nominal', scale: { domain: families } },
            opacity: { field: 'alpha', type: 'quantitative', scale: null, legend: null },
            tooltip: [{ field: 'point' }, { field: 'x', title: 'throughput', format: '.3~f' }, { field: 'y', title: yUnit, format: '.3~f' }],
          },
        },
      ],
    },
  };
}
