// Shared by the quick tests that check error texts.
import { expect } from 'vitest';
import { UsageError } from '../../core/errors.js';

/** The message of the UsageError `f` throws; fails the test when it throws anything else, or nothing. */
export function usageMessage(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a UsageError');
}

/** The message of whatever `f` throws (fails the test when it throws nothing). */
export function errorMessage(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('no error thrown');
}
