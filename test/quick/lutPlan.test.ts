// The lutgemm datapath's planning step (generators/lutgemm/plan.ts) on its own: widths, ranges,
// table sharing and the row's lookups and trees, as data, before any Verilog is written.
import { describe, expect, it } from 'vitest';
import { lutLevels, planLut, type LutDatapathOptions } from '../../generators/lutgemm/plan.js';
import { tableSpec, type TableKind } from '../../generators/lutgemm/tables.js';
import { getFamily } from '../../generators/registry.js';

const opts = (kind: TableKind, g: number, symmetric: boolean, o: Partial<LutDatapathOptions> = {}): LutDatapathOptions => ({
  top: 't', spec: tableSpec(kind, g, symmetric), k: 8, actBits: 8, planes: 1, offset: false, serial: false, pipeline: 0, wgtRowBits: 8, psumBits: 16, ...o,
});
const range = (r: { min: bigint; max: bigint }) => [Number(r.min), Number(r.max)];

describe('lutgemm plan: widths and ranges', () => {
  it('int8 activations, g 4: a symmetric table stores 8 entries of 10 bits, a full one 16 of 11', () => {
    const sym = planLut(opts('planes', 4, true));
    expect([sym.entries, sym.tw, sym.groupTabBits]).toEqual([8, 10, 80]);
    // entries span [-508, 508]; a term is an entry or its ones' complement (-x - 1)
    expect(range(sym.term)).toEqual([-512, 511]);
    const full = planLut(opts('planes', 4, false));
    expect([full.entries, full.tw]).toEqual([16, 11]);
    expect(range(full.term)).toEqual([-512, 512]);
    expect(full.signed).toBe(false);
  });

  it('TL1 and TL2 tables hold trit sums: 4 symmetric entries of 9 bits; 13 entries of 10 bits', () => {
    const tl1 = planLut(opts('tl1', 2, true));
    expect([tl1.entries, tl1.tw, tl1.lookup.select, tl1.signed]).toEqual([4, 9, 'case', true]);
    const tl2 = planLut(opts('tl2', 3, true, { k: 9 }));
    expect([tl2.entries, tl2.tw, tl2.lookup.select, tl2.lookup.cases.length]).toEqual([13, 10, 'low4', 16]);
  });

  it('offset weights get the -sum(a) correction; bit-serial, only one plane adds it, so its range holds 0', () => {
    const par = planLut(opts('planes', 4, true, { planes: 2, offset: true }));
    // two groups of four int8 activations: sum in [-1024, 1016], negated
    expect(range(par.corr!.range)).toEqual([-1016, 1024]);
    const ser = planLut(opts('planes', 4, true, { planes: 4, offset: true, serial: true, k: 4 }));
    expect(range(ser.corr!.range)).toEqual([-508, 512]);
    expect(range(ser.corr!.range)[0]).toBeLessThanOrEqual(0);
    expect(planLut(opts('planes', 4, true, { planes: 1, k: 12, actBits: 4 })).corr).toBeUndefined();
  });
});

describe('lutgemm plan: table sharing', () => {
  it('entries share partial sums: a symmetric g-4 table takes 12 adders, not 8 x 3', () => {
    const p = planLut(opts('planes', 4, true));
    expect(p.table.adders).toBe(12);
    // every step reads only activations or earlier steps
    const known = new Set(Array.from({ length: 4 }, (_, j) => `a_${j}`));
    for (const s of p.table.steps) {
      for (const x of s.op === 'neg' ? [s.x] : [s.h, s.l]) expect(known.has(x.name), `${s.sig.name} reads ${x.name}`).toBe(true);
      known.add(s.sig.name);
    }
    // and each entry's range is that of the sum its coefficients say (+a in [-128, 127], -a in [-127, 128])
    for (const e of p.table.entries) {
      expect(range(e.sum.range)).toEqual([e.coefs.reduce((s, c) => s + (c > 0 ? -128 : -127), 0), e.coefs.reduce((s, c) => s + (c > 0 ? 127 : 128), 0)]);
    }
  });
});

describe('lutgemm plan: rows', () => {
  it('lookup indices: bit-serial planes read pbits, parallel planes gather bit i of each weight (most significant element first), codes read fields', () => {
    expect(planLut(opts('planes', 4, true, { planes: 4, offset: true, serial: true })).row.lookups[1].idx).toEqual({ kind: 'serial', lo: 4, g: 4 });
    const par = planLut(opts('planes', 4, true, { planes: 2, offset: true }));
    expect(par.row.lookups.map((l) => l.id)).toEqual(['0_0', '0_1', '1_0', '1_1']);
    expect(par.row.lookups[0].idx).toEqual({ kind: 'plane', bits: [6, 4, 2, 0] });
    expect(par.row.lookups[3].idx).toEqual({ kind: 'plane', bits: [15, 13, 11, 9] });
    // the most significant plane reads T[~idx]
    expect(par.row.lookups.map((l) => l.inv)).toEqual([0, 0, 1, 1]);
    expect(planLut(opts('tl1', 2, false)).row.lookups[2].idx).toEqual({ kind: 'field', lo: 8, bits: 4 });
  });

  it('bit-serial rows combine planes by Horner in a register one bit narrower than the sum', () => {
    const p = planLut(opts('planes', 4, true, { planes: 4, offset: true, serial: true }));
    expect(p.steps).toBe(4);
    expect(p.row.final.kind).toBe('horner');
    const f = p.row.final as Extract<typeof p.row.final, { kind: 'horner' }>;
    expect(f.sw).toBeGreaterThanOrEqual(f.rw + 1);
    expect(p.row.clocked).toBe(true);
  });

  it('every pipeline depth up to lutLevels plans, for every kind of table', () => {
    const cases: LutDatapathOptions[] = [
      opts('planes', 4, true, { planes: 3, offset: true, k: 12 }),
      opts('planes', 3, false, { planes: 2, offset: true, k: 12 }),
      opts('planes', 4, true, { planes: 4, offset: true, serial: true }),
      opts('planes', 4, true),
      opts('tl1', 2, true),
      opts('tl2', 3, true, { k: 9 }),
    ];
    for (const o of cases) {
      const levels = lutLevels(o);
      for (let pipeline = 0; pipeline <= levels; pipeline++) {
        const p = planLut({ ...o, pipeline });
        // the planes' trees run side by side: one of them, then the combining tree
        expect(p.row.trees[0].latency + (p.row.final.kind === 'planes' ? p.row.final.comb.latency : 0)).toBe(pipeline);
      }
    }
  });

  it('the schema bounds pipeline by what the planned trees can hold (parallel planes with a correction once passed 7 and crashed)', () => {
    const f = getFamily('lutgemm');
    expect(() => f.resolve({ rows: 2, k: 12, w_bits: 3, serial: false, pipeline: 7 })).toThrow('pipeline must be in 0..6 for k 12 (the row sum has 6 logic levels), not 7');
    const p = f.resolve({ rows: 2, k: 12, w_bits: 3, serial: false, pipeline: 6 });
    expect(f.generate(p, 'lowbit_lutgemm').files.length).toBeGreaterThan(4);
  });
});
