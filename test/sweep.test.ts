// lowbit sweep with the real tools, through the CLI as users run it: points verified by co-simulation and
// measured by Yosys (figures equal to the jobs' own reports, errors against the estimate, throughput
// from gate levels, fronts of verified points only), the cached rerun, a point broken on purpose (exit 1,
// never on a front or a winner), an interrupted sweep resumed, --synthesize pareto, a suite's sweeps:
// section with power, Slurm, and the report in Debian's headless chromium (every chart's marks counted,
// no network, not blank, the table sorts).
import { beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { execa } from 'execa';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SweepReport } from '../api/sweep.js';
import type { RegressReport } from '../api/regressReport.js';
import { repoPath } from '../core/paths.js';
import { CHROMIUM, inspectReport } from '../scripts/reportBrowser.js';
import { bringUpCluster } from './slurmCluster.js';
import { CLI, lowbit, tmp } from './helpers.js';

let dir: string;
let cache: string;

/** `lowbit sweep ... --json` with the test's cache: exit code, report, stderr. */
async function sweep(args: string[], env: Record<string, string> = {}) {
  const r = await lowbit(['sweep', ...args, '--runs-dir', join(dir, 'runs'), '--json'], { cwd: dir, env: { LOWBIT_CACHE: cache, ...env } });
  let report: SweepReport;
  try {
    report = JSON.parse(r.stdout) as SweepReport;
  } catch {
    throw new Error(`lowbit sweep ${args.join(' ')} printed no report (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  return { code: r.code, report, stderr: r.stderr };
}

const runRecord = (r: SweepReport): RegressReport => JSON.parse(readFileSync(r.run!.record, 'utf8')) as RegressReport;
const metric = (j: RegressReport['jobs'][number], name: string) => j.metrics?.find((m) => m.name === name)?.value;

// Two families, a family-scoped parameter, a combination lutgemm refuses (k 5 with TL1's pairs).
const GRID = ['ternary,lutgemm', '--grid', 'rows=1,2', '--grid', 'k=8,5', '--grid', 'act_bits=4', '--grid', 'lutgemm.weights=ternary', '--grid', 'lutgemm.encoding=tl1', '--target', 'ice40,generic', '--vectors', '60', '-j', '2'];

beforeAll(() => {
  dir = tmp('sweep');
  cache = join(dir, 'cache');
});

describe('lowbit sweep (local)', () => {
  let first: SweepReport;

  it('verifies and measures every point: figures from the jobs, errors against the estimate, throughput from gate levels', async () => {
    const r = await sweep([...GRID, '--out', join(dir, 'main')]);
    expect(r.code, r.stderr).toBe(0);
    first = r.report;
    expect(first.counts).toEqual({ points: 6, skipped: 2, measured: 6, estimated: 0, failed: 0, errors: 0 });
    expect(first.skipped.map((s) => [s.name, s.reason])).toEqual([
      ['lutgemm[rows=1,k=5]', 'k must be a multiple of g (2), not 5'],
      ['lutgemm[rows=2,k=5]', 'k must be a multiple of g (2), not 5'],
    ]);
    const rec = runRecord(first);
    expect(rec.command).toBe('sweep');
    expect(rec.counts).toMatchObject({ total: 18, passed: 18, cached: 0 });
    const job = (name: string) => rec.jobs.find((j) => j.name === name)!;
    for (const p of first.points) {
      expect(p.verified, p.name).toBe(true);
      expect(p.cosim!.status).toBe('passed');
      const ice = job(`${p.name}/synth/ice40`);
      const gen = job(`${p.name}/synth/generic`);
      expect(p.targets.ice40!.measured.lut4_per_mac).toBe(metric(ice, 'lut4_per_mac'));
      expect(p.targets.ice40!.measured.carry_per_mac).toBe(metric(ice, 'carry_per_mac'));
      expect(p.targets.generic!.measured.transistors_per_mac).toBe(metric(gen, 'transistors_per_mac'));
      const est = p.targets.ice40!.estimate.lut4_per_mac;
      expect(p.targets.ice40!.error.lut4_per_mac).toBeCloseTo((est - metric(ice, 'lut4_per_mac')!) / metric(ice, 'lut4_per_mac')!, 12);
      const levels = metric(gen, 'logic_levels')!;
      expect(levels).toBeGreaterThan(2);
      expect(p.targets.generic!.throughput).toBe(p.macsPerCycle / levels);
      expect(p.targets.ice40!.throughput).toBe(p.macsPerCycle / levels);
      expect(p.reproduce).toEqual([job(`${p.name}/cosim`).command, ice.command, gen.command]);
    }
    // The front: no verified point is both smaller per MAC and faster than a point on it.
    for (const t of ['ice40', 'generic'] as const) {
      const area = t === 'ice40' ? 'lut4_per_mac' : 'transistors_per_mac';
      const front = first.points.filter((p) => p.targets[t]!.pareto);
      expect(front.length).toBeGreaterThan(0);
      for (const p of front) expect(first.points.some((q) => q.targets[t]!.measured[area] < p.targets[t]!.measured[area] && q.targets[t]!.throughput! > p.targets[t]!.throughput!)).toBe(false);
    }
    // points.csv: a row per point and target; the reproduce column is this row's cosim and synthesis.
    const csv = readFileSync(first.files.csv, 'utf8').trim().split('\n');
    expect(csv).toHaveLength(1 + 6 * 2);
  });

  it('a command from the reproduce list gives the same figure', async () => {
    const p = first.points.find((x) => x.family === 'lutgemm')!;
    const cmd = p.targets.generic!.command!;
    const words = cmd.split(' ').slice(2);
    const r = await execa(process.execPath, [CLI, ...words, '--out', join(dir, 'repro'), '--json'], { reject: false, env: { LOWBIT_CACHE: join(dir, 'other-cache') } });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(JSON.parse(String(r.stdout)).perMac.transistors).toBe(p.targets.generic!.measured.transistors_per_mac);
  });

  it('a second identical sweep comes from the cache, with the same figures', async () => {
    const r = await sweep([...GRID, '--out', join(dir, 'again')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.report.run!.counts).toMatchObject({ total: 18, cached: 18 });
    expect(r.report.points.map((p) => p.targets)).toEqual(first.points.map((p) => p.targets));
  });

  it('renders in headless chromium: every chart has one mark per point plotted, no network, not blank, the table sorts', async (ctx: TestContext) => {
    if (!existsSync(CHROMIUM)) ctx.skip(`no browser at ${CHROMIUM} (npm test's pretest, scripts/setup.sh --test, installs Debian's chromium)`);
    const seen = await inspectReport(first.files.report, { sortBy: 'ice40 LUT4/MAC' });
    expect(seen.requests).toEqual([]);
    expect(seen.consoleErrors).toEqual([]);
    const ids = seen.charts.map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining(['pareto-ice40', 'pareto-generic', 'crossover-ice40', 'crossover-generic', 'estimate-ice40-lut4_per_mac', 'estimate-generic-transistors_per_mac', 'metric-ice40-lut4_per_mac-rows', 'metric-generic-transistors_per_mac-k']));
    for (const c of seen.charts) {
      expect(c.found, c.id).toBe(c.expected);
      expect(c.width * c.height, c.id).toBeGreaterThan(10_000);
    }
    const marks = Object.fromEntries(seen.charts.map((c) => [c.id, c.found]));
    expect(marks['pareto-ice40']).toBe(6);
    expect(marks['estimate-generic-transistors_per_mac']).toBe(6);
    // rows 1 and 2 at act_bits 4, each with a LUT and a direct design.
    expect(marks['crossover-ice40']).toBe(2);
    expect(seen.inked).toBeGreaterThan(0.02);
    expect(seen.tableRows).toBe(6);
    const lut = (name: string) => first.points.find((p) => p.name === name)!.targets.ice40!.measured.lut4_per_mac;
    const order = seen.sorted!.map(lut);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('the browser check catches a report that lies: a chart missing a mark, and a blank page', async (ctx: TestContext) => {
    if (!existsSync(CHROMIUM)) ctx.skip(`no browser at ${CHROMIUM}`);
    const html = readFileSync(first.files.report, 'utf8');
    // Hand-edited: the first data mark of the iCE40 Pareto chart removed, its figure still says 6.
    const at = html.indexOf('data-chart="pareto-ice40"');
    const group = html.indexOf('<g class="mark-symbol role-mark', at);
    const path = html.indexOf('<path ', group);
    const end = html.indexOf('>', path) + 1;
    const edited = join(dir, 'edited.html');
    writeFileSync(edited, html.slice(0, path) + html.slice(end));
    const seen = await inspectReport(edited);
    const chart = seen.charts.find((c) => c.id === 'pareto-ice40')!;
    expect(chart).toMatchObject({ expected: 6, found: 5 });
    const blank = join(dir, 'blank.html');
    writeFileSync(blank, '<!DOCTYPE html><html><body></body></html>');
    const empty = await inspectReport(blank);
    expect(empty.inked).toBeLessThan(0.001);
    expect(empty.charts).toEqual([]);
    // A page that reaches for the network is seen doing so (the request is blocked and recorded).
    const online = join(dir, 'online.html');
    writeFileSync(online, '<!DOCTYPE html><html><body><img src="https://example.invalid/chart.png"></body></html>');
    expect((await inspectReport(online)).requests).toEqual(['https://example.invalid/chart.png']);
  });

  it('a point that fails co-simulation fails the sweep (exit 1) and is never on a front or a winner', async () => {
    const env = { LOWBIT_FAMILIES: repoPath('test', 'fixtures', 'signDropped.mjs') };
    const r = await sweep(['sign_dropped', '--grid', 'rows=1,2', '--grid', 'k=4', '--grid', 'act_bits=4', '--target', 'generic', '--vectors', '100', '--out', join(dir, 'broken')], env);
    expect(r.code, r.stderr).toBe(1);
    const bad = r.report.points.find((p) => p.name === 'sign_dropped[rows=2]')!;
    const good = r.report.points.find((p) => p.name === 'sign_dropped[rows=1]')!;
    expect(bad.status).toBe('failed');
    expect(bad.verified).toBe(false);
    expect(bad.cosim!.message).toMatch(/^MISMATCH at /);
    expect(bad.cosim!.replay).toContain('cosim sign_dropped');
    expect(bad.targets.generic!.pareto).toBe(false);
    expect(good.status).toBe('measured');
    expect(good.targets.generic!.pareto).toBe(true);
    const html = readFileSync(r.report.files.report, 'utf8');
    expect(html).toContain('<h2 id="failed">Points that failed</h2><ul><li>sign_dropped[rows=2]: MISMATCH at ');
    expect(html.slice(html.indexOf('id="winners-table"'), html.indexOf('</table>', html.indexOf('id="winners-table"')))).not.toContain('rows=2');
    // Its figures stay out of every chart: the Pareto front plots the verified point only.
    expect(html).toMatch(/data-chart="pareto-generic" data-marks="1"/);
  });

  it('an interrupted sweep resumes: the rerun takes every finished pass from the cache and completes', async () => {
    const args = ['ternary', '--grid', 'rows=1,2,3', '--grid', 'k=4,6', '--grid', 'act_bits=4', '--target', 'generic', '--vectors', '60', '-j', '2', '--out', join(dir, 'resume')];
    const runs = join(dir, 'runs-resume');
    const child = execa(process.execPath, [CLI, 'sweep', ...args, '--runs-dir', runs], { reject: false, env: { LOWBIT_CACHE: join(dir, 'cache-resume') } });
    // Kill it (-9: no clean-up) once a few jobs have finished.
    const results = () => (existsSync(runs) ? readdirSync(runs).flatMap((d) => (existsSync(join(runs, d, 'results')) ? readdirSync(join(runs, d, 'results')) : [])) : []);
    const t0 = Date.now();
    while (results().length < 3 && Date.now() - t0 < 120_000) await new Promise((res) => setTimeout(res, 200));
    child.kill('SIGKILL');
    await child;
    const done = results().length;
    expect(done).toBeGreaterThanOrEqual(3);
    expect(existsSync(join(dir, 'resume', 'points.json'))).toBe(false);
    const r = await lowbit(['sweep', ...args, '--runs-dir', runs, '--json'], { env: { LOWBIT_CACHE: join(dir, 'cache-resume') } });
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout) as SweepReport;
    expect(rep.counts.measured).toBe(6);
    // Every job the killed run finished with a pass came back from the cache (a job killed mid-way reran).
    expect(rep.run!.counts.cached).toBeGreaterThanOrEqual(done - 2);
    expect(rep.run!.counts.cached).toBeLessThan(rep.run!.counts.total);
  });

  it("--synthesize pareto measures only the estimated front; a suite's sweeps: section runs the same way, with power", async () => {
    const est = await sweep(['ternary,dense', '--grid', 'rows=1,2', '--grid', 'k=4,8', '--grid', 'act_bits=4', '--grid', 'dense.w_bits=2', '--target', 'generic', '--estimate-only', '--out', join(dir, 'est')]);
    expect(est.code, est.stderr).toBe(0);
    const front = est.report.points.filter((p) => p.targets.generic!.pareto).map((p) => p.name);
    expect(front.length).toBeGreaterThan(0);
    expect(front.length).toBeLessThan(est.report.points.length);
    const suite = join(dir, 'sweeps.yaml');
    writeFileSync(suite, `seed: 3
sweeps:
  - name: pick
    families: [ternary, dense]
    params: { dense.w_bits: 2 }
    grid: { rows: [1, 2], k: [4, 8], act_bits: [4] }
    targets: [generic]
    synthesize: pareto
    near: 0
    power: true
    cosim: { vectors: 60 }
`);
    const r = await sweep([suite, '-j', '2', '--out', join(dir, 'pick')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.report.sweep).toMatchObject({ name: 'pick', synthesize: 'pareto', near: 0, power: true, seed: 3, file: suite });
    expect(r.report.points.filter((p) => p.status === 'measured').map((p) => p.name)).toEqual(front);
    expect(r.report.points.filter((p) => p.status === 'estimated').length).toBe(est.report.points.length - front.length);
    for (const p of r.report.points.filter((x) => x.status === 'measured')) {
      expect(p.power!.status).toBe('passed');
      expect(p.power!.energyPerMac).toBeGreaterThan(0);
    }
    const html = readFileSync(r.report.files.report, 'utf8');
    expect(html).toMatch(new RegExp(`data-chart="pareto-energy" data-marks="${front.length}"`));
  });
});

describe('lowbit sweep --scheduler slurm', () => {
  it('gives the figures the local run gives', async (ctx: TestContext) => {
    const up = bringUpCluster();
    if (!up.ok) ctx.skip(up.reason);
    const args = ['ternary', '--grid', 'rows=1,2', '--grid', 'k=4', '--grid', 'act_bits=4', '--target', 'generic', '--vectors', '60', '--no-cache'];
    const local = await sweep([...args, '--out', join(dir, 'slurm-local')]);
    const slurm = await sweep([...args, '--scheduler', 'slurm', '--out', join(dir, 'slurm')]);
    expect(local.code, local.stderr).toBe(0);
    expect(slurm.code, slurm.stderr).toBe(0);
    expect(runRecord(slurm.report).slurm?.jobId).toMatch(/^\d+$/);
    expect(slurm.report.points.map((p) => [p.name, p.status, p.targets.generic!.measured])).toEqual(local.report.points.map((p) => [p.name, p.status, p.targets.generic!.measured]));
  });
});
