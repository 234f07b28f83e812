// npm run bench: figures measured side by side in one run, printed as ratios.
//  (1) `lowbit cosim` wall time (rows 16, k 64, 1,000,000 one-beat vectors) next to a bare hand-written
//      Verilator harness driving the same RTL with no checking; cold (fresh build) and warm (cached).
//  (2) iCE40 SB_LUT4 per MAC of a ternary row (k 64) next to a naive behavioural add/sub chain and
//      the dense int8 family, synthesized in the same run.
//  (3) N:M sparse per dense-equivalent MAC next to dense and ternary.
//  (4) LUT mpGEMM next to dense (same w_bits / act_bits) and ternary, over rows and act_bits: when a LUT pays.
//  (5) PPA at one reference configuration per family next to dense: OSU 0.18 um area, OpenSTA Fmax and
//      energy per MAC from measured activity, iCE40 LUT4 and place and route.
//  (6) mutate: mutation score of the default cosim check per family at rows 4, k 16, act_bits 8 (and a
//      pipelined and a saturating variant), and mutants checked per minute (fresh cache).
//  (7) build: Verilator harness build time and peak memory (largest process: verilator_bin or one g++)
//      of the largest ternary designs, fresh cache, each under a time limit (LOWBIT_BENCH_BUILD_SIZES=
//      "16x64,64x256,128x512" rows x k; LOWBIT_BENCH_BUILD_LIMIT seconds, default 900).
//  (0) startup: median wall time of `lowbit --version` from the package installed in a fresh project
//      (npm pack + npm install: compiled JavaScript) next to starting the TypeScript sources through tsx
//      (`node --import tsx cli/index.ts --version`, how bin/lowbit.mjs started before the build), interleaved
//      runs (LOWBIT_BENCH_STARTUP_RUNS, default 21), goal <= 0.5x.
//  (8) regress: `lowbit regress` wall time as ratios, measured in one run: examples/regress/smoke.yaml
//      (23 jobs) first run (fresh LOWBIT_CACHE: Verilator builds included) vs its rerun from the same
//      cache (goal <= 0.1x); a bench suite written here (3 designs: ternary, dense, nmsparse at rows 2,
//      lint + 2 Icarus cosim seeds of 500 vectors each: 9 single-threaded jobs; a Verilator build is
//      make -j 2 already) uncached with a fresh cache each, -j 2 vs -j 1 (goal >=
//      1.7x) and --scheduler slurm -j 2 on the one-node cluster (scripts/slurm/up.sh) vs local -j 2 (goal
//      <= 1.3x; skipped with the reason when the cluster cannot come up).
//  (9) layer: a 256 x 1024 layer, 16 tokens, through ternary, lutgemm TL1, nmsparse 2:4 ternary, dense int8 and int4
//      at 16 x 64: cosine and relative error against the float product, simulated cycles, wall time, golden model alone.
// LOWBIT_BENCH_ONLY=lut (or startup, cosim, area, sparse, asic, mutate, build, regress, layer, sweep, formats; comma-separated) runs some sections only.
// Not a test: this machine is shared and noisy, so goals are printed, not asserted.

import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getFamily } from '../generators/registry.js';
import { repoPath } from '../core/paths.js';
import { VERSION } from '../core/version.js';
import { wordsFor } from '../core/bits.js';
import { generate } from '../api/generate.js';
import { textTable as table } from '../api/table.js';
import { macsPerCycle } from '../generators/common/family.js';
import { synth, type SynthReport } from '../flows/tools/yosys.js';
import { measurePower } from '../flows/power.js';
import { placeAndRoute } from '../flows/tools/nextpnr.js';
import { mutate } from '../flows/mutate.js';
import { DEFAULT_RESETS } from '../testbenches/cosim.js';
import { availableParallelism } from 'node:os';
import { clusterStatus } from '../flows/tools/slurm.js';
import { Rng } from '../core/rng.js';
import { writeNpy } from '../core/tensors/npyWrite.js';
import { loadTensor } from '../core/tensors/load.js';
import { layer } from '../api/layer.js';
import { layerPlan, layerTiling } from '../testbenches/layer.js';
import { GoldenModel } from '../testbenches/compare.js';
import { newBeat } from '../testbenches/stimulus.js';
import type { SweepReport } from '../api/sweep.js';
import { TARGET_FACTS } from '../api/sweepTargets.js';

const STARTUP_RUNS = Number(process.env.LOWBIT_BENCH_STARTUP_RUNS ?? 21);
const VECTORS = Number(process.env.LOWBIT_BENCH_VECTORS ?? 1_000_000);
const work = mkdtempSync(join(tmpdir(), 'lowbit-bench-'));
const say = (s: string) => process.stdout.write(s + '\n');
const secs = (t0: number) => (performance.now() - t0) / 1000;

/** A design generated through the API into `dir`: family, resolved parameters, top, sources, MACs per cycle. */
async function design(fam: string, raw: Record<string, unknown>, dir: string) {
  const family = getFamily(fam);
  const r = await generate({ family, params: raw, out: dir });
  const params = family.resolve(raw);
  return { family, params, top: r.top!, files: r.files, macs: macsPerCycle(family.layout(params)) };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The environment of the user's project: no npm_* variables of `npm run bench` (they point npm at this checkout). */
const userEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k))) as Record<string, string>;

async function startupBench(): Promise<void> {
  say(`\n## (0) startup: \`lowbit --version\`, median wall time of ${STARTUP_RUNS} runs each, interleaved`);
  // The package as users get it: packed (dist/ is built by \`npm run bench\`) and installed in a fresh project.
  const dir = join(work, 'startup');
  const proj = join(dir, 'project');
  mkdirSync(proj, { recursive: true });
  const opts = { env: userEnv(), extendEnv: false, cwd: proj } as const;
  const packed = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { ...opts, cwd: repoPath() });
  const tarball = join(dir, JSON.parse(String(packed.stdout))[0].filename as string);
  await execa('npm', ['init', '-y'], opts);
  await execa('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund'], opts);
  const installed = join(proj, 'node_modules', '.bin', 'lowbit');
  const runs: [string, string, string[], string][] = [
    ['installed package (compiled), node_modules/.bin/lowbit', installed, ['--version'], proj],
    ['checkout, node bin/lowbit.mjs (compiled + freshness check)', process.execPath, [repoPath('bin', 'lowbit.mjs'), '--version'], repoPath()],
    ['checkout, node --import tsx cli/index.ts (before the build)', process.execPath, ['--import', 'tsx', repoPath('cli', 'index.ts'), '--version'], repoPath()],
  ];
  const times: number[][] = runs.map(() => []);
  for (let i = 0; i <= STARTUP_RUNS; i++) {
    for (const [j, [, cmd, args, cwd]] of runs.entries()) {
      const t0 = performance.now();
      const r = await execa(cmd, args, { cwd, reject: false });
      if (r.exitCode !== 0 || String(r.stdout).trim() !== VERSION) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.exitCode}):\n${r.stdout}\n${r.stderr}`);
      if (i > 0) times[j].push(performance.now() - t0); // run 0 warms the file cache and tsx's transform cache
    }
  }
  const m = times.map(median);
  const tsxMs = m[m.length - 1];
  say(table(['start', 'median ms', 'min ms', 'vs tsx'], runs.map(([name], j) => [name, m[j].toFixed(0), Math.min(...times[j]).toFixed(0), `${(m[j] / tsxMs).toFixed(2)}x`])));
  const ratio = m[0] / tsxMs;
  say(`installed lowbit --version: ${m[0].toFixed(0)} ms vs tsx ${tsxMs.toFixed(0)} ms = ${ratio.toFixed(2)}x (goal <= 0.5x: ${ratio <= 0.5 ? 'met' : 'NOT met'}); bare \`node -e 0\`: ${await nodeBare()} ms`);
}

async function nodeBare(): Promise<string> {
  const t: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await execa(process.execPath, ['-e', '0']);
    t.push(performance.now() - t0);
  }
  return median(t).toFixed(0);
}

async function cosimBench(): Promise<void> {
  say(`\n## (1) co-simulation wall time: ternary rows 16, k 64, ${VECTORS.toLocaleString('en')} one-beat vectors`);
  const rtlDir = join(work, 'cosim-rtl');
  const { family, params, top, files } = await design('ternary', { rows: 16, k: 64, max_beats: 1 }, rtlDir);
  const l = family.layout(params);

  // Bare harness: build + run, from nothing.
  const bareDir = join(work, 'bare');
  mkdirSync(bareDir);
  copyFileSync(repoPath('scripts', 'bench', 'bare_harness.cpp'), join(bareDir, 'bare_harness.cpp'));
  let t0 = performance.now();
  await execa('verilator', [
    '--cc', '--exe', '--build', '-j', '2', '--prefix', 'Vtop', '--top-module', top, '-Wno-fatal', '-Wno-lint', '-Wno-style',
    '-CFLAGS', `-DLB_ACT_WORDS=${wordsFor(l.k * l.actBits)} -DLB_WGT_WORDS=${wordsFor(l.wgtBits)}`,
    '-Mdir', join(bareDir, 'obj'), '-o', 'bare', join(bareDir, 'bare_harness.cpp'), ...files,
  ]);
  const bareBuild = secs(t0);
  t0 = performance.now();
  await execa(join(bareDir, 'obj', 'bare'), [String(VECTORS)]);
  const bareRun = secs(t0);
  const bareCold = bareBuild + bareRun;

  // lowbit cosim through the CLI, as a user runs it: cold (empty cache) and warm (cached build).
  const cache = join(work, 'cache');
  const run = async (stall: number) => {
    const t = performance.now();
    const r = await execa(process.execPath, [repoPath('bin', 'lowbit.mjs'), 'cosim', 'ternary', '--rows', '16', '--k', '64', '--max-beats', '1',
      '--vectors', String(VECTORS), '--seed', '1', '--stall', String(stall), '--rtl', rtlDir, '--json'], { env: { LOWBIT_CACHE: cache }, reject: false });
    if (r.exitCode !== 0) throw new Error(`lowbit cosim failed (exit ${r.exitCode}):\n${r.stderr}`);
    const j = JSON.parse(String(r.stdout));
    return { wall: secs(t), build: j.build.seconds as number, sim: j.simSeconds as number, cached: j.build.cached as boolean, vectors: j.vectors as number };
  };
  const cold = await run(0);
  const warm = await run(0);
  const warmStall = await run(25);
  say(table(
    ['run', 'build s', 'run s', 'wall s', 'ratio'],
    [
      ['bare Verilator harness, cold (build + run, no checking)', bareBuild.toFixed(1), bareRun.toFixed(1), bareCold.toFixed(1), '1.00x bare'],
      [`lowbit cosim, cold (fresh cache), ${cold.vectors} vectors checked`, cold.build.toFixed(1), cold.sim.toFixed(1), cold.wall.toFixed(1), `${(cold.wall / bareCold).toFixed(2)}x bare (goal <= 1.5x)`],
      ['lowbit cosim, warm (cached build)', warm.build.toFixed(1), warm.sim.toFixed(1), warm.wall.toFixed(1), `${(warm.wall / cold.wall).toFixed(2)}x cold (goal <= 0.5x)`],
      ['lowbit cosim, warm, default 25% stalls on both sides', warmStall.build.toFixed(1), warmStall.sim.toFixed(1), warmStall.wall.toFixed(1), `${(warmStall.wall / cold.wall).toFixed(2)}x cold`],
    ],
  ));
  say(`(bare harness simulation alone: ${bareRun.toFixed(1)} s; lowbit warm simulation + checking: ${warm.sim.toFixed(1)} s = ${(warm.sim / bareRun).toFixed(2)}x)`);
}

async function areaBench(): Promise<void> {
  say('\n## (2) iCE40 area of one row, k 64, int8 activations (Yosys synth_ice40, same run)');
  const results: { name: string; r: SynthReport }[] = [];
  for (const [name, fam, raw] of [
    ['lowbit ternary row (twos)', 'ternary', { rows: 1, k: 64 }],
    ['lowbit ternary row (base3)', 'ternary', { rows: 1, k: 64, encoding: 'base3' }],
    ['lowbit dense int8 row', 'dense', { rows: 1, k: 64, w_bits: 8 }],
  ] as const) {
    const dir = join(work, `area-${results.length}`);
    const d = await design(fam, raw, dir);
    results.push({ name, r: await synth(d.files, d.top, 'ice40', d.macs, join(dir, 'logs')) });
  }
  const naiveDir = join(work, 'naive');
  mkdirSync(naiveDir);
  copyFileSync(repoPath('scripts', 'bench', 'naive_ternary_row.v'), join(naiveDir, 'naive_ternary_row.v'));
  results.splice(1, 0, { name: 'naive behavioural add/sub chain', r: await synth([join(naiveDir, 'naive_ternary_row.v')], 'naive_ternary_row', 'ice40', 64, join(naiveDir, 'logs')) });
  const base = results[0].r.perMac.lut4;
  say(table(
    ['design', 'SB_LUT4', 'LUT4/MAC', 'SB_CARRY', 'DFF', 'vs lowbit ternary', 'synth s'],
    results.map(({ name, r }) => [name, String(r.lut4), r.perMac.lut4.toFixed(2), String(r.carry), String(r.dff), `${(r.perMac.lut4 / base).toFixed(2)}x`, r.seconds.toFixed(1)]),
  ));
  say(`goal: ternary row <= 20 LUT4/MAC -> ${base.toFixed(2)} ${base <= 20 ? '(met)' : '(NOT met)'}`);
  say('(the lowbit rows include the streaming shell: accumulator, output register, handshake)');
}

interface Measured {
  tr: number;
  lut: number;
  seconds: number;
}

/**
 * Generic-CMOS transistors and iCE40 SB_LUT4 per MAC per cycle of one design (a bit-serial design
 * does rows*k MACs every beatCycles cycles). Memoized: tables share their baselines.
 */
const measured = new Map<string, Promise<Measured>>();
function measure(fam: string, raw: Record<string, unknown>): Promise<Measured> {
  const key = `${fam} ${JSON.stringify(raw)}`;
  let m = measured.get(key);
  if (!m) {
    const dir = join(work, `design-${measured.size}`);
    m = limit(async () => {
      const { top, files, macs } = await design(fam, raw, dir);
      const g = await synth(files, top, 'generic', macs, join(dir, 'logs'));
      const i = await synth(files, top, 'ice40', macs, join(dir, 'logs'));
      return { tr: g.perMac.transistors, lut: i.perMac.lut4, seconds: g.seconds + i.seconds };
    });
    measured.set(key, m);
  }
  return m;
}

/** Runs at most two jobs at once (two cores; each Yosys run uses one). */
let running = 0;
const waiting: (() => void)[] = [];
async function limit<T>(job: () => Promise<T>): Promise<T> {
  if (running >= 2) await new Promise<void>((res) => waiting.push(res));
  running++;
  try {
    return await job();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

async function sparseBench(): Promise<void> {
  say('\n## (3) N:M sparse per dense-equivalent MAC: rows 16, k 64, act_bits 8 (generic CMOS transistors and iCE40 SB_LUT4)');
  const designs: [string, string, Record<string, unknown>, string][] = [
    ['dense int8', 'dense', { w_bits: 8 }, 'dense int8'],
    ['2:4 int8', 'nmsparse', { n: 2, m: 4 }, 'dense int8'],
    ['1:4 int8', 'nmsparse', { n: 1, m: 4 }, 'dense int8'],
    ['2:8 int8', 'nmsparse', { n: 2, m: 8 }, 'dense int8'],
    ['ternary', 'ternary', {}, 'ternary'],
    ['2:4 ternary', 'nmsparse', { n: 2, m: 4, weights: 'ternary' }, 'ternary'],
    ['1:4 ternary', 'nmsparse', { n: 1, m: 4, weights: 'ternary' }, 'ternary'],
    ['2:8 ternary', 'nmsparse', { n: 2, m: 8, weights: 'ternary' }, 'ternary'],
  ];
  const got = new Map<string, Measured>();
  const all = await Promise.all(designs.map(([, fam, raw]) => measure(fam, { rows: 16, k: 64, act_bits: 8, ...raw })));
  designs.forEach(([name], i) => got.set(name, all[i]));
  const rows = designs.map(([name, , , base]) => {
    const r = got.get(name)!;
    const b = got.get(base)!;
    return [name, r.tr.toFixed(1), `${(r.tr / b.tr).toFixed(3)}x ${base}`, r.lut.toFixed(2), `${(r.lut / b.lut).toFixed(3)}x ${base}`, r.seconds.toFixed(1)];
  });
  say(table(['design', 'tr/MAC', 'tr ratio', 'LUT4/MAC', 'LUT4 ratio', 'synth s'], rows));
  const ratio = (n: string) => got.get(n)!.tr / got.get('dense int8')!.tr;
  const goal = (n: string, g: number) => `${n} ${ratio(n).toFixed(3)}x dense transistors (goal <= ${g}x: ${ratio(n) <= g ? 'met' : 'NOT met'})`;
  say(['2:4 int8', '1:4 int8', '2:8 int8'].map((n) => goal(n, n === '2:4 int8' ? 0.6 : 0.35)).join('\n'));
}

/** The lutgemm design measured for each weight kind (the best of its variants; see the variants table). */
const LUT_KINDS: [name: string, raw: Record<string, unknown>, denseBits: number][] = [
  ['bipolar', { weights: 'bipolar' }, 2],
  ['ternary', { weights: 'ternary', encoding: 'tl1' }, 2],
  ['int2', { w_bits: 2, serial: false }, 2],
  ['int4', { w_bits: 4, serial: false }, 4],
];

async function lutBench(): Promise<void> {
  say('\n## (4) LUT mpGEMM: when does a LUT pay? k 64, per MAC per cycle (generic CMOS transistors, iCE40 SB_LUT4)');
  say('lutgemm next to dense with the same w_bits (2 holds bipolar and ternary weights) and act_bits, and for ternary next to the ternary family.');
  say('lutgemm: bipolar g 4 symmetric; ternary TL1 pairs symmetric; int2 / int4 g 4 symmetric, planes in parallel.');
  const rowsSet = [1, 4, 16, 64];
  const out: string[][] = [];
  const goals: string[] = [];
  const jobs: Promise<void>[] = [];
  const lines = new Map<string, string[]>();
  for (const act of [8, 16]) {
    for (const rows of rowsSet) {
      for (const [kind, raw, wb] of LUT_KINDS) {
        const base = { rows, k: 64, act_bits: act };
        const key = `${act} ${rows} ${kind}`;
        jobs.push((async () => {
          const [l, d, t] = await Promise.all([
            measure('lutgemm', { ...base, ...raw }),
            measure('dense', { ...base, w_bits: wb }),
            kind === 'ternary' ? measure('ternary', base) : Promise.resolve(undefined),
          ]);
          lines.set(key, [
            String(act), String(rows), kind,
            l.tr.toFixed(0), d.tr.toFixed(0), `${(l.tr / d.tr).toFixed(3)}x`, t ? `${(l.tr / t.tr).toFixed(3)}x` : '',
            l.lut.toFixed(2), d.lut.toFixed(2), `${(l.lut / d.lut).toFixed(3)}x`, t ? `${(l.lut / t.lut).toFixed(3)}x` : '',
          ]);
          if (act === 16 && rows >= 16 && kind !== 'int4') {
            const r = l.tr / d.tr;
            goals.push(`act 16, rows ${rows}, ${kind}: ${r.toFixed(3)}x dense transistors (goal <= 0.5x: ${r <= 0.5 ? 'met' : 'NOT met'})`);
          }
        })());
      }
    }
  }
  await Promise.all(jobs);
  for (const act of [8, 16]) for (const rows of rowsSet) for (const [kind] of LUT_KINDS) out.push(lines.get(`${act} ${rows} ${kind}`)!);
  say(table(['act', 'rows', 'weights', 'lut tr', 'dense tr', 'lut/dense', 'lut/ternary', 'lut LUT4', 'dense LUT4', 'lut/dense', 'lut/ternary'], out));
  say(goals.sort().join('\n'));

  say('\nlutgemm variants at rows 16, k 64 (63 for g 3), act_bits 16, per MAC per cycle:');
  const base = { rows: 16, k: 64, act_bits: 16 };
  const variants: [string, Record<string, unknown>, number][] = [
    ['int2 planes parallel, g 4 symmetric', { w_bits: 2, serial: false }, 2],
    ['int2 planes serial (2 cycles/beat)', { w_bits: 2 }, 2],
    ['int2 planes parallel, g 3', { w_bits: 2, serial: false, g: 3, k: 63 }, 2],
    ['int2 planes parallel, full tables', { w_bits: 2, serial: false, symmetric: false }, 2],
    ['int4 planes serial (4 cycles/beat)', { w_bits: 4 }, 4],
    ['ternary TL1, symmetric', { weights: 'ternary', encoding: 'tl1' }, 2],
    ['ternary TL1, full table', { weights: 'ternary', encoding: 'tl1', symmetric: false }, 2],
    ['ternary TL2 (k 63)', { weights: 'ternary', encoding: 'tl2', k: 63 }, 2],
    ['ternary planes parallel', { weights: 'ternary', serial: false }, 2],
    ['bipolar g 3 (k 63)', { weights: 'bipolar', g: 3, k: 63 }, 2],
    ['bipolar g 4', { weights: 'bipolar' }, 2],
  ];
  const vr = await Promise.all(variants.map(async ([name, raw, wb]) => {
    const [l, d] = await Promise.all([measure('lutgemm', { ...base, ...raw }), measure('dense', { ...base, w_bits: wb, k: (raw.k as number) ?? 64 })]);
    return [name, l.tr.toFixed(0), `${(l.tr / d.tr).toFixed(3)}x`, l.lut.toFixed(2), `${(l.lut / d.lut).toFixed(3)}x`];
  }));
  say(table(['variant', 'tr/MAC', 'vs dense', 'LUT4/MAC', 'vs dense'], vr));
}

// Random vectors (log-uniform lengths up to max_beats 16: about 5 beats each) for the activity. The
// gate-level Icarus run of the dense 16x64 design (460k cells) takes several seconds per cycle.
const POWER_VECTORS = Number(process.env.LOWBIT_BENCH_POWER_VECTORS ?? 12);
const CLOCK_NS = 10;

async function asicBench(): Promise<void> {
  say('\n## (5) PPA per family at one reference configuration: rows 16, k 64, act_bits 8, max_beats 16; per MAC per cycle, next to dense int8');
  say(`OSU 0.18 um (qflow-tech-osu018): Yosys dfflibmap + abc -liberty mapped for a ${CLOCK_NS} ns clock; OpenSTA timing at it and power from activity`);
  say(`measured by simulating the mapped netlist (Icarus, ${POWER_VECTORS} random vectors, seed 1, no stalls). iCE40: synth_ice40, nextpnr-ice40 on hx8k.`);
  const designs: [string, string, Record<string, unknown>][] = [
    ['dense int8', 'dense', { w_bits: 8 }],
    ['ternary', 'ternary', {}],
    ['nmsparse 2:4 int8', 'nmsparse', {}],
    ['lutgemm ternary TL1', 'lutgemm', { weights: 'ternary', encoding: 'tl1' }],
  ];
  const res = await Promise.all(designs.map(([, fam, raw]) => limit(async () => {
    const dir = join(work, `ppa-${fam}`);
    const { family, params, top, files, macs } = await design(fam, { rows: 16, k: 64, act_bits: 8, max_beats: 16, ...raw }, dir);
    const a = await synth(files, top, 'asic', macs, join(dir, 'logs'), { clockNs: CLOCK_NS });
    const p = await measurePower({ family, params, top, dir, library: a.library!, clockNs: CLOCK_NS, vectors: POWER_VECTORS, seed: 1, stimulus: 'random' });
    const i = await synth(files, top, 'ice40', macs, join(dir, 'logs'));
    const pnr = await placeAndRoute(dir, 'hx8k', i.lut4 ?? 0, join(dir, 'logs', 'nextpnr.log'));
    return { um2: a.perMac.um2, fmax: p.timing.fmaxMHz, pj: p.energyPerMacPJ, lut: i.perMac.lut4, pnr };
  })));
  const b = res[0];
  say(table(['design', 'um^2/MAC', 'vs dense', 'Fmax MHz', 'pJ/MAC', 'vs dense', 'LUT4/MAC', 'vs dense', 'iCE40 hx8k place and route'], designs.map(([name], i) => {
    const r = res[i];
    return [name, r.um2.toFixed(1), `${(r.um2 / b.um2).toFixed(3)}x`, r.fmax.toFixed(1), r.pj.toFixed(3), `${(r.pj / b.pj).toFixed(3)}x`, r.lut.toFixed(2), `${(r.lut / b.lut).toFixed(3)}x`,
      r.pnr.fits ? `Fmax ${r.pnr.fmaxMHz?.toFixed(1)} MHz` : `does not fit: ${r.pnr.problem}`];
  })));
  const area = res[1].um2 / b.um2;
  const energy = res[1].pj / b.pj;
  say(`ternary vs dense int8 on OSU 0.18 um: area per MAC ${area.toFixed(3)}x (goal <= 0.2x: ${area <= 0.2 ? 'met' : 'NOT met'}), energy per MAC ${energy.toFixed(3)}x (goal <= 0.2x: ${energy <= 0.2 ? 'met' : 'NOT met'})`);
}

const MUTANTS = Number(process.env.LOWBIT_BENCH_MUTANTS ?? 20);

async function mutateBench(): Promise<void> {
  say(`\n## (6) mutation testing: ${MUTANTS} Yosys mutants (seed 1) per configuration through the default cosim check (10,000 vectors, stall 25, seed 1)`);
  say('score = killed / (killed + survived); survivors proved equal to the original (bounded miter from reset) are "equivalent" and leave it.');
  // A fresh cache: mutants per minute must count the Verilator builds, not cache hits.
  const savedCache = process.env.LOWBIT_CACHE;
  process.env.LOWBIT_CACHE = join(work, 'mutate-cache');
  const variants: [string, Record<string, unknown>][] = [['reference', {}], ['pipeline 1', { pipeline: 1 }], ['saturate, acc_bits 12', { overflow: 'saturate', acc_bits: 12 }]];
  const rows: string[][] = [];
  const survivors: string[] = [];
  let total = 0;
  let seconds = 0;
  try {
    for (const fam of ['ternary', 'dense', 'nmsparse', 'lutgemm']) {
      for (const [name, raw] of variants) {
        const dir = join(work, `mutate-${fam}-${rows.length}`);
        const { family, params, top, files } = await design(fam, { rows: 4, k: 16, act_bits: 8, ...raw }, dir);
        const l = family.layout(params);
        const beatPath = (l.beatCycles ?? 1) + l.latency;
        const r = await mutate({
          family, params, top, files, workDir: join(dir, 'mutants'), count: MUTANTS, seed: 1, jobs: availableParallelism(),
          check: { kind: 'cosim', simulator: 'verilator', vectors: 10000, stall: 25, resets: DEFAULT_RESETS, seed: 1 },
          equivCycles: 3 + 2 * beatPath, equivTimeoutS: 300,
        });
        total += r.mutants.length;
        seconds += r.seconds;
        rows.push([`${fam} ${name}`, String(r.mutants.length), String(r.killed), String(r.survived), String(r.equivalent), `${(r.score * 100).toFixed(1)}%`, (r.mutants.length / (r.seconds / 60)).toFixed(1)]);
        for (const m of r.mutants.filter((x) => x.status === 'survived' || x.status === 'error')) {
          survivors.push(`${fam} ${name} #${m.id} ${m.status} at ${m.file}:${m.line} (${m.sourceModule}, ${m.cell}): ${m.description}: ${m.detail}`);
        }
      }
    }
  } finally {
    if (savedCache === undefined) delete process.env.LOWBIT_CACHE;
    else process.env.LOWBIT_CACHE = savedCache;
  }
  say(table(['configuration', 'mutants', 'killed', 'survived', 'equivalent', 'score', 'mutants/min'], rows));
  say(`${total} mutants in ${seconds.toFixed(0)} s: ${(total / (seconds / 60)).toFixed(1)} mutants per minute on ${availableParallelism()} cores (goal: score 100% everywhere)`);
  for (const s of survivors) say(`  survivor: ${s}`);
}

async function buildBench(): Promise<void> {
  const sizes = (process.env.LOWBIT_BENCH_BUILD_SIZES ?? '16x64,64x256,128x512').split(',').map((x) => x.split('x').map(Number));
  const limit = Number(process.env.LOWBIT_BENCH_BUILD_LIMIT ?? 900);
  say(`\n## (7) Verilator harness build: wall time and peak memory of its largest process (fresh cache, --timeout ${limit})`);
  const rows: string[][] = [];
  for (const [r, k] of sizes) {
    const dir = join(work, `build-${r}x${k}`);
    // GNU time's %M: the peak resident set of the largest process in the tree (verilator_bin or a g++).
    const t = await execa('/usr/bin/time', ['-f', 'LOWBIT_TIME %e %M', process.execPath, repoPath('bin', 'lowbit.mjs'), 'cosim', 'ternary', '--rows', String(r), '--k', String(k),
      '--vectors', '1', '--seed', '1', '--out', join(dir, 'out'), '--timeout', String(limit), '--json'], { env: { LOWBIT_CACHE: join(dir, 'cache') }, reject: false });
    const m = /LOWBIT_TIME ([\d.]+) (\d+)/.exec(String(t.stderr));
    const status = t.exitCode === 0 ? 'built' : t.exitCode === 3 ? `time limit (${limit} s)` : `failed (exit ${t.exitCode})`;
    // A killed build's peak is not reported reliably by wait4 (its tools were not all reaped in order): shown only for finished builds.
    rows.push([`${r} x ${k}`, String(r * k), m ? Number(m[1]).toFixed(0) : '?', m && t.exitCode === 0 ? (Number(m[2]) / 1024).toFixed(0) : '-', status]);
    say(`  ${rows[rows.length - 1].join('  ')}`);
    rmSync(dir, { recursive: true, force: true });
  }
  say(table(['rows x k', 'MACs', 'seconds', 'peak MB', 'status'], rows));
}

// The bench suite of (8): single-threaded jobs (lint; cosim under Icarus, no build), so the figures
// measure the scheduler: a Verilator build already runs make -j 2 (-j 1 would keep both cores busy).
const REGRESS_BENCH_SUITE = `name: bench
seed: 1
defaults:
  checks: [lint, { cosim: { vectors: 500, sim: iverilog, seeds: 2 } }]
designs:
  - { family: ternary, params: { rows: 2, k: 8, act_bits: 4 } }
  - { family: dense, params: { rows: 2, k: 4, act_bits: 4, w_bits: 2 } }
  - { family: nmsparse, params: { n: 2, m: 4, rows: 2, k: 8, act_bits: 4 } }
`;

async function regressBench(): Promise<void> {
  say('\n## (8) regress: `lowbit regress` wall time (each run a fresh process; --json)');
  const dir = join(work, 'regress');
  mkdirSync(dir, { recursive: true });
  const bench = join(dir, 'bench.yaml');
  writeFileSync(bench, REGRESS_BENCH_SUITE);
  const smoke = repoPath('examples', 'regress', 'smoke.yaml');
  let n = 0;
  /** One `lowbit regress` run with its own cache dir (fresh unless given); every job must pass. */
  const run = async (suite: string, args: string[], cache = join(dir, `cache-${n++}`)) => {
    const t0 = performance.now();
    const r = await execa(process.execPath, [repoPath('bin', 'lowbit.mjs'), 'regress', suite, '--runs-dir', join(dir, 'runs'), '--json', ...args], { env: { LOWBIT_CACHE: cache }, reject: false });
    const wall = secs(t0);
    let rep: { ok: boolean; counts: { total: number; cached: number; passed: number }; runDir: string } | undefined;
    try {
      rep = JSON.parse(String(r.stdout));
    } catch {
      // reported below
    }
    if (r.exitCode !== 0 || !rep?.ok) throw new Error(`lowbit regress ${suite} ${args.join(' ')} failed (exit ${r.exitCode}):\n${String(r.stderr).slice(-3000)}`);
    return { wall, cache, jobs: rep.counts.total, cached: rep.counts.cached };
  };
  const rows: string[][] = [];
  const goals: string[] = [];
  const goal = (what: string, ratio: number, text: string, met: boolean) => goals.push(`${what}: ${ratio.toFixed(2)}x (goal ${text}: ${met ? 'met' : 'NOT met'})`);

  const first = await run(smoke, ['-j', '2']);
  const again = await run(smoke, ['-j', '2'], first.cache);
  rows.push(['smoke.yaml, first run, fresh cache, -j 2', String(first.jobs), String(first.cached), first.wall.toFixed(1), '1.00x']);
  rows.push(['smoke.yaml, rerun from the same cache', String(again.jobs), String(again.cached), again.wall.toFixed(1), `${(again.wall / first.wall).toFixed(3)}x first run`]);
  goal('smoke.yaml cached rerun vs first run', again.wall / first.wall, '<= 0.1x', again.wall / first.wall <= 0.1);

  const j1 = await run(bench, ['--no-cache', '-j', '1']);
  const j2 = await run(bench, ['--no-cache', '-j', '2']);
  rows.push(['bench suite, -j 1, fresh cache', String(j1.jobs), String(j1.cached), j1.wall.toFixed(1), '1.00x']);
  rows.push(['bench suite, -j 2, fresh cache', String(j2.jobs), String(j2.cached), j2.wall.toFixed(1), `${(j1.wall / j2.wall).toFixed(2)}x faster than -j 1`]);
  goal(`bench suite speedup -j 2 vs -j 1 (${availableParallelism()} cores)`, j1.wall / j2.wall, '>= 1.7x', j1.wall / j2.wall >= 1.7);

  // The one-node cluster: brought up when this machine can (root, Debian), else skipped with why.
  const up = await execa('bash', [repoPath('scripts', 'slurm', 'up.sh')], { reject: false });
  const st = up.exitCode === 0 ? await clusterStatus() : { up: false as const, reason: String(up.stderr).trim().split('\n').pop() ?? `up.sh exit ${up.exitCode}` };
  if (st.up) {
    const sl = await run(bench, ['--no-cache', '-j', '2', '--scheduler', 'slurm']);
    rows.push([`bench suite, --scheduler slurm -j 2 (one-node cluster, Slurm ${st.version}), fresh cache`, String(sl.jobs), String(sl.cached), sl.wall.toFixed(1), `${(sl.wall / j2.wall).toFixed(2)}x local -j 2`]);
    goal('bench suite Slurm vs local, 2 at once', sl.wall / j2.wall, '<= 1.3x', sl.wall / j2.wall <= 1.3);
    // The same jobs in two array tasks of 5 and 4 (--slurm-chunk 5): Slurm's start-up once per task, not per job.
    const ch = await run(bench, ['--no-cache', '-j', '2', '--scheduler', 'slurm', '--slurm-chunk', '5']);
    rows.push([`bench suite, --scheduler slurm -j 2 --slurm-chunk 5 (2 array tasks), fresh cache`, String(ch.jobs), String(ch.cached), ch.wall.toFixed(1), `${(ch.wall / j2.wall).toFixed(2)}x local -j 2`]);
    goal('bench suite Slurm (--slurm-chunk 5) vs local, 2 at once', ch.wall / j2.wall, '<= 1.3x', ch.wall / j2.wall <= 1.3);
  } else {
    goals.push(`Slurm vs local: skipped, no cluster here: ${st.reason}`);
  }
  say(table(['run', 'jobs', 'cached', 'wall s', 'ratio'], rows));
  say(goals.join('\n'));
  say('(bench suite: ternary rows 2 k 8, dense rows 2 k 4 w_bits 2, nmsparse 2:4 rows 2 k 8, act_bits 4; lint + 2 cosim seeds of 500 vectors under Icarus each, 9 jobs; Icarus, not Verilator: one core per job, no harness build)');
}

/** A normal-ish matrix from a seed (Box-Muller over the seeded generator). */
function normals(n: number, stream: number): Float64Array {
  const r = new Rng(2026, stream);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = (r.u32() + 1) / 2 ** 32;
    const v = r.u32() / 2 ** 32;
    const m = Math.sqrt(-2 * Math.log(u));
    out[i] = m * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = m * Math.sin(2 * Math.PI * v);
  }
  return out;
}

// (9) layer: one 256 x 1024 layer, 16 tokens, through each family at 16 x 64: accuracy against the float
// product, simulated cycles, wall time; and the golden model alone on the same vectors.
async function layerBench(): Promise<void> {
  const OUT = 256, IN = 1024, TOKENS = 16;
  const dir = join(work, 'layer');
  mkdirSync(dir, { recursive: true });
  const w = join(dir, 'w.npy');
  const x = join(dir, 'x.npy');
  writeNpy(w, normals(OUT * IN, 1), [OUT, IN]);
  writeNpy(x, normals(TOKENS * IN, 2), [TOKENS, IN]);
  say(`\n## (9) layer: ${OUT} x ${IN} weights (random normal, seed 2026), ${TOKENS} tokens, act_bits 8, rows 16, k 64; every output bit-exact in Verilator`);
  const configs: [string, string, Record<string, unknown>][] = [
    ['ternary (BitNet b1.58)', 'ternary', {}],
    ['lutgemm ternary TL1', 'lutgemm', { weights: 'ternary', encoding: 'tl1' }],
    ['nmsparse 2:4 ternary', 'nmsparse', { n: 2, m: 4, weights: 'ternary' }],
    ['dense int8', 'dense', { w_bits: 8 }],
    ['dense int4', 'dense', { w_bits: 4 }],
  ];
  const rows: string[][] = [];
  for (const [label, fam, extra] of configs) {
    const params = { rows: 16, k: 64, act_bits: 8, ...extra };
    const t0 = performance.now();
    const r = await layer({ family: fam, params, weights: w, acts: x, out: join(dir, fam + rows.length) });
    const wall = secs(t0);
    if (!r.ok) throw new Error(`layer ${label} failed: ${JSON.stringify(r.mismatch)}`);
    // The golden model alone: the same quantized vectors, stepped through the model a co-simulation compares with.
    const family = getFamily(fam);
    const p = family.resolve({ ...params, max_beats: r.tiling.beatsPerVector });
    const l = family.layout(p);
    const wq = loadTensor(join(r.dir, 'weights_q.npy')).data as Int32Array;
    const aq = loadTensor(join(r.dir, 'acts_q.npy')).data as Int32Array;
    const g0 = performance.now();
    const tiling = layerTiling(l, OUT, IN, TOKENS);
    const { plan, count } = layerPlan(family, p, tiling, wq, aq, Array.from({ length: tiling.tiles }, (_, i) => i));
    const golden = new GoldenModel(l, p.overflow);
    const beat = newBeat(l);
    for (let v = 0; v < count; v++) {
      const src = plan.vector(v);
      const acc = golden.begin();
      for (let b = 0; b < src.beats; b++) {
        src.next(beat);
        golden.step(acc, beat);
      }
    }
    const goldenWall = secs(g0);
    const a = r.accuracy!;
    const h = r.hardware;
    rows.push([label, a.cosine.toFixed(5), a.relFrobenius.toFixed(4), String(h.cycles), `${(100 * h.utilization!).toFixed(1)}%`, r.time.simulationSeconds.toFixed(2), wall.toFixed(1), goldenWall.toFixed(2)]);
  }
  say(table(['design', 'cosine vs float', 'rel. Frobenius err', 'cycles', 'utilization', 'sim s', 'layer wall s', 'golden model alone s'], rows));
  say('(layer wall: quantize, generate, Verilator build (cached after the first run of a design), simulation, checks; golden model alone: the same vectors packed and stepped through the golden model, no simulator)');
}

// (10) sweep: the example sweep (examples/sweep/families.yaml) from a fresh cache, its cached rerun, the
// cost model's error against that synthesis per target, and --estimate-only over 10,080 points.
async function sweepBench(): Promise<void> {
  const dir = join(work, 'sweep');
  mkdirSync(dir, { recursive: true });
  const example = repoPath('examples', 'sweep', 'families.yaml');
  // The report is kept (lowbit-out/bench-sweep): the README's plot is made from it.
  const keep = repoPath('lowbit-out', 'bench-sweep');
  const cache = join(dir, 'cache');
  const run = async (args: string[], out: string) => {
    const t0 = performance.now();
    const r = await execa(process.execPath, [repoPath('bin', 'lowbit.mjs'), 'sweep', ...args, '--out', out, '--runs-dir', join(dir, 'runs'), '--json'], { env: { LOWBIT_CACHE: cache }, reject: false });
    const wall = secs(t0);
    let rep: SweepReport | undefined;
    try {
      rep = JSON.parse(String(r.stdout));
    } catch {
      // reported below
    }
    if (r.exitCode !== 0 || !rep?.ok) throw new Error(`lowbit sweep ${args.join(' ')} failed (exit ${r.exitCode}):\n${String(r.stderr).slice(-3000)}`);
    return { wall, rep };
  };
  say('\n## (10) sweep: examples/sweep/families.yaml (ternary, lutgemm TL1, dense int4; rows x k x act_bits = 40 points each; ice40 + generic), -j 2');
  const first = await run([example, '-j', '2'], keep);
  const again = await run([example, '-j', '2'], join(dir, 'again'));
  const est = await run(['ternary,lutgemm,dense,nmsparse', '--grid', 'rows=1,2,4,8,16,32,64', '--grid', 'k=8,16,32,64,128,256,512,1024', '--grid', 'act_bits=2,3,4,5,6,7,8,9,10,11,12,13,14,15,16', '--grid', 'pipeline=0,1,2', '--estimate-only'], join(dir, 'estimate'));
  const jobs = first.rep.run!.counts;
  const rows = [
    ['example sweep, fresh cache', String(first.rep.counts.points), String(jobs.total), String(jobs.cached), first.wall.toFixed(1), '1.00x'],
    ['example sweep, rerun from the same cache', String(again.rep.counts.points), String(again.rep.run!.counts.total), String(again.rep.run!.counts.cached), again.wall.toFixed(1), `${(again.wall / first.wall).toFixed(3)}x first run`],
    [`--estimate-only, ${est.rep.counts.points} points (4 families, report included)`, String(est.rep.counts.points), '0', '0', est.wall.toFixed(1), ''],
  ];
  say(table(['run', 'points', 'jobs', 'cached', 'wall s', 'ratio'], rows));
  const goals = [
    `cached rerun vs first run: ${(again.wall / first.wall).toFixed(3)}x (goal <= 0.1x: ${again.wall / first.wall <= 0.1 ? 'met' : 'NOT met'})`,
    `--estimate-only over ${est.rep.counts.points} points: ${est.wall.toFixed(1)} s (goal < 10 s: ${est.wall < 10 ? 'met' : 'NOT met'})`,
  ];
  // The cost model against this sweep's synthesis, per target and figure.
  const errRows: string[][] = [];
  const pts = first.rep.points.filter((p) => p.status === 'measured');
  for (const t of first.rep.sweep.targets) {
    for (const f of TARGET_FACTS[t].figures) {
      const errs = pts.map((p) => p.targets[t]?.error[f.metric]).filter((e): e is number => e !== undefined).map(Math.abs).sort((a, b) => a - b);
      if (!errs.length) continue;
      const median = errs[Math.floor((errs.length - 1) / 2)];
      const max = errs[errs.length - 1];
      errRows.push([t, f.metric, String(errs.length), `${(100 * median).toFixed(1)}%`, `${(100 * max).toFixed(1)}%`]);
      if (f === TARGET_FACTS[t].figures[0] && (t === 'ice40' || t === 'generic')) goals.push(`estimate error ${t} ${f.metric}: median ${(100 * median).toFixed(1)}%, max ${(100 * max).toFixed(1)}% (goal <= 10% / <= 25%: ${median <= 0.1 && max <= 0.25 ? 'met' : 'NOT met'})`);
    }
  }
  say(table(['target', 'figure', 'points', 'median |error|', 'max |error|'], errRows));
  say(goals.join('\n'));
  // What the sweep says: the smallest design per MAC in each (rows, act_bits) cell, per target.
  for (const t of first.rep.sweep.targets) {
    const area = TARGET_FACTS[t].figures[0];
    const cell = new Map<string, { v: number; p: string; fam: string }>();
    for (const p of pts) {
      const v = p.targets[t]?.measured[area.metric];
      if (v === undefined) continue;
      const key = `rows ${p.params.rows}, act_bits ${p.params.act_bits}`;
      const c = cell.get(key);
      if (!c || v < c.v) cell.set(key, { v, p: p.name, fam: p.family });
    }
    say(`\n${t}: smallest ${area.unit} per (rows, act_bits), any k:`);
    say(table(['cell', 'winner', 'point', area.unit], [...cell.entries()].map(([k, c]) => [k, c.fam, c.p, c.v.toFixed(1)])));
    const front = pts.filter((p) => p.targets[t]?.pareto).map((p) => p.name);
    say(`${t} Pareto front (${area.unit} vs ${TARGET_FACTS[t].throughput?.unit}): ${front.join(', ')}`);
  }
  say(`(report: ${first.rep.files.report}; README plot: npx tsx scripts/reportBrowser.ts ${first.rep.files.report} --chart crossover-generic --png docs/sweep-crossover-generic.png)`);
}

// (11) activation formats: each family at rows 16, k 64 with int8 activations and floating-point ones in
// exact mode (FP8 E4M3, FP16: decoded once into 19- / 41-bit integers), per MAC on iCE40 and generic gates,
// and the LUT families over the add/sub one per format: does a LUT pay once activations are wide?
const FORMAT_FAMILIES: [string, string, Record<string, unknown>][] = [
  ['ternary (add/sub)', 'ternary', {}],
  ['lutgemm bipolar', 'lutgemm', { weights: 'bipolar' }],
  ['lutgemm TL1', 'lutgemm', { weights: 'ternary', encoding: 'tl1' }],
  ['lutgemm TL2 (k 63)', 'lutgemm', { weights: 'ternary', encoding: 'tl2', k: 63 }],
  ['nmsparse 2:4 ternary', 'nmsparse', { n: 2, m: 4, weights: 'ternary' }],
  ['dense int4', 'dense', { w_bits: 4 }],
];
const FORMATS: [string, Record<string, unknown>][] = [
  ['int8', { act_bits: 8 }],
  ['fp8e4m3 exact', { act_format: 'fp8e4m3' }],
  ['fp16 exact', { act_format: 'fp16' }],
];

async function formatsBench(): Promise<void> {
  say('\n## (11) activation formats: rows 16, k 64 (TL2: 63), max_beats 16; per MAC per cycle, iCE40 SB_LUT4 and generic CMOS transistors');
  say('fp exact: each lane decoded once at the edge into an integer of the smallest subnormal (E4M3 19 bits, FP16 41), the array integer; out_format int.');
  say('Not measured (not built): fp16 tree fp16 / tree fp32 (FP adder trees) and block 8 (shared-exponent blocks).');
  const results = new Map<string, Measured>();
  await Promise.all(FORMAT_FAMILIES.flatMap(([label, fam, raw]) => FORMATS.map(async ([fmt, f]) => {
    results.set(`${label} ${fmt}`, await measure(fam, { rows: 16, k: 64, max_beats: 16, ...raw, ...f }));
  })));
  const rows: string[][] = [];
  for (const [label] of FORMAT_FAMILIES) {
    const row = [label];
    for (const [fmt] of FORMATS) {
      const m = results.get(`${label} ${fmt}`)!;
      const t = results.get(`ternary (add/sub) ${fmt}`)!;
      row.push(m.lut.toFixed(2), `${(m.lut / t.lut).toFixed(2)}x`, m.tr.toFixed(0), `${(m.tr / t.tr).toFixed(2)}x`);
    }
    rows.push(row);
  }
  say(table(['family', ...FORMATS.flatMap(([f]) => [`${f} LUT4`, 'vs add/sub', `${f} tr`, 'vs add/sub'])], rows));
  // The cost model on the same points (decoders priced first-order: estimate.ts fpEdgeBlocks).
  const errs: string[][] = [];
  for (const [label, fam, raw] of FORMAT_FAMILIES) {
    for (const [fmt, f] of FORMATS) {
      const family = getFamily(fam);
      const est = family.estimate?.(family.resolve({ rows: 16, k: 64, max_beats: 16, ...raw, ...f }));
      const m = results.get(`${label} ${fmt}`)!;
      if (est) errs.push([label, fmt, `${((est.targets.ice40.perMac.lut4 / m.lut - 1) * 100).toFixed(1)}%`, `${((est.targets.generic.perMac.transistors / m.tr - 1) * 100).toFixed(1)}%`]);
    }
  }
  say(table(['family', 'format', 'estimate error LUT4', 'estimate error tr'], errs));
  const ratio = (label: string, fmt: string, k: 'lut' | 'tr') => results.get(`${label} ${fmt}`)![k] / results.get(`ternary (add/sub) ${fmt}`)![k];
  for (const [label] of FORMAT_FAMILIES.slice(1, 4)) {
    say(`${label} / add-sub, generic transistors: ${FORMATS.map(([f]) => `${f} ${ratio(label, f, 'tr').toFixed(2)}x`).join(', ')}; iCE40 LUT4: ${FORMATS.map(([f]) => `${f} ${ratio(label, f, 'lut').toFixed(2)}x`).join(', ')}`);
  }
}

say(`# lowbit benchmark (${new Date().toISOString()}, node ${process.version}, ${readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? 'cpu'})`);
try {
  const only = (process.env.LOWBIT_BENCH_ONLY ?? 'startup,cosim,area,sparse,lut,asic,mutate,build,regress,layer,sweep,formats').split(',');
  if (only.includes('startup')) await startupBench();
  if (only.includes('cosim')) await cosimBench();
  if (only.includes('area')) await areaBench();
  if (only.includes('sparse')) await sparseBench();
  if (only.includes('lut')) await lutBench();
  if (only.includes('asic')) await asicBench();
  if (only.includes('mutate')) await mutateBench();
  if (only.includes('build')) await buildBench();
  if (only.includes('regress')) await regressBench();
  if (only.includes('layer')) await layerBench();
  if (only.includes('sweep')) await sweepBench();
  if (only.includes('formats')) await formatsBench();
  rmSync(work, { recursive: true, force: true });
} catch (e) {
  // The error names logs under the work dir: keep it.
  say(`\nbenchmark failed; its work dir is kept for the logs: ${work}`);
  throw e;
}
