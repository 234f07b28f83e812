// The build cache and output directories under concurrency and damage: concurrent runs into one
// folder, sources edited while a build runs, damaged entries, leftovers of killed runs, stale locks.
// Real Verilator on small designs (a build takes seconds); every test has its own LOWBIT_CACHE.
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { delimiter, join } from 'node:path';
import { CLI, lowbit, tmp } from './helpers.js';
import { processStart } from '../core/lock.js';
import { atomicStream, writeFileAtomic } from '../core/fsutil.js';

const A = ['ternary', '--rows', '2', '--k', '3', '--max-beats', '4'];
const B = ['ternary', '--rows', '3', '--k', '2', '--max-beats', '4'];
const cosimArgs = (design: string[], where: string[]) => ['cosim', ...design, '--vectors', '300', '--seed', '5', ...where, '--json'];
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Cache entries of a kind (temp directories and locks are not entries). */
function entries(cache: string, kind = 'verilator'): string[] {
  const dir = join(cache, kind);
  return existsSync(dir) ? readdirSync(dir).filter((n) => /^[0-9a-f]{24}$/.test(n)).sort() : [];
}

function summary(r: { code: number | undefined; stdout: string; stderr: string }) {
  expect(r.code, r.stderr).toBe(0);
  const lines = r.stdout.trim().split('\n');
  expect(lines, r.stdout).toHaveLength(1);
  return JSON.parse(lines[0]);
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const p = execa(process.execPath, ['-e', '']);
  await p;
  return p.pid!;
}

describe('concurrent runs', () => {
  for (const trial of [1, 2, 3]) {
    it(`trial ${trial}: two designs into one --out, 0.15 s apart, both pass and each simulates its own RTL`, async () => {
      const dir = tmp('conc');
      const env = { LOWBIT_CACHE: join(dir, 'cache') };
      const out = join(dir, 'out');
      const [ra, rb] = await Promise.all([
        lowbit(cosimArgs(A, ['--out', out]), { env }),
        sleep(150).then(() => lowbit(cosimArgs(B, ['--out', out]), { env })),
      ]);
      const [ja, jb] = [summary(ra), summary(rb)];
      expect(ja).toMatchObject({ ok: true, params: { rows: 2, k: 3 }, vectors: 300 });
      expect(jb).toMatchObject({ ok: true, params: { rows: 3, k: 2 }, vectors: 300 });
      // One of them waited for the other's output directory, and said so.
      expect(ra.stderr + rb.stderr).toMatch(new RegExp(`waiting for another lowbit run \\(pid \\d+\\) using ${escapeRe(out)}$`, 'm'));
      // Two entries, each built from its own design's sources.
      const es = entries(env.LOWBIT_CACHE);
      expect(es).toHaveLength(2);
      const params = es.map((e) => /Parameters: (rows=\d+ k=\d+)/.exec(readFileSync(join(env.LOWBIT_CACHE, 'verilator', e, 'src', 'lowbit_ternary.v'), 'utf8'))![1]).sort();
      expect(params).toEqual(['rows=2 k=3', 'rows=3 k=2']);
      expect(existsSync(join(out, '.lowbit.lock'))).toBe(false);
    });
  }

  it('one design into two folders at once: one run builds, the other waits for the entry', async () => {
    const dir = tmp('conc-key');
    const env = { LOWBIT_CACHE: join(dir, 'cache') };
    const [ra, rb] = await Promise.all([
      lowbit(cosimArgs(A, ['--out', join(dir, 'a')]), { env }),
      sleep(150).then(() => lowbit(cosimArgs(A, ['--out', join(dir, 'b')]), { env })),
    ]);
    const cachedFlags = [summary(ra), summary(rb)].map((j) => j.build.cached).sort();
    expect(cachedFlags).toEqual([false, true]);
    expect(ra.stderr + rb.stderr).toContain('building cache entry');
    expect(entries(env.LOWBIT_CACHE)).toHaveLength(1);
    expect(readdirSync(join(env.LOWBIT_CACHE, 'verilator'))).toEqual(entries(env.LOWBIT_CACHE));
  });
});

describe('the cache cannot be poisoned', () => {
  it('sources edited while Verilator runs: the entry holds the bytes its key names', async () => {
    const dir = tmp('poison');
    const cache = join(dir, 'cache');
    const rtl = join(dir, 'rtl');
    expect((await lowbit(['gen', ...A, '--out', rtl])).code).toBe(0);
    const rowFile = join(rtl, 'lowbit_ternary_row.v');
    const original = readFileSync(rowFile, 'utf8');
    // The edit: an adder that drops lane 0's carry-in (wrong for a -1 weight there).
    const broken = original.replace(/ \+ \{\d+'d0, sg_0\}/, '');
    expect(broken).not.toBe(original);
    writeFileSync(join(dir, 'broken.v'), broken);

    // A verilator on PATH that rewrites the design's source just as the build starts: after lowbit has
    // hashed the sources, before Verilator reads them (the window that poisoned the cache).
    const real = (await execa('sh', ['-c', 'command -v verilator'])).stdout.trim();
    const shimDir = join(dir, 'shim');
    mkdirSync(shimDir);
    writeFileSync(join(shimDir, 'verilator'), `#!/bin/sh\ncase " $* " in *" --build "*) cp "${join(dir, 'broken.v')}" "${rowFile}";; esac\nexec "${real}" "$@"\n`);
    chmodSync(join(shimDir, 'verilator'), 0o755);
    const during = await lowbit(cosimArgs(A, ['--rtl', rtl]), { env: { LOWBIT_CACHE: cache, PATH: `${shimDir}${delimiter}${process.env.PATH}` } });
    expect(readFileSync(rowFile, 'utf8'), 'the shim edited the source during the build').toBe(broken);
    // The run simulated the sources as they were when it started.
    expect(summary(during)).toMatchObject({ ok: true, build: { cached: false } });
    const [entry] = entries(cache);
    expect(readFileSync(join(cache, 'verilator', entry, 'src', 'lowbit_ternary_row.v'), 'utf8')).toBe(original);

    // The original design, generated afresh elsewhere, finds that entry and passes.
    const fresh = await lowbit(cosimArgs(A, ['--out', join(dir, 'fresh')]), { env: { LOWBIT_CACHE: cache } });
    expect(summary(fresh)).toMatchObject({ ok: true, build: { cached: true } });
    // The edited design gets its own entry, and its bug is found.
    const edited = await lowbit(cosimArgs(A, ['--rtl', rtl]), { env: { LOWBIT_CACHE: cache } });
    expect(edited.code, edited.stderr).toBe(1);
    expect(JSON.parse(edited.stdout)).toMatchObject({ ok: false, build: { cached: false } });
    // Its own entries (the harness, and the traced one of the mismatch's replay); the original's stays.
    expect(entries(cache)).toHaveLength(3);
    expect(entries(cache)).toContain(entry);
    expect(readFileSync(join(cache, 'verilator', entry, 'src', 'lowbit_ternary_row.v'), 'utf8')).toBe(original);
  });
});

describe('damaged entries are rebuilt, never trusted', () => {
  it('a missing harness binary, then a missing entry.json', async () => {
    const dir = tmp('damage');
    const env = { LOWBIT_CACHE: join(dir, 'cache') };
    const run = () => lowbit(cosimArgs(A, ['--out', join(dir, 'out')]), { env });
    expect(summary(await run()).build.cached).toBe(false);
    const [entry] = entries(env.LOWBIT_CACHE);
    const entryDir = join(env.LOWBIT_CACHE, 'verilator', entry);
    expect(summary(await run()).build.cached).toBe(true);

    rmSync(join(entryDir, 'obj', 'harness'));
    const r1 = await run();
    expect(summary(r1)).toMatchObject({ ok: true, build: { cached: false } });
    expect(r1.stderr).toContain(`cache entry ${entryDir} is damaged (obj/harness is missing): rebuilding it`);
    expect(existsSync(join(entryDir, 'obj', 'harness'))).toBe(true);

    rmSync(join(entryDir, 'entry.json'));
    const r2 = await run();
    expect(summary(r2)).toMatchObject({ ok: true, build: { cached: false } });
    expect(r2.stderr).toContain('is damaged (entry.json is missing or unreadable)');
    expect(entries(env.LOWBIT_CACHE)).toEqual([entry]);
  });
});

describe('leftovers of killed runs', () => {
  it('temp directories of dead (or day-old) runs are swept; a dead run\'s lock on the entry is taken over', async () => {
    const dir = tmp('stale');
    const cache = join(dir, 'cache');
    const env = { LOWBIT_CACHE: cache };
    const run = () => lowbit(cosimArgs(A, ['--out', join(dir, 'out')]), { env });
    summary(await run());
    const [entry] = entries(cache);
    const kindDir = join(cache, 'verilator');
    rmSync(join(kindDir, entry), { recursive: true });

    const dead = await deadPid();
    const plant = (name: string) => {
      mkdirSync(join(kindDir, name, 'obj'), { recursive: true });
      writeFileSync(join(kindDir, name, 'obj', 'Vtop__ALL.o'), 'x'.repeat(1000));
      return join(kindDir, name);
    };
    const deadTmp = plant(`${entry}.tmp-${dead}-0badcafe`);
    const oldTmp = plant(`stage.tmp-${process.pid}-0ldd1r00`);
    const twoDaysAgo = new Date(Date.now() - 2 * 86400e3);
    utimesSync(oldTmp, twoDaysAgo, twoDaysAgo);
    const liveTmp = plant(`stage.tmp-${process.pid}-11fe1111`);
    writeFileSync(join(kindDir, `${entry}.lock`), JSON.stringify({ pid: dead, start: 1, host: hostname(), token: 'dead0000', since: Date.now() }));

    const r = await run();
    expect(summary(r)).toMatchObject({ ok: true, build: { cached: false } });
    expect(existsSync(deadTmp)).toBe(false);
    expect(existsSync(oldTmp)).toBe(false);
    expect(existsSync(liveTmp), 'a live run\'s temp directory is left alone').toBe(true);
    expect(existsSync(join(kindDir, `${entry}.lock`))).toBe(false);
    expect(entries(cache)).toEqual([entry]);
  });

  it('a live run\'s output lock makes the next run wait; a lock of a reused pid (wrong start time) is taken over', async () => {
    const dir = tmp('outlock');
    const out = join(dir, 'out');
    mkdirSync(out);
    const lock = join(out, '.lowbit.lock');
    const start = processStart('self');
    expect(start, 'needs /proc').toBeDefined();
    // Held by this (live) test process: gen waits until the lock goes.
    writeFileSync(lock, JSON.stringify({ pid: process.pid, start, host: hostname(), token: 'live0000', since: Date.now() }));
    const gen = execa(process.execPath, [CLI, 'gen', ...A, '--out', out, '--json'], { reject: false, env: { LOWBIT_CACHE: join(dir, 'cache') } });
    let stderr = '';
    gen.stderr!.on('data', (d) => (stderr += String(d)));
    await sleep(3000);
    expect(gen.exitCode, 'gen is still waiting').toBeNull();
    expect(existsSync(join(out, 'files.f'))).toBe(false);
    expect(stderr).toContain(`waiting for another lowbit run (pid ${process.pid}) using ${out}`);
    rmSync(lock);
    const done = await gen;
    expect(done.exitCode, stderr).toBe(0);
    expect(existsSync(join(out, 'files.f'))).toBe(true);

    // Same pid, another start time: the pid was reused by an unrelated process, the lock is stale.
    writeFileSync(lock, JSON.stringify({ pid: process.pid, start: start! + 1, host: hostname(), token: 'reused00', since: Date.now() }));
    const r = await lowbit(['gen', ...A, '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('waiting');
    expect(existsSync(lock)).toBe(false);
  });
});

describe('lowbit cache info / clean', () => {
  /** A cache with three fake entries: 1000, 2000 and 4000 bytes of objects, used 3, 2 and 1 days ago. */
  function fakeCache(): { cache: string; sizes: number[] } {
    const cache = join(tmp('cachecli'), 'cache');
    const sizes: number[] = [];
    for (const [i, size] of [1000, 2000, 4000].entries()) {
      const e = join(cache, 'verilator', `${'abc'.repeat(8).slice(0, 23)}${i}`);
      mkdirSync(join(e, 'obj'), { recursive: true });
      writeFileSync(join(e, 'obj', 'harness'), 'x'.repeat(size));
      const manifest = JSON.stringify({ kind: 'verilator', key: 'k', files: [{ path: 'obj/harness', size }] });
      writeFileSync(join(e, 'entry.json'), manifest);
      const t = new Date(Date.now() - (3 - i) * 86400e3);
      utimesSync(join(e, 'entry.json'), t, t);
      sizes.push(size + manifest.length);
    }
    return { cache, sizes };
  }

  it('info --json: location, size, entries per kind', async () => {
    const { cache, sizes } = fakeCache();
    const r = await lowbit(['cache', 'info', '--json'], { env: { LOWBIT_CACHE: cache } });
    const total = sizes.reduce((a, b) => a + b);
    expect(summary(r)).toEqual({ ok: true, root: cache, entries: 3, bytes: total, kinds: { verilator: { entries: 3, bytes: total } } });
  });

  it('clean --older-than removes the entries unused for that long; --max-size the least recently used; no option, all', async () => {
    const { cache, sizes } = fakeCache();
    const env = { LOWBIT_CACHE: cache };
    const old = summary(await lowbit(['cache', 'clean', '--older-than', '60h', '--json'], { env }));
    expect(old).toEqual({ ok: true, root: cache, removed: { entries: 1, bytes: sizes[0] }, kept: { entries: 2, bytes: sizes[1] + sizes[2] }, swept: { removed: 0, bytes: 0 } });
    expect(entries(cache)).toHaveLength(2);
    // 5K holds the newest (4000 + manifest) but not both.
    const lru = summary(await lowbit(['cache', 'clean', '--max-size', '5K', '--json'], { env }));
    expect(lru).toMatchObject({ removed: { entries: 1, bytes: sizes[1] }, kept: { entries: 1, bytes: sizes[2] } });
    expect(entries(cache)).toEqual([`${'abc'.repeat(8).slice(0, 23)}2`]);
    const all = summary(await lowbit(['cache', 'clean', '--json'], { env }));
    expect(all).toMatchObject({ removed: { entries: 1 }, kept: { entries: 0, bytes: 0 } });
    expect(entries(cache)).toEqual([]);
  });

  const bad: [string[], string][] = [
    [['--older-than', '7'], 'older-than must be a duration like 7d, 12h or 30m (a number and one of s, m, h, d, w), not "7"'],
    [['--older-than', '-1d'], 'older-than must be a duration like 7d, 12h or 30m (a number and one of s, m, h, d, w), not "-1d"'],
    [['--max-size', '2X'], 'max-size must be a size like 500M or 2G (a number of bytes, or with one of K, M, G, T), not "2X"'],
  ];
  for (const [args, message] of bad) {
    it(`clean ${args.join(' ')}: exit 2, nothing removed`, async () => {
      const { cache } = fakeCache();
      const r = await lowbit(['cache', 'clean', ...args, '--json'], { env: { LOWBIT_CACHE: cache } });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
      expect(JSON.parse(r.stdout)).toEqual({ ok: false, error: message, kind: 'error', exitCode: 2 });
      expect(entries(cache)).toHaveLength(3);
    });
  }
});

describe('LOWBIT_CACHE', () => {
  it('a relative path works (resolved against the working directory)', async () => {
    const dir = tmp('relcache');
    const r = await lowbit(cosimArgs(A, ['--out', 'out']), { cwd: dir, env: { LOWBIT_CACHE: join('rel', 'cache') } });
    expect(summary(r)).toMatchObject({ ok: true, build: { cached: false } });
    expect(entries(join(dir, 'rel', 'cache'))).toHaveLength(1);
  });

  it('naming a file: exit 2, a message naming LOWBIT_CACHE, the path and what was expected', async () => {
    const dir = tmp('filecache');
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, '');
    const message = `LOWBIT_CACHE must name a directory (or where one can be created), not ${JSON.stringify(file)}: ${file} is a file`;
    const info = await lowbit(['cache', 'info'], { env: { LOWBIT_CACHE: file } });
    expect(info.code).toBe(2);
    expect(info.stderr).toContain(message);
    expect(info.stderr).not.toContain('    at ');
    const cosim = await lowbit(cosimArgs(A, ['--out', join(dir, 'out')]), { env: { LOWBIT_CACHE: file } });
    expect(cosim.code).toBe(2);
    expect(JSON.parse(cosim.stdout)).toMatchObject({ ok: false, error: message, exitCode: 2 });
    expect(existsSync(join(dir, 'out')), 'nothing written').toBe(false);
  });
});

describe('Icarus compiles from a private copy', () => {
  it('a passing run leaves no copy behind, and neither does a failed compile', async () => {
    const dir = tmp('icarus');
    const out = join(dir, 'out');
    const ok = await lowbit(cosimArgs(A, ['--sim', 'iverilog', '--out', out]), { env: { LOWBIT_CACHE: join(dir, 'cache') } });
    expect(summary(ok)).toMatchObject({ ok: true, simulator: 'iverilog' });
    expect(readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]);
    const rtl = join(dir, 'rtl');
    mkdirSync(rtl);
    writeFileSync(join(rtl, 'lowbit_ternary.v'), 'module lowbit_ternary(;\nendmodule\n');
    const bad = await lowbit(cosimArgs(A, ['--sim', 'iverilog', '--rtl', rtl]), { env: { LOWBIT_CACHE: join(dir, 'cache') } });
    expect(bad.code, bad.stderr).toBe(1);
    expect(bad.stderr).toContain('lowbit_ternary.v');
    expect(readdirSync(rtl).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});

describe('atomic writes', () => {
  it('remove their temp file when the rename fails', async () => {
    const dir = tmp('atomic');
    // A non-empty directory where the file should go: the rename fails.
    const target = join(dir, 'result.json');
    mkdirSync(join(target, 'x'), { recursive: true });
    expect(() => writeFileAtomic(target, '{}')).toThrow();
    const s = atomicStream(target);
    s.stream.write('{}');
    await expect(s.commit()).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['result.json']);
  });
});
