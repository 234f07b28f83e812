// Verilator: lint (`--lint-only -Wall`) and cached builds of the stream harness around a design.

import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { checkVersion, defineTool, resolveTool, runTool, type RunResult } from '../../core/tool.js';
import { UsageError } from '../../core/errors.js';
import { cached, hashOf } from '../../core/cache.js';
import { trackTemp } from '../../core/procs.js';
import { includeArgs, stageSources, stagedArgs } from '../../core/stage.js';
import { repoPath } from '../../core/paths.js';
import type { Layout } from '../../generators/common/family.js';

/**
 * Verilator's facts. 5.006 (Debian bookworm's) is the oldest lowbit is tested with: the harness uses
 * VerilatedContext with --x-initial unique seeded by +verilator+seed, and checkPortWidths reads the
 * VL_IN/VL_OUT lines of the header Verilator 5 writes.
 */
export const VERILATOR = defineTool({
  id: 'verilator',
  name: 'verilator',
  executable: 'verilator',
  envVar: 'LOWBIT_VERILATOR',
  version: { args: ['--version'], pattern: /^Verilator (\d+\.\d+)/m, minimum: '5.006' },
  install: 'apt-get install -y verilator',
  log: { warning: /^%Warning/, error: /^%Error/ },
});

/** `verilator --version`, e.g. "Verilator 5.006 2023-01-22 rev (Debian 5.006-3)", version-gated, asked once per process. */
export async function verilatorVersion(): Promise<string> {
  return (await checkVersion(resolveTool(VERILATOR))).text;
}

/** `incdirs`: absolute include directories (files.f), as -I. */
export const lintArgs = (files: string[], top: string, incdirs: string[] = []): string[] => ['--lint-only', '-Wall', '--top-module', top, ...incdirs.map((d) => `-I${d}`), ...files];

/** Lints with every warning on; any warning fails (ToolFailedError with the log's tail). */
export async function lint(files: string[], top: string, logPath: string, incdirs: string[] = []): Promise<RunResult> {
  return runTool({ tool: VERILATOR, args: lintArgs(files, top, incdirs), logPath, what: 'lint' });
}

/**
 * GNU Make refuses to build in a directory whose path holds a space (Verilator's verilated.mk says
 * so and stops), and `$`, `#`, `:` or `;` in a path are make syntax. Such a cache directory is fine
 * for keeping entries; the build itself then runs in a private directory under the system temp dir.
 */
const MAKE_SAFE = /^[A-Za-z0-9_/.,+=@%-]+$/;

/** A directory whose path make can build in, for a build whose cache entry's path it cannot. */
function makeSafeTemp(): string {
  for (const base of [tmpdir(), '/tmp', '/var/tmp']) {
    if (MAKE_SAFE.test(base) && existsSync(base)) return mkdtempSync(join(base, 'lowbit-verilator-'));
  }
  throw new UsageError(`Verilator builds with GNU Make, which cannot build in a path holding spaces or make syntax; the cache (LOWBIT_CACHE) and the temp directory (TMPDIR=${tmpdir()}) both hold such characters: set one of them to a plain path`);
}

/**
 * Runs the staged build (src/ in `tmp`, objects to obj/) where make can; obj/harness and obj/Vtop.h end up in `tmp`.
 * Any harness built with `--prefix Vtop -Mdir obj -o harness` (the stream harness; testbenches/blockCheck.ts's).
 */
export async function verilate(tmp: string, args: string[], logPath: string): Promise<void> {
  if (MAKE_SAFE.test(tmp)) {
    await runTool({ tool: VERILATOR, args, logPath, what: 'build', cwd: tmp, progress: () => buildProgress(join(tmp, 'obj')) });
    return;
  }
  const safe = makeSafeTemp();
  const untrack = trackTemp(safe); // removed on Ctrl-C or TERM too (core/procs.ts)
  try {
    cpSync(join(tmp, 'src'), join(safe, 'src'), { recursive: true });
    try {
      await runTool({ tool: VERILATOR, args, logPath, what: 'build', cwd: safe, progress: () => buildProgress(join(safe, 'obj')) });
    } finally {
      // What the entry keeps (the binary) and what the port-width check reads (the header), failed or not.
      mkdirSync(join(tmp, 'obj'), { recursive: true });
      for (const f of ['harness', 'Vtop.h']) if (existsSync(join(safe, 'obj', f))) copyFileSync(join(safe, 'obj', f), join(tmp, 'obj', f));
    }
  } finally {
    rmSync(safe, { recursive: true, force: true });
    untrack();
  }
}

export interface HarnessBuild {
  binary: string;
  /** True when the build came from the cache. */
  hit: boolean;
  seconds: number;
  key: string;
}

export const HARNESS_SOURCE = repoPath('testbenches', 'harness.cpp');
/** The harness binary inside a cache entry. */
const HARNESS_BINARY = 'obj/harness';

/** Verilator arguments for the harness build (also part of the cache key). */
export function buildArgs(files: string[], top: string, layout: Layout, trace: boolean, mdir: string): string[] {
  const defs = [
    `-DLB_ACT_BITS=${layout.k * layout.actBits}`,
    `-DLB_WGT_BITS=${layout.wgtBits}`,
    `-DLB_OUT_BITS=${layout.rows * layout.accBits}`,
    ...(trace ? ['-DLB_TRACE=1'] : []),
  ];
  return [
    '--cc', '--exe', '--build', '-j', '2',
    '--prefix', 'Vtop', '--top-module', top,
    // Lint is its own step; a user's edited RTL with warnings should still simulate.
    '-Wno-fatal', '-Wno-lint', '-Wno-style',
    // Unknown values become random ones, not zeros: a register a reset forgets holds garbage (the
    // run seeds them: +verilator+rand+reset+2 +verilator+seed+N).
    '--x-assign', 'unique', '--x-initial', 'unique',
    ...(trace ? ['--trace'] : []),
    '-CFLAGS', defs.join(' '),
    '-Mdir', mdir,
    '-o', 'harness',
    HARNESS_SOURCE,
    ...files,
  ];
}

/** The streaming ports whose widths the harness is built for, and what the parameters give them. */
const expectedWidths = (l: Layout): Record<string, number> => ({ in_act: l.k * l.actBits, in_wgt: l.wgtBits, out_data: l.rows * l.accBits });

/**
 * Refuses RTL whose ports do not have the widths the parameters give (RTL made for other parameters):
 * read from the header Verilator wrote (`VL_INW(&in_act,63,0,2);`), so it holds whether or not the
 * harness's own static_asserts stopped the C++ build. Bad input, exit 2, naming every port that differs.
 */
export function checkPortWidths(header: string, l: Layout, where: string): void {
  if (!existsSync(header)) return;
  const text = readFileSync(header, 'utf8');
  const wrong: string[] = [];
  for (const [port, want] of Object.entries(expectedWidths(l))) {
    const m = new RegExp(`VL_(?:IN|OUT)\\w*\\(&${port},(\\d+),(\\d+)`).exec(text);
    if (!m) continue;
    const got = Number(m[1]) - Number(m[2]) + 1;
    if (got !== want) wrong.push(`${port} is ${got} bits, the parameters give ${want}`);
  }
  if (wrong.length) throw new UsageError(`the RTL's ports do not match the parameters (${wrong.join('; ')}): it was made for other parameters (${where})`);
}

/**
 * How far a build in `mdir` got, for progress lines: the C++ units Verilator listed (its classes file
 * and the harness) and the objects made so far. Undefined while Verilator itself still runs.
 */
export function buildProgress(mdir: string): string | undefined {
  let units: number;
  let done: number;
  try {
    const mk = readFileSync(join(mdir, 'Vtop_classes.mk'), 'utf8') + readFileSync(join(mdir, 'Vtop.mk'), 'utf8');
    // Unit names are the continuation lines of the VM_*_FAST/SLOW and VM_USER_CLASSES lists (the
    // user directories list holds paths, not units).
    units = [...mk.matchAll(/^\t(\S+)\s*\\?$/gm)].filter((m) => !m[1].includes('/')).length;
    done = readdirSync(mdir).filter((f) => f.endsWith('.o')).length;
  } catch {
    return existsSync(mdir) ? 'Verilator translating to C++' : undefined;
  }
  return units ? `${Math.min(done, units)} of ${units} C++ units compiled` : undefined;
}

/**
 * A rough estimate of a harness build from the number of MACs (rows x k), fitted to builds measured on
 * 2 shared cores (README "Failure modes"): ternary 16x64 15 s / 0.25 GB, 64x256 2 min / 0.5 GB,
 * 128x512 2.0 GB in verilator_bin (its front end, which grows with the design; each g++ unit takes
 * ~0.25 GB) and 138 C++ units of ~6 s each. Peak memory is the largest single process.
 */
export function buildEstimate(l: Layout): { macs: number; seconds: number; peakBytes: number } {
  const macs = l.rows * l.k;
  const seconds = (10 + 0.0073 * macs) * (2 / Math.max(1, Math.min(2, availableParallelism())));
  const peakBytes = Math.max(0.25e9, 0.0304e6 * macs);
  return { macs, seconds, peakBytes };
}

/** Says, before a build that will take long or much memory, what it will cost and what bounds it. */
function warnIfLarge(l: Layout): void {
  const e = buildEstimate(l);
  if (e.seconds < 300 && e.peakBytes < 2e9) return;
  const gb = (b: number) => (b / 1e9).toFixed(1);
  const over = e.peakBytes > 0.8 * totalmem() ? ` (this machine has ${gb(totalmem())} GB: it may run out of memory)` : '';
  process.stderr.write(
    `lowbit: warning: a Verilator build of ${l.rows} x ${l.k} = ${e.macs} MACs takes roughly ${Math.round(e.seconds / 60)} min and ${gb(e.peakBytes)} GB peak memory${over}. ` +
      `--timeout S bounds it (exit 3, nothing left behind); smaller rows or k build in seconds to minutes; the build is cached once done.\n`,
  );
}

/** Builds (or finds in the cache) the harness for these RTL files. */
export async function buildHarness(files: string[], top: string, layout: Layout, trace: boolean, logPath: string, incdirs: string[] = []): Promise<HarnessBuild> {
  const version = await verilatorVersion();
  const t0 = performance.now();
  let args: string[] = [];
  const { dir, hit, key } = await cached('verilator', {
    // Verilator runs in the entry's temp directory on copies under src/: the key is their bytes and
    // the exact command line, which names nothing outside that directory.
    stage: (tmp) => {
      const staged = stageSources([HARNESS_SOURCE, ...files], join(tmp, 'src'), { incdirs });
      args = [...includeArgs(staged, 'src'), ...stagedArgs(buildArgs(files, top, layout, trace, 'obj'), staged, 'src')];
      return hashOf([version, JSON.stringify(args), ...staged.contents]);
    },
    build: async (tmp) => {
      warnIfLarge(layout);
      try {
        await verilate(tmp, args, logPath);
      } catch (e) {
        // A failed build of RTL for other parameters: say that, not "tool failed".
        checkPortWidths(join(tmp, 'obj', 'Vtop.h'), layout, `build log: ${logPath}`);
        throw e;
      }
    },
    required: [HARNESS_BINARY],
    // The objects are only needed to link the harness (a large design leaves hundreds of MB of them).
    trim: (tmp) => {
      for (const f of readdirSync(join(tmp, 'obj'))) if (f !== 'harness' && f !== 'Vtop.h') rmSync(join(tmp, 'obj', f), { recursive: true, force: true });
    },
  });
  checkPortWidths(join(dir, 'obj', 'Vtop.h'), layout, `build log: ${logPath}`);
  return { binary: join(dir, HARNESS_BINARY), hit, seconds: (performance.now() - t0) / 1000, key };
}
