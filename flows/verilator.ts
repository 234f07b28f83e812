// Verilator: lint (`--lint-only -Wall`) and cached builds of the stream harness around a design.

import { execa } from 'execa';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runTool, ToolMissingError, TOOLS, type RunResult } from './tool.js';
import { cached, hashOf } from './cache.js';
import { stageSources, stagedArgs } from './stage.js';
import { repoPath } from '../generators/common/paths.js';
import { wordsFor } from '../generators/common/bits.js';
import type { Layout } from '../generators/common/family.js';

let versionMemo: string | undefined;

/** `verilator --version`, e.g. "Verilator 5.006 2023-01-22 rev (Debian 5.006-3)". */
export async function verilatorVersion(): Promise<string> {
  if (versionMemo) return versionMemo;
  const r = await execa('verilator', ['--version'], { reject: false });
  if ((r as { code?: string }).code === 'ENOENT' || r.exitCode !== 0) throw new ToolMissingError('verilator', TOOLS.verilator.install);
  versionMemo = String(r.stdout).trim();
  return versionMemo;
}

export const lintArgs = (files: string[], top: string): string[] => ['--lint-only', '-Wall', '--top-module', top, ...files];

/** Lints with every warning on; any warning fails (ToolFailedError with the log's tail). */
export async function lint(files: string[], top: string, logPath: string): Promise<RunResult> {
  return runTool({ tool: 'verilator', command: 'verilator', args: lintArgs(files, top), logPath, what: 'lint' });
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
    `-DLB_ACT_WORDS=${wordsFor(layout.k * layout.actBits)}`,
    `-DLB_WGT_WORDS=${wordsFor(layout.wgtBits)}`,
    `-DLB_OUT_WORDS=${wordsFor(layout.rows * layout.accBits)}`,
    ...(trace ? ['-DLB_TRACE=1'] : []),
  ];
  return [
    '--cc', '--exe', '--build', '-j', '2',
    '--prefix', 'Vtop', '--top-module', top,
    // Lint is its own step; a user's edited RTL with warnings should still simulate.
    '-Wno-fatal', '-Wno-lint', '-Wno-style',
    ...(trace ? ['--trace'] : []),
    '-CFLAGS', defs.join(' '),
    '-Mdir', mdir,
    '-o', 'harness',
    HARNESS_SOURCE,
    ...files,
  ];
}

/** Builds (or finds in the cache) the harness for these RTL files. */
export async function buildHarness(files: string[], top: string, layout: Layout, trace: boolean, logPath: string): Promise<HarnessBuild> {
  const version = await verilatorVersion();
  const t0 = performance.now();
  let args: string[] = [];
  const { dir, hit, key } = await cached('verilator', {
    // Verilator runs in the entry's temp directory on copies under src/: the key is their bytes and
    // the exact command line, which names nothing outside that directory.
    stage: (tmp) => {
      const staged = stageSources([HARNESS_SOURCE, ...files], join(tmp, 'src'));
      args = stagedArgs(buildArgs(files, top, layout, trace, 'obj'), staged, 'src');
      return hashOf([version, JSON.stringify(args), ...staged.contents]);
    },
    build: async (tmp) => {
      await runTool({ tool: 'verilator', command: 'verilator', args, logPath, what: 'build', cwd: tmp });
    },
    required: [HARNESS_BINARY],
    // The objects are only needed to link the harness (a large design leaves hundreds of MB of them).
    trim: (tmp) => {
      for (const f of readdirSync(join(tmp, 'obj'))) if (f !== 'harness') rmSync(join(tmp, 'obj', f), { recursive: true, force: true });
    },
  });
  return { binary: join(dir, HARNESS_BINARY), hit, seconds: (performance.now() - t0) / 1000, key };
}
