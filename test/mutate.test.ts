import { execa } from 'execa';
// lowbit mutate: real Yosys and Verilator on a small design (ternary, 2 rows x 4 lanes, 4-bit
// activations) and a few mutants, so the file runs in a few minutes.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { generated, lowbit, tmp } from './helpers.js';
import { listMutations, modulesOf, mutantsScript, equivScript, structuralEquivScript, parseMutation, score, sourceModule } from '../flows/mutate.js';

const DESIGN = ['ternary', '--rows', '2', '--k', '4', '--act-bits', '4'];
const COUNT = 8;
const SEED = 1;

describe('mutation list', () => {
  it('parses a mutate line: mode, module, cell, port bit, the cell\'s source line', () => {
    const m = parseMutation(
      'mutate -mode cnot0 -module lowbit_ternary_row -cell $add$lowbit_ternary_row.v:72$65 -port A -portbit 7 -ctrlbit 4 -wire sum_l1_2 -wirebit 7 -src lowbit_ternary_row.v:65.16-65.24 -src lowbit_ternary_row.v:72.27-72.86',
      3,
    );
    expect(m).toMatchObject({ id: 3, mode: 'cnot0', module: 'lowbit_ternary_row', cell: '$add$lowbit_ternary_row.v:72$65', port: 'A', portbit: 7, ctrlbit: 4, wire: 'sum_l1_2', wirebit: 7, file: 'lowbit_ternary_row.v', line: 72 });
    expect(sourceModule('$paramod$a7d2c8d94de85aea0df4bea08ceed70bda1fa9a2\\lowbit_stream_acc')).toBe('lowbit_stream_acc');
    expect(score(3, 1)).toBe(0.75);
    expect(score(0, 0)).toBe(1);
    // --check prove brings the original files defining modules the mutant lacks (by these names).
    expect([...modulesOf('module \\$paramod$ab\\lowbit_stream_acc (clk);\nendmodule\nmodule lowbit_ternary(clk, rst);\n')]).toEqual(['$paramod$ab\\lowbit_stream_acc', 'lowbit_ternary']);
  });

  it('scripts are data: each mutant from the saved original; the equivalence miter renames the two apart', () => {
    const m = parseMutation('mutate -mode inv -module top -cell c -port Y -portbit 0 -src a.v:3.1-3.5', 0);
    expect(mutantsScript(['/x/a.v'], 'top', [m, { ...m, id: 1 }])).toEqual([
      'read_verilog "a.v"', 'prep -top top', 'design -save original',
      'design -load original', m.command, 'write_verilog -noattr "mutant-0.v"',
      'design -load original', m.command, 'write_verilog -noattr "mutant-1.v"',
    ]);
    const eq = equivScript(['/x/a.v'], 'top', m, 6, 60);
    expect(eq.filter((l) => l === m.command)).toHaveLength(1);
    expect(eq).toContain('rename top lowbit_mut_gate');
    expect(eq).toContain('rename top lowbit_mut_gold');
    expect(eq[eq.length - 1]).toMatch(/^sat -verify -prove trigger 0 -set-init-zero -seq 6 -set-at 1 rst 1 -prove-skip 1 -timeout 60 lowbit_miter$/);
    // The structural check first: the mutation applied once, signals paired by name, proved by induction.
    const st = structuralEquivScript(['/x/a.v'], 'top', m);
    expect(st.filter((l) => l === m.command)).toHaveLength(1);
    expect(st.slice(-5)).toEqual(['equiv_make lowbit_mut_gold lowbit_mut_gate lowbit_equiv', 'hierarchy -top lowbit_equiv', 'equiv_simple -seq 2', 'equiv_induct', 'equiv_status -assert']);
  });

  it('is deterministic for a seed, differs for another, and every location has module, cell and source line', async () => {
    const dir = tmp('mutlist');
    const { top, files } = await generated('ternary', { rows: 2, k: 4, act_bits: 4 }, { dir: join(dir, 'rtl') });
    const a = await listMutations(files, top, 12, 7, join(dir, 'a'));
    const b = await listMutations(files, top, 12, 7, join(dir, 'b'));
    const c = await listMutations(files, top, 12, 8, join(dir, 'c'));
    expect(a).toHaveLength(12);
    expect(b.map((m) => m.command)).toEqual(a.map((m) => m.command));
    expect(c.map((m) => m.command)).not.toEqual(a.map((m) => m.command));
    for (const m of a) {
      expect(m.module, m.command).toMatch(/lowbit_/);
      expect(m.cell, m.command).not.toBe('?');
      expect(m.file, m.command).toMatch(/^lowbit_\w+\.v$/);
      expect(m.line, m.command).toBeGreaterThan(0);
    }
  });
});

describe('lowbit mutate', () => {
  const out = join(tmp('mutate'), 'run');
  const run = (extra: string[]) => lowbit(['mutate', ...DESIGN, '--count', String(COUNT), '--seed', String(SEED), '-j', '2', '--out', out, '--json', ...extra]);

  it('default cosim kills every non-equivalent mutant: exit 0, score 1, one JSON object', async () => {
    const r = await run([]);
    const lines = r.stdout.trim().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    const j = JSON.parse(lines[0]);
    expect(j.mutants).toHaveLength(COUNT);
    expect(j.killed + j.survived + j.equivalent + j.errors).toBe(COUNT);
    const survivors = j.mutants.filter((m: { status: string }) => m.status === 'survived');
    expect(survivors, JSON.stringify(survivors, null, 1)).toEqual([]);
    expect(j.score).toBe(1);
    expect(r.code).toBe(0);
    for (const m of j.mutants) {
      expect(m.location).toMatch(/^lowbit_\w+\.v:\d+, module lowbit_\w+, cell /);
      expect(m.reproduce).toContain(`--rtl ${m.dir}`);
    }
  });

  it('a cached rerun does not simulate again', async () => {
    // The first test's verdicts are in the cache: removing a mutant's logs shows whether it ran again.
    for (const d of readdirSync(join(out, 'mutants')).filter((d) => /^\d+$/.test(d))) rmSync(join(out, 'mutants', d, 'logs'), { recursive: true, force: true });
    const t0 = performance.now();
    const r = await run([]);
    const j = JSON.parse(r.stdout);
    expect(j.mutants.every((m: { cached: boolean }) => m.cached)).toBe(true);
    for (const m of j.mutants) expect(existsSync(join(m.dir, 'logs')), m.dir).toBe(false);
    expect(r.code).toBe(0);
    expect(performance.now() - t0).toBeLessThan(120_000);
  });

  it('a deliberately weak check (--vectors 1 --stall 0) scores strictly lower: exit 1, survivors located and reproducible', async () => {
    const strong = JSON.parse((await run([])).stdout);
    const r = await run(['--vectors', '1', '--stall', '0']);
    const j = JSON.parse(r.stdout);
    expect(j.mutants.map((m: { command: string }) => m.command)).toEqual(strong.mutants.map((m: { command: string }) => m.command));
    expect(j.score).toBeLessThan(strong.score);
    expect(j.survived).toBeGreaterThan(0);
    expect(r.code).toBe(1);
    const survivors = j.mutants.filter((x: { status: string }) => x.status === 'survived');
    for (const m of survivors) {
      expect(m.reproduce).toMatch(/ cosim ternary .* --seed 1 --vectors 1 --stall 0 --resets \d+ --sim verilator /);
      expect(m.equivalence).toMatch(/counterexample|inconclusive/);
    }
    // The reproduce command works from any directory and gives the same verdict: the weak check passes the survivor.
    const again = await execa('bash', ['-c', survivors[0].reproduce], { cwd: tmp('elsewhere'), reject: false });
    expect(again.exitCode, String(again.stderr)).toBe(0);
  });

  it('bad input exits 2 naming option, range and value; nothing written', async () => {
    const dir = tmp('mutbad');
    for (const [args, message] of [
      [['--count', '0'], 'count must be an integer in 1..100000, not "0"'],
      [['--jobs', '0'], 'jobs must be an integer in 1..256, not "0"'],
      [['--check', 'lint'], 'check must be one of cosim, prove, not "lint"'],
    ] as const) {
      const r = await lowbit(['mutate', ...DESIGN, ...args, '--out', join(dir, 'out'), '--json'], { cwd: dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, exitCode: 2 });
      expect(readdirSync(dir)).toEqual([]);
    }
  });
});
