// The harnesses' wire formats, beside the simulators that speak them (testbenches/simulator.ts).
// Records go to the harness as binary little-endian words (Verilator's C++ harness) or hex lines
// (Icarus's Verilog harness); results come back the same way. Icarus keeps X and Z: a result with an
// unknown bit arrives as a binary line, and travels on as value words plus an unknown-bit mask.

/** Results decoded from the harness: `count` results of `outWords` words each, little-endian. */
export interface ResultBatch {
  count: number;
  words: Uint32Array;
  /** Per result index, the mask of X/Z bits (only results that have any). */
  unknown?: Map<number, Uint32Array>;
}

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

/** A harness line that is neither a result nor simulator chatter we know: a tool failure, with the line. */
export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireError';
  }
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

/** "harness: protocol violation at cycle C, vector V: RULE" in a harness log. */
export interface ProtocolViolation {
  rule: string;
  cycle: number;
  vector: number;
}

export function findViolation(log: string): ProtocolViolation | undefined {
  const m = /harness: protocol violation at cycle (\d+), vector (\d+): (.*)/.exec(log);
  return m ? { cycle: Number(m[1]), vector: Number(m[2]), rule: m[3].trim() } : undefined;
}
