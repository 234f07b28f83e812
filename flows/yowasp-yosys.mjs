#!/usr/bin/env node
// Runs the bundled WebAssembly Yosys (@yowasp/yosys) like a native `yosys` binary: the current
// directory is mounted as Yosys's working directory, and files Yosys writes there are written back.
// Usage: node flows/yowasp-yosys.mjs [yosys arguments...]
import { runYosys, version } from '@yowasp/yosys';
import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';

if (process.argv[2] === '--version') {
  process.stdout.write(`Yosys ${version} (@yowasp/yosys)\n`);
  process.exit(0);
}

const MAX_FILE = 64 * 1024 * 1024;
function load(dir) {
  const tree = {};
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'obj_dir' || name.startsWith('.')) continue;
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) tree[name] = load(p);
    else if (st.isFile() && st.size <= MAX_FILE) tree[name] = readFileSync(p);
  }
  return tree;
}

function writeBack(dir, before, after) {
  for (const [name, value] of Object.entries(after ?? {})) {
    const p = join(dir, name);
    if (value instanceof Uint8Array || typeof value === 'string') {
      const old = before?.[name];
      const bytes = typeof value === 'string' ? Buffer.from(value) : value;
      if (!(old instanceof Uint8Array) || Buffer.compare(Buffer.from(old), Buffer.from(bytes)) !== 0) {
        mkdirSync(dirname(p), { recursive: true });
        writeFileSync(p, bytes);
      }
    } else if (value && typeof value === 'object') {
      writeBack(p, before?.[name], value);
    }
  }
}

const cwd = process.cwd();
const files = load(cwd);
const out = (stream) => (bytes) => { if (bytes) stream.write(bytes); };
try {
  const result = await runYosys(process.argv.slice(2), files, { stdout: out(process.stdout), stderr: out(process.stderr) });
  writeBack(cwd, files, result);
  process.exitCode = 0;
} catch (e) {
  if (e && typeof e.code === 'number') {
    writeBack(cwd, files, e.files);
    process.exitCode = e.code;
  } else {
    process.stderr.write(String(e?.stack ?? e) + '\n');
    process.exitCode = 1;
  }
}
