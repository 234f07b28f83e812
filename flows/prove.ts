// Formal equivalence with Yosys: the generated design against the behavioural reference
// (generators/common/reference.ts) in a miter (templates/prove_miter.v.hbs) checked by SAT over every input sequence of N cycles
// from reset: N covers a beat's whole path (sequencer steps, pipeline, accumulator, output register),
// so any beat on any state the shell can reach from reset in that time is covered. Scripts are data.

import { readFileSync, existsSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { runTool, ToolFailedError } from '../core/tool.js';
import { writeFileAtomic } from '../core/fsutil.js';
import { readVerilog, YOSYS, yosysVersion } from './tools/yosys.js';
import { yosysWord as q } from '../core/quote.js';

export interface ProveOptions {
  dir: string;
  /** The design, the reference and the miter (testbenches-style wrapper), all in `dir` (staged there: see stage.ts). */
  files: string[];
  /** Include directories, relative to `dir` (stage.ts's inc<n>). */
  incdirs?: string[];
  /**
   * Every staged copy the design reads, relative to `dir` (stage.ts's Staged.files: the sources and
   * the files they include); default: `files` alone. The bundled Yosys sees only these, the reference,
   * the miter and the script.
   */
  read?: string[];
  referenceFile: string;
  miterFile: string;
  cycles: number;
  timeoutS: number;
}

export type ProveResult =
  | { status: 'proved'; cycles: number; seconds: number; tool: string }
  | { status: 'counterexample'; cycles: number; seconds: number; tool: string; inputs: string; vcd: string }
  | { status: 'inconclusive'; cycles: number; seconds: number; tool: string; reason: string };

/** Every file is in the working directory: read by its name there, quoted. */
export function proveScript(o: { files: string[]; incdirs?: string[]; referenceFile: string; miterFile: string; cycles: number; timeoutS: number }): string[] {
  return [
    readVerilog([...o.files, o.referenceFile, o.miterFile].map((f) => basename(f)), o.incdirs),
    'prep -top lowbit_miter',
    // Case tables (the base-3 decoder, lookups) become ROMs in prep; SAT needs them as logic.
    'memory_map',
    'flatten',
    'opt -fast',
    // Cycle 1 resets; every flip-flop starts at 0; the outputs must agree in every cycle after it.
    `sat -verify -prove trigger 0 -set-init-zero -seq ${o.cycles} -set-at 1 rst 1 -prove-skip 1 -show-inputs -dump_vcd ${q('counterexample.vcd')} -timeout ${o.timeoutS} lowbit_miter`,
  ];
}

export async function prove(o: ProveOptions, logPath: string): Promise<ProveResult> {
  const tool = await yosysVersion();
  const script = proveScript(o);
  writeFileAtomic(join(o.dir, 'prove.ys'), script.join('\n') + '\n');
  const t0 = performance.now();
  const secs = () => (performance.now() - t0) / 1000;
  let log: string;
  try {
    const r = await runTool({
      tool: YOSYS,
      args: ['-s', 'prove.ys'],
      cwd: o.dir,
      // What the proof reads (the WebAssembly build sees nothing else of `dir`).
      files: [...(o.read ?? o.files.map((f) => relative(o.dir, f))), basename(o.referenceFile), basename(o.miterFile), 'prove.ys'],
      logPath,
      what: 'prove',
      // The whole run is the budget (sat -timeout bounds only the solver, and the WebAssembly build ignores it).
      timeoutMs: o.timeoutS * 1000,
    });
    log = r.log;
  } catch (e) {
    if (!(e instanceof ToolFailedError)) throw e;
    log = existsSync(logPath) ? readFileSync(logPath, 'utf8') : '';
    if (e.code === undefined && !e.signal) return { status: 'inconclusive', cycles: o.cycles, seconds: secs(), tool, reason: `Yosys did not finish within the time budget (${o.timeoutS} s)` };
    if (/timed? ?out/i.test(log) && !/model found: FAIL/.test(log)) {
      return { status: 'inconclusive', cycles: o.cycles, seconds: secs(), tool, reason: `the SAT solver reached the time budget (${o.timeoutS} s)` };
    }
    if (!/model found: FAIL/.test(log)) throw e;
  }
  if (/no model found: SUCCESS/.test(log)) return { status: 'proved', cycles: o.cycles, seconds: secs(), tool };
  if (/model found: FAIL/.test(log)) {
    return { status: 'counterexample', cycles: o.cycles, seconds: secs(), tool, inputs: counterexampleTable(log), vcd: join(o.dir, 'counterexample.vcd') };
  }
  return { status: 'inconclusive', cycles: o.cycles, seconds: secs(), tool, reason: 'Yosys reported neither success nor a counterexample (see the log)' };
}

/** The input values table `sat -show-inputs` prints for the failing model. */
function counterexampleTable(log: string): string {
  const start = log.indexOf('Time Signal');
  if (start < 0) return '(no input table in the log)';
  const lines = log.slice(start).split('\n');
  const end = lines.findIndex((l, i) => i > 1 && l.trim() === '');
  return lines.slice(0, end < 0 ? 60 : end).join('\n');
}
