// The bundled WebAssembly Yosys runs in a private directory holding only the files a run declares
// (core/runDir.ts): prove and mutate declare theirs (staged sources and what they include, the
// reference, the miter, the script) as synth does, and nothing else of their working directory.
// runTool is replaced by a recorder here (no Yosys runs); the version probe is a fake yosys.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RunOptions, RunResult } from '../../core/tool.js';
import { ToolFailedError } from '../../core/tool.js';
import { YOSYS } from '../../flows/tools/yosys.js';
import { prove } from '../../flows/prove.js';
import { listMutations, proveEquivalent, writeMutants, MITER_FILE, type Mutation } from '../../flows/mutate.js';
import { stageSources, YOSYS_UNSAFE } from '../../core/stage.js';
import { getFamily } from '../../generators/registry.js';
import { recordingTool, tmp } from '../helpers.js';

const state = vi.hoisted(() => ({ calls: [] as RunOptions[], answer: (_o: RunOptions): string => '' }));
vi.mock('../../core/tool.js', async (original) => {
  const m = await original<typeof import('../../core/tool.js')>();
  return {
    ...m,
    runTool: async (o: RunOptions): Promise<RunResult> => {
      state.calls.push(o);
      const log = state.answer(o);
      mkdirSync(dirname(o.logPath), { recursive: true });
      writeFileSync(o.logPath, log);
      return { seconds: 0, log, logPath: o.logPath };
    },
  };
});

const saved = process.env.LOWBIT_YOSYS;
beforeEach(() => {
  state.calls = [];
  process.env.LOWBIT_YOSYS = recordingTool('yosys', 'echo "Yosys 0.55 (fake)"').path;
});
afterEach(() => {
  if (saved === undefined) delete process.env.LOWBIT_YOSYS;
  else process.env.LOWBIT_YOSYS = saved;
});

/** A design in `src/` whose top includes a header. */
function sources(): string[] {
  const src = join(tmp('yfiles'), 'src');
  mkdirSync(src, { recursive: true });
  writeFileSync(join(src, 'defs.vh'), '`define W 4\n');
  writeFileSync(join(src, 'top.v'), '`include "defs.vh"\nmodule top(input [`W-1:0] a, output [`W-1:0] y); assign y = a; endmodule\n');
  return [join(src, 'top.v')];
}

/** The run is Yosys by its facts, with declared files that exist, cover every file its script reads, and hold nothing else of `cwd`. */
function checkDeclared(o: RunOptions, expected: string[]): void {
  expect(o.tool).toBe(YOSYS);
  expect(o.files, 'declared files').toBeDefined();
  const files = o.files!;
  expect([...files].sort()).toEqual([...expected].sort());
  for (const f of files) expect(existsSync(join(o.cwd!, f)), f).toBe(true);
  const script = o.args[o.args.indexOf('-s') + 1];
  expect(files).toContain(script);
  for (const line of readFileSync(join(o.cwd!, script), 'utf8').split('\n').filter((l) => l.startsWith('read_verilog'))) {
    for (const w of line.split(' ').slice(1).filter((x) => !x.startsWith('-'))) expect(files, line).toContain(w.replace(/^"|"$/g, ''));
  }
}

describe('prove and mutate give the bundled Yosys only the files they read', () => {
  it('prove: staged sources and what they include, the reference, the miter, the script', async () => {
    const files = sources();
    const dir = join(tmp('yprove'), 'proof');
    const staged = stageSources(files, dir, { rename: YOSYS_UNSAFE });
    writeFileSync(join(dir, 'ref.v'), 'module ref; endmodule\n');
    writeFileSync(join(dir, 'miter.v'), 'module lowbit_miter; endmodule\n');
    writeFileSync(join(dir, 'unrelated.vcd'), 'a large trace\n');
    state.answer = () => 'no model found: SUCCESS\n';
    const r = await prove({ dir, files: files.map((f) => join(dir, staged.names.get(f)!)), incdirs: staged.incdirs, read: staged.files, referenceFile: join(dir, 'ref.v'), miterFile: join(dir, 'miter.v'), cycles: 5, timeoutS: 10 }, join(dir, 'prove.log'));
    expect(r.status).toBe('proved');
    expect(state.calls).toHaveLength(1);
    checkDeclared(state.calls[0], ['top.v', 'defs.vh', 'ref.v', 'miter.v', 'prove.ys']);
  });

  it('mutate: the list, the mutants and the equivalence proofs', async () => {
    const files = sources();
    const work = tmp('ymutate');
    state.answer = (o) => {
      if (o.what === 'list') writeFileSync(join(o.cwd!, 'mutations.txt'), 'mutate -mode inv -module top -cell $c -port Y -portbit 0 -src top.v:2\n');
      if (o.what === 'mutants') writeFileSync(join(o.cwd!, 'mutant-0.v'), 'module top; endmodule\n');
      if (o.what === 'equiv-structural') throw new ToolFailedError('yosys', 1, 'unproven', o.logPath, o.what);
      return 'no model found: SUCCESS\n';
    };
    const mutations: Mutation[] = await listMutations(files, 'top', 1, 1, work);
    expect(mutations).toHaveLength(1);
    checkDeclared(state.calls[0], ['top.v', 'defs.vh', 'list.ys']);
    await writeMutants(files, 'top', mutations, work);
    checkDeclared(state.calls[1], ['top.v', 'defs.vh', 'mutants.ys']);
    const family = getFamily('ternary');
    const params = family.resolve({ rows: 1, k: 2 });
    const mdir = join(work, '0');
    const eq = await proveEquivalent({ family, params, top: 'top', files, workDir: work, count: 1, seed: 1, jobs: 1, check: { kind: 'prove', cycles: 5, timeoutS: 10 }, equivCycles: 5, equivTimeoutS: 10 }, mutations[0], mdir);
    expect(eq.equivalence).toBe('proved');
    checkDeclared(state.calls[2], ['top.v', 'defs.vh', 'equiv-structural.ys']);
    checkDeclared(state.calls[3], ['top.v', 'defs.vh', MITER_FILE, 'equiv.ys']);
  });
});
