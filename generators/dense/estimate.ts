// The dense family's cost structure (`lowbit estimate`): per row, k signed w_bits x act_bits
// multipliers and the exact adder tree over their products with its pipeline registers
// (common/mulRow.ts, counted by mulRowBlocks); the shared shell.
import { mulRowBlocks, rowsEstimate, type CostEstimate } from '../common/estimate.js';
import type { CommonParams, Layout } from '../common/family.js';

export function estimateDense(p: CommonParams & { w_bits: number }, l: Layout): CostEstimate {
  return rowsEstimate(p, l, mulRowBlocks(p.k, p.act_bits, p.w_bits, p.pipeline));
}
