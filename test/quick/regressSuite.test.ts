// Suite files (lowbit regress): the exact text of every kind of defect (file:line:col, path, expected,
// given), matrix expansion, the jobs a suite makes (names, seeds, fan-out), --filter, the shipped JSON
// Schema, and the JUnit XML's shape. No tool runs here.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { repoPath } from '../../core/paths.js';
import { crossProduct, loadSuite } from '../../api/regressSuite.js';
import { deriveSeed, jobFilter, suiteJobs } from '../../api/regressJobs.js';
import { suiteSchemaText } from '../../api/regressSchema.js';
import { junitXml } from '../../api/regressReport.js';
import type { JobResult } from '../../api/regressRunner.js';
import { usageMessage } from './usage.js';

const dir = mkdtempSync(join(tmpdir(), 'lowbit-suite-'));
let n = 0;
/** Writes a suite file and returns its path. */
function suiteFile(text: string, ext = 'yaml'): string {
  const f = join(dir, `s${n++}.${ext}`);
  writeFileSync(f, text);
  return f;
}
/** The error text for a suite, with the file's path replaced by FILE. */
const refusal = (text: string, ext = 'yaml'): string => {
  const f = suiteFile(text, ext);
  return usageMessage(() => loadSuite(f)).replace(f, 'FILE');
};

const ISSUE_EXAMPLE = `defaults: { checks: [lint, { cosim: { vectors: 2000, seeds: 3 } }] }
designs:
  - family: ternary
    params: { rows: 4, k: 16, act_bits: 8 }
    matrix: { encoding: [twos, i2s, base3], pipeline: [0, 2] }   # cross product: 6 designs
    checks: [lint, { cosim: { vectors: 5000, seeds: [1, 2], sim: [verilator, iverilog] } }, { prove: { cycles: 8 } }]
  - family: nmsparse
    params: { n: 2, m: 4, rows: 3, k: 8 }
    checks: [{ cosim: { netlist: asic, vectors: 50 } }, { synth: { target: [ice40, asic] } }, { power: { vectors: 20 } }]
  - family: dense
    params: { rows: 2, k: 4 }
`;

describe('suite files: every defect names the file, line:column, the path, what was expected and what was given', () => {
  const cases: [string, string, string][] = [
    ['an unknown key of a design', 'designs:\n  - family: ternary\n    famly: x\n', 'FILE:3:5: designs[0].famly: unknown key "famly"; expected one of name, family, params, matrix, rtl, top, checks'],
    ['an unknown top-level key', 'designz: []\n', 'FILE:1:1: designz: unknown key "designz"; expected one of $schema, name, seed, defaults, designs, sweeps'],
    ['a missing family', 'designs:\n  - params: { rows: 2 }\n', 'FILE:2:5: designs[0]: missing key "family"'],
    ['a matrix value of the wrong type', 'designs:\n  - family: ternary\n    matrix: { pipeline: [0, two] }\n', 'FILE:3:29: designs[0].matrix.pipeline[1]: expected an integer, got "two"'],
    ['a matrix value out of the family\'s range', 'designs:\n  - family: ternary\n    matrix: { rows: [1, 999] }\n    checks: [lint]\n', 'FILE:3:25: designs[0].matrix.rows[1]: rows must be an integer in 1..256, not 999 (matrix: rows=999)'],
    ['a parameter out of range', 'designs:\n  - family: ternary\n    params: { rows: 0 }\n    checks: [lint]\n', 'FILE:3:21: designs[0].params.rows: rows must be an integer in 1..256, not 0'],
    ['a parameter the family does not have', '{"designs": [{"family": "ternary", "checks": ["lint"], "params": {"k": 3, "bogus": 1}}]}', 'FILE:1:75: designs[0].params.bogus: unknown key "bogus"; expected one of rows, k, act_bits, act_format, fp_mode, out_format, encoding, max_beats, acc_bits, overflow, pipeline'],
    ['an unknown family', 'designs:\n  - family: ternery\n    checks: [lint]\n', 'FILE:2:13: designs[0].family: family must be one of ternary, dense, nmsparse, lutgemm, not "ternery"'],
    ['an unknown check', 'designs:\n  - family: ternary\n    checks: [lnt]\n', 'FILE:3:14: designs[0].checks[0]: expected one of lint, cosim, prove, synth, power, got "lnt"'],
    ['two checks in one entry', 'designs:\n  - family: ternary\n    checks: [{ cosim: { vectors: 5 }, lint: {} }]\n', 'FILE:3:14: designs[0].checks[0]: expected one check name as the only key (one of lint, cosim, prove, synth, power), got 2 keys'],
    ['an unknown check option', 'designs:\n  - family: ternary\n    checks: [{ cosim: { vectorz: 5 } }]\n', 'FILE:3:25: designs[0].checks[0].cosim.vectorz: unknown key "vectorz"; expected one of vectors, seeds, sim, stall, resets, netlist, timeout'],
    ['an option out of the command\'s range (the command\'s words)', 'designs:\n  - family: ternary\n    checks: [{ cosim: { vectors: 0 } }]\n', 'FILE:3:34: designs[0].checks[0].cosim.vectors: vectors must be an integer in 1..1000000000, not 0'],
    ['clock_ns out of range', 'designs:\n  - family: ternary\n    checks: [{ synth: { clock_ns: 0 } }]\n', 'FILE:3:35: designs[0].checks[0].synth.clock_ns: clock-ns must be a number in 0.01..1000000, not 0'],
    ['a simulator not in the list', 'designs:\n  - family: ternary\n    checks: [{ cosim: { sim: [verilator, modelsim] } }]\n', 'FILE:3:42: designs[0].checks[0].cosim.sim[1]: expected one of verilator, iverilog, got "modelsim"'],
    ['seeds as a count out of range', 'designs:\n  - family: ternary\n    checks: [{ cosim: { seeds: 0 } }]\n', 'FILE:3:32: designs[0].checks[0].cosim.seeds: seeds must be an integer in 1..10000, not 0'],
    ['a seed of the wrong type', 'designs:\n  - family: ternary\n    checks: [{ cosim: { seeds: [1, x] } }]\n', 'FILE:3:36: designs[0].checks[0].cosim.seeds[1]: expected an integer, got "x"'],
    ['prove cycles below the design\'s shortest proof, for one matrix combination', 'designs:\n  - family: ternary\n    params: { rows: 2, k: 4 }\n    matrix: { pipeline: [0, 2] }\n    checks: [{ prove: { cycles: 4 } }]\n', 'FILE:5:33: designs[0].checks[0].prove.cycles: cycles must be an integer in 6..1000, not 4 (matrix: pipeline=2)'],
    ['pnr on a target that is not ice40', 'designs:\n  - family: ternary\n    checks: [{ synth: { target: [ice40, asic], pnr: true } }]\n', 'FILE:3:53: designs[0].checks[0].synth.pnr: --pnr needs --target ice40, not asic'],
    ['a check given as a number', 'designs:\n  - family: ternary\n    checks: [{ cosim: 5 }]\n', 'FILE:3:23: designs[0].checks[0].cosim: expected a mapping, got 5'],
    ['no checks anywhere', 'designs:\n  - family: ternary\n', 'FILE:2:5: designs[0]: no checks: give checks: [...] here or in defaults'],
    ['a duplicated design name', 'designs:\n  - { family: ternary, name: a, checks: [lint] }\n  - { family: dense, name: a, checks: [lint] }\n', 'FILE:3:28: designs[1].name: design name "a" is taken by designs[0]; names must be unique'],
    ['a duplicated key', 'designs:\n  - family: ternary\n    family: dense\n', 'FILE:3:5: not valid YAML: Map keys must be unique'],
    ['broken YAML', 'designs:\n  - family: ternary\n    checks: [lint\n', 'FILE:4:1: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ['a list at the top', '- a\n', 'FILE:1:1: (top level): expected a mapping with designs: [...] or sweeps: [...], got a list'],
    ['a suite seed out of range', 'seed: -1\ndesigns: [ { family: ternary, checks: [lint] } ]\n', 'FILE:1:7: seed: seed must be an integer in 0..9007199254740991, not -1'],
    ['a bad default parameter, at the default', 'defaults: { params: { rows: 999 } }\ndesigns:\n  - { family: ternary, checks: [lint] }\n', 'FILE:1:29: defaults.params.rows: rows must be an integer in 1..256, not 999 (in designs[0])'],
  ];
  it.each(cases)('%s', (_what, text, message) => {
    expect(refusal(text)).toBe(message);
  });

  it('broken JSON is named as JSON, and a .json file must be strict JSON (no trailing comma)', () => {
    expect(refusal('{"designs": [', 'json')).toMatch(/^FILE:1:\d+: not valid JSON: /);
    expect(refusal('{"designs": [{"family": "ternary", "checks": ["lint"],}]}', 'json')).toBe('FILE:1:55: not valid JSON: Expected double-quoted property name');
  });

  it('an rtl directory that does not exist, relative to the suite file', () => {
    expect(refusal('designs: [ { family: ternary, checks: [lint], rtl: nowhere } ]')).toBe(`FILE:1:52: designs[0].rtl: rtl must be an existing directory, not ${JSON.stringify(join(dir, 'nowhere'))}`);
  });

  it('a file that is not there', () => {
    expect(usageMessage(() => loadSuite(join(dir, 'missing.yaml')))).toBe(`suite: cannot read ${join(dir, 'missing.yaml')} (no such file)`);
  });
});

describe('matrix expansion and jobs', () => {
  it('the cross product runs in file order, the last key fastest', () => {
    expect(crossProduct({ a: [1, 2], b: ['x', 'y', 'z'] }).map((c) => `${c.a}${c.b}`)).toEqual(['1x', '1y', '1z', '2x', '2y', '2z']);
  });

  it("the issue's example: 6 ternary designs from the matrix, defaults for a design without checks", () => {
    const s = loadSuite(suiteFile(ISSUE_EXAMPLE));
    expect(s.designs.map((d) => d.name)).toEqual([
      'ternary[encoding=twos,pipeline=0]', 'ternary[encoding=twos,pipeline=2]', 'ternary[encoding=i2s,pipeline=0]',
      'ternary[encoding=i2s,pipeline=2]', 'ternary[encoding=base3,pipeline=0]', 'ternary[encoding=base3,pipeline=2]',
      'nmsparse', 'dense',
    ]);
    expect(s.designs[3].design.params).toMatchObject({ rows: 4, k: 16, act_bits: 8, encoding: 'i2s', pipeline: 2 });
    expect(s.designs[7].checks.map((c) => c.name)).toEqual(['lint', 'cosim']);
    const jobs = suiteJobs(s);
    // Per ternary design: lint, 2 seeds x 2 simulators, prove = 6; nmsparse: 1 cosim + 2 synth + power = 4; dense: lint + 3 seeds = 4.
    expect(jobs.length).toBe(6 * 6 + 4 + 4);
    expect(jobs.filter((j) => j.design === 'ternary[encoding=twos,pipeline=0]').map((j) => j.name)).toEqual([
      'ternary[encoding=twos,pipeline=0]/lint',
      'ternary[encoding=twos,pipeline=0]/cosim/verilator/seed=1',
      'ternary[encoding=twos,pipeline=0]/cosim/verilator/seed=2',
      'ternary[encoding=twos,pipeline=0]/cosim/iverilog/seed=1',
      'ternary[encoding=twos,pipeline=0]/cosim/iverilog/seed=2',
      'ternary[encoding=twos,pipeline=0]/prove',
    ]);
    expect(jobs.filter((j) => j.design === 'nmsparse').map((j) => j.name.replace(/seed=\d+/, 'seed=S'))).toEqual([
      'nmsparse/cosim/verilator/netlist=asic/seed=S', 'nmsparse/synth/ice40', 'nmsparse/synth/asic', 'nmsparse/power',
    ]);
    const cosim = jobs.find((j) => j.name.startsWith('nmsparse/cosim'))!;
    expect(cosim.argv).toEqual(expect.arrayContaining(['--netlist', 'asic', '--vectors', '50', '--sim', 'verilator']));
    // Counted seeds are derived from the suite seed (1 by default), the design and the check: the same every time.
    const dense = jobs.filter((j) => j.design === 'dense' && j.check === 'cosim').map((j) => j.seed);
    expect(dense).toEqual([0, 1, 2].map((i) => deriveSeed(1, 'dense', 'cosim', i)));
    expect(new Set(dense).size).toBe(3);
    expect(suiteJobs(loadSuite(suiteFile(ISSUE_EXAMPLE))).map((j) => j.name)).toEqual(jobs.map((j) => j.name));
    // Another suite seed, other seeds.
    expect(suiteJobs(loadSuite(suiteFile(`seed: 7\n${ISSUE_EXAMPLE}`))).find((j) => j.design === 'dense' && j.check === 'cosim')!.seed).not.toBe(dense[0]);
  });

  it('a job command line spells every parameter and option, and an rtl design reads its directory', () => {
    const rtl = mkdtempSync(join(tmpdir(), 'lowbit-suite-rtl-'));
    writeFileSync(join(rtl, 'top.v'), 'module lowbit_ternary; endmodule\n');
    const f = suiteFile(`designs:\n  - family: ternary\n    rtl: ${rtl}\n    params: { rows: 2, k: 4 }\n    checks: [{ synth: { target: ice40, pnr: true, clock_ns: 5 } }, { power: { vectors: 9, seed: 5 } }]\n`);
    const [synth, power] = suiteJobs(loadSuite(f));
    expect(synth.argv.slice(0, 3)).toEqual(['synth', 'ternary', '--rows']);
    expect(synth.argv).toEqual(expect.arrayContaining(['--rtl', rtl, '--pnr', '--clock-ns', '5', '--target', 'ice40']));
    expect(power.argv.filter((w) => w === '--seed')).toHaveLength(1);
    expect(power.argv.slice(-2)).toEqual(['--seed', '5']);
    expect(power.seed).toBe(5);
  });

  it("every job's command line gives parameters its family accepts and that resolve to the design (nmsparse: no encoding with int weights)", () => {
    for (const f of ['smoke.yaml', 'nightly.yaml']) {
      const s = loadSuite(repoPath('examples', 'regress', f));
      for (const j of suiteJobs(s)) {
        const d = s.designs.find((x) => x.name === j.design)!;
        const raw: Record<string, unknown> = {};
        const spec = new Map(d.design.family.schema.params.map((p) => [`--${p.name.replace(/_/g, '-')}`, p]));
        for (let i = 2; i < j.argv.length; i++) {
          const p = spec.get(j.argv[i]);
          if (!p) continue;
          const v = j.argv[++i];
          raw[p.name] = p.kind === 'int' ? Number(v) : p.kind === 'bool' ? v === 'true' : v;
        }
        expect(d.design.family.resolve(raw), j.name).toEqual(d.design.params);
      }
    }
  });

  it('designs without names get unique ones', () => {
    const s = loadSuite(suiteFile('designs:\n  - { family: dense, checks: [lint] }\n  - { family: dense, params: { rows: 2 }, checks: [lint] }\n'));
    expect(s.designs.map((d) => d.name)).toEqual(['dense', 'dense-2']);
  });

  it('--filter: a substring, or a glob with * and ?', () => {
    const names = ['t[p=0]/lint', 't[p=0]/cosim/verilator/seed=1', 't[p=1]/cosim/iverilog/seed=1', 'd/synth/ice40'];
    expect(names.filter(jobFilter('cosim'))).toEqual(names.slice(1, 3));
    expect(names.filter(jobFilter('*iverilog*'))).toEqual([names[2]]);
    expect(names.filter(jobFilter('t[p=?]/*'))).toEqual(names.slice(0, 3));
    expect(names.filter(jobFilter('d/*'))).toEqual([names[3]]);
    expect(names.filter(jobFilter('lint'))).toEqual([names[0]]);
  });
});

describe('the shipped JSON Schema', () => {
  it('schema/suite.schema.json is what api/regressSchema.ts builds (npm run schema)', () => {
    expect(readFileSync(repoPath('schema', 'suite.schema.json'), 'utf8')).toBe(suiteSchemaText());
  });

  it('accepts the example suites, which lowbit loads too; rejects an unknown key and a range violation', () => {
    const validate = new Ajv({ strict: false }).compile(JSON.parse(readFileSync(repoPath('schema', 'suite.schema.json'), 'utf8')));
    const examples = readdirSync(repoPath('examples', 'regress')).filter((f) => f.endsWith('.yaml'));
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const f of examples) {
      const path = repoPath('examples', 'regress', f);
      expect(validate(parse(readFileSync(path, 'utf8'))), `${f}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(suiteJobs(loadSuite(path)).length).toBeGreaterThan(0);
    }
    expect(validate({ designs: [{ family: 'ternary', famly: 1 }] })).toBe(false);
    expect(validate({ designs: [{ family: 'ternary', checks: [{ cosim: { vectors: 0 } }] }] })).toBe(false);
    expect(validate({ designs: [{ family: 'ternary', params: { rows: 999 } }] })).toBe(false);
  });

  it('the smoke example covers every family and every check type', () => {
    const s = loadSuite(repoPath('examples', 'regress', 'smoke.yaml'));
    expect(new Set(s.designs.map((d) => d.design.family.name))).toEqual(new Set(['ternary', 'dense', 'nmsparse', 'lutgemm']));
    expect(new Set(suiteJobs(s).map((j) => j.check))).toEqual(new Set(['lint', 'cosim', 'prove', 'synth', 'power']));
  });
});

describe('JUnit XML', () => {
  const job = (over: Partial<JobResult>): JobResult => ({ index: 0, name: 'd/lint', design: 'd', check: 'lint', status: 'passed', cached: false, seconds: 1.5, command: 'lowbit lint d', key: 'k', ...over });
  const xml = junitXml({
    suite: { file: '/s.yaml', name: 'smoke', sha256: 'x', seed: 1 },
    startedAt: '2026-12-02T00:00:00.000Z',
    host: 'h',
    jobs: [
      job({}),
      job({ index: 1, name: 'd/cosim/verilator/seed=42', check: 'cosim', status: 'failed', seed: 42, message: 'MISMATCH at vector 3 & <row 1>', replay: 'lowbit cosim d --replay 3', vcd: '/v.vcd' }),
      job({ index: 2, name: 'e/synth/ice40', design: 'e', check: 'synth', status: 'error', message: 'yosys failed' }),
      job({ index: 3, name: 'e/power', design: 'e', check: 'power', status: 'skipped' }),
    ],
  });

  it('a testsuite per design, a testcase per job, counts per suite', () => {
    expect(xml.match(/<testsuite /g)).toHaveLength(2);
    expect(xml.match(/<testcase /g)).toHaveLength(4);
    expect(xml).toMatch(/<testsuites tests="4" failures="1" errors="1" skipped="1"/);
    expect(xml).toContain('<testcase classname="smoke.d" name="lint" time="1.5"');
  });

  it('the failure message is the first mismatch (escaped), the seed a property, the replay in the text', () => {
    expect(xml).toContain('<failure message="MISMATCH at vector 3 &amp; &lt;row 1>" type="cosim">');
    expect(xml).toContain('<property name="seed" value="42"/>');
    expect(xml).toContain('replay: lowbit cosim d --replay 3');
    expect(xml).toMatch(/<error message="yosys failed" type="synth"/);
    expect(xml).toMatch(/<testcase classname="smoke.e" name="power"[^>]*>[\s\S]*?<skipped\/>/);
  });
});
