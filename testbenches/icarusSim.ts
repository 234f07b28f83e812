// Icarus Verilog as a stream simulator: the Verilog harness (testbenches/icarus_harness.v) compiled
// around the design and run by vvp, and its wire format: one text line per record and per result.
// Icarus keeps X and Z: a result with an unknown bit arrives as a binary line, and travels on as
// value words plus an unknown-bit mask.

import { join } from 'node:path';
import { checkVersion, resolveTool } from '../core/tool.js';
import { compileHarness, IVERILOG, VVP } from '../flows/tools/iverilog.js';
import { harnessSeed, WireError, type RecordShape, type ResultBatch, type StreamSimulator, type WireCodec } from './simContract.js';

/** Records (flags, act words, wgt words) as hex lines, one field per bus, most significant word first. */
export function recordsToHex(view: Uint32Array, records: number, recWords: number, actWords: number): Buffer {
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

/**
 * Result lines of the Icarus harness ("R <hex>" or "X <binary with x/z>", most significant digit first)
 * as words. Other lines are vvp talking ("VCD info: ...") and are skipped by the caller.
 */
export function resultLinesToWords(lines: string[], outWords: number): ResultBatch {
  const words = new Uint32Array(lines.length * outWords);
  let unknown: Map<number, Uint32Array> | undefined;
  lines.forEach((line, j) => {
    const body = line.slice(2).trim();
    if (line.startsWith('R ')) {
      if (!/^[0-9a-fA-F]+$/.test(body)) throw new WireError(`the simulator printed a result line that is not hex: ${JSON.stringify(line.slice(0, 80))}`);
      for (let w = 0; w < outWords; w++) {
        const end = body.length - 8 * w;
        words[j * outWords + w] = end > 0 ? parseInt(body.slice(Math.max(0, end - 8), end), 16) >>> 0 : 0;
      }
      return;
    }
    // "X <binary>": bit i of out_data is body[length-1-i].
    if (!/^[01xXzZ]+$/.test(body)) throw new WireError(`the simulator printed a result line that is not binary: ${JSON.stringify(line.slice(0, 80))}`);
    const mask = new Uint32Array(outWords);
    for (let i = 0; i < body.length && i < outWords * 32; i++) {
      const c = body[body.length - 1 - i];
      if (c === '1') words[j * outWords + (i >>> 5)] |= 1 << (i & 31);
      else if (c !== '0') mask[i >>> 5] |= 1 << (i & 31);
    }
    (unknown ??= new Map()).set(j, mask);
  });
  return { count: lines.length, words, unknown };
}

/** Splits a text stream into whole result lines ("R ..." / "X ..."), keeping the partial tail. */
export class LineSplitter {
  private text = '';
  push(chunk: Buffer): string[] {
    this.text += chunk.toString('latin1');
    const end = this.text.lastIndexOf('\n');
    if (end < 0) return [];
    const lines = this.text.slice(0, end).split('\n').filter((x) => x.startsWith('R ') || x.startsWith('X '));
    this.text = this.text.slice(end + 1);
    return lines;
  }
}

const NONE: ResultBatch = { count: 0, words: new Uint32Array(0) };

export function hexCodec(shape: RecordShape): WireCodec {
  return {
    encode: (view, records) => recordsToHex(view, records, shape.recWords, shape.actWords),
    decoder: () => {
      const split = new LineSplitter();
      return (chunk) => {
        const lines = split.push(chunk);
        return lines.length ? resultLinesToWords(lines, shape.outWords) : NONE;
      };
    },
  };
}

/** Icarus Verilog: the second simulator; keeps X, and reads standard-cell models with UDPs. */
export const icarusSim: StreamSimulator = {
  name: 'iverilog',
  tools: [IVERILOG, VVP],
  async prepare(files, top, layout, opts) {
    // vvp's path (LOWBIT_VVP) and version first: a bad one is refused before the compile.
    const vvpTool = resolveTool(VVP);
    await checkVersion(vvpTool);
    const vvp = join(opts.workDir, `icarus-${top}.vvp`);
    const c = await compileHarness(files, top, layout, vvp, opts.logPath, opts.maxBeats, opts.incdirs);
    return {
      command: vvpTool.command,
      args: (r) => [
        '-n', vvp,
        `+seed=${harnessSeed(r.seed)}`, `+stall=${r.stall}`, `+beat_cycles=${r.beatCycles}`,
        ...(r.quiet ? ['+quiet'] : []),
        ...(r.vcd ? [`+vcd=${r.vcd}`, `+vcd_from=${r.vcdFrom ?? 0}`] : []),
      ],
      protocol: 'hex',
      codec: hexCodec,
      tool: VVP,
      buildSeconds: c.seconds,
      cached: false,
    };
  },
};
