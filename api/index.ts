/**
 * lowbit's public API: the functions the `lowbit` command line calls, for use from TypeScript or
 * JavaScript (`import { ... } from 'lowbit'`). Everything exported here is documented and stable
 * within a major version; anything else in the package is internal.
 *
 * @packageDocumentation
 */

export { VERSION } from '../core/version.js';
export { UsageError } from '../core/errors.js';
export { ToolMissingError, ToolFailedError, CheckFailedError, TimeLimitError } from '../core/tool.js';
export { getFamily, FAMILIES } from '../generators/registry.js';
export { macsPerCycle } from '../generators/common/family.js';
export type { Family, CommonParams, Layout, Rtl, RtlFile, PackOptions, Weights } from '../generators/common/family.js';
export { packMatrix, unpackMatrix } from '../generators/common/matrix.js';
// Writing a family of one's own: the contract, registerFamily and the pieces families are made of.
export * from './families.js';
