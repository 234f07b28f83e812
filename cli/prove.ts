import { Command } from 'commander';
import chalk from 'chalk';
import { join } from 'node:path';
import { familyCommand, given, onFamily } from './common.js';
import { prove } from '../api/prove.js';

export function proveCommand(): Command {
  return familyCommand('prove', 'prove the design equal to a behavioural reference of the same function (Yosys miter + SAT over every input sequence of N cycles from reset); exit 0 proved, 1 counterexample, 3 inconclusive', {
    rtl: 'prove this RTL (e.g. edited by hand) instead of generating it',
    out: 'where to generate the RTL and keep the proof files and run.json',
  })
    .option('--timeout <s>', 'time budget of the SAT solver, seconds', '300')
    .option('--cycles <n>', 'cycles from reset to check (default: a beat\'s whole path: 1 + steps per beat + pipeline + 2)')
    .action(
      onFamily(async (base, opts, out) => {
        const r = await prove({ ...base, ...given(opts, 'timeout', 'cycles') });
        const what = `${r.family} ${r.top} against its behavioural reference, every input sequence of ${r.cycles} cycles from reset`;
        const secs = (r.steps.find((s) => s.name === 'yosys sat proof')?.seconds ?? r.seconds).toFixed(1);
        if (r.status === 'proved') {
          out.say(`${chalk.green('PROVED')} ${what} (${r.tool}, ${secs} s)`);
        } else if (r.status === 'counterexample') {
          out.say(`${chalk.red('NOT EQUIVALENT')}: ${what}: counterexample found (${secs} s)\ninputs per cycle:\n${r.counterexampleInputs}\nVCD: ${r.vcd}`);
        } else {
          out.say(`${chalk.yellow('INCONCLUSIVE')} (not proved): ${what}: ${r.reason} (${secs} s). Try a smaller configuration or --timeout.`);
        }
        out.say(`log: ${join(r.dir, 'logs', 'prove.log')}`);
        out.result(r);
        return r.status === 'proved' ? 0 : r.status === 'counterexample' ? 1 : 3;
      }),
    );
}
