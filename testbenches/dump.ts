// The --dump format (README, "Dump format"): DIR/cosim.json =
// { family, params (resolved), seed, vectors: [ { weights: int[rows][beats*k] (logical values),
//   activations: int[beats*k], expected: int[rows], actual: int[rows] } ] } for the first 1,000 vectors.
// Integers are written as JSON numbers, digit for digit, even past 2^53 (no rounding on our side).

import { atomicStream } from '../core/fsutil.js';

export const DUMP_LIMIT = 1000;

export interface DumpVector {
  weights: number[][];
  activations: number[];
  expected?: (number | bigint)[];
  actual?: (number | bigint)[];
}

const ints = (xs: ArrayLike<number | bigint>): string => `[${Array.from(xs, (x) => String(x)).join(',')}]`;

export class DumpWriter {
  private readonly vectors: DumpVector[] = [];
  constructor(private readonly family: string, private readonly params: object, private readonly seed: number) {}

  add(v: number, dv: DumpVector, expected: (number | bigint)[]): void {
    dv.expected = expected;
    this.vectors[v] = dv;
  }

  setActual(v: number, actual: (number | bigint)[]): void {
    const dv = this.vectors[v];
    if (dv) dv.actual = actual;
  }

  /** Writes the JSON atomically; vectors without an actual result (a run cut short) are left out. */
  async write(path: string): Promise<void> {
    const out = atomicStream(path);
    const w = (s: string) => new Promise<void>((res) => (out.stream.write(s) ? res() : out.stream.once('drain', () => res())));
    try {
      await w(`{"family":${JSON.stringify(this.family)},"params":${JSON.stringify(this.params)},"seed":${this.seed},"vectors":[`);
      let first = true;
      for (const dv of this.vectors) {
        if (!dv || !dv.actual || !dv.expected) continue;
        await w(`${first ? '' : ','}\n{"weights":[${dv.weights.map(ints).join(',')}],"activations":${ints(dv.activations)},"expected":${ints(dv.expected)},"actual":${ints(dv.actual)}}`);
        first = false;
      }
      await w('\n]}\n');
      await out.commit();
    } catch (e) {
      out.abort();
      throw e;
    }
  }
}
