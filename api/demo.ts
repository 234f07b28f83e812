// `lowbit demo`: the main job on built-in defaults (generators/demo.ts): each design generated, linted,
// co-simulated and synthesized for iCE40 and generic gates, to be compared with the baseline.

import { join } from 'node:path';
import { lint as verilatorLint, VERILATOR } from '../flows/tools/verilator.js';
import { compile, IVERILOG } from '../flows/tools/iverilog.js';
import { YOSYS } from '../flows/tools/yosys.js';
import { cosim as runCosim, type CosimResult, type Mismatch } from '../testbenches/cosim.js';
import { SIMULATORS } from '../testbenches/simulator.js';
import { DEMO_DESIGNS, type DemoDesign } from '../generators/demo.js';
import type { CommonParams } from '../generators/common/family.js';
import { prepareRtl, resolveDesign } from './design.js';
import { checkEnv, checkWritableDir, intOption, outDirOption, type Numeric } from './options.js';
import { Recorder, type RunRecord } from './record.js';
import { synthesize, type SynthResult } from './synthesize.js';

export type { DemoDesign };

/** Options of {@link demo}. */
export interface DemoOptions {
  /** Co-simulation vectors per design, 1..1e9 (a design's `maxVectors` caps it); default 100000. */
  vectors?: Numeric;
  /** Random seed, 0..2^53-1; default 1. */
  seed?: Numeric;
  /** Output directory (one folder per design, run.json here); default lowbit-out/demo. */
  out?: string;
  /** The designs (default: generators/demo.ts's list); one of them should be the `baseline`. */
  designs?: readonly DemoDesign[];
  /** Called as the demo goes (the CLI prints these). */
  onEvent?: (e: DemoEvent) => void;
  /** Called as co-simulation vectors are compared. */
  onProgress?: (done: number, total: number) => void;
  onNote?: (text: string) => void;
  argv?: string[];
}

/** What the demo has just done. */
export type DemoEvent =
  | { kind: 'design'; design: DemoDesign; params: CommonParams; dir: string }
  | { kind: 'lint'; design: DemoDesign }
  | { kind: 'cosim'; design: DemoDesign; result: CosimResult }
  | { kind: 'synth'; design: DemoDesign; report: SynthResult };

/** One design's results in a {@link DemoReport}. */
export interface DemoResult {
  /** The design's label. */
  name: string;
  family: string;
  params: CommonParams;
  cosim: CosimResult;
  ice40: SynthResult;
  generic: SynthResult;
}

/** What {@link demo} returns: `lowbit demo --json`, and run.json in `dir`. */
export interface DemoReport extends RunRecord {
  seed: number;
  dir: string;
  /** Every design's results (on success). */
  results?: DemoResult[];
  /** The label of the design the others are compared with. */
  baseline?: string;
  /** On a co-simulation mismatch: the design's family, the mismatch and the replay's VCD. */
  mismatch?: Mismatch;
  vcd?: string;
}

/**
 * The main job: every design generated, linted (Verilator -Wall, Icarus), co-simulated and synthesized
 * for iCE40 and generic CMOS gates, per-MAC figures per MAC per cycle (as `synth` reports them).
 * `ok` false when a co-simulation finds a mismatch (the run stops there).
 *
 * @returns every design's results, to be compared with the baseline
 * @throws UsageError (exit 2), ToolFailedError (exit 1), ToolMissingError (exit 4)
 */
export async function demo(o: DemoOptions = {}): Promise<DemoReport> {
  const rec = new Recorder('demo', o.argv);
  const vectors = intOption('vectors', o.vectors, 1, 1e9, 100000);
  const seed = intOption('seed', o.seed, 0, Number.MAX_SAFE_INTEGER, 1);
  rec.seed = seed;
  const root = outDirOption('out', o.out ?? join('lowbit-out', 'demo'));
  checkWritableDir('out', root);
  // Lint, co-simulation (Verilator, cached builds) and synthesis: every variable checked before anything is written.
  checkEnv({ tools: [VERILATOR, IVERILOG, ...SIMULATORS.verilator.tools, YOSYS], cache: true });
  const designs = o.designs ?? DEMO_DESIGNS;
  const resolved = designs.map((x) => ({ x, d: resolveDesign({ family: x.family, params: x.params }) }));
  const results: DemoResult[] = [];
  const emit = (e: DemoEvent) => o.onEvent?.(e);
  try {
    for (const { x, d } of resolved) {
      const rtl = await rec.step(`${x.label}: generate`, () => prepareRtl(d, { out: join(root, d.family.name), onNote: o.onNote }));
      try {
        const dir = rtl.workDir;
        rec.read(rtl.files);
        emit({ kind: 'design', design: x, params: d.params, dir });
        rec.used('verilator', 'iverilog');
        await rec.step(`${x.label}: verilator lint`, () => verilatorLint(rtl.files, d.top, join(dir, 'logs', 'verilator-lint.log')));
        await rec.step(`${x.label}: iverilog compile`, () => compile(rtl.files, d.top, join(dir, 'logs', 'iverilog.vvp'), join(dir, 'logs', 'iverilog.log')));
        emit({ kind: 'lint', design: x });
        const n = Math.min(vectors, x.maxVectors ?? vectors);
        const c = await rec.step(`${x.label}: cosim`, () =>
          runCosim({ family: d.family, params: d.params, top: d.top, files: rtl.files, simulator: SIMULATORS.verilator, vectors: n, seed, stall: 25, workDir: dir, onProgress: o.onProgress }),
        );
        if (!c.buildCached) rec.used('make', 'g++');
        rec.metric(`${x.label} vectors`, c.compared, 'vectors', join(dir, 'logs', 'verilator-run.log'));
        emit({ kind: 'cosim', design: x, result: c });
        if (!c.passed) return await rec.finish(root, { seed, dir: root, family: d.family.name, mismatch: c.mismatch, vcd: c.vcd }, false);
        const ice40 = await synthesize(d, rtl, 'ice40', rec, { prefix: `${x.label} ` });
        emit({ kind: 'synth', design: x, report: ice40 });
        const generic = await synthesize(d, rtl, 'generic', rec, { prefix: `${x.label} ` });
        emit({ kind: 'synth', design: x, report: generic });
        results.push({ name: x.label, family: d.family.name, params: d.params, cosim: c, ice40, generic });
      } finally {
        rtl.release();
      }
    }
    const baseline = (designs.find((x) => x.baseline) ?? designs[designs.length - 1])?.label;
    return await rec.finish(root, { seed, dir: root, baseline, results }, true);
  } catch (e) {
    throw await rec.fail(root, e);
  }
}
