// The example family (examples/xnor) without tools: it plugs in through the public API alone, no file
// of lowbit mentions it, and its packers, golden model and generator keep the contract.
// test/examples.test.ts runs it through the real tools.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { xnor } from '../../examples/xnor/index.js';
import { getFamily, familyNames, packMatrix, unpackMatrix, type Weights } from 'lowbit';
import { repoPath } from '../../core/paths.js';
import { Rng } from '../../core/rng.js';
import { wordsFor, wordsToBig } from '../../core/bits.js';
import { testSeed } from '../helpers.js';

const FOLDER = repoPath('examples', 'xnor');
/** lowbit's own code and data: everything but tests, examples and prose. */
const LOWBIT = ['core', 'generators', 'flows', 'testbenches', 'api', 'cli', 'templates', 'hw', 'scripts', 'bin'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

describe('the example family plugs in from outside', () => {
  it('registers itself on import, through the package', () => {
    expect(familyNames()).toContain(xnor.name);
    expect(getFamily(xnor.name)).toBe(xnor);
  });

  it('no file of lowbit mentions it, by name or by folder', () => {
    const name = xnor.name;
    const word = new RegExp(`\\b${name}\\b`, 'i');
    const hits: string[] = [];
    for (const f of LOWBIT.flatMap((d) => files(repoPath(d)))) {
      let text = readFileSync(f, 'utf8');
      // The Verilog keyword list (names.ts) holds the operator `xnor`: a keyword, not the family.
      text = text.replace(/VERILOG_KEYWORDS[^`]*`[^`]*`/, '');
      text.split('\n').forEach((line, i) => {
        if (word.test(line) || line.includes(`examples/${name}`)) hits.push(`${relative(repoPath(), f)}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(hits).toEqual([]);
  });

  it('its code imports only the package (no path into lowbit\'s tree)', () => {
    const imports = files(FOLDER)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => ts.preProcessFile(readFileSync(f, 'utf8'), true, true).importedFiles.map((i) => `${relative(FOLDER, f)}: ${i.fileName}`));
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((i) => !/: lowbit$/.test(i))).toEqual([]);
  });
});

describe('the example family keeps the contract', () => {
  const p = xnor.resolve({ rows: 3, k: 5 });

  it('packs one bit per weight, 1 = +1, and refuses a 0 naming its place', () => {
    const words = new Uint32Array(wordsFor(15));
    xnor.pack(p, [1, -1, -1, 1, 1, /* row 1 */ -1, -1, -1, -1, -1, /* row 2 */ 1, 1, 1, 1, 1], words);
    expect(wordsToBig(words, 15)).toBe(0b11111_00000_11001n);
    expect(() => xnor.pack(p, [1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1], words)).toThrow('weights[1][3] must be one of -1, 1, not 0');
    expect(() => xnor.model(p, [[1, 1, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 2, 1, 1]], [1, 2, 3, 4, 5])).toThrow('weights[2][2] must be one of -1, 1, not 2');
  });

  it('random beats decode to their weights, use both values, and round-trip through the matrix packers', () => {
    const seed = testSeed('xnor beats');
    const rng = new Rng(seed);
    const n = p.rows * p.k;
    const seen = new Set<number>();
    const beats: Weights[] = [];
    for (let t = 0; t < 20; t++) {
      const w: Weights = new Int32Array(n);
      const words = new Uint32Array(wordsFor(n));
      xnor.randomBeat(p, rng, w, words);
      const back: Weights = new Int32Array(n);
      xnor.unpack(p, words, back);
      expect(Array.from(back), `seed ${seed}`).toEqual(Array.from(w));
      w.forEach((v) => seen.add(v));
      beats.push(w);
    }
    expect([...seen].sort()).toEqual([-1, 1]);
    const W = Array.from({ length: p.rows }, (_, r) => beats.flatMap((w) => Array.from(w.slice(r * p.k, (r + 1) * p.k))));
    expect(unpackMatrix(xnor, p, packMatrix(xnor, p, W))).toEqual(W);
  });

  it('the golden model is the plain dot product with the accumulator rules', () => {
    expect(xnor.model(p, [[1, -1, 1, -1, 1], [-1, -1, -1, -1, -1], [1, 1, 1, 1, 1]], [1, 2, 3, 4, -128])).toEqual([-130n, 118n, -118n]);
    const narrow = xnor.resolve({ rows: 1, k: 1, acc_bits: 8, overflow: 'saturate' });
    expect(xnor.model(narrow, [[-1, -1]], [-128, -128])).toEqual([127n]);
  });

  it('generates a header that names the generator, not a folder of lowbit, and a row without multipliers', () => {
    const rtl = xnor.generate(xnor.resolve({ rows: 2, k: 8 }), 'lowbit_x');
    const row = rtl.files.find((f) => f.name === 'lowbit_x_row.v')!.content;
    expect(row).toContain(`generator '${xnor.name}'. Do not edit`);
    expect(row).not.toContain('(generators/');
    expect(row).not.toMatch(/[^/]\*[^/]/);
    expect(rtl.files.map((f) => f.name)).toEqual(['lowbit_stream_acc.v', 'lowbit_x_row.v', 'lowbit_x.v']);
    // built-in families still name their folder
    expect(getFamily('dense').generate(getFamily('dense').resolve({ rows: 1, k: 2 }), 'd').files[1].content).toContain("generator 'dense' (generators/dense)");
  });
});
