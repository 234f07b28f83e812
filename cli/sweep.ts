// `lowbit sweep`: a grid over families (or a suite file's sweeps: section), estimated at once, measured
// as jobs of the regression runner (the same live display, cache, -j and schedulers as regress), and
// written as report.html, points.csv and points.json.

import { Command, Option } from 'commander';
import { Out, commandLine, guarded, JSON_HELP } from './common.js';
import { jobRunFlags, jobRunValues, withProgress } from './jobOptions.js';
import { sweep, type SweepReport } from '../api/sweep.js';
import { winners } from '../api/sweepWinners.js';
import { SWEEP_TARGETS } from '../api/sweepTargets.js';
import { textTable } from '../api/table.js';

/** The sweep's outcome for a terminal: counts, winners, where the files are. */
function summary(r: SweepReport): string {
  const c = r.counts;
  const w = winners(r);
  return [
    `${c.points} point(s): ${c.measured} measured, ${c.estimated} estimated only, ${c.failed} failed, ${c.errors} error(s); ${c.skipped} skipped by the families' rules`,
    ...(w.length ? ['', textTable(['target', 'winner', 'point', 'value'], w.map((x) => [x.target, x.what, x.point.length > 80 ? `${x.point.slice(0, 77)}...` : x.point, x.value]))] : []),
    '',
    `report: ${r.files.report}`,
    `points: ${r.files.csv}, ${r.files.json}`,
    ...(r.run ? [`run record: ${r.run.record}`] : []),
  ].join('\n');
}

export function sweepCommand(): Command {
  const cmd = new Command('sweep')
    .description('explore a design space: a grid over families, every point estimated by the cost model, verified by a short cosim and measured by synthesis per target (parallel, cached, resumable, Slurm); report.html, points.csv, points.json')
    .argument('[families-or-suite]', 'families, comma-separated (ternary,lutgemm,dense), or a suite file with a sweeps: section')
    .option('--grid <key=v1,v2,...>', 'parameter values to sweep (repeat for several parameters; each family takes the keys it has)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--target <targets>', `comma-separated: ${SWEEP_TARGETS.join(' | ')} (default ice40,generic)`)
    .option('--name <sweep>', 'which sweep of the suite file (needed when it has several)')
    .option('--estimate-only', 'only the cost model: no synthesis, no jobs (10,000 points in seconds)')
    .addOption(new Option('--synthesize <which>', 'measure every point, or only those on or near the estimated Pareto fronts').choices(['all', 'pareto']))
    .option('--near <percent>', 'how near the estimated front --synthesize pareto reaches, 0..100 (default 10)')
    .option('--pnr', "iCE40: also place and route (nextpnr's post-route Fmax where the design fits the device's cells and I/O pins)")
    .option('--device <device>', 'iCE40 device for place and route (default hx8k)')
    .option('--power', 'also measure power (OpenSTA, OSU 0.18 um): energy per MAC')
    .option('--vectors <n>', "vectors of each point's co-simulation (default 100, directed corner vectors first)")
    .option('--sim <simulator>', "simulator of each point's co-simulation: auto (default: iverilog up to 32 lanes, rows x k; verilator above), verilator, iverilog")
    .option('--seed <s>', 'seed the per-point seeds are derived from (default: the suite\'s, else 1)')
    .option('--out <dir>', 'output directory (default lowbit-out/sweep-<name>)');
  return jobRunFlags(cmd)
    .option('--json', JSON_HELP)
    .action((what: string | undefined, opts: Record<string, unknown>) =>
      guarded(!!opts.json, async () => {
        const out = new Out(!!opts.json);
        const isSuite = what !== undefined && /\.(ya?ml|json)$/i.test(what);
        const r = await withProgress(!!opts.json, out, (events) =>
          sweep({
            ...(isSuite ? { suite: what } : { families: what }),
            ...jobRunValues(opts),
            grid: opts.grid as string[] | undefined,
            target: opts.target as string | undefined,
            name: opts.name as string | undefined,
            estimateOnly: !!opts.estimateOnly,
            synthesize: opts.synthesize as string | undefined,
            near: opts.near as string | undefined,
            pnr: opts.pnr ? true : undefined,
            device: opts.device as string | undefined,
            power: opts.power ? true : undefined,
            vectors: opts.vectors as string | undefined,
            sim: opts.sim as string | undefined,
            seed: opts.seed as string | undefined,
            out: opts.out as string | undefined,
            argv: commandLine(),
            ...events,
          }),
        );
        if (opts.json) out.note(summary(r));
        else out.say('\n' + summary(r));
        out.result(r);
        return r.ok ? 0 : 1;
      }),
    );
}
