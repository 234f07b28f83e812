// Co-simulation: stream the schedule's vectors through a simulator and compare every output row of
// every vector with the golden model. The harness runs on one core while this process generates
// the next beats and the expected results on the other; both sides stream through pipes.
//
// The harness is hostile (testbenches/harness.cpp): garbage on idle inputs, random or unknown initial
// state, resets at points this side asks for (flags bit 1 of a record), protocol rules every cycle. A
// reset drops the vector in flight and every result not yet taken; the harness presents those vectors
// again, so every vector still has exactly one result to compare.
//
// The parts: the simulator and its wire codec (simulator.ts, verilatorSim.ts, icarusSim.ts), the
// streaming protocol (stream.ts), the golden model and the comparison (compare.ts). This file runs
// them: build, stream, dump, and a traced replay of a failure.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CommonParams, Family } from '../generators/common/family.js';
import { trackTemp } from '../core/procs.js';
import { Schedule, type Stimulus } from './stimulus.js';
import type { StreamSimulator } from './simContract.js';
import { DumpWriter } from './dump.js';
import { stream, type StreamRun } from './stream.js';

export type { ProtocolViolation } from './wire.js';
export type { Mismatch } from './compare.js';
export { DEFAULT_RESETS, type StreamRun } from './stream.js';

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

export interface CosimResult extends StreamRun {
  passed: boolean;
  directed: number;
  buildSeconds: number;
  buildCached: boolean;
  /** VCD of the replay of the first mismatch or violation. */
  vcd?: string;
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
