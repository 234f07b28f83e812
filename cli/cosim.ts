import { Command } from 'commander';
import chalk from 'chalk';
import { familyCommand, given, onFamily } from './common.js';
import { withTimeLimit } from './limits.js';
import { cosim, describeMismatch, describeViolation, replay, type CosimOptions } from '../api/cosim.js';
import { DEFAULT_RESETS } from '../testbenches/cosim.js';
import { SIMULATORS } from '../testbenches/simulator.js';

export function cosimCommand(): Command {
  return withTimeLimit(familyCommand('cosim', 'co-simulate a design against the golden model: directed corner vectors and random vectors, every output of every vector compared'))
    .option('--vectors <n>', 'vectors to run (directed corner vectors first, then random ones)', '10000')
    .option('--seed <s>', 'random seed (printed when not given)')
    .option('--stall <percent>', 'percent of cycles with a gap on in_valid and with out_ready low', '25')
    .option('--resets <percent>', `percent of random vectors during which (or just before which) the design is reset mid-stream (0..50; 0 = only the reset at start)`, String(DEFAULT_RESETS))
    .option('--sim <simulator>', `${Object.keys(SIMULATORS).join(' | ')}`, 'verilator')
    .option('--netlist <kind>', 'simulate the netlist Yosys makes of the RTL instead: generic (CMOS gates) | asic (OSU 0.18 um cells, their liberty functions as models)')
    .option('--rtl <dir>', 'simulate this RTL (e.g. edited by hand) instead of generating it')
    .option('--dump <dir>', 'write DIR/cosim.json with the first 1,000 vectors (weights, activations, expected, actual)')
    .option('--out <dir>', 'where to generate the RTL and keep logs, VCDs and run.json (with --rtl: all but the RTL; default lowbit-out/<family>-<hash>)')
    .option('--replay <vector>', 'run vectors 0..V only, with a VCD trace of the last two (what a mismatch report prints)')
    .action(
      onFamily(async (base, opts, out) => {
        const o: CosimOptions = { ...base, ...given(opts, 'vectors', 'seed', 'stall', 'resets', 'sim', 'netlist', 'dump') };
        if (opts.replay !== undefined) {
          const run = await replay({ ...o, vector: opts.replay as string });
          if (run.violation) out.say(chalk.red(`PROTOCOL VIOLATION at ${describeViolation(run.violation)}`));
          else out.say(run.mismatch ? chalk.red(`MISMATCH: ${describeMismatch(run.mismatch)}`) : `vectors 0..${run.replay} match`);
          out.say(`VCD: ${run.vcd}`);
          out.result(run);
          return run.ok ? 0 : 1;
        }
        const r = await cosim(o);
        if (r.ok) {
          out.say(
            `${chalk.green('PASS')} ${r.family} (${r.simulator}${r.netlist ? `, ${o.netlist} netlist` : ''}): ${r.vectors} vectors (${r.directed} directed), ${r.beats} beats, ${r.resets} mid-stream resets, every output bit-exact; ` +
              `seed ${r.seed}; build ${r.build.seconds.toFixed(1)} s${r.build.cached ? ' (cached)' : ''}, simulation ${r.simSeconds.toFixed(1)} s`,
          );
          if (r.dump) out.say(`dump: ${r.dump}`);
        } else {
          // The failure report goes to stdout (or into the JSON) and, under --json, also to stderr.
          const text = [
            r.violation ? chalk.red(`PROTOCOL VIOLATION at ${describeViolation(r.violation)}`) : chalk.red(`MISMATCH at ${describeMismatch(r.mismatch!)}`),
            `seed: ${r.seed}`,
            `replay: ${r.replay}`,
            `VCD of the replay: ${r.vcd}`,
          ].join('\n');
          if (opts.json) out.note(text);
          else out.say(text);
        }
        out.result(r);
        return r.ok ? 0 : 1;
      }),
    );
}
