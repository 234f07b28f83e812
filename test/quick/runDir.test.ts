// A bundled WebAssembly tool loads its whole working directory into memory, so it runs in a private
// directory holding only the files that run reads (core/runDir.ts, core/tool.ts). A fake bundled
// build (a Node launcher, as flows/tools/yowasp.mjs is one) lists what it can see: never the big
// unrelated file beside the inputs, nor anything of the caller's working directory.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineTool, runTool, ToolFailedError, type ToolFacts } from '../../core/tool.js';
import { privateRunDir } from '../../core/runDir.js';
import { tmp } from '../helpers.js';

/** A launcher that answers --version, then records its directory tree and writes an output (and exits with $FAKE_EXIT). */
const LAUNCHER = `
const fs = require('fs'), path = require('path');
const args = process.argv.slice(2);
if (args[1] === '--version') { console.log('Fake 1.2'); process.exit(0); }
const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? walk(path.join(d, e.name)) : [path.relative('.', path.join(d, e.name))]);
fs.writeFileSync('seen.json', JSON.stringify({ cwd: process.cwd(), files: walk('.').sort(), args, script: fs.readFileSync('run.ys', 'utf8') }));
fs.mkdirSync('out', { recursive: true }); fs.writeFileSync('out/netlist.v', 'module t; endmodule\\n');
console.log('done');
process.exit(Number(process.env.FAKE_EXIT || 0));
`;

function bundledFacts(): ToolFacts {
  const dir = tmp('launcher');
  writeFileSync(join(dir, 'launcher.cjs'), LAUNCHER);
  return defineTool({
    id: 'fakewasm',
    name: 'fakewasm',
    executable: 'fakewasm',
    envVar: 'LOWBIT_FAKEWASM',
    version: { args: ['--version'], pattern: /Fake (\d+\.\d+)/, minimum: '1.0' },
    install: 'apt-get install -y fakewasm',
    log: { warning: /^Warning: /, error: /^ERROR: / },
    bundled: { package: '@fake/wasm', launcher: [join(dir, 'launcher.cjs'), 'tool'], install: 'npm ci' },
  });
}

/** A work directory with the run's inputs and (with `junk`) 16 MB of something else (a VCD, say). */
function workDir(junk = false) {
  const work = tmp('work');
  writeFileSync(join(work, 'run.ys'), 'read_verilog t.v\n');
  writeFileSync(join(work, 't.v'), 'module t; endmodule\n');
  mkdirSync(join(work, 'inc0'));
  writeFileSync(join(work, 'inc0', 'defs.vh'), '`define X 1\n');
  if (junk) writeFileSync(join(work, 'junk.vcd'), Buffer.alloc(16 * 1024 * 1024, 0x41));
  mkdirSync(join(work, 'logs'));
  writeFileSync(join(work, 'logs', 'old.log'), 'old\n');
  mkdirSync(join(work, 'out'));
  return work;
}

describe('bundled tools run in a private directory', () => {
  it('sees only the files the run declares; what it writes comes back; the private directory goes', async () => {
    const facts = bundledFacts();
    const work = workDir(true);
    const before = statSync(join(work, 't.v')).mtimeMs;
    // The caller's own working directory holds a big file too: the tool must not see it either.
    const caller = tmp('caller');
    writeFileSync(join(caller, 'huge.bin'), Buffer.alloc(16 * 1024 * 1024));
    const cwd = process.cwd();
    process.chdir(caller);
    let r;
    try {
      r = await runTool({ tool: facts, args: ['-s', 'run.ys'], cwd: work, files: ['run.ys', 't.v', 'inc0/defs.vh'], logPath: join(work, 'logs', 'fake.log') });
    } finally {
      process.chdir(cwd);
    }
    const seen = JSON.parse(readFileSync(join(work, 'seen.json'), 'utf8'));
    expect(seen.files).toEqual(['inc0/defs.vh', 'run.ys', 't.v']);
    expect(seen.args).toEqual(['tool', '-s', 'run.ys']);
    expect(seen.script).toBe('read_verilog t.v\n');
    expect(seen.cwd).not.toBe(work);
    expect(existsSync(seen.cwd)).toBe(false);
    expect(readFileSync(join(work, 'out', 'netlist.v'), 'utf8')).toBe('module t; endmodule\n');
    // Inputs it did not rewrite are not copied back over the originals.
    expect(statSync(join(work, 't.v')).mtimeMs).toBe(before);
    expect(r.log).toBe('done');
    expect(r.resolved?.kind).toBe('bundled');
    expect(r.version?.version).toBe('1.2');
  });

  it('a failing run still brings back what it wrote (a partial report, a counterexample)', async () => {
    const facts = bundledFacts();
    const work = workDir();
    const e = await runTool({ tool: facts, args: [], cwd: work, files: ['run.ys'], logPath: join(work, 'logs', 'fake.log'), env: { FAKE_EXIT: '3' } }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ToolFailedError);
    expect((e as Error).message).toContain('@fake/wasm failed with exit code 3');
    expect(JSON.parse(readFileSync(join(work, 'seen.json'), 'utf8')).files).toEqual(['run.ys']);
    expect(existsSync(join(work, 'out', 'netlist.v'))).toBe(true);
  });

  it('a bundled run must say what it reads; an input outside its directory is refused', async () => {
    const facts = bundledFacts();
    const work = workDir();
    await expect(runTool({ tool: facts, args: [], cwd: work, logPath: join(work, 'l.log') })).rejects.toThrow('internal: @fake/wasm runs in a private directory: say which files it reads');
    expect(() => privateRunDir(work, ['../etc/passwd'])).toThrow('must be relative to its working directory and inside it');
    expect(() => privateRunDir(work, ['/etc/passwd'])).toThrow('must be relative to its working directory and inside it');
  });

  it('copies back new and rewritten files only, never a temp file left by a killed write', () => {
    const work = workDir();
    const rd = privateRunDir(work, ['run.ys', 't.v']);
    expect(rd.inputs).toEqual(['run.ys', 't.v']);
    writeFileSync(join(rd.dir, 'run.ys'), 'changed\n');
    writeFileSync(join(rd.dir, 'new.json'), '{}');
    writeFileSync(join(rd.dir, '.x.v.tmp-123'), 'half');
    expect(rd.copyBack().sort()).toEqual(['new.json', 'run.ys']);
    expect(readFileSync(join(work, 'run.ys'), 'utf8')).toBe('changed\n');
    rd.remove();
    expect(existsSync(rd.dir)).toBe(false);
  });
});
