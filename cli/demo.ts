// The main job on built-in defaults (generators/demo.ts): each design generated, linted, co-simulated
// and synthesized for iCE40 and generic gates, reported next to the baseline.
import { Command } from 'commander';
import chalk from 'chalk';
import { Out, commandLine, guarded } from './common.js';
import { startTimeLimit, withTimeLimit } from './limits.js';
import { demo, type DemoEvent, type DemoResult } from '../api/demo.js';
import { textTable } from '../api/table.js';
import { DEMO_DESIGNS } from '../generators/demo.js';

const dims = (p: Record<string, unknown>) => `${String(p.rows)}x${String(p.k)}`;
const mainDesigns = () => DEMO_DESIGNS.filter((d) => !d.baseline).map((d) => `${dims(d.params)} ${d.label}`).join(', ');
const baselineLabel = () => DEMO_DESIGNS.filter((d) => d.baseline).map((d) => d.label).join(', ');

/** Per-MAC figures of every design next to the baseline's. */
export function comparisonTable(rows: DemoResult[], baseline: DemoResult, baseName: string): string {
  const head = ['design', 'SB_LUT4', 'LUT4/MAC', 'SB_CARRY', 'DFF', 'transistors', 'tr/MAC', `LUT4 vs ${baseName}`, `tr vs ${baseName}`];
  return textTable(head, rows.map((r) => [
    r.name,
    String(r.ice40.lut4),
    r.ice40.perMac.lut4.toFixed(2),
    String(r.ice40.carry),
    String(r.ice40.dff),
    String(r.generic.transistors),
    r.generic.perMac.transistors.toFixed(1),
    (r.ice40.perMac.lut4 / baseline.ice40.perMac.lut4).toFixed(3) + 'x',
    (r.generic.perMac.transistors! / baseline.generic.perMac.transistors!).toFixed(3) + 'x',
  ]));
}

function describe(e: DemoEvent, seed: number): string {
  switch (e.kind) {
    case 'design':
      return chalk.bold(`\n== ${e.design.label} ${e.params.rows}x${e.params.k}, act_bits ${e.params.act_bits}: ${e.dir}`);
    case 'lint':
      return 'lint: verilator -Wall clean, Icarus compiles';
    case 'cosim': {
      const c = e.result;
      if (!c.passed) return chalk.red(`cosim MISMATCH: vector ${c.mismatch!.vector} row ${c.mismatch!.row}: expected ${c.mismatch!.expected}, actual ${c.mismatch!.actual}; VCD ${c.vcd}`);
      return `cosim: ${c.compared} vectors, ${c.beats} beats, all bit-exact (seed ${seed}; build ${c.buildSeconds.toFixed(1)} s${c.buildCached ? ' cached' : ''}, sim ${c.simSeconds.toFixed(1)} s)`;
    }
    case 'synth': {
      const s = e.report;
      return s.target === 'ice40'
        ? `synth ice40: ${s.lut4} SB_LUT4 (${s.perMac.lut4.toFixed(2)}/MAC), ${s.carry} SB_CARRY, ${s.dff} DFF in ${s.seconds.toFixed(1)} s`
        : `synth ${s.target}: ${s.transistors} transistors (${s.perMac.transistors.toFixed(1)}/MAC) in ${s.seconds.toFixed(1)} s`;
    }
  }
}

export function demoCommand(): Command {
  return withTimeLimit(new Command('demo'))
    .description(`the main job on defaults: ${mainDesigns()} -> lint -> cosim (100,000 vectors) -> synth (iCE40, generic), next to ${baselineLabel()}`)
    .option('--vectors <n>', 'co-simulation vectors per design (the baseline runs at most 10,000)', '100000')
    .option('--seed <s>', 'random seed', '1')
    .option('--out <dir>', 'output directory (one folder per design; run.json here)', 'lowbit-out/demo')
    .option('--json', 'print one JSON object on stdout and nothing else there')
    .action((opts: Record<string, unknown>, cmd: Command) =>
      guarded(!!opts.json, async () => {
        startTimeLimit(cmd, opts);
        const out = new Out(!!opts.json);
        const seed = opts.seed as string;
        const progress = process.stderr.isTTY && !opts.json ? (d: number, t: number) => process.stderr.write(`\r  cosim ${d}/${t}`) : undefined;
        const r = await demo({
          vectors: opts.vectors as string,
          seed,
          out: opts.out as string,
          argv: commandLine(),
          onNote: (t) => out.note(t),
          onProgress: progress,
          onEvent: (e) => {
            if (e.kind === 'cosim' && progress) process.stderr.write('\n');
            out.say(describe(e, Number(seed)));
          },
        });
        if (r.ok && r.results) {
          const base = r.results.find((x) => x.name === r.baseline) ?? r.results[r.results.length - 1];
          const p = base.params;
          out.say(chalk.bold(`\n== Per-MAC comparison at rows ${p.rows}, k ${p.k}, act_bits ${p.act_bits} (Yosys, hierarchical synthesis)`));
          out.say(comparisonTable(r.results, base, base.family));
        }
        out.result(r);
        return r.ok ? 0 : 1;
      }),
    );
}
