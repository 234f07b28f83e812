import { describe, expect, it } from 'vitest';
import { chmodSync, existsSync, readFileSync, readdirSync, copyFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { join } from 'node:path';
import { fakeTool, lowbit, tmp } from './helpers.js';
import { demo } from '../api/demo.js';
import { repoPath } from '../core/paths.js';

describe('lowbit gen', () => {
  it('writes the RTL, files.f and params.json; --json prints one object and nothing else', async () => {
    const out = join(tmp('gen'), 'd');
    const r = await lowbit(['gen', 'ternary', '--rows', '2', '--k', '3', '--encoding', 'base3', '--out', out, '--json']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const j = JSON.parse(lines[0]);
    expect(j).toMatchObject({ ok: true, family: 'ternary', top: 'lowbit_ternary', params: { rows: 2, k: 3, encoding: 'base3' } });
    const list = readFileSync(join(out, 'files.f'), 'utf8').trim().split('\n');
    expect(list[list.length - 1]).toBe('lowbit_ternary.v');
    for (const f of list) expect(existsSync(join(out, f))).toBe(true);
    const p = JSON.parse(readFileSync(join(out, 'params.json'), 'utf8'));
    expect(p.params).toEqual(j.params);
    expect(p.layout.wgtBits).toBe(2 * 8); // one base-3 byte per row
  });

  it('--top renames the design and prefixes its sub-modules', async () => {
    const out = join(tmp('gen'), 'd');
    const r = await lowbit(['gen', 'dense', '--rows', '1', '--k', '2', '--top', 'my_mac', '--out', out]);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['files.f', 'lowbit_stream_acc.v', 'my_mac.v', 'my_mac_mul.v', 'my_mac_row.v', 'params.json', 'run.json']);
  });
});

describe('bad input: exit 2, a message naming parameter, range and value, nothing written', () => {
  const cases: [string[], string][] = [
    [['gen', 'ternary', '--rows', '300'], 'rows must be an integer in 1..256, not 300'],
    [['gen', 'ternary', '--act-bits', '1'], 'act_bits must be an integer in 2..16, not 1'],
    [['gen', 'dense', '--w-bits', '12'], 'w_bits must be an integer in 2..8, not 12'],
    [['gen', 'ternary', '--encoding', 'tl2'], 'encoding must be one of twos, i2s, base3, not "tl2"'],
    [['cosim', 'ternary', '--k', '4', '--pipeline', '9'], 'pipeline must be in 0..4 for k 4'],
    [['cosim', 'ternary', '--w-bits', '4'], 'ternary has no parameter w_bits'],
    [['cosim', 'ternary', '--vectors', '0'], 'vectors must be an integer in 1..1000000000, not "0"'],
    [['cosim', 'ternary', '--stall', '95'], 'stall must be an integer in 0..90, not "95"'],
    [['synth', 'ternary', '--target', 'xc7'], 'target must be one of generic, ice40, ecp5, xilinx, asic, not "xc7"'],
    [['gen', 'sparse'], 'family must be one of ternary, dense, nmsparse, lutgemm, not "sparse"'],
    [['gen', 'ternary', '--rowz', '3'], "unknown option '--rowz'"],
    [['cosim', 'ternary', '--rtl', '/nonexistent/dir'], 'rtl must be an existing directory, not "/nonexistent/dir"'],
    [['gen', 'ternary', '--top', 'module'], 'top must not be a Verilog or SystemVerilog keyword, not "module"'],
    [['gen', 'dense', '--top', 'always_ff'], 'top must not be a Verilog or SystemVerilog keyword, not "always_ff"'],
    [['gen', 'ternary', '--top', '9lives'], 'top must be a Verilog identifier'],
    [['gen', 'ternary', '--top', 'a'.repeat(230)], 'top must be at most 128 characters long, not 230'],
    [['cosim', 'ternary', '--resets', '60'], 'resets must be an integer in 0..50, not "60"'],
  ];
  for (const [args, message] of cases) {
    it(args.join(' '), async () => {
      const dir = tmp('bad');
      const out = join(dir, 'out');
      const r = await lowbit([...args, '--out', out], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
      expect(readdirSync(dir)).toEqual([]);
    });
  }

  it('--json errors are one JSON object on stdout', async () => {
    const r = await lowbit(['gen', 'ternary', '--k', '0', '--json'], { cwd: tmp('bad') });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ ok: false, error: 'k must be an integer in 1..1024, not 0', kind: 'error', exitCode: 2 });
  });
});

describe('paths that name the wrong kind of thing: exit 2, nothing written', () => {
  it('--out or --dump naming a file, --out "", --rtl naming a file', async () => {
    const dir = tmp('badpath');
    const file = join(dir, 'a-file');
    writeFileSync(file, 'keep me');
    const cases: [string[], string][] = [
      [['gen', 'ternary', '--out', file], `out must be a directory, but ${file} is a file`],
      [['cosim', 'ternary', '--rows', '1', '--k', '2', '--out', join(dir, 'o'), '--dump', file], `dump must be a directory, but ${file} is a file`],
      [['gen', 'ternary', '--out', ''], 'out must name a directory, not an empty string'],
      [['lint', 'ternary', '--rtl', file], `rtl must be a directory, but ${file} is a file`],
    ];
    for (const [args, message] of cases) {
      const r = await lowbit(args, { cwd: dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toContain('    at ');
      expect(readdirSync(dir)).toEqual(['a-file']);
      expect(readFileSync(file, 'utf8')).toBe('keep me');
    }
  });
});

describe('--rtl checks the RTL against the command line', () => {
  it('params.json that disagrees with a flag is exit 2 naming both values; missing flags are taken from it', async () => {
    const dir = tmp('rtlparams');
    const rtl = join(dir, 'r');
    expect((await lowbit(['gen', 'ternary', '--rows', '2', '--k', '3', '--out', rtl])).code).toBe(0);
    const before = readdirSync(rtl).sort();
    const r = await lowbit(['cosim', 'ternary', '--rows', '3', '--k', '3', '--rtl', rtl, '--out', join(dir, 'o')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`rows: the command line says 3, ${join(rtl, 'params.json')} says 2`);
    const fam = await lowbit(['lint', 'dense', '--rtl', rtl]);
    expect(fam.code).toBe(2);
    expect(fam.stderr).toContain('family: the command line says dense');
    const top = await lowbit(['lint', 'ternary', '--rtl', rtl, '--top', 'other']);
    expect(top.code).toBe(2);
    expect(top.stderr).toContain('top: the command line says other');
    // Without --out the logs go to the default output directory (here, under dir), never into --rtl.
    const ok = await lowbit(['cosim', 'ternary', '--rtl', rtl, '--vectors', '30', '--seed', '1', '--json'], { cwd: dir });
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).params).toMatchObject({ rows: 2, k: 3 });
    expect(JSON.parse(ok.stdout).dir.startsWith(join(dir, 'lowbit-out'))).toBe(true);
    expect(readdirSync(rtl).sort()).toEqual(before);
  });

  it('params.json of a family whose resolved set is not valid input again (nmsparse int: encoding) is read back', async () => {
    const dir = tmp('rtlnm');
    const rtl = join(dir, 'r');
    expect((await lowbit(['gen', 'nmsparse', '--rows', '1', '--k', '4', '--out', rtl])).code).toBe(0);
    const r = await lowbit(['lint', 'nmsparse', '--rtl', rtl, '--out', join(dir, 'o'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).params).toMatchObject({ rows: 1, k: 4, weights: 'int', encoding: 'twos' });
  });

  it('RTL without params.json whose ports are wider than the parameters give is exit 2 naming the ports (both simulators)', async () => {
    const dir = tmp('rtlports');
    const rtl = join(dir, 'r');
    expect((await lowbit(['gen', 'ternary', '--rows', '4', '--k', '8', '--out', rtl])).code).toBe(0);
    rmSync(join(rtl, 'params.json'));
    for (const sim of ['verilator', 'iverilog']) {
      const r = await lowbit(['cosim', 'ternary', '--rows', '1', '--k', '8', '--rtl', rtl, '--vectors', '10', '--sim', sim], { cwd: dir });
      expect(r.code, `${sim}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/the RTL's ports do not match the parameters \(.*out_data/);
      expect(r.stderr).not.toContain('    at ');
    }
  });
});

describe('lowbit cosim through the CLI', () => {
  it('passes on a generated design (JSON summary), and reports a broken one with a replay command that works', async () => {
    const dir = tmp('cli-cosim');
    const good = join(dir, 'good');
    const ok = await lowbit(['cosim', 'ternary', '--rows', '2', '--k', '5', '--max-beats', '16', '--vectors', '300', '--seed', '7', '--out', good, '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    const j = JSON.parse(ok.stdout);
    expect(j).toMatchObject({ ok: true, seed: 7, vectors: 300, simulator: 'verilator' });

    // The user edits the RTL: an adder that drops its carry-in.
    const bad = join(dir, 'bad');
    mkdirSync(bad);
    for (const f of readFileSync(join(good, 'files.f'), 'utf8').trim().split('\n')) copyFileSync(join(good, f), join(bad, f));
    copyFileSync(join(good, 'files.f'), join(bad, 'files.f'));
    const row = join(bad, 'lowbit_ternary_row.v');
    writeFileSync(row, readFileSync(row, 'utf8').replace(/ \+ \{\d+'d0, sg_0\}/, ''));
    const r = await lowbit(['cosim', 'ternary', '--rows', '2', '--k', '5', '--max-beats', '16', '--vectors', '300', '--seed', '7', '--rtl', bad], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/MISMATCH at vector \d+ \(.*\), row \d+: expected -?\d+, actual -?\d+/);
    expect(r.stdout).toContain('seed: 7');
    const replay = /replay: (.* cosim .*)/.exec(r.stdout)![1];
    const vcd = /VCD of the replay: (.*\.vcd)/.exec(r.stdout)![1];
    expect(existsSync(vcd)).toBe(true);
    // The printed command works from any directory: absolute entry point and paths, every option that shaped the run.
    expect(replay).toContain(`--rtl ${bad}`);
    expect(replay).toMatch(/--stall 25 --resets \d+ --sim verilator/);
    const again = await execa('bash', ['-c', replay], { cwd: tmp('elsewhere'), reject: false });
    expect(again.exitCode, String(again.stderr)).toBe(1);
    expect(String(again.stdout)).toContain('MISMATCH');
  });
});

describe('help and doctor', () => {
  for (const cmd of ['gen', 'lint', 'cosim', 'synth', 'prove', 'power', 'doctor']) {
    it(`${cmd} --help`, async () => {
      const r = await lowbit([cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Usage: lowbit ' + cmd);
      if (cmd !== 'doctor') expect(r.stdout).toMatch(/--act-bits\s+signed activation width \(act_format int; .*\) \(2\.\.16, default 8\)/);
    });
  }

  it('doctor lists every tool with a version', async () => {
    const r = await lowbit(['doctor', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.ok).toBe(true);
    expect(j.tools.map((t: { tool: string }) => t.tool)).toEqual(['verilator', 'iverilog', 'vvp', 'sta', 'yosys', 'nextpnr-ice40', 'g++', 'make', 'liberty']);
    for (const t of j.tools) expect(t.version).toBeTruthy();
    // The bundled builds by default, named by their packages' entry points.
    expect(j.tools.find((t: { tool: string }) => t.tool === 'nextpnr-ice40')).toMatchObject({ source: 'the bundled @yowasp/nextpnr-ice40', variable: 'LOWBIT_NEXTPNR' });
  });

  it('doctor checks the tool LOWBIT_VERILATOR names: too old, with the minimum (exit 4)', async () => {
    const old = join(tmp('oldverilator'), 'verilator');
    writeFileSync(old, '#!/bin/sh\necho "Verilator 4.038 2020-07-11"\n');
    chmodSync(old, 0o755);
    const r = await lowbit(['doctor'], { env: { LOWBIT_VERILATOR: old } });
    expect(r.code, r.stdout + r.stderr).toBe(4);
    expect(r.stdout).toMatch(new RegExp(`too old\\s+verilator\\s+4\\.038 \\(${old}; LOWBIT_VERILATOR=${old}\\): lowbit needs >= 5\\.006`));
    expect(r.stdout).toContain('1 too old');
    const j = JSON.parse((await lowbit(['doctor', '--json'], { env: { LOWBIT_VERILATOR: '/nonexistent/verilator' } })).stdout);
    expect(j.ok).toBe(false);
    expect(j.tools.find((t: { tool: string }) => t.tool === 'verilator')).toMatchObject({ status: 'failing', note: expect.stringContaining('LOWBIT_VERILATOR must be the path of a verilator executable') });
  });
});

describe('tool failures', () => {
  it('a missing tool names its install command (exit 4)', async () => {
    const empty = tmp('nopath');
    const r = await lowbit(['lint', 'ternary', '--rows', '1', '--k', '2', '--out', join(empty, 'o')], { env: { PATH: empty } });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('verilator is not installed');
    expect(r.stderr).toContain('apt-get install -y verilator');
  });

  it('a failing tool shows its exit code, the tail of its log and the log path (exit 1)', async () => {
    const dir = tmp('failtool');
    const PATH = fakeTool('verilator', 'if [ "$1" = --version ]; then echo "Verilator 5.006"; exit 0; fi\nfor i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25; do echo "line $i"; done\necho "%Error: something broke" >&2\nexit 3');
    const r = await lowbit(['lint', 'ternary', '--rows', '1', '--k', '2', '--out', join(dir, 'o')], { env: { PATH } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('verilator failed (lint) with exit code 3');
    expect(r.stderr).toContain('%Error: something broke');
    expect(r.stderr).toContain('line 25');
    expect(r.stderr).not.toContain('line 3\n');
    const log = /full log: (.*)/.exec(r.stderr)![1];
    expect(readFileSync(log, 'utf8')).toContain('line 1\n');
  });

  it('an OpenSTA that reports a script error (and exits 0, as it does) fails the run with its log (exit 1)', async () => {
    const PATH = fakeTool('sta', 'echo "OpenSTA 2.0.17"\necho "Error: sta-timing.tcl, 2 cannot open \'netlist-asic.v\'."\nexit 0');
    const r = await lowbit(['synth', 'ternary', '--rows', '1', '--k', '2', '--target', 'asic', '--out', join(tmp('failsta'), 'o')], { env: { PATH } });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('sta (OpenSTA) failed');
    expect(r.stderr).toContain('the script reported an error');
    expect(r.stderr).toContain("Error: sta-timing.tcl, 2 cannot open 'netlist-asic.v'.");
    expect(r.stderr).toMatch(/full log: .*sta-timing\.log/);
  });

  it('a failing Icarus compile shows its exit code and log (exit 1)', async () => {
    const PATH = fakeTool('iverilog', 'echo "design.v:3: syntax error" >&2\nexit 2');
    const r = await lowbit(['cosim', 'ternary', '--rows', '1', '--k', '2', '--vectors', '5', '--sim', 'iverilog', '--out', join(tmp('failiv'), 'o')], { env: { PATH } });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('failed');
    expect(r.stderr).toContain('exit code 2');
    expect(r.stderr).toContain('design.v:3: syntax error');
  });

  it('a system yosys that is too old is refused with the install command (exit 4)', async () => {
    const PATH = fakeTool('yosys', 'echo "Yosys 0.9 (git sha1 1979e0b)"');
    const r = await lowbit(['synth', 'ternary', '--rows', '1', '--k', '2', '--out', join(tmp('oldyosys'), 'o')], { env: { PATH, LOWBIT_YOSYS: 'system' } });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('yosys >= 0.23 (found: Yosys 0.9');
    expect(r.stderr).toContain('apt-get install -y yosys');
  });
});

describe('per-MAC figures are per MAC per cycle everywhere (bit-serial lutgemm: a beat takes w_bits cycles)', () => {
  // rows 2 x k 4 = 8 MACs per beat, 2 cycles per beat: 4 MACs per cycle.
  const SERIAL = ['lutgemm', '--rows', '2', '--k', '4', '--w-bits', '2', '--max-beats', '4'];
  const MACS = 4;

  it('cosim --netlist writes synth-generic.json with the figures synth reports', async () => {
    const dir = tmp('netlistmacs');
    const s = await lowbit(['synth', ...SERIAL, '--target', 'generic', '--out', join(dir, 's'), '--json']);
    expect(s.code, s.stderr).toBe(0);
    const synthRep = JSON.parse(s.stdout);
    expect(synthRep.macs).toBe(MACS);
    const c = await lowbit(['cosim', ...SERIAL, '--netlist', 'generic', '--vectors', '20', '--seed', '1', '--out', join(dir, 'c'), '--json']);
    expect(c.code, c.stderr).toBe(0);
    const fromCosim = JSON.parse(readFileSync(join(dir, 'c', 'synth-generic.json'), 'utf8'));
    expect(fromCosim.macs).toBe(MACS);
    expect(fromCosim.perMac.transistors).toBeCloseTo(synthRep.perMac.transistors, 9);
  });

  it('demo writes synth-<target>.json consistent with synth, and run.json equal to its report', async () => {
    const dir = tmp('demomacs');
    const r = await demo({
      vectors: 30,
      seed: 3,
      out: join(dir, 'demo'),
      designs: [
        { label: 'lut serial', family: 'lutgemm', params: { rows: 2, k: 4, w_bits: 2, max_beats: 4 } },
        { label: 'dense w2', family: 'dense', params: { rows: 2, k: 4, w_bits: 2, max_beats: 4 }, baseline: true },
      ],
    });
    expect(r.ok).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'demo', 'run.json'), 'utf8'))).toEqual(r);
    const lut = r.results!.find((x) => x.family === 'lutgemm')!;
    expect(lut.ice40.macs).toBe(MACS);
    expect(lut.generic.macs).toBe(MACS);
    for (const target of ['ice40', 'generic']) {
      const written = JSON.parse(readFileSync(join(dir, 'demo', 'lutgemm', `synth-${target}.json`), 'utf8'));
      const s = await lowbit(['synth', ...SERIAL, '--target', target, '--out', join(dir, `synth-${target}`), '--json']);
      expect(s.code, s.stderr).toBe(0);
      const rep = JSON.parse(s.stdout);
      expect(written.macs).toBe(rep.macs);
      const key = target === 'ice40' ? 'lut4' : 'transistors';
      expect(written.perMac[key], target).toBeCloseTo(rep.perMac[key], 9);
    }
    expect(r.metrics.find((m) => m.name === 'lut serial lut4_per_mac')).toMatchObject({ unit: 'LUT4/MAC', source: join(dir, 'demo', 'lutgemm', 'synth-ice40.json') });
  });
});

describe('LOWBIT_FAMILIES: modules that register families, imported before the commands are built', () => {
  it('a module that registers a family makes it a command-line family', async () => {
    const dir = tmp('userfam');
    const mod = join(dir, 'my family.mjs');
    // As a user's module would: the public API (here the compiled one the CLI runs), registerFamily on import.
    writeFileSync(mod, `import { registerFamily, getFamily } from ${JSON.stringify(pathToFileURL(repoPath('dist', 'api', 'index.js')).href)};\nregisterFamily({ ...getFamily('ternary'), name: 'ternary2' });\n`);
    const r = await lowbit(['gen', 'ternary2', '--rows', '1', '--k', '2', '--out', join(dir, 'o'), '--json'], { env: { LOWBIT_FAMILIES: mod } });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, family: 'ternary2' });
    const help = await lowbit(['gen', '--help'], { env: { LOWBIT_FAMILIES: mod } });
    expect(help.stdout).toContain('ternary2:');
  });

  it('a module that fails to load is exit 2 naming the module and its error', async () => {
    const dir = tmp('badfam');
    const mod = join(dir, 'broken.mjs');
    writeFileSync(mod, "throw new Error('boom at import');\n");
    for (const [list, what] of [[mod, 'boom at import'], ['no-such-lowbit-family-pkg', 'no-such-lowbit-family-pkg']]) {
      const r = await lowbit(['gen', 'ternary', '--out', join(dir, 'o'), '--json'], { env: { LOWBIT_FAMILIES: list } });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`LOWBIT_FAMILIES: module ${JSON.stringify(list)} failed to load`);
      expect(r.stderr).toContain(what);
      expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, kind: 'error', exitCode: 2 });
      expect(existsSync(join(dir, 'o'))).toBe(false);
    }
  });
});
