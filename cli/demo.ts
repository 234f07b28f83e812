// The main job on built-in defaults: a 16x64 ternary array generated, linted, co-simulated and
// synthesized for iCE40 and generic gates, reported next to the dense int8 baseline.
import { Command } from 'commander';
import chalk from 'chalk';
import { join, resolve } from 'node:path';
import { Out, guarded, intOption, prepareRtl, resolveFamily } from './common.js';
import { startTimeLimit, withTimeLimit } from './limits.js';
import { lint } from '../flows/tools/verilator.js';
import { compile } from '../flows/tools/iverilog.js';
import { synth, type SynthReport } from '../flows/tools/yosys.js';
import { cosim } from '../testbenches/cosim.js';
import { SIMULATORS } from '../testbenches/simulator.js';

export function comparisonTable(rows: { name: string; ice40: SynthReport; generic: SynthReport }[], baseline: string): string {
  const base = rows.find((r) => r.name === baseline)!;
  const head = ['design', 'SB_LUT4', 'LUT4/MAC', 'SB_CARRY', 'DFF', 'transistors', 'tr/MAC', 'LUT4 vs dense', 'tr vs dense'];
  const body = rows.map((r) => [
    r.name,
    String(r.ice40.lut4),
    r.ice40.perMac.lut4.toFixed(2),
    String(r.ice40.carry),
    String(r.ice40.dff),
    String(r.generic.transistors),
    r.generic.perMac.transistors.toFixed(1),
    (r.ice40.lut4! / base.ice40.lut4!).toFixed(3) + 'x',
    (r.generic.transistors! / base.generic.transistors!).toFixed(3) + 'x',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export function demoCommand(): Command {
  return withTimeLimit(new Command('demo'))
    .description('the main job on defaults: 16x64 ternary array -> lint -> cosim (100,000 vectors) -> synth (iCE40, generic), next to dense int8')
    .option('--vectors <n>', 'co-simulation vectors for the ternary design', '100000')
    .option('--seed <s>', 'random seed', '1')
    .option('--out <dir>', 'output directory', 'lowbit-out/demo')
    .option('--json', 'print one JSON object on stdout and nothing else there')
    .action((opts: Record<string, unknown>, cmd: Command) =>
      guarded(!!opts.json, async () => {
        startTimeLimit(cmd, opts);
        const out = new Out(!!opts.json);
        const vectors = intOption('vectors', opts.vectors, 1, 1e9, 100000);
        const seed = intOption('seed', opts.seed, 0, Number.MAX_SAFE_INTEGER, 1);
        const root = resolve(opts.out as string);
        const results = [];
        for (const [name, flags, n] of [
          ['ternary', { rows: '16', k: '64', actBits: '8' }, vectors],
          ['dense', { rows: '16', k: '64', actBits: '8', wBits: '8' }, Math.min(vectors, 10000)],
        ] as const) {
          const r = resolveFamily(name, flags);
          const { workDir: dir, files } = await prepareRtl(r, { out: join(root, name) });
          out.say(chalk.bold(`\n== ${name} ${r.params.rows}x${r.params.k}, act_bits ${r.params.act_bits}: ${dir}`));
          await lint(files, r.top, join(dir, 'logs', 'verilator-lint.log'));
          await compile(files, r.top, join(dir, 'logs', 'iverilog.vvp'), join(dir, 'logs', 'iverilog.log'));
          out.say('lint: verilator -Wall clean, Icarus compiles');
          const progress = process.stderr.isTTY && !opts.json ? (d: number, t: number) => process.stderr.write(`\r  cosim ${d}/${t}`) : undefined;
          const c = await cosim({ family: r.family, params: r.params, top: r.top, files, simulator: SIMULATORS.verilator, vectors: n, seed, stall: 25, workDir: dir, onProgress: progress });
          if (progress) process.stderr.write('\n');
          if (!c.passed) {
            out.say(chalk.red(`cosim MISMATCH: vector ${c.mismatch!.vector} row ${c.mismatch!.row}: expected ${c.mismatch!.expected}, actual ${c.mismatch!.actual}; VCD ${c.vcd}`));
            out.result({ ok: false, family: name, mismatch: c.mismatch, vcd: c.vcd });
            return 1;
          }
          out.say(`cosim: ${c.compared} vectors, ${c.beats} beats, all bit-exact (seed ${seed}; build ${c.buildSeconds.toFixed(1)} s${c.buildCached ? ' cached' : ''}, sim ${c.simSeconds.toFixed(1)} s)`);
          const macs = r.params.rows * r.params.k;
          const ice40 = await synth(files, r.top, 'ice40', macs, join(dir, 'logs'));
          out.say(`synth ice40: ${ice40.lut4} SB_LUT4 (${ice40.perMac.lut4.toFixed(2)}/MAC), ${ice40.carry} SB_CARRY, ${ice40.dff} DFF in ${ice40.seconds.toFixed(1)} s`);
          const generic = await synth(files, r.top, 'generic', macs, join(dir, 'logs'));
          out.say(`synth generic: ${generic.transistors} transistors (${generic.perMac.transistors.toFixed(1)}/MAC) in ${generic.seconds.toFixed(1)} s`);
          results.push({ name: `${name} ${name === 'dense' ? 'int8' : 'w1.58'}`, family: name, params: r.params, cosim: c, ice40, generic });
        }
        out.say(chalk.bold('\n== Per-MAC comparison at rows 16, k 64, act_bits 8 (Yosys, hierarchical synthesis)'));
        out.say(comparisonTable(results, results[1].name));
        out.result({ ok: true, seed, results });
        return 0;
      }),
    );
}
