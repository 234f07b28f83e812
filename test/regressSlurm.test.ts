// `lowbit regress --scheduler slurm` on the one-node cluster (scripts/slurm/up.sh), through the CLI as
// users run it: the same suite gives the same verdicts as the local scheduler; a task cancelled behind
// lowbit's back is reported (error, naming CANCELLED), never lost; --fail-fast cancels the array. Where
// the cluster cannot run (not root, not Debian) every test is skipped with the up script's reason.
// Suites are tiny (ternary rows 2, k 4, act_bits 4); the "long" jobs (2,000,000 vectors: a minute or
// more here) are cancelled, never run to the end. Seeds: the suites' `seed` (printed on failure).
import { beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { execa } from 'execa';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { arrayStates, cancel, isActive, parseJobId, type TaskStatus } from '../flows/tools/slurm.js';
import type { RegressReport } from '../api/regressReport.js';
import { bringUpCluster } from './slurmCluster.js';
import { CLI, lowbit, tmp } from './helpers.js';

const PARAMS = '{ rows: 2, k: 4, act_bits: 4 }';
const SEED = 7;
const LONG_VECTORS = 2_000_000;

/** The ternary RTL with lane 2's sign dropped: cosim mismatches at vector 1 (a directed vector). */
async function brokenRtl(dir: string): Promise<void> {
  const g = await lowbit(['gen', 'ternary', '--rows', '2', '--k', '4', '--act-bits', '4', '--out', dir]);
  expect(g.code, g.stderr).toBe(0);
  const f = join(dir, 'lowbit_ternary_row.v');
  const src = readFileSync(f, 'utf8');
  const edited = src.replace('wire [3:0] t_2 = {4{sg_2}} ^ ', 'wire [3:0] t_2 = ');
  if (edited === src) throw new Error(`the edit does not apply to ${f}`);
  writeFileSync(f, edited);
}

/** A suite file in `dir` (the broken RTL is `dir/broken`) with these design entries (YAML lines). */
function suite(dir: string, name: string, designs: string[]): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, [`name: ${name}`, `seed: ${SEED}`, 'designs:', ...designs].join('\n') + '\n');
  return file;
}
const passing = (name = 'ternary') => `  - { family: ternary, name: ${name}, params: ${PARAMS}, checks: [lint, { cosim: { vectors: 300, seeds: 2 } }] }`;
const broken = `  - { family: ternary, name: broken, rtl: broken, params: ${PARAMS}, checks: [{ cosim: { vectors: 300 } }] }`;
const long = (name: string, seeds = 1) => `  - { family: ternary, name: ${name}, params: ${PARAMS}, checks: [{ cosim: { vectors: ${LONG_VECTORS}, seeds: ${seeds} } }] }`;

/** `lowbit regress ... --json`: exit code, the report, stderr (the progress lines, for messages). */
async function regress(args: string[]) {
  const r = await lowbit(['regress', ...args, '--json']);
  let report: RegressReport;
  try {
    report = JSON.parse(r.stdout) as RegressReport;
  } catch {
    throw new Error(`lowbit regress ${args.join(' ')} printed no report (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  return { code: r.code, report, stderr: r.stderr };
}

const statuses = (r: RegressReport) => r.jobs.map((j) => `${j.name} ${j.status}`);

/** Processes whose command line names `text` (a run directory): none should outlive the run. */
async function processesNaming(text: string): Promise<string[]> {
  const ps = await execa('ps', ['-eo', 'pid=,args='], { reject: false });
  return String(ps.stdout).split('\n').filter((l) => l.includes(text) && !l.includes('ps -eo'));
}

/** Polls `get` every 200 ms until it returns something (at most `ms`). */
async function until<T>(what: string, ms: number, get: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await get();
    if (v !== undefined) return v;
    if (Date.now() - t0 > ms) throw new Error(`gave up waiting ${ms / 1000} s for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}


/** The run directory of a run under `runs`, and the Slurm job id sbatch gave it (from the run's slurm/sbatch.log). */
async function submitted(runs: string): Promise<{ runDir: string; jobId: string }> {
  const runDir = await until('the run directory', 60_000, () => (existsSync(runs) ? readdirSync(runs).map((d) => join(runs, d))[0] : undefined));
  const jobId = await until('sbatch to submit', 60_000, () => {
    try {
      return parseJobId(readFileSync(join(runDir, 'slurm', 'sbatch.log'), 'utf8'));
    } catch {
      return undefined;
    }
  });
  return { runDir, jobId };
}

describe('lowbit regress --scheduler slurm on the one-node cluster (scripts/slurm/up.sh)', () => {
  let skipReason: string | undefined;
  let dir: string;
  beforeAll(async () => {
    const r = bringUpCluster();
    if (!r.ok) {
      skipReason = `no Slurm cluster here: ${r.reason}`;
      console.warn(`regressSlurm.test.ts: skipping: ${skipReason}`);
      return;
    }
    dir = tmp('rslurm');
    await brokenRtl(join(dir, 'broken'));
    console.log(`regressSlurm.test.ts: suites in ${dir}, seed ${SEED}`);
  });
  const needCluster = (ctx: TestContext) => {
    if (skipReason) ctx.skip(skipReason);
  };

  it('runs a suite to the same verdicts as the local scheduler; the record names the Slurm job; JUnit holds the failure with its seed and replay', async (ctx) => {
    needCluster(ctx);
    const file = suite(dir, 'same', [passing(), broken]);
    const runs = join(dir, 'runs-same');
    const local = await regress([file, '--scheduler', 'local', '--no-cache', '--runs-dir', runs]);
    const slurm = await regress([file, '--scheduler', 'slurm', '--no-cache', '--runs-dir', runs]);
    const expected = [/^ternary\/lint passed$/, /^ternary\/cosim\/verilator\/seed=\d+ passed$/, /^ternary\/cosim\/verilator\/seed=\d+ passed$/, /^broken\/cosim\/verilator\/seed=\d+ failed$/];
    expect(statuses(local.report)).toHaveLength(expected.length);
    statuses(local.report).forEach((s, i) => expect(s, local.stderr).toMatch(expected[i]));
    expect(statuses(slurm.report), slurm.stderr).toEqual(statuses(local.report));
    expect([local.code, slurm.code]).toEqual([1, 1]);
    expect(local.report).toMatchObject({ ok: false, scheduler: 'local', counts: { total: 4, passed: 3, failed: 1, errors: 0, skipped: 0, cached: 0 } });
    expect(slurm.report).toMatchObject({ ok: false, scheduler: 'slurm', counts: { total: 4, passed: 3, failed: 1, errors: 0, skipped: 0, cached: 0 } });
    expect(slurm.report.slurm?.jobId).toMatch(/^\d+$/);
    expect(slurm.report.slurm?.version).toMatch(/\d+\.\d+/);
    // The same mismatch either way: the first failure is where the RTL is wrong, not where it ran.
    const bad = (r: RegressReport) => r.jobs.find((j) => j.design === 'broken')!;
    expect(bad(slurm.report).message).toMatch(/^MISMATCH at vector 1 /);
    expect(bad(slurm.report).message).toBe(bad(local.report).message);
    // Each array task wrote its output where the record says.
    for (const i of [0, 1, 2, 3]) expect(existsSync(join(slurm.report.runDir, 'slurm', `task-${i}.out`))).toBe(true);

    const xml = readFileSync(join(slurm.report.runDir, 'junit.xml'), 'utf8');
    const job = bad(slurm.report);
    const testcase = new RegExp(`<testcase classname="same\\.broken"[^>]*>([\\s\\S]*?)</testcase>`).exec(xml)?.[1];
    expect(testcase, xml).toBeDefined();
    const failure = /<failure[\s\S]*?<\/failure>/.exec(testcase!)?.[0];
    expect(failure, testcase).toBeDefined();
    expect(failure).toContain(`seed: ${job.seed}`);
    expect(failure).toMatch(/replay: .*--replay 1/);
    expect(failure).toContain('MISMATCH at vector 1');
    // The passing jobs are testcases without a failure.
    expect(xml.match(/<failure/g)).toHaveLength(1);
  });

  it('reports a task cancelled behind its back (scancel JOB_INDEX) as an error naming CANCELLED; every other job has its result', async (ctx) => {
    needCluster(ctx);
    const file = suite(dir, 'cancel', [long('long'), passing()]);
    const runs = join(dir, 'runs-cancel');
    const t0 = Date.now();
    const run = execa(process.execPath, [CLI, 'regress', file, '--scheduler', 'slurm', '--no-cache', '--runs-dir', runs, '--json'], { reject: false });
    try {
      // sbatch's output (the job id) is in the run directory's slurm/sbatch.log once it has submitted.
      const { runDir, jobId } = await submitted(runs);
      // The long job's array task: tasks.json maps task -> job indices, jobs.json names the jobs.
      const jobs = (JSON.parse(readFileSync(join(runDir, 'jobs.json'), 'utf8')) as { jobs: { index: number; name: string }[] }).jobs;
      const tasks = JSON.parse(readFileSync(join(runDir, 'slurm', 'tasks.json'), 'utf8')) as number[][];
      const longJob = jobs.find((j) => j.name.startsWith('long/'))!;
      const task = tasks.findIndex((t) => t.includes(longJob.index));
      expect(task).toBeGreaterThanOrEqual(0);
      // RUNNING, and lowbit has started the job on the node (its directory exists): then cancel it.
      let seen: TaskStatus[] = [];
      await until(`task ${jobId}_${task} to run`, 120_000, async () => {
        seen = await arrayStates(jobId);
        const t = seen.find((s) => s.index === task);
        if (t && t.state !== 'PENDING' && t.state !== 'RUNNING') throw new Error(`task ${jobId}_${task} ended ${t.state} before it could be cancelled`);
        return t?.state === 'RUNNING' && existsSync(join(runDir, 'jobs')) && readdirSync(join(runDir, 'jobs')).some((d) => d.startsWith(String(longJob.index).padStart(4, '0'))) ? true : undefined;
      });
      await cancel(jobId, task);
      console.log(`regressSlurm.test.ts: cancelled ${jobId}_${task} (${longJob.name}) after ${((Date.now() - t0) / 1000).toFixed(1)} s`);

      const r = await run;
      expect(r.exitCode, String(r.stderr)).toBe(1);
      const report = JSON.parse(String(r.stdout)) as RegressReport;
      expect(report.slurm?.jobId).toBe(jobId);
      // Every job of the suite is in the record, once.
      expect(report.jobs.map((j) => j.index)).toEqual(jobs.map((j) => j.index));
      const cancelled = report.jobs.find((j) => j.index === longJob.index)!;
      expect(cancelled).toMatchObject({ status: 'error', cached: false });
      expect(cancelled.message).toContain('CANCELLED');
      expect(cancelled.message).toContain(`${jobId}_${task}`);
      expect(cancelled.log).toBe(join(runDir, 'slurm', `task-${task}.out`));
      for (const j of report.jobs.filter((x) => x !== cancelled)) expect(`${j.name} ${j.status}`, j.message).toMatch(/ passed$/);
      expect(report.counts).toMatchObject({ total: jobs.length, passed: jobs.length - 1, errors: 1, failed: 0, skipped: 0 });
      // Its result file exists too (a rerun of failures finds it), and the JUnit has it as an error.
      expect(JSON.parse(readFileSync(join(runDir, 'results', `${longJob.index}.json`), 'utf8'))).toMatchObject({ status: 'error' });
      expect(readFileSync(join(runDir, 'junit.xml'), 'utf8')).toMatch(/<error [^>]*message="[^"]*CANCELLED/);
      // The cancelled task took its simulation with it.
      expect(await processesNaming(runDir)).toEqual([]);
    } finally {
      run.kill();
    }
  });

  it('lowbit regress interrupted (TERM) while its array runs cancels the array: nothing runs on unwatched', async (ctx) => {
    needCluster(ctx);
    const file = suite(dir, 'interrupted', [long('long', 3)]);
    const runs = join(dir, 'runs-interrupted');
    const run = execa(process.execPath, [CLI, 'regress', file, '--scheduler', 'slurm', '--no-cache', '--runs-dir', runs, '--json'], { reject: false });
    const { runDir, jobId } = await submitted(runs);
    await until(`a task of ${jobId} to run`, 120_000, async () => ((await arrayStates(jobId)).some((t) => t.state === 'RUNNING') ? true : undefined));
    run.kill('SIGTERM');
    const r = await run;
    expect(r.exitCode).toBe(143);
    expect(JSON.parse(String(r.stdout))).toMatchObject({ ok: false, kind: 'interrupted' });
    // scancel ran as lowbit exited: every task ends CANCELLED (pending ones leave the listing), soon.
    const final = await until(`job ${jobId} to end`, 30_000, async () => {
      const s = await arrayStates(jobId);
      return s.some((t) => isActive(t.state)) ? undefined : s;
    });
    expect(final.every((t) => t.state === 'CANCELLED'), JSON.stringify(final)).toBe(true);
    await until('the tasks\' processes to go', 30_000, async () => ((await processesNaming(runDir)).length === 0 ? true : undefined));
  });

  it('--fail-fast: the first failure cancels the array; the failed job is failed, the others skipped', async (ctx) => {
    needCluster(ctx);
    // The broken job fails within seconds of starting; each long job simulates for a minute or more,
    // so none of them can pass before the array is cancelled (running ones are killed, pending ones
    // never start): which of them had started is timing, and not asserted.
    const file = suite(dir, 'failfast', [broken, long('long', 3)]);
    const runs = join(dir, 'runs-failfast');
    const t0 = Date.now();
    const { code, report, stderr } = await regress([file, '--scheduler', 'slurm', '--no-cache', '--fail-fast', '--runs-dir', runs]);
    const seconds = (Date.now() - t0) / 1000;
    expect(code, stderr).toBe(1);
    expect(statuses(report)).toEqual([
      expect.stringMatching(/^broken\/cosim\/verilator\/seed=\d+ failed$/),
      ...[0, 1, 2].map(() => expect.stringMatching(/^long\/cosim\/verilator\/seed=\d+ skipped$/)),
    ]);
    expect(report.counts).toMatchObject({ total: 4, failed: 1, skipped: 3, passed: 0, errors: 0 });
    for (const j of report.jobs.slice(1)) expect(j.message).toMatch(/fail-fast/);
    // The array has ended: no task of it is left (waitForArray returned), and nothing of the run runs.
    expect((await arrayStates(report.slurm!.jobId)).filter((t) => isActive(t.state))).toEqual([]);
    expect(await processesNaming(report.runDir)).toEqual([]);
    // (How long it took is timing: Verilator builds on a busy machine; printed, not asserted.)
    console.log(`regressSlurm.test.ts: --fail-fast run ended after ${seconds.toFixed(1)} s`);
  });
});
