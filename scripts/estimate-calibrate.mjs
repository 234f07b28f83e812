#!/usr/bin/env node
// Collects synthesis figures for the estimate's calibration (test/quick/estimate-calibration.json):
// a seeded sample of design points per family, synthesized one at a time with the API's synth()
// (the same figures `lowbit synth --json` reports), appended to the data file after each run.
// Points already in the file are skipped, so the script resumes where it stopped.
//
//   npm run build && LOWBIT_CACHE=/tmp/est-cache node scripts/estimate-calibrate.mjs [--n 40] [--targets ice40,generic] [--families ternary,dense,nmsparse,lutgemm] [--every 1]
//
// --dry: list the sample and stop.
// --every N: only every N-th point of the sample (for the slower targets: xilinx, asic).

import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { synth, getFamily } from '../dist/api/index.js';

const DATA = new URL('../test/quick/estimate-calibration.json', import.meta.url).pathname;
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const N = Number(arg('n', '40'));
const TARGETS = arg('targets', 'ice40,generic').split(',');
const FAMILIES = arg('families', 'ternary,dense,nmsparse,lutgemm').split(',');
const EVERY = Number(arg('every', '1'));

// A small deterministic generator (mulberry32), so the sample is the same on every run.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = (r, xs) => xs[Math.floor(r() * xs.length)];

/** One random point of a family (raw parameters), or undefined when it is too large to synthesize quickly. */
function point(family, r) {
  const rows = pick(r, [1, 2, 4, 8, 16]);
  const act = pick(r, [2, 4, 6, 8, 8, 12, 16]);
  const p = { rows, act_bits: act };
  if (family === 'ternary') {
    p.k = pick(r, [4, 8, 16, 24, 32, 64]);
    p.encoding = pick(r, ['twos', 'twos', 'i2s', 'base3']);
  } else if (family === 'dense') {
    p.k = pick(r, [2, 4, 8, 16, 32]);
    p.w_bits = pick(r, [2, 3, 4, 6, 8]);
  } else if (family === 'nmsparse') {
    const [n, m] = pick(r, [[1, 2], [2, 4], [2, 4], [1, 4], [2, 8], [4, 8]]);
    p.n = n;
    p.m = m;
    p.k = m * pick(r, [1, 2, 4, 8]);
    p.weights = pick(r, ['int', 'ternary']);
    if (p.weights === 'int') p.w_bits = pick(r, [2, 4, 8]);
    else p.encoding = pick(r, ['twos', 'i2s', 'base3']);
  } else if (family === 'lutgemm') {
    const kind = pick(r, ['int', 'int', 'bipolar', 'tl1', 'tl2', 'tplanes']);
    if (kind === 'int') {
      p.weights = 'int';
      p.w_bits = pick(r, [2, 3, 4]);
      p.g = pick(r, [2, 3, 4]);
      p.serial = pick(r, [true, true, false]);
      p.symmetric = pick(r, [true, true, false]);
    } else if (kind === 'bipolar') {
      p.weights = 'bipolar';
      p.g = pick(r, [2, 3, 4, 5]);
      p.symmetric = pick(r, [true, false]);
    } else if (kind === 'tplanes') {
      p.weights = 'ternary';
      p.g = pick(r, [2, 4]);
      p.serial = pick(r, [true, false]);
    } else {
      p.weights = 'ternary';
      p.encoding = kind;
      if (kind === 'tl1') p.symmetric = pick(r, [true, false]);
    }
    const g = p.g ?? (kind === 'tl1' ? 2 : kind === 'tl2' ? 3 : 4);
    p.k = g * pick(r, [1, 2, 4, 8]);
  }
  if (r() < 0.15) p.overflow = 'saturate', (p.acc_bits = pick(r, [12, 16, 24]));
  else if (r() < 0.1) p.max_beats = pick(r, [1, 16, 4096]);
  // Pipeline: about a third of the points, up to the row sum's levels.
  const fam = getFamily(family);
  let resolved;
  try {
    resolved = fam.resolve(p);
  } catch {
    return undefined;
  }
  if (r() < 0.35) {
    const want = pick(r, [1, 2, 3]);
    for (let s = want; s >= 1; s--) {
      try {
        fam.resolve({ ...p, pipeline: s });
        p.pipeline = s;
        break;
      } catch {
        /* too deep for this k */
      }
    }
  }
  // Keep each synthesis short: bound the datapath's size.
  const wb = resolved.w_bits ?? 2;
  const size = rows * resolved.k * (family === 'dense' || (family === 'nmsparse' && resolved.weights === 'int') ? act * wb : act * 2);
  if (size > 6000) return undefined;
  return p;
}

function sample(family, n) {
  const r = rng(0x5eed + family.length * 7919 + family.charCodeAt(0));
  const out = [];
  const seen = new Set();
  while (out.length < n) {
    const p = point(family, r);
    if (!p) continue;
    const key = JSON.stringify(p);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

const data = existsSync(DATA) ? JSON.parse(readFileSync(DATA, 'utf8')) : { note: '', points: [] };
data.note =
  'Synthesis figures for the estimate model (generators/common/estimate.ts), collected by scripts/estimate-calibrate.mjs ' +
  'with lowbit synth (the default bundled Yosys, recorded per point as tool); test/quick/estimate.test.ts checks the estimate against every point.';
const have = new Set(data.points.map((d) => `${d.family}|${d.target}|${JSON.stringify(d.params)}`));
const save = () => {
  const tmp = `${DATA}.tmp`;
  writeFileSync(tmp, JSON.stringify(data, null, 1) + '\n');
  renameSync(tmp, DATA);
};

const samples = Object.fromEntries(FAMILIES.map((f) => [f, sample(f, N)]));
if (process.argv.includes('--dry')) {
  for (const f of FAMILIES) for (const p of samples[f]) console.log(f, JSON.stringify(p));
  process.exit(0);
}
let done = 0;
for (let i = 0; i < N; i += EVERY) {
  for (const target of TARGETS) {
    for (const family of FAMILIES) {
      const params = samples[family][i];
      const key = `${family}|${target}|${JSON.stringify(params)}`;
      if (have.has(key)) continue;
      const out = join(tmpdir(), `est-out-${process.pid}`);
      const t0 = Date.now();
      try {
        const r = await synth({ family, params, target, out });
        const rec = { family, target, params, tool: r.tool, macs: r.macs, seconds: Math.round((Date.now() - t0) / 100) / 10, cells: r.cells };
        for (const k of ['lut4', 'carry', 'dff', 'transistors', 'area']) if (r[k] !== undefined) rec[k] = r[k];
        if (r.resources) rec.resources = r.resources;
        if (r.timing) rec.criticalPathNs = r.timing.criticalPathNs;
        data.points.push(rec);
        have.add(key);
        save();
        done++;
        console.log(`${done} ${family} ${target} ${JSON.stringify(params)} ${rec.seconds}s lut4=${rec.lut4 ?? '-'} tr=${rec.transistors ?? '-'} lut=${rec.resources?.lut ?? '-'} area=${rec.area ?? '-'}`);
      } catch (e) {
        console.log(`FAILED ${family} ${target} ${JSON.stringify(params)}: ${e.message}`);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    }
  }
}
console.log(`done: ${done} new point(s), ${data.points.length} in ${DATA}`);
