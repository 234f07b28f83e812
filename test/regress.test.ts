// lowbit regress on this machine, with the real tools: a passing suite and its record, a design broken
// on purpose (JUnit failure with seed and replay; the replay reproduces it), the cache (hits on rerun,
// --no-cache), kill -9 mid-run then a rerun that completes, two runs at once, --rerun-failed,
// --fail-fast, --filter, and a bad suite that writes nothing.
import { describe, expect, it, beforeAll } from 'vitest';
import { execa } from 'execa';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, lowbit, tmp } from './helpers.js';
import type { RegressReport } from '../api/regressReport.js';

/** A suite's directory: the suite file, a broken design's RTL beside it, runs under runs/. */
let dir: string;
const DESIGN = 'params: { rows: 2, k: 4, act_bits: 4 }';

const GOOD = `name: good
designs:
  - family: ternary
    ${DESIGN}
    matrix: { pipeline: [0, 1] }
    checks: [lint, { cosim: { vectors: 300, seeds: 2 } }]
`;
const BROKEN = `name: broken
designs:
  - family: ternary
    name: fine
    ${DESIGN}
    checks: [{ cosim: { vectors: 300 } }]
  - family: ternary
    name: sign-dropped
    rtl: broken
    ${DESIGN}
    checks: [lint, { cosim: { vectors: 300 } }]
`;

function write(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

async function regress(args: string[], env: Record<string, string> = {}) {
  const r = await lowbit(['regress', ...args, '--runs-dir', join(dir, 'runs'), '--json'], { cwd: dir, env });
  let report: RegressReport | undefined;
  try {
    report = JSON.parse(r.stdout) as RegressReport;
  } catch {
    // Asserted by the caller.
  }
  return { ...r, report: report! };
}

const byName = (r: RegressReport) => Object.fromEntries(r.jobs.map((j) => [j.name, j]));

beforeAll(async () => {
  dir = tmp('regress');
  // A design broken on purpose: lane 2 loses its sign, so a negative weight there adds instead of subtracting.
  const g = await lowbit(['gen', 'ternary', '--rows', '2', '--k', '4', '--act-bits', '4', '--out', join(dir, 'broken')]);
  expect(g.code, g.stderr).toBe(0);
  const row = join(dir, 'broken', 'lowbit_ternary_row.v');
  const src = readFileSync(row, 'utf8');
  const edited = src.replace('wire [3:0] t_2 = {4{sg_2}} ^ ', 'wire [3:0] t_2 = ');
  expect(edited).not.toBe(src);
  writeFileSync(row, edited);
});

describe('lowbit regress (local)', () => {
  it('runs a passing suite: exit 0, a record with every job, tools and versions, JUnit where asked; a rerun comes from the cache', async () => {
    const suite = write('good.yaml', GOOD);
    const junit = join(dir, 'ci', 'junit.xml');
    const r = await regress([suite, '-j', '2', '--junit', junit]);
    expect(r.code, r.stderr).toBe(0);
    const rep = r.report;
    expect(rep.ok).toBe(true);
    expect(rep.counts).toEqual({ total: 6, passed: 6, failed: 0, errors: 0, skipped: 0, cached: 0 });
    expect(rep.command).toBe('regress');
    expect(rep.argv?.slice(0, 2)).toEqual(['regress', suite]);
    expect(rep.tools.map((t) => t.name)).toEqual(expect.arrayContaining(['verilator', 'yosys']));
    for (const t of rep.tools) expect(t.version).toBeTruthy();
    expect(rep.host).toBeTruthy();
    expect(Date.parse(rep.endedAt)).toBeGreaterThanOrEqual(Date.parse(rep.startedAt));
    expect(rep.suite.file).toBe(suite);
    for (const j of rep.jobs) {
      expect(j.status, j.name).toBe('passed');
      expect(j.cached).toBe(false);
      expect(existsSync(j.log!), j.log).toBe(true);
      if (j.check === 'cosim') expect(j.seed).toBeTypeOf('number');
    }
    expect(readFileSync(join(rep.runDir, 'run.json'), 'utf8')).toBe(JSON.stringify(rep, null, 2) + '\n');
    expect(readFileSync(junit, 'utf8')).toBe(readFileSync(join(rep.runDir, 'junit.xml'), 'utf8'));
    expect(readFileSync(junit, 'utf8')).toMatch(/<testsuites tests="6" failures="0" errors="0" skipped="0">/);

    // The same suite again: every verdict from the cache, said per job; another run directory.
    const again = await lowbit(['regress', suite, '--runs-dir', join(dir, 'runs')], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.match(/^PASS .*\(cached\)$/gm)).toHaveLength(6);
    expect(again.stdout).toContain('6 passed, 0 failed, 0 errors, 0 skipped (6 from the cache)');
    // --no-cache recomputes.
    const fresh = await regress([suite, '--no-cache', '--filter', '*/lint']);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fresh.report.jobs.map((j) => j.cached)).toEqual([false, false]);
    expect(new Set([rep.runDir, fresh.report.runDir]).size).toBe(2);
  });

  it('a design broken on purpose fails the run: JUnit has the mismatch, the seed and the replay, and the replay reproduces it', async () => {
    const suite = write('broken.yaml', BROKEN);
    const r = await regress([suite, '-j', '2']);
    expect(r.code, r.stderr).toBe(1);
    const jobs = byName(r.report);
    expect(r.report.ok).toBe(false);
    const bad = Object.values(jobs).find((j) => j.name.startsWith('sign-dropped/cosim'))!;
    expect(bad.status).toBe('failed');
    expect(bad.message).toMatch(/^MISMATCH at vector \d+/);
    expect(jobs['sign-dropped/lint'].status).toBe('passed');
    expect(Object.values(jobs).find((j) => j.name.startsWith('fine/'))!.status).toBe('passed');
    // On the terminal (stderr under --json): the mismatch and the replay command, verbatim.
    expect(r.stderr).toContain(bad.message!);
    expect(r.stderr).toContain(`replay: ${bad.replay}`);
    const xml = readFileSync(join(r.report.runDir, 'junit.xml'), 'utf8');
    expect(xml).toContain(`<failure message="${bad.message!.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')}" type="cosim">`);
    expect(xml).toContain(`<property name="seed" value="${bad.seed}"/>`);
    expect(xml).toContain(`replay: ${bad.replay}`);
    expect(existsSync(bad.vcd!)).toBe(true);
    // The replay command, from another directory, fails the same way.
    const replay = await execa('bash', ['-c', bad.replay!], { cwd: tmp('replay'), reject: false });
    expect(replay.exitCode).toBe(1);
    expect(String(replay.stdout)).toContain(bad.message!.replace(/^MISMATCH at /, ''));
  });

  it('--rerun-failed runs only the failures of the last run (or of --from); --fail-fast skips the rest', async () => {
    const suite = write('broken-rerun.yaml', BROKEN);
    const first = await regress([suite, '--filter', 'sign-dropped']);
    expect(first.code).toBe(1);
    const rerun = await regress([suite, '--rerun-failed']);
    expect(rerun.code).toBe(1);
    expect(rerun.report.jobs.map((j) => j.name)).toEqual(first.report.jobs.filter((j) => j.status === 'failed').map((j) => j.name));
    expect(rerun.report.selection?.rerunFailedFrom).toBe(join(first.report.runDir, 'run.json'));
    const from = await regress(['--rerun-failed', '--from', join(first.report.runDir, 'run.json')]);
    expect(from.report.jobs.map((j) => j.name)).toEqual(rerun.report.jobs.map((j) => j.name));
    // --fail-fast, one job at a time, the broken design first: the failure stops the run.
    const ff = write('failfast.yaml', BROKEN.replace(/  - family: ternary\n    name: fine\n    params: \{[^}]*\}\n    checks: \[\{ cosim: \{ vectors: 300 \} \}\]\n/, '') + `  - family: ternary\n    name: after\n    ${DESIGN}\n    checks: [lint]\n`);
    const stopped = await regress([ff, '--fail-fast', '-j', '1', '--no-cache', '--filter', '*cosim*']);
    expect(stopped.code).toBe(1);
    expect(stopped.report.jobs.map((j) => j.status)).toEqual(['failed']);
    const stopped2 = await regress([ff, '--fail-fast', '-j', '1', '--no-cache', '--filter', '*/*']);
    expect(stopped2.report.jobs.map((j) => `${j.name} ${j.status}`)).toEqual(['sign-dropped/lint passed', expect.stringMatching(/^sign-dropped\/cosim\/.* failed$/), 'after/lint skipped']);
  });

  it('kill -9 in the middle of a run leaves no entry that looks complete; the next run completes', async () => {
    const suite = write('kill.yaml', GOOD.replace('vectors: 300', 'vectors: 20000').replace('name: good', 'name: kill'));
    const runs = join(dir, 'runs-kill');
    const cacheEntries = (): string[] => {
      const root = join(process.env.LOWBIT_CACHE!, 'regress');
      return existsSync(root) ? readdirSync(root).flatMap((d) => readdirSync(join(root, d)).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''))) : [];
    };
    const before = new Set(cacheEntries());
    const child = execa(process.execPath, [CLI, 'regress', suite, '-j', '2', '--runs-dir', runs], { cwd: dir, reject: false });
    // Wait until a job has finished and others are running, then kill -9 the runner.
    const t0 = Date.now();
    const results = () => (existsSync(runs) ? readdirSync(runs).flatMap((d) => (existsSync(join(runs, d, 'results')) ? readdirSync(join(runs, d, 'results')).filter((f) => /^\d+\.json$/.test(f)) : [])) : []);
    while (results().length < 1 && Date.now() - t0 < 300_000) await new Promise((r) => setTimeout(r, 200));
    expect(results().length).toBeGreaterThanOrEqual(1);
    child.kill('SIGKILL');
    await child;
    // Every cache entry the killed run made is a pass it finished and recorded; nothing half-made looks complete.
    const runDir = join(runs, readdirSync(runs)[0]);
    // Only complete result files count (a temp file of an atomic write the kill interrupted is not one).
    const finished = readdirSync(join(runDir, 'results')).filter((f) => /^\d+\.json$/.test(f)).map((f) => JSON.parse(readFileSync(join(runDir, 'results', f), 'utf8')) as { key: string; status: string });
    // (A pass's entry follows its result file: the kill may fall between the two, so an entry may be missing, never extra.)
    const made = cacheEntries().filter((k) => !before.has(k));
    for (const k of made) expect(finished.find((r) => r.key === k)?.status, k).toBe('passed');
    const jobs = (JSON.parse(readFileSync(join(runDir, 'jobs.json'), 'utf8')) as { jobs: { key: string }[] }).jobs;
    expect(finished.length).toBeLessThan(jobs.length);
    const after = await regress([suite, '-j', '2'], {});
    expect(after.code, after.stderr).toBe(0);
    expect(after.report.counts.passed).toBe(6);
    // What finished before the kill may come from the cache; what was cut off ran again.
    expect(after.report.counts.cached).toBeLessThan(6);
  });

  it('on a terminal, a live display: done / failed / running / queued, elapsed; in a log, one line per job', async () => {
    const suite = write('tty.yaml', GOOD);
    const cmd = ['stty rows 40 cols 160;', process.execPath, CLI, 'regress', suite, '--no-cache', '--filter', '*/lint', '--runs-dir', join(dir, 'runs')].map((w, i) => (i === 0 ? w : `'${w}'`)).join(' ');
    const tty = await execa('script', ['-qec', cmd, '/dev/null'], { cwd: dir, reject: false });
    expect(tty.exitCode, String(tty.stdout)).toBe(0);
    expect(String(tty.stdout)).toMatch(/\d\/2 done · 0 failed · \d running · \d queued · \dm\d\ds elapsed/);
    const plain = await lowbit(['regress', suite, '--no-cache', '--filter', '*/lint', '--runs-dir', join(dir, 'runs')], { cwd: dir });
    expect(plain.stdout).not.toContain('queued');
    expect(plain.stdout.match(/^PASS  ternary\[pipeline=\d\]\/lint  \d+\.\d s$/gm)).toHaveLength(2);
  });

  it('two runs of one suite at once: both complete, each in its own directory, sharing the cache', async () => {
    const suite = write('twice.yaml', GOOD.replace('name: good', 'name: twice').replace('vectors: 300', 'vectors: 301'));
    const [a, b] = await Promise.all([regress([suite, '-j', '1']), regress([suite, '-j', '1'])]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(a.report.runDir).not.toBe(b.report.runDir);
    for (const r of [a, b]) {
      expect(r.report.counts.passed).toBe(6);
      expect(JSON.parse(readFileSync(join(r.report.runDir, 'run.json'), 'utf8')).counts.passed).toBe(6);
    }
  });

  it('a bad suite exits 2 naming file, line:column and path; nothing is written', async () => {
    const suite = write('bad.yaml', 'designs:\n  - family: ternary\n    matrix: { pipeline: [0, 99] }\n    checks: [lint]\n');
    const runs = join(dir, 'runs-bad');
    const good = write('good-bad.yaml', GOOD);
    const r = await lowbit(['regress', suite, '--runs-dir', runs], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${suite}:3:29: designs[0].matrix.pipeline[1]: pipeline must be`);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(existsSync(runs)).toBe(false);
    const f = await lowbit(['regress', good, '--runs-dir', runs, '--filter', 'nothing-like-this'], { cwd: dir });
    expect(f.code).toBe(2);
    expect(f.stderr).toContain('filter "nothing-like-this" matches none of the suite\'s 6 jobs');
    expect(existsSync(runs)).toBe(false);
    // Bad options: exit 2, the option, its range and the value; nothing written.
    for (const [args, text] of [
      [['-j', '0'], 'jobs must be an integer in 1..1024, not "0"'],
      [['--partition', 'p'], '--partition, --slurm-arg and --slurm-chunk need --scheduler slurm'],
      [['--from', 'x.json'], '--from needs --rerun-failed'],
      [['--scheduler', 'pbs'], "option '--scheduler <name>' argument 'pbs' is invalid"],
      [['--seed', '-1'], 'seed must be an integer in 0..9007199254740991, not "-1"'],
    ] as const) {
      const b = await lowbit(['regress', good, '--runs-dir', runs, ...args], { cwd: dir });
      expect(b.code, args.join(' ')).toBe(2);
      expect(b.stderr).toContain(text);
    }
    expect(existsSync(runs)).toBe(false);
  });
});
