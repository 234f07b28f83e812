// Every command checks the variables of every tool it will run (from the tools' facts) before it
// writes anything: a LOWBIT_* naming nothing, a directory or a file that is not executable is bad input
// (exit 2) naming the variable, its value and what it may hold, and --out is never created.
// No tool runs: the refusal comes first.
import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cosim, demo, lint, mutate, power, prove, replay, synth } from '../../api/index.js';
import { UsageError } from '../../core/errors.js';
import { TOOL_FACTS } from '../../flows/tools/registry.js';
import { tmp } from '../helpers.js';

const VARS = TOOL_FACTS.map((f) => f.envVar);
const saved = Object.fromEntries(VARS.map((v) => [v, process.env[v]]));
afterEach(() => {
  for (const v of VARS) {
    if (saved[v] === undefined) delete process.env[v];
    else process.env[v] = saved[v];
  }
});

const design = { family: 'ternary', params: { rows: 1, k: 2 } };

/** Each command with the variables of the tools it runs (one case per variable). */
const CASES: [string, string, (out: string) => Promise<unknown>][] = [
  ['lint', 'LOWBIT_VERILATOR', (out) => lint({ ...design, out })],
  ['lint', 'LOWBIT_IVERILOG', (out) => lint({ ...design, out })],
  ['cosim', 'LOWBIT_VERILATOR', (out) => cosim({ ...design, out, vectors: 5 })],
  ['cosim --sim iverilog', 'LOWBIT_IVERILOG', (out) => cosim({ ...design, out, vectors: 5, sim: 'iverilog' })],
  ['cosim --sim iverilog', 'LOWBIT_VVP', (out) => cosim({ ...design, out, vectors: 5, sim: 'iverilog' })],
  ['cosim --netlist generic', 'LOWBIT_YOSYS', (out) => cosim({ ...design, out, vectors: 5, netlist: 'generic' })],
  ['cosim --replay', 'LOWBIT_VVP', (out) => replay({ ...design, out, vectors: 5, sim: 'iverilog', seed: 1, vector: 2 })],
  ['synth', 'LOWBIT_YOSYS', (out) => synth({ ...design, out })],
  ['synth --target asic', 'LOWBIT_STA', (out) => synth({ ...design, out, target: 'asic' })],
  ['synth --pnr', 'LOWBIT_NEXTPNR', (out) => synth({ ...design, out, target: 'ice40', pnr: true })],
  ['power', 'LOWBIT_YOSYS', (out) => power({ ...design, out })],
  ['power', 'LOWBIT_IVERILOG', (out) => power({ ...design, out })],
  ['power', 'LOWBIT_VVP', (out) => power({ ...design, out })],
  ['power', 'LOWBIT_STA', (out) => power({ ...design, out })],
  ['power --activity', 'LOWBIT_STA', (out) => power({ ...design, out, activity: 0.1 })],
  ['prove', 'LOWBIT_YOSYS', (out) => prove({ ...design, out })],
  ['mutate', 'LOWBIT_YOSYS', (out) => mutate({ ...design, out, count: 2 })],
  ['mutate', 'LOWBIT_VERILATOR', (out) => mutate({ ...design, out, count: 2 })],
  ['mutate --sim iverilog', 'LOWBIT_VVP', (out) => mutate({ ...design, out, count: 2, sim: 'iverilog' })],
  ['mutate --check prove', 'LOWBIT_YOSYS', (out) => mutate({ ...design, out, count: 2, check: 'prove' })],
  ['demo', 'LOWBIT_IVERILOG', (out) => demo({ out, vectors: 5 })],
  ['demo', 'LOWBIT_YOSYS', (out) => demo({ out, vectors: 5 })],
];

/** Runs `run` with `variable` set to `value`: refused as bad input naming them, and `out` never made. */
async function refused(variable: string, value: string, why: RegExp, run: (out: string) => Promise<unknown>): Promise<void> {
  const out = join(tmp('badenv'), 'o');
  process.env[variable] = value;
  const e = await run(out).then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(UsageError);
  const m = (e as Error).message;
  expect(m).toContain(`${variable} must be`);
  expect(m).toContain(JSON.stringify(value));
  expect(m).toMatch(why);
  expect(existsSync(out), `${out} was written`).toBe(false);
}

describe('a bad tool variable is refused before anything is written', () => {
  for (const [command, variable, run] of CASES) {
    it(`${command}: ${variable}=/nonexistent`, async () => {
      await refused(variable, '/nonexistent/tool', /\/nonexistent\/tool does not exist/, run);
    });
  }

  it('a directory', async () => {
    const dir = tmp('envdir');
    await refused('LOWBIT_STA', dir, /is a directory/, (out) => synth({ ...design, out, target: 'asic' }));
  });

  it('a file that is not executable', async () => {
    const file = join(tmp('envfile'), 'verilator');
    writeFileSync(file, '#!/bin/sh\necho Verilator 5.006\n');
    chmodSync(file, 0o644);
    await refused('LOWBIT_VERILATOR', file, /is not executable/, (out) => lint({ ...design, out }));
  });

  it('the message says what the variable may hold', async () => {
    await refused('LOWBIT_NEXTPNR', '/nonexistent/npr', /"system" \(nextpnr-ice40 from PATH\), the path of a nextpnr-ice40 executable, or unset \(the bundled @yowasp\/nextpnr-ice40\)/, (out) =>
      synth({ ...design, out, target: 'ice40', pnr: true }),
    );
    await refused('LOWBIT_VVP', '/nonexistent/vvp', /LOWBIT_VVP must be the path of a vvp executable, or unset \(vvp from PATH\)/, (out) => cosim({ ...design, out, sim: 'iverilog' }));
  });
});
