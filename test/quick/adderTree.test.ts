import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { planAdderTree, treeLevels, cutLevels, signExt } from '../../generators/common/adderTree.js';
import { FAMILIES } from '../../generators/registry.js';
import { repoPath } from '../../core/paths.js';

describe('adder tree planning', () => {
  it('counts levels: term level, one per adder rank, one per carry the adders cannot absorb', () => {
    expect(treeLevels(1, 0)).toBe(1);
    expect(treeLevels(1, 1)).toBe(2);
    expect(treeLevels(64, 0)).toBe(7);
    expect(treeLevels(64, 64)).toBe(8); // 63 adders absorb 63 carries, one increment left
    expect(treeLevels(7, 7)).toBe(5);
  });

  it('spreads registers evenly and never twice at one level', () => {
    expect([...cutLevels(3, 1)]).toEqual([1]);
    expect([...cutLevels(3, 3)]).toEqual([0, 1, 2]);
    expect([...cutLevels(6, 2)]).toEqual([1, 3]);
    for (let levels = 1; levels < 12; levels++) for (let s = 0; s <= levels; s++) expect(cutLevels(levels, s).size).toBe(s);
  });

  it('node widths are exact: the root range is the sum of the term ranges plus the carries', () => {
    const t = planAdderTree('s', Array.from({ length: 5 }, (_, i) => ({ name: `t${i}`, range: { min: -128n, max: 127n } })), ['c0', 'c1', 'c2', 'c3', 'c4'], 0);
    expect(t.range).toEqual({ min: -640n, max: 635n + 5n });
    expect(t.width).toBe(11);
    expect(t.statements.every((s) => s.kind === 'wire')).toBe(true);
    const p = planAdderTree('s', [{ name: 'a', range: { min: -2n, max: 1n } }, { name: 'b', range: { min: -2n, max: 1n } }], [], 2);
    expect(p.statements.filter((s) => s.kind === 'reg').length).toBeGreaterThanOrEqual(2);
    expect(() => planAdderTree('s', [{ name: 'a', range: { min: 0n, max: 1n } }], [], 2)).toThrow('pipeline must be in 0..1, not 2');
  });

  it('sign-extends operands explicitly (lint-clean widths)', () => {
    expect(signExt('x', 8, 8)).toBe('x');
    expect(signExt('x', 8, 10)).toBe('{{2{x[7]}}, x}');
    expect(signExt('c', 1, 4)).toBe('{4{c}}');
  });
});

describe('README', () => {
  it('documents every parameter of every family with its range', () => {
    const readme = readFileSync(repoPath('README.md'), 'utf8');
    for (const f of Object.values(FAMILIES)) {
      for (const s of f.schema.params) {
        expect(readme, `${f.name}.${s.name}`).toContain(`\`${s.name}\``);
        if (s.kind === 'int' && s.name !== 'pipeline') expect(readme, `${f.name}.${s.name} range`).toContain(`${s.min}..${s.max}`);
        if (s.kind === 'enum') for (const v of s.values) expect(readme).toContain(`\`${v}\``);
      }
    }
  });
});
