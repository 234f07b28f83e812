// The guard around the whole suite (test/globalSetup.ts) fails when the user's cache changed: its
// fingerprint must notice a new entry, a rewritten file and a directory appearing.
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprint } from '../fingerprint.js';
import { tmp } from '../helpers.js';

describe("the user's-cache guard", () => {
  it('sees a cache appear, a new entry, a rewritten file; an untouched one compares equal', () => {
    const root = tmp('fp');
    const cache = join(root, 'lowbit');
    expect(fingerprint(cache)).toBe('absent');
    mkdirSync(join(cache, 'verilator'), { recursive: true });
    const empty = fingerprint(cache);
    expect(empty).not.toBe('absent');
    writeFileSync(join(cache, 'verilator', 'entry.json'), '{}');
    const one = fingerprint(cache);
    expect(one).not.toBe(empty);
    expect(fingerprint(cache)).toBe(one);
    writeFileSync(join(cache, 'verilator', 'entry.json'), '{"x":1}');
    utimesSync(join(cache, 'verilator', 'entry.json'), new Date(0), new Date(0));
    expect(fingerprint(cache)).not.toBe(one);
  });
});
