import { Command } from 'commander';
import chalk from 'chalk';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { checkEnv, familyCommand, intOption, onFamily, paramFlags, prepareRtl, type Resolved } from './common.js';
import { withTimeLimit } from './limits.js';
import { startStep } from '../core/progress.js';
import { shellWord } from './cosim.js';
import { DEFAULT_RESETS } from '../testbenches/cosim.js';
import { repoPath } from '../core/paths.js';
import { mutate, type CheckSpec, type MutantResult } from '../flows/mutate.js';
import { SIMULATORS } from '../testbenches/simulator.js';
import { UsageError } from '../generators/common/params.js';

/** The command that runs a mutant's check again, by hand, from any directory (absolute entry point and paths). */
export function reproduceCommand(r: Resolved, check: CheckSpec, dir: string): string {
  const base = [process.execPath, repoPath('bin', 'lowbit.mjs'), check.kind, r.family.name, ...paramFlags(r), '--top', r.top, '--rtl', dir];
  if (check.kind === 'cosim') {
    base.push('--seed', String(check.seed), '--vectors', String(check.vectors), '--stall', String(check.stall), '--resets', String(check.resets), '--sim', check.simulator);
  } else {
    base.push('--cycles', String(check.cycles), '--timeout', String(check.timeoutS));
  }
  // --out keeps the rerun's files beside the mutant instead of in ./lowbit-out.
  return [...base, '--out', join(dir, 'rerun')].map(shellWord).join(' ');
}

/** "lowbit_ternary_row.v:72, module lowbit_ternary_row, cell $add$...". */
export function location(m: MutantResult): string {
  const at = m.file !== undefined ? `${m.file}:${m.line}` : '(no source line)';
  return `${at}, module ${m.sourceModule}, cell ${m.cell}`;
}

export function mutateCommand(): Command {
  return withTimeLimit(familyCommand('mutate', "mutation testing of the verification: Yosys's mutate pass lists N faults of the design, each mutant is checked (cosim by default); survivors are proved equivalent to the original or reported as blind spots; exit 0 when every non-equivalent mutant is killed, else 1"))
    .option('--count <n>', 'mutations to list (evenly sampled over cells and bits)', '50')
    .option('--seed <s>', "the mutation list's seed", '1')
    .option('-j, --jobs <n>', 'mutants checked in parallel (default: number of cores)')
    .option('--check <kind>', 'cosim | prove (the reference proof: small designs only)', 'cosim')
    .option('--vectors <n>', 'cosim: vectors per mutant', '10000')
    .option('--stall <percent>', 'cosim: percent of cycles with a gap on in_valid and with out_ready low', '25')
    .option('--resets <percent>', 'cosim: percent of random vectors interrupted by a reset', String(DEFAULT_RESETS))
    .option('--sim <simulator>', `cosim: ${Object.keys(SIMULATORS).join(' | ')}`, 'verilator')
    .option('--cosim-seed <s>', "cosim: the stimulus seed (fixed, so verdicts are cached and repeatable)", '1')
    .option('--cycles <n>', 'prove check, and the survivors\' equivalence proof: cycles from reset (default: two beats\' whole paths)')
    .option('--proof-timeout <s>', 'time budget of each proof (the prove check and the survivors\' equivalence proofs), seconds', '300')
    .option('--rtl <dir>', 'mutate this RTL instead of generating it')
    .option('--out <dir>', 'where to generate the RTL; mutants go to <out>/mutants/<n>/')
    .action(
      onFamily(async (r, opts, out) => {
        const count = intOption('count', opts.count, 1, 100000, 50);
        const seed = intOption('seed', opts.seed, 0, 2 ** 31 - 1, 1);
        const cores = availableParallelism();
        const jobs = intOption('jobs', opts.jobs, 1, 256, cores);
        const kind = opts.check as string;
        if (kind !== 'cosim' && kind !== 'prove') throw new UsageError(`check must be one of cosim, prove, not ${JSON.stringify(kind)}`);
        const vectors = intOption('vectors', opts.vectors, 1, 1e9, 10000);
        const stall = intOption('stall', opts.stall, 0, 90, 25);
        const resets = intOption('resets', opts.resets, 0, 50, DEFAULT_RESETS);
        const cosimSeed = intOption('cosim-seed', opts.cosimSeed, 0, Number.MAX_SAFE_INTEGER, 1);
        if (!SIMULATORS[opts.sim as string]) throw new UsageError(`sim must be one of ${Object.keys(SIMULATORS).join(', ')}, not ${JSON.stringify(opts.sim)}`);
        const l = r.family.layout(r.params);
        // A beat's whole path (as `lowbit prove`), then a second beat's: a fault in how beats accumulate shows.
        const beatPath = (l.beatCycles ?? 1) + l.latency;
        const minCycles = 1 + beatPath + 2;
        const cycles = intOption('cycles', opts.cycles, minCycles, 1000, minCycles + beatPath);
        const timeoutS = intOption('proof-timeout', opts.proofTimeout, 1, 86400, 300);
        const check: CheckSpec = kind === 'cosim' ? { kind, simulator: opts.sim as string, vectors, stall, resets, seed: cosimSeed } : { kind, cycles, timeoutS };

        // Verdicts are cached: LOWBIT_CACHE as well as Yosys must be usable before anything is written.
        checkEnv({ yosys: true, cache: true, liberty: false });
        const rtl = await prepareRtl(r, opts as { rtl?: string; out?: string });
        // Never into a --rtl directory (an input): prepareRtl's work directory is --out or the default output directory.
        const workDir = join(rtl.workDir, 'mutants');
        // One progress step for the whole run (core/progress.ts): the mutants' own builds and runs are inside it.
        let checked = 0;
        let total = count;
        const step = startStep('mutation testing', () => `${checked} of ${total} mutants checked`);
        const report = await mutate({
          family: r.family,
          params: r.params,
          top: r.top,
          files: rtl.files,
          incdirs: rtl.incdirs,
          workDir,
          count,
          seed,
          jobs,
          check,
          equivCycles: cycles,
          equivTimeoutS: timeoutS,
          onMutant: (_m, done, of) => {
            checked = done;
            total = of;
          },
        }).finally(() => step.stop());
        const mutants = report.mutants.map((m) => ({ ...m, location: location(m), reproduce: reproduceCommand(r, check, m.dir) }));
        const perMinute = report.mutants.length / (report.seconds / 60);
        const scoreText = `${(report.score * 100).toFixed(1)}%`;
        out.say(
          `${report.survived === 0 && report.errors === 0 ? chalk.green('ALL KILLED') : chalk.red('SURVIVORS')} ${r.family.name}: ${report.mutants.length} mutants (seed ${seed}, check ${kind}): ` +
            `${report.killed} killed, ${report.survived} survived, ${report.equivalent} equivalent${report.errors ? `, ${report.errors} errors` : ''}; ` +
            `score ${scoreText} (killed / non-equivalent); ${report.seconds.toFixed(1)} s, ${perMinute.toFixed(1)} mutants/min, ${report.mutants.filter((m) => m.cached).length} cached`,
        );
        for (const m of mutants.filter((x) => x.status === 'survived' || x.status === 'error')) {
          out.say(`${chalk.red(m.status.toUpperCase())} #${m.id} at ${m.location}: ${m.description}\n  ${m.detail}\n  yosys: ${m.command}\n  reproduce: ${m.reproduce}`);
        }
        for (const m of mutants.filter((x) => x.status === 'equivalent')) out.say(`equivalent #${m.id} at ${m.location}: ${m.description}`);
        out.say(`mutants: ${workDir}`);
        out.result({
          ok: report.survived === 0 && report.errors === 0,
          killed: report.killed,
          survived: report.survived,
          equivalent: report.equivalent,
          errors: report.errors,
          score: report.score,
          family: r.family.name,
          top: r.top,
          params: r.params,
          seed,
          check,
          seconds: report.seconds,
          mutantsPerMinute: perMinute,
          tool: report.tool,
          dir: workDir,
          mutants,
        });
        return report.survived === 0 && report.errors === 0 ? 0 : 1;
      }),
    );
}
