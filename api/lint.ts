// `lowbit lint`: Verilator's lint with every warning on (any warning fails) and an Icarus compile.

import { dirname, join } from 'node:path';
import { lint as verilatorLint, VERILATOR } from '../flows/tools/verilator.js';
import { compile, IVERILOG } from '../flows/tools/iverilog.js';
import { checkEnv } from './options.js';
import type { RtlOptions } from './design.js';
import type { RunRecord } from './record.js';
import { runOnRtl } from './run.js';

/** Options of {@link lint}. */
export type LintOptions = RtlOptions;

/** What {@link lint} returns: `lowbit lint --json`, and run.json in `dir`. */
export interface LintReport extends RunRecord {
  /** The output directory (logs, run.json). */
  dir: string;
  verilator: { clean: true; seconds: number };
  iverilog: { compiles: true; seconds: number };
}

/**
 * Lints a design: `verilator --lint-only -Wall` (zero warnings) and `iverilog -g2005`.
 *
 * @param o - the design (generated, or `rtl`) and `out` for the logs
 * @returns the report (both tools passed)
 * @throws ToolFailedError when a tool reports a warning or an error (exit 1), ToolMissingError (exit 4), UsageError for bad input (exit 2)
 */
export async function lint(o: LintOptions): Promise<LintReport> {
  return runOnRtl('lint', o, () => checkEnv({ tools: [VERILATOR, IVERILOG] }), async ({ d, rtl, rec }) => {
    const { workDir: dir, files } = rtl;
    // The tools read the originals here: Icarus looks for an include only in the include
    // directories (not next to the including file), so the sources' own folders come first.
    const incdirs = [...new Set([...files.map((f) => dirname(f)), ...rtl.incdirs])];
    const logs = join(dir, 'logs');
    rec.used('verilator');
    const v = await rec.step('verilator lint', () => verilatorLint(files, d.top, join(logs, 'verilator-lint.log'), incdirs));
    rec.metric('verilator_warnings', 0, 'warnings', v.logPath);
    rec.used('iverilog');
    const i = await rec.step('iverilog compile', () => compile(files, d.top, join(logs, 'iverilog.vvp'), join(logs, 'iverilog.log'), incdirs));
    return { ok: true, fields: { dir, verilator: { clean: true as const, seconds: v.seconds }, iverilog: { compiles: true as const, seconds: i.seconds } } };
  });
}
