// The loaders' shared wording for bad files, so every container says "truncated" and "unknown dtype"
// the same way (tests assert the exact text).

import { UsageError } from '../errors.js';
import { shapeText } from './types.js';

export function truncated(file: string, name: string, shape: readonly number[], dtype: string, expected: number, found: number): UsageError {
  return new UsageError(
    `${file}: expected ${expected} bytes of data for tensor ${name} (shape ${shapeText(shape)}, dtype ${dtype}), found ${Math.max(0, found)}`,
  );
}

export function unknownDtype(file: string, what: string, dtype: string, supported: readonly string[]): UsageError {
  return new UsageError(`${file}: ${what} has unsupported dtype ${dtype} (supported: ${supported.join(', ')})`);
}

/** The first bytes of a file, for "found ..." in a bad-magic message. */
export function firstBytes(bytes: Uint8Array, n: number): string {
  if (bytes.length === 0) return 'an empty file';
  const hex = [...bytes.subarray(0, n)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  return `bytes ${hex}${bytes.length > n ? ' ...' : ''}`;
}
