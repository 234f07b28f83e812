// The dense family's cost structure (`lowbit estimate`): per row, k signed w_bits x act_bits
// multipliers and the exact adder tree over their products (the generator's plan) with its
// pipeline registers; the shared shell.
import { adderTreeCost, addBlocks, copies, costEstimate, multiplier, newBlocks, shellBlocks, treeDepth, type Blocks, type CostEstimate } from '../common/estimate.js';
import type { CommonParams, Layout } from '../common/family.js';

/** One multiplier row of `lanes` lanes (shared with N:M sparse int): multipliers and tree. */
export function mulRowBlocks(lanes: number, actBits: number, wBits: number, pipeline: number): { blocks: Partial<Blocks>; depth: number } {
  // The generator's tree (mulRow.ts): lanes products of a signed act_bits x w_bits multiply.
  const amin = -(2 ** (actBits - 1));
  const wmin = -(2 ** (wBits - 1));
  const prod = { min: Math.min(amin * (-wmin - 1), wmin * (-amin - 1)), max: amin * wmin };
  const tree = adderTreeCost(copies(lanes, prod), 0, pipeline);
  const b = addBlocks(addBlocks(newBlocks(), multiplier(wBits, actBits), lanes), tree.blocks);
  b.one = 0;
  // A multiplier is about min(w, a) adder ranks deep.
  return { blocks: b, depth: treeDepth(tree.levels + Math.min(wBits, actBits), pipeline) };
}

export function estimateDense(p: CommonParams & { w_bits: number }, l: Layout): CostEstimate {
  const b = newBlocks();
  const row = mulRowBlocks(p.k, p.act_bits, p.w_bits, p.pipeline);
  addBlocks(b, row.blocks, p.rows);
  addBlocks(b, shellBlocks(p, l));
  return costEstimate(b, l, row.depth + 1);
}
