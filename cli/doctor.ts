import { Command } from 'commander';
import chalk from 'chalk';
import { Out, guarded } from './common.js';
import { doctor } from '../api/doctor.js';

export type { ToolStatus } from '../api/doctor.js';

export function doctorCommand(): Command {
  return new Command('doctor')
    .description('check every tool lowbit uses, as its LOWBIT_* variable picks it: version, path, and the command that installs what is missing or too old')
    .option('--json', 'print one JSON object on stdout and nothing else there')
    .action((opts: Record<string, unknown>) =>
      guarded(!!opts.json, async () => {
        const out = new Out(!!opts.json);
        const list = await doctor();
        const pad = 13;
        out.say(`node ${process.version} (${process.execPath})`);
        for (const t of list) {
          if (t.ok) out.say(`${chalk.green('ok')}      ${t.tool.padEnd(pad)} ${t.version} (${t.path})${t.note ? `\n        ${t.note}` : ''}`);
          else if (t.status === 'missing') out.say(`${chalk.red('missing')} ${t.tool.padEnd(pad)} install: ${t.install}`);
          else if (t.status === 'too-old') out.say(`${chalk.red('too old')} ${t.tool.padEnd(pad)} ${t.version} (${t.path}; ${t.source}): lowbit needs >= ${t.minimum}\n        install: ${t.install}`);
          else out.say(`${chalk.red('failing')} ${t.tool.padEnd(pad)} ${t.variable && !t.source ? `${t.variable} names no usable executable` : 'found, but it fails'}:\n        ${(t.note ?? '').split('\n').join('\n        ')}`);
        }
        const missing = list.filter((t) => t.status === 'missing');
        const old = list.filter((t) => t.status === 'too-old');
        const failing = list.filter((t) => t.status === 'failing');
        if (missing.length) out.say(`\n${missing.length} missing: run bash scripts/setup.sh (as root), or the commands above.`);
        if (old.length) out.say(`\n${old.length} too old: install a newer one (the commands above), or point its variable at one.`);
        if (failing.length) out.say(`\n${failing.length} failing: installed (or configured) but not working; see the output above.`);
        out.result({ ok: missing.length + old.length + failing.length === 0, node: process.version, tools: list });
        // A broken tool (or a variable naming none) is a tool failure (1); missing or too old ones (4) are fixed by installing.
        return failing.length ? 1 : missing.length + old.length ? 4 : 0;
      }),
    );
}
