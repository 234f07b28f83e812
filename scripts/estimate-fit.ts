// Fits the estimate model's per-block constants (generators/common/estimateCoefs.ts) to the
// synthesis figures in test/quick/estimate-calibration.json (collected by scripts/estimate-calibrate.mjs):
// per target figure, non-negative least squares on the relative error over every point, then
// prints the error statistics per target and family.
//
//   npx tsx scripts/estimate-fit.ts [--write] [--loo]
//   --write: rewrite estimateCoefs.ts; --loo: also leave-one-out errors (each point predicted by a fit without it)

import { readFileSync, writeFileSync } from 'node:fs';
import { getFamily } from '../generators/registry.js';
import { BLOCK_NAMES, type BlockName, type Blocks } from '../generators/common/estimate.js';
import { calibrationRows, errorStats, FIGURES, loadCalibration } from '../test/quick/estimateData.js';

const data = loadCalibration();

/** Blocks each figure may price (carry chains come from adders and multipliers only). */
// ice40 and generic (the goal, many points): every structural block. xilinx and asic (every fourth
// point): first order, a scale of the ice40 LUT4 or generic transistor estimate plus a few blocks, so
// that few points fit few constants (run --write twice: these read the ice40/generic constants on file).
const STRUCTURAL = BLOCK_NAMES.filter((b) => b !== 'ice40Lut4' && b !== 'cmos' && b !== 'dsp');
const CANDIDATES: Record<string, readonly BlockName[]> = {
  lut4: STRUCTURAL.filter((b) => b !== 'dff' && b !== 'chain'),
  carry: ['one', 'chain', 'mchain', 'csa', 'mulPP', 'mulOut', 'mulMax', 'mulArr', 'sat'],
  transistors: STRUCTURAL.filter((b) => b !== 'chain'),
  lut: ['one', 'ice40Lut4', 'chain', 'mchain', 'csa', 'mtree', 'mulArr'],
  carry4: ['one', 'chain', 'adders', 'mchain'],
  area: ['one', 'cmos', 'dff'],
};

/** min sum ((a.x - y) / y)^2 subject to x >= 0, by cyclic coordinate descent on the normal equations. */
function nnls(rows: { a: number[]; y: number }[], n: number): number[] {
  const G = Array.from({ length: n }, () => new Float64Array(n));
  const h = new Float64Array(n);
  for (const { a, y } of rows) {
    const w = 1 / (y * y);
    for (let i = 0; i < n; i++) {
      if (!a[i]) continue;
      h[i] += (a[i] * y) * w;
      for (let j = 0; j < n; j++) G[i][j] += a[i] * a[j] * w;
    }
  }
  const x = new Float64Array(n);
  for (let it = 0; it < 20000; it++) {
    let change = 0;
    for (let j = 0; j < n; j++) {
      if (G[j][j] === 0) continue;
      let gx = 0;
      for (let i = 0; i < n; i++) gx += G[j][i] * x[i];
      const nx = Math.max(0, x[j] + (h[j] - gx) / G[j][j]);
      change = Math.max(change, Math.abs(nx - x[j]) / (Math.abs(nx) + 1e-9));
      x[j] = nx;
    }
    if (change < 1e-10) break;
  }
  return [...x];
}

const blocksOf = new Map<object, Blocks>();
for (const pt of data.points) {
  const fam = getFamily(pt.family);
  blocksOf.set(pt, fam.estimate!(fam.resolve(pt.params)).blocks);
}

const coefs: Record<string, Record<string, Partial<Record<BlockName, number>>>> = { ice40: {}, generic: {}, xilinx: {}, asic: {} };
const loo: string[] = [];
for (const f of FIGURES) {
  const cand = CANDIDATES[f.figure];
  if (!cand) continue;
  const rows = data.points.filter((p) => p.target === f.target && f.measured(p) !== undefined && f.measured(p)! > 0).map((p) => ({ a: cand.map((b) => blocksOf.get(p)![b]), y: f.measured(p)! }));
  if (rows.length < cand.length) {
    console.log(`${f.target} ${f.figure}: ${rows.length} point(s), too few to fit; constants kept`);
    continue;
  }
  const x = nnls(rows, cand.length);
  coefs[f.target][f.figure] = Object.fromEntries(cand.map((b, i) => [b, x[i] < 1e-6 ? 0 : Number(x[i].toPrecision(4))]).filter(([, v]) => v !== 0));
  if (process.argv.includes('--loo')) {
    // Leave-one-out: each point predicted by constants fitted without it (how the model does on new points).
    const errs = rows.map((r, i) => {
      const xi = nnls(rows.filter((_, j) => j !== i), cand.length);
      const e = r.a.reduce((s, a, j) => s + a * xi[j], 0);
      return Math.abs(e - r.y) / r.y;
    });
    errs.sort((a, b) => a - b);
    loo.push(`${f.target.padEnd(8)} ${f.figure.padEnd(12)} all       n=${String(rows.length).padStart(3)} leave-one-out median ${(100 * errs[errs.length >> 1]).toFixed(1).padStart(5)}%  max ${(100 * errs[errs.length - 1]).toFixed(1).padStart(6)}%`);
  }
}
for (const line of loo) console.log(line);

if (process.argv.includes('--write')) {
  const file = new URL('../generators/common/estimateCoefs.ts', import.meta.url).pathname;
  const old = readFileSync(file, 'utf8');
  // Figures with too few points keep their old constants.
  const oldCoefs = (await import('../generators/common/estimateCoefs.js')).COEFS as unknown as typeof coefs;
  for (const t of Object.keys(coefs)) coefs[t] = { ...oldCoefs[t], ...coefs[t] };
  const body = Object.entries(coefs)
    .map(([t, figs]) => `  ${t}: {\n${Object.entries(figs).map(([f, c]) => `    ${f}: { ${Object.entries(c).map(([b, v]) => `${b}: ${v}`).join(', ')} },`).join('\n')}\n  },`)
    .join('\n');
  const head = old.slice(0, old.indexOf('export const COEFS'));
  writeFileSync(file, `${head}export const COEFS: Record<'ice40' | 'generic' | 'xilinx' | 'asic', Coefs> = {\n${body}\n};\n`);
  console.log(`wrote ${file}`);
}

// Errors with the fitted constants (rerun after --write to see the file's own).
console.log(JSON.stringify(coefs, null, 1));
const table = calibrationRows(
  data,
  (p) => {
    const fam = getFamily(p.family);
    return { blocks: blocksOf.get(p)! as unknown as Record<string, number>, estimate: fam.estimate!(fam.resolve(p.params)) };
  },
  coefs as Record<string, Record<string, Record<string, number>>>,
);
if (process.argv.includes('--markdown')) {
  const st = errorStats(table);
  const fams = ['ternary', 'dense', 'nmsparse', 'lutgemm', 'all'];
  console.log(`| target | figure | ${fams.join(' | ')} |\n|---|---|${fams.map(() => '---').join('|')}|`);
  for (const f of FIGURES) {
    const cells = fams.map((fam) => {
      const x = st.find((s) => s.target === f.target && s.figure === f.figure && s.family === fam);
      return x ? `${(100 * x.median).toFixed(1)}% / ${(100 * x.max).toFixed(1)}% (${x.n})` : '-';
    });
    if (cells.some((c) => c !== '-')) console.log(`| ${f.target} | ${f.figure} | ${cells.join(' | ')} |`);
  }
}
if (process.argv.includes('--worst')) {
  for (const r of [...table].sort((a, b) => b.error - a.error).slice(0, 12)) console.log(`worst ${r.target} ${r.figure} ${r.family} measured ${r.measured} estimate ${r.estimated.toFixed(0)} error ${(100 * r.error).toFixed(1)}% ${JSON.stringify(r.params)}`);
}
for (const s of errorStats(table)) console.log(`${s.target.padEnd(8)} ${s.figure.padEnd(12)} ${s.family.padEnd(9)} n=${String(s.n).padStart(3)} median ${(100 * s.median).toFixed(1).padStart(5)}%  max ${(100 * s.max).toFixed(1).padStart(6)}%`);
