// lowbit command line: one subcommand per job; family parameters are flags named like the parameters.
import { Command, CommanderError } from 'commander';
import { VERSION } from '../core/version.js';
import { genCommand } from './gen.js';
import { lintCommand } from './lint.js';
import { cosimCommand } from './cosim.js';
import { synthCommand } from './synth.js';
import { estimateCommand } from './estimate.js';
import { doctorCommand } from './doctor.js';
import { demoCommand } from './demo.js';
import { packCommand } from './pack.js';
import { proveCommand } from './prove.js';
import { powerCommand } from './power.js';
import { cacheCommand } from './cache.js';
import { mutateCommand } from './mutate.js';
import { regressCommand, regressTaskCommand } from './regress.js';
import { sweepCommand } from './sweep.js';
import { layerCommand } from './layer.js';
import { cleanUp } from '../core/procs.js';
import { enableProgress } from '../core/progress.js';

/**
 * Ctrl-C and TERM: every tool's process group is killed and every temp file and directory being written
 * is removed (core/procs.ts); locks go with the process's exit (core/lock.ts). Exit 128 + the signal's
 * number, as a shell reports it. Here only: library users decide about their own process's signals.
 */
function onSignals(): void {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.on(signal, () => {
      cleanUp();
      process.stderr.write(`\nlowbit: interrupted (${signal}): running tools killed, temp files removed; no verdict\n`);
      if (process.argv.includes('--json')) process.stdout.write(JSON.stringify({ ok: false, error: `interrupted (${signal})`, kind: 'interrupted', exitCode: code }) + '\n');
      process.exit(code);
    });
  }
}
import { jsonError } from './common.js';
import { delimiter } from 'node:path';
import chalk from 'chalk';
import { loadFamilyModules } from '../api/familyRefs.js';

/**
 * User families (LOWBIT_FAMILIES: modules separated by ':', each a file path or a package name) are
 * imported before the commands are built, since every command's flags come from the registered
 * families' schemas. A module that does not load is bad input: exit 2 naming it and its error.
 */
async function loadUserFamilies(): Promise<void> {
  const list = process.env.LOWBIT_FAMILIES;
  if (!list) return;
  try {
    await loadFamilyModules(list.split(delimiter));
  } catch (e) {
    const message = (e as Error).message;
    process.stderr.write(`${chalk.red('lowbit: error:')} ${message}\n`);
    if (process.argv.includes('--json')) process.stdout.write(jsonError(message, 'error', 2));
    process.exit(2);
  }
}

export function program(): Command {
  const p = new Command('lowbit')
    .description('Parameterized Verilog for low-bit LLM compute units, verified bit-exactly and measured with open EDA tools')
    .version(VERSION)
    .showHelpAfterError();
  for (const c of [genCommand(), lintCommand(), cosimCommand(), synthCommand(), estimateCommand(), proveCommand(), mutateCommand(), powerCommand(), layerCommand(), regressCommand(), sweepCommand(), packCommand(), cacheCommand(), doctorCommand(), demoCommand()]) p.addCommand(c);
  // Command-line mistakes (unknown flag, missing argument) are bad input: exit 2. Commander has
  // printed its message on stderr; under --json stdout still gets the one error object.
  const exitOverride = (err: CommanderError) => {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') process.exit(0);
    if (process.argv.includes('--json')) process.stdout.write(jsonError(err.message.replace(/^error: /, ''), 'error', 2));
    process.exit(2);
  };
  p.exitOverride(exitOverride);
  // Subcommands of subcommands too (cache info, cache clean).
  const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
  for (const c of p.commands.flatMap(all)) c.exitOverride(exitOverride);
  // What a Slurm array task runs on its node: not a command for people.
  p.addCommand(regressTaskCommand(), { hidden: true });
  return p;
}

onSignals();
enableProgress(true);
await loadUserFamilies();
await program().parseAsync(process.argv);
