// testbenches/blockCheck.ts without a simulator: the wrapper it generates (parameters, every port in
// its own whole words, padding driven to 0), what it refuses, and the comparison.
import { describe, expect, it } from 'vitest';
import { blockWrapper, compareBlock, type Block, type BlockRun } from '../../testbenches/blockCheck.js';

const block: Block = {
  files: ['x.v'],
  top: 'adder',
  params: { W: 40, MODE: 1 },
  inputs: [{ name: 'a', width: 40 }, { name: 'b', width: 8 }],
  outputs: [{ name: 'y', width: 41 }],
};

describe('blockCheck', () => {
  it('wraps the block: parameters on the instance, each port in whole 32-bit words, padding 0', () => {
    const v = blockWrapper(block);
    expect(v).toContain('input  wire [95:0] in_bits'); // a: words 0-1, b: word 2
    expect(v).toContain('output wire [63:0] out_bits');
    expect(v).toContain('adder #(.W(40), .MODE(1)) u_block (');
    expect(v).toContain('.a(in_bits[39:0])');
    expect(v).toContain('.b(in_bits[71:64])');
    expect(v).toContain('.y(out_bits[40:0])');
    expect(v).toContain("assign out_bits[63:41] = {23{1'b0}};");
  });

  it('refuses names that are not identifiers and empty ports', () => {
    expect(() => blockWrapper({ ...block, top: 'a b' })).toThrow(/not a Verilog identifier/);
    expect(() => blockWrapper({ ...block, params: { 'W)': 1 } })).toThrow(/not a Verilog identifier/);
    expect(() => blockWrapper({ ...block, inputs: [{ name: 'a', width: 0 }] })).toThrow(/1 or more bits/);
    expect(() => blockWrapper({ ...block, params: { W: 1.5 } })).toThrow(/must be an integer/);
  });

  it('counts mismatches, unknown outputs among them, and keeps the first ones', () => {
    const b: Block = { ...block, inputs: [{ name: 'a', width: 8 }], outputs: [{ name: 'y', width: 8 }] };
    const inputs = [Uint32Array.from([1, 2, 3, 4])];
    const run: BlockRun = { vectors: 4, outputs: [Uint32Array.from([10, 20, 31, 0])], unknown: [3], buildSeconds: 0, runSeconds: 0, cached: true };
    const c = compareBlock(b, inputs, [Uint32Array.from([10, 20, 30, 0])], run, 1);
    expect(c.mismatches).toBe(2);
    expect(c.first).toEqual([{ vector: 2, inputs: [3], expected: [30], actual: [31], unknown: false }]);
  });
});
