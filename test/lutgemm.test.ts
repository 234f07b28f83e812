import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../core/rng.js';
import { getFamily } from '../generators/registry.js';
import { buildTable, codeTrits, lookup, lutDot, tableSpec, tritCode, type TableKind } from '../generators/lutgemm/tables.js';
import { lowbit, testSeed, tmp } from './helpers.js';

const randomActs = (rng: Rng, n: number, bits: number): bigint[] =>
  Array.from({ length: n }, () => BigInt(rng.int(-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)));
const dot = (w: number[], a: bigint[]) => w.reduce((s, x, i) => s + BigInt(x) * a[i], 0n);

describe('LUT identity: the tables and index maps the RTL is built from give the exact dot product', () => {
  for (const actBits of [8, 16]) {
    it(`int w_bits 2..8 and ternary as offset planes, g 2..6: 2*sum(w*a) = sum_i 2^i sum_t T_t[idx] - sum(a) (act_bits ${actBits})`, () => {
      const seed = testSeed(`lut identity planes ${actBits}`);
      const rng = new Rng(seed);
      for (let g = 2; g <= 6; g++) {
        for (const symmetric of [true, false]) {
          const spec = tableSpec('planes', g, symmetric);
          for (let b = 2; b <= 8; b++) {
            const k = g * 5;
            const a = randomActs(rng, k, actBits);
            const lo = -(2 ** (b - 1));
            const w = Array.from({ length: k }, (_, i) => (i < g ? (i % 2 ? lo : -lo - 1) : rng.int(lo, -lo - 1)));
            expect(lutDot(w, a, { spec, planes: b, offset: true }), `g ${g} b ${b} symmetric ${symmetric}, seed ${seed}`).toBe(dot(w, a));
            const t = w.map(() => rng.int(-1, 1));
            expect(lutDot(t, a, { spec, planes: 2, offset: true }), `ternary planes g ${g}, seed ${seed}`).toBe(dot(t, a));
          }
        }
      }
    });
  }
  it('bipolar (one plane, bit = (w+1)/2) and ternary TL1 / TL2 codes', () => {
    const seed = testSeed('lut identity codes');
    const rng = new Rng(seed);
    for (let trial = 0; trial < 200; trial++) {
      const g = rng.int(2, 6);
      const a = randomActs(rng, g * 4, trial % 2 ? 16 : 8);
      const w = a.map(() => (rng.chance(0.5) ? 1 : -1));
      expect(lutDot(w, a, { spec: tableSpec('planes', g, trial % 3 !== 0), planes: 1, offset: false }), `seed ${seed}`).toBe(dot(w, a));
      for (const [kind, gg] of [['tl1', 2], ['tl2', 3]] as const) {
        const aa = randomActs(rng, gg * 4, trial % 2 ? 16 : 8);
        const t = aa.map(() => rng.int(-1, 1));
        expect(lutDot(t, aa, { spec: tableSpec(kind, gg, kind === 'tl2' || trial % 2 === 0), planes: 1, offset: false }), `${kind}, seed ${seed}`).toBe(dot(t, aa));
      }
    }
  });
});

describe('symmetric tables read what full tables read', () => {
  for (const [kind, gs] of [['planes', [2, 3, 4, 5, 6]], ['tl1', [2]]] as [TableKind, number[]][]) {
    it(`${kind}: every index code, random activations`, () => {
      const seed = testSeed(`symmetric ${kind}`);
      const rng = new Rng(seed);
      for (const g of gs) {
        const sym = tableSpec(kind, g, true);
        const full = tableSpec(kind, g, false);
        expect(sym.entries.length).toBe(kind === 'planes' ? 2 ** (g - 1) : 4);
        expect(full.entries.length).toBe(kind === 'planes' ? 2 ** g : 8);
        for (let trial = 0; trial < 20; trial++) {
          const a = randomActs(rng, g, 16);
          const ts = buildTable(sym, a);
          const tf = buildTable(full, a);
          for (let c = 0; c < 2 ** sym.idxBits; c++) expect(lookup(sym, ts, c), `g ${g} code ${c}, seed ${seed}`).toBe(lookup(full, tf, c));
        }
      }
    });
  }
  it('TL2: 13 stored entries plus a sign cover all 27 triples; TL1 and TL2 codes round-trip every group', () => {
    const tl2 = tableSpec('tl2', 3, true);
    expect(tl2.entries).toHaveLength(13);
    for (let v = 0; v < 27; v++) {
      const w = [(v % 3) - 1, (Math.floor(v / 3) % 3) - 1, Math.floor(v / 9) - 1];
      const back = [0, 0, 0];
      codeTrits(tl2, tritCode('tl2', w), back);
      expect(back).toEqual(w);
    }
    const tl1 = tableSpec('tl1', 2, true);
    for (let v = 0; v < 9; v++) {
      const w = [(v % 3) - 1, Math.floor(v / 3) - 1];
      const back = [0, 0];
      codeTrits(tl1, tritCode('tl1', w), back);
      expect(back).toEqual(w);
    }
  });
});

describe('lutgemm RTL structure', () => {
  const gen = async (args: string[]) => {
    const out = tmp('lutgen');
    const r = await lowbit(['gen', 'lutgemm', ...args, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    return { out, read: (f: string) => readFileSync(join(out, f), 'utf8') };
  };
  it('exact tables: int8 activations, g 4 span [-512, 511] symmetric (10 bits), 11 bits full', async () => {
    const sym = await gen(['--rows', '2', '--k', '8']);
    expect(sym.read('lowbit_lutgemm_gtab.v')).toContain('8 exact entries of 10 bits');
    const full = await gen(['--rows', '2', '--k', '8', '--symmetric', 'false']);
    expect(full.read('lowbit_lutgemm_gtab.v')).toContain('16 exact entries of 11 bits');
  });
  it('one table build per group, shared by every row: rows only look up', async () => {
    const d = await gen(['--rows', '16', '--k', '64']);
    const top = d.read('lowbit_lutgemm.v');
    expect(top.match(/lowbit_lutgemm_tables u_shared/g)).toHaveLength(1);
    expect(d.read('lowbit_lutgemm_tables.v').match(/lowbit_lutgemm_gtab u_gtab\d+/g)).toHaveLength(16);
    const row = d.read('lowbit_lutgemm_row.v');
    expect(row).not.toContain('_gtab');
    expect(row).not.toMatch(/\bact\b/);
    expect(row.match(/lowbit_lutgemm_lut u_lut_/g)).toHaveLength(16);
  });
  it('serial: a beat takes w_bits cycles (the beat sequencer); parallel: one', async () => {
    const f = getFamily('lutgemm');
    expect(f.layout(f.resolve({ w_bits: 5 })).beatCycles).toBe(5);
    expect(f.layout(f.resolve({ w_bits: 5, serial: false })).beatCycles).toBe(1);
    expect(f.layout(f.resolve({ weights: 'bipolar' })).beatCycles).toBe(1);
    const d = await gen(['--rows', '2', '--k', '8', '--w-bits', '3']);
    expect(d.read('lowbit_lutgemm.v')).toContain('lowbit_beat_seq');
    expect(existsSync(join(d.out, 'lowbit_beat_seq.v'))).toBe(true);
    const p = await gen(['--rows', '2', '--k', '8', '--w-bits', '3', '--serial', 'false']);
    expect(existsSync(join(p.out, 'lowbit_beat_seq.v'))).toBe(false);
  });
});

describe('lutgemm rejects bad parameter combinations (exit 2, nothing written)', () => {
  const cases: [string[], string][] = [
    [['--k', '18'], 'k must be a multiple of g (4), not 18'],
    [['--w-bits', '1'], 'w_bits must be in 2..8 for weights int, not 1'],
    [['--weights', 'bipolar', '--w-bits', '2'], 'w_bits must be 1 for weights bipolar (values -1 and +1), not 2'],
    [['--weights', 'ternary', '--w-bits', '3'], 'w_bits must be 2 for weights ternary'],
    [['--encoding', 'tl1'], 'encoding tl1 needs weights ternary'],
    [['--weights', 'ternary', '--encoding', 'tl1', '--g', '4'], 'g must be 2 for encoding tl1 (pairs of weights), not 4'],
    [['--weights', 'ternary', '--encoding', 'tl2', '--k', '9', '--symmetric', 'false'], 'symmetric must be true for encoding tl2'],
    [['--g', '7'], 'g must be an integer in 2..6, not 7'],
    [['--serial', 'maybe'], 'serial must be true or false, not "maybe"'],
    [['--pipeline', '9', '--k', '8'], 'pipeline must be in 0..'],
  ];
  const f = getFamily('lutgemm');
  const raw = (args: string[]) => Object.fromEntries(Array.from({ length: args.length / 2 }, (_, i) => [args[2 * i].slice(2).replace(/-/g, '_'), args[2 * i + 1]]));
  for (const [args, message] of cases) {
    it(args.join(' '), () => {
      expect(() => f.resolve(raw(args))).toThrow(message);
    });
  }
  it('through the CLI: exit 2, the message, no output directory', async () => {
    for (const [args, message] of cases.slice(0, 2)) {
      const out = join(tmp('lutbad'), 'rtl');
      const r = await lowbit(['gen', 'lutgemm', ...args, '--out', out]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
      expect(existsSync(out)).toBe(false);
    }
  });
});
