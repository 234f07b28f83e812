// Time limits, signals and tool failures: what a run leaves behind when it is stopped (nothing: no
// process, no temp entry, no lock) and how a broken tool is told from a missing one. Fake tools
// (scripts on a temp PATH) for the error paths; real Verilator for one time limit.
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { processStart } from '../core/lock.js';
import { join } from 'node:path';
import { CLI, fakeTool, lowbit, tmp } from './helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Running (not a zombie: reparented orphans may wait for a reaper) process with this pid. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    return false;
  }
}

/** Pids of live processes whose working directory is under `dir` (a build in a cache). */
function processesIn(dir: string): number[] {
  const out: number[] = [];
  for (const p of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      if (readlinkSync(`/proc/${p}/cwd`).startsWith(dir) && alive(Number(p))) out.push(Number(p));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

/** Everything in a cache that is not a finished entry: temp directories and files, locks. */
function litter(cache: string): string[] {
  if (!existsSync(cache)) return [];
  return readdirSync(cache, { recursive: true, encoding: 'utf8' }).filter((n) => /\.tmp-|\.lock/.test(n));
}

/** A verilator that answers --version and otherwise "builds" for a minute: a child sleep and itself, pids in $PIDS. */
const SLOW_VERILATOR = 'if [ "$1" = --version ]; then echo "Verilator 5.006 2023-01-22"; exit 0; fi\nsleep 60 &\necho $! >> "$PIDS"\necho $$ >> "$PIDS"\nsleep 60';

function slowBuild() {
  const dir = tmp('slow');
  const pids = join(dir, 'pids');
  const env = { PATH: fakeTool('verilator', SLOW_VERILATOR), PIDS: pids, LOWBIT_CACHE: join(dir, 'cache') };
  const out = join(dir, 'out');
  const args = ['cosim', 'ternary', '--rows', '1', '--k', '2', '--vectors', '5', '--seed', '1', '--out', out];
  const readPids = () => (existsSync(pids) ? readFileSync(pids, 'utf8').trim().split('\n').filter(Boolean).map(Number) : []);
  return { dir, env, out, args, readPids, cache: env.LOWBIT_CACHE };
}

async function until(cond: () => boolean, ms = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('condition not met in time');
    await sleep(50);
  }
}

describe('time limits (--timeout): exit 3, the step and the limit named, nothing left behind', () => {
  it('mutate --timeout is the whole run\'s budget too (its proofs have --proof-timeout): exit 3, the step named', async () => {
    const s = slowBuild();
    const args = ['mutate', 'ternary', '--rows', '1', '--k', '2', '--count', '2', '--vectors', '5', '--out', s.out, '--timeout', '3', '--json'];
    const r = await lowbit(args, { env: s.env });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain('did not finish within the time limit (3 s, --timeout)');
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, kind: 'time limit', exitCode: 3 });
    await sleep(200);
    for (const pid of s.readPids()) expect(alive(pid), `pid ${pid}`).toBe(false);
  });

  it('a build that takes longer than --timeout 2 (fake verilator with a child): exit 3 within seconds, its whole process group killed, no temp entry', async () => {
    const s = slowBuild();
    const t0 = performance.now();
    const r = await lowbit([...s.args, '--timeout', '2', '--json'], { env: s.env });
    const seconds = (performance.now() - t0) / 1000;
    expect(r.code, r.stderr).toBe(3);
    expect(seconds).toBeLessThan(10);
    expect(r.stderr).toContain('verilator build did not finish within the time limit (2 s, --timeout)');
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, kind: 'time limit', exitCode: 3 });
    const pids = s.readPids();
    expect(pids).toHaveLength(2);
    await sleep(200);
    for (const pid of pids) expect(alive(pid), `pid ${pid}`).toBe(false);
    expect(litter(s.cache)).toEqual([]);
    expect(existsSync(join(s.out, '.lowbit.lock'))).toBe(false);
  });

  it('a real Verilator build cut by --timeout 2: exit 3, no make/g++ left in the cache, no temp entry', async () => {
    const dir = tmp('realtimeout');
    const cache = join(dir, 'cache');
    const r = await lowbit(['cosim', 'ternary', '--rows', '4', '--k', '16', '--vectors', '5', '--seed', '1', '--out', join(dir, 'o'), '--timeout', '2'], { env: { LOWBIT_CACHE: cache } });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/lowbit: time limit: verilator build did not finish within the time limit \(2 s, --timeout\)/);
    await sleep(200);
    expect(processesIn(cache)).toEqual([]);
    expect(litter(cache)).toEqual([]);
  });

  it('waiting for another run\'s lock counts against the limit: exit 3 naming the wait', async () => {
    const dir = tmp('lockwait');
    const out = join(dir, 'out');
    mkdirSync(out);
    // Held by this (live) test process.
    writeFileSync(join(out, '.lowbit.lock'), JSON.stringify({ pid: process.pid, start: processStart('self'), host: hostname(), token: 'live0000', since: Date.now() }));
    const r = await lowbit(['lint', 'ternary', '--rows', '1', '--k', '2', '--out', out, '--timeout', '2']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain(`waiting for another lowbit run (pid ${process.pid}) holding ${join(out, '.lowbit.lock')} did not finish within the time limit (2 s, --timeout)`);
  });

  it('without a terminal, a long step prints a progress line every 10 s on stderr; stdout stays one JSON object', async () => {
    const s = slowBuild();
    const r = await lowbit([...s.args, '--timeout', '12', '--json'], { env: s.env });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/^lowbit: verilator build running for 10 s$/m);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, kind: 'time limit', exitCode: 3 });
  });

  it('--timeout must be a whole number of seconds (exit 2)', async () => {
    const r = await lowbit(['lint', 'ternary', '--timeout', '0', '--out', join(tmp('badtimeout'), 'o')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('timeout must be an integer in 1..604800, not "0"');
  });
});

describe('signals: running tools killed, temp files removed, locks released', () => {
  for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
    it(`${signal} during a build: exit ${code}, no child process, no *.tmp-* in the cache, no .lowbit.lock`, async () => {
      const s = slowBuild();
      const child = execa(process.execPath, [CLI, ...s.args], { env: s.env, reject: false });
      await until(() => s.readPids().length === 2);
      // The build's temp entry exists while it runs: the test would pass vacuously otherwise.
      expect(litter(s.cache).some((n) => n.includes('.tmp-'))).toBe(true);
      child.kill(signal);
      const r = await child;
      expect(r.exitCode, String(r.stderr)).toBe(code);
      expect(String(r.stderr)).toContain(`interrupted (${signal})`);
      await sleep(200);
      for (const pid of s.readPids()) expect(alive(pid), `pid ${pid}`).toBe(false);
      expect(litter(s.cache)).toEqual([]);
      expect(existsSync(join(s.out, '.lowbit.lock'))).toBe(false);
    });
  }

  it('kill -9 during a build: the watchdog kills the build it left running', async () => {
    const s = slowBuild();
    const child = execa(process.execPath, [CLI, ...s.args], { env: s.env, reject: false });
    await until(() => s.readPids().length === 2);
    child.kill('SIGKILL');
    await child;
    await until(() => s.readPids().every((pid) => !alive(pid)));  // the default 20 s: under a loaded 2-core CI the watchdog shell can be slow to be scheduled
  });
});

describe('tool failures told from missing tools', () => {
  it('a verilator whose --version exits 1 is a tool failure with its output (exit 1), and doctor shows it failing', async () => {
    const PATH = fakeTool('verilator', 'echo "verilator_bin: error while loading shared libraries: libz3.so" >&2\nexit 1');
    const r = await lowbit(['cosim', 'ternary', '--rows', '1', '--k', '2', '--vectors', '5', '--out', join(tmp('brokenver'), 'o')], { env: { PATH } });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('verilator failed (verilator --version) with exit code 1');
    expect(r.stderr).toContain('libz3.so');
    expect(r.stderr).not.toContain('not installed');
    const d = await lowbit(['doctor', '--json'], { env: { PATH } });
    expect(d.code).toBe(1);
    const j = JSON.parse(d.stdout);
    expect(j.ok).toBe(false);
    const v = j.tools.find((t: { tool: string }) => t.tool === 'verilator');
    expect(v).toMatchObject({ ok: false, status: 'failing' });
    expect(v.note).toContain('libz3.so');
    expect(j.tools.find((t: { tool: string }) => t.tool === 'iverilog')).toMatchObject({ ok: true, status: 'ok' });
  });

  it('a tool killed by a signal: the message names the signal', async () => {
    const PATH = fakeTool('verilator', 'if [ "$1" = --version ]; then echo "Verilator 5.006"; exit 0; fi\necho "about to crash"\nkill -SEGV $$');
    const r = await lowbit(['lint', 'ternary', '--rows', '1', '--k', '2', '--out', join(tmp('segv'), 'o')], { env: { PATH } });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('verilator failed (lint): killed by SIGSEGV');
    expect(r.stderr).toContain('about to crash');
  });

  it('a simulator killed by a signal: the message names the signal', async () => {
    // It answers -V (vvp's version is gated before the compile) and dies on the run itself.
    const PATH = fakeTool('vvp', 'if [ "$1" = -V ]; then echo "Icarus Verilog runtime version 11.0 (stable) ()"; exit 0; fi\nkill -ABRT $$');
    const r = await lowbit(['cosim', 'ternary', '--rows', '1', '--k', '2', '--vectors', '5', '--seed', '1', '--sim', 'iverilog', '--out', join(tmp('abrt'), 'o')], { env: { PATH } });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('simulation (iverilog) failed: killed by SIGABRT');
  });

  it('Yosys stat output that does not parse is a tool failure naming the log (exit 1)', async () => {
    const PATH = fakeTool('yosys', 'if [ "$1" = --version ]; then echo "Yosys 0.55 (git sha1 0)"; exit 0; fi\necho "synthesizing"\necho "garbage {" > .synth-generic.stat.json');
    const out = join(tmp('badstat'), 'o');
    const r = await lowbit(['synth', 'ternary', '--rows', '1', '--k', '2', '--out', out], { env: { PATH, LOWBIT_YOSYS: 'system' } });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('yosys failed (synth generic, stat report: its output does not parse) although it exited 0');
    expect(r.stderr).toContain(`full log: ${join(out, 'logs', 'yosys-generic.log')}`);
    expect(r.stderr).not.toContain('    at ');
  });
});
