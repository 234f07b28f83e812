// The ternary family's cost structure (`lowbit estimate`): per row, k lane terms sg ^ (nz & a) of
// act_bits bits, base-3 byte decoders (encoding base3), the adder tree with one carry-in per lane
// (the plan the generator renders) and its pipeline registers; the shared shell.
import { adderTreeCost, addBlocks, copies, costEstimate, newBlocks, shellBlocks, signedNum, treeDepth, type Blocks, type CostEstimate } from '../common/estimate.js';
import type { CommonParams, Layout } from '../common/family.js';
import type { TernaryEncoding } from '../common/ternaryCodes.js';

/** One ternary row of `lanes` lanes (shared with N:M sparse ternary): lane terms, decoders, tree. */
export function ternaryRowBlocks(lanes: number, actBits: number, encoding: TernaryEncoding, pipeline: number): { blocks: Partial<Blocks>; depth: number } {
  // The generator's tree (ternaryRow.ts): lanes terms of act_bits, one carry-in (sign) per lane.
  const tree = adderTreeCost(copies(lanes, signedNum(actBits)), lanes, pipeline);
  const b = addBlocks({ ...newBlocks(), one: 0, tern: lanes * actBits, b3: encoding === 'base3' ? lanes : 0 }, tree.blocks);
  return { blocks: b, depth: treeDepth(tree.levels, pipeline) };
}

export function estimateTernary(p: CommonParams & { encoding: TernaryEncoding }, l: Layout): CostEstimate {
  const b = newBlocks();
  const row = ternaryRowBlocks(p.k, p.act_bits, p.encoding, p.pipeline);
  addBlocks(b, row.blocks, p.rows);
  addBlocks(b, shellBlocks(p, l));
  return costEstimate(b, l, row.depth + 1);
}
