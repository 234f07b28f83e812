// Balanced adder trees with exact node widths, optional carry-in bits and evenly spread pipeline
// registers. Shared by every family whose row sum is a sum of terms; rendered by the
// `adder_tree` partial. Every node is as wide as its exact value range needs, so nothing overflows
// and nothing is wider than necessary.

import { signedBitsFor } from '../../core/bits.js';
import type { Range } from './accumulator.js';

export interface TreeInput {
  /** Verilog name of the signal (an unsigned bit vector holding a two's complement value). */
  name: string;
  range: Range;
}

export interface TreeStatement {
  kind: 'wire' | 'reg';
  name: string;
  msb: number;
  /** For a wire: the expression; for a reg: the signal it samples when `en` is high. */
  expr: string;
}

export interface TreePlan {
  statements: TreeStatement[];
  result: string;
  width: number;
  range: Range;
  /** Register stages inserted (== the pipeline asked for). */
  latency: number;
}

interface Item {
  name: string;
  width: number;
  range: Range;
}

const widthOf = (r: Range): number => signedBitsFor(r.min, r.max);

/** Sign-extends `x` from `from` to `to` bits, as a Verilog expression. */
export function signExt(x: string, from: number, to: number): string {
  if (from === to) return x;
  if (from === 1) return `{${to}{${x}}}`;
  return `{{${to - from}{${x}[${from - 1}]}}, ${x}}`;
}

/**
 * Number of logic levels: level 0 forms the terms, then one level per adder rank, then one
 * level per carry-in bit that the adders could not absorb (each adder takes one).
 */
export function treeLevels(nTerms: number, nCarries: number): number {
  let adders = 0;
  let ranks = 0;
  for (let n = nTerms; n > 1; n = Math.ceil(n / 2)) {
    adders += Math.floor(n / 2);
    ranks++;
  }
  return 1 + ranks + Math.max(0, nCarries - adders);
}

/** Levels after which a register goes, spreading `stages` registers evenly over `levels` levels. */
export function cutLevels(levels: number, stages: number): Set<number> {
  const cuts = new Set<number>();
  for (let j = 1; j <= stages; j++) cuts.add(Math.ceil((j * levels) / (stages + 1)) - 1);
  return cuts;
}

/**
 * Plans sum(terms) + sum(carries). `stages` (0..treeLevels) register stages are spread over the
 * levels; a register after the last level registers the result.
 */
export function planAdderTree(prefix: string, terms: TreeInput[], carries: string[], stages: number): TreePlan {
  if (terms.length === 0) throw new Error('adder tree needs at least one term');
  const levels = treeLevels(terms.length, carries.length);
  if (stages < 0 || stages > levels) throw new Error(`pipeline must be in 0..${levels}, not ${stages}`);
  const cuts = cutLevels(levels, stages);
  const statements: TreeStatement[] = [];
  let items: Item[] = terms.map((t) => ({ name: t.name, range: t.range, width: widthOf(t.range) }));
  let cins: Item[] = carries.map((c) => ({ name: c, range: { min: 0n, max: 1n }, width: 1 }));

  const registerAll = (level: number): void => {
    const reg = (it: Item, tag: string): Item => {
      const name = `${prefix}_q${level}_${tag}`;
      statements.push({ kind: 'reg', name, msb: it.width - 1, expr: it.name });
      return { ...it, name };
    };
    items = items.map((it, i) => reg(it, `s${i}`));
    cins = cins.map((it, i) => reg(it, `c${i}`));
  };

  const add = (level: number, idx: number, a: Item, b: Item | undefined, cin: Item | undefined): Item => {
    const range = {
      min: a.range.min + (b ? b.range.min : 0n),
      max: a.range.max + (b ? b.range.max : 0n) + (cin ? 1n : 0n),
    };
    const width = widthOf(range);
    const parts = [signExt(a.name, a.width, width)];
    if (b) parts.push(signExt(b.name, b.width, width));
    if (cin) parts.push(`{${width - 1}'d0, ${cin.name}}`);
    const name = `${prefix}_l${level}_${idx}`;
    statements.push({ kind: 'wire', name, msb: width - 1, expr: parts.join(' + ') });
    return { name, width, range };
  };

  let level = 0;
  if (cuts.has(level)) registerAll(level);
  while (items.length > 1 || cins.length > 0) {
    level++;
    const next: Item[] = [];
    if (items.length > 1) {
      for (let i = 0; i + 1 < items.length; i += 2) next.push(add(level, i / 2, items[i], items[i + 1], cins.shift()));
      if (items.length % 2 === 1) next.push(items[items.length - 1]);
    } else {
      // Carries the adders could not absorb: one increment per level (at most one, in practice).
      next.push(add(level, 0, items[0], undefined, cins.shift()));
    }
    items = next;
    if (cuts.has(level)) registerAll(level);
  }
  const root = items[0];
  return { statements, result: root.name, width: root.width, range: root.range, latency: stages };
}
