// `lowbit sweep`: design-space exploration. A grid over families is expanded into points (the
// families' own rules skip what they refuse), every point gets the cost model's estimate at once, and,
// unless only estimates are asked for, the points (all, or those on or near the estimated Pareto
// front) become jobs of the regression runner: a short co-simulation (no unverified point is ever
// reported as measured) and a synthesis per target (iCE40 also placed and routed when it fits),
// optionally power. Parallel, cached by content, resumable (an interrupted sweep reruns only what the
// cache does not hold), on this machine or a Slurm cluster. The results are points.json, points.csv
// and a self-contained report.html in the output directory.

import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import type { Family } from '../generators/common/family.js';
import { macsPerCycle } from '../generators/common/family.js';
import { DEVICES } from '../flows/tools/nextpnr.js';
import { SIMULATORS } from '../testbenches/simulator.js';
import { paramFlags } from './design.js';
import { estimatePoint } from './estimate.js';
import { familyOf } from './familyRefs.js';
import { runJobs, schedulerOptions, type SchedulerOptions } from './jobRun.js';
import { checkWritableDir, numberOption, oneOf, outDirOption, type Numeric } from './options.js';
import { paretoFront } from './pareto.js';
import { RANGES, rangeOption, SEED_RANGE } from './ranges.js';
import { Recorder, type RunRecord } from './record.js';
import { deriveSeed, generatedRtlDigest, type Job } from './regressJobs.js';
import type { RegressReport } from './regressReport.js';
import type { JobResult, SchedulerEvents } from './regressRunner.js';
import { expandGrid, gridFromFlags, sweptParams, type Grid, type GridPoint, type SkippedPoint } from './sweepGrid.js';
import { writeSweepFiles } from './sweepFiles.js';
import { loadSweep, sweepDefaults, type SweepDefinition } from './sweepSuite.js';
import { areaFigure, metricOf, SWEEP_TARGETS, TARGET_FACTS, throughputOf, type SweepTarget } from './sweepTargets.js';

export type { SweepDefinition } from './sweepSuite.js';

/** Options of {@link sweep} (the flags of `lowbit sweep`, in camelCase). */
export interface SweepOptions extends SchedulerEvents, SchedulerOptions {
  /** Families: a comma-separated list or an array (with `grid`), or leave out and give `suite`. */
  families?: string | string[];
  /** The grid: `--grid` flags (`rows=1,4,16`) or an object of value lists. */
  grid?: string[] | Grid;
  /** Parameters every point takes (applied to the families that have them). */
  params?: Record<string, unknown>;
  /** Targets: ice40, generic, xilinx, asic (comma-separated or an array; default ice40,generic). */
  target?: string | string[];
  /** A suite file with a `sweeps:` section (instead of families and grid). */
  suite?: string;
  /** Which of the suite's sweeps (needed when it has several). */
  name?: string;
  /** Only the cost model: no tool runs, no jobs (10,000 points in seconds). */
  estimateOnly?: boolean;
  /** all (default): measure every point; pareto: only the points on or near the estimated front. */
  synthesize?: string;
  /** How near the estimated front a point must be for `synthesize: pareto`, percent 0..100 (default 10). */
  near?: Numeric;
  /** iCE40: also place and route (nextpnr's Fmax, where the design fits the device's cells and pins; default false). */
  pnr?: boolean;
  /** iCE40 device (default hx8k). */
  device?: string;
  /** Also measure power (OpenSTA on the OSU 0.18 um cells): energy per MAC. */
  power?: boolean;
  /** Vectors of each point's co-simulation (default 100, directed corner vectors first). */
  vectors?: Numeric;
  /** Simulator of each point's co-simulation: auto (default: Icarus for small designs, Verilator for the rest), verilator or iverilog. */
  sim?: string;
  /** Seed the per-point seeds are derived from (default 1). */
  seed?: Numeric;
  /** Output directory (default lowbit-out/sweep-<name>). */
  out?: string;
  runsDir?: string;
  argv?: string[];
  onNote?: (text: string) => void;
  onPlan?: (p: { total: number; cached: number; toRun: number; runDir: string }) => void;
}

/** One target's figures of a point. */
export interface PointTarget {
  /** measured (synthesis ran), estimated (only the model), failed / error (its job did not pass). */
  status: 'measured' | 'estimated' | 'failed' | 'error';
  /** Figures per MAC measured by synthesis, by metric name (`lut4_per_mac`). */
  measured: Record<string, number>;
  /** The cost model's figures, by the same names. */
  estimate: Record<string, number>;
  /** (estimate - measured) / measured, per figure both have. */
  error: Record<string, number>;
  /** Throughput measured (unit per the target: MMAC/s or MAC/gate delay). */
  throughput?: number;
  /** The cost model's relative throughput (MACs per cycle / adder levels): what `pareto` selection ranks by. */
  estimatedThroughput: number;
  /** On the Pareto front of area per MAC against throughput among the verified points (measured), or of the estimates. */
  pareto?: boolean;
  /** Why a figure is missing (not placed: too big for the device, ...), or why the job failed. */
  note?: string;
  command?: string;
  log?: string;
}

/** One point of a sweep. */
export interface SweepPoint {
  name: string;
  family: string;
  /** table (LUT) or direct datapath. */
  datapath: 'table' | 'direct';
  /** Every parameter, defaults filled. */
  params: Record<string, unknown>;
  /** The grid values that made the point. */
  grid: Record<string, unknown>;
  macsPerCycle: number;
  /** measured (every job passed), estimated (no job ran), failed (a check failed), error (no verdict). */
  status: 'measured' | 'estimated' | 'failed' | 'error';
  /** The co-simulation passed (absent: none ran). */
  verified?: boolean;
  cosim?: { status: string; seed?: number; message?: string; replay?: string; command: string };
  targets: Partial<Record<SweepTarget, PointTarget>>;
  power?: { energyPerMac?: number; totalPower?: number; fmax?: number; throughput?: number; pareto?: boolean; status: string; command: string };
  /** The commands that reproduce the point's figures (co-simulation, then synthesis per target, power). */
  reproduce: string[];
}

export interface SweepCounts {
  points: number;
  skipped: number;
  measured: number;
  estimated: number;
  failed: number;
  errors: number;
}

/** What `lowbit sweep` returns (`--json`) and writes as points.json's `sweep` and run.json. */
export interface SweepReport extends RunRecord {
  sweep: SweepDefinition & { estimateOnly: boolean };
  out: string;
  files: { report: string; csv: string; json: string };
  points: SweepPoint[];
  skipped: SkippedPoint[];
  notes: string[];
  counts: SweepCounts;
  /** The parameters the grid varies (x axes of the report's plots). */
  swept: string[];
  /** The job run (absent with estimateOnly). */
  run?: { runDir: string; record: string; counts: RegressReport['counts']; seconds: number };
}

const asList = (v: string | string[] | undefined): string[] | undefined =>
  v === undefined ? undefined : (Array.isArray(v) ? v : String(v).split(',')).map((s) => s.trim()).filter((s) => s !== '');

/** The sweep the options describe: from the command line's families and grid, or a suite's `sweeps:`. */
function definition(o: SweepOptions): SweepDefinition {
  const cli = o.families !== undefined || o.grid !== undefined;
  if (o.suite !== undefined && cli) throw new UsageError('give either a suite file (its sweeps: section) or families with --grid, not both');
  let d: SweepDefinition;
  if (o.suite !== undefined) {
    d = loadSweep(o.suite, o.name);
  } else {
    if (o.name !== undefined) throw new UsageError('--name picks a sweep of a suite file; give the suite file');
    const families = asList(o.families);
    if (!families?.length) throw new UsageError('families: give one or more families (lowbit sweep ternary,dense --grid rows=1,4) or a suite file with a sweeps: section');
    families.forEach((f) => familyOf(f));
    const grid = o.grid === undefined ? {} : Array.isArray(o.grid) ? gridFromFlags(o.grid) : o.grid;
    d = { ...sweepDefaults(), name: 'sweep', families, grid, params: o.params ?? {} };
  }
  // Command-line options override the file's.
  const targets = asList(o.target);
  if (targets) {
    if (!targets.length) throw new UsageError(`target must name at least one of ${SWEEP_TARGETS.join(', ')}`);
    d.targets = [...new Set(targets.map((t) => oneOf('target', t, SWEEP_TARGETS)))];
  }
  if (o.synthesize !== undefined) d.synthesize = oneOf('synthesize', o.synthesize, ['all', 'pareto'] as const);
  if (o.near !== undefined) d.near = numberOption('near', o.near, 0, 100);
  if (o.pnr !== undefined) d.pnr = o.pnr;
  if (o.device !== undefined) d.device = oneOf('device', o.device, Object.keys(DEVICES));
  if (o.power !== undefined) d.power = o.power;
  if (o.vectors !== undefined) d.vectors = rangeOption('vectors', o.vectors, RANGES.cosim.vectors);
  if (o.sim !== undefined) d.sim = oneOf('sim', o.sim, ['auto', ...Object.keys(SIMULATORS)]);
  if (o.seed !== undefined) d.seed = rangeOption('seed', o.seed, SEED_RANGE);
  return d;
}

/** The estimate of a point, under the metric names synthesis uses. */
function estimated(p: GridPoint, targets: readonly SweepTarget[]): { targets: Record<string, PointTarget> } {
  const e = estimatePoint(p.design.family, p.design.params, targets);
  const out: Record<string, PointTarget> = {};
  for (const t of targets) {
    const te = e.targets[t]!;
    const est: Record<string, number> = {};
    for (const f of TARGET_FACTS[t].figures) if (f.estimate && te.perMac[f.estimate] !== undefined) est[f.metric] = te.perMac[f.estimate];
    out[t] = { status: 'estimated', measured: {}, estimate: est, error: {}, estimatedThroughput: e.macs / Math.max(1, e.depth) };
  }
  return { targets: out };
}

/** For each point, whether it is on (or within `slack` of) a target's estimated front. */
function estimatedFront(points: SweepPoint[], t: SweepTarget, slack = 0): boolean[] {
  const area = areaFigure(t).metric;
  return paretoFront(points.map((p) => ({ cost: p.targets[t]!.estimate[area] ?? Infinity, benefit: p.targets[t]!.estimatedThroughput })), slack);
}

/** The points the estimated fronts select (any target), for `synthesize: pareto`. */
function selectPareto(points: SweepPoint[], targets: readonly SweepTarget[], near: number): Set<number> {
  const chosen = new Set<number>();
  for (const t of targets) estimatedFront(points, t, near / 100).forEach((on, i) => on && points[i].targets[t]!.estimate[areaFigure(t).metric] !== undefined && chosen.add(i));
  return chosen;
}

/**
 * Explores a design space: a grid over families, each point estimated by the cost model and (unless
 * `estimateOnly`) verified by a short co-simulation and measured by synthesis per target, as jobs of
 * the regression runner (parallel, cached, resumable, Slurm-capable). Writes report.html, points.csv
 * and points.json in `out`.
 *
 * @returns the report; `ok` is false when a point's job failed (a mismatch, a tool error)
 * @throws UsageError (exit 2, nothing written) for a bad grid, family, target or suite
 * @example
 * const r = await sweep({ families: 'ternary,dense', grid: { rows: [1, 4], k: [16, 32] }, target: 'generic' });
 * console.log(r.counts, r.files.report);
 */
export async function sweep(o: SweepOptions): Promise<SweepReport> {
  const rec = new Recorder('sweep', o.argv);
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  // Everything is checked before anything is written.
  const def = definition(o);
  const estimateOnly = !!o.estimateOnly;
  const scheduling = schedulerOptions(o);
  const out = outDirOption('out', o.out ?? join('lowbit-out', `sweep-${def.name}`));
  checkWritableDir('out', out);
  const runsDir = outDirOption('runs-dir', o.runsDir ?? 'lowbit-runs');
  if (!estimateOnly) checkWritableDir('runs-dir', runsDir);
  const families: Family[] = def.families.map((f) => familyOf(f));
  const noModel = families.filter((f) => !f.estimate);
  if (noModel.length && (estimateOnly || def.synthesize === 'pareto')) throw new UsageError(`${noModel.map((f) => f.name).join(', ')} ${noModel.length > 1 ? 'have' : 'has'} no cost model: ${estimateOnly ? '--estimate-only' : '--synthesize pareto'} needs one`);
  const grid = expandGrid(families, def.grid, def.params);
  if (grid.points.length === 0) throw new UsageError(`the grid has no valid point: ${grid.skipped.length} combination(s), all refused by the families' rules (first: ${grid.skipped[0]?.name}: ${grid.skipped[0]?.reason})`);
  for (const n of grid.notes) o.onNote?.(n);
  if (grid.skipped.length) o.onNote?.(`${grid.skipped.length} grid point(s) skipped (the family's rules refuse them; listed in the report and points.json)`);

  const points: SweepPoint[] = grid.points.map((p) => ({
    name: p.name,
    family: p.design.family.name,
    datapath: p.design.family.datapath ?? 'direct',
    params: { ...p.design.params },
    grid: p.grid,
    macsPerCycle: macsPerCycle(p.design.family.layout(p.design.params)),
    status: 'estimated',
    ...(p.design.family.estimate ? estimated(p, def.targets) : { targets: Object.fromEntries(def.targets.map((t) => [t, { status: 'estimated', measured: {}, estimate: {}, error: {}, estimatedThroughput: 0 }])) }),
    reproduce: [],
  }));
  // Until measured, the front is the estimated one.
  for (const t of def.targets) estimatedFront(points, t).forEach((on, i) => (points[i].targets[t]!.pareto = on));

  let run: RegressReport | undefined;
  if (!estimateOnly) {
    const chosen = def.synthesize === 'pareto' ? selectPareto(points, def.targets, def.near) : new Set(points.map((_, i) => i));
    o.onNote?.(def.synthesize === 'pareto' ? `${chosen.size} of ${points.length} point(s) on or within ${def.near}% of the estimated Pareto fronts: measuring those` : `measuring ${points.length} point(s)`);
    const jobs = pointJobs(def, grid.points, chosen);
    run = await runJobs({
      jobs: jobs.map((j) => j.job),
      command: 'sweep',
      suite: { file: def.file ?? '(command line)', name: def.name, sha256: createHash('sha256').update(JSON.stringify(def)).digest('hex'), seed: def.seed },
      inputs: def.file ? [{ path: def.file, sha256: def.fileSha256! }] : [],
      runsDir, ...scheduling, failFast: false,
      argv: o.argv, t0, startedAt,
      onPlan: o.onPlan, onStart: o.onStart, onDone: o.onDone,
    });
    applyResults(points, jobs, run.jobs, def);
  }

  const counts: SweepCounts = {
    points: points.length,
    skipped: grid.skipped.length,
    measured: points.filter((p) => p.status === 'measured').length,
    estimated: points.filter((p) => p.status === 'estimated').length,
    failed: points.filter((p) => p.status === 'failed').length,
    errors: points.filter((p) => p.status === 'error').length,
  };
  mkdirSync(out, { recursive: true });
  const files = { report: join(out, 'report.html'), csv: join(out, 'points.csv'), json: join(out, 'points.json') };
  const swept = sweptParams(def.grid);
  const fields = {
    sweep: { ...def, estimateOnly },
    out,
    files,
    points,
    skipped: grid.skipped,
    notes: grid.notes,
    counts,
    swept,
    ...(run ? { run: { runDir: run.runDir, record: join(run.runDir, 'run.json'), counts: run.counts, seconds: run.seconds } } : {}),
  };
  const ok = counts.failed === 0 && counts.errors === 0;
  rec.metric('points', counts.points, 'points', files.json);
  rec.metric('points_measured', counts.measured, 'points', files.json);
  rec.metric('points_skipped', counts.skipped, 'points', files.json);
  // The tools are the job run's (each job records its own in its run.json).
  const report = { ...(await rec.finish(undefined, fields, ok)), ...(run ? { tools: run.tools } : {}) } as SweepReport;
  await writeSweepFiles(report);
  return report;
}

interface PointJob {
  job: Job;
  point: number;
  kind: 'cosim' | 'synth' | 'power';
  target?: SweepTarget;
}

/** The jobs of the chosen points: cosim, synth per target (iCE40 placed and routed when its estimate fits), power. */
function pointJobs(def: SweepDefinition, gridPoints: GridPoint[], chosen: Set<number>): PointJob[] {
  const jobs: PointJob[] = [];
  const add = (point: number, kind: PointJob['kind'], j: Omit<Job, 'index' | 'design' | 'rtlDigest'>, rtlDigest: string, target?: SweepTarget) =>
    jobs.push({ job: { ...j, index: jobs.length, design: gridPoints[point].name, rtlDigest }, point, kind, target });
  for (const i of [...chosen].sort((a, b) => a - b)) {
    const p = gridPoints[i];
    const d = p.design;
    const digest = generatedRtlDigest(d);
    const base = [d.family.name, ...paramFlags(d), '--top', d.top];
    const seed = deriveSeed(def.seed, p.name, 'cosim', 0);
    const sim = def.sim === 'auto' ? autoSimulator(d.params) : def.sim;
    add(i, 'cosim', { name: `${p.name}/cosim`, check: 'cosim', seed, sim, argv: ['cosim', ...base, '--vectors', String(def.vectors), '--sim', sim, '--seed', String(seed)] }, digest);
    for (const t of def.targets) {
      const pnr = t === 'ice40' && def.pnr && fitsDevice(d, def.device);
      add(i, 'synth', { name: `${p.name}/synth/${t}`, check: 'synth', target: t, argv: ['synth', ...base, '--target', t, ...(pnr ? ['--pnr', '--device', def.device] : [])] }, digest, t);
    }
    if (def.power) {
      const ps = deriveSeed(def.seed, p.name, 'power', 0);
      add(i, 'power', { name: `${p.name}/power`, check: 'power', seed: ps, argv: ['power', ...base, '--seed', String(ps)] }, digest);
    }
  }
  return jobs;
}

/**
 * The simulator `sim: auto` picks: Icarus starts at once but simulates every lane event by event (100
 * vectors of a 16 x 64 array took over four minutes here); Verilator compiles for 7-15 s, then runs
 * them in well under a second. Up to 32 lanes (rows x k), Icarus is the faster of the two.
 */
export const AUTO_SIM_LANES = 32;
export const autoSimulator = (p: { rows: number; k: number }): string => (p.rows * p.k <= AUTO_SIM_LANES ? 'iverilog' : 'verilator');

/**
 * Whether a design is placed and routed: its estimated LUT4 count within 80% of the device's logic
 * cells (the estimate's largest error on the calibration points is under 20%). A bigger design gets
 * its synthesis figures and no Fmax, and the point says why.
 */
export const PNR_FILL = 0.8;
function fitsDevice(d: GridPoint['design'], device: string): boolean {
  if (!d.family.estimate) return true;
  const lut4 = d.family.estimate(d.params).targets.ice40.lut4 ?? 0;
  return lut4 <= PNR_FILL * DEVICES[device].lcs;
}

/** Folds the jobs' results into the points: figures, errors, verdicts, the measured fronts. */
function applyResults(points: SweepPoint[], jobs: PointJob[], results: JobResult[], def: SweepDefinition): void {
  const byIndex = new Map(results.map((r) => [r.index, r]));
  const touched = new Set<number>();
  const synthMetrics: Partial<Record<SweepTarget, JobResult['metrics']>>[] = [];
  for (const pj of jobs) {
    const r = byIndex.get(pj.job.index);
    const p = points[pj.point];
    touched.add(pj.point);
    if (!r) continue;
    p.reproduce.push(r.command);
    if (pj.kind === 'cosim') {
      p.verified = r.status === 'passed';
      p.cosim = { status: r.status, seed: r.seed, command: r.command, ...(r.message ? { message: r.message } : {}), ...(r.replay ? { replay: r.replay } : {}) };
    } else if (pj.kind === 'synth') {
      const t = pj.target!;
      const pt = p.targets[t]!;
      pt.command = r.command;
      if (r.log) pt.log = r.log;
      (synthMetrics[pj.point] ??= {})[t] = r.metrics;
      for (const f of TARGET_FACTS[t].figures) {
        const v = metricOf(r.metrics, f.metric);
        if (v === undefined) continue;
        pt.measured[f.metric] = v;
        const e = pt.estimate[f.metric];
        if (e !== undefined && v > 0) pt.error[f.metric] = (e - v) / v;
      }
      const fmax = metricOf(r.metrics, 'post_route_fmax');
      if (fmax !== undefined) pt.measured.post_route_fmax = fmax;
      // A design that does not fit the device (cells or I/O pins) is a fact about the point, not a failure of it.
      const unplaced = r.status === 'failed' && /^does not fit/.test(r.message ?? '');
      pt.status = r.status === 'passed' || unplaced ? 'measured' : r.status === 'failed' ? 'failed' : 'error';
      if (unplaced) pt.note = `not placed: ${r.message!.replace(/^does not fit: /, '')}`;
      else if (r.status !== 'passed') pt.note = r.message;
      else if (t === 'ice40' && def.pnr && fmax === undefined) pt.note = `not placed: estimated over ${PNR_FILL * 100}% of ${def.device}'s ${DEVICES[def.device].lcs} logic cells`;
    } else {
      const v = (n: string) => metricOf(r.metrics, n);
      const fmax = v('fmax');
      p.power = { status: r.status, command: r.command, energyPerMac: v('energy_per_mac'), totalPower: v('total_power'), fmax, throughput: fmax !== undefined ? fmax * p.macsPerCycle : undefined };
    }
  }
  for (const i of touched) {
    const p = points[i];
    for (const t of def.targets) p.targets[t]!.throughput = throughputOf(t, p.macsPerCycle, (synthMetrics[i] ?? {}) as Partial<Record<SweepTarget, NonNullable<JobResult['metrics']>>>);
    const statuses = [p.cosim?.status, ...Object.values(p.targets).map((t) => (t!.status === 'measured' ? 'passed' : t!.status === 'estimated' ? undefined : t!.status)), p.power?.status].filter(Boolean);
    p.status = statuses.some((s) => s === 'failed') ? 'failed' : statuses.some((s) => s === 'error' || s === 'skipped') ? 'error' : 'measured';
  }
  // Measured fronts, among verified points only: an unverified figure is never on a front.
  for (const t of def.targets) {
    const area = areaFigure(t).metric;
    const idx = points.map((_, i) => i).filter((i) => points[i].status === 'measured' && points[i].targets[t]!.measured[area] !== undefined && points[i].targets[t]!.throughput !== undefined);
    const on = paretoFront(idx.map((i) => ({ cost: points[i].targets[t]!.measured[area], benefit: points[i].targets[t]!.throughput! })));
    points.forEach((p) => p.status !== 'estimated' && (p.targets[t]!.pareto = false));
    idx.forEach((i, n) => (points[i].targets[t]!.pareto = on[n]));
  }
  const withEnergy = points.map((_, i) => i).filter((i) => points[i].status === 'measured' && points[i].power?.energyPerMac !== undefined && points[i].power?.throughput !== undefined);
  const on = paretoFront(withEnergy.map((i) => ({ cost: points[i].power!.energyPerMac!, benefit: points[i].power!.throughput! })));
  withEnergy.forEach((i, n) => (points[i].power!.pareto = on[n]));
}

