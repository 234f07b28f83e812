import { Command } from 'commander';
import { Out, guarded, prepareRtl, resolveFamily, withFamilyParams } from './common.js';

export function genCommand(): Command {
  return withFamilyParams(new Command('gen'))
    .description('generate the RTL of a design: Verilog files, a file list (files.f) and the resolved parameters (params.json)')
    .option('--out <dir>', 'output directory (default lowbit-out/<family>-<hash>)')
    .option('--json', 'print one JSON object on stdout and nothing else there')
    .action((name: string, opts: Record<string, unknown>) =>
      guarded(!!opts.json, async () => {
        const out = new Out(!!opts.json);
        const r = resolveFamily(name, opts);
        const { dir, files } = prepareRtl(r, { out: opts.out as string | undefined });
        out.say(`Generated ${r.family.name} (${r.top}) in ${dir}:`);
        for (const f of files) out.say(`  ${f}`);
        out.result({ ok: true, family: r.family.name, top: r.top, params: r.params, dir, files });
        return 0;
      }),
    );
}
