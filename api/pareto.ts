// Pareto fronts of (cost, benefit) pairs: lower cost and higher benefit are better. A point is on the
// front when no other point is at least as good in both and better in one. `slack` widens the front
// for selection ("on or near"): a point within slack (a fraction) of the front counts.

export interface Pair {
  cost: number;
  benefit: number;
}

/** For each pair, whether it is on the front (or, with slack > 0, within that fraction of it). */
export function paretoFront(pairs: readonly Pair[], slack = 0): boolean[] {
  // Sorted by cost (then by benefit, best first): a pair is dominated exactly when an earlier pair
  // (cheaper or as cheap) has a benefit at least as high, with one of the two strictly better.
  const order = pairs.map((_, i) => i).sort((a, b) => pairs[a].cost - pairs[b].cost || pairs[b].benefit - pairs[a].benefit);
  const on = new Array<boolean>(pairs.length).fill(false);
  if (slack === 0) {
    let best = -Infinity;
    let bestCost = NaN;
    for (const i of order) {
      const p = pairs[i];
      // Equal to the best so far in both figures: a tie, on the front too.
      if (p.benefit > best || (p.benefit === best && p.cost === bestCost)) {
        on[i] = true;
        if (p.benefit > best) bestCost = p.cost;
        best = Math.max(best, p.benefit);
      }
    }
    return on;
  }
  // With slack: p is out only when some q is at least as good in both figures and better by more than
  // the slack in one of them (so a point a few percent behind the front, in either figure, stays in).
  for (let i = 0; i < pairs.length; i++) {
    const p = pairs[i];
    on[i] = !pairs.some((q, j) => j !== i && q.cost <= p.cost && q.benefit >= p.benefit && (q.cost * (1 + slack) < p.cost || q.benefit > p.benefit * (1 + slack)));
  }
  return on;
}
