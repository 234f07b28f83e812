// lowbit as a user gets it: `npm pack`, the tarball installed into a fresh project far from this
// checkout, then used there from JavaScript, from TypeScript (type-checked against the shipped
// declarations) and through `npx lowbit`, with the real Verilator. Nothing in that project may reach
// into the checkout: 'lowbit' resolves inside its node_modules and no file it writes names the checkout.
import { beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { realpathSync } from 'node:fs';
import { tmp } from './helpers.js';
import { REPO_ROOT, repoPath } from '../core/paths.js';
import { getFamily, packMatrix, unpackMatrix, VERSION } from '../api/index.js';
import { staleReason } from '../bin/fresh.mjs'; // is dist/ up to date? (plain JS, typed by bin/fresh.d.mts)

const MINUTES = 60_000;
const require = createRequire(import.meta.url);
/** The same TypeScript and Node types lowbit is checked with, so the install is served from npm's cache. */
const TS_VERSION: string = require('typescript/package.json').version;
const NODE_TYPES_VERSION: string = require('@types/node/package.json').version;

/**
 * The environment of every process run in the user's project: without the npm_* variables `npm test`
 * sets (npm_config_local_prefix and friends would point a nested npm back at this checkout).
 */
function userEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^npm_/i.test(k)) env[k] = v;
  return { ...env, ...extra };
}

async function run(cmd: string, args: string[], cwd: string, extra: Record<string, string> = {}) {
  const r = await execa(cmd, args, { cwd, env: userEnv(extra), extendEnv: false, reject: false, stdin: 'ignore' });
  return { code: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** Every regular file under dir (relative paths), skipping the given top-level folders. */
function filesUnder(dir: string, skip: string[] = []): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (d === dir && skip.includes(e.name)) continue;
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

/** Files under dir whose bytes name this checkout. */
function namingCheckout(dir: string, skip: string[] = []): string[] {
  const needles = [REPO_ROOT, realpathSync(REPO_ROOT)];
  return filesUnder(dir, skip).filter((f) => {
    const p = join(dir, f);
    if (statSync(p).size > 32 * 1024 * 1024) return false;
    const text = readFileSync(p, 'latin1');
    return needles.some((n) => text.includes(n));
  });
}

// The user's data: a 2 x 16 ternary matrix (two beats of k 8) and activations for the golden model.
const W = [
  [1, -1, 0, 1, 1, 0, -1, -1, 0, 0, 1, -1, 1, 1, 1, -1],
  [-1, 0, 0, 1, -1, 1, 1, 0, 1, -1, -1, 0, 0, 1, 0, 1],
];
const A = [5, -3, 127, -128, 0, 9, -1, 64, 2, -77, 12, 100, -5, 3, 8, -9];

const USE_JS = `import { getFamily, packMatrix, unpackMatrix, VERSION } from 'lowbit';
const family = getFamily('ternary');
const p = family.resolve({ rows: 2, k: 8 });
const W = ${JSON.stringify(W)};
const beats = packMatrix(family, p, W);
console.log(JSON.stringify({
  version: VERSION,
  params: p,
  beats: beats.map(String),
  roundTrip: JSON.stringify(unpackMatrix(family, p, beats)) === JSON.stringify(W),
  golden: family.model(p, W, ${JSON.stringify(A)}).map(String),
  resolved: import.meta.resolve('lowbit'),
}));
`;

const USE_TS = `import { getFamily, packMatrix, unpackMatrix, VERSION, UsageError, type Family, type CommonParams, type Layout } from 'lowbit';
const family: Family<CommonParams> = getFamily('ternary');
const p: CommonParams = family.resolve({ rows: 2, k: 8 });
const layout: Layout = family.layout(p);
const beats: bigint[] = packMatrix(family, p, [[1, -1, 0, 1, 1, 0, -1, -1], [0, 0, 1, -1, 1, 1, 1, -1]]);
const back: number[][] = unpackMatrix(family, p, beats);
const golden: bigint[] = family.model(p, back, [1, 2, 3, 4, 5, 6, 7, 8]);
const version: string = VERSION;
try {
  family.resolve({ rows: 0 });
} catch (e) {
  if (!(e instanceof UsageError)) throw e;
}
export const summary = \`\${version} \${layout.wgtBits} \${golden.join(',')}\`;
`;

/** Must not type-check: proves the declarations are real types, not \`any\`. */
const BAD_TS = `import { VERSION, getFamily } from 'lowbit';
const n: number = VERSION;
getFamily('ternary').resolve('rows=2');
export { n };
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true,
    skipLibCheck: false, types: ['node'],
  },
};

describe('the packed package in a fresh project (npm pack, npm install <tarball>)', () => {
  let dir: string; // temp dir holding the tarball, the user's project and its cache
  let proj: string;
  let cache: string;
  let packed: string[];

  beforeAll(async () => {
    // `npm test` has just built dist/; packing here does not rebuild it (--ignore-scripts), because the
    // CLI tests run dist/ in parallel. A stale dist/ fails here, as bin/lowbit.mjs would refuse it.
    const stale = staleReason();
    if (stale) throw new Error(`dist/ is out of date (${stale}): run npm run build`);
    dir = tmp('pkg');
    const pack = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], REPO_ROOT);
    expect(pack.code, pack.stderr).toBe(0);
    const info = JSON.parse(pack.stdout)[0];
    packed = info.files.map((f: { path: string }) => f.path);
    const tarball = join(dir, info.filename);
    proj = join(dir, 'user project');
    cache = join(dir, 'cache');
    mkdirSync(proj);
    expect((await run('npm', ['init', '-y'], proj)).code).toBe(0);
    expect((await run('npm', ['pkg', 'set', 'type=module'], proj)).code).toBe(0);
    const install = await run('npm', ['install', tarball, `typescript@${TS_VERSION}`, `@types/node@${NODE_TYPES_VERSION}`,
      '--prefer-offline', '--no-audit', '--no-fund'], proj);
    expect(install.code, install.stderr).toBe(0);
  }, 10 * MINUTES);

  it('the tarball holds what users need and nothing else', () => {
    const top = new Set(packed.map((f) => f.split('/')[0]));
    expect([...top].sort()).toEqual(['LICENSE', 'README.md', 'bin', 'dist', 'flows', 'hw', 'package.json', 'schema', 'templates', 'testbenches']);
    for (const f of ['dist/api/index.js', 'dist/api/index.d.ts', 'dist/api/index.js.map', 'dist/cli/index.js', 'bin/lowbit.mjs', 'bin/fresh.mjs',
      'flows/tools/yowasp.mjs', 'testbenches/harness.cpp', 'testbenches/icarus_harness.v', 'hw/lowbit_stream_acc.v', 'templates/top.v.hbs', 'schema/suite.schema.json']) {
      expect(packed, f).toContain(f);
    }
    // No TypeScript sources (maps carry theirs inline), tests, scripts, benchmarks' data or build stamp.
    const bad = packed.filter((f) => (f.endsWith('.ts') && !f.endsWith('.d.ts')) || /^(test|scripts|examples)\//.test(f) || f.endsWith('.test.js') || f === 'dist/.built');
    expect(bad).toEqual([]);
    expect(packed.filter((f) => f.startsWith('flows/'))).toEqual(['flows/tools/yowasp.mjs']);
    // Every template, shared RTL file and harness source of the checkout ships.
    for (const d of ['templates', 'hw']) for (const f of filesUnder(repoPath(d))) expect(packed).toContain(`${d}/${f.split(sep).join('/')}`);
  });

  it("'lowbit' resolves inside the project's node_modules; deep imports are closed", async () => {
    const inside = join(realpathSync(proj), 'node_modules', 'lowbit') + sep;
    const r = await run(process.execPath, ['--input-type=module', '-e', `
      import { createRequire } from 'node:module';
      const req = createRequire(process.cwd() + '/x.js');
      let deep;
      try { await import('lowbit/dist/core/bits.js'); deep = 'open'; } catch (e) { deep = e.code; }
      console.log(JSON.stringify({ esm: import.meta.resolve('lowbit'), pkg: req.resolve('lowbit/package.json'), deep }));`], proj);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(realpathSync(fileURLToPath(j.esm))).toBe(join(inside, 'dist', 'api', 'index.js'));
    expect(realpathSync(j.pkg)).toBe(join(inside, 'package.json'));
    expect(j.deep).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
    // The installed package is a copy that names nothing of the checkout (no absolute source paths in maps).
    expect(namingCheckout(join(proj, 'node_modules', 'lowbit'))).toEqual([]);
  });

  it('JavaScript: import the API, resolve a family, pack a matrix, run the golden model', async () => {
    writeFileSync(join(proj, 'use.mjs'), USE_JS);
    const r = await run(process.execPath, ['use.mjs'], proj);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    const family = getFamily('ternary');
    const p = family.resolve({ rows: 2, k: 8 });
    expect(j).toMatchObject({
      version: VERSION,
      params: p,
      beats: packMatrix(family, p, W).map(String),
      roundTrip: true,
      golden: family.model(p, W, A).map(String),
    });
    expect(unpackMatrix(family, p, j.beats.map(BigInt))).toEqual(W);
    expect(realpathSync(fileURLToPath(j.resolved))).toBe(join(realpathSync(proj), 'node_modules', 'lowbit', 'dist', 'api', 'index.js'));
  });

  it('TypeScript: type-checks against the shipped declarations (tsc --noEmit, NodeNext, skipLibCheck off)', async () => {
    writeFileSync(join(proj, 'tsconfig.json'), JSON.stringify({ ...TSCONFIG, include: ['use.ts'] }, null, 2));
    writeFileSync(join(proj, 'use.ts'), USE_TS);
    const tsc = join(proj, 'node_modules', 'typescript', 'bin', 'tsc');
    const ok = await run(process.execPath, [tsc, '-p', '.'], proj);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    // And a wrong use is refused: the declarations carry real types.
    writeFileSync(join(proj, 'tsconfig.bad.json'), JSON.stringify({ ...TSCONFIG, include: ['bad.ts'] }, null, 2));
    writeFileSync(join(proj, 'bad.ts'), BAD_TS);
    const bad = await run(process.execPath, [tsc, '-p', 'tsconfig.bad.json'], proj);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout).toContain("bad.ts(2,7): error TS2322: Type 'string' is not assignable to type 'number'");
    expect(bad.stdout).toMatch(/bad\.ts\(3,\d+\): error TS2345/);
  });

  it('npx lowbit: --version, gen, cosim with the real Verilator, from the installed package', async () => {
    const env = { LOWBIT_CACHE: cache };
    const v = await run('npx', ['lowbit', '--version'], proj, env);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout.trim()).toBe(VERSION);

    const g = await run('npx', ['lowbit', 'gen', 'ternary', '--rows', '2', '--k', '8', '--out', 'x'], proj, env);
    expect(g.code, g.stderr).toBe(0);
    const list = readFileSync(join(proj, 'x', 'files.f'), 'utf8').trim().split('\n');
    expect(list).toContain('lowbit_stream_acc.v');
    for (const f of list) expect(existsSync(join(proj, 'x', f))).toBe(true);
    expect(readFileSync(join(proj, 'x', 'lowbit_stream_acc.v'), 'utf8')).toBe(readFileSync(repoPath('hw', 'lowbit_stream_acc.v'), 'utf8'));

    const c = await run('npx', ['lowbit', 'cosim', 'ternary', '--rows', '2', '--k', '8', '--vectors', '200', '--seed', '1', '--json'], proj, env);
    expect(c.code, c.stderr).toBe(0);
    const j = JSON.parse(c.stdout);
    expect(j).toMatchObject({ ok: true, family: 'ternary', vectors: 200, seed: 1, simulator: 'verilator' });
    expect(c.stdout + c.stderr).not.toContain(REPO_ROOT);

    // Nothing the project or its cache holds names the checkout (the Verilator build used the installed harness).
    expect(namingCheckout(proj, ['node_modules'])).toEqual([]);
    expect(namingCheckout(cache)).toEqual([]);
    // The Verilator build compiled the installed package's harness (the cache keeps the sources it built from).
    const harness = readFileSync(join(proj, 'node_modules', 'lowbit', 'testbenches', 'harness.cpp'), 'utf8');
    expect(filesUnder(cache).filter((f) => f.endsWith(`${sep}harness.cpp`)).map((f) => readFileSync(join(cache, f), 'utf8'))).toContain(harness);
  }, 10 * MINUTES);

  // ---------------------------------------------------------------------------------------------------
  // The example family (examples/xnor, a user-defined family that registers itself with `registerFamily`
  // from 'lowbit'): compiled with tsc in the user's project, co-simulated through the API and through
  // `LOWBIT_FAMILIES=./xnor.js npx lowbit cosim xnor ...`. Runs as soon as examples/xnor is in the tree.
  // ---------------------------------------------------------------------------------------------------
  const XNOR = repoPath('examples', 'xnor');
  describe.skipIf(!existsSync(XNOR))('the example family (examples/xnor) in the user project', () => {
    it('compiles with tsc against the shipped declarations; gen, cosim, synth, prove through npx lowbit; cosim through the API', async () => {
      const src = join(proj, 'xnor-src');
      cpSync(XNOR, src, { recursive: true, filter: (s) => !s.includes(`${sep}node_modules`) });
      const tsFiles = filesUnder(src).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
      writeFileSync(join(proj, 'tsconfig.xnor.json'), JSON.stringify({
        compilerOptions: { ...TSCONFIG.compilerOptions, noEmit: false, outDir: 'xnor', rootDir: 'xnor-src' },
        include: tsFiles.map((f) => `xnor-src/${f.split(sep).join('/')}`),
      }, null, 2));
      const tsc = join(proj, 'node_modules', 'typescript', 'bin', 'tsc');
      const built = await run(process.execPath, [tsc, '-p', 'tsconfig.xnor.json'], proj);
      expect(built.code, built.stdout + built.stderr).toBe(0);
      // tsc compiles code only: the family's own templates go beside its compiled module, as a user's build would copy them.
      for (const f of filesUnder(src).filter((f) => !f.endsWith('.ts'))) cpSync(join(src, f), join(proj, 'xnor', f));
      const entry = existsSync(join(proj, 'xnor', 'index.js')) ? './xnor/index.js' : `./xnor/${tsFiles[0].replace(/\.ts$/, '.js')}`;
      writeFileSync(join(proj, 'xnor.js'), `import ${JSON.stringify(entry)};\n`);
      const env = { LOWBIT_CACHE: cache, LOWBIT_FAMILIES: './xnor.js' };
      const small = ['--rows', '2', '--k', '8'];

      const g = await run('npx', ['lowbit', 'gen', 'xnor', ...small, '--out', 'xnor-gen', '--json'], proj, env);
      expect(g.code, g.stderr).toBe(0);
      expect(JSON.parse(g.stdout)).toMatchObject({ ok: true, family: 'xnor', command: 'gen' });
      expect(existsSync(join(proj, 'xnor-gen', 'run.json'))).toBe(true);

      const c = await run('npx', ['lowbit', 'cosim', 'xnor', ...small, '--vectors', '200', '--seed', '1', '--out', 'xnor-cosim', '--json'], proj, env);
      expect(c.code, c.stderr).toBe(0);
      expect(JSON.parse(c.stdout)).toMatchObject({ ok: true, family: 'xnor', vectors: 200 });

      const y = await run('npx', ['lowbit', 'synth', 'xnor', ...small, '--target', 'generic', '--out', 'xnor-synth', '--json'], proj, env);
      expect(y.code, y.stderr).toBe(0);
      expect(JSON.parse(y.stdout).transistors).toBeGreaterThan(0);

      // A proof is only conclusive on a tiny array (as for the built-in families).
      const pr = await run('npx', ['lowbit', 'prove', 'xnor', '--rows', '1', '--k', '4', '--act-bits', '3', '--max-beats', '2', '--out', 'xnor-prove', '--json'], proj, env);
      expect(pr.code, pr.stdout + pr.stderr).toBe(0);
      expect(JSON.parse(pr.stdout)).toMatchObject({ ok: true, status: 'proved' });

      // The API from the user's own script: the family registered by importing its module, then cosim by name.
      writeFileSync(join(proj, 'api-xnor.mjs'), [
        "import './xnor.js';",
        "import { cosim, families } from 'lowbit';",
        "const r = await cosim({ family: 'xnor', params: { rows: 2, k: 8 }, vectors: 100, seed: 2, out: 'xnor-api' });",
        "console.log(JSON.stringify({ ok: r.ok, vectors: r.vectors, family: r.family, names: families().map((f) => f.name) }));",
      ].join('\n') + '\n');
      const a = await run(process.execPath, ['api-xnor.mjs'], proj, { LOWBIT_CACHE: cache });
      expect(a.code, a.stderr).toBe(0);
      expect(JSON.parse(a.stdout)).toMatchObject({ ok: true, vectors: 100, family: 'xnor' });
      expect(JSON.parse(a.stdout).names).toContain('xnor');
      expect(namingCheckout(join(proj, 'xnor'))).toEqual([]);
    }, 20 * MINUTES);
  });
});

describe('a stale dist/ is never run in a checkout (bin/fresh.mjs)', () => {
  /** A fake checkout: bin/ copied, one source in cli/ and core/, built or not. */
  function fakeCheckout(built: boolean): string {
    const root = tmp('fresh');
    cpSync(repoPath('bin'), join(root, 'bin'), { recursive: true });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'lowbit', version: '0.0.0', type: 'module' }));
    for (const d of ['cli', 'core']) mkdirSync(join(root, d));
    writeFileSync(join(root, 'core', 'x.ts'), 'export const x = 1;\n');
    writeFileSync(join(root, 'cli', 'index.ts'), "console.log('from sources');\n");
    if (built) {
      for (const d of ['cli', 'core']) mkdirSync(join(root, 'dist', d), { recursive: true });
      writeFileSync(join(root, 'dist', 'core', 'x.js'), 'export const x = 1;\n');
      writeFileSync(join(root, 'dist', 'cli', 'index.js'), "console.log('compiled');\n");
      writeFileSync(join(root, 'dist', '.built'), '');
      const later = new Date(Date.now() + 60_000);
      utimesSync(join(root, 'dist', '.built'), later, later);
    }
    return root;
  }

  it('fresh: runs dist/cli/index.js', async () => {
    const root = fakeCheckout(true);
    expect(staleReason(root)).toBeUndefined();
    const r = await run(process.execPath, [join(root, 'bin', 'lowbit.mjs')], root);
    expect(r).toMatchObject({ code: 0, stdout: 'compiled' });
  });

  it('never built, a source changed after the build, a source without its .js: exit 2, "run npm run build"', async () => {
    const never = fakeCheckout(false);
    expect(staleReason(never)).toBe('dist/ has not been built');
    const changed = fakeCheckout(true);
    const later = new Date(Date.now() + 120_000);
    utimesSync(join(changed, 'core', 'x.ts'), later, later);
    expect(staleReason(changed)).toBe('core/x.ts changed after the last build');
    const added = fakeCheckout(true);
    writeFileSync(join(added, 'core', 'y.ts'), 'export const y = 2;\n');
    expect(staleReason(added)).toBe('core/y.ts has no compiled dist/core/y.js');
    for (const root of [never, changed, added]) {
      const r = await run(process.execPath, [join(root, 'bin', 'lowbit.mjs'), 'gen', 'ternary', '--json'], root);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('the compiled CLI in dist/ is out of date');
      expect(r.stderr).toContain('run `npm run build` first');
      expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, kind: 'stale-build', exitCode: 2 });
    }
  });

  it('an installed package (no TypeScript sources) is never checked', () => {
    const root = fakeCheckout(false);
    rmSync(join(root, 'cli', 'index.ts'));
    expect(staleReason(root)).toBeUndefined();
  });
});
