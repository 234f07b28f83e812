// The N:M sparse family's cost structure (`lowbit estimate`): per row, (k/m)*n kept slots, each an
// m:1 activation multiplexer of act_bits bits feeding a ternary or multiplier lane, and the
// row's adder tree over the slots; the shared shell.
import { addBlocks, mulRowBlocks, muxBlocks, newBlocks, rowsEstimate, ternaryRowBlocks, type CostEstimate } from '../common/estimate.js';
import type { CommonParams, Layout } from '../common/family.js';
import type { TernaryEncoding } from '../common/ternaryCodes.js';

export function estimateNmSparse(p: CommonParams & { weights: 'int' | 'ternary'; w_bits: number; encoding: TernaryEncoding; n: number; m: number }, l: Layout): CostEstimate {
  const slots = (p.k / p.m) * p.n;
  const row = p.weights === 'ternary' ? ternaryRowBlocks(slots, p.act_bits, p.encoding, p.pipeline) : mulRowBlocks(slots, p.act_bits, p.w_bits, p.pipeline);
  // The slots' m:1 multiplexers add a level before the lanes.
  return rowsEstimate(p, l, row, 2, addBlocks(newBlocks(), muxBlocks(p.m, p.act_bits), slots));
}
