// Every family lowbit knows: the built-in ones, registered below, and any a user's module registers
// (registerFamily). Nothing else in lowbit names a family; commands look them up here.

import type { Family, CommonParams } from './common/family.js';
import { UsageError, flagName } from './common/params.js';
import { RESERVED_PARAM_NAMES } from './common/reserved.js';
import { ternary } from './ternary/index.js';
import { dense } from './dense/index.js';
import { nmsparse } from './nmsparse/index.js';
import { lutgemm } from './lutgemm/index.js';

/** A family name: a lower-case identifier (it becomes part of module names, paths and commands). */
const FAMILY_NAME = /^[a-z][a-z0-9_]*$/;

const registry = new Map<string, Family>();

/**
 * Adds a family to the registry, so that every command and API function finds it by name. Refuses
 * (UsageError, exit 2) a name that is not a lower-case identifier, a name already taken by another
 * family (registering the very same object again is a no-op, so a module may be imported twice),
 * and a parameter named like a command option (RESERVED_PARAM_NAMES): parameters become flags, and
 * `--seed` cannot be both. Returns the family.
 */
export function registerFamily<P extends CommonParams>(family: Family<P>): Family<P> {
  const name: unknown = family?.name;
  if (typeof name !== 'string' || !FAMILY_NAME.test(name)) {
    throw new UsageError(`family name must be a lower-case identifier (a letter, then letters, digits or _), not ${JSON.stringify(name)}`);
  }
  const known = registry.get(name);
  if (known === family) return family;
  if (known) throw new UsageError(`family ${name} is already registered (by another family object); choose another name`);
  for (const spec of family.schema.params) {
    const commands = Object.hasOwn(RESERVED_PARAM_NAMES, spec.name) ? RESERVED_PARAM_NAMES[spec.name] : undefined;
    if (commands !== undefined) {
      throw new UsageError(`family ${name}: parameter "${spec.name}" collides with the command option --${flagName(spec.name)} (${commands} ${commands.includes(',') ? 'take' : 'takes'} it); rename the parameter`);
    }
  }
  registry.set(name, family);
  return family;
}

/** The family registered under `name`; a UsageError naming the registered ones otherwise. */
export function getFamily(name: string): Family {
  const f = registry.get(name);
  if (!f) throw new UsageError(`family must be one of ${familyNames().join(', ')}, not ${JSON.stringify(name)}`);
  return f;
}

/** Names of the registered families, in registration order (built-ins first). */
export const familyNames = (): string[] => [...registry.keys()];

/** The registered families, in registration order. */
export const families = (): Family[] => [...registry.values()];

/**
 * A read-only view of the registry as a record (name -> family), for code written against the
 * earlier constant: it always shows the families registered so far, and refuses writes.
 */
export const FAMILIES: Readonly<Record<string, Family>> = new Proxy({} as Record<string, Family>, {
  get: (_, key) => (typeof key === 'string' ? registry.get(key) : undefined),
  has: (_, key) => typeof key === 'string' && registry.has(key),
  ownKeys: () => [...registry.keys()],
  getOwnPropertyDescriptor: (_, key) => {
    const f = typeof key === 'string' ? registry.get(key) : undefined;
    return f ? { value: f, enumerable: true, configurable: true, writable: false } : undefined;
  },
  set: () => false,
  defineProperty: () => false,
  deleteProperty: () => false,
});

registerFamily(ternary);
registerFamily(dense);
registerFamily(nmsparse);
registerFamily(lutgemm);
