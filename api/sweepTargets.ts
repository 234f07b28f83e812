// What a sweep measures per target, as data: the figures per MAC synthesis reports (metric names as
// `synth --json` writes them), which one is the target's area, what its throughput is made of, and
// the cost model's name for each figure. Fair across families: every figure is per MAC per cycle.

import { ESTIMATE_TARGETS, type EstimateTarget } from '../generators/common/estimate.js';
import type { Metric } from './record.js';

export const SWEEP_TARGETS = ESTIMATE_TARGETS;
export type SweepTarget = EstimateTarget;

/** One figure of a target: its metric name, unit, and the cost model's per-MAC key. */
export interface Figure {
  metric: string;
  unit: string;
  /** The estimate's `perMac` key (absent: the model has no such figure). */
  estimate?: string;
  label: string;
}

export interface TargetFacts {
  /** Figures per MAC, the area figure first. */
  figures: Figure[];
  /**
   * Throughput: MACs per cycle times the clock a tool measured on this target (`fmax`, MHz ->
   * MMAC/s), or, where no tool times the design, MACs per cycle over the gates on its longest path in
   * the generic gate netlist (MACs per gate delay; the generic synthesis measures it, so the sweep
   * needs the generic target for it). A first-order stand-in for 1/Fmax that every family gets the
   * same way: a whole array rarely fits an iCE40's I/O pins, so nextpnr's Fmax (`pnr`) is reported
   * where it exists but does not rank points.
   */
  throughput?: { kind: 'fmax'; metric: string; unit: 'MMAC/s'; label: string } | { kind: 'levels'; metric: string; from: 'generic'; unit: 'MAC/gate delay'; label: string };
}

const LEVELS = { kind: 'levels', metric: 'logic_levels', from: 'generic', unit: 'MAC/gate delay', label: 'MACs/cycle / gates on the longest path (generic netlist): MACs per gate delay' } as const;

export const TARGET_FACTS: Record<SweepTarget, TargetFacts> = {
  ice40: {
    figures: [
      { metric: 'lut4_per_mac', unit: 'LUT4/MAC', estimate: 'lut4', label: 'iCE40 LUT4 per MAC' },
      { metric: 'carry_per_mac', unit: 'SB_CARRY/MAC', estimate: 'carry', label: 'iCE40 SB_CARRY per MAC' },
      { metric: 'dff_per_mac', unit: 'DFF/MAC', estimate: 'dff', label: 'iCE40 DFF per MAC' },
    ],
    throughput: LEVELS,
  },
  generic: {
    figures: [{ metric: 'transistors_per_mac', unit: 'transistors/MAC', estimate: 'transistors', label: 'generic CMOS transistors per MAC' }],
    throughput: LEVELS,
  },
  xilinx: {
    figures: [
      { metric: 'lut_per_mac', unit: 'LUT/MAC', estimate: 'lut', label: 'xc7 LUT per MAC' },
      { metric: 'carry4_per_mac', unit: 'CARRY4/MAC', estimate: 'carry4', label: 'xc7 CARRY4 per MAC' },
      { metric: 'ff_per_mac', unit: 'FF/MAC', estimate: 'ff', label: 'xc7 FF per MAC' },
      { metric: 'dsp48_per_mac', unit: 'DSP48E1/MAC', estimate: 'dsp48', label: 'xc7 DSP48E1 per MAC' },
    ],
    throughput: LEVELS,
  },
  asic: {
    figures: [{ metric: 'area_per_mac', unit: 'um2/MAC', estimate: 'um2', label: 'OSU 0.18 um area per MAC, um^2' }],
    throughput: { kind: 'fmax', metric: 'fmax', unit: 'MMAC/s', label: 'MACs/cycle x Fmax (OpenSTA), MMAC/s' },
  },
};

/** The area figure of a target (the first). */
export const areaFigure = (t: SweepTarget): Figure => TARGET_FACTS[t].figures[0];

/** A metric's value from a job's metrics. */
export const metricOf = (metrics: Metric[] | undefined, name: string): number | undefined => metrics?.find((m) => m.name === name)?.value;

/** Throughput from the measured metrics of each target's synthesis (undefined when the metric it needs is missing). */
export function throughputOf(t: SweepTarget, macsPerCycle: number, metrics: Partial<Record<SweepTarget, Metric[]>>): number | undefined {
  const th = TARGET_FACTS[t].throughput;
  if (!th) return undefined;
  const v = metricOf(metrics[th.kind === 'levels' ? th.from : t], th.metric);
  if (v === undefined || v <= 0) return undefined;
  return th.kind === 'fmax' ? macsPerCycle * v : macsPerCycle / v;
}
