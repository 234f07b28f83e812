// Tool facts as data (core/tool.ts): how a tool's environment variable picks its command, how the
// version gate refuses a too-old or unparsable tool, and which log lines are warnings and errors.
// Fake tools only (recording scripts): milliseconds, no real tool runs.
import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkVersion, compareVersions, defineTool, logFindings, resolveTool, runTool, TOOLS, ToolFailedError, ToolMissingError, ToolTooOldError, type ToolFacts } from '../../core/tool.js';
import { UsageError } from '../../core/errors.js';
import { VERILATOR } from '../../flows/tools/verilator.js';
import { IVERILOG, VVP } from '../../flows/tools/iverilog.js';
import { YOSYS } from '../../flows/tools/yosys.js';
import { STA } from '../../flows/tools/opensta.js';
import { NEXTPNR } from '../../flows/tools/nextpnr.js';
import { TOOL_FACTS } from '../../flows/tools/registry.js';
import { recordingTool, tmp } from '../helpers.js';

const ENV_VARS = ['LOWBIT_VERILATOR', 'LOWBIT_IVERILOG', 'LOWBIT_VVP', 'LOWBIT_YOSYS', 'LOWBIT_STA', 'LOWBIT_NEXTPNR'];
const saved = Object.fromEntries(ENV_VARS.map((v) => [v, process.env[v]]));
afterEach(() => {
  for (const v of ENV_VARS) {
    if (saved[v] === undefined) delete process.env[v];
    else process.env[v] = saved[v];
  }
});

const ALL = [VERILATOR, IVERILOG, VVP, YOSYS, STA, NEXTPNR];

it('the registry lists every tool once', () => {
  expect(TOOL_FACTS.map((f) => f.id).sort()).toEqual(ALL.map((f) => f.id).sort());
});

/** Real version outputs of the tools on this machine (and the bundled builds), as the facts must read them. */
const OUTPUTS: [ToolFacts, string, string][] = [
  [VERILATOR, 'Verilator 5.006 2023-01-22 rev (Debian 5.006-3)', '5.006'],
  [IVERILOG, 'Icarus Verilog version 11.0 (stable) ()\n\nCopyright 1998-2020 Stephen Williams', '11.0'],
  [VVP, 'Icarus Verilog runtime version 11.0 (stable) ()\n\nCopyright 1998-2020 Stephen Williams', '11.0'],
  [YOSYS, 'Yosys 0.23 (git sha1 7ce5011c24b)', '0.23'],
  [YOSYS, 'Yosys 0.55.944 (@yowasp/yosys)', '0.55'],
  [STA, '2.0.17', '2.0.17'],
  [NEXTPNR, 'nextpnr-ice40 0.8.621 (@yowasp/nextpnr-ice40)', '0.8'],
  [NEXTPNR, '"nextpnr-ice40" -- Next Generation Place and Route (Version nextpnr-0.6-32-gb2b9dac2)', '0.6'],
];

describe('facts as data', () => {
  it('every tool declares its variable, version switch, minimum, install hint and log patterns', () => {
    expect(ALL.map((f) => [f.id, f.envVar, f.version.args.join(' '), f.version.minimum, f.install])).toEqual([
      ['verilator', 'LOWBIT_VERILATOR', '--version', '5.006', 'apt-get install -y verilator'],
      ['iverilog', 'LOWBIT_IVERILOG', '-V', '11.0', 'apt-get install -y iverilog'],
      ['vvp', 'LOWBIT_VVP', '-V', '11.0', 'apt-get install -y iverilog'],
      ['yosys', 'LOWBIT_YOSYS', '--version', '0.23', 'apt-get install -y yosys'],
      ['sta', 'LOWBIT_STA', '-version', '2.0.17', 'apt-get install -y opensta'],
      ['nextpnr-ice40', 'LOWBIT_NEXTPNR', '--version', '0.4', 'apt-get install -y nextpnr-ice40'],
    ]);
    expect(ALL.filter((f) => f.bundled).map((f) => f.bundled!.package)).toEqual(['@yowasp/yosys', '@yowasp/nextpnr-ice40']);
  });

  for (const [f, text, version] of OUTPUTS) {
    it(`${f.id} reads its version from ${JSON.stringify(text.split('\n')[0])}`, () => {
      expect(f.version.pattern.exec(text)?.[1]).toBe(version);
    });
  }

  it('registers install hints by key (what doctor looks up), with the way back to a bundled build', () => {
    expect(TOOLS.verilator.install).toBe('apt-get install -y verilator');
    expect(TOOLS.yosys.install).toBe('apt-get install -y yosys (or unset LOWBIT_YOSYS to use the bundled @yowasp/yosys)');
    expect(TOOLS['yowasp-yosys']).toEqual({ name: '@yowasp/yosys', install: 'npm ci (in the lowbit checkout)' });
    expect(TOOLS['nextpnr-ice40'].install).toContain('unset LOWBIT_NEXTPNR');
    expect(TOOLS.sta.name).toBe('sta (OpenSTA)');
  });

  it('compares versions part by part, as numbers', () => {
    expect(compareVersions('5.006', '5.020')).toBe(-1);
    expect(compareVersions('5.020', '5.006')).toBe(1);
    expect(compareVersions('4.228', '5.006')).toBe(-1);
    expect(compareVersions('0.23', '0.9')).toBe(1);
    expect(compareVersions('2.0.17', '2.0.17')).toBe(0);
    expect(compareVersions('2.0', '2.0.17')).toBe(-1);
    expect(compareVersions('11.0', '11')).toBe(0);
  });
});

describe('the environment variable that overrides a tool', () => {
  it('unset: the executable from PATH, or the bundled build where there is one', () => {
    expect(resolveTool(VERILATOR, {})).toMatchObject({ command: 'verilator', prefix: [], kind: 'path', source: 'verilator from PATH' });
    const y = resolveTool(YOSYS, { LOWBIT_YOSYS: '' });
    expect(y).toMatchObject({ command: process.execPath, kind: 'bundled', name: '@yowasp/yosys' });
    expect(y.prefix[0]).toMatch(/flows\/tools\/yowasp\.mjs$/);
    expect(y.prefix[1]).toBe('yosys');
    expect(resolveTool(NEXTPNR, {}).prefix[1]).toBe('nextpnr-ice40');
  });

  it('system: the executable from PATH (tools with a bundled build)', () => {
    expect(resolveTool(YOSYS, { LOWBIT_YOSYS: 'system' })).toMatchObject({ command: 'yosys', kind: 'path' });
    expect(resolveTool(NEXTPNR, { LOWBIT_NEXTPNR: 'system' })).toMatchObject({ command: 'nextpnr-ice40', kind: 'path', name: 'nextpnr-ice40' });
  });

  it('a path: that executable, absolute', () => {
    const fake = recordingTool('verilator', 'exit 0');
    for (const f of ALL) {
      const r = resolveTool(f, { [f.envVar]: fake.path });
      expect(r, f.id).toMatchObject({ command: fake.path, prefix: [], kind: 'override', source: `${f.envVar}=${fake.path}` });
    }
    // A relative value is taken from the working directory (the tools run elsewhere).
    const dir = tmp('cwd');
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(resolveTool(STA, { LOWBIT_STA: relative(dir, fake.path) }).command).toBe(fake.path);
    } finally {
      process.chdir(cwd);
    }
  });

  it('a bad value is bad input (exit 2) naming the variable, what it may hold and the value', () => {
    const dir = tmp('badenv');
    const plain = join(dir, 'not-executable');
    writeFileSync(plain, '#!/bin/sh\n');
    chmodSync(plain, 0o644);
    mkdirSync(join(dir, 'adir'));
    const cases: [ToolFacts, string, string][] = [
      [VERILATOR, join(dir, 'nope'), `LOWBIT_VERILATOR must be the path of a verilator executable, or unset (verilator from PATH), but ${join(dir, 'nope')} does not exist (given: ${JSON.stringify(join(dir, 'nope'))})`],
      [IVERILOG, plain, `LOWBIT_IVERILOG must be the path of a iverilog executable, or unset (iverilog from PATH), but ${plain} is not executable (given: ${JSON.stringify(plain)})`],
      [VVP, join(dir, 'adir'), `LOWBIT_VVP must be the path of a vvp executable, or unset (vvp from PATH), but ${join(dir, 'adir')} is a directory`],
      [STA, 'system', 'LOWBIT_STA must be the path of a sta executable, or unset (sta from PATH), but '],
      [YOSYS, 'bogus', 'LOWBIT_YOSYS must be "system" (yosys from PATH), the path of a yosys executable, or unset (the bundled @yowasp/yosys), but '],
      [NEXTPNR, 'wasm', 'LOWBIT_NEXTPNR must be "system" (nextpnr-ice40 from PATH), the path of a nextpnr-ice40 executable, or unset (the bundled @yowasp/nextpnr-ice40), but '],
    ];
    for (const [f, value, message] of cases) {
      let err: unknown;
      try {
        resolveTool(f, { [f.envVar]: value });
      } catch (e) {
        err = e;
      }
      expect(err, f.id).toBeInstanceOf(UsageError);
      expect((err as UsageError).exitCode).toBe(2);
      expect((err as Error).message, f.id).toContain(message);
      expect((err as Error).message, f.id).toContain(`(given: ${JSON.stringify(value)})`);
    }
  });

  it('Yosys follows LOWBIT_YOSYS (a path, system, unset = bundled), and refuses a bad one', () => {
    const fake = recordingTool('yosys', 'exit 0');
    process.env.LOWBIT_YOSYS = fake.path;
    expect(resolveTool(YOSYS)).toMatchObject({ command: fake.path, prefix: [], kind: 'override' });
    process.env.LOWBIT_YOSYS = 'system';
    expect(resolveTool(YOSYS)).toMatchObject({ command: 'yosys', kind: 'path' });
    delete process.env.LOWBIT_YOSYS;
    expect(resolveTool(YOSYS).kind).toBe('bundled');
    process.env.LOWBIT_YOSYS = 'bogus';
    expect(() => resolveTool(YOSYS)).toThrow(/^LOWBIT_YOSYS must be "system"/);
  });
});

describe('the version gate', () => {
  const facts = (id: string, minimum = '5.006'): ToolFacts =>
    defineTool({ ...VERILATOR, id: `fake-${id}`, name: `fake-${id}`, envVar: 'LOWBIT_FAKE_TOOL', version: { ...VERILATOR.version, minimum } });

  it('a tool at or above its minimum passes, and is asked once per process', async () => {
    const fake = recordingTool('verilator', '[ "$1" = --version ] && echo "Verilator 5.020 2024-01-01"; exit 0');
    const t = resolveTool(VERILATOR, { LOWBIT_VERILATOR: fake.path });
    expect(await checkVersion(t)).toEqual({ text: 'Verilator 5.020 2024-01-01', version: '5.020' });
    await checkVersion(t);
    await runTool({ tool: { ...VERILATOR, envVar: 'LOWBIT_FAKE_V1' }, args: ['--lint-only', 'x.v'], logPath: join(tmp('log'), 'l.log') }).catch(() => undefined);
    expect(fake.calls().filter((c) => c.argv[0] === '--version')).toHaveLength(1);
  });

  it('too old: refused like a missing tool (exit 4), naming tool, found and required versions, where and how to install', async () => {
    const fake = recordingTool('verilator', 'echo "Verilator 4.038 2020-07-11"');
    const t = resolveTool(VERILATOR, { LOWBIT_VERILATOR: fake.path });
    const e = await checkVersion(t).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ToolTooOldError);
    expect(e).toBeInstanceOf(ToolMissingError);
    expect((e as ToolTooOldError).exitCode).toBe(4);
    expect((e as Error).message).toBe(
      `verilator 4.038 is too old: lowbit needs verilator >= 5.006 (found: Verilator 4.038 2020-07-11; LOWBIT_VERILATOR=${fake.path}). ` +
        'Install a newer one with: apt-get install -y verilator (or point LOWBIT_VERILATOR at a working verilator)',
    );
  });

  it('too old from PATH: the install hint is the package (and, with a bundled build, the way back to it)', async () => {
    const fake = recordingTool('yosys', 'echo "Yosys 0.9 (git sha1 1979e0b)"');
    const t = { ...resolveTool(YOSYS, { LOWBIT_YOSYS: 'system' }), command: fake.path };
    const e = (await checkVersion(t).catch((x: unknown) => x)) as Error;
    expect(e.message).toBe(
      'yosys 0.9 is too old: lowbit needs yosys >= 0.23 (found: Yosys 0.9 (git sha1 1979e0b); yosys from PATH (LOWBIT_YOSYS=system)). ' +
        'Install a newer one with: apt-get install -y yosys (or unset LOWBIT_YOSYS to use the bundled @yowasp/yosys)',
    );
  });

  it('a version that does not parse is a tool failure (exit 1) with its output', async () => {
    const fake = recordingTool('sta', 'echo "OpenSTA (development build)"');
    const e = (await checkVersion(resolveTool(STA, { LOWBIT_STA: fake.path })).catch((x: unknown) => x)) as ToolFailedError;
    expect(e).toBeInstanceOf(ToolFailedError);
    expect(e.exitCode).toBe(1);
    expect(e.message).toBe(`sta (OpenSTA) failed (${fake.path} -version: no version number in its output) although it exited 0.\n--- its output ---\nOpenSTA (development build)`);
  });

  it('a version switch that fails is a tool failure with its exit code, not "missing"', async () => {
    const fake = recordingTool('iverilog', 'echo "iverilog: error while loading shared libraries" >&2; exit 127');
    const e = (await checkVersion(resolveTool(IVERILOG, { LOWBIT_IVERILOG: fake.path })).catch((x: unknown) => x)) as ToolFailedError;
    expect(e).toBeInstanceOf(ToolFailedError);
    expect(e.message).toContain(`iverilog failed (${fake.path} -V) with exit code 127`);
    expect(e.message).toContain('error while loading shared libraries');
  });

  it('not on PATH: missing (exit 4) with the install command', async () => {
    const t = { ...resolveTool(VVP, {}), command: join(tmp('empty'), 'vvp') };
    const e = (await checkVersion(t).catch((x: unknown) => x)) as ToolMissingError;
    expect(e).toBeInstanceOf(ToolMissingError);
    expect(e.exitCode).toBe(4);
    expect(e.message).toContain('vvp is not installed (or not on PATH). Install it with: apt-get install -y iverilog');
  });

  it('no minimum: any parsable version passes', async () => {
    const fake = recordingTool('verilator', 'echo "Verilator 3.000"');
    const f = facts('nomin', undefined);
    const noMin = { ...f, version: { args: f.version.args, pattern: f.version.pattern } };
    expect((await checkVersion(resolveTool(noMin, { LOWBIT_FAKE_TOOL: fake.path }))).version).toBe('3.000');
  });
});

describe('log patterns', () => {
  it('Verilator: %Warning-* and %Error lines', () => {
    const log = '%Warning-UNUSED: t.v:3:8: Signal is not used: x\n   : ... note\n%Error: t.v:5:1: syntax error\n%Error: Exiting due to 1 error(s)\n';
    expect(logFindings(VERILATOR, log)).toEqual({
      warnings: ['%Warning-UNUSED: t.v:3:8: Signal is not used: x'],
      errors: ['%Error: t.v:5:1: syntax error', '%Error: Exiting due to 1 error(s)'],
    });
  });
  it('Icarus: file:line warnings and errors', () => {
    const log = 't.v:3: warning: Port 2 (b) of m expects 8 bits, got 4.\nt.v:7: syntax error\nt.v:9: error: Unknown module type: q\n2 error(s) during elaboration.\n';
    expect(logFindings(IVERILOG, log)).toEqual({
      warnings: ['t.v:3: warning: Port 2 (b) of m expects 8 bits, got 4.'],
      errors: ['t.v:7: syntax error', 't.v:9: error: Unknown module type: q', '2 error(s) during elaboration.'],
    });
  });
  it('Yosys and nextpnr: Warning: and ERROR: at the start of a line', () => {
    const log = 'Warning: Resizing cell port t.u.a from 4 bits to 8 bits.\n  -- no Warning: here\nERROR: Module `q\' referenced in module `t\' is not part of the design.\n';
    for (const f of [YOSYS, NEXTPNR]) {
      expect(logFindings(f, log)).toEqual({ warnings: ['Warning: Resizing cell port t.u.a from 4 bits to 8 bits.'], errors: ["ERROR: Module `q' referenced in module `t' is not part of the design."] });
    }
  });
  it('OpenSTA: Warning: and Error: (it exits 0 after a script error)', () => {
    const log = "Warning: netlist-asic.v line 3, module X not found.\nError: sta-timing.tcl, 2 cannot open 'netlist-asic.v'.\nworst slack 1.2\n";
    expect(logFindings(STA, log)).toEqual({ warnings: ['Warning: netlist-asic.v line 3, module X not found.'], errors: ["Error: sta-timing.tcl, 2 cannot open 'netlist-asic.v'."] });
  });
});
