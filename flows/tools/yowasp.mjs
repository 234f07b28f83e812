#!/usr/bin/env node
// Runs a bundled WebAssembly tool (@yowasp/yosys, @yowasp/nextpnr-ice40) like a native binary: the
// current directory is loaded into memory as the tool's working directory, and files it writes there
// are written back. So lowbit runs it in a private directory holding only the files that run reads
// (core/runDir.ts, used by core/tool.ts's runTool), never in the user's or an --rtl directory.
// Usage: node flows/tools/yowasp.mjs yosys|nextpnr-ice40 [tool arguments...]
import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { join, dirname } from 'node:path';

const TOOLS = {
  yosys: async () => {
    const m = await import('@yowasp/yosys');
    return { run: m.runYosys, version: `Yosys ${m.version} (@yowasp/yosys)` };
  },
  'nextpnr-ice40': async () => {
    const m = await import('@yowasp/nextpnr-ice40');
    return { run: m.runNextpnrIce40, version: `nextpnr-ice40 ${m.version} (@yowasp/nextpnr-ice40)` };
  },
};
const load_ = TOOLS[process.argv[2]];
if (!load_) {
  process.stderr.write(`usage: node flows/tools/yowasp.mjs ${Object.keys(TOOLS).join('|')} [arguments...]\n`);
  process.exit(2);
}
const tool = await load_();
const args = process.argv.slice(3);
if (args[0] === '--version') {
  process.stdout.write(`${tool.version}\n`);
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
        // Temp file then rename: a kill (time limit, Ctrl-C) never leaves a half-written netlist.
        const tmp = join(dirname(p), `.${name}.tmp-${process.pid}`);
        writeFileSync(tmp, bytes);
        renameSync(tmp, p);
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
  const result = await tool.run(args, files, { stdout: out(process.stdout), stderr: out(process.stderr) });
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
