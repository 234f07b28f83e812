import { Command } from 'commander';
import { familyCommand, onFamily, prepareRtl } from './common.js';

export function genCommand(): Command {
  return familyCommand('gen', 'generate the RTL of a design: Verilog files, a file list (files.f) and the resolved parameters (params.json)')
    .option('--out <dir>', 'output directory (default lowbit-out/<family>-<hash>)')
    .action(
      onFamily(async (r, opts, out) => {
        const { rtlDir: dir, files } = await prepareRtl(r, { out: opts.out as string | undefined });
        out.say(`Generated ${r.family.name} (${r.top}) in ${dir}:`);
        for (const f of files) out.say(`  ${f}`);
        out.result({ ok: true, family: r.family.name, top: r.top, params: r.params, dir, files });
        return 0;
      }),
    );
}
