// Co-simulation: stream the schedule's vectors through a simulator and compare every output row of
// every vector with the golden model. The harness runs on one core while this process generates
// the next beats and the expected results on the other; both sides stream through pipes.

import { execa } from 'execa';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommonParams, Family } from '../generators/common/family.js';
import { wordsFor, getSignedBig, getSignedNum } from '../generators/common/bits.js';
import { accStepBig, numAccumulator, numberSafe } from '../generators/common/accumulator.js';
import { beatSums } from '../generators/common/golden.js';
import { ToolFailedError, tailOf } from '../flows/tool.js';
import { Schedule, newBeat, packActs, type Stimulus } from './stimulus.js';
import type { PreparedSim, StreamSimulator } from './simulator.js';
import { DUMP_LIMIT, DumpWriter, type DumpVector } from './dump.js';

export interface CosimOptions<P extends CommonParams> {
  family: Family<P>;
  params: P;
  top: string;
  files: string[];
  simulator: StreamSimulator;
  vectors: number;
  seed: number;
  /** Percent of cycles with a gap on in_valid / out_ready low. */
  stall: number;
  workDir: string;
  dumpPath?: string;
  onProgress?: (done: number, total: number) => void;
  /** corners (default): the directed corners, then random vectors; random: random only; zeros: all zeros (stimulus.ts). */
  stimulus?: Stimulus;
}

export interface Mismatch {
  vector: number;
  kind: string;
  beats: number;
  row: number;
  expected: string;
  actual: string;
  /** Rows of that vector that differ. */
  rowsWrong: number;
}

export interface StreamRun {
  compared: number;
  beats: number;
  mismatch?: Mismatch;
  simSeconds: number;
}

export interface CosimResult extends StreamRun {
  passed: boolean;
  directed: number;
  buildSeconds: number;
  buildCached: boolean;
  /** VCD of the replay of the first mismatch. */
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

/** Records (flags, act words, wgt words) as hex lines, one field per bus, most significant word first. */
function recordsToHex(view: Uint32Array, records: number, recWords: number, actWords: number): Buffer {
  const bus = (lo: number, n: number) => {
    let t = '';
    for (let i = n - 1; i >= 0; i--) t += view[lo + i].toString(16).padStart(8, '0');
    return t;
  };
  let text = '';
  for (let r = 0; r < records; r++) {
    const off = r * recWords;
    text += `${view[off].toString(16)} ${bus(off + 1, actWords)} ${bus(off + 1 + actWords, recWords - 1 - actWords)}\n`;
  }
  return Buffer.from(text, 'latin1');
}

/** Result lines (hex, most significant digit first) as little-endian words, outWords per result. */
function hexLinesToWords(lines: string[], outWords: number): Buffer {
  const words = new Uint32Array(lines.length * outWords);
  lines.forEach((line, j) => {
    const h = line.trim();
    if (!/^[0-9a-fA-F]+$/.test(h)) throw new Error(`simulator printed a line that is not a hex result: ${JSON.stringify(line.slice(0, 80))}`);
    for (let w = 0; w < outWords; w++) {
      const end = h.length - 8 * w;
      words[j * outWords + w] = end > 0 ? parseInt(h.slice(Math.max(0, end - 8), end), 16) >>> 0 : 0;
    }
  });
  return Buffer.from(words.buffer);
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

  mkdirSync(s.workDir, { recursive: true });
  const t0 = performance.now();
  const hex = s.sim.protocol === 'hex';
  const child = execa(s.sim.command, s.sim.args({ seed: s.seed, stall: s.stall, vcd: s.vcd, vcdFrom: s.vcdFrom }), {
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: { file: s.logPath },
    buffer: false,
    reject: false,
  });

  // Expected results of vectors base.., in order, waiting for the harness's outputs.
  let expected: (Float64Array | BigInt64Array)[] = [];
  let base = 0;
  let head = 0;
  let compared = 0;
  let totalBeats = 0;
  let mismatch: Mismatch | undefined;
  let stop = false;

  let carry = Buffer.alloc(0);
  const outBytes = outWords * 4;
  const readRow = (words: Uint32Array, j: number, r: number): number | bigint => {
    const off = j * outWords * 32 + r * l.accBits;
    return useNumber ? getSignedNum(words, off, l.accBits) : getSignedBig(words, off, l.accBits);
  };
  const onResults = (chunk: Buffer) => {
    if (stop) return;
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const n = Math.floor(buf.length / outBytes);
    // An aligned copy (pipe chunks start anywhere); results are little-endian like this machine.
    const words = new Uint32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + n * outBytes));
    carry = Buffer.from(buf.subarray(n * outBytes));
    for (let j = 0; j < n && !stop; j++) {
      const v = head++;
      const exp = expected[v - base];
      let wrong = 0;
      let first = -1;
      for (let r = 0; r < l.rows; r++) {
        if (readRow(words, j, r) !== exp[r]) {
          wrong++;
          if (first < 0) first = r;
        }
      }
      if (s.dump && v < DUMP_LIMIT) s.dump.setActual(v, Array.from({ length: l.rows }, (_, r) => readRow(words, j, r)));
      compared++;
      if (wrong > 0 && !mismatch) {
        const src = schedule.vector(v);
        mismatch = { vector: v, kind: src.kind, beats: src.beats, row: first, expected: String(exp[first]), actual: String(readRow(words, j, first)), rowsWrong: wrong };
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
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    if (!hex) return onResults(chunk);
    // Hex protocol: whole lines become binary results.
    text += chunk.toString('latin1');
    const end = text.lastIndexOf('\n');
    if (end < 0) return;
    // Result lines start with "R "; anything else is the simulator talking (e.g. "VCD info: ...").
    const lines = text.slice(0, end).split('\n').filter((x) => x.startsWith('R ')).map((x) => x.slice(2));
    text = text.slice(end + 1);
    if (lines.length) onResults(hexLinesToWords(lines, outWords));
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
  try {
    for (let v = 0; v < s.count && !stop && !stdinError; v++) {
      const src = schedule.vector(v);
      const dumping = s.dump && v < DUMP_LIMIT;
      const dv: DumpVector | undefined = dumping ? { weights: Array.from({ length: l.rows }, () => []), activations: [] } : undefined;
      let accN: Float64Array | undefined;
      let accB: BigInt64Array | undefined;
      if (useNumber) accN = new Float64Array(l.rows);
      else accB = new BigInt64Array(l.rows);
      for (let b = 0; b < src.beats; b++) {
        src.next(beat);
        const off = filled * recWords;
        view[off] = b === src.beats - 1 ? 1 : 0;
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
    throw e;
  }
  stdin.end();
  const r = await child;
  // Results that arrived with the exit.
  const simSeconds = (performance.now() - t0) / 1000;
  s.onProgress?.(compared, s.count);
  if (!stop) {
    const log = readFileSync(s.logPath, 'utf8');
    if (r.exitCode !== 0) throw new ToolFailedError(`simulation (${s.simulator.name})`, r.exitCode, tailOf(log), s.logPath);
    if (compared !== s.count) {
      throw new ToolFailedError(`simulation (${s.simulator.name})`, r.exitCode, tailOf(log) + `\n(${compared} of ${s.count} results arrived)`, s.logPath);
    }
  }
  return { compared, beats: totalBeats, mismatch, simSeconds };
}

/** Runs a co-simulation; on a mismatch, replays it with a trace and returns the VCD's path too. */
export async function cosim<P extends CommonParams>(o: CosimOptions<P>): Promise<CosimResult> {
  const l = o.family.layout(o.params);
  const logDir = join(o.workDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const prep = await o.simulator.prepare(o.files, o.top, l, { trace: false, logPath: join(logDir, `${o.simulator.name}-build.log`), workDir: o.workDir });
  const directed = new Schedule(o.family, o.params, o.seed, o.vectors).directed.length;
  const dump = o.dumpPath ? new DumpWriter(o.family.name, o.params, o.seed) : undefined;
  const run = await stream({ ...o, sim: prep, count: o.vectors, logPath: join(logDir, `${o.simulator.name}-run.log`), dump, stopAtMismatch: true });
  if (dump && o.dumpPath) await dump.write(o.dumpPath);
  const result: CosimResult = { ...run, passed: !run.mismatch, directed: Math.min(directed, o.vectors), buildSeconds: prep.buildSeconds, buildCached: prep.cached };
  if (run.mismatch) result.vcd = (await replayRun(o, run.mismatch.vector)).vcd;
  return result;
}

/** Re-runs vectors 0..vector with a trace build, dumping from the vector before it on. */
export async function replayRun<P extends CommonParams>(o: CosimOptions<P>, vector: number): Promise<StreamRun & { vcd: string }> {
  return traceRun(o, vector + 1, Math.max(0, vector - 1), join(o.workDir, `replay-vector-${vector}.vcd`), 'replay');
}

/** Runs vectors 0..count-1 with a trace build and a VCD from vector `from` on (replays, switching activity). */
export async function traceRun<P extends CommonParams>(o: CosimOptions<P>, count: number, from: number, vcd: string, tag = 'trace'): Promise<StreamRun & { vcd: string }> {
  const l = o.family.layout(o.params);
  const logDir = join(o.workDir, 'logs');
  const prep = await o.simulator.prepare(o.files, o.top, l, { trace: true, logPath: join(logDir, `${o.simulator.name}-trace-build.log`), workDir: o.workDir });
  const run = await stream({
    ...o,
    onProgress: undefined,
    sim: prep,
    vcd,
    vcdFrom: from,
    count,
    logPath: join(logDir, `${o.simulator.name}-${tag}.log`),
    stopAtMismatch: false,
  });
  return { ...run, vcd };
}
