// Shared by the tests: seeds that are printed on failure, temp dirs, running the CLI.
import { execa } from 'execa';
import { chmodSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { getFamily } from '../generators/registry.js';
import { macsPerCycle } from '../generators/common/family.js';
import { generate } from '../api/generate.js';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createHash } from 'node:crypto';
import { repoPath } from '../core/paths.js';

/**
 * Seed for a random test: LOWBIT_TEST_SEED when set (to replay a failure), else derived from the
 * test's name, so every run is reproducible. Put it in assertion messages.
 */
export function testSeed(name: string): number {
  if (process.env.LOWBIT_TEST_SEED) return Number(process.env.LOWBIT_TEST_SEED);
  return createHash('sha256').update(name).digest().readUInt32LE(0);
}

const made: string[] = [];

/** A fresh temp dir, removed after the test file (test/setup.ts) unless LOWBIT_KEEP_TMP is set. */
export function tmp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `lowbit-${prefix}-`));
  made.push(dir);
  return dir;
}

export function removeTmpDirs(): void {
  if (process.env.LOWBIT_KEEP_TMP) return;
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export const CLI = repoPath('bin', 'lowbit.mjs');

export async function lowbit(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = await execa(process.execPath, [CLI, ...args], { reject: false, cwd: opts.cwd, env: opts.env, all: false });
  return { code: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/**
 * A design generated through the API (`generate`) into `dir` (default: a fresh temp dir): the family,
 * resolved parameters, top, directory, sources and MACs per cycle.
 */
export async function generated(name: string, raw: Record<string, unknown>, o: { dir?: string; top?: string } = {}) {
  const family = getFamily(name);
  const dir = o.dir ?? tmp(name);
  const r = await generate({ family, params: raw, top: o.top, out: dir });
  const params = family.resolve(raw);
  return { family, params, top: r.top!, dir, files: r.files, macs: macsPerCycle(family.layout(params)) };
}

/**
 * A generated design in a fresh temp dir, with `edit` applied to its copy of the shared shell
 * (hw/lowbit_stream_acc.v); the edit must change the file, so a template change cannot make a test vacuous.
 */
export async function shellEditedDesign(name: string, raw: Record<string, unknown>, edit?: (src: string) => string) {
  const { family, params, top, dir, files } = await generated(name, raw);
  if (edit) {
    const f = join(dir, 'lowbit_stream_acc.v');
    const src = readFileSync(f, 'utf8');
    const changed = edit(src);
    if (changed === src) throw new Error(`the edit does not apply to ${f}`);
    writeFileSync(f, changed);
  }
  return { family, params, top, dir, files };
}

/** One call of a recording fake tool: its arguments (argv[1..]) and working directory. */
export interface FakeCall {
  argv: string[];
  cwd: string;
}

export interface FakeTool {
  /** The fake's absolute path (for LOWBIT_VERILATOR=... and the like). */
  path: string;
  /** Its directory, then the real PATH. */
  PATH: string;
  /** Every call so far, in order (read from its JSON-lines record). */
  calls(): FakeCall[];
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * A fake tool: a bash script `name` with this body that first appends its argument vector and working
 * directory as one JSON line to a record file (test/recordArgv.bash: builtins only, no process per call
 * beyond the script itself).
 */
export function recordingTool(name: string, body: string): FakeTool {
  const bin = tmp('fakebin');
  const record = join(bin, `${name}.calls.jsonl`);
  const log = `LOWBIT_FAKE_RECORD=${shellQuote(record)} source ${shellQuote(join(import.meta.dirname, 'recordArgv.bash'))} "$@"`;
  writeFileSync(join(bin, name), `#!/bin/bash\n${log}\n${body}\n`);
  chmodSync(join(bin, name), 0o755);
  return {
    path: join(bin, name),
    PATH: `${bin}:${process.env.PATH}`,
    calls: () => (existsSync(record) ? readFileSync(record, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as FakeCall) : []),
  };
}

/** A PATH whose `name` is a shell script with this body (a fake tool for error paths), then the real PATH. */
export function fakeTool(name: string, body: string): string {
  const bin = tmp('fakebin');
  writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
  chmodSync(join(bin, name), 0o755);
  return `${bin}:${process.env.PATH}`;
}

/** One line per entry under `dir` (hidden ones included, sorted, depth first), as `describe` writes it. */
function describeTree(dir: string, describe: (path: string, rel: string) => string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      out.push(describe(p, relative(dir, p)));
      if (lstatSync(p).isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

/** Every path under `dir` with its size and mtime: equal before and after a run means it wrote nothing there. */
export function snapshot(dir: string): string[] {
  return describeTree(dir, (p, rel) => {
    const st = statSync(p);
    return `${rel} ${st.isDirectory() ? 'dir' : `${st.size} ${st.mtimeMs}`}`;
  });
}

/**
 * Every entry under `dir`, hidden ones included, with the SHA-256 of each file's bytes (and each
 * link's target): equal before and after a run means the run left the directory byte for byte as it was.
 */
export function contentSnapshot(dir: string): string[] {
  return describeTree(dir, (p, rel) => {
    const st = lstatSync(p);
    if (st.isSymbolicLink()) return `${rel} -> ${readlinkSync(p)}`;
    if (st.isDirectory()) return `${rel}/`;
    return `${rel} ${createHash('sha256').update(readFileSync(p)).digest('hex')} ${st.mode.toString(8)}`;
  });
}
