// Verilator as a stream simulator: the C++ harness (testbenches/harness.cpp) built around the design,
// and its wire format: records and results as little-endian uint32 words, back to back.

import { buildHarness, VERILATOR } from '../flows/tools/verilator.js';
import { harnessSeed, type RecordShape, type ResultBatch, type StreamSimulator, type WireCodec } from './simContract.js';

/** Splits a binary stream into whole results, keeping the partial tail. */
export class WordSplitter {
  private carry = Buffer.alloc(0);
  constructor(private readonly outWords: number) {}
  push(chunk: Buffer): ResultBatch {
    const outBytes = this.outWords * 4;
    const buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const n = Math.floor(buf.length / outBytes);
    // An aligned copy (pipe chunks start anywhere); results are little-endian like this machine.
    const words = new Uint32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + n * outBytes));
    this.carry = Buffer.from(buf.subarray(n * outBytes));
    return { count: n, words };
  }
}

/** Records as they are in memory (this machine is little-endian, like the harness's reads). */
export function binaryCodec(shape: RecordShape): WireCodec {
  return {
    // A copy: the caller refills `view` while the write may still be pending.
    encode: (view, records) => Buffer.from(new Uint8Array(view.buffer, view.byteOffset, records * shape.recWords * 4)),
    decoder: () => {
      const split = new WordSplitter(shape.outWords);
      return (chunk) => split.push(chunk);
    },
  };
}

export const verilatorSim: StreamSimulator = {
  name: 'verilator',
  tools: [VERILATOR],
  async prepare(files, top, layout, opts) {
    const b = await buildHarness(files, top, layout, opts.trace, opts.logPath, opts.incdirs);
    return {
      command: b.binary,
      args: (r) => [
        '--seed', String(harnessSeed(r.seed)),
        '--stall', String(r.stall),
        '--beat-cycles', String(r.beatCycles),
        ...(r.quiet ? ['--quiet'] : []),
        ...(r.vcd ? ['--vcd', r.vcd, '--vcd-from', String(r.vcdFrom ?? 0)] : []),
        // Every register starts random (the build has --x-initial unique), seeded from the run's seed.
        '+verilator+rand+reset+2', `+verilator+seed+${harnessSeed(r.seed + 1)}`,
      ],
      protocol: 'binary',
      codec: binaryCodec,
      buildSeconds: b.seconds,
      cached: b.hit,
    };
  },
};
