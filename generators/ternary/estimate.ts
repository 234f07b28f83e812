// The ternary family's cost structure (`lowbit estimate`): per row, k lane terms sg ^ (nz & a) of
// act_bits bits, base-3 byte decoders (encoding base3), the adder tree with one carry-in per lane
// and its pipeline registers (common/ternaryRow.ts, counted by ternaryRowBlocks); the shared shell.
import { rowsEstimate, ternaryRowBlocks, type CostEstimate } from '../common/estimate.js';
import type { CommonParams, Layout } from '../common/family.js';
import type { TernaryEncoding } from '../common/ternaryCodes.js';

export function estimateTernary(p: CommonParams & { encoding: TernaryEncoding }, l: Layout): CostEstimate {
  return rowsEstimate(p, l, ternaryRowBlocks(p.k, p.act_bits, p.encoding, p.pipeline));
}
