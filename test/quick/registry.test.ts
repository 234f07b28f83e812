import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { FAMILIES, families, familyNames, getFamily, registerFamily } from '../../generators/registry.js';
import { RESERVED_PARAM_NAMES } from '../../generators/common/reserved.js';
import { usageMessage } from './usage.js';
import type { Family } from '../../generators/common/family.js';
import type { ParamSpec } from '../../generators/common/params.js';
import { repoPath } from '../../core/paths.js';

const err = usageMessage;

/** A copy of the dense family under another name, with extra parameters. */
const variant = (name: string, extra: ParamSpec[] = []): Family => {
  const dense = getFamily('dense');
  return { ...dense, name, schema: { ...dense.schema, params: [...dense.schema.params, ...extra] } };
};
const intParam = (name: string): ParamSpec => ({ kind: 'int', name, min: 0, max: 9, default: 0, doc: 'test' });

describe('family registry', () => {
  it('holds the built-in families, in order, behind getFamily, familyNames, families and FAMILIES', () => {
    expect(familyNames().slice(0, 4)).toEqual(['ternary', 'dense', 'nmsparse', 'lutgemm']);
    expect(families().map((f) => f.name)).toEqual(familyNames());
    expect(Object.keys(FAMILIES)).toEqual(familyNames());
    expect(FAMILIES.dense).toBe(getFamily('dense'));
  });

  it('registers a family from outside: every lookup sees it; the same object again is fine', () => {
    const f = variant('dense_copy');
    expect(registerFamily(f)).toBe(f);
    expect(registerFamily(f)).toBe(f);
    expect(getFamily('dense_copy')).toBe(f);
    expect(familyNames()).toContain('dense_copy');
    expect(Object.values(FAMILIES)).toContain(f);
    expect('dense_copy' in FAMILIES).toBe(true);
  });

  it('FAMILIES is a read-only view', () => {
    expect(() => {
      (FAMILIES as Record<string, Family>).mine = variant('mine');
    }).toThrow(TypeError);
    expect(FAMILIES.mine).toBeUndefined();
  });

  it('refuses a family parameter named like a command option, naming the family, the parameter and the option', () => {
    expect(err(() => registerFamily(variant('seedy', [intParam('seed')])))).toBe(
      'family seedy: parameter "seed" collides with the command option --seed (cosim, power, mutate, demo take it); rename the parameter',
    );
    expect(err(() => registerFamily(variant('timed', [intParam('clock_ns')])))).toBe(
      'family timed: parameter "clock_ns" collides with the command option --clock-ns (synth, power take it); rename the parameter',
    );
    expect(err(() => registerFamily(variant('topped', [intParam('top')])))).toBe(
      'family topped: parameter "top" collides with the command option --top (every family command takes it); rename the parameter',
    );
    expect(familyNames()).not.toContain('seedy');
  });

  it('refuses a name that is not a lower-case identifier, or one already taken', () => {
    for (const bad of ['Dense2', '2dense', 'de-nse', '', 'a b']) {
      expect(err(() => registerFamily(variant(bad)))).toBe(`family name must be a lower-case identifier (a letter, then letters, digits or _), not ${JSON.stringify(bad)}`);
    }
    expect(err(() => registerFamily(variant('ternary')))).toBe('family ternary is already registered (by another family object); choose another name');
    expect(err(() => getFamily('sparse'))).toMatch(/^family must be one of ternary, dense, nmsparse, lutgemm(, [a-z_]+)*, not "sparse"$/);
  });

  it('the reserved names cover every option of every command in cli/ (and --help, --version, the family argument)', () => {
    const options = new Set<string>();
    // regress and sweep take a suite file or family names, not family parameters as flags (a sweep's
    // parameters are --grid KEY=...): their flags (and jobOptions.ts, theirs only) cannot meet a parameter's.
    const jobCommands = ['regress.ts', 'sweep.ts', 'jobOptions.ts'];
    for (const f of readdirSync(repoPath('cli')).filter((n) => n.endsWith('.ts') && !jobCommands.includes(n))) {
      // '--name' and '-j, --name' in any string: .option(...), withTimeLimit's flag = '--timeout', ...
      for (const m of readFileSync(repoPath('cli', f), 'utf8').matchAll(/['"`](?:-[a-zA-Z], )?--([a-z][a-z0-9-]*)/g)) options.add(m[1].replace(/-/g, '_'));
    }
    expect(options.size).toBeGreaterThan(20);
    // layer's --weights is the weight file and, on purpose, the `weights` parameter too (cli/layer.ts splitWeights).
    options.delete('weights');
    const missing = [...options, 'help', 'version', 'family'].filter((o) => !Object.hasOwn(RESERVED_PARAM_NAMES, o));
    expect(missing, 'add these to generators/common/reserved.ts').toEqual([]);
  });

  it('no built-in family parameter is reserved', () => {
    for (const f of families()) for (const s of f.schema.params) expect(Object.hasOwn(RESERVED_PARAM_NAMES, s.name), `${f.name}.${s.name}`).toBe(false);
  });
});
