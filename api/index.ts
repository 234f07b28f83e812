/**
 * lowbit's public API: the functions the `lowbit` command line calls, for use from TypeScript or
 * JavaScript (`import { ... } from 'lowbit'`). Each command is one function taking one options object
 * (named like the command's flags, in camelCase, with the same ranges and error messages) and
 * returning its report: exactly the object `lowbit <command> --json` prints and run.json holds.
 * Everything exported here is documented and stable within a major version; anything else in the
 * package is internal.
 *
 * Errors: bad input throws {@link UsageError} (the CLI's exit 2; nothing written), a tool that fails
 * {@link ToolFailedError} (exit 1), a tool not installed {@link ToolMissingError} (exit 4), a time
 * limit {@link TimeLimitError} (exit 3). A check that fails (a mismatch, a counterexample, a surviving
 * mutant) is not an exception: the report says `ok: false`.
 *
 * @example
 * import { cosim, synth } from 'lowbit';
 * const c = await cosim({ family: 'ternary', params: { rows: 4, k: 16 }, vectors: 1000, seed: 1, out: 'out' });
 * const s = await synth({ family: 'ternary', params: { rows: 4, k: 16 }, target: 'ice40', out: 'out' });
 * console.log(c.ok, s.perMac.lut4);
 *
 * @packageDocumentation
 */

/** lowbit's version (package.json). */
export { VERSION } from '../core/version.js';
/** Bad input (a parameter, an option, a path): the CLI's exit 2; nothing is written. */
export { UsageError } from '../core/errors.js';
/** A tool missing (exit 4), a tool that failed (exit 1), a failed check thrown by a flow (exit 1), a time limit (exit 3). */
export { ToolMissingError, ToolFailedError, CheckFailedError, TimeLimitError } from '../core/tool.js';
/** The registered families: `getFamily(name)` (UsageError listing the names otherwise) and the table itself. */
export { getFamily, FAMILIES } from '../generators/registry.js';
/** MACs per clock cycle of a layout: rows*k per beat over the cycles a beat takes. */
export { macsPerCycle } from '../generators/common/family.js';
/** The family contract and what its members take (beat-level PackOptions is BeatPackOptions here; PackOptions is pack()'s). */
export type { Family, CommonParams, Layout, Rtl, RtlFile, PackOptions as BeatPackOptions, Weights } from '../generators/common/family.js';
/** Whole weight matrices to in_wgt beats (BigInt each) and back, with the family's packing. */
export { packMatrix, unpackMatrix } from '../generators/common/matrix.js';
// Writing a family of one's own: the contract, registerFamily and the pieces families are made of.
export * from './families.js';
/** The designs `demo` runs by default. */
export { DEMO_DESIGNS } from '../generators/demo.js';

/** The registered families, and loading modules that register more. */
export { familyOf, loadFamilyModules, type FamilyRef } from './familyRefs.js';
/** Resolving a design, writing RTL, reading an RTL directory (shared by every command). */
export { resolveDesign, writeRtl, readRtlDir, prepareRtl, defaultOutDir, paramFlags, FILE_LIST, PARAMS_FILE, OUT_LOCK } from './design.js';
/** A resolved design, the options every command shares, and an RTL directory made ready for a run. */
export type { Design, DesignOptions, RtlOptions, PreparedRtl } from './design.js';
/** Option checks with the CLI's wording (for tools built on the API that take the same options). */
export { intOption, numberOption, oneOf, outDirOption, outFileOption, checkWritableDir, checkEnv, type EnvNeeds, type Numeric } from './options.js';
/** The run record every report is. */
export { RUN_RECORD, Recorder, recordOf, errorKind, exitCodeOf } from './record.js';
/** The run record's parts: a metric (value, unit, source file), an input file's hash, a step's wall time. */
export type { RunRecord, Metric, InputFile, StepTime } from './record.js';
export { toolUse, probeExecutable, type ToolUse, type ToolKind } from './tools.js';
export { doctor, toolStatus, type ToolStatus } from './doctor.js';
/** A plain-text table (first column left, the rest right-aligned). */
export { textTable } from './table.js';
/** POSIX shell words and lowbit command lines that work from any directory. */
export { shellWord, lowbitCommand } from './shell.js';

// One function per command.
export { generate, type GenerateOptions, type GenerateReport } from './generate.js';
export { lint, type LintOptions, type LintReport } from './lint.js';
export { cosim, replay, replayCommand, describeMismatch, describeViolation, type CosimOptions, type CosimReport, type ReplayOptions, type ReplayReport, type RunShape, type Mismatch, type ProtocolViolation } from './cosim.js';
export { synth, type SynthOptions, type SynthesisReport } from './synth.js';
/** The analytical cost model: figures per target without a tool run (`lowbit estimate`). */
export { estimate, estimatePoint, estimateTargets, ESTIMATE_TARGETS, type EstimateOptions, type EstimateReport, type EstimateResult, type EstimateTarget, type TargetEstimate, type CostEstimate, type Blocks } from './estimate.js';
export { synthesize, synthMetrics, synthReportFile, type SynthResult } from './synthesize.js';
export { power, type PowerOptions, type PowerReport } from './power.js';
export { prove, minProofCycles, type ProveOptions, type ProveReport } from './prove.js';
export { pack, unpack, type PackOptions, type PackReport, type UnpackOptions, type UnpackReport } from './pack.js';
export { mutate, reproduceCommand, location, type MutateOptions, type MutateReport, type MutantReport, type CheckSpec, type MutantResult } from './mutate.js';
export { demo, type DemoOptions, type DemoReport, type DemoResult, type DemoEvent, type DemoDesign } from './demo.js';
export { regress, type RegressOptions, type RegressReport, type JobCounts, type JobResult, type JobStatus, type Job } from './regress.js';
export { loadSuite, type Suite, type SuiteDesign, type SuiteCheck } from './regressSuite.js';
export { suiteSchema } from './regressSchema.js';
export { CHECKS, CHECK_NAMES, type CheckName, type CheckOption } from './regressChecks.js';
export { sweep, type SweepOptions, type SweepReport, type SweepPoint, type PointTarget, type SweepCounts, type SweepDefinition } from './sweep.js';
export { expandGrid, gridFromFlags, type Grid, type GridPoint, type SkippedPoint } from './sweepGrid.js';
export { loadSweeps, loadSweep } from './sweepSuite.js';
export { paretoFront, type Pair } from './pareto.js';
export { TARGET_FACTS, SWEEP_TARGETS, type SweepTarget } from './sweepTargets.js';
export { layer, layerCommand, type LayerOptions, type LayerReport, type LayerError, type LayerMismatch } from './layer.js';
export type { WeightQuantization } from './layerQuant.js';
export { loadTensor, asMatrix, splitSpec } from '../core/tensors/load.js';
export type { Tensor, TernaryBlocks } from '../core/tensors/types.js';
export { quantizeTernary, quantizeIntPerRow, quantizeBipolar, quantizeActivations, pruneNM, fromGgufTernary, ROUNDINGS, type Rounding, type Quantized, type FloatMatrix } from '../generators/common/quantize.js';
export { writeNpy } from '../core/tensors/npyWrite.js';
