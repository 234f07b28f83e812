import { Command } from 'commander';
import { familyCommand, onFamily } from './common.js';
import { generate } from '../api/generate.js';

export function genCommand(): Command {
  return familyCommand('gen', 'generate the RTL of a design: Verilog files, a file list (files.f), the resolved parameters (params.json) and run.json')
    .option('--out <dir>', 'output directory (default lowbit-out/<family>-<hash>)')
    .action(
      onFamily(async (base, _opts, out) => {
        const r = await generate(base);
        out.say(`Generated ${r.family} (${r.top}) in ${r.dir}:`);
        for (const f of r.files) out.say(`  ${f}`);
        out.result(r);
        return 0;
      }),
    );
}
