import { describe, expect, it } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { synth, synthScript, parseStat, parseYosysVersion, TARGETS } from '../flows/tools/yosys.js';
import { libertyAreas, libertyInverter, OSU018_LIBERTY } from '../flows/tools/liberty.js';
import { staScript } from '../flows/tools/opensta.js';
import { proveScript } from '../flows/prove.js';
import { pnrArgs } from '../flows/tools/nextpnr.js';
import { generated } from './helpers.js';

const golden = (name: string) => readFileSync(join(import.meta.dirname, 'golden', name), 'utf8');

describe('synthesis scripts (golden files)', () => {
  for (const target of TARGETS) {
    it(target, () => {
      // Names relative to Yosys's working directory (synth stages the sources there), every one quoted.
      const s = synthScript(['lowbit_stream_acc.v', 't_row.v', 't.v'], 't', target, 'stat.json').join('\n') + '\n';
      expect(s).toBe(golden(`synth-${target}.ys`));
    });
  }
  it('OpenSTA timing and power scripts', () => {
    const d = { dir: '/x', liberty: 'cells.lib', netlist: 'netlist-asic.v', top: 't', clockNs: 5 };
    expect(staScript(d).join('\n') + '\n').toBe(golden('sta-timing.tcl'));
    expect(staScript(d, { global: { activity: 0.1, duty: 0.5 } }).join('\n') + '\n').toBe(golden('sta-power.tcl'));
  });
  it('the proof script', () => {
    const s = proveScript({ files: ['/x/lowbit_stream_acc.v', '/x/t.v'], referenceFile: '/x/t_ref.v', miterFile: '/x/lowbit_miter.v', cycles: 4, timeoutS: 60 });
    expect(s.join('\n') + '\n').toBe(golden('prove.ys'));
  });
  it('nextpnr arguments', () => {
    expect(pnrArgs('up5k', 12).join(' ')).toBe('--up5k --package sg48 --json netlist-ice40.json --report pnr-ice40.json --freq 12 --timing-allow-fail');
  });
});

describe('report parsing', () => {
  it('reads counts from stat -json and divides by MACs', () => {
    const r = parseStat(JSON.stringify({ design: { num_cells: 30, num_cells_by_type: { SB_LUT4: 20, SB_CARRY: 6, SB_DFFE: 3, SB_DFFESR: 1 } } }), 'ice40', 4);
    expect(r).toMatchObject({ lut4: 20, carry: 6, dff: 4, totalCells: 30, perMac: { lut4: 5, carry: 1.5, dff: 1, cells: 7.5 } });
    const g = parseStat(JSON.stringify({ design: { num_cells: 3, num_cells_by_type: { $_NAND_: 3 }, estimated_num_transistors: '12' } }), 'generic', 2);
    expect(g.transistors).toBe(12);
    expect(() => parseStat(JSON.stringify({ design: { num_cells_by_type: { FOO: 1 }, estimated_num_transistors: '12+' } }), 'generic', 1)).toThrow('could not price every cell');
    expect(parseYosysVersion('Yosys 0.23 (git sha1 7ce5011c24b)')).toEqual([0, 23]);
  });
  it('tolerates the bare "module count" lines Yosys 0.23 writes into stat -json', () => {
    const text = '{\n "modules": {\n  "m": { "num_cells": 1 }\n },\n     lowbit_dense_mul              2\n "design": { "num_cells": 2, "num_cells_by_type": { "NAND2X1": 2 } }\n}\n';
    expect(parseStat(text, 'asic', 1, new Map([['NAND2X1', 24]])).area).toBe(48);
  });
  it('asic area: from stat when Yosys reports it, else summed from the liberty (Yosys 0.23)', () => {
    const areas = libertyAreas('cell (NAND2X1) {\narea : 24;\n pin(A) { }\n}\ncell ("DFFPOSX1") { area : 96; }');
    expect([...areas]).toEqual([['NAND2X1', 24], ['DFFPOSX1', 96]]);
    const stat = (extra: object) => JSON.stringify({ design: { num_cells: 3, num_cells_by_type: { NAND2X1: 2, DFFPOSX1: 1 }, ...extra } });
    expect(parseStat(stat({ area: 150 }), 'asic', 2, areas).area).toBe(150);
    expect(parseStat(stat({}), 'asic', 2, areas)).toMatchObject({ area: 144, perMac: { um2: 72 } });
    expect(() => parseStat(JSON.stringify({ design: { num_cells_by_type: { FOO: 1 } } }), 'asic', 1, areas)).toThrow('cell FOO has no area in the liberty');
  });
  it('takes the smallest inverter of the liberty as ABC\'s driving cell, and says when there is none', () => {
    expect(libertyInverter('cell (INVX2) { area : 16; pin(A) { } pin(Y) { function : "(!A)"; } }\ncell (INVX1) { area : 8; pin(A) { } pin(Y) { function : "!A"; } }\ncell (BUFX2) { area : 6; pin(Y) { function : "A"; } }')).toBe('INVX1');
    expect(() => libertyInverter('cell (BUFX2) { area : 6; pin(Y) { function : "A"; } }')).toThrow('the liberty has no inverter (a cell with function "!A")');
    if (existsSync(OSU018_LIBERTY)) expect(libertyInverter(readFileSync(OSU018_LIBERTY, 'utf8'))).toBe('INVX1');
  });
});

describe('synthesis with Yosys', () => {
  const build = (name: string, raw: Record<string, unknown>) => generated(name, raw);

  it('ternary: iCE40 and generic counts, per MAC, saved next to the RTL; no multipliers', async () => {
    const { dir, files, macs } = await build('ternary', { rows: 2, k: 6, pipeline: 1 });
    const ice = await synth(files, 'lowbit_ternary', 'ice40', macs, join(dir, 'logs'));
    expect(ice.lut4).toBeGreaterThan(0);
    expect(ice.carry).toBeGreaterThan(0);
    expect(ice.dff).toBeGreaterThan(0);
    expect(ice.perMac.lut4).toBeCloseTo(ice.lut4! / 12, 10);
    expect(Object.keys(ice.cells).filter((c) => /MAC|MUL/i.test(c))).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, 'synth-ice40.json'), 'utf8')).lut4).toBe(ice.lut4);
    const gen = await synth(files, 'lowbit_ternary', 'generic', macs, join(dir, 'logs'));
    expect(gen.transistors).toBeGreaterThan(0);
    expect(Object.keys(gen.cells).every((c) => c.startsWith('$_'))).toBe(true);
    expect(existsSync(join(dir, 'synth-generic.json'))).toBe(true);
  });

  it('dense costs more than ternary at equal rows, k and act_bits', async () => {
    const t = await build('ternary', { rows: 1, k: 8 });
    const d = await build('dense', { rows: 1, k: 8 });
    const [ti, di] = [await synth(t.files, 'lowbit_ternary', 'ice40', 8, join(t.dir, 'logs')), await synth(d.files, 'lowbit_dense', 'ice40', 8, join(d.dir, 'logs'))];
    expect(di.lut4!).toBeGreaterThan(3 * ti.lut4!);
  });
});
