// Paths that just work: RTL in a directory and in files whose names hold spaces, `;`, `$`, `[` and
// `"`, an include directory named that way too (files.f +incdir+), an --out and a build cache named
// that way, and this checkout copied to a path with a space. Every tool sees them: Verilator (lint
// and the harness build with its makefile), Icarus (compile and harness), Yosys (generic and asic
// synthesis) and OpenSTA. The --rtl directory is input only: nothing is written into it.
import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { repoPath } from '../core/paths.js';
import { generated, lowbit, snapshot, tmp } from './helpers.js';

const WEIRD = 'a b;$c[d]"e"';
const SMALL = ['--rows', '1', '--k', '2'];

describe('names with spaces and shell characters reach every tool', () => {
  const root = tmp('paths');
  const rtl = join(root, `rtl ${WEIRD}`);
  const cache = join(root, `ca che ${WEIRD}`);
  const env = { LOWBIT_CACHE: cache };
  let before: string[];

  beforeAll(async () => {
    const gen = join(root, 'gen');
    await generated('ternary', { rows: 1, k: 2 }, { dir: gen });
    mkdirSync(join(rtl, `inc ${WEIRD}`), { recursive: true });
    // The top includes a header found only through the include directory.
    writeFileSync(join(rtl, `inc ${WEIRD}`, 'lb_defs.vh'), '`define LB_PATHS_TEST 1\n');
    const names: string[] = [];
    for (const f of readdirSync(gen).filter((n) => n.endsWith('.v'))) {
      const name = `${WEIRD} ${f}`;
      // File and module names differ now: tell lint that is intended.
      const include = f === 'lowbit_ternary.v' ? '`include "lb_defs.vh"\n' : '';
      writeFileSync(join(rtl, name), `/* verilator lint_off DECLFILENAME */\n${include}${readFileSync(join(gen, f), 'utf8')}`);
      names.push(name);
    }
    cpSync(join(gen, 'params.json'), join(rtl, 'params.json'));
    writeFileSync(join(rtl, 'files.f'), ['// written by paths.test.ts', `+incdir+inc ${WEIRD}`, '', ...names].join('\n') + '\n');
    before = snapshot(rtl);
  });

  const run = (args: string[], out: string) => lowbit([...args, 'ternary', ...SMALL, '--rtl', rtl, '--out', join(root, `out ${out} ${WEIRD}`), '--json'], { env });

  it('lint, cosim (Verilator, Icarus), synth (generic, asic with OpenSTA)', async () => {
    // Two at a time: Verilator's build and Yosys are the slow ones.
    const [lint, ver] = await Promise.all([run(['lint'], 'lint'), run(['cosim', '--vectors', '40', '--seed', '3'], 'ver')]);
    const [ica, gen] = await Promise.all([run(['cosim', '--vectors', '40', '--seed', '3', '--sim', 'iverilog'], 'ica'), run(['synth'], 'gen')]);
    const asic = await run(['synth', '--target', 'asic'], 'asic');
    for (const [what, r] of Object.entries({ lint, ver, ica, gen, asic })) {
      expect(r.code, `${what}: ${r.stderr}`).toBe(0);
      expect(JSON.parse(r.stdout).ok, what).toBe(true);
    }
    const a = JSON.parse(asic.stdout) as { timing: { fmaxMHz: number }; area: number };
    expect(a.timing.fmaxMHz).toBeGreaterThan(0);
    expect(a.area).toBeGreaterThan(0);
    // Outputs went to --out (the quoted scripts among them), none into the RTL directory.
    expect(readdirSync(join(root, `out asic ${WEIRD}`))).toEqual(expect.arrayContaining(['synth-asic.ys', 'sta-timing.tcl', 'netlist-asic.v', 'logs']));
    expect(snapshot(rtl)).toEqual(before);
  });

  it('prove: the sources (a double quote and a glob bracket in their names) staged under plain names, the header too', async () => {
    const r = await lowbit(['prove', 'ternary', ...SMALL, '--rtl', rtl, '--out', join(root, `out prove ${WEIRD}`), '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).status).toBe('proved');
    expect(snapshot(rtl)).toEqual(before);
  });

  it('from a checkout copied to a path with a space, with a fresh cache there', async () => {
    const co = join(root, `check out ${WEIRD}`);
    // The build comes along (bin/lowbit.mjs runs dist/), timestamps kept so the copy is as fresh as the original.
    for (const d of ['bin', 'core', 'api', 'cli', 'dist', 'flows', 'generators', 'hw', 'scripts', 'templates', 'testbenches', 'package.json', 'tsconfig.json', 'tsconfig.build.json']) {
      cpSync(repoPath(d), join(co, d), { recursive: true, preserveTimestamps: true });
    }
    symlinkSync(repoPath('node_modules'), join(co, 'node_modules'));
    const r = await execa(process.execPath, [join(co, 'bin', 'lowbit.mjs'), 'cosim', 'ternary', ...SMALL, '--rtl', rtl, '--out', join(root, `out co ${WEIRD}`), '--vectors', '20', '--seed', '1', '--json'], {
      reject: false,
      env: { LOWBIT_CACHE: join(co, `cache ${WEIRD}`) },
    });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(JSON.parse(String(r.stdout))).toMatchObject({ ok: true, build: { cached: false } });
    expect(snapshot(rtl)).toEqual(before);
  });
});
