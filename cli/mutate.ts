import { Command } from 'commander';
import chalk from 'chalk';
import { familyCommand, given, onFamily } from './common.js';
import { withTimeLimit } from './limits.js';
import { DEFAULT_RESETS } from '../testbenches/cosim.js';
import { SIMULATORS } from '../testbenches/simulator.js';
import { mutate } from '../api/mutate.js';

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
    .option('--out <dir>', 'where to generate the RTL and write run.json; mutants go to <out>/mutants/<n>/')
    .action(
      onFamily(async (base, opts, out) => {
        const r = await mutate({
          ...base,
          ...given(opts, 'count', 'seed', 'jobs', 'check', 'vectors', 'stall', 'resets', 'sim', 'cosimSeed', 'cycles', 'proofTimeout'),
        });
        const mutationSeconds = r.steps.find((s) => s.name === 'mutation testing')?.seconds ?? r.seconds;
        out.say(
          `${r.ok ? chalk.green('ALL KILLED') : chalk.red('SURVIVORS')} ${r.family}: ${r.mutants.length} mutants (seed ${r.seed}, check ${r.check.kind}): ` +
            `${r.killed} killed, ${r.survived} survived, ${r.equivalent} equivalent${r.errors ? `, ${r.errors} errors` : ''}; ` +
            `score ${(r.score * 100).toFixed(1)}% (killed / non-equivalent); ${mutationSeconds.toFixed(1)} s, ${r.mutantsPerMinute.toFixed(1)} mutants/min, ${r.mutants.filter((m) => m.cached).length} cached`,
        );
        for (const m of r.mutants.filter((x) => x.status === 'survived' || x.status === 'error')) {
          out.say(`${chalk.red(m.status.toUpperCase())} #${m.id} at ${m.location}: ${m.description}\n  ${m.detail}\n  yosys: ${m.command}\n  reproduce: ${m.reproduce}`);
        }
        for (const m of r.mutants.filter((x) => x.status === 'equivalent')) out.say(`equivalent #${m.id} at ${m.location}: ${m.description}`);
        out.say(`mutants: ${r.dir}`);
        out.result(r);
        return r.ok ? 0 : 1;
      }),
    );
}
