import { describe, expect, it } from 'vitest';
import { getFamily, FAMILIES } from '../../generators/registry.js';
import { usageMessage } from './usage.js';

const err = usageMessage;

describe('parameter schema', () => {
  const t = getFamily('ternary');
  const d = getFamily('dense');

  it('fills defaults: 16x64, int8 activations, exact accumulator', () => {
    const p = t.resolve({});
    expect(p).toMatchObject({ rows: 16, k: 64, act_bits: 8, encoding: 'twos', max_beats: 256, overflow: 'wrap', pipeline: 0 });
    // |sum| <= 256 beats * 64 lanes * 128 = 2^21 -> 23 bits signed (+2^21 needs 23).
    expect(p.acc_bits).toBe(23);
    // dense int8: max product 2^14, 256*64*2^14 = 2^28 -> 30 bits.
    expect(d.resolve({}).acc_bits).toBe(30);
  });

  it('parses CLI strings and derives the accumulator from the others', () => {
    const p = t.resolve({ rows: '3', k: '7', act_bits: '4', max_beats: '1' });
    expect(p).toMatchObject({ rows: 3, k: 7, act_bits: 4, max_beats: 1 });
    // 7 * 8 = 56 -> 7 bits signed.
    expect(p.acc_bits).toBe(7);
  });

  it('names the parameter, the allowed range and the value given', () => {
    expect(err(() => t.resolve({ rows: '0' }))).toBe('rows must be an integer in 1..256, not 0');
    expect(err(() => t.resolve({ k: '1025' }))).toBe('k must be an integer in 1..1024, not 1025');
    expect(err(() => t.resolve({ act_bits: 'eight' }))).toBe('act_bits must be an integer in 2..16, not "eight"');
    expect(err(() => t.resolve({ act_bits: '2.5' }))).toBe('act_bits must be an integer in 2..16, not "2.5"');
    expect(err(() => t.resolve({ encoding: 'tq2' }))).toBe('encoding must be one of twos, i2s, base3, not "tq2"');
    expect(err(() => t.resolve({ overflow: 'clip' }))).toBe('overflow must be one of wrap, saturate, not "clip"');
    expect(err(() => d.resolve({ w_bits: '9' }))).toBe('w_bits must be an integer in 2..8, not 9');
    expect(err(() => t.resolve({ acc_bits: '1' }))).toBe('acc_bits must be an integer in 2..64, not 1');
  });

  it('rejects parameters of another family and bad combinations', () => {
    expect(err(() => t.resolve({ w_bits: '4' }))).toMatch(/^ternary has no parameter w_bits \(it has: rows, k, act_bits, act_format, fp_mode, out_format, encoding/);
    expect(err(() => t.resolve({ k: '4', pipeline: '9' }))).toBe('pipeline must be in 0..4 for k 4 (the row sum has 4 logic levels), not 9');
    expect(err(() => d.resolve({ k: '1', pipeline: '2' }))).toBe('pipeline must be in 0..1 for k 1 (the row sum has 1 logic levels), not 2');
    expect(err(() => getFamily('sparse'))).toBe('family must be one of ternary, dense, nmsparse, lutgemm, not "sparse"');
  });

  it('every family resolves its own defaults', () => {
    for (const f of Object.values(FAMILIES)) expect(() => f.resolve({})).not.toThrow();
  });
});
