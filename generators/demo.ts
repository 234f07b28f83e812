// The designs `lowbit demo` runs on built-in defaults (README "What the demo prints"): data only, so
// the spine (API, CLI) names no family. The last one marked `baseline` is what the others are compared with.

/** One design of the demo. */
export interface DemoDesign {
  /** What tables call it. */
  label: string;
  /** A registered family's name. */
  family: string;
  /** Raw parameter values (defaults fill the rest). */
  params: Record<string, unknown>;
  /** Co-simulation vectors at most (a big baseline needs fewer to make its point). */
  maxVectors?: number;
  /** The design the others are compared with. */
  baseline?: boolean;
}

export const DEMO_DESIGNS: readonly DemoDesign[] = [
  { label: 'ternary w1.58', family: 'ternary', params: { rows: 16, k: 64, act_bits: 8 } },
  { label: 'dense int8', family: 'dense', params: { rows: 16, k: 64, act_bits: 8, w_bits: 8 }, maxVectors: 10000, baseline: true },
];
