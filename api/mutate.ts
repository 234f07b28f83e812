// `lowbit mutate`: mutation testing of the verification. Yosys mutants of the design are put through
// the check (cosim, or the reference proof); survivors get an equivalence proof.

import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { startStep } from '../core/progress.js';
import { DEFAULT_RESETS } from '../testbenches/cosim.js';
import { SIMULATORS } from '../testbenches/simulator.js';
import { mutate as runMutants, type CheckSpec, type MutantResult } from '../flows/mutate.js';
import { YOSYS } from '../flows/tools/yosys.js';
import { paramFlags, type Design, type RtlOptions } from './design.js';
import { checkEnv, intOption, type Numeric } from './options.js';
import type { RunRecord } from './record.js';
import { runOnRtl } from './run.js';
import { lowbitCommand } from './shell.js';

export type { CheckSpec, MutantResult };

/** Options of {@link mutate}. */
export interface MutateOptions extends RtlOptions {
  /** Mutations to list, 1..100000 (evenly sampled over cells and bits); default 50. */
  count?: Numeric;
  /** The mutation list's seed, 0..2^31-1; default 1. */
  seed?: Numeric;
  /** Mutants checked in parallel, 1..256; default: the number of cores. */
  jobs?: Numeric;
  /** cosim (default) or prove (the reference proof: small designs only). */
  check?: string;
  /** cosim: vectors per mutant, 1..1e9; default 10000. */
  vectors?: Numeric;
  /** cosim: stall percent, 0..90; default 25. */
  stall?: Numeric;
  /** cosim: reset percent, 0..50; default 3. */
  resets?: Numeric;
  /** cosim: verilator (default) or iverilog. */
  sim?: string;
  /** cosim: the stimulus seed (fixed, so verdicts are cached and repeatable); default 1. */
  cosimSeed?: Numeric;
  /** The prove check and the survivors' equivalence proof: cycles from reset (default: two beats' whole paths). */
  cycles?: Numeric;
  /** Time budget of each proof, seconds, 1..86400; default 300. */
  proofTimeout?: Numeric;
}

/** One mutant in a {@link MutateReport}: its mutation, verdict, location and the command that reproduces its check. */
export type MutantReport = MutantResult & { location: string; reproduce: string };

/** What {@link mutate} returns: `lowbit mutate --json`, and run.json in the output directory. */
export interface MutateReport extends RunRecord {
  killed: number;
  survived: number;
  equivalent: number;
  errors: number;
  /** killed / (killed + survived); 1 when every mutant is equivalent. */
  score: number;
  check: CheckSpec;
  mutantsPerMinute: number;
  /** The Yosys that made the mutants. */
  tool: string;
  /** Where the mutants are (`<out>/mutants`). */
  dir: string;
  mutants: MutantReport[];
}

/** The command that runs a mutant's check again, by hand, from any directory (absolute entry point and paths). */
export function reproduceCommand(d: Design, check: CheckSpec, dir: string): string {
  const words = [check.kind, d.family.name, ...paramFlags(d), '--top', d.top, '--rtl', dir];
  if (check.kind === 'cosim') {
    words.push('--seed', String(check.seed), '--vectors', String(check.vectors), '--stall', String(check.stall), '--resets', String(check.resets), '--sim', check.simulator);
  } else {
    words.push('--cycles', String(check.cycles), '--timeout', String(check.timeoutS));
  }
  // --out keeps the rerun's files beside the mutant instead of in ./lowbit-out.
  return lowbitCommand([...words, '--out', join(dir, 'rerun')]);
}

/** "lowbit_ternary_row.v:72, module lowbit_ternary_row, cell $add$...". */
export function location(m: MutantResult): string {
  const at = m.file !== undefined ? `${m.file}:${m.line}` : '(no source line)';
  return `${at}, module ${m.sourceModule}, cell ${m.cell}`;
}

/**
 * Mutation testing of the verification: Yosys's mutate pass lists `count` faults, each mutant is
 * checked (`check`), survivors are proved equivalent to the original or reported as blind spots.
 * `ok` when every non-equivalent mutant is killed.
 *
 * @returns the score, every mutant with its verdict and location
 * @throws UsageError for bad options (exit 2), ToolMissingError (exit 4)
 */
export async function mutate(o: MutateOptions): Promise<MutateReport> {
  return runOnRtl(
    'mutate',
    o,
    (d, rec) => {
      const count = intOption('count', o.count, 1, 100000, 50);
      const seed = intOption('seed', o.seed, 0, 2 ** 31 - 1, 1);
      const jobs = intOption('jobs', o.jobs, 1, 256, availableParallelism());
      const kind = o.check ?? 'cosim';
      if (kind !== 'cosim' && kind !== 'prove') throw new UsageError(`check must be one of cosim, prove, not ${JSON.stringify(kind)}`);
      const vectors = intOption('vectors', o.vectors, 1, 1e9, 10000);
      const stall = intOption('stall', o.stall, 0, 90, 25);
      const resets = intOption('resets', o.resets, 0, 50, DEFAULT_RESETS);
      const cosimSeed = intOption('cosim-seed', o.cosimSeed, 0, Number.MAX_SAFE_INTEGER, 1);
      const sim = o.sim ?? 'verilator';
      if (!SIMULATORS[sim]) throw new UsageError(`sim must be one of ${Object.keys(SIMULATORS).join(', ')}, not ${JSON.stringify(sim)}`);
      const l = d.family.layout(d.params);
      // A beat's whole path (as `lowbit prove`), then a second beat's: a fault in how beats accumulate shows.
      const beatPath = (l.beatCycles ?? 1) + l.latency;
      const minCycles = 1 + beatPath + 2;
      const cycles = intOption('cycles', o.cycles, minCycles, 1000, minCycles + beatPath);
      const timeoutS = intOption('proof-timeout', o.proofTimeout, 1, 86400, 300);
      const check: CheckSpec = kind === 'cosim' ? { kind, simulator: sim, vectors, stall, resets, seed: cosimSeed } : { kind, cycles, timeoutS };
      // Verdicts are cached: LOWBIT_CACHE as well as Yosys (mutants, proofs) and the check's simulator must be usable before anything is written.
      checkEnv({ tools: [YOSYS, ...(kind === 'cosim' ? SIMULATORS[sim].tools : [])], cache: true });
      rec.seed = seed;
      return { count, seed, jobs, check, cycles, timeoutS };
    },
    async ({ d, rtl, rec, opts: c }) => {
      // Never into a rtl directory (an input): the work directory is `out` or the default output directory.
      const workDir = join(rtl.workDir, 'mutants');
      let checked = 0;
      let total = c.count;
      // One progress step for the whole run (core/progress.ts): the mutants' own builds and runs are inside it.
      const step = startStep('mutation testing', () => `${checked} of ${total} mutants checked`);
      rec.used('yosys', ...(c.check.kind === 'cosim' ? (c.check.simulator === 'verilator' ? (['verilator'] as const) : (['iverilog', 'vvp'] as const)) : []));
      const report = await rec
        .step('mutation testing', () =>
          runMutants({
            family: d.family, params: d.params, top: d.top, files: rtl.files, incdirs: rtl.incdirs, workDir,
            count: c.count, seed: c.seed, jobs: c.jobs, check: c.check, equivCycles: c.cycles, equivTimeoutS: c.timeoutS,
            onMutant: (_m, done, of) => {
              checked = done;
              total = of;
            },
          }),
        )
        .finally(() => step.stop());
      const mutants = report.mutants.map((m) => ({ ...m, location: location(m), reproduce: reproduceCommand(d, c.check, m.dir) }));
      const perMinute = report.mutants.length / (report.seconds / 60);
      for (const [name, v] of [['killed', report.killed], ['survived', report.survived], ['equivalent', report.equivalent], ['errors', report.errors]] as const) rec.metric(name, v, 'mutants', workDir);
      rec.metric('score', report.score, 'killed/non-equivalent', workDir);
      rec.metric('mutants_per_minute', perMinute, 'mutants/min', workDir);
      const ok = report.survived === 0 && report.errors === 0;
      return {
        ok,
        fields: {
          killed: report.killed, survived: report.survived, equivalent: report.equivalent, errors: report.errors, score: report.score,
          check: c.check, mutantsPerMinute: perMinute, tool: report.tool, dir: workDir, mutants,
        },
      };
    },
  );
}
