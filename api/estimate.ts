// `lowbit estimate`: the analytical cost model (generators/common/estimate.ts), instant and without
// any tool run: per target the figures synth --json reports under the same names (ice40 lut4 /
// carry / dff, generic transistors, xilinx lut / carry4 / ff, asic area in um^2) and per MAC,
// from the structure the family's generator builds, with per-block constants fitted to synthesis.

import { UsageError } from '../core/errors.js';
import { ESTIMATE_TARGETS, type Blocks, type EstimateTarget, type TargetEstimate } from '../generators/common/estimate.js';
import type { CommonParams, Family } from '../generators/common/family.js';
import { resolveDesign, type DesignOptions } from './design.js';
import { oneOf } from './options.js';
import { Recorder, type RunRecord } from './record.js';

export { ESTIMATE_TARGETS, type EstimateTarget, type TargetEstimate, type Blocks };
export type { CostEstimate } from '../generators/common/estimate.js';

/** Options of {@link estimate}. */
export interface EstimateOptions extends DesignOptions {
  /** Targets: one, a comma-separated list or an array of ice40, generic, xilinx, asic (default all four). */
  target?: string | string[];
}

/** One design's estimate: what {@link estimate} returns besides the run record's fields. */
export interface EstimateResult {
  family: string;
  params: CommonParams;
  /** MACs per cycle: what every per-MAC figure divides by (as synth's `macs`). */
  macs: number;
  /** First-order logic depth: adder levels on the longest register-to-register path. */
  depth: number;
  /** The structure counted (building blocks, whole design). */
  blocks: Blocks;
  /** Figures per target, named as synth --json names them (lut4, carry, dff, transistors, area, resources, perMac). */
  targets: Partial<Record<EstimateTarget, TargetEstimate>>;
}

export type EstimateReport = RunRecord & EstimateResult;

/** The targets option as a list (UsageError for an unknown target). */
export function estimateTargets(t: string | string[] | undefined): EstimateTarget[] {
  if (t === undefined) return [...ESTIMATE_TARGETS];
  const list = (Array.isArray(t) ? t : String(t).split(',')).map((s) => s.trim()).filter((s) => s !== '');
  if (list.length === 0) throw new UsageError(`target must name at least one of ${ESTIMATE_TARGETS.join(', ')}`);
  return [...new Set(list.map((s) => oneOf('target', s, ESTIMATE_TARGETS)))];
}

/**
 * The estimate of resolved parameters, synchronously and without a run record: the hot path of a
 * sweep (about 0.1 ms a point: 10,000 points in about a second).
 */
export function estimatePoint(family: Family<CommonParams>, params: CommonParams, targets: readonly EstimateTarget[] = ESTIMATE_TARGETS): EstimateResult {
  if (!family.estimate) throw new UsageError(`${family.name} has no cost model (its family defines no estimate)`);
  const e = family.estimate(params);
  return { family: family.name, params, macs: e.macs, depth: e.depth, blocks: e.blocks, targets: Object.fromEntries(targets.map((t) => [t, e.targets[t]])) };
}

/**
 * Estimates a design's cost on targets from its family's analytical model: no tool runs, no files.
 *
 * @param o - the design (family, params), `target`
 * @returns the figures per target and per MAC, under synth --json's names
 * @throws UsageError for bad parameters or targets, or a family without a model (exit 2)
 * @example
 * const r = await estimate({ family: 'ternary', params: { rows: 4, k: 16 }, target: 'ice40,generic' });
 * console.log(r.targets.ice40?.lut4, r.targets.generic?.perMac.transistors);
 */
export async function estimate(o: EstimateOptions): Promise<EstimateReport> {
  const rec = new Recorder('estimate', o.argv);
  const targets = estimateTargets(o.target);
  const d = resolveDesign(o);
  rec.design = d;
  const r = await rec.step('estimate', () => estimatePoint(d.family, d.params, targets));
  return rec.finish(undefined, r, true);
}
