// `lowbit cosim`: co-simulation against the golden model (hostile harness, every output compared), of
// the RTL or of the netlist Yosys makes of it; and its replay (vectors 0..V with a VCD).

import { join } from 'node:path';
import { cosim as runCosim, replayRun, type CosimOptions as StreamOptions, type Mismatch, type ProtocolViolation } from '../testbenches/cosim.js';
import { SIMULATORS, type StreamSimulator } from '../testbenches/simulator.js';
import { simNetlist, YOSYS } from '../flows/tools/yosys.js';
import { freshSeed } from '../core/rng.js';
import { UsageError } from '../core/errors.js';
import type { CommonParams } from '../generators/common/family.js';
import { paramFlags, type Design, type PreparedRtl, type RtlOptions } from './design.js';
import { checkEnv, checkWritableDir, intOption, outDirOption, type Numeric } from './options.js';
import type { Recorder, RunRecord } from './record.js';
import { runOnRtl } from './run.js';
import { lowbitCommand } from './shell.js';
import { RANGES, rangeOption } from './ranges.js';
import { synthesize } from './synthesize.js';

export type { Mismatch, ProtocolViolation };

/** Options of {@link cosim}. */
export interface CosimOptions extends RtlOptions {
  /** Vectors to run, 1..1e9 (directed corner vectors first, then random ones); default 10000. */
  vectors?: Numeric;
  /** Random seed, 0..2^53-1; default: drawn (and reported). */
  seed?: Numeric;
  /** Percent of cycles with a gap on in_valid and with out_ready low, 0..90; default 25. */
  stall?: Numeric;
  /** Percent of random vectors interrupted by a reset mid-stream, 0..50; default 3. */
  resets?: Numeric;
  /** verilator (default) or iverilog. */
  sim?: string;
  /** Simulate the netlist Yosys makes of the RTL: generic (CMOS gates) or asic (OSU 0.18 um cells). */
  netlist?: string;
  /** Write `dump`/cosim.json with the first 1,000 vectors. */
  dump?: string;
  /** Called as vectors are compared. */
  onProgress?: (done: number, total: number) => void;
}

/** What {@link cosim} returns: `lowbit cosim --json`, and run.json in `dir`. */
export interface CosimReport extends RunRecord {
  seed: number;
  stall: number;
  /** Resets the harness ran mid-stream. */
  resets: number;
  /** Vectors compared. */
  vectors: number;
  directed: number;
  beats: number;
  simulator: string;
  /** The netlist simulated (`netlist`), absolute. */
  netlist?: string;
  build: { seconds: number; cached: boolean };
  simSeconds: number;
  totalSeconds: number;
  /** The output directory (logs, VCDs, run.json). */
  dir: string;
  dump?: string;
  mismatch?: Mismatch;
  violation?: ProtocolViolation;
  /** The command that replays the first failure (absolute paths: works from any directory). */
  replay?: string;
  /** VCD of the replay of the first failure. */
  vcd?: string;
}

/** Options of {@link replay}: a cosim run's options and the vector to replay up to. */
export interface ReplayOptions extends CosimOptions {
  /** Run vectors 0..vector with a VCD of the last two; 0..vectors-1. */
  vector: Numeric;
}

/** What {@link replay} returns: `lowbit cosim --replay V --json`, and run.json. */
export interface ReplayReport extends RunRecord {
  seed: number;
  /** The vector replayed up to. */
  replay: number;
  mismatch?: Mismatch;
  violation?: ProtocolViolation;
  vcd: string;
}

/** A mismatch in words: vector, kind, beats, row, expected and actual (as cosim prints it). */
export function describeMismatch(m: Mismatch): string {
  const actual = m.unknownBits ? `${m.unknownBits} unknown (X/Z) bit${m.unknownBits === 1 ? '' : 's'}: ${m.actual}` : `actual ${m.actual}`;
  return `vector ${m.vector} (${m.kind}, ${m.beats} beat${m.beats === 1 ? '' : 's'}), row ${m.row}: expected ${m.expected}, ${actual} (${m.rowsWrong} row(s) of this vector differ)`;
}

/** A protocol violation in words: cycle, vector, rule. */
export function describeViolation(v: ProtocolViolation): string {
  return `cycle ${v.cycle} (while sending vector ${v.vector}): ${v.rule}`;
}

/** What shaped a run besides the family parameters: replayed exactly by replayCommand. */
export interface RunShape {
  seed: number;
  vectors: number;
  stall: number;
  resets: number;
  sim: string;
  netlist?: string;
  /** Absolute path of the RTL directory, when the run did not generate its RTL. */
  rtl?: string;
}

/**
 * The exact command that replays vector `v` of a run: this lowbit's entry point and absolute paths,
 * every option that shaped the run, so it works from any directory.
 */
export function replayCommand(d: Design, shape: RunShape, v: number): string {
  return lowbitCommand([
    'cosim', d.family.name, ...paramFlags(d), '--top', d.top,
    '--seed', String(shape.seed), '--vectors', String(shape.vectors), '--stall', String(shape.stall), '--resets', String(shape.resets),
    '--sim', shape.sim, ...(shape.netlist ? ['--netlist', shape.netlist] : []), ...(shape.rtl ? ['--rtl', shape.rtl] : []),
    '--replay', String(v),
  ]);
}

interface Checked {
  vectors: number;
  seed: number;
  seedGiven: boolean;
  stall: number;
  resets: number;
  replayAt?: number;
  simulator: StreamSimulator;
  netlist?: 'generic' | 'asic';
  dumpDir?: string;
}

function checkOptions(o: CosimOptions, replayAt: Numeric | undefined, rec: Recorder): Checked {
  const R = RANGES.cosim;
  const vectors = rangeOption('vectors', o.vectors, R.vectors);
  const seed = rangeOption('seed', o.seed, R.seed, freshSeed());
  const stall = rangeOption('stall', o.stall, R.stall);
  const resets = rangeOption('resets', o.resets, R.resets);
  const at = replayAt === undefined ? undefined : intOption('replay', replayAt, 0, vectors - 1, 0);
  const sim = o.sim ?? 'verilator';
  const simulator = SIMULATORS[sim];
  if (!simulator) throw new UsageError(`sim must be one of ${Object.keys(SIMULATORS).join(', ')}, not ${JSON.stringify(sim)}`);
  const netlist = o.netlist;
  if (netlist !== undefined && netlist !== 'generic' && netlist !== 'asic') throw new UsageError(`netlist must be one of generic, asic, not ${JSON.stringify(netlist)}`);
  const dumpDir = o.dump !== undefined ? outDirOption('dump', o.dump) : undefined;
  // Written at the end of a run: an unwritable one must fail now, not after the simulation.
  if (dumpDir !== undefined) checkWritableDir('dump', dumpDir);
  // A bad LOWBIT_CACHE, simulator variable (or Yosys's, the liberty for a netlist) is bad input: refused before anything is written.
  checkEnv({ tools: [...simulator.tools, ...(netlist !== undefined ? [YOSYS] : [])], cache: simulator.name === 'verilator', liberty: netlist === 'asic' });
  rec.seed = seed;
  return { vectors, seed, seedGiven: o.seed !== undefined, stall, resets, replayAt: at, simulator, netlist, dumpDir };
}

/** The stream options of a run, after the netlist (if any) is made. */
async function streamOptions(d: Design, rtl: PreparedRtl, c: Checked, o: CosimOptions, rec: Recorder): Promise<StreamOptions<CommonParams>> {
  const dir = rtl.workDir;
  let files = rtl.files;
  if (c.netlist) {
    const t0 = performance.now();
    await synthesize(d, rtl, c.netlist, rec);
    files = [join(dir, simNetlist(c.netlist))];
    o.onNote?.(`simulating the ${c.netlist} netlist ${files[0]} (synthesis ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  if (!c.seedGiven) o.onNote?.(`seed ${c.seed} (pass --seed ${c.seed} to repeat this run)`);
  rec.used(...(c.simulator.name === 'verilator' ? (['verilator'] as const) : (['iverilog', 'vvp'] as const)));
  return {
    family: d.family,
    params: d.params,
    top: d.top,
    files,
    // A netlist is one self-contained file; RTL may include headers.
    incdirs: c.netlist ? [] : rtl.incdirs,
    simulator: c.simulator,
    vectors: c.vectors,
    seed: c.seed,
    stall: c.stall,
    resets: c.resets,
    workDir: dir,
    dumpPath: c.dumpDir !== undefined ? join(c.dumpDir, 'cosim.json') : undefined,
    onProgress: o.onProgress,
  };
}

/**
 * Co-simulates a design against the golden model: directed corner vectors, then random ones, through
 * a hostile harness (garbage on idle inputs, unknown initial state, resets mid-stream, backpressure),
 * every output of every vector compared. `ok` is false on a mismatch, an X/Z result or a protocol
 * violation; the report then names it, with a replay command and a VCD.
 *
 * @param o - the design (generated, or `rtl`), `vectors`, `seed`, `stall`, `resets`, `sim`, `netlist`, `dump`, `out`
 * @returns the report, also written as run.json in `dir`
 * @throws UsageError for bad options or RTL whose ports do not match the parameters (exit 2), ToolFailedError (exit 1), ToolMissingError (exit 4)
 * @example
 * const r = await cosim({ family: 'ternary', params: { rows: 2, k: 8 }, vectors: 1000, seed: 1 });
 * if (!r.ok) console.log(r.mismatch, r.replay);
 */
export async function cosim(o: CosimOptions): Promise<CosimReport> {
  return runOnRtl('cosim', o, (_d, rec) => checkOptions(o, undefined, rec), async ({ d, rtl, rec, opts: c }) => {
    const so = await streamOptions(d, rtl, c, o, rec);
    const t0 = performance.now();
    const res = await runCosim(so);
    const total = (performance.now() - t0) / 1000;
    if (c.simulator.name === 'verilator' && !res.buildCached) rec.used('make', 'g++');
    rec.stepTime(`${c.simulator.name} build`, res.buildSeconds);
    rec.stepTime('simulation', res.simSeconds);
    if (res.vcd) rec.stepTime('replay with a trace', Math.max(0, total - res.buildSeconds - res.simSeconds));
    const log = join(rtl.workDir, 'logs', `${c.simulator.name}-run.log`);
    rec.metric('vectors', res.compared, 'vectors', log);
    rec.metric('directed_vectors', res.directed, 'vectors', log);
    rec.metric('beats', res.beats, 'beats', log);
    rec.metric('resets', res.resets, 'resets', log);
    const failedAt = res.violation?.vector ?? res.mismatch?.vector;
    const shape = { seed: c.seed, vectors: (failedAt ?? 0) + 1, stall: c.stall, resets: c.resets, sim: c.simulator.name, netlist: c.netlist, rtl: rtl.generated ? undefined : rtl.rtlDir };
    return {
      ok: res.passed,
      fields: {
        seed: c.seed,
        stall: c.stall,
        resets: res.resets,
        vectors: res.compared,
        directed: res.directed,
        beats: res.beats,
        simulator: c.simulator.name,
        netlist: c.netlist ? so.files[0] : undefined,
        build: { seconds: res.buildSeconds, cached: res.buildCached },
        simSeconds: res.simSeconds,
        totalSeconds: total,
        dir: rtl.workDir,
        dump: so.dumpPath,
        mismatch: res.mismatch,
        violation: res.violation,
        replay: failedAt === undefined ? undefined : replayCommand(d, shape, failedAt),
        vcd: res.vcd,
      },
    };
  });
}

/**
 * Replays vectors 0..`vector` of a cosim run (same options) with a trace build and a VCD of the last
 * two: what a mismatch report's replay command runs.
 *
 * @returns the report: the mismatch or violation found (if any) and the VCD; `ok` false when one was found
 * @throws as {@link cosim}; UsageError when `vector` is not below `vectors`
 */
export async function replay(o: ReplayOptions): Promise<ReplayReport> {
  return runOnRtl('cosim', o, (_d, rec) => checkOptions(o, o.vector, rec), async ({ d, rtl, rec, opts: c }) => {
    const so = await streamOptions(d, rtl, c, o, rec);
    const run = await rec.step('replay with a trace', () => replayRun(so, c.replayAt!));
    rec.metric('vectors', run.compared, 'vectors', run.vcd);
    rec.metric('beats', run.beats, 'beats', run.vcd);
    const bad = !!(run.mismatch || run.violation);
    return { ok: !bad, fields: { seed: c.seed, replay: c.replayAt!, mismatch: run.mismatch, violation: run.violation, vcd: run.vcd } };
  });
}
