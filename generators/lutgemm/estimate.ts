// The lutgemm family's cost structure (`lowbit estimate`), from the plan the generator renders
// (plan.ts): the shared table stage (one group table of adders/subtractors/negations per group, the
// -sum(a) correction tree), per row the lookups (entry selection, sign flip), the bit-serial plane
// select, the adder trees, the Horner register or the plane-combining tree; the beat sequencer
// (bit-serial) and the shared shell.
//
// The table and lookup plans do not depend on k: they come from planLut of one group (memoized);
// the row's trees, which grow with k, are counted by adderTreeCost exactly as planRow builds them.
import { adderTreeCost, addBlocks, beatSeqBlocks, bitsOf, copies, costEstimate, newBlocks, shellBlocks, treeDepth, type CostEstimate, type NumRange } from '../common/estimate.js';
import type { Range } from '../common/accumulator.js';
import { treeLevels } from '../common/adderTree.js';
import type { CommonParams, Layout } from '../common/family.js';
import { planLut, type LutDatapathOptions, type LutPlan } from './plan.js';

const num = (r: Range): NumRange => ({ min: Number(r.min), max: Number(r.max) });
const union = (a: NumRange, b: NumRange): NumRange => ({ min: Math.min(a.min, b.min), max: Math.max(a.max, b.max) });
const shl = (a: NumRange, i: number): NumRange => ({ min: a.min * 2 ** i, max: a.max * 2 ** i });

const unitPlans = new Map<string, LutPlan>();

/** planLut of a single group (its table, lookup and term do not depend on k), memoized. */
function unitPlan(o: LutDatapathOptions): LutPlan {
  const key = `${o.spec.kind}|${o.spec.g}|${o.spec.symmetric}|${o.actBits}|${o.planes}|${o.offset}|${o.serial}`;
  let p = unitPlans.get(key);
  if (!p) {
    p = planLut({ ...o, k: o.spec.g, pipeline: 0 });
    unitPlans.set(key, p);
  }
  return p;
}

export function estimateLutgemm(p: CommonParams, o: LutDatapathOptions, l: Layout): CostEstimate {
  const unit = unitPlan(o);
  const groups = o.k / unit.g;
  const b = newBlocks();
  // Shared: the group tables and the -sum(a) correction (planCorrection).
  for (const s of unit.table.steps) {
    if (s.op === 'neg') b.inc += groups * s.sig.width;
    else b.add2 += groups * s.sig.width;
    b.adders += groups;
  }
  let corr: NumRange | undefined;
  if (unit.table.sumAll) {
    const t = adderTreeCost(copies(groups, num(unit.table.sumAll.range)), 0, 0);
    const negRange = { min: -t.range.max, max: -t.range.min };
    corr = unit.serial ? union(negRange, { min: 0, max: 0 }) : negRange;
    const bits = Math.max(bitsOf(corr), t.width);
    addBlocks(b, t.blocks);
    b.inc += bits;
    b.adders++;
  }
  // One row (planRow).
  const row = newBlocks();
  row.one = 0;
  const planes = o.planes;
  const rowPlanes = unit.serial ? 1 : planes;
  const lookups = rowPlanes * groups;
  row.lut += lookups * unit.tw * Math.max(0, new Set(unit.lookup.cases.map((c) => c.entry)).size - 1);
  if (unit.signed) row.flip += lookups * unit.tw;
  if (unit.serial) row.mux += o.k * (planes - 1);
  const term = num(unit.term);
  const carries = unit.signed ? groups : 0;
  const planeTerms = Array.from({ length: rowPlanes }, (_, i) => (i === 0 && corr ? [...copies(groups, term), corr] : copies(groups, term)));
  let levels: number;
  if (rowPlanes === 1) {
    const tree = adderTreeCost(planeTerms[0], carries, o.pipeline);
    addBlocks(row, tree.blocks);
    levels = tree.levels;
    if (unit.serial) {
      // Horner over the planes: a register of rw bits and a sum of sw bits.
      const s = tree.range;
      let partial = s;
      let held = s;
      for (let i = planes - 2; i >= 1; i--) {
        partial = { min: 2 * partial.min + s.min, max: 2 * partial.max + s.max };
        held = union(held, partial);
      }
      const rw = bitsOf(held);
      const sw = Math.max(bitsOf(union({ min: 2 * held.min + s.min, max: 2 * held.max + s.max }, s)), rw + 1);
      row.add2 += sw;
      row.adders++;
      row.dff += rw;
    }
  } else {
    const minLevels = Math.min(...planeTerms.map((ts) => treeLevels(ts.length, carries)));
    const p1 = Math.min(o.pipeline, minLevels);
    const trees = planeTerms.map((ts) => adderTreeCost(ts, carries, p1));
    for (const t of trees) addBlocks(row, t.blocks);
    const comb = adderTreeCost(trees.map((t, i) => shl(t.range, i)), 0, o.pipeline - p1);
    addBlocks(row, comb.blocks);
    levels = minLevels + comb.levels;
  }
  addBlocks(b, row, p.rows);
  if (unit.serial) addBlocks(b, beatSeqBlocks(unit.steps, p.pipeline));
  addBlocks(b, shellBlocks(p, l));
  return costEstimate(b, l, treeDepth(levels, p.pipeline) + 2);
}
