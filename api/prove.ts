// `lowbit prove`: formal equivalence of the design with a behavioural reference of the same function
// (Yosys miter + SAT over every input sequence of N cycles from reset).

import { join } from 'node:path';
import { stageSources, YOSYS_UNSAFE } from '../core/stage.js';
import { writeFileAtomic } from '../core/fsutil.js';
import { prove as runProof } from '../flows/prove.js';
import { YOSYS } from '../flows/tools/yosys.js';
import { proveMiter, referenceDesign } from '../generators/common/reference.js';
import type { Layout } from '../generators/common/family.js';
import type { RtlOptions } from './design.js';
import { RANGES, rangeOption } from './ranges.js';
import { checkEnv, type Numeric } from './options.js';
import type { RunRecord } from './record.js';
import { runOnRtl } from './run.js';

/** Options of {@link prove}. */
export interface ProveOptions extends RtlOptions {
  /** Time budget of the proof, seconds, 1..86400; default 300. */
  timeout?: Numeric;
  /** Cycles from reset to check, from a beat's whole path (the default) to 1000. */
  cycles?: Numeric;
}

/** What {@link prove} returns: `lowbit prove --json`, and run.json in `dir`. */
export interface ProveReport extends RunRecord {
  /** proved (exit 0), counterexample (exit 1) or inconclusive (exit 3: never reported as proved). */
  status: 'proved' | 'counterexample' | 'inconclusive';
  /** Cycles from reset checked. */
  cycles: number;
  /** The Yosys that ran the proof. */
  tool: string;
  dir: string;
  /** counterexample: the inputs of every cycle, as Yosys's table. */
  counterexampleInputs?: string;
  /** counterexample: its VCD. */
  vcd?: string;
  /** inconclusive: why. */
  reason?: string;
}

/** Cycles a proof needs at least: reset, a beat's cycles, the pipeline, the accumulator and the output register. */
export const minProofCycles = (l: Layout): number => 1 + (l.beatCycles ?? 1) + l.latency + 2;

/**
 * Proves a design equal to its family's behavioural reference: for every input sequence of `cycles`
 * cycles from reset that keeps the streaming contract, in_ready, out_valid and (while valid) out_data agree.
 *
 * @returns the verdict; `ok` only when proved
 * @throws UsageError for bad options (exit 2), ToolFailedError (exit 1), ToolMissingError (exit 4)
 * @example
 * const r = await prove({ family: 'ternary', params: { rows: 1, k: 2 } });
 * console.log(r.status);
 */
export async function prove(o: ProveOptions): Promise<ProveReport> {
  return runOnRtl(
    'prove',
    o,
    (d) => {
      const min = minProofCycles(d.family.layout(d.params));
      const timeoutS = rangeOption('timeout', o.timeout, RANGES.prove.timeout);
      const cycles = rangeOption('cycles', o.cycles, { ...RANGES.prove.cycles, min }, min);
      checkEnv({ tools: [YOSYS] });
      // A design the family has no behavioural reference for (floating-point activations) is refused before anything is written.
      d.family.referenceRow(d.params);
      return { timeoutS, cycles };
    },
    async ({ d, rtl, rec, opts: c }) => {
      const dir = rtl.workDir;
      const proofDir = join(dir, 'proof');
      // The proof runs in its own directory holding copies of the design (and what it includes) and the reference.
      const staged = stageSources(rtl.files, proofDir, { incdirs: rtl.incdirs, rename: YOSYS_UNSAFE });
      const proofFiles = rtl.files.map((f) => join(proofDir, staged.names.get(f)!));
      const ref = referenceDesign(d.family, d.params, d.top);
      const referenceFile = join(proofDir, `${ref.name}.v`);
      writeFileAtomic(referenceFile, ref.verilog);
      const miterFile = join(proofDir, 'lowbit_miter.v');
      writeFileAtomic(miterFile, proveMiter(d.family, d.params, d.top, ref.name));
      const log = join(dir, 'logs', 'prove.log');
      rec.used('yosys');
      const res = await rec.step('yosys sat proof', () => runProof({ dir: proofDir, files: proofFiles, incdirs: staged.incdirs, read: staged.files, referenceFile, miterFile, cycles: c.cycles, timeoutS: c.timeoutS }, log));
      rec.metric('cycles', res.cycles, 'cycles', log);
      const { seconds: _s, ...rest } = res;
      const fields =
        rest.status === 'counterexample' ? { dir, status: rest.status, cycles: rest.cycles, tool: rest.tool, counterexampleInputs: rest.inputs, vcd: rest.vcd } : { dir, ...rest };
      return { ok: res.status === 'proved', fields };
    },
  );
}
