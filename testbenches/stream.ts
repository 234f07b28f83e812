// The streaming protocol of co-simulation: start the prepared simulator, produce the schedule's beat
// records into its stdin with backpressure (the harness runs on one core while this process makes
// the next beats and their expected results on the other), hand whole results from its stdout to the
// checker (compare.ts), and turn how the process ended into a result or an error.
//
// Resets: a random vector may carry a reset request (flags bit 1 of one of its records). The harness
// resets the design there, drops the vector in flight and every result not yet taken, and presents
// those vectors again, so every vector still has exactly one result, in order: this side only counts
// the requests and never re-sends anything.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CommonParams, Family, Layout } from '../generators/common/family.js';
import { wordsFor } from '../core/bits.js';
import { ToolFailedError, ToolMissingError, TOOLS, tailOf } from '../core/tool.js';
import { spawnTool } from '../core/procs.js';
import { timeLimitError } from '../core/budget.js';
import { startStep } from '../core/progress.js';
import { UsageError } from '../core/errors.js';
import { Schedule, newBeat, packActs, type Stimulus } from './stimulus.js';
import type { PreparedSim, RecordShape } from './simContract.js';
import { DUMP_LIMIT, type DumpVector, type DumpWriter } from './dump.js';
import { findViolation, type ProtocolViolation } from './wire.js';
import { GoldenModel, ResultChecker, type Expected, type Mismatch } from './compare.js';

/** Default percent of random vectors interrupted by a reset (`cosim --resets`). */
export const DEFAULT_RESETS = 3;

export interface StreamRun {
  compared: number;
  beats: number;
  /** Resets the harness was asked for. */
  resets: number;
  mismatch?: Mismatch;
  /** A handshake rule the design broke (the run stops there). */
  violation?: ProtocolViolation;
  simSeconds: number;
  /** Clock cycles the harness ran out of reset (its closing "harness: ..." line), when it printed one. */
  cycles?: number;
}

/** Where a run's vectors come from: the co-simulation schedule, or a caller's (a layer's tiles and tokens). */
export type VectorPlan<P extends CommonParams> = Pick<Schedule<P>, 'vector' | 'isDirected' | 'auxRng'>;

/** One run of a prepared simulator over vectors 0..count-1. */
export interface StreamSpec<P extends CommonParams> {
  family: Family<P>;
  params: P;
  sim: PreparedSim;
  /** The simulator's name, for progress and messages ("simulation (verilator)"). */
  simulator: { name: string };
  seed: number;
  count: number;
  stimulus?: Stimulus;
  /** Percent of random vectors with a reset request (default DEFAULT_RESETS). */
  resets?: number;
  stall: number;
  quiet?: boolean;
  vcd?: string;
  vcdFrom?: number;
  workDir: string;
  /** The simulator's stderr (where the harness reports) goes here. */
  logPath: string;
  dump?: DumpWriter;
  /** Kill the simulator at the first mismatch (not in replays: the VCD must be written whole). */
  stopAtMismatch: boolean;
  onProgress?: (done: number, total: number) => void;
  /** The vectors to send (default: the co-simulation schedule of `seed` and `stimulus`). */
  plan?: VectorPlan<P>;
  /** Receives each vector's expected rows as they are queued (a layer reassembles its output from them). */
  onExpected?: (v: number, rows: Expected) => void;
}

export const recordShape = (l: Layout): RecordShape => {
  const actWords = wordsFor(l.k * l.actBits);
  return { recWords: 1 + actWords + wordsFor(l.wgtBits), actWords, outWords: wordsFor(l.rows * l.accBits) };
};

/** Which beat of vector v carries a reset request (-1: none): random vectors only, so directed corners run whole. */
export function resetBeat<P extends CommonParams>(schedule: VectorPlan<P>, v: number, beats: number, percent: number): number {
  if (percent <= 0 || schedule.isDirected(v)) return -1;
  const rng = schedule.auxRng(v);
  if (rng.u32() % 10000 >= percent * 100) return -1;
  // Beat 0: reset just before the vector (the previous result may wait in the output register);
  // beat b > 0: after b beats of it were accepted (a vector in flight).
  return rng.u32() % beats;
}

/** Streams vectors 0..count-1 through a prepared simulator process; stops at the first mismatch if asked. */
export async function stream<P extends CommonParams>(s: StreamSpec<P>): Promise<StreamRun> {
  const { family, params: p } = s;
  const l = family.layout(p);
  const schedule = s.plan ?? new Schedule(family, p, s.seed, s.count, s.stimulus);
  const shape = recordShape(l);
  const { recWords, actWords } = shape;
  const codec = s.sim.codec(shape);
  const golden = new GoldenModel(l, p.overflow);
  const checker = new ResultChecker(l, shape.outWords, {
    describe: (v) => schedule.vector(v),
    stopAtMismatch: s.stopAtMismatch,
    actual: s.dump ? { wants: (v) => v < DUMP_LIMIT, set: (v, rows) => s.dump!.setActual(v, rows) } : undefined,
  });
  const resetPercent = s.resets ?? DEFAULT_RESETS;

  mkdirSync(s.workDir, { recursive: true });
  // The log's folder too: a cached build (no tool run) has not made it in a fresh work directory.
  mkdirSync(dirname(s.logPath), { recursive: true });
  const t0 = performance.now();
  // Its own process group, stopped with the run's time limit (core/procs.ts).
  const run = spawnTool(s.sim.command, s.sim.args({ seed: s.seed, stall: s.stall, beatCycles: l.beatCycles ?? 1, quiet: s.quiet, vcd: s.vcd, vcdFrom: s.vcdFrom }), {
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: { file: s.logPath },
    buffer: false,
    reject: false,
  });
  const child = run.child;

  let totalBeats = 0;
  let resets = 0;
  let stop = false;
  // An error inside a stream handler (a line that does not parse) ends the run as a tool failure.
  let wireError: Error | undefined;

  const decode = codec.decoder();
  child.stdout!.on('data', (chunk: Buffer) => {
    if (stop) return;
    try {
      if (checker.take(decode(chunk))) {
        stop = true;
        child.kill();
      }
    } catch (e) {
      wireError = e as Error;
      stop = true;
      child.kill();
    }
  });

  // Producer: records into a chunk, written with backpressure; yields so the consumer keeps up.
  const chunkRecords = Math.max(1, Math.floor((256 * 1024) / (recWords * 4)));
  const view = new Uint32Array(chunkRecords * recWords);
  let filled = 0;
  const beat = newBeat(l);
  const stdin = child.stdin!;
  let stdinError = false;
  stdin.on('error', () => {
    stdinError = true; // the harness exited (killed after a mismatch, or failed): handled below
  });
  const flush = async (): Promise<void> => {
    if (filled === 0 || stdinError) return;
    const ok = stdin.write(codec.encode(view, filled));
    filled = 0;
    if (!ok) await new Promise<void>((res) => { const done = () => { stdin.off('drain', done); child.off('exit', done); res(); }; stdin.on('drain', done); child.on('exit', done); });
    else await new Promise<void>((res) => setImmediate(res));
  };
  let lastProgress = performance.now();
  let sent = 0;
  const what = `simulation (${s.simulator.name})`;
  const step = startStep(what, () => `${sent} of ${s.count} vectors sent, ${checker.compared} compared`);
  try {
    for (let v = 0; v < s.count && !stop && !stdinError; v++) {
      const src = schedule.vector(v);
      const resetAt = resetBeat(schedule, v, src.beats, resetPercent);
      if (resetAt >= 0) resets++;
      const dv: DumpVector | undefined = s.dump && v < DUMP_LIMIT ? { weights: Array.from({ length: l.rows }, () => []), activations: [] } : undefined;
      const acc = golden.begin();
      for (let b = 0; b < src.beats; b++) {
        src.next(beat);
        const off = filled * recWords;
        view[off] = (b === src.beats - 1 ? 1 : 0) | (b === resetAt ? 2 : 0);
        packActs(beat.acts, l.actBits, view, off + 1, off + 1 + actWords);
        view.set(beat.wgtWords, off + 1 + actWords);
        golden.step(acc, beat);
        if (dv) {
          for (const a of beat.acts) dv.activations.push(a);
          for (let r = 0; r < l.rows; r++) for (let i = 0; i < l.k; i++) dv.weights[r].push(beat.weights[r * l.k + i]);
        }
        totalBeats++;
        // The chunk holding a vector's last beat is sent only after its expected result is queued.
        if (++filled === chunkRecords && b < src.beats - 1) await flush();
        if (stop || stdinError) break;
      }
      const rows = golden.finish(acc);
      checker.expect(rows);
      s.onExpected?.(v, rows);
      sent = v + 1;
      if (dv) s.dump!.add(v, dv, Array.from(rows as ArrayLike<number | bigint>));
      if (filled === chunkRecords) await flush();
      if (s.onProgress && performance.now() - lastProgress > 250) {
        s.onProgress(checker.compared, s.count);
        lastProgress = performance.now();
      }
    }
    await flush();
  } catch (e) {
    // A stimulus error (e.g. a family's packer rejecting a value) must not leave the simulator waiting.
    child.kill();
    await child.catch(() => undefined);
    step.stop();
    throw e;
  }
  stdin.end();
  const r = await child;
  step.stop();
  const simSeconds = (performance.now() - t0) / 1000;
  s.onProgress?.(checker.compared, s.count);
  const log0 = existsSync(s.logPath) ? readFileSync(s.logPath, 'utf8') : '';
  // The cycles out of reset: the design's own (the harnesses' resets last a random 1..4 cycles each).
  const cyclesLine = /harness: \d+ cycles, \d+ beats, \d+ results, \d+ resets, (\d+) cycles out of reset/.exec(log0);
  const counts = { compared: checker.compared, beats: totalBeats, resets, mismatch: checker.mismatch, simSeconds, ...(cyclesLine ? { cycles: Number(cyclesLine[1]) } : {}) };
  if ((r as { code?: string }).code === 'ENOENT') {
    const t = s.sim.tool;
    throw new ToolMissingError(t?.name ?? s.sim.command, t?.install ?? TOOLS[s.sim.command]?.install ?? `install ${s.sim.command}`);
  }
  const log = existsSync(s.logPath) ? readFileSync(s.logPath, 'utf8') : '';
  if (run.stoppedBy()) throw timeLimitError(what);
  if (wireError) throw new ToolFailedError(what, r.exitCode, tailOf(log) + `\n(${wireError.message})`, s.logPath);
  const violation = findViolation(log);
  if (violation) return { ...counts, violation };
  const widths = /harness: port widths .*/.exec(log);
  if (widths) throw new UsageError(`the RTL's ports do not match the parameters (${widths[0].replace(/^harness: port widths /, '')}): it was made for other parameters (log: ${s.logPath})`);
  if (!stop) {
    if (r.exitCode !== 0 || r.signal) throw new ToolFailedError(what, r.exitCode, tailOf(log), s.logPath, undefined, r.signal);
    if (checker.compared !== s.count) {
      throw new ToolFailedError(what, r.exitCode, tailOf(log) + `\n(${checker.compared} of ${s.count} results arrived)`, s.logPath, undefined, r.signal);
    }
  }
  return counts;
}
