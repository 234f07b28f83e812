// The trust and PPA flows: a second simulator, netlist co-simulation, formal equivalence, ASIC
// area/timing, more FPGA targets, place and route, and their failure paths.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cosim } from '../testbenches/cosim.js';
import { SIMULATORS } from '../testbenches/simulator.js';
import { simNetlist, synth, YOSYS } from '../flows/tools/yosys.js';
import { runTool } from '../core/tool.js';
import { parsePower, parseTiming } from '../flows/tools/opensta.js';
import { parseUtilisation } from '../flows/tools/nextpnr.js';
import { generated, lowbit, testSeed, tmp } from './helpers.js';

const design = (name: string, raw: Record<string, unknown>) => generated(name, raw);

const run = (d: Awaited<ReturnType<typeof design>>, files: string[], sim: string, seed: number, vectors = 120, dump?: string) =>
  cosim({ family: d.family, params: d.params, top: d.top, files, simulator: SIMULATORS[sim], vectors, seed, stall: 20, workDir: d.dir, dumpPath: dump });

describe('Icarus as a second simulator', () => {
  for (const [name, raw] of [
    ['ternary', { rows: 3, k: 5, encoding: 'base3', max_beats: 12 }],
    ['dense', { rows: 2, k: 3, w_bits: 5, act_bits: 6, max_beats: 8, pipeline: 2 }],
    ['lutgemm', { rows: 2, k: 4, w_bits: 3, max_beats: 8, pipeline: 1 }],
    ['nmsparse', { rows: 2, k: 8, n: 1, m: 4, max_beats: 8 }],
  ] as const) {
    it(`${name}: Verilator and Icarus give the same outputs for every vector, both bit-exact`, async () => {
      const d = await design(name, raw);
      const seed = testSeed(`icarus ${name}`);
      const v = await run(d, d.files, 'verilator', seed, 120, join(d.dir, 'v'));
      const i = await run(d, d.files, 'iverilog', seed, 120, join(d.dir, 'i'));
      expect(v.mismatch, `seed ${seed}`).toBeUndefined();
      expect(i.mismatch, `seed ${seed}`).toBeUndefined();
      expect(i.compared).toBe(120);
      const actual = (f: string) => (JSON.parse(readFileSync(join(d.dir, f), 'utf8')) as { vectors: { actual: unknown }[] }).vectors.map((x) => x.actual);
      expect(actual('i')).toEqual(actual('v'));
    });
  }
  it('a broken design fails in Icarus too, with the vector named', async () => {
    const d = await design('ternary', { rows: 2, k: 3, max_beats: 8 });
    const row = join(d.dir, 'lowbit_ternary_row.v');
    writeFileSync(row, readFileSync(row, 'utf8').replace('wire nz_1 = wgt[2];', 'wire nz_1 = 1\'b0;'));
    const r = await run(d, d.files, 'iverilog', 11, 60);
    expect(r.passed).toBe(false);
    expect(r.mismatch!.vector).toBeGreaterThanOrEqual(0);
  });
});

describe('gate-level co-simulation of Yosys netlists', () => {
  for (const [name, raw] of [
    ['ternary', { rows: 2, k: 3, act_bits: 4, max_beats: 6, pipeline: 1 }],
    ['dense', { rows: 2, k: 2, w_bits: 3, act_bits: 4, max_beats: 6 }],
    ['nmsparse', { rows: 2, k: 4, n: 1, m: 4, weights: 'ternary', act_bits: 4, max_beats: 6 }],
  ] as const) {
    it(`${name}: generic and OSU 0.18 um netlists match the golden model bit-exactly`, async () => {
      const d = await design(name, raw);
      const seed = testSeed(`netlist ${name}`);
      await synth(d.files, d.top, 'asic', d.macs, join(d.dir, 'logs'));
      await synth(d.files, d.top, 'generic', d.macs, join(d.dir, 'logs'));
      expect((await run(d, [join(d.dir, simNetlist('generic'))], 'verilator', seed)).mismatch, `seed ${seed}`).toBeUndefined();
      expect((await run(d, [join(d.dir, simNetlist('asic'))], 'verilator', seed)).mismatch, `seed ${seed}`).toBeUndefined();
    });
  }
  it('generic and OSU 0.18 um netlists match the golden model bit-exactly; a changed gate is caught', async () => {
    const d = await design('lutgemm', { rows: 2, k: 4, w_bits: 2, act_bits: 4, max_beats: 6 });
    const seed = testSeed('netlist');
    await synth(d.files, d.top, 'generic', d.macs, join(d.dir, 'logs'));
    await synth(d.files, d.top, 'asic', d.macs, join(d.dir, 'logs'));
    const generic = join(d.dir, simNetlist('generic'));
    const asic = join(d.dir, simNetlist('asic'));
    expect((await run(d, [generic], 'verilator', seed)).mismatch, `seed ${seed}`).toBeUndefined();
    expect((await run(d, [asic], 'verilator', seed)).mismatch, `seed ${seed}`).toBeUndefined();
    expect((await run(d, [asic], 'iverilog', seed, 40)).mismatch, `seed ${seed}`).toBeUndefined();
    // Synthesis that changes the function must fail: every AND gate of the lookup module becomes an OR.
    const broken = join(d.dir, 'broken', 'netlist.v');
    const text = readFileSync(generic, 'utf8');
    const lut = /module lowbit_lutgemm_lut\b[\s\S]*?endmodule/.exec(text)![0];
    expect(lut).toMatch(/ & /);
    mkdirSync(join(d.dir, 'broken'), { recursive: true });
    writeFileSync(broken, text.replace(lut, lut.replace(/ & /g, ' | ')));
    expect((await run(d, [broken], 'verilator', seed)).passed).toBe(false);
  });
});

describe('ASIC area and timing (OSU 0.18 um, OpenSTA)', () => {
  it('every family maps to OSU cells and OpenSTA times it', async () => {
    for (const [name, raw] of [['dense', { rows: 1, k: 2, w_bits: 4 }], ['nmsparse', { rows: 1, k: 4 }], ['lutgemm', { rows: 1, k: 4, w_bits: 2 }],
      // TL1 tables wire some entries straight from activations: OpenSTA must still read the netlist.
      ['lutgemm', { rows: 2, k: 4, weights: 'ternary', encoding: 'tl1' }]] as const) {
      const out = tmp('asic-all');
      const args = Object.entries(raw).flatMap(([k, v]) => [`--${k.replace(/_/g, '-')}`, String(v)]);
      const r = await lowbit(['synth', name, ...args, '--target', 'asic', '--out', out, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j.area, name).toBeGreaterThan(100);
      expect(j.timing.fmaxMHz, name).toBeGreaterThan(1);
    }
  });
  it('synth --target asic: um^2 per MAC, critical path, slack at --clock-ns, Fmax; a tight clock violates', async () => {
    const out = tmp('asic');
    const ok = await lowbit(['synth', 'ternary', '--rows', '2', '--k', '4', '--target', 'asic', '--clock-ns', '20', '--out', out, '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    const j = JSON.parse(ok.stdout);
    expect(j.area).toBeGreaterThan(1000);
    expect(j.perMac.um2).toBeCloseTo(j.area / 8, 6);
    expect(j.library).toContain('OSU 0.18');
    // Mapped for the clock it is timed at (ABC's delay target in ps, with the driving-cell constraints).
    expect(j.clockNs).toBe(20);
    expect(j.script).toContain('abc -liberty "cells.lib" -constr "abc.constr" -D 20000');
    expect(readFileSync(join(out, 'abc.constr'), 'utf8')).toBe('set_driving_cell INVX1\nset_load 10\n');
    expect(j.timing.met).toBe(true);
    expect(j.timing.fmaxMHz).toBeCloseTo(1000 / j.timing.criticalPathNs, 6);
    expect(j.timing.worstSlackNs).toBeCloseTo(20 - j.timing.criticalPathNs, 6);
    const tight = await lowbit(['synth', 'ternary', '--rows', '2', '--k', '4', '--target', 'asic', '--clock-ns', '0.5', '--out', out, '--json']);
    expect(JSON.parse(tight.stdout).timing.met).toBe(false);
    expect(JSON.parse(tight.stdout).script.join('\n')).toContain(' -D 500');
  });
  it('parses OpenSTA reports', () => {
    const t = parseTiming('Startpoint: in_wgt[5] (input port clocked by clk)\nEndpoint: cell_9 (rising edge-triggered flip-flop clocked by clk)\nworst slack 5.108\n', 10);
    expect(t).toMatchObject({ startpoint: 'in_wgt[5]', endpoint: 'cell_9', worstSlackNs: 5.108, met: true });
    expect(t.fmaxMHz).toBeCloseTo(1000 / 4.892, 6);
    const p = parsePower('Total                2.819722e-03 4.657172e-04 7.166972e-08 3.285511e-03 100.0%\n');
    expect(p).toEqual({ internalW: 2.819722e-3, switchingW: 4.657172e-4, leakageW: 7.166972e-8, totalW: 3.285511e-3 });
  });
  it('a LOWBIT_LIBERTY naming nothing is bad input (exit 2); a missing OpenSTA is exit 4 with the install command', async () => {
    // A path the user set that does not exist is a mistake in the input, not a tool to install.
    const r = await lowbit(['synth', 'ternary', '--rows', '1', '--k', '2', '--target', 'asic', '--out', tmp('nolib')], { env: { LOWBIT_LIBERTY: '/nonexistent/cells.lib' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('LOWBIT_LIBERTY must name a liberty file (.lib) with an inverter cell, but /nonexistent/cells.lib does not exist');
    const s = await lowbit(['synth', 'ternary', '--rows', '1', '--k', '2', '--target', 'asic', '--out', tmp('nosta')], { env: { PATH: '/nonexistent' } });
    expect(s.code).toBe(4);
    expect(s.stderr).toContain('apt-get install -y opensta');
  });
});

describe('the bundled WebAssembly Yosys gets the files its run needs, not the directory', () => {
  it('a file beside the run that it does not declare cannot be read; declared, it can', async () => {
    const dir = tmp('wasmdir');
    writeFileSync(join(dir, 'junk.v'), 'module junk; endmodule\n');
    writeFileSync(join(dir, 'read.ys'), 'read_verilog junk.v\n');
    const logPath = join(dir, 'logs', 'yosys.log');
    const env = process.env.LOWBIT_YOSYS;
    delete process.env.LOWBIT_YOSYS;
    try {
      await expect(runTool({ tool: YOSYS, args: ['-s', 'read.ys'], cwd: dir, files: ['read.ys'], logPath })).rejects.toThrow("ERROR: File `junk.v' not found");
      const r = await runTool({ tool: YOSYS, args: ['-s', 'read.ys'], cwd: dir, files: ['read.ys', 'junk.v'], logPath });
      expect(r.resolved?.kind).toBe('bundled');
      expect(r.log).toContain('Successfully finished Verilog frontend');
    } finally {
      if (env !== undefined) process.env.LOWBIT_YOSYS = env;
    }
  });

  it('synthesizes in a work directory that also holds a big unrelated file, which stays untouched', async () => {
    const d = await design('ternary', { rows: 1, k: 2, max_beats: 4 });
    const work = join(d.dir, 'out');
    mkdirSync(work, { recursive: true });
    // Under the launcher's 64 MB per-file cap: mounting the directory would have loaded it.
    writeFileSync(join(work, 'big.vcd'), Buffer.alloc(48 * 1024 * 1024, 0x30));
    const r = await synth(d.files, d.top, 'generic', d.macs, join(work, 'logs'), { workDir: work });
    expect(r.transistors).toBeGreaterThan(0);
    expect(existsSync(join(work, 'netlist-generic.v'))).toBe(true);
    expect(readFileSync(join(work, 'big.vcd')).length).toBe(48 * 1024 * 1024);
  });
});

describe('FPGA resource estimates: xilinx (7-series) and ecp5', () => {
  it('dense uses DSP48E1 / MULT18X18D; ternary none; counts per MAC, labelled as estimates', async () => {
    const dense = await design('dense', { rows: 2, k: 2, w_bits: 8 });
    const x = await synth(dense.files, dense.top, 'xilinx', dense.macs, join(dense.dir, 'logs'));
    expect(x.resources!.dsp48).toBe(4);
    expect(x.perMac.lut).toBeCloseTo(x.resources!.lut / 4, 6);
    const e = await synth(dense.files, dense.top, 'ecp5', dense.macs, join(dense.dir, 'logs'));
    expect(e.resources!.mult18).toBe(4);
    const tern = await design('ternary', { rows: 2, k: 2 });
    const tx = await synth(tern.files, tern.top, 'xilinx', tern.macs, join(tern.dir, 'logs'));
    expect(tx.resources!.dsp48).toBe(0);
    expect(tx.resources!.lut).toBeGreaterThan(0);
  });
});

describe('iCE40 place and route (nextpnr-ice40)', () => {
  it('a small design fits with a post-route Fmax; a big one says what it needs and what the device has (exit 1)', async () => {
    const ok = await lowbit(['synth', 'ternary', '--rows', '1', '--k', '4', '--target', 'ice40', '--pnr', '--out', tmp('pnr'), '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    const j = JSON.parse(ok.stdout);
    expect(j.pnr.fits).toBe(true);
    expect(j.pnr.fmaxMHz).toBeGreaterThan(10);
    expect(j.pnr.utilization.ICESTORM_LC.used).toBeGreaterThan(0);
    const big = await lowbit(['synth', 'ternary', '--rows', '2', '--k', '64', '--target', 'ice40', '--pnr', '--device', 'up5k', '--out', tmp('pnrbig')]);
    expect(big.code).toBe(1);
    expect(big.stdout).toMatch(/does not fit up5k: needs \d+ I\/O pins \(port bits\); up5k \(sg48\) has \d+/);
    const bad = await lowbit(['synth', 'ternary', '--target', 'ice40', '--pnr', '--device', 'xc7', '--out', join(tmp('pnrbad'), 'x')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('device must be one of');
  });
  it('reads nextpnr utilisation lines, over 100% included', () => {
    expect(parseUtilisation('Info: \t         ICESTORM_LC:    2573/   5280    48%\nInfo: \t               SB_IO:     821/     96   855%\n')).toEqual({
      ICESTORM_LC: { used: 2573, available: 5280 },
      SB_IO: { used: 821, available: 96 },
    });
  });
});

describe('lowbit prove: formal equivalence with a behavioural reference', () => {
  const small = ['--rows', '1', '--k', '2', '--act-bits', '3', '--max-beats', '2'];
  it('proves ternary, dense, nmsparse and lutgemm (serial) designs (exit 0)', async () => {
    for (const args of [
      ['ternary', ...small, '--encoding', 'i2s'],
      ['dense', ...small, '--w-bits', '3'],
      ['nmsparse', '--rows', '1', '--k', '4', '--n', '1', '--m', '4', '--act-bits', '3', '--w-bits', '2', '--max-beats', '2'],
      ['lutgemm', ...small, '--g', '2', '--w-bits', '2'],
    ]) {
      const r = await lowbit(['prove', ...args, '--out', tmp('prove'), '--timeout', '300']);
      expect(r.code, `${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
      expect(r.stdout).toContain('PROVED');
    }
  });
  it('a design broken on purpose is not equivalent (exit 1, inputs and a VCD); a tiny budget is inconclusive (exit 3)', async () => {
    const out = tmp('prove-broken');
    expect((await lowbit(['gen', 'ternary', ...small, '--out', out])).code).toBe(0);
    const row = join(out, 'lowbit_ternary_row.v');
    writeFileSync(row, readFileSync(row, 'utf8').replace('wire sg_1 = wgt[3];', "wire sg_1 = 1'b0;"));
    // The proof's files go to --out, never into the --rtl directory.
    const proofOut = tmp('prove-broken-out');
    const r = await lowbit(['prove', 'ternary', ...small, '--rtl', out, '--out', proofOut, '--timeout', '300']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain('NOT EQUIVALENT');
    expect(r.stdout).toContain('in_wgt');
    expect(existsSync(join(proofOut, 'proof', 'counterexample.vcd'))).toBe(true);
    expect(existsSync(join(out, 'proof'))).toBe(false);
    const slow = await lowbit(['prove', 'ternary', '--rows', '4', '--k', '16', '--out', tmp('prove-slow'), '--timeout', '2']);
    expect(slow.code).toBe(3);
    expect(slow.stdout).toContain('INCONCLUSIVE (not proved)');
  });
});

describe('lowbit power: measured switching activity into OpenSTA', () => {
  it('stimulus that toggles more reports more switching power; figures name library, clock and activity source', async () => {
    const args = ['power', 'ternary', '--rows', '2', '--k', '4', '--max-beats', '8', '--vectors', '60', '--seed', '3', '--clock-ns', '10', '--json'];
    const randomDir = tmp('power');
    const random = JSON.parse((await lowbit([...args, '--out', randomDir])).stdout);
    const zeros = JSON.parse((await lowbit([...args, '--stimulus', 'zeros', '--out', tmp('power')])).stdout);
    expect(random.measured).toBe(true);
    expect(random.activitySource).toMatch(/^measured: Icarus simulation of the mapped netlist, 60 vectors \(random, seed 3\)/);
    expect(random.library).toContain('OSU 0.18');
    expect(random.clockNs).toBe(10);
    // Every pin of every cell in STA's flat netlist got a measured activity (hierarchical names matched).
    const cellPins = readFileSync(join(randomDir, 'netlist-asic.v'), 'utf8').match(/^\s+\.\w+\(/gm)!.length;
    expect(cellPins).toBeGreaterThan(100);
    expect(random.pinsAnnotated).toBe(cellPins);
    expect(random.power.switchingW).toBeGreaterThan(10 * zeros.power.switchingW);
    expect(random.power.totalW).toBeGreaterThan(zeros.power.totalW);
    expect(random.energyPerMacPJ).toBeGreaterThan(0);
    // Without simulation: a stated default, labelled as not measured.
    const def = JSON.parse((await lowbit(['power', 'ternary', '--rows', '2', '--k', '4', '--activity', '0.2', '--json', '--out', tmp('power')])).stdout);
    expect(def.measured).toBe(false);
    expect(def.activitySource).toContain('NOT measured');
    expect(def.power.switchingW).toBeGreaterThan(0);
    const bad = await lowbit(['power', 'ternary', '--stimulus', 'loud']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('stimulus must be one of corners, random, zeros, not "loud"');
  });
  it('every family: measured power and energy per MAC', async () => {
    for (const args of [['dense', '--rows', '1', '--k', '2', '--w-bits', '3'], ['nmsparse', '--rows', '1', '--k', '4'], ['lutgemm', '--rows', '1', '--k', '4', '--w-bits', '2']]) {
      const r = await lowbit(['power', ...args, '--max-beats', '4', '--vectors', '20', '--seed', '5', '--json', '--out', tmp('power-all')]);
      expect(r.code, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j.measured, args[0]).toBe(true);
      expect(j.power.switchingW, args[0]).toBeGreaterThan(0);
      expect(j.energyPerMacPJ, args[0]).toBeGreaterThan(0);
    }
  });
});
