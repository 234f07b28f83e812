import { Command } from 'commander';
import { familyCommand, onFamily } from './common.js';
import { withTimeLimit } from './limits.js';
import { lint } from '../api/lint.js';

export function lintCommand(): Command {
  return withTimeLimit(familyCommand('lint', 'lint a design with `verilator --lint-only -Wall` (zero warnings) and compile it with Icarus', {
    rtl: 'lint this RTL instead of generating it (uses files.f when present)',
    out: 'where to generate the RTL and write the logs and run.json (with --rtl: the logs; default lowbit-out/<family>-<hash>)',
  }))
    .action(
      onFamily(async (base, _opts, out) => {
        const r = await lint(base);
        out.say(`verilator --lint-only -Wall: clean (${r.verilator.seconds.toFixed(1)} s)`);
        out.say(`iverilog -g2005: compiles (${r.iverilog.seconds.toFixed(1)} s)`);
        out.result(r);
        return 0;
      }),
    );
}
