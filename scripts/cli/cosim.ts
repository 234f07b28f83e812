import { Command } from 'commander';
import chalk from 'chalk';
import { join } from 'node:path';
import { familyCommand, intOption, onFamily, paramFlags, prepareRtl, type Resolved } from './common.js';
import { cosim, replayRun, type CosimOptions, type Mismatch } from '../../testbenches/cosim.js';
import { SIMULATORS } from '../../testbenches/simulator.js';
import { simNetlist, synth } from '../../flows/yosys.js';
import { freshSeed } from '../../generators/common/rng.js';
import { UsageError } from '../../generators/common/params.js';
import type { CommonParams } from '../../generators/common/family.js';

/** The exact command that replays vector `v` of this run (printed on a mismatch). */
export function replayCommand(r: Resolved, seed: number, vectors: number, stall: number, v: number, rtl?: string, extra: string[] = []): string {
  const parts = ['npx lowbit cosim', r.family.name, ...paramFlags(r), `--top ${r.top}`, `--seed ${seed}`, `--vectors ${vectors}`, `--stall ${stall}`, ...extra];
  if (rtl) parts.push(`--rtl ${rtl}`);
  parts.push(`--replay ${v}`);
  return parts.join(' ');
}

function describeMismatch(m: Mismatch): string {
  return `vector ${m.vector} (${m.kind}, ${m.beats} beat${m.beats === 1 ? '' : 's'}), row ${m.row}: expected ${m.expected}, actual ${m.actual} (${m.rowsWrong} row(s) of this vector differ)`;
}

export function cosimCommand(): Command {
  return familyCommand('cosim', 'co-simulate a design against the golden model: directed corner vectors and random vectors, every output of every vector compared')
    .option('--vectors <n>', 'vectors to run (directed corner vectors first, then random ones)', '10000')
    .option('--seed <s>', 'random seed (printed when not given)')
    .option('--stall <percent>', 'percent of cycles with a gap on in_valid and with out_ready low', '25')
    .option('--sim <simulator>', `${Object.keys(SIMULATORS).join(' | ')}`, 'verilator')
    .option('--netlist <kind>', 'simulate the netlist Yosys makes of the RTL instead: generic (CMOS gates) | asic (OSU 0.18 um cells, their liberty functions as models)')
    .option('--rtl <dir>', 'simulate this RTL (e.g. edited by hand) instead of generating it')
    .option('--dump <dir>', 'write DIR/cosim.json with the first 1,000 vectors (weights, activations, expected, actual)')
    .option('--out <dir>', 'where to generate the RTL and keep logs')
    .option('--replay <vector>', 'run vectors 0..V only, with a VCD trace of the last two (what a mismatch report prints)')
    .action(
      onFamily(async (r, opts, out) => {
        const vectors = intOption('vectors', opts.vectors, 1, 1e9, 10000);
        const seedGiven = opts.seed !== undefined;
        const seed = intOption('seed', opts.seed, 0, Number.MAX_SAFE_INTEGER, freshSeed());
        const stall = intOption('stall', opts.stall, 0, 90, 25);
        const replayAt = opts.replay === undefined ? undefined : intOption('replay', opts.replay, 0, vectors - 1, 0);
        const simulator = SIMULATORS[opts.sim as string];
        if (!simulator) throw new UsageError(`sim must be one of ${Object.keys(SIMULATORS).join(', ')}, not ${JSON.stringify(opts.sim)}`);
        const netlist = opts.netlist as string | undefined;
        if (netlist !== undefined && netlist !== 'generic' && netlist !== 'asic') throw new UsageError(`netlist must be one of generic, asic, not ${JSON.stringify(netlist)}`);
        const rtl = prepareRtl(r, opts as { rtl?: string; out?: string });
        const dir = rtl.dir;
        let files = rtl.files;
        if (netlist) {
          const t0 = performance.now();
          await synth(files, r.top, netlist, r.params.rows * r.params.k, join(dir, 'logs'));
          files = [join(dir, simNetlist(netlist))];
          out.note(`simulating the ${netlist} netlist ${files[0]} (synthesis ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
        }
        if (!seedGiven) out.note(`seed ${seed} (pass --seed ${seed} to repeat this run)`);
        const progress = process.stderr.isTTY && !opts.json
          ? (done: number, total: number) => process.stderr.write(`\r  ${done}/${total} vectors compared`)
          : undefined;
        const o: CosimOptions<CommonParams> = {
          family: r.family,
          params: r.params,
          top: r.top,
          files,
          simulator,
          vectors,
          seed,
          stall,
          workDir: dir,
          dumpPath: opts.dump ? join(opts.dump as string, 'cosim.json') : undefined,
          onProgress: progress,
        };
        const t0 = performance.now();
        if (replayAt !== undefined) {
          const run = await replayRun(o, replayAt);
          out.say(run.mismatch ? chalk.red(`MISMATCH: ${describeMismatch(run.mismatch)}`) : `vectors 0..${replayAt} match`);
          out.say(`VCD: ${run.vcd}`);
          out.result({ ok: !run.mismatch, family: r.family.name, params: r.params, seed, replay: replayAt, mismatch: run.mismatch, vcd: run.vcd });
          return run.mismatch ? 1 : 0;
        }
        const res = await cosim(o);
        if (progress) process.stderr.write('\n');
        const total = (performance.now() - t0) / 1000;
        const summary = {
          ok: res.passed,
          family: r.family.name,
          top: r.top,
          params: r.params,
          seed,
          stall,
          vectors: res.compared,
          directed: res.directed,
          beats: res.beats,
          simulator: simulator.name,
          netlist: netlist ? files[0] : undefined,
          build: { seconds: res.buildSeconds, cached: res.buildCached },
          simSeconds: res.simSeconds,
          totalSeconds: total,
          dir,
          dump: o.dumpPath,
          mismatch: res.mismatch,
          replay: res.mismatch ? replayCommand(r, seed, res.mismatch.vector + 1, stall, res.mismatch.vector, opts.rtl as string | undefined, [...(simulator.name === 'verilator' ? [] : [`--sim ${simulator.name}`]), ...(netlist ? [`--netlist ${netlist}`] : [])]) : undefined,
          vcd: res.vcd,
        };
        if (res.passed) {
          out.say(
            `${chalk.green('PASS')} ${r.family.name} (${simulator.name}${netlist ? `, ${netlist} netlist` : ''}): ${res.compared} vectors (${res.directed} directed), ${res.beats} beats, every output bit-exact; ` +
              `seed ${seed}; build ${res.buildSeconds.toFixed(1)} s${res.buildCached ? ' (cached)' : ''}, simulation ${res.simSeconds.toFixed(1)} s`,
          );
          if (o.dumpPath) out.say(`dump: ${o.dumpPath}`);
        } else {
          const m = res.mismatch!;
          // The mismatch report goes to stdout (or into the JSON) and, under --json, also to stderr.
          const text = [
            chalk.red(`MISMATCH at ${describeMismatch(m)}`),
            `seed: ${seed}`,
            `replay: ${summary.replay}`,
            `VCD of the replay: ${res.vcd}`,
          ].join('\n');
          if (opts.json) out.note(text);
          else out.say(text);
        }
        out.result(summary);
        return res.passed ? 0 : 1;
      }),
    );
}
