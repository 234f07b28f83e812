// Every command's run record: run.json in the output directory holds exactly the object --json prints
// (command line, versions, tools, parameters, input hashes, seed, verdict, metrics with units and the
// files they came from, step times), also when a check or a tool fails (ok false); bad input writes
// none. Every command given --rtl DIR leaves DIR byte for byte as it was.
import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentSnapshot, fakeTool, lowbit, tmp } from './helpers.js';
import { VERSION } from '../core/version.js';

const SMALL = ['--rows', '1', '--k', '2'];

/** Runs a command with --json; its stdout object and run.json (in `recordDir`) must be the same object. */
async function recorded(args: string[], recordDir: string, opts: { cwd?: string; env?: Record<string, string>; code?: number } = {}) {
  const r = await lowbit([...args, '--json'], opts);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(opts.code ?? 0);
  const printed = JSON.parse(r.stdout);
  const file = JSON.parse(readFileSync(join(recordDir, 'run.json'), 'utf8'));
  expect(file).toEqual(printed);
  return printed;
}

/** The fields every record has, and metrics with units and sources. */
function checkRecord(rec: Record<string, unknown>, command: string, args: string[], o: { tools?: string[]; inputs?: boolean; metrics?: string[]; seed?: boolean } = {}) {
  expect(rec.command).toBe(command);
  expect(rec.argv).toEqual([...args, '--json']);
  expect(rec.lowbit).toBe(VERSION);
  expect(typeof rec.ok).toBe('boolean');
  expect(new Date(rec.startedAt as string).toISOString()).toBe(rec.startedAt);
  expect(rec.seconds).toBeGreaterThan(0);
  const tools = rec.tools as { name: string; version: string; path: string }[];
  for (const t of tools) {
    expect(t.version, t.name).toBeTruthy();
    expect(t.path, t.name).toBeTruthy();
  }
  expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(o.tools ?? []));
  const inputs = rec.inputs as { path: string; sha256: string }[];
  if (o.inputs !== false) expect(inputs.length).toBeGreaterThan(0);
  for (const i of inputs) {
    expect(i.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(existsSync(i.path), i.path).toBe(true);
  }
  const metrics = rec.metrics as { name: string; value: number; unit: string; source: string }[];
  for (const m of metrics) {
    expect(Number.isFinite(m.value), m.name).toBe(true);
    expect(m.unit, m.name).toBeTruthy();
    expect(m.source, m.name).toMatch(/^\/|^\(/);
  }
  expect(metrics.map((m) => m.name)).toEqual(expect.arrayContaining(o.metrics ?? []));
  const steps = rec.steps as { name: string; seconds: number }[];
  expect(steps.length).toBeGreaterThan(0);
  for (const s of steps) expect(s.seconds).toBeGreaterThanOrEqual(0);
  if (o.seed) expect(typeof rec.seed).toBe('number');
}

describe('run.json: every command, --json and run.json the same object; --rtl DIR never written', () => {
  const root = tmp('runrec');
  const rtl = join(root, 'rtl');
  let before: string[];

  beforeAll(async () => {
    const gen = join(root, 'gen');
    const args = ['gen', 'ternary', ...SMALL, '--out', gen];
    const g = await recorded(args, gen);
    checkRecord(g, 'gen', args, { inputs: false, metrics: ['files'] });
    expect(g).toMatchObject({ ok: true, family: 'ternary', top: 'lowbit_ternary', params: { rows: 1, k: 2 }, dir: gen });
    // The input directory: the generated RTL, plus a hidden file and a folder a careless tool might touch.
    cpSync(gen, rtl, { recursive: true });
    writeFileSync(join(rtl, '.hidden'), 'do not touch\n');
    mkdirSync(join(rtl, 'notes'));
    writeFileSync(join(rtl, 'notes', 'readme.txt'), 'mine\n');
    before = contentSnapshot(rtl);
    expect(before.some((e) => e.startsWith('.hidden '))).toBe(true);
  });

  const out = (name: string) => join(root, `out-${name}`);
  const on = (cmd: string, ...rest: string[]) => [cmd, 'ternary', ...SMALL, '--rtl', rtl, '--out', out(cmd), ...rest];

  it('lint and cosim', async () => {
    const lintArgs = on('lint');
    const cosimArgs = on('cosim', '--vectors', '40', '--seed', '5');
    const [l, c] = await Promise.all([recorded(lintArgs, out('lint')), recorded(cosimArgs, out('cosim'))]);
    checkRecord(l, 'lint', lintArgs, { tools: ['verilator', 'iverilog'], metrics: ['verilator_warnings'] });
    expect(l.verilator.clean).toBe(true);
    checkRecord(c, 'cosim', cosimArgs, { tools: ['verilator'], metrics: ['vectors', 'beats'], seed: true });
    expect(c).toMatchObject({ ok: true, seed: 5, vectors: 40, simulator: 'verilator', dir: out('cosim') });
    // The inputs are the RTL directory's files: sources, files.f and params.json.
    const inputs = (c.inputs as { path: string }[]).map((i) => i.path);
    expect(inputs).toEqual(expect.arrayContaining([join(rtl, 'files.f'), join(rtl, 'params.json'), join(rtl, 'lowbit_ternary.v')]));
    expect(contentSnapshot(rtl)).toEqual(before);
  });

  it('synth (asic: area and OpenSTA timing) and prove', async () => {
    const synthArgs = on('synth', '--target', 'asic');
    const proveArgs = on('prove');
    const [s, p] = await Promise.all([recorded(synthArgs, out('synth')), recorded(proveArgs, out('prove'))]);
    checkRecord(s, 'synth', synthArgs, { tools: ['sta'], metrics: ['area', 'area_per_mac', 'slack', 'fmax', 'macs_per_cycle'] });
    const fmax = (s.metrics as { name: string; value: number; unit: string; source: string }[]).find((m) => m.name === 'fmax')!;
    expect(fmax).toMatchObject({ unit: 'MHz', source: join(out('synth'), 'logs', 'sta-timing.log'), value: s.timing.fmaxMHz });
    const area = (s.metrics as { name: string; unit: string; source: string }[]).find((m) => m.name === 'area_per_mac')!;
    expect(area).toMatchObject({ unit: 'um2/MAC', source: join(out('synth'), 'synth-asic.json') });
    // The liberty is an input too.
    expect((s.inputs as { path: string }[]).some((i) => i.path.endsWith('.lib'))).toBe(true);
    checkRecord(p, 'prove', proveArgs, { metrics: ['cycles'] });
    expect(p).toMatchObject({ ok: true, status: 'proved' });
    expect(contentSnapshot(rtl)).toEqual(before);
  });

  it('power (measured activity) and mutate', async () => {
    const powerArgs = on('power', '--vectors', '4', '--seed', '2');
    const mutateArgs = on('mutate', '--count', '2', '--check', 'prove', '-j', '1');
    const [pw, mu] = await Promise.all([recorded(powerArgs, out('power')), recorded(mutateArgs, out('mutate'))]);
    checkRecord(pw, 'power', powerArgs, { tools: ['sta', 'iverilog', 'vvp'], metrics: ['total_power', 'energy_per_mac', 'fmax'], seed: true });
    expect(pw).toMatchObject({ ok: true, seed: 2, measured: true });
    const e = (pw.metrics as { name: string; value: number; unit: string }[]).find((m) => m.name === 'energy_per_mac')!;
    expect(e).toMatchObject({ unit: 'pJ/MAC', value: pw.energyPerMacPJ });
    checkRecord(mu, 'mutate', mutateArgs, { metrics: ['killed', 'score'], seed: true });
    expect(mu.dir).toBe(join(out('mutate'), 'mutants'));
    expect(contentSnapshot(rtl)).toEqual(before);
  });

  it('pack: run.json beside --out FILE; without --out none is written', async () => {
    const dir = tmp('packrec');
    writeFileSync(join(dir, 'w.json'), JSON.stringify([[1, -1, 0, 1]]));
    const args = ['pack', 'ternary', ...SMALL, '--matrix', join(dir, 'w.json'), '--out', join(dir, 'o', 'packed.json')];
    const p = await recorded(args, join(dir, 'o'));
    checkRecord(p, 'pack', args, { metrics: ['beats', 'wgt_bits'] });
    expect(p.inputs).toEqual([{ path: join(dir, 'w.json'), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(JSON.parse(readFileSync(join(dir, 'o', 'packed.json'), 'utf8')).beats).toEqual(p.beats);
    const bare = await lowbit(['pack', 'ternary', ...SMALL, '--matrix', 'w.json', '--json'], { cwd: dir });
    expect(bare.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['o', 'w.json']);
  });
});

describe('run.json on failures', () => {
  it('a check that fails (a design that does not fit the device): exit 1, run.json with ok false', async () => {
    const o = join(tmp('nofit'), 'o');
    const rec = await recorded(['synth', 'dense', '--rows', '2', '--k', '8', '--target', 'ice40', '--pnr', '--device', 'lp384', '--out', o], o, { code: 1 });
    expect(rec.ok).toBe(false);
    expect(rec.pnr.fits).toBe(false);
  });

  it('a tool that fails: exit 1, run.json with ok false and the error, and --json prints that record', async () => {
    const o = join(tmp('toolfail'), 'o');
    // It answers --version (the version gate runs first) and fails the lint itself.
    const PATH = fakeTool('verilator', 'if [ "$1" = --version ]; then echo "Verilator 5.006"; exit 0; fi\necho "%Error: broken" >&2\nexit 3');
    const rec = await recorded(['lint', 'ternary', ...SMALL, '--out', o], o, { env: { PATH }, code: 1 });
    expect(rec).toMatchObject({ ok: false, kind: 'tool failed', exitCode: 1, command: 'lint' });
    expect(rec.error).toContain('verilator failed (lint) with exit code 3');
  });

  it('bad input: exit 2, no run.json', async () => {
    const dir = tmp('badrec');
    const r = await lowbit(['cosim', 'ternary', ...SMALL, '--vectors', '0', '--out', join(dir, 'o'), '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ ok: false, error: 'vectors must be an integer in 1..1000000000, not "0"', kind: 'error', exitCode: 2 });
    expect(readdirSync(dir)).toEqual([]);
  });
});
