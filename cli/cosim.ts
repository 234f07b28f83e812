import { Command } from 'commander';
import chalk from 'chalk';
import { join } from 'node:path';
import { checkEnv, checkWritableDir, familyCommand, intOption, onFamily, outDirOption, paramFlags, prepareRtl, type Resolved } from './common.js';
import { withTimeLimit } from './limits.js';
import { cosim, replayRun, DEFAULT_RESETS, type CosimOptions, type Mismatch, type ProtocolViolation } from '../testbenches/cosim.js';
import { repoPath } from '../core/paths.js';
import { SIMULATORS } from '../testbenches/simulator.js';
import { simNetlist, synth } from '../flows/tools/yosys.js';
import { freshSeed } from '../core/rng.js';
import { UsageError } from '../generators/common/params.js';
import type { CommonParams } from '../generators/common/family.js';

/** A word for a POSIX shell: left bare when it is plainly safe, else in single quotes. */
export const shellWord = (w: string): string => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);

/** What shaped a run besides the family parameters: replayed exactly by replayCommand. */
export interface RunShape {
  seed: number;
  vectors: number;
  stall: number;
  resets: number;
  sim: string;
  netlist?: string;
  /** Absolute path of the RTL directory (--rtl), when the run did not generate its RTL. */
  rtl?: string;
}

/**
 * The exact command that replays vector `v` of a run (printed on a mismatch or violation): the
 * absolute path of this lowbit's entry point and absolute paths, so it works from any directory.
 */
export function replayCommand(r: Resolved, shape: RunShape, v: number): string {
  const words = [
    process.execPath, repoPath('bin', 'lowbit.mjs'), 'cosim', r.family.name, ...paramFlags(r), '--top', r.top,
    '--seed', String(shape.seed), '--vectors', String(shape.vectors), '--stall', String(shape.stall), '--resets', String(shape.resets),
    '--sim', shape.sim, ...(shape.netlist ? ['--netlist', shape.netlist] : []), ...(shape.rtl ? ['--rtl', shape.rtl] : []),
    '--replay', String(v),
  ];
  return words.map(shellWord).join(' ');
}

function describeMismatch(m: Mismatch): string {
  const actual = m.unknownBits ? `${m.unknownBits} unknown (X/Z) bit${m.unknownBits === 1 ? '' : 's'}: ${m.actual}` : `actual ${m.actual}`;
  return `vector ${m.vector} (${m.kind}, ${m.beats} beat${m.beats === 1 ? '' : 's'}), row ${m.row}: expected ${m.expected}, ${actual} (${m.rowsWrong} row(s) of this vector differ)`;
}

function describeViolation(v: ProtocolViolation): string {
  return `cycle ${v.cycle} (while sending vector ${v.vector}): ${v.rule}`;
}

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
    .option('--out <dir>', 'where to generate the RTL and keep logs and VCDs (with --rtl: logs and VCDs; default lowbit-out/<family>-<hash>)')
    .option('--replay <vector>', 'run vectors 0..V only, with a VCD trace of the last two (what a mismatch report prints)')
    .action(
      onFamily(async (r, opts, out) => {
        const vectors = intOption('vectors', opts.vectors, 1, 1e9, 10000);
        const seedGiven = opts.seed !== undefined;
        const seed = intOption('seed', opts.seed, 0, Number.MAX_SAFE_INTEGER, freshSeed());
        const stall = intOption('stall', opts.stall, 0, 90, 25);
        const resets = intOption('resets', opts.resets, 0, 50, DEFAULT_RESETS);
        const replayAt = opts.replay === undefined ? undefined : intOption('replay', opts.replay, 0, vectors - 1, 0);
        const simulator = SIMULATORS[opts.sim as string];
        if (!simulator) throw new UsageError(`sim must be one of ${Object.keys(SIMULATORS).join(', ')}, not ${JSON.stringify(opts.sim)}`);
        const netlist = opts.netlist as string | undefined;
        if (netlist !== undefined && netlist !== 'generic' && netlist !== 'asic') throw new UsageError(`netlist must be one of generic, asic, not ${JSON.stringify(netlist)}`);
        const dumpDir = opts.dump !== undefined ? outDirOption('dump', opts.dump as string) : undefined;
        // Written at the end of a run: an unwritable one must fail now, not after the simulation.
        if (dumpDir !== undefined) checkWritableDir('dump', dumpDir);
        // A bad LOWBIT_CACHE (or Yosys, liberty for a netlist) is bad input: refused before anything is written.
        checkEnv({ cache: simulator.name === 'verilator', yosys: netlist !== undefined, liberty: netlist === 'asic' });
        const rtl = await prepareRtl(r, opts as { rtl?: string; out?: string });
        const dir = rtl.workDir;
        let files = rtl.files;
        if (netlist) {
          const t0 = performance.now();
          await synth(files, r.top, netlist, r.params.rows * r.params.k, join(dir, 'logs'), { workDir: dir, incdirs: rtl.incdirs });
          files = [join(dir, simNetlist(netlist))];
          out.note(`simulating the ${netlist} netlist ${files[0]} (synthesis ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
        }
        if (!seedGiven) out.note(`seed ${seed} (pass --seed ${seed} to repeat this run)`);
        const o: CosimOptions<CommonParams> = {
          family: r.family,
          params: r.params,
          top: r.top,
          files,
          // A netlist is one self-contained file; RTL may include headers.
          incdirs: netlist ? [] : rtl.incdirs,
          simulator,
          vectors,
          seed,
          stall,
          resets,
          workDir: dir,
          dumpPath: dumpDir !== undefined ? join(dumpDir, 'cosim.json') : undefined,
        };
        const t0 = performance.now();
        if (replayAt !== undefined) {
          const run = await replayRun(o, replayAt);
          if (run.violation) out.say(chalk.red(`PROTOCOL VIOLATION at ${describeViolation(run.violation)}`));
          else out.say(run.mismatch ? chalk.red(`MISMATCH: ${describeMismatch(run.mismatch)}`) : `vectors 0..${replayAt} match`);
          out.say(`VCD: ${run.vcd}`);
          const bad = !!(run.mismatch || run.violation);
          out.result({ ok: !bad, family: r.family.name, params: r.params, seed, replay: replayAt, mismatch: run.mismatch, violation: run.violation, vcd: run.vcd });
          return bad ? 1 : 0;
        }
        const res = await cosim(o);
        const total = (performance.now() - t0) / 1000;
        const failedAt = res.violation?.vector ?? res.mismatch?.vector;
        const summary = {
          ok: res.passed,
          family: r.family.name,
          top: r.top,
          params: r.params,
          seed,
          stall,
          resets: res.resets,
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
          violation: res.violation,
          replay: failedAt === undefined ? undefined : replayCommand(r, { seed, vectors: failedAt + 1, stall, resets, sim: simulator.name, netlist, rtl: rtl.generated ? undefined : rtl.rtlDir }, failedAt),
          vcd: res.vcd,
        };
        if (res.passed) {
          out.say(
            `${chalk.green("PASS")} ${r.family.name} (${simulator.name}${netlist ? `, ${netlist} netlist` : ""}): ${res.compared} vectors (${res.directed} directed), ${res.beats} beats, ${res.resets} mid-stream resets, every output bit-exact; ` +
              `seed ${seed}; build ${res.buildSeconds.toFixed(1)} s${res.buildCached ? ' (cached)' : ''}, simulation ${res.simSeconds.toFixed(1)} s`,
          );
          if (o.dumpPath) out.say(`dump: ${o.dumpPath}`);
        } else {
          // The failure report goes to stdout (or into the JSON) and, under --json, also to stderr.
          const text = [
            res.violation ? chalk.red(`PROTOCOL VIOLATION at ${describeViolation(res.violation)}`) : chalk.red(`MISMATCH at ${describeMismatch(res.mismatch!)}`),
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
