// Bad input, every command: each case is a command line (and environment) a user could type by
// mistake. Every one must exit with the expected code and a message naming what was wrong, print no
// stack trace, and write nothing (the working directory is exactly as it was, --out stays absent).
// Under --json, stdout is exactly one error object.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lowbit, snapshot, tmp } from './helpers.js';

interface Case {
  name: string;
  args: string[];
  env?: Record<string, string>;
  code: number;
  /** A fragment of the error message (stderr, and the JSON error under --json). */
  message: string;
  /** Files and directories the case needs in its working directory, made before the run. */
  setup?: (cwd: string) => void;
}

const SMALL = ['--rows', '1', '--k', '2'];
const fam = (cmd: string, ...rest: string[]) => [cmd, 'ternary', ...SMALL, ...rest];
const write = (cwd: string, files: Record<string, string>) => {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(cwd, name, '..'), { recursive: true });
    writeFileSync(join(cwd, name), text);
  }
};
const rtlDir = (filesF: string) => (cwd: string) => write(cwd, { 'rtl/a.v': 'module a; endmodule\n', 'rtl/files.f': filesF });
const noInverter = 'library (x) {\n  cell (BUF) { area : 1; pin (A) { direction : input; } pin (Y) { direction : output; function : "A"; } }\n}\n';

const CASES: Case[] = [
  // gen: families, parameter ranges, types, enums, names, output paths, the argument parser.
  { name: 'unknown family', args: ['gen', 'quaternary'], code: 2, message: 'family must be one of' },
  { name: 'rows 0', args: ['gen', 'ternary', '--rows', '0'], code: 2, message: 'rows must be an integer in 1..256' },
  { name: 'rows too large', args: ['gen', 'ternary', '--rows', '257'], code: 2, message: 'rows must be an integer in 1..256' },
  { name: 'rows not an integer', args: ['gen', 'ternary', '--rows', '1.5'], code: 2, message: 'rows must be an integer' },
  { name: 'k not a number', args: ['gen', 'dense', '--k', 'many'], code: 2, message: 'k must be an integer' },
  { name: 'w_bits out of range', args: ['gen', 'dense', '--w-bits', '9'], code: 2, message: 'w_bits must be an integer in 2..8' },
  { name: 'overflow enum', args: ['gen', 'ternary', '--overflow', 'clamp'], code: 2, message: 'overflow' },
  { name: 'encoding enum', args: ['gen', 'ternary', '--encoding', 'base4'], code: 2, message: 'encoding' },
  { name: 'nmsparse n >= m', args: ['gen', 'nmsparse', '--n', '4', '--m', '4'], code: 2, message: 'n' },
  { name: 'lutgemm k not a multiple of g', args: ['gen', 'lutgemm', '--g', '5', '--k', '8'], code: 2, message: 'k must be a multiple of g' },
  { name: 'acc_bits out of range', args: ['gen', 'dense', '--acc-bits', '65'], code: 2, message: 'acc_bits' },
  { name: 'top not a Verilog name', args: ['gen', 'ternary', '--top', '1top'], code: 2, message: 'top' },
  { name: 'top a keyword', args: ['gen', 'ternary', '--top', 'module'], code: 2, message: 'top' },
  { name: 'out empty', args: fam('gen', '--out', ''), code: 2, message: 'out must name a directory' },
  { name: 'out a file', args: fam('gen', '--out', 'f.txt'), setup: (c) => write(c, { 'f.txt': 'x' }), code: 2, message: 'is a file' },
  { name: 'out below a file', args: fam('gen', '--out', 'f.txt/sub'), setup: (c) => write(c, { 'f.txt': 'x' }), code: 2, message: 'f.txt is a file' },
  { name: 'out not writable', args: fam('gen', '--out', '/sys/lowbit-out'), code: 2, message: '/sys/lowbit-out' },
  { name: 'unknown option', args: fam('gen', '--bogus'), code: 2, message: "unknown option '--bogus'" },
  { name: 'missing family', args: ['gen'], code: 2, message: "missing required argument 'family'" },
  { name: 'option without its value', args: ['gen', 'ternary', '--rows'], code: 2, message: "'--rows <value>' argument missing" },
  { name: 'unknown command', args: ['generate', 'ternary'], code: 2, message: "unknown command 'generate'" },
  // lint and every --rtl: the directory and its files.f.
  { name: 'rtl missing', args: fam('lint', '--rtl', 'nope'), code: 2, message: 'rtl must be an existing directory' },
  { name: 'rtl a file', args: fam('lint', '--rtl', 'f.txt'), setup: (c) => write(c, { 'f.txt': 'x' }), code: 2, message: 'rtl must be a directory' },
  { name: 'rtl without Verilog', args: fam('lint', '--rtl', 'rtl'), setup: (c) => write(c, { 'rtl/readme': 'x' }), code: 2, message: 'holds no Verilog files' },
  { name: 'files.f names a missing file', args: fam('lint', '--rtl', 'rtl'), setup: rtlDir('// mine\na.v\n\nb.v\n'), code: 2, message: 'files.f line 4 names "b.v"' },
  { name: 'files.f with an option', args: fam('lint', '--rtl', 'rtl'), setup: rtlDir('a.v\n-v lib.v\n'), code: 2, message: 'line 2: "-v lib.v" is an option lowbit does not take' },
  { name: 'files.f with a missing include dir', args: fam('lint', '--rtl', 'rtl'), setup: rtlDir('+incdir+inc\na.v\n'), code: 2, message: 'include directory "inc"' },
  { name: 'files.f naming a directory', args: fam('lint', '--rtl', 'rtl'), setup: (c) => { rtlDir('sub\n')(c); mkdirSync(join(c, 'rtl', 'sub')); }, code: 2, message: 'is not a file' },
  { name: 'files.f lists nothing', args: fam('lint', '--rtl', 'rtl'), setup: rtlDir('# nothing\n'), code: 2, message: 'lists no Verilog files' },
  { name: 'out is the rtl directory', args: fam('lint', '--rtl', 'rtl', '--out', 'rtl'), setup: rtlDir('a.v\n'), code: 2, message: 'out must not be the --rtl directory' },
  { name: 'params.json not JSON', args: fam('lint', '--rtl', 'rtl'), setup: (c) => { rtlDir('a.v\n')(c); write(c, { 'rtl/params.json': '{' }); }, code: 2, message: 'is not valid JSON' },
  { name: 'params.json of another family', args: fam('synth', '--rtl', 'rtl'), setup: (c) => { rtlDir('a.v\n')(c); write(c, { 'rtl/params.json': '{"family":"dense","params":{}}' }); }, code: 2, message: 'family: the command line says ternary' },
  // cosim
  { name: 'cosim vectors 0', args: fam('cosim', '--vectors', '0'), code: 2, message: 'vectors must be an integer in 1..' },
  { name: 'cosim negative seed', args: fam('cosim', '--seed', '-1'), code: 2, message: 'seed must be an integer' },
  { name: 'cosim stall 95', args: fam('cosim', '--stall', '95'), code: 2, message: 'stall must be an integer in 0..90' },
  { name: 'cosim resets 60', args: fam('cosim', '--resets', '60'), code: 2, message: 'resets must be an integer in 0..50' },
  { name: 'cosim unknown simulator', args: fam('cosim', '--sim', 'modelsim'), code: 2, message: 'sim must be one of' },
  { name: 'cosim unknown netlist', args: fam('cosim', '--netlist', 'fpga'), code: 2, message: 'netlist must be one of' },
  { name: 'cosim replay beyond the vectors', args: fam('cosim', '--vectors', '5', '--replay', '5'), code: 2, message: 'replay must be an integer in 0..4' },
  { name: 'cosim dump a file', args: fam('cosim', '--dump', 'f.txt'), setup: (c) => write(c, { 'f.txt': 'x' }), code: 2, message: 'dump must be a directory' },
  { name: 'cosim dump below a file', args: fam('cosim', '--dump', 'f.txt/d'), setup: (c) => write(c, { 'f.txt': 'x' }), code: 2, message: 'dump must be a directory lowbit can create or write, but' },
  { name: 'cosim LOWBIT_CACHE a file', args: fam('cosim'), env: { LOWBIT_CACHE: 'f.txt' }, setup: (c) => write(c, { 'f.txt': 'x' }), code: 2, message: 'LOWBIT_CACHE must name a directory' },
  // synth
  { name: 'synth unknown target', args: fam('synth', '--target', 'asics'), code: 2, message: 'target must be one of' },
  { name: 'synth clock 0', args: fam('synth', '--clock-ns', '0'), code: 2, message: 'clock-ns must be a number' },
  { name: 'synth --pnr without ice40', args: fam('synth', '--pnr'), code: 2, message: '--pnr needs --target ice40' },
  { name: 'synth unknown device', args: fam('synth', '--target', 'ice40', '--device', 'hx9k'), code: 2, message: 'device must be one of' },
  { name: 'LOWBIT_LIBERTY a directory', args: fam('synth', '--target', 'asic'), env: { LOWBIT_LIBERTY: '.' }, code: 2, message: 'LOWBIT_LIBERTY must name a liberty file' },
  { name: 'LOWBIT_LIBERTY missing', args: fam('synth', '--target', 'asic'), env: { LOWBIT_LIBERTY: 'none.lib' }, code: 2, message: 'none.lib does not exist' },
  { name: 'LOWBIT_LIBERTY without an inverter', args: fam('synth', '--target', 'asic'), env: { LOWBIT_LIBERTY: 'x.lib' }, setup: (c) => write(c, { 'x.lib': noInverter }), code: 2, message: 'no inverter' },
  { name: 'LOWBIT_YOSYS bogus', args: fam('synth'), env: { LOWBIT_YOSYS: 'bogus' }, code: 2, message: 'LOWBIT_YOSYS must be "system"' },
  // Every tool's variable, checked from its facts before anything is written (not on first use).
  { name: 'lint LOWBIT_VERILATOR missing', args: fam('lint'), env: { LOWBIT_VERILATOR: '/nonexistent/verilator' }, code: 2, message: 'LOWBIT_VERILATOR must be the path of a verilator executable, or unset (verilator from PATH), but /nonexistent/verilator does not exist (given: "/nonexistent/verilator")' },
  { name: 'cosim iverilog LOWBIT_VVP a directory', args: fam('cosim', '--sim', 'iverilog'), env: { LOWBIT_VVP: '.' }, code: 2, message: 'LOWBIT_VVP must be the path of a vvp executable' },
  { name: 'synth asic LOWBIT_STA not executable', args: fam('synth', '--target', 'asic'), env: { LOWBIT_STA: 'sta' }, setup: (c) => write(c, { sta: '#!/bin/sh\n' }), code: 2, message: 'sta is not executable' },
  { name: 'power LOWBIT_IVERILOG missing', args: fam('power'), env: { LOWBIT_IVERILOG: '/nonexistent/iverilog' }, code: 2, message: 'LOWBIT_IVERILOG must be' },
  // power
  { name: 'power unknown stimulus', args: fam('power', '--stimulus', 'loud'), code: 2, message: 'stimulus must be one of' },
  { name: 'power activity 3', args: fam('power', '--activity', '3'), code: 2, message: 'activity must be a number in 0..2' },
  { name: 'power vectors words', args: fam('power', '--vectors', 'ten'), code: 2, message: 'vectors must be an integer' },
  { name: 'power liberty a directory', args: fam('power'), env: { LOWBIT_LIBERTY: '/tmp' }, code: 2, message: 'LOWBIT_LIBERTY' },
  // prove
  { name: 'prove cycles too few', args: fam('prove', '--cycles', '1'), code: 2, message: 'cycles must be an integer' },
  { name: 'prove timeout 0', args: fam('prove', '--timeout', '0'), code: 2, message: 'timeout must be an integer in 1..' },
  { name: 'prove LOWBIT_YOSYS bogus', args: fam('prove'), env: { LOWBIT_YOSYS: 'wasm' }, code: 2, message: 'LOWBIT_YOSYS' },
  // mutate
  { name: 'mutate unknown check', args: fam('mutate', '--check', 'lint'), code: 2, message: 'check must be one of cosim, prove' },
  { name: 'mutate jobs 0', args: fam('mutate', '--jobs', '0'), code: 2, message: 'jobs must be an integer in 1..256' },
  { name: 'mutate count 0', args: fam('mutate', '--count', '0'), code: 2, message: 'count must be an integer' },
  { name: 'mutate unknown simulator', args: fam('mutate', '--sim', 'xcelium'), code: 2, message: 'sim must be one of' },
  // pack
  { name: 'pack without --matrix', args: fam('pack'), code: 2, message: "required option '--matrix <file>' not specified" },
  { name: 'pack matrix missing', args: fam('pack', '--matrix', 'm.json'), code: 2, message: 'matrix must be a readable JSON file' },
  { name: 'pack matrix a directory', args: fam('pack', '--matrix', '.'), code: 2, message: 'matrix must be a readable JSON file' },
  { name: 'pack matrix wrong rows', args: fam('pack', '--matrix', 'm.json'), setup: (c) => write(c, { 'm.json': '[[1,0],[0,1]]' }), code: 2, message: 'matrix must hold rows (1) rows' },
  { name: 'pack out a directory', args: fam('pack', '--matrix', 'm.json', '--out', 'd'), setup: (c) => { write(c, { 'm.json': '[[1,0]]' }); mkdirSync(join(c, 'd')); }, code: 2, message: 'out must name a file to write, but' },
  { name: 'pack --prune on a dense family', args: fam('pack', '--matrix', 'm.json', '--prune'), setup: (c) => write(c, { 'm.json': '[[1,0]]' }), code: 2, message: 'prune applies to sparse families only' },
  // cache
  { name: 'cache clean bad duration', args: ['cache', 'clean', '--older-than', '7x'], code: 2, message: 'older-than must be a duration' },
  { name: 'cache clean bad size', args: ['cache', 'clean', '--max-size', 'lots'], code: 2, message: 'max-size must be a size' },
  { name: 'cache info LOWBIT_CACHE a file', args: ['cache', 'info'], env: { LOWBIT_CACHE: 'f.txt' }, setup: (c) => write(c, { 'f.txt': 'x' }), code: 2, message: 'LOWBIT_CACHE must name a directory' },
  { name: 'cache unknown subcommand', args: ['cache', 'purge'], code: 2, message: "unknown command 'purge'" },
  // --json: one error object on stdout, whatever failed (the parser included).
  { name: 'json: parameter out of range', args: ['gen', 'ternary', '--rows', '0', '--json'], code: 2, message: 'rows must be' },
  { name: 'json: unknown option', args: fam('lint', '--json', '--nope'), code: 2, message: "unknown option '--nope'" },
  { name: 'json: missing family', args: ['synth', '--json'], code: 2, message: "missing required argument 'family'" },
  { name: 'json: option without its value', args: ['cosim', 'ternary', '--json', '--vectors'], code: 2, message: 'argument missing' },
  { name: 'json: files.f missing file', args: fam('cosim', '--rtl', 'rtl', '--json'), setup: rtlDir('a.v\nb.v\n'), code: 2, message: 'line 2 names "b.v"' },
  { name: 'json: LOWBIT_YOSYS', args: fam('mutate', '--json'), env: { LOWBIT_YOSYS: 'bogus' }, code: 2, message: 'LOWBIT_YOSYS' },
  { name: 'json: LOWBIT_NEXTPNR', args: fam('synth', '--target', 'ice40', '--pnr', '--json'), env: { LOWBIT_NEXTPNR: 'bogus' }, code: 2, message: 'LOWBIT_NEXTPNR must be "system"' },
  { name: 'json: cache clean', args: ['cache', 'clean', '--max-size', '-1', '--json'], code: 2, message: 'max-size' },
  { name: 'json: pack out a directory', args: fam('pack', '--matrix', 'm.json', '--out', 'd', '--json'), setup: (c) => { write(c, { 'm.json': '[[1,0]]' }); mkdirSync(join(c, 'd')); }, code: 2, message: 'is a directory' },
];

interface Outcome {
  code: number | undefined;
  stdout: string;
  stderr: string;
  before: string[];
  after: string[];
}

const outcomes = new Map<string, Outcome>();

describe('adversarial inputs: exit code, message, nothing written, no stack trace', () => {
  beforeAll(async () => {
    const cache = tmp('adv-cache');
    // Each CLI start loads TypeScript (~1.5 s): four at a time on a shared machine.
    for (let i = 0; i < CASES.length; i += 4) {
      await Promise.all(
        CASES.slice(i, i + 4).map(async (c) => {
          const cwd = tmp('adv');
          c.setup?.(cwd);
          const before = snapshot(cwd);
          const r = await lowbit(c.args, { cwd, env: { LOWBIT_CACHE: join(cache, 'c'), ...c.env } });
          outcomes.set(c.name, { ...r, before, after: snapshot(cwd) });
        }),
      );
    }
  }, 600_000);

  it('has at least 40 cases, each named once', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  for (const c of CASES) {
    it(c.name, () => {
      const o = outcomes.get(c.name)!;
      const shown = `lowbit ${c.args.join(' ')}\nstdout: ${o.stdout}\nstderr: ${o.stderr}`;
      expect(o.code, shown).toBe(c.code);
      expect(o.stderr, shown).toContain(c.message);
      expect(o.stderr, shown).not.toContain('    at ');
      expect(o.stderr, shown).not.toContain('internal error');
      expect(o.after, `${shown}\nwrote into its working directory`).toEqual(o.before);
      if (c.args.includes('--json')) {
        const lines = o.stdout.trim().split('\n');
        expect(lines, shown).toHaveLength(1);
        const j = JSON.parse(lines[0]) as { ok: boolean; error: string; kind: string; exitCode: number };
        expect(j, shown).toMatchObject({ ok: false, kind: 'error', exitCode: c.code });
        expect(j.error, shown).toContain(c.message);
      } else {
        expect(o.stdout, shown).toBe('');
      }
    });
  }
});
