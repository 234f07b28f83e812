// The command lines lowbit builds for every tool, argument by argument, run against fake tools
// (recording scripts named by LOWBIT_VERILATOR, LOWBIT_IVERILOG, LOWBIT_VVP, LOWBIT_YOSYS,
// LOWBIT_STA, LOWBIT_NEXTPNR) that write down what they were given: no real tool runs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getFamily } from '../../generators/registry.js';
import { clearVersionCache } from '../../core/tool.js';
import { buildHarness, HARNESS_SOURCE, lint } from '../../flows/tools/verilator.js';
import { compile, compileHarness, ICARUS_HARNESS, pendingRecords } from '../../flows/tools/iverilog.js';
import { synth } from '../../flows/tools/yosys.js';
import { runSta } from '../../flows/tools/opensta.js';
import { placeAndRoute } from '../../flows/tools/nextpnr.js';
import { harnessSeed, icarusSim, verilatorSim } from '../../testbenches/simulator.js';
import { recordingTool, tmp } from '../helpers.js';

const ENV_VARS = ['LOWBIT_VERILATOR', 'LOWBIT_IVERILOG', 'LOWBIT_VVP', 'LOWBIT_YOSYS', 'LOWBIT_STA', 'LOWBIT_NEXTPNR', 'LOWBIT_CACHE'];
const saved = Object.fromEntries(ENV_VARS.map((v) => [v, process.env[v]]));
beforeEach(() => {
  // A cache of this test's own: a fake build must never be found by (or find) a real one.
  process.env.LOWBIT_CACHE = tmp('cache');
  clearVersionCache();
});
afterEach(() => {
  for (const v of ENV_VARS) {
    if (saved[v] === undefined) delete process.env[v];
    else process.env[v] = saved[v];
  }
});

const fakeVerilator = () =>
  recordingTool('verilator', 'if [ "$1" = --version ]; then echo "Verilator 5.006 2023-01-22 rev (Debian 5.006-3)"; exit 0; fi\ncase " $* " in *" --build "*) mkdir -p obj && : > obj/harness && : > obj/Vtop.h ;; esac');
const fakeIverilog = () => recordingTool('iverilog', 'if [ "$1" = -V ]; then echo "Icarus Verilog version 11.0 (stable) ()"; fi');
const fakeVvp = () => recordingTool('vvp', 'if [ "$1" = -V ]; then echo "Icarus Verilog runtime version 11.0 (stable) ()"; fi');

/** A small design's files (their text does not matter to a fake tool). */
function design() {
  const family = getFamily('ternary');
  const params = family.resolve({ rows: 2, k: 3, act_bits: 4, max_beats: 6 });
  const dir = tmp('rtl');
  const files = ['lowbit_stream_acc.v', 't_row.v', 't.v'].map((f) => join(dir, f));
  for (const f of files) writeFileSync(f, `module ${f.split('/').pop()!.replace('.v', '')}; endmodule\n`);
  const inc = join(dir, 'inc');
  mkdirSync(inc);
  return { layout: family.layout(params), params, dir, files, inc };
}

it('the recording fake keeps every argument as given, and where it ran', async () => {
  const t = recordingTool('x', 'exit 0');
  const odd = ['a b', 'q"uote', 'back\\slash', 'new\nline', 'tab\there', '$HOME', "it's", '', '*', 'ü'];
  const cwd = tmp('cwd');
  await execa(t.path, odd, { cwd });
  expect(t.calls()).toEqual([{ argv: odd, cwd }]);
});

describe('Verilator', () => {
  it('lint: --lint-only -Wall, the top, include directories, the files', async () => {
    const v = fakeVerilator();
    process.env.LOWBIT_VERILATOR = v.path;
    const d = design();
    await lint(d.files, 't', join(d.dir, 'logs', 'lint.log'), [d.inc]);
    expect(v.calls().map((c) => c.argv)).toEqual([
      ['--version'],
      ['--lint-only', '-Wall', '--top-module', 't', `-I${d.inc}`, ...d.files],
    ]);
  });

  it('harness build: staged copies under src/, in the cache entry, objects to obj/', async () => {
    const v = fakeVerilator();
    process.env.LOWBIT_VERILATOR = v.path;
    const d = design();
    const b = await buildHarness(d.files, 't', d.layout, false, join(d.dir, 'build.log'), [d.inc]);
    const [version, build] = v.calls();
    expect(version.argv).toEqual(['--version']);
    const l = d.layout;
    expect(build.argv).toEqual([
      '-Isrc', '-Isrc/inc0',
      '--cc', '--exe', '--build', '-j', '2',
      '--prefix', 'Vtop', '--top-module', 't',
      '-Wno-fatal', '-Wno-lint', '-Wno-style',
      '--x-assign', 'unique', '--x-initial', 'unique',
      '-CFLAGS', `-DLB_ACT_BITS=${l.k * l.actBits} -DLB_WGT_BITS=${l.wgtBits} -DLB_OUT_BITS=${l.rows * l.accBits}`,
      '-Mdir', 'obj',
      '-o', 'harness',
      'src/harness.cpp', 'src/lowbit_stream_acc.v', 'src/t_row.v', 'src/t.v',
    ]);
    expect(build.cwd.startsWith(process.env.LOWBIT_CACHE!)).toBe(true);
    expect(HARNESS_SOURCE.endsWith('testbenches/harness.cpp')).toBe(true);
    expect(b).toMatchObject({ hit: false });
    // The same build again is a cache hit: no second build, and the version was asked once.
    const again = await buildHarness(d.files, 't', d.layout, false, join(d.dir, 'build.log'), [d.inc]);
    expect(again).toMatchObject({ hit: true, binary: b.binary });
    expect(v.calls()).toHaveLength(2);
  });

  it('a trace build adds LB_TRACE and --trace; the simulator gets seeds, stalls, the beat length and the VCD window', async () => {
    const v = fakeVerilator();
    process.env.LOWBIT_VERILATOR = v.path;
    const d = design();
    const prep = await verilatorSim.prepare(d.files, 't', d.layout, { trace: true, logPath: join(d.dir, 'b.log'), workDir: d.dir, maxBeats: 6 });
    const build = v.calls()[1].argv;
    expect(build).toContain('--trace');
    expect(build[build.indexOf('-CFLAGS') + 1]).toMatch(/ -DLB_TRACE=1$/);
    expect(prep.protocol).toBe('binary');
    expect(prep.args({ seed: 7, stall: 25, beatCycles: 3, quiet: true, vcd: '/o/r.vcd', vcdFrom: 4 })).toEqual([
      '--seed', String(harnessSeed(7)), '--stall', '25', '--beat-cycles', '3', '--quiet', '--vcd', '/o/r.vcd', '--vcd-from', '4',
      '+verilator+rand+reset+2', `+verilator+seed+${harnessSeed(8)}`,
    ]);
  });
});

describe('Icarus', () => {
  it('compile check: -g2005 -Wall, the top, the output, include directories, the files', async () => {
    const iv = fakeIverilog();
    process.env.LOWBIT_IVERILOG = iv.path;
    const d = design();
    await compile(d.files, 't', join(d.dir, 'a.vvp'), join(d.dir, 'c.log'), [d.inc]);
    expect(iv.calls().map((c) => c.argv)).toEqual([['-V'], ['-g2005', '-Wall', '-s', 't', '-o', join(d.dir, 'a.vvp'), `-I${d.inc}`, ...d.files]]);
  });

  it('harness compile: staged copies in a private directory beside the .vvp, named relative to it', async () => {
    const iv = fakeIverilog();
    process.env.LOWBIT_IVERILOG = iv.path;
    const d = design();
    const out = join(d.dir, 'work', 'icarus-t.vvp');
    await compileHarness(d.files, 't', d.layout, out, join(d.dir, 'h.log'), 6, [d.inc]);
    const call = iv.calls()[1];
    const l = d.layout;
    expect(call.argv).toEqual([
      '-I.', '-Iinc0',
      '-g2005', '-s', 'lowbit_icarus_harness', '-o', out,
      '-DLB_TOP=t', `-DLB_ACT_BITS=${l.k * l.actBits}`, `-DLB_WGT_BITS=${l.wgtBits}`, `-DLB_OUT_BITS=${l.rows * l.accBits}`, `-DLB_PENDING=${pendingRecords(l, 6)}`,
      'icarus_harness.v', 'lowbit_stream_acc.v', 't_row.v', 't.v',
    ]);
    expect(call.cwd.startsWith(join(d.dir, 'work', '.icarus-src-'))).toBe(true);
    // The copies are gone afterwards.
    expect(existsSync(call.cwd)).toBe(false);
    expect(ICARUS_HARNESS.endsWith('testbenches/icarus_harness.v')).toBe(true);
  });

  it('vvp (LOWBIT_VVP): version-gated before the compile; runs the .vvp with seed, stall, beat length, quiet, VCD window', async () => {
    const iv = fakeIverilog();
    const vvp = fakeVvp();
    process.env.LOWBIT_IVERILOG = iv.path;
    process.env.LOWBIT_VVP = vvp.path;
    const d = design();
    const prep = await icarusSim.prepare(d.files, 't', d.layout, { trace: false, logPath: join(d.dir, 'b.log'), workDir: d.dir, maxBeats: 6 });
    expect(vvp.calls().map((c) => c.argv)).toEqual([['-V']]);
    expect(prep.command).toBe(vvp.path);
    expect(prep.protocol).toBe('hex');
    expect(prep.args({ seed: 7, stall: 25, beatCycles: 2, quiet: true, vcd: '/o/r.vcd', vcdFrom: 4 })).toEqual([
      '-n', join(d.dir, 'icarus-t.vvp'), `+seed=${harnessSeed(7)}`, '+stall=25', '+beat_cycles=2', '+quiet', '+vcd=/o/r.vcd', '+vcd_from=4',
    ]);
    expect(prep.args({ seed: 7, stall: 0, beatCycles: 1 })).toEqual(['-n', join(d.dir, 'icarus-t.vvp'), `+seed=${harnessSeed(7)}`, '+stall=0', '+beat_cycles=1']);
  });
});

/** A yosys that writes the stat report its script asks for (`-s synth-<target>.ys`). */
const STAT = JSON.stringify({ design: { num_cells: 5, num_cells_by_type: { $_NAND_: 3, $_NOT_: 2 }, estimated_num_transistors: '16' } });
const fakeYosys = (version = 'Yosys 0.23 (git sha1 7ce5011c24b)') =>
  recordingTool('yosys', `if [ "$1" = --version ]; then echo "${version}"; exit 0; fi\nt=\${3#synth-}; t=\${t%.ys}\necho '${STAT}' > ".synth-$t.stat.json"`);

describe('Yosys (LOWBIT_YOSYS=path)', () => {
  it('synth: -q -s <script> in the work directory, the stat report parsed', async () => {
    const y = fakeYosys();
    process.env.LOWBIT_YOSYS = y.path;
    const d = design();
    const work = join(d.dir, 'out');
    const r = await synth(d.files, 't', 'generic', 4, join(work, 'logs'), { workDir: work });
    expect(y.calls().map((c) => c.argv)).toEqual([['--version'], ['-q', '-s', 'synth-generic.ys']]);
    expect(y.calls()[1].cwd).toBe(work);
    expect(readFileSync(join(work, 'synth-generic.ys'), 'utf8').split('\n')[0]).toBe('read_verilog "lowbit_stream_acc.v" "t_row.v" "t.v"');
    expect(r).toMatchObject({ tool: 'Yosys 0.23 (git sha1 7ce5011c24b)', totalCells: 5, transistors: 16, perMac: { transistors: 4 } });
    expect(existsSync(join(work, '.synth-generic.stat.json'))).toBe(false);
  });

  it('a yosys below 0.23 is refused before anything runs (exit 4)', async () => {
    const y = fakeYosys('Yosys 0.9 (git sha1 1979e0b)');
    process.env.LOWBIT_YOSYS = y.path;
    const d = design();
    await expect(synth(d.files, 't', 'generic', 4, join(d.dir, 'logs'), { workDir: join(d.dir, 'out') })).rejects.toMatchObject({
      exitCode: 4,
      message: expect.stringContaining(`yosys 0.9 is too old: lowbit needs yosys >= 0.23 (found: Yosys 0.9 (git sha1 1979e0b); LOWBIT_YOSYS=${y.path})`),
    });
    expect(y.calls()).toHaveLength(1);
  });
});

describe('OpenSTA (LOWBIT_STA)', () => {
  const REPORT = 'Startpoint: u_row/acc_reg[3] (rising edge-triggered flip-flop clocked by clk)\nEndpoint: out_data[7] (output port clocked by clk)\nworst slack 2.500\n';
  const sta = (body: string) => recordingTool('sta', `if [ "$1" = -version ]; then echo 2.0.17; exit 0; fi\n${body}`);

  it('timing: -no_splash -exit <script> in the design directory; the report parsed', async () => {
    const s = sta(`printf '${REPORT}'`);
    process.env.LOWBIT_STA = s.path;
    const dir = tmp('sta');
    const r = await runSta({ dir, liberty: 'cells.lib', netlist: 'netlist-asic.v', top: 't', clockNs: 10 }, join(dir, 'sta.log'));
    expect(s.calls().map((c) => c.argv)).toEqual([['-version'], ['-no_splash', '-exit', 'sta-timing.tcl']]);
    expect(s.calls()[1].cwd).toBe(dir);
    expect(r.timing).toEqual({ clockNs: 10, worstSlackNs: 2.5, criticalPathNs: 7.5, fmaxMHz: 1000 / 7.5, startpoint: 'u_row/acc_reg[3]', endpoint: 'out_data[7]', met: true });
  });

  it('power: the power script, pin activities in a Tcl file beside it, the Total line parsed', async () => {
    const s = sta(`printf '${REPORT}Group Internal Switching Leakage Total\\nTotal 1.0e-03 2.0e-03 3.0e-06 3.003e-03 100.0%%\\n'`);
    process.env.LOWBIT_STA = s.path;
    const dir = tmp('sta');
    const r = await runSta({ dir, liberty: 'cells.lib', netlist: 'netlist-asic.v', top: 't', clockNs: 10 }, join(dir, 'sta.log'), { pins: [{ pin: 'u/cell_1/A', activity: 0.25, duty: 0.5 }] });
    expect(s.calls()[1].argv).toEqual(['-no_splash', '-exit', 'sta-power.tcl']);
    expect(readFileSync(join(dir, 'sta-activity.tcl'), 'utf8')).toBe('sta::set_power_pin_activity [get_pins {u/cell_1/A}] 0.25 0.5\n');
    expect(r.power).toEqual({ internalW: 1e-3, switchingW: 2e-3, leakageW: 3e-6, totalW: 3.003e-3 });
  });

  it('an Error: line fails the run although OpenSTA exits 0; no report is a tool failure naming the log', async () => {
    const dir = tmp('sta');
    const d = { dir, liberty: 'cells.lib', netlist: 'netlist-asic.v', top: 't', clockNs: 10 };
    process.env.LOWBIT_STA = sta(`echo "Error: sta-timing.tcl, 2 cannot open 'netlist-asic.v'."`).path;
    await expect(runSta(d, join(dir, 'a.log'))).rejects.toThrow('sta (OpenSTA) failed (the script reported an error) although it exited 0');
    clearVersionCache();
    process.env.LOWBIT_STA = sta('echo "nothing to report"').path;
    await expect(runSta(d, join(dir, 'b.log'))).rejects.toThrow(`sta (OpenSTA) failed (timing: its output does not parse) although it exited 0.\n--- last lines of ${join(dir, 'b.log')} ---\n(OpenSTA printed no worst slack (no constrained path?))`);
  });
});

describe('nextpnr-ice40 (LOWBIT_NEXTPNR=path)', () => {
  it('device flag, package, netlist, report, frequency; the JSON report parsed', async () => {
    const report = JSON.stringify({ fmax: { 'clk$SB_IO_IN_$glb_clk': { achieved: 81.5, constraint: 12 } }, utilization: { ICESTORM_LC: { used: 40, available: 7680 }, ICESTORM_RAM: { used: 0, available: 32 } } });
    const p = recordingTool('nextpnr-ice40', `if [ "$1" = --version ]; then echo '"nextpnr-ice40" -- Next Generation Place and Route (Version nextpnr-0.6-32-gb2b9dac2)'; exit 0; fi\necho '${report}' > pnr-ice40.json`);
    process.env.LOWBIT_NEXTPNR = p.path;
    const dir = tmp('pnr');
    writeFileSync(join(dir, 'netlist-ice40.json'), '{}');
    const r = await placeAndRoute(dir, 'hx8k', 40, join(dir, 'pnr.log'), 24);
    expect(p.calls().map((c) => c.argv)).toEqual([
      ['--version'],
      ['--hx8k', '--package', 'ct256', '--json', 'netlist-ice40.json', '--report', 'pnr-ice40.json', '--freq', '24', '--timing-allow-fail'],
    ]);
    expect(p.calls()[1].cwd).toBe(dir);
    expect(r).toMatchObject({ fits: true, fmaxMHz: 81.5, utilization: { ICESTORM_LC: { used: 40, available: 7680 } }, tool: `nextpnr-ice40 (${p.path})` });
    expect(r.utilization.ICESTORM_RAM).toBeUndefined();
  });

  it('a design over the device is a report from the log, not an error', async () => {
    const p = recordingTool('nextpnr-ice40', 'if [ "$1" = --version ]; then echo "nextpnr-ice40 -- Next Generation Place and Route (Version 0.4-1)"; exit 0; fi\necho "Info: Device utilisation:"\necho "Info:            ICESTORM_LC:  9000/ 7680   117%"\necho "Info:                 SB_IO:   600/  206   291%"\necho "ERROR: Unable to place cell"\nexit 1');
    process.env.LOWBIT_NEXTPNR = p.path;
    const dir = tmp('pnr');
    writeFileSync(join(dir, 'netlist-ice40.json'), '{}');
    const r = await placeAndRoute(dir, 'hx8k', 100, join(dir, 'pnr.log'));
    expect(r).toMatchObject({ fits: false, problem: 'needs 9000 logic cells; hx8k (ct256) has 7680; needs 600 I/O pins (port bits); hx8k (ct256) has 206' });
  });
});
