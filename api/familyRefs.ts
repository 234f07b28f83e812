// The families a command can use: the registered ones (generators/registry.ts), by name or as a
// Family object, and user modules that register theirs when imported (LOWBIT_FAMILIES on the CLI).

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getFamily } from '../generators/registry.js';
import { UsageError } from '../core/errors.js';
import type { CommonParams, Family } from '../generators/common/family.js';

/** A family by its registered name, or a Family object used as it is. */
export type FamilyRef = string | Family<CommonParams>;

/** The family a command option names (UsageError listing the registered names otherwise). */
export function familyOf(ref: FamilyRef): Family<CommonParams> {
  return typeof ref === 'string' ? getFamily(ref) : ref;
}

/** A module entry: a path (has a slash, starts with a dot, or names a file) or a package name. */
function moduleUrl(entry: string, cwd: string): string {
  const path = isAbsolute(entry) ? entry : resolve(cwd, entry);
  // A scoped package (@scope/name) has a slash too: a path is one that starts like a path or exists.
  if (entry.startsWith('.') || isAbsolute(entry) || existsSync(path)) return pathToFileURL(path).href;
  // A package: resolved from the user's directory (their node_modules), not from lowbit's.
  try {
    return pathToFileURL(createRequire(join(cwd, 'noop.js')).resolve(entry)).href;
  } catch {
    return entry;
  }
}

/**
 * Imports modules that register families (each calls `registerFamily` when imported), in order.
 * A module that fails to load is a UsageError naming the module and its error.
 *
 * @param entries - file paths (relative to `cwd`) or package names
 * @param cwd - where relative paths and packages are resolved from (default: the current directory)
 * @throws UsageError naming the module that failed to load and why
 */
export async function loadFamilyModules(entries: string[], cwd = process.cwd()): Promise<void> {
  for (const entry of entries.map((e) => e.trim()).filter((e) => e !== '')) {
    try {
      await import(moduleUrl(entry, cwd));
    } catch (e) {
      throw new UsageError(`LOWBIT_FAMILIES: module ${JSON.stringify(entry)} failed to load: ${(e as Error).message ?? String(e)}`);
    }
  }
}
