// lowbit sweep without tools: grids (flags, family-scoped keys, skipped points with the family's reason,
// the exact text of every bad grid), Pareto fronts, a suite file's sweeps: section (file:line:col and
// path), and --estimate-only end to end (points.json, points.csv, report.html and its charts' mark counts).
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { getFamily } from '../../generators/registry.js';
import { expandGrid, gridFromFlags, sweptParams } from '../../api/sweepGrid.js';
import { paretoFront } from '../../api/pareto.js';
import { loadSweep, loadSweeps } from '../../api/sweepSuite.js';
import { loadSuite } from '../../api/regressSuite.js';
import { autoSimulator, sweep, type SweepReport } from '../../api/sweep.js';
import { csvField } from '../../api/sweepFiles.js';
import { repoPath } from '../../core/paths.js';
import { parseLevels } from '../../flows/tools/yosys.js';
import { usageMessage } from './usage.js';

const dir = mkdtempSync(join(tmpdir(), 'lowbit-sweep-'));
const fam = (...names: string[]) => names.map((n) => getFamily(n));
let n = 0;
const suiteFile = (text: string): string => {
  const f = join(dir, `s${n++}.yaml`);
  writeFileSync(f, text);
  return f;
};
const refusal = (text: string, name?: string): string => {
  const f = suiteFile(text);
  return usageMessage(() => loadSweep(f, name)).replaceAll(f, 'FILE');
};

describe('grids', () => {
  it('--grid flags: KEY=V1,V2, act-bits spelled either way, family-scoped keys; every bad flag refused in words', () => {
    expect(gridFromFlags(['rows=1,4, 16', 'act-bits=4,8', 'lutgemm.encoding=tl1'])).toEqual({ rows: ['1', '4', '16'], act_bits: ['4', '8'], 'lutgemm.encoding': ['tl1'] });
    expect(usageMessage(() => gridFromFlags(['rows']))).toBe('grid must be KEY=V1,V2,... (for example rows=1,4,16), not "rows"');
    expect(usageMessage(() => gridFromFlags(['rows=1,,2']))).toBe('grid rows: an empty value in "1,,2" (values are separated by commas)');
    expect(usageMessage(() => gridFromFlags(['rows=1', 'rows=2']))).toBe('grid key rows is given twice; give its values once: --grid rows=1,2');
  });

  it('each family takes the keys it has: the cross product per family, in order, points named by what varies', () => {
    const g = expandGrid(fam('ternary', 'dense'), { rows: [1, 2], w_bits: [2, 4] });
    expect(g.points.map((p) => p.name)).toEqual(['ternary[rows=1]', 'ternary[rows=2]', 'dense[rows=1,w_bits=2]', 'dense[rows=1,w_bits=4]', 'dense[rows=2,w_bits=2]', 'dense[rows=2,w_bits=4]']);
    expect(g.notes).toEqual(['w_bits is not a parameter of ternary: its points do not vary it']);
    expect(g.points[3].design.params).toMatchObject({ rows: 1, w_bits: 4 });
    expect(sweptParams({ rows: [1, 2], act_bits: [8], 'dense.w_bits': [2, 4] })).toEqual(['rows', 'w_bits']);
  });

  it("a point the family's rules refuse is skipped with the family's own reason; the others run", () => {
    const g = expandGrid(fam('ternary', 'lutgemm'), { k: [8, 6] });
    expect(g.points.map((p) => p.name)).toEqual(['ternary[k=8]', 'ternary[k=6]', 'lutgemm[k=8]']);
    expect(g.skipped).toEqual([{ name: 'lutgemm[k=6]', family: 'lutgemm', grid: { k: 6 }, reason: 'k must be a multiple of g (4), not 6' }]);
  });

  it('a family-scoped key applies to that family only and overrides the plain key there', () => {
    const g = expandGrid(fam('ternary', 'lutgemm'), { encoding: ['i2s'], 'lutgemm.encoding': ['tl1'] }, { 'lutgemm.weights': 'ternary' });
    expect(g.points.map((p) => [p.name, p.design.params.encoding, p.design.params.weights])).toEqual([
      ['ternary', 'i2s', undefined],
      ['lutgemm', 'tl1', 'ternary'],
    ]);
    expect(g.skipped).toEqual([]);
  });

  it('a key or value no point could use is an error naming it (exit 2), not a skipped point', () => {
    const two = fam('ternary', 'dense');
    expect(usageMessage(() => expandGrid(two, { foo: [1] }))).toBe('grid key foo is not a parameter of ternary, dense (their parameters: rows, k, act_bits, act_format, fp_mode, out_format, encoding, max_beats, acc_bits, overflow, pipeline, w_bits)');
    expect(usageMessage(() => expandGrid(two, { rows: ['0', '2'] }))).toBe('grid key rows: rows must be an integer in 1..256, not 0 (in every family that has rows)');
    expect(usageMessage(() => expandGrid(two, { rows: [1, 1] }))).toBe('grid key rows: 1 is given twice');
    expect(usageMessage(() => expandGrid(two, { 'xnor.k': [2] }))).toBe("grid key xnor.k: xnor is not one of the sweep's families (ternary, dense)");
    expect(usageMessage(() => expandGrid(two, { 'dense.weights': [2] }))).toBe('grid key dense.weights is not a parameter of dense (its parameters: rows, k, act_bits, act_format, fp_mode, out_format, w_bits, max_beats, acc_bits, overflow, pipeline)');
    expect(usageMessage(() => expandGrid(two, { overflow: ['clip'] }))).toBe('grid key overflow: overflow must be one of wrap, saturate, not "clip" (in every family that has overflow)');
    expect(usageMessage(() => expandGrid(two, {}, { rows: 300 }))).toBe('parameter rows: rows must be an integer in 1..256, not 300 (in every family that has rows)');
  });
});

describe("each point's co-simulation", () => {
  it('sim auto: Icarus up to 32 lanes (rows x k), Verilator above', () => {
    expect([autoSimulator({ rows: 1, k: 8 }), autoSimulator({ rows: 4, k: 8 }), autoSimulator({ rows: 4, k: 16 }), autoSimulator({ rows: 1, k: 64 })]).toEqual(['iverilog', 'iverilog', 'verilator', 'verilator']);
  });
});

describe('gate levels (the throughput of untimed targets)', () => {
  it("read from Yosys ltp's line; a report without it gives none (the point then has no throughput)", () => {
    expect(parseLevels('12. Executing LTP pass (find longest path).\nLongest topological path in lowbit_dense (length=62):\n    0 ...\n')).toBe(62);
    expect(parseLevels('12. Executing LTP pass (find longest path).\nWarning: Ignoring module lowbit_dense because it contains processes\n')).toBeUndefined();
  });
});

describe('Pareto fronts', () => {
  it('lower cost and higher benefit win; equal pairs are both on the front; slack admits the near ones', () => {
    const pairs = [
      { cost: 1, benefit: 1 }, // on: cheapest
      { cost: 2, benefit: 3 }, // on
      { cost: 2, benefit: 2 }, // dominated by (2,3)
      { cost: 3, benefit: 3 }, // dominated by (2,3)
      { cost: 5, benefit: 10 }, // on
      { cost: 5, benefit: 10 }, // a tie: on
      { cost: 4, benefit: 2.9 }, // dominated by (2,3)
    ];
    expect(paretoFront(pairs)).toEqual([true, true, false, false, true, true, false]);
    // Within 10%: (2,2) and (3,3) are still beaten by more than that; (4, 2.9) too; (2.1, 2.95) is near.
    expect(paretoFront([...pairs, { cost: 2.1, benefit: 2.95 }], 0.1)).toEqual([true, true, false, false, true, true, false, true]);
  });
});

describe('sweeps: in a suite file', () => {
  const GOOD = `seed: 7
sweeps:
  - name: small
    families: [ternary, lutgemm]
    params: { lutgemm.weights: ternary, lutgemm.encoding: tl1 }
    grid: { rows: [1, 2], k: [8, 6] }
    targets: [generic]
  - families: [dense]
    grid: { w_bits: [2, 4] }
`;

  it('reads every sweep with its defaults and the suite seed; --name picks one', () => {
    const f = suiteFile(GOOD);
    const all = loadSweeps(f);
    expect(all.map((s) => s.name)).toEqual(['small', 'sweep2']);
    expect(all[0]).toMatchObject({ families: ['ternary', 'lutgemm'], targets: ['generic'], synthesize: 'all', near: 10, pnr: false, device: 'hx8k', power: false, vectors: 100, sim: 'auto', seed: 7, file: f });
    expect(all[1].targets).toEqual(['ice40', 'generic']);
    expect(loadSweep(f, 'sweep2').families).toEqual(['dense']);
    expect(usageMessage(() => loadSweep(f)).replace(f, 'FILE')).toBe('FILE has 2 sweeps: pick one with --name (small, sweep2)');
    expect(usageMessage(() => loadSweep(f, 'big')).replace(f, 'FILE')).toBe('name must be one of the sweeps of FILE (small, sweep2), not "big"');
  });

  it('refuses every defect with file:line:col, the path and the words of the family', () => {
    expect(refusal('sweeps:\n  - families: [ternary]\n    grid: { foo: [1] }\n')).toBe('FILE:3:13: sweeps[0].grid.foo: grid key foo is not a parameter of ternary (its parameters: rows, k, act_bits, act_format, fp_mode, out_format, encoding, max_beats, acc_bits, overflow, pipeline)');
    expect(refusal('sweeps:\n  - families: [ternary]\n    grid: { rows: [1, 999] }\n')).toBe('FILE:3:23: sweeps[0].grid.rows[1]: grid key rows: rows must be an integer in 1..256, not 999');
    expect(refusal('sweeps:\n  - families: [ternary, dens]\n    grid: { rows: [1] }\n')).toMatch(/^FILE:2:25: sweeps\[0\]\.families\[1\]: .*dens/);
    expect(refusal('sweeps:\n  - families: [ternary]\n    grid: {}\n')).toBe('FILE:3:11: sweeps[0].grid: expected at least one parameter with its list of values (rows: [1, 4, 16])');
    expect(refusal('sweeps:\n  - families: [ternary]\n    grid: { rows: [1] }\n    targets: [ice41]\n')).toBe('FILE:4:15: sweeps[0].targets[0]: expected one of ice40, generic, xilinx, asic, got "ice41"');
    expect(refusal('sweeps:\n  - families: [ternary]\n    grid: { rows: [1] }\n    synthesise: pareto\n')).toBe('FILE:4:5: sweeps[0].synthesise: unknown key "synthesise"; expected one of name, families, params, grid, targets, synthesize, near, pnr, device, power, cosim');
    expect(refusal('sweeps:\n  - families: [ternary]\n    params: { rows: 0 }\n    grid: { k: [4] }\n')).toBe('FILE:3:15: sweeps[0].params.rows: parameter rows: rows must be an integer in 1..256, not 0');
    expect(refusal('sweeps:\n  - grid: { rows: [1] }\n')).toBe('FILE:2:5: sweeps[0]: missing key "families"');
    expect(refusal('designs:\n  - family: ternary\n    checks: [lint]\n')).toBe('FILE:1:1: (top level): no sweeps: section (this suite\'s designs run with lowbit regress FILE)');
  });

  it('lowbit regress refuses a suite of sweeps only, pointing to lowbit sweep', () => {
    const f = suiteFile(GOOD);
    expect(usageMessage(() => loadSuite(f)).replace(new RegExp(f, 'g'), 'FILE')).toBe('FILE:1:1: (top level): no designs: this suite has only sweeps (run them with lowbit sweep FILE)');
    // A suite with both: regress runs the designs (and says the sweeps are there), sweep the sweeps.
    const both = suiteFile(`designs:\n  - { family: ternary, checks: [lint] }\n${GOOD.replace('seed: 7\n', '')}`);
    expect(loadSuite(both)).toMatchObject({ sweeps: 2, designs: [{ name: 'ternary' }] });
    expect(loadSweeps(both).map((x) => x.name)).toEqual(['small', 'sweep2']);
  });

  it('the example sweep is valid: 3 families x 40 points, none skipped', () => {
    const s = loadSweep(repoPath('examples', 'sweep', 'families.yaml'));
    const g = expandGrid(s.families.map((f) => getFamily(f)), s.grid, s.params);
    expect(s.families.length).toBeGreaterThanOrEqual(3);
    for (const f of s.families) expect(g.points.filter((p) => p.design.family.name === f).length, f).toBeGreaterThanOrEqual(40);
    expect(g.skipped).toEqual([]);
    expect(s.targets).toEqual(['ice40', 'generic']);
    expect(Object.keys(parse(readFileSync(repoPath('examples', 'sweep', 'families.yaml'), 'utf8')).sweeps[0].grid)).toEqual(['rows', 'k', 'act_bits']);
  });
});

describe('--estimate-only, end to end', () => {
  let r: SweepReport;
  it('estimates every point, skips what the families refuse, and writes points.json, points.csv and report.html', async () => {
    const out = join(dir, 'est');
    r = await sweep({ families: 'ternary,lutgemm,dense', grid: ['rows=1,4,16', 'k=16,18,32', 'act_bits=4,8'], target: 'ice40,generic,asic', estimateOnly: true, out });
    expect(r.ok).toBe(true);
    expect(r.counts).toEqual({ points: 3 * 3 * 2 * 2 + 3 * 2 * 2, skipped: 3 * 2, measured: 0, estimated: 48, failed: 0, errors: 0 });
    expect(r.skipped.every((s) => s.family === 'lutgemm' && s.grid.k === 18 && s.reason === 'k must be a multiple of g (4), not 18')).toBe(true);
    expect(r.swept).toEqual(['rows', 'k', 'act_bits']);
    expect(r.run).toBeUndefined();
    for (const p of r.points) {
      expect(p.status).toBe('estimated');
      expect(p.targets.ice40!.estimate.lut4_per_mac).toBeGreaterThan(0);
      expect(p.targets.generic!.estimate.transistors_per_mac).toBeGreaterThan(0);
      expect(p.targets.asic!.estimate.area_per_mac).toBeGreaterThan(0);
      expect(p.targets.ice40!.measured).toEqual({});
    }
    // At least one point on each estimated front, and no front point dominated by another point.
    for (const t of ['ice40', 'generic'] as const) {
      const front = r.points.filter((p) => p.targets[t]!.pareto);
      expect(front.length).toBeGreaterThan(0);
      for (const p of front) {
        const a = p.targets[t]!;
        expect(r.points.some((q) => q.targets[t]!.estimate[Object.keys(a.estimate)[0]] < a.estimate[Object.keys(a.estimate)[0]] && q.targets[t]!.estimatedThroughput > a.estimatedThroughput)).toBe(false);
      }
    }
    // The files: the JSON is the report; the CSV has a row per point and target, quoted where needed.
    expect(JSON.parse(readFileSync(r.files.json, 'utf8')).points).toHaveLength(48);
    const csv = readFileSync(r.files.csv, 'utf8').trim().split('\n');
    expect(csv).toHaveLength(1 + 48 * 3);
    expect(csv[0].startsWith('point,family,datapath,status,verified,rows,k,act_bits,')).toBe(true);
    expect(csv[1].startsWith('"ternary[rows=1,k=16,act_bits=4]",ternary,direct,estimated,,1,16,4,'), csv[1]).toBe(true);
    expect(csvField('a,"b"')).toBe('"a,""b"""');
  });

  it('report.html is self-contained: inline SVG charts, one data mark per point plotted, no external reference', () => {
    const html = readFileSync(r.files.report, 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/(?!www\.w3\.org)/);
    const figures = [...html.matchAll(/<figure data-chart="([^"]+)" data-marks="(\d+)" data-mark-kind="(\w+)">[\s\S]*?<\/figure>/g)];
    const ids = figures.map((m) => m[1]);
    expect(ids).toEqual(expect.arrayContaining(['pareto-ice40', 'pareto-generic', 'pareto-asic', 'crossover-ice40', 'metric-ice40-lut4_per_mac-rows', 'metric-generic-transistors_per_mac-act_bits']));
    for (const [fig, id, marks, kind] of figures) {
      // Vega draws one path per datum in the data mark's group (a legend's symbols have another role).
      const group = new RegExp(`<g class="mark-${kind} role-mark[^"]*"[^>]*>([\\s\\S]*?)</g>`, 'g');
      const drawn = [...fig.matchAll(group)].reduce((s, g) => s + (g[1].match(/<path /g)?.length ?? 0), 0);
      expect(drawn, id).toBe(Number(marks));
    }
    const marksOf = (id: string) => Number(figures.find((m) => m[1] === id)![2]);
    expect(marksOf('pareto-ice40')).toBe(48);
    expect(marksOf('metric-ice40-lut4_per_mac-k')).toBe(48);
    // Crossover: one cell per (rows, act_bits) that has a LUT and a direct design.
    expect(marksOf('crossover-ice40')).toBe(3 * 2);
    expect((html.match(/<tr class="estimated">/g) ?? []).length).toBe(48);
  });

  it('the CLI: a key no family knows is exit 2 and writes nothing; --estimate-only prints the winners', async () => {
    const out = join(dir, 'cli-bad');
    const bad = await execa(process.execPath, [repoPath('bin', 'lowbit.mjs'), 'sweep', 'ternary,dense', '--grid', 'rowz=1,2', '--estimate-only', '--out', out], { reject: false });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('grid key rowz is not a parameter of ternary, dense');
    expect(existsSync(out)).toBe(false);
    const none = await execa(process.execPath, [repoPath('bin', 'lowbit.mjs'), 'sweep', 'lutgemm', '--grid', 'k=6,10', '--estimate-only', '--out', out], { reject: false });
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain("the grid has no valid point: 2 combination(s), all refused by the families' rules (first: lutgemm[k=6]: k must be a multiple of g (4), not 6)");
    expect(existsSync(out)).toBe(false);
    const ok = await execa(process.execPath, [repoPath('bin', 'lowbit.mjs'), 'sweep', 'ternary,dense', '--grid', 'rows=1,4', '--grid', 'w_bits=2,4', '--estimate-only', '--target', 'generic', '--out', join(dir, 'cli-ok')], { reject: false });
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(ok.stderr).toContain('w_bits is not a parameter of ternary: its points do not vary it');
    expect(ok.stdout).toMatch(/generic +smallest generic CMOS transistors per MAC \(estimate\) +\S+\[rows=4/);
    expect(ok.stdout).toContain(`report: ${join(dir, 'cli-ok', 'report.html')}`);
  });
});
