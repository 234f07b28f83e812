// The wall-clock budget of a command (`--timeout S`; prove's --timeout is its proof budget, and mutate
// names its proofs' budget --proof-timeout). core/budget.ts holds it; every tool lowbit starts consults it.
import { Command, Option } from 'commander';
import chalk from 'chalk';
import { setTimeLimit } from '../core/budget.js';
import { cleanUp } from '../core/procs.js';
import { intOption } from '../api/options.js';

/** Commands that take a time limit, and the flag that sets it. */
const flags = new WeakMap<Command, string>();

/** Adds the time-limit flag to a command (default: no limit). */
export function withTimeLimit(cmd: Command, flag = '--timeout'): Command {
  flags.set(cmd, flag);
  return cmd.addOption(new Option(`${flag} <s>`, 'time limit of the whole command in seconds: when it runs out, running tools are killed, temp files removed, exit 3 (no verdict); default none'));
}

/** Seconds a step may run past the limit before the command is stopped from outside (a step that is not a tool). */
const GRACE_MS = 3000;

/** Starts the command's budget from its options (bad value: exit 2). */
export function startTimeLimit(cmd: Command | undefined, opts: Record<string, unknown>): void {
  const flag = cmd && flags.get(cmd);
  if (!flag) return;
  const attr = flag.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  if (opts[attr] === undefined) return;
  const seconds = intOption(flag.replace(/^--/, ''), opts[attr], 1, 7 * 86400, 0);
  setTimeLimit(seconds, flag);
  // Tools are stopped at the limit by the runner; this catches what is not a tool (lowbit's own work).
  setTimeout(() => {
    cleanUp();
    process.stderr.write(`${chalk.red('lowbit: time limit:')} the command did not finish within the time limit (${seconds} s, ${flag}); no verdict.\n`);
    if (opts.json) process.stdout.write(JSON.stringify({ ok: false, error: `the command did not finish within the time limit (${seconds} s, ${flag})`, kind: 'time limit', exitCode: 3 }) + '\n');
    process.exit(3);
  }, seconds * 1000 + GRACE_MS).unref();
}
