// Property: any parameter set a user (or a script) can hand a family either resolves and generates,
// or is refused with a UsageError that names one of the family's parameters. Never a TypeError, a
// RangeError from deep inside a generator, or an error that names nothing. Library calls only (no
// tools). Seeded: LOWBIT_TEST_SEED replays a failure; fast-check prints the seed and the shrunk case.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FAMILIES } from '../../generators/registry.js';
import { UsageError, type ParamSpec } from '../../generators/common/params.js';
import { testSeed } from '../helpers.js';

/** Parameters whose large legal values make big designs: in-range values stay small so a run takes seconds. */
const SIZE_CAPS: Record<string, number> = { rows: 4, k: 16, max_beats: 64 };
/**
 * Values that often satisfy the cross-parameter rules (k a multiple of m and of g, m a power of two):
 * without them nearly every nmsparse or lutgemm set would be refused and generation barely tested.
 */
const LIKELY: Record<string, number[]> = { k: [12, 24, 48], m: [2, 4, 8, 16], g: [2, 3, 4], n: [1, 2] };

/** Values for one parameter: mostly legal ones, plus out-of-range numbers, wrong types and junk strings. */
function valueOf(spec: ParamSpec): fc.Arbitrary<unknown> {
  const junk = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('', ' ', 'NaN', '1e3', '0x10', '-', '1.5', 'true', '\n'), fc.constant(null), fc.double(), fc.boolean());
  switch (spec.kind) {
    case 'int': {
      const hi = Math.min(spec.max, SIZE_CAPS[spec.name] ?? spec.max);
      const ranged = fc.integer({ min: spec.min, max: hi });
      const legal = LIKELY[spec.name] ? fc.oneof(ranged, fc.constantFrom(...LIKELY[spec.name])) : ranged;
      const outside = fc.oneof(fc.integer({ min: spec.max + 1, max: spec.max + 1000 }), fc.integer({ min: spec.min - 1000, max: spec.min - 1 }));
      return fc.oneof({ arbitrary: legal, weight: 6 }, { arbitrary: legal.map(String), weight: 2 }, { arbitrary: outside, weight: 1 }, { arbitrary: junk, weight: 1 });
    }
    case 'enum':
      return fc.oneof({ arbitrary: fc.constantFrom(...spec.values), weight: 6 }, { arbitrary: junk, weight: 1 });
    case 'bool':
      return fc.oneof({ arbitrary: fc.boolean(), weight: 3 }, { arbitrary: fc.constantFrom('true', 'false'), weight: 3 }, { arbitrary: junk, weight: 1 });
  }
}

describe('every parameter set resolves and generates, or is refused naming a parameter', () => {
  const seed = testSeed('params property');
  for (const family of Object.values(FAMILIES)) {
    it(family.name, () => {
      const specs = family.schema.params;
      const names = specs.map((s) => s.name);
      // A random subset of the parameters (each given one time in three: the families' rules tie
      // several together, so sets of many given values are nearly always refused), random values.
      const maybe = (s: ParamSpec) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: valueOf(s), weight: 1 });
      const sets = fc
        .record(Object.fromEntries(specs.map((s) => [s.name, maybe(s)])))
        .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));
      let generated = 0;
      let refused = 0;
      fc.assert(
        fc.property(sets, (raw) => {
          let params;
          try {
            params = family.resolve(raw as Record<string, unknown>);
          } catch (e) {
            expect(e, `resolve(${JSON.stringify(raw)}) threw ${String(e)}`).toBeInstanceOf(UsageError);
            const msg = (e as Error).message;
            expect(names.some((n) => new RegExp(`\\b${n}\\b`).test(msg)), `message names no parameter of ${family.name}: ${msg}`).toBe(true);
            refused++;
            return;
          }
          const rtl = family.generate(params, `lowbit_${family.name}`);
          expect(rtl.files.length).toBeGreaterThan(0);
          expect(rtl.files.some((f) => f.content.includes(`module lowbit_${family.name}`))).toBe(true);
          generated++;
        }),
        { seed, numRuns: 300, verbose: true },
      );
      // Both outcomes must have been exercised, or the property says little.
      expect(generated, `seed ${seed}`).toBeGreaterThan(10);
      expect(refused, `seed ${seed}`).toBeGreaterThan(10);
    });
  }
});
