import { Command } from 'commander';
import { dirname, join } from 'node:path';
import { familyCommand, onFamily, prepareRtl } from './common.js';
import { withTimeLimit } from './limits.js';
import { lint } from '../flows/tools/verilator.js';
import { compile } from '../flows/tools/iverilog.js';

export function lintCommand(): Command {
  return withTimeLimit(familyCommand('lint', 'lint a design with `verilator --lint-only -Wall` (zero warnings) and compile it with Icarus'))
    .option('--rtl <dir>', 'lint this RTL instead of generating it (uses files.f when present)')
    .option('--out <dir>', 'where to generate the RTL and write the logs (with --rtl: the logs; default lowbit-out/<family>-<hash>)')
    .action(
      onFamily(async (r, opts, out) => {
        const rtl = await prepareRtl(r, opts as { rtl?: string; out?: string });
        const { workDir: dir, files } = rtl;
        // The tools read the originals here: Icarus looks for an include only in the include
        // directories (not next to the including file), so the sources' own folders come first.
        const incdirs = [...new Set([...files.map((f) => dirname(f)), ...rtl.incdirs])];
        const logs = join(dir, 'logs');
        const v = await lint(files, r.top, join(logs, 'verilator-lint.log'), incdirs);
        out.say(`verilator --lint-only -Wall: clean (${v.seconds.toFixed(1)} s)`);
        const i = await compile(files, r.top, join(logs, 'iverilog.vvp'), join(logs, 'iverilog.log'), incdirs);
        out.say(`iverilog -g2005: compiles (${i.seconds.toFixed(1)} s)`);
        out.result({ ok: true, family: r.family.name, top: r.top, dir, verilator: { clean: true, seconds: v.seconds }, iverilog: { compiles: true, seconds: i.seconds } });
        return 0;
      }),
    );
}
