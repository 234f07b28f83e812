// Co-simulation: stream the schedule's vectors through a simulator and compare every output row of
// every vector with the golden model. The harness runs on one core while this process generates
// the next beats and the expected results on the other; both sides stream through pipes.
//
// The harness is hostile (testbenches/harness.cpp): garbage on idle inputs, random or unknown initial
// state, resets at points this side asks for (flags bit 1 of a record), protocol rules every cycle. A
// reset drops the vector in flight and every result not yet taken; the harness presents those vectors
// again, so every vector still has exactly one result to compare.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CommonParams, Family, Layout } from '../generators/common/family.js';
import { wordsFor, getBits, getSignedBig, getSignedNum } from '../core/bits.js';
import { accStepBig, numAccumulator, numberSafe } from '../generators/common/accumulator.js';
import { beatSums } from '../generators/common/golden.js';
import { ToolFailedError, ToolMissingError, TOOLS, tailOf } from '../core/tool.js';
import { spawnTool, trackTemp } from '../core/procs.js';
import { timeLimitError } from '../core/budget.js';
import { startStep } from '../core/progress.js';
import { UsageError } from '../generators/common/params.js';
import { Schedule, newBeat, packActs, type Stimulus } from './stimulus.js';
import type { PreparedSim, StreamSimulator } from './simulator.js';
import { DUMP_LIMIT, DumpWriter, type DumpVector } from './dump.js';
import { findViolation, LineSplitter, recordsToHex, resultLinesToWords, WireError, WordSplitter, type ProtocolViolation, type ResultBatch } from './wire.js';

export type { ProtocolViolation } from './wire.js';

/** Default percent of random vectors interrupted by a reset (`cosim --resets`). */
export const DEFAULT_RESETS = 3;

export interface CosimOptions<P extends CommonParams> {
  family: Family<P>;
  params: P;
  top: string;
  files: string[];
  /** Include directories of the sources (files.f +incdir+), absolute. */
  incdirs?: string[];
  simulator: StreamSimulator;
  vectors: number;
  seed: number;
  /** Percent of cycles with a gap on in_valid / out_ready low. */
  stall: number;
  /** Percent of random vectors during which (or just before which) the harness resets the design. Default DEFAULT_RESETS. */
  resets?: number;
  /** Zeros instead of garbage on idle inputs (power's workload); default false. */
  quiet?: boolean;
  workDir: string;
  dumpPath?: string;
  onProgress?: (done: number, total: number) => void;
  /** corners (default): the directed corners, then random vectors; random: random only; zeros: all zeros (stimulus.ts). */
  stimulus?: Stimulus;
  /** Replay a failure with a trace build to write its VCD (default true; mutation testing needs the verdict only). */
  replay?: boolean;
}

export interface Mismatch {
  vector: number;
  kind: string;
  beats: number;
  row: number;
  expected: string;
  /** The row's value; with unknown bits, its bits (most significant first) with x for X/Z. */
  actual: string;
  /** Rows of that vector that differ. */
  rowsWrong: number;
  /** X or Z bits in that row (Icarus keeps them); absent when every bit is known. */
  unknownBits?: number;
}

export interface StreamRun {
  compared: number;
  beats: number;
  /** Resets the harness was asked for. */
  resets: number;
  mismatch?: Mismatch;
  /** A handshake rule the design broke (the run stops there). */
  violation?: ProtocolViolation;
  simSeconds: number;
}

export interface CosimResult extends StreamRun {
  passed: boolean;
  directed: number;
  buildSeconds: number;
  buildCached: boolean;
  /** VCD of the replay of the first mismatch or violation. */
  vcd?: string;
}

interface RunSpec<P extends CommonParams> extends CosimOptions<P> {
  sim: PreparedSim;
  vcd?: string;
  vcdFrom?: number;
  /** Vectors to send (0..count-1). */
  count: number;
  logPath: string;
  dump?: DumpWriter;
  /** Kill the simulator at the first mismatch (not in replays: the VCD must be written whole). */
  stopAtMismatch: boolean;
}

/**
 * Reads row r of result j. Values are Numbers while they are exact as Numbers (|v| < 2^53), else
 * BigInts; the golden model's Numbers are exact on the paths that use them (numberSafe), so a
 * BigInt actual against a Number expected is always a mismatch, as it must be.
 */
function rowReader(l: Layout, outWords: number): (words: Uint32Array, j: number, r: number) => number | bigint {
  if (l.accBits <= 52) return (words, j, r) => getSignedNum(words, j * outWords * 32 + r * l.accBits, l.accBits);
  return (words, j, r) => {
    const v = getSignedBig(words, j * outWords * 32 + r * l.accBits, l.accBits);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  };
}

/** Count of X/Z bits of row r in an unknown-bit mask, and the row as a 0/1/x string (MSB first). */
function unknownRow(mask: Uint32Array, words: Uint32Array, j: number, outWords: number, r: number, accBits: number): { count: number; text: string } {
  let count = 0;
  let text = '';
  for (let i = accBits - 1; i >= 0; i--) {
    const bit = r * accBits + i;
    if (getBits(mask, bit, 1)) {
      count++;
      text += 'x';
    } else text += String(getBits(words, j * outWords * 32 + bit, 1));
  }
  return { count, text };
}

/** Which beat of vector v carries a reset request (-1: none): random vectors only, so directed corners run whole. */
function resetBeat<P extends CommonParams>(schedule: Schedule<P>, v: number, beats: number, percent: number): number {
  if (percent <= 0 || schedule.isDirected(v)) return -1;
  const rng = schedule.auxRng(v);
  if (rng.u32() % 10000 >= percent * 100) return -1;
  // Beat 0: reset just before the vector (the previous result may wait in the output register);
  // beat b > 0: after b beats of it were accepted (a vector in flight).
  return rng.u32() % beats;
}

/** Streams vectors 0..count-1 through a prepared simulator process; stops at the first mismatch. */
async function stream<P extends CommonParams>(s: RunSpec<P>): Promise<StreamRun> {
  const { family, params: p } = s;
  const l = family.layout(p);
  const schedule = new Schedule(family, p, s.seed, s.count, s.stimulus);
  const actWords = wordsFor(l.k * l.actBits);
  const wgtWords = wordsFor(l.wgtBits);
  const outWords = wordsFor(l.rows * l.accBits);
  const recWords = 1 + actWords + wgtWords;
  const useNumber = numberSafe(l.accBits, l.exactBits, l.psumBits);
  const stepNum = numAccumulator(l.accBits, p.overflow);
  const readRow = rowReader(l, outWords);
  const resetPercent = s.resets ?? DEFAULT_RESETS;

  mkdirSync(s.workDir, { recursive: true });
  // The log's folder too: a cached build (no tool run) has not made it in a fresh work directory.
  mkdirSync(dirname(s.logPath), { recursive: true });
  const t0 = performance.now();
  const hex = s.sim.protocol === 'hex';
  // Its own process group, stopped with the run's time limit (core/procs.ts).
  const run = spawnTool(s.sim.command, s.sim.args({ seed: s.seed, stall: s.stall, beatCycles: l.beatCycles ?? 1, quiet: s.quiet, vcd: s.vcd, vcdFrom: s.vcdFrom }), {
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: { file: s.logPath },
    buffer: false,
    reject: false,
  });
  const child = run.child;

  // Expected results of vectors base.., in order, waiting for the harness's outputs.
  let expected: (Float64Array | BigInt64Array)[] = [];
  let base = 0;
  let head = 0;
  let compared = 0;
  let totalBeats = 0;
  let resets = 0;
  let mismatch: Mismatch | undefined;
  let stop = false;
  // An error inside a stream handler (a line that does not parse) ends the run as a tool failure.
  let wireError: Error | undefined;

  const onResults = (batch: ResultBatch) => {
    const { words } = batch;
    for (let j = 0; j < batch.count && !stop; j++) {
      const v = head++;
      const exp = expected[v - base];
      // The harness sends one result per closing beat it saw accepted; more results than vectors sent is a harness defect.
      if (!exp) throw new WireError(`the simulator returned a result for vector ${v}, which was not sent`);
      const mask = batch.unknown?.get(j);
      let wrong = 0;
      let first = -1;
      let firstUnknown: { count: number; text: string } | undefined;
      for (let r = 0; r < l.rows; r++) {
        const unk = mask ? unknownRow(mask, words, j, outWords, r, l.accBits) : undefined;
        if ((unk && unk.count > 0) || readRow(words, j, r) !== exp[r]) {
          wrong++;
          if (first < 0) {
            first = r;
            if (unk && unk.count > 0) firstUnknown = unk;
          }
        }
      }
      if (s.dump && v < DUMP_LIMIT) s.dump.setActual(v, Array.from({ length: l.rows }, (_, r) => readRow(words, j, r)));
      compared++;
      if (wrong > 0 && !mismatch) {
        const src = schedule.vector(v);
        mismatch = {
          vector: v,
          kind: src.kind,
          beats: src.beats,
          row: first,
          expected: String(exp[first]),
          actual: firstUnknown ? firstUnknown.text : String(readRow(words, j, first)),
          rowsWrong: wrong,
          ...(firstUnknown ? { unknownBits: firstUnknown.count } : {}),
        };
        if (s.stopAtMismatch) {
          stop = true;
          child.kill();
        }
      }
    }
    // Drop what has been compared, now and then (results arrive in order).
    if (head - base > 4096) {
      expected = expected.slice(head - base);
      base = head;
    }
  };
  const lines = new LineSplitter();
  const binary = new WordSplitter(outWords);
  child.stdout!.on('data', (chunk: Buffer) => {
    if (stop) return;
    try {
      if (!hex) onResults(binary.push(chunk));
      else {
        const got = lines.push(chunk);
        if (got.length) onResults(resultLinesToWords(got, outWords));
      }
    } catch (e) {
      wireError = e as Error;
      stop = true;
      child.kill();
    }
  });

  // Producer: records into a chunk, written with backpressure; yields so the consumer keeps up.
  const chunkRecords = Math.max(1, Math.floor((256 * 1024) / (recWords * 4)));
  const chunk = Buffer.alloc(chunkRecords * recWords * 4);
  const view = new Uint32Array(chunk.buffer, chunk.byteOffset, chunkRecords * recWords);
  let filled = 0;
  const beat = newBeat(l);
  const psum = new Float64Array(l.rows);
  const stdin = child.stdin!;
  let stdinError = false;
  stdin.on('error', () => {
    stdinError = true; // the harness exited (killed after a mismatch, or failed): handled below
  });
  const flush = async (): Promise<void> => {
    if (filled === 0 || stdinError) return;
    const data = hex ? recordsToHex(view, filled, recWords, actWords) : Buffer.from(chunk.subarray(0, filled * recWords * 4));
    const ok = stdin.write(data);
    filled = 0;
    if (!ok) await new Promise<void>((res) => { const done = () => { stdin.off('drain', done); child.off('exit', done); res(); }; stdin.on('drain', done); child.on('exit', done); });
    else await new Promise<void>((res) => setImmediate(res));
  };
  let lastProgress = performance.now();
  let sent = 0;
  const step = startStep(`simulation (${s.simulator.name})`, () => `${sent} of ${s.count} vectors sent, ${compared} compared`);
  try {
    for (let v = 0; v < s.count && !stop && !stdinError; v++) {
      const src = schedule.vector(v);
      const resetAt = resetBeat(schedule, v, src.beats, resetPercent);
      if (resetAt >= 0) resets++;
      const dumping = s.dump && v < DUMP_LIMIT;
      const dv: DumpVector | undefined = dumping ? { weights: Array.from({ length: l.rows }, () => []), activations: [] } : undefined;
      let accN: Float64Array | undefined;
      let accB: BigInt64Array | undefined;
      if (useNumber) accN = new Float64Array(l.rows);
      else accB = new BigInt64Array(l.rows);
      for (let b = 0; b < src.beats; b++) {
        src.next(beat);
        const off = filled * recWords;
        view[off] = (b === src.beats - 1 ? 1 : 0) | (b === resetAt ? 2 : 0);
        packActs(beat.acts, l.actBits, view, off + 1, off + 1 + actWords);
        view.set(beat.wgtWords, off + 1 + actWords);
        beatSums(l.rows, l.k, beat.weights, beat.acts, psum);
        if (accN) for (let r = 0; r < l.rows; r++) accN[r] = stepNum(accN[r], psum[r]);
        else for (let r = 0; r < l.rows; r++) accB![r] = accStepBig(accB![r], BigInt(psum[r]), l.accBits, p.overflow);
        if (dv) {
          for (const a of beat.acts) dv.activations.push(a);
          for (let r = 0; r < l.rows; r++) for (let i = 0; i < l.k; i++) dv.weights[r].push(beat.weights[r * l.k + i]);
        }
        totalBeats++;
        // The chunk holding a vector's last beat is sent only after its expected result is queued.
        if (++filled === chunkRecords && b < src.beats - 1) await flush();
        if (stop || stdinError) break;
      }
      expected.push((accN ?? accB)!);
      sent = v + 1;
      if (dv) s.dump!.add(v, dv, (accN ? Array.from(accN) : Array.from(accB!)) as (number | bigint)[]);
      if (filled === chunkRecords) await flush();
      if (s.onProgress && performance.now() - lastProgress > 250) {
        s.onProgress(compared, s.count);
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
  s.onProgress?.(compared, s.count);
  if ((r as { code?: string }).code === 'ENOENT') throw new ToolMissingError(s.sim.command, TOOLS[s.sim.command]?.install ?? `install ${s.sim.command}`);
  const log = existsSync(s.logPath) ? readFileSync(s.logPath, 'utf8') : '';
  const what = `simulation (${s.simulator.name})`;
  if (run.stoppedBy()) throw timeLimitError(what);
  if (wireError) throw new ToolFailedError(what, r.exitCode, tailOf(log) + `\n(${wireError.message})`, s.logPath);
  const violation = findViolation(log);
  if (violation) return { compared, beats: totalBeats, resets, mismatch, violation, simSeconds };
  const widths = /harness: port widths .*/.exec(log);
  if (widths) throw new UsageError(`the RTL's ports do not match the parameters (${widths[0].replace(/^harness: port widths /, '')}): it was made for other parameters (log: ${s.logPath})`);
  if (!stop) {
    if (r.exitCode !== 0 || r.signal) throw new ToolFailedError(what, r.exitCode, tailOf(log), s.logPath, undefined, r.signal);
    if (compared !== s.count) {
      throw new ToolFailedError(what, r.exitCode, tailOf(log) + `\n(${compared} of ${s.count} results arrived)`, s.logPath, undefined, r.signal);
    }
  }
  return { compared, beats: totalBeats, resets, mismatch, simSeconds };
}

function prepareOpts<P extends CommonParams>(o: CosimOptions<P>, trace: boolean, logPath: string) {
  return { trace, logPath, workDir: o.workDir, maxBeats: o.params.max_beats, incdirs: o.incdirs };
}

/** Runs a co-simulation; on a mismatch or a protocol violation, replays it with a trace and returns the VCD's path too. */
export async function cosim<P extends CommonParams>(o: CosimOptions<P>): Promise<CosimResult> {
  const l = o.family.layout(o.params);
  const logDir = join(o.workDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const prep = await o.simulator.prepare(o.files, o.top, l, prepareOpts(o, false, join(logDir, `${o.simulator.name}-build.log`)));
  const directed = new Schedule(o.family, o.params, o.seed, o.vectors).directed.length;
  const dump = o.dumpPath ? new DumpWriter(o.family.name, o.params, o.seed) : undefined;
  const run = await stream({ ...o, sim: prep, count: o.vectors, logPath: join(logDir, `${o.simulator.name}-run.log`), dump, stopAtMismatch: true });
  if (dump && o.dumpPath) await dump.write(o.dumpPath);
  const result: CosimResult = { ...run, passed: !run.mismatch && !run.violation, directed: Math.min(directed, o.vectors), buildSeconds: prep.buildSeconds, buildCached: prep.cached };
  if (o.replay === false) return result;
  if (run.violation) result.vcd = (await replayRun(o, run.violation.vector, 'violation')).vcd;
  else if (run.mismatch) result.vcd = (await replayRun(o, run.mismatch.vector)).vcd;
  return result;
}

/** Re-runs vectors 0..vector with a trace build, dumping from the vector before it on. */
export async function replayRun<P extends CommonParams>(o: CosimOptions<P>, vector: number, what = 'vector'): Promise<StreamRun & { vcd: string }> {
  return traceRun(o, Math.min(o.vectors, vector + 1), Math.max(0, vector - 1), join(o.workDir, `replay-${what}-${vector}.vcd`), 'replay');
}

/** Runs vectors 0..count-1 with a trace build and a VCD from vector `from` on (replays, switching activity). */
export async function traceRun<P extends CommonParams>(o: CosimOptions<P>, count: number, from: number, vcd: string, tag = 'trace'): Promise<StreamRun & { vcd: string }> {
  const l = o.family.layout(o.params);
  const logDir = join(o.workDir, 'logs');
  const prep = await o.simulator.prepare(o.files, o.top, l, prepareOpts(o, true, join(logDir, `${o.simulator.name}-trace-build.log`)));
  // A VCD cut short by an interrupt is removed, not left looking whole.
  const untrack = trackTemp(vcd);
  const run = await stream({
    ...o,
    onProgress: undefined,
    sim: prep,
    vcd,
    vcdFrom: from,
    count,
    logPath: join(logDir, `${o.simulator.name}-${tag}.log`),
    stopAtMismatch: false,
  }).finally(untrack);
  return { ...run, vcd };
}
