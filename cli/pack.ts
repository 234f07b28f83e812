import { Command } from 'commander';
import { familyCommand, onFamily } from './common.js';
import { pack } from '../api/pack.js';

export function packCommand(): Command {
  return familyCommand('pack', 'pack a weight matrix (JSON int[rows][beats*k]) into the in_wgt bit stream of each beat (hex, most significant digit first)')
    .requiredOption('--matrix <file>', 'JSON file: int[rows][beats*k] logical weights')
    .option('--prune', 'sparse families: keep the n largest magnitudes per group (ties: lowest position) instead of rejecting')
    .option('--out <file>', 'write the result as JSON here, and run.json beside it (default: stdout, no run.json)')
    .action(
      onFamily(async (base, opts, out) => {
        const r = await pack({ ...base, matrix: opts.matrix as string, prune: !!opts.prune });
        if (opts.out !== undefined) out.say(`packed ${r.beats.length} beat(s) of ${r.wgtBits} bits into ${opts.out as string}`);
        else for (const h of r.beats) out.say(h);
        out.result(r);
        return 0;
      }),
    );
}
