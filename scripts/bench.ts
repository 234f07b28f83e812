// npm run bench: figures measured side by side in one run, printed as ratios.
//  (1) `lowbit cosim` wall time (rows 16, k 64, 1,000,000 one-beat vectors) next to a bare hand-written
//      Verilator harness driving the same RTL with no checking; cold (fresh build) and warm (cached).
//  (2) iCE40 SB_LUT4 per MAC of a ternary row (k 64) next to a naive behavioural add/sub chain and
//      the dense int8 family, synthesized in the same run.
// Not a test: this machine is shared and noisy, so goals are printed, not asserted.

import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getFamily } from '../generators/registry.js';
import { repoPath } from '../generators/common/paths.js';
import { wordsFor } from '../generators/common/bits.js';
import { writeRtl } from './cli/common.js';
import { synth, type SynthReport } from '../flows/yosys.js';

const VECTORS = Number(process.env.LOWBIT_BENCH_VECTORS ?? 1_000_000);
const work = mkdtempSync(join(tmpdir(), 'lowbit-bench-'));
const say = (s: string) => process.stdout.write(s + '\n');
const secs = (t0: number) => (performance.now() - t0) / 1000;

function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (c: string[]) => c.map((x, i) => (i === 0 ? x.padEnd(w[i]) : x.padStart(w[i]))).join('  ');
  return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n');
}

async function cosimBench(): Promise<void> {
  say(`\n## (1) co-simulation wall time: ternary rows 16, k 64, ${VECTORS.toLocaleString('en')} one-beat vectors`);
  const family = getFamily('ternary');
  const params = family.resolve({ rows: 16, k: 64, max_beats: 1 });
  const top = 'lowbit_ternary';
  const rtlDir = join(work, 'cosim-rtl');
  const files = writeRtl(rtlDir, { family, params, top }, family.generate(params, top));
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
    const family = getFamily(fam);
    const params = family.resolve(raw);
    const dir = join(work, `area-${results.length}`);
    const files = writeRtl(dir, { family, params, top: `lowbit_${fam}` }, family.generate(params, `lowbit_${fam}`));
    results.push({ name, r: await synth(files, `lowbit_${fam}`, 'ice40', 64, join(dir, 'logs')) });
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
  const got = new Map<string, { tr: number; lut: number }>();
  const rows: string[][] = [];
  for (const [name, fam, raw, base] of designs) {
    const family = getFamily(fam);
    const params = family.resolve({ rows: 16, k: 64, act_bits: 8, ...raw });
    const dir = join(work, `sparse-${got.size}`);
    const top = `lowbit_${fam}`;
    const files = writeRtl(dir, { family, params, top }, family.generate(params, top));
    const g = await synth(files, top, 'generic', 16 * 64, join(dir, 'logs'));
    const i = await synth(files, top, 'ice40', 16 * 64, join(dir, 'logs'));
    const r = { tr: g.perMac.transistors, lut: i.perMac.lut4 };
    got.set(name, r);
    const b = got.get(base)!;
    rows.push([name, r.tr.toFixed(1), `${(r.tr / b.tr).toFixed(3)}x ${base}`, r.lut.toFixed(2), `${(r.lut / b.lut).toFixed(3)}x ${base}`, (g.seconds + i.seconds).toFixed(1)]);
  }
  say(table(['design', 'tr/MAC', 'tr ratio', 'LUT4/MAC', 'LUT4 ratio', 'synth s'], rows));
  const ratio = (n: string) => got.get(n)!.tr / got.get('dense int8')!.tr;
  const goal = (n: string, g: number) => `${n} ${ratio(n).toFixed(3)}x dense transistors (goal <= ${g}x: ${ratio(n) <= g ? 'met' : 'NOT met'})`;
  say(['2:4 int8', '1:4 int8', '2:8 int8'].map((n) => goal(n, n === '2:4 int8' ? 0.6 : 0.35)).join('\n'));
}

say(`# lowbit benchmark (${new Date().toISOString()}, node ${process.version}, ${readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? 'cpu'})`);
try {
  await cosimBench();
  await areaBench();
  await sparseBench();
} finally {
  rmSync(work, { recursive: true, force: true });
}
