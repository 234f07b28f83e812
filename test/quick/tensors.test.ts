// Tensor loaders (core/tensors/): round trips through the writers in test/tensorWriters.ts for every
// dtype, byte order and layout; golden files from the reference writers (numpy's np.save, the
// safetensors spec laid out by hand, llama.cpp's TQ quantizers ported in test/golden/tensors/tq_ref.py);
// and every bad file with its exact message.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asMatrix, loadTensor, splitSpec } from '../../core/tensors/load.js';
import { halfToNumber, bfloat16ToNumber } from '../../core/tensors/floats.js';
import { repoPath } from '../../core/paths.js';
import { errorMessage } from './usage.js';
import {
  encode, ggufBytes, halfBits, bfloat16Bits, npyBytes, safetensorsBytes, toFortran, tq1Block, tq2Block, writeBytes,
  type WriteType,
} from '../tensorWriters.js';

const dir = mkdtempSync(join(tmpdir(), 'lowbit-tensors-'));
let counter = 0;
const put = (ext: string, bytes: Uint8Array, name = `t${counter++}`) => writeBytes(join(dir, `${name}.${ext}`), bytes);
const golden = (f: string) => repoPath('test', 'golden', 'tensors', f);
const hex = (s: string) => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((b) => parseInt(b, 16)));
const M = [1.5, -2.25, 0, 3, 0.125, -7.5]; // 2x3, exact in every float type
const msg = errorMessage;

describe('half and bfloat16 bits', () => {
  it('decode exactly, including subnormals, infinities and NaN', () => {
    expect(halfToNumber(0x3c00)).toBe(1);
    expect(halfToNumber(0xc000)).toBe(-2);
    expect(halfToNumber(0x7bff)).toBe(65504);
    expect(halfToNumber(0x0001)).toBe(2 ** -24);
    expect(halfToNumber(0x7c00)).toBe(Infinity);
    expect(halfToNumber(0xfc00)).toBe(-Infinity);
    expect(halfToNumber(0x7e00)).toBeNaN();
    expect(Object.is(halfToNumber(0x8000), -0)).toBe(true);
    expect(bfloat16ToNumber(0x3f80)).toBe(1);
    expect(bfloat16ToNumber(0xbf00)).toBe(-0.5);
    expect(bfloat16ToNumber(0x7f80)).toBe(Infinity);
  });
  it('the test writer encodes every half value back to its bits', () => {
    for (let h = 0; h < 0x10000; h++) {
      const v = halfToNumber(h);
      if (!Number.isNaN(v)) expect(halfBits(v)).toBe(h);
    }
    expect(bfloat16Bits(1)).toBe(0x3f80);
  });
});

describe('.npy round trips', () => {
  const cases: [string, WriteType, boolean][] = [
    ['<f8', 'float64', true], ['>f8', 'float64', false], ['<f4', 'float32', true], ['>f4', 'float32', false],
    ['<f2', 'float16', true], ['>f2', 'float16', false], ['<V2', 'bfloat16', true], ['|V2', 'bfloat16', true],
    ['bfloat16', 'bfloat16', true],
  ];
  for (const [descr, type, le] of cases) {
    for (const fortran of [false, true]) {
      it(`${descr}${fortran ? ', fortran order' : ''}`, () => {
        const data = encode(fortran ? toFortran(M, [2, 3]) : M, type, le);
        const t = loadTensor(put('npy', npyBytes({ descr, shape: [2, 3], data, fortran })));
        expect(t).toMatchObject({ dtype: type, shape: [2, 3] });
        expect([...t.data]).toEqual(M);
        expect(t.data).toBeInstanceOf(Float64Array);
      });
    }
  }
  const ints: [string, WriteType, boolean, number[]][] = [
    ['<i4', 'int32', true, [-2147483648, 2147483647, 0, 1, -1, 7]], ['>i4', 'int32', false, [-5, 4, 3, 2, 1, 0]],
    ['<i2', 'int16', true, [-32768, 32767, 0, 1, -1, 7]], ['>i2', 'int16', false, [-32768, 32767, 0, 1, -1, 7]],
    ['|i1', 'int8', true, [-128, 127, 0, 1, -1, 7]], ['<i1', 'int8', true, [-128, 127, 0, 1, -1, 7]], ['|u1', 'uint8', true, [0, 255, 1, 2, 3, 4]],
  ];
  for (const [descr, type, le, vals] of ints) {
    it(`${descr}`, () => {
      const t = loadTensor(put('npy', npyBytes({ descr, shape: [3, 2], data: encode(vals, type, le) })));
      expect(t.data).toBeInstanceOf(Int32Array);
      expect([...t.data]).toEqual(vals);
    });
  }
  it('versions 2.0 and 3.0 headers, 3-D fortran order, 1-D and 0-D shapes', () => {
    const v = Array.from({ length: 24 }, (_, i) => i - 12);
    for (const version of [2, 3] as const) {
      const t = loadTensor(put('npy', npyBytes({ descr: '<i4', shape: [2, 3, 4], data: encode(toFortran(v, [2, 3, 4]), 'int32'), fortran: true, version })));
      expect([...t.data]).toEqual(v);
    }
    expect(loadTensor(put('npy', npyBytes({ descr: '<f4', shape: [3], data: encode([1, 2, 3], 'float32') }))).shape).toEqual([3]);
    const scalar = loadTensor(put('npy', npyBytes({ descr: '<f8', shape: [], data: encode([4.5], 'float64') })));
    expect(scalar).toMatchObject({ shape: [], data: Float64Array.from([4.5]) });
  });
});

describe('.npy golden files written by numpy (test/golden/tensors/make_npy.py)', () => {
  const floats: [string, string][] = [['f4.npy', 'float32'], ['f2.npy', 'float16'], ['be_f4.npy', 'float32'], ['fortran_f8.npy', 'float64'], ['bf16.npy', 'bfloat16']];
  for (const [f, dtype] of floats) {
    it(f, () => {
      const t = loadTensor(golden(f));
      expect(t).toMatchObject({ name: f.replace('.npy', ''), dtype, shape: [2, 3] });
      expect([...t.data]).toEqual(M);
    });
  }
  it('i1.npy and i2_3d.npy', () => {
    expect([...loadTensor(golden('i1.npy')).data]).toEqual([1, -2, 0, 3, 127, -128]);
    const t = loadTensor(golden('i2_3d.npy'));
    expect(t).toMatchObject({ dtype: 'int16', shape: [2, 3, 4] });
    expect([...t.data]).toEqual(Array.from({ length: 24 }, (_, i) => i - 12));
  });
});

describe('.safetensors', () => {
  it('golden bytes laid out by hand from the format spec', () => {
    const json = '{"__metadata__":{"format":"pt"},"W":{"dtype":"F16","shape":[2,2],"data_offsets":[0,8]},'
      + '"b":{"dtype":"BF16","shape":[3],"data_offsets":[8,14]},"q":{"dtype":"I8","shape":[2],"data_offsets":[14,16]},'
      + '"s":{"dtype":"F32","shape":[1,1],"data_offsets":[16,20]}}   '; // padded with spaces to a multiple of 8
    expect(json.length).toBe(256);
    const bytes = new Uint8Array([
      ...hex('00 01 00 00 00 00 00 00'), // header length 256, u64 little-endian
      ...new TextEncoder().encode(json),
      ...hex('003c 00c0 0038 ff7b'), // W (F16): 1, -2, 0.5, 65504
      ...hex('803f 00bf 4040'), // b (BF16): 1, -0.5, 3
      ...hex('80 7f'), // q (I8): -128, 127
      ...hex('0000c03f'), // s (F32): 1.5
    ]);
    // test/golden/tensors/hand.safetensors holds these bytes (written once from this layout)
    expect(new Uint8Array(readFileSync(golden('hand.safetensors')))).toEqual(bytes);
    const f = golden('hand.safetensors');
    expect(loadTensor(`${f}:W`)).toMatchObject({ name: 'W', dtype: 'float16', shape: [2, 2], data: Float64Array.from([1, -2, 0.5, 65504]) });
    expect(loadTensor(`${f}:b`)).toMatchObject({ dtype: 'bfloat16', shape: [3], data: Float64Array.from([1, -0.5, 3]) });
    expect(loadTensor(`${f}:q`)).toMatchObject({ dtype: 'int8', data: Int32Array.from([-128, 127]) });
    expect(loadTensor(`${f}:s`)).toMatchObject({ dtype: 'float32', shape: [1, 1], data: Float64Array.from([1.5]) });
    // the writer lays the same file out byte for byte
    expect(safetensorsBytes([
      { name: 'W', dtype: 'F16', shape: [2, 2], data: encode([1, -2, 0.5, 65504], 'float16') },
      { name: 'b', dtype: 'BF16', shape: [3], data: encode([1, -0.5, 3], 'bfloat16') },
      { name: 'q', dtype: 'I8', shape: [2], data: encode([-128, 127], 'int8') },
      { name: 's', dtype: 'F32', shape: [1, 1], data: encode([1.5], 'float32') },
    ], { format: 'pt' })).toEqual(bytes);
  });
  it('round trips F32, F16, BF16, I8 (and F64, I32, I16, U8)', () => {
    const types: [string, WriteType, number[]][] = [['F32', 'float32', M], ['F16', 'float16', M], ['BF16', 'bfloat16', M], ['F64', 'float64', M],
      ['I8', 'int8', [-128, 127, 0, 1, 2, 3]], ['I32', 'int32', [-7, 8, 9, 10, 11, 12]], ['I16', 'int16', [-300, 300, 0, 1, 2, 3]], ['U8', 'uint8', [0, 255, 1, 2, 3, 4]]];
    const f = put('safetensors', safetensorsBytes(types.map(([n, t, v]) => ({ name: n, dtype: n, shape: [2, 3], data: encode(v, t) }))));
    for (const [n, , v] of types) expect([...loadTensor(`${f}:${n}`).data]).toEqual(v);
  });
});

const f32Tensor = (name: string, ne: number[], values: number[]) => ({ name, ne, type: 0, data: encode(values, 'float32') });

describe('GGUF', () => {
  it('v2 and v3, metadata of every value type skipped, alignment, shape in numpy order', () => {
    const kv: Parameters<typeof ggufBytes>[0]['kv'] = [
      ['general.architecture', { type: 'string', value: 'bitnet' }],
      ['a.u8', { type: 'u8', value: 1 }], ['a.i8', { type: 'i8', value: -1 }], ['a.u16', { type: 'u16', value: 2 }], ['a.i16', { type: 'i16', value: -2 }],
      ['a.u32', { type: 'u32', value: 3 }], ['a.i32', { type: 'i32', value: -3 }], ['a.f32', { type: 'f32', value: 0.5 }], ['a.bool', { type: 'bool', value: 1 }],
      ['a.u64', { type: 'u64', value: 4 }], ['a.i64', { type: 'i64', value: -4 }], ['a.f64', { type: 'f64', value: 0.25 }],
      ['a.strings', { type: 'array', elem: 'string', values: [{ type: 'string', value: 'x' }, { type: 'string', value: 'yz' }] }],
      ['a.nested', { type: 'array', elem: 'array', values: [{ type: 'array', elem: 'i16', values: [{ type: 'i16', value: 5 }] }] }],
      ['a.ints', { type: 'array', elem: 'i32', values: [{ type: 'i32', value: 1 }, { type: 'i32', value: 2 }] }],
    ];
    for (const version of [2, 3]) {
      for (const alignment of [undefined, 64]) {
        const f = put('gguf', ggufBytes({ version, kv, alignment, tensors: [
          f32Tensor('w', [3, 2], M),
          { name: 'h', ne: [2, 1], type: 1, data: encode([0.5, -1], 'float16') },
          { name: 'b', ne: [3], type: 30, data: encode([1, 2, 3], 'bfloat16') },
          { name: 'i', ne: [2], type: 24, data: encode([-5, 5], 'int8') },
        ] }));
        expect(loadTensor(`${f}:w`)).toMatchObject({ dtype: 'float32', shape: [2, 3], data: Float64Array.from(M) });
        expect(loadTensor(`${f}:h`)).toMatchObject({ dtype: 'float16', shape: [1, 2], data: Float64Array.from([0.5, -1]) });
        expect(loadTensor(`${f}:b`)).toMatchObject({ dtype: 'bfloat16', shape: [3], data: Float64Array.from([1, 2, 3]) });
        expect(loadTensor(`${f}:i`)).toMatchObject({ dtype: 'int8', data: Int32Array.from([-5, 5]) });
      }
    }
  });

  // The golden blocks: test/golden/tensors/tq_ref.py (a port of llama.cpp's quantize_row_tq*_ref) quantized
  // these inputs; the bytes and trits below are its output. The trits are checked against rounding the
  // input ourselves (lroundf: half away from zero), the bytes against our own packer.
  const P2 = [-2, -1, -0.5, 0, 0.5, 1, 2, 1.5, -1.5, 0.8, -0.3];
  const x2 = Array.from({ length: 256 }, (_, j) => P2[(j * 7) % 11]);
  const P1 = [-2, -1, -0.5, 0, 0.5, 1, 2, 1.5, -1.5, 0.8, -0.3, 0.2, -1.2];
  const x1 = Array.from({ length: 256 }, (_, j) => Math.fround(Math.fround(0.15) * P1[(j * 5) % 13]));
  const TQ2 = {
    bytes: '041249259659659658608104124925965965965860810412492596596596586096586081041249259659659658608104124925965965965860810412492596590040',
    d: 2,
  };
  const TQ1 = {
    bytes: '1ecb6c9ad8345b5f44cf889d111ecb6c9ad8345b5f44cf889d111ecb6c9ad834d212927637b565a61e2df15b86d21292857f0dbecd34',
    d: 0.300048828125,
  };
  const lroundAway = (v: number) => Math.sign(v) * Math.floor(Math.abs(v) + 0.5);
  const refTrits = (x: number[]) => {
    const amax = Math.fround(Math.max(...x.map(Math.abs)));
    const id = Math.fround(1 / amax);
    return x.map((v) => lroundAway(Math.fround(v * id)) + 0);
  };

  for (const [type, g, x, block] of [['TQ2_0', TQ2, x2, tq2Block], ['TQ1_0', TQ1, x1, tq1Block]] as const) {
    it(`${type}: a block packed by llama.cpp's reference quantizer decodes as its reference dequantizer does`, () => {
      const trits = refTrits(x);
      expect(new Set(trits)).toEqual(new Set([-1, 0, 1]));
      const bytes = hex(g.bytes);
      expect(block(trits, g.d)).toEqual(bytes);
      const f = put('gguf', ggufBytes({ tensors: [{ name: 'w', ne: [256, 1], type: type === 'TQ1_0' ? 34 : 35, data: bytes }] }));
      const t = loadTensor(f);
      expect(t).toMatchObject({ dtype: type, shape: [1, 256] });
      expect([...t.ternary!.trits]).toEqual(trits);
      expect([...t.ternary!.scales]).toEqual([g.d]);
      expect(t.ternary!.blockSize).toBe(256);
      expect([...t.data]).toEqual(trits.map((q) => q * g.d));
    });
  }
  it('TQ1_0 and TQ2_0 tensors of several blocks and rows keep each block its scale', () => {
    const rows = 3;
    const cols = 512;
    const trits = Array.from({ length: rows * cols }, (_, i) => ((i * 2654435761) >>> 7) % 3 - 1);
    const ds = [0.5, -0.25, 1.5, 2, 0.125, 3];
    for (const [type, block] of [[34, tq1Block], [35, tq2Block]] as const) {
      const data = new Uint8Array(ds.flatMap((d, b) => [...block(trits.slice(256 * b, 256 * (b + 1)), d)]));
      const t = loadTensor(put('gguf', ggufBytes({ tensors: [{ name: 'w', ne: [cols, rows], type, data }] })));
      expect(t.shape).toEqual([rows, cols]);
      expect([...t.ternary!.trits]).toEqual(trits);
      expect([...t.ternary!.scales]).toEqual(ds);
      expect(t.data[256 * 3 + 5]).toBe(trits[256 * 3 + 5] * 2);
    }
  });
});

describe('FILE[:NAME] specs', () => {
  it('a path with colons; the name after the last colon that leaves an existing file', () => {
    const sub = join(dir, 'a:b');
    mkdirSync(sub);
    const f = writeBytes(join(sub, 'x:y.safetensors'), safetensorsBytes([
      { name: 'k', dtype: 'F32', shape: [1], data: encode([1], 'float32') },
      { name: 'a:b', dtype: 'F32', shape: [1], data: encode([2], 'float32') },
    ]));
    expect(splitSpec(f)).toEqual({ file: f });
    expect(splitSpec(`${f}:k`)).toEqual({ file: f, name: 'k' });
    expect(splitSpec(`${f}:a:b`)).toEqual({ file: f, name: 'a:b' });
    expect(loadTensor(`${f}:a:b`).data[0]).toBe(2);
  });
  it('a file of one tensor needs no name; a .npy array is named after its file', () => {
    const f = put('npy', npyBytes({ descr: '<f4', shape: [1], data: encode([1], 'float32') }), 'weights');
    expect(loadTensor(f).name).toBe('weights');
    expect(loadTensor(`${f}:weights`).name).toBe('weights');
  });
});

describe('bad files: each says which file and what is wrong', () => {
  const npy = (o: Partial<Parameters<typeof npyBytes>[0]>, name: string) =>
    put('npy', npyBytes({ descr: '<f4', shape: [2], data: encode([1, 2], 'float32'), ...o }), name);
  const cases: [string, () => string, string][] = [
    ['no such file', () => join(dir, 'nope.npy:W'), `${join(dir, 'nope.npy:W')}: no such file (a tensor is given as FILE or FILE:NAME)`],
    ['npy: bad magic', () => put('npy', hex('504b0304 1400 0000 0800'), 'zip'), `${dir}/zip.npy: not a .npy file: expected magic \\x93NUMPY, found bytes 50 4b 03 04 14 00 00 00 ...`],
    ['npy: empty', () => put('npy', new Uint8Array(0), 'empty'), `${dir}/empty.npy: not a .npy file: expected magic \\x93NUMPY, found an empty file`],
    ['npy: version', () => { const b = npyBytes({ descr: '<f4', shape: [1], data: encode([1], 'float32') }); b[6] = 4; return put('npy', b, 'v4'); },
      `${dir}/v4.npy: unsupported .npy format version 4.0 (supported: 1.0, 2.0, 3.0)`],
    ['npy: header past the end', () => put('npy', hex('934e554d5059 0100 ff00 7b7d'), 'short'), `${dir}/short.npy: bad .npy header: header length 255 runs past the end of the file (12 bytes)`],
    ['npy: header not a literal', () => npy({ header: "{'descr': '<f4', 'fortran_order': Fals, 'shape': (2,), }" }, 'lit'),
      `${dir}/lit.npy: bad .npy header: unexpected "F" at character 34 in "{'descr': '<f4', 'fortran_order': Fals, 'shape': (2,), }"`],
    ['npy: no descr', () => npy({ header: "{'fortran_order': False, 'shape': (2,)}" }, 'nodescr'), `${dir}/nodescr.npy: bad .npy header: no 'descr' in "{'fortran_order': False, 'shape': (2,)}"`],
    ['npy: bad shape', () => npy({ header: "{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}" }, 'neg'),
      `${dir}/neg.npy: bad .npy header: 'shape' is not a tuple of non-negative integers in "{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}"`],
    ['npy: unknown dtype', () => npy({ descr: '<c8' }, 'complex'),
      `${dir}/complex.npy: the array has unsupported dtype <c8 (supported: <f8, <f4, <f2, <i4, <i2, |i1, |u1, '>' for big endian, <V2 or bfloat16 (ml_dtypes bfloat16))`],
    ['npy: truncated', () => npy({ shape: [2, 3] }, 'trunc'), `${dir}/trunc.npy: expected 24 bytes of data for tensor trunc (shape [2, 3], dtype float32), found 8`],
    ['npy: wrong name', () => `${npy({}, 'one')}:W`, `${dir}/one.npy: no tensor named W (a .npy file holds one array, named one after the file)`],
    ['safetensors: too short', () => put('safetensors', hex('0102'), 'tiny'), `${dir}/tiny.safetensors: bad .safetensors header: the file is 2 bytes, shorter than the 8-byte header length`],
    ['safetensors: header past the end', () => put('safetensors', hex('ffff000000000000 7b7d'), 'long'),
      `${dir}/long.safetensors: bad .safetensors header: header length 65535 runs past the end of the file (10 bytes; the file starts with bytes ff ff 00 00 00 00 00 00 ...)`],
    ['safetensors: not JSON', () => put('safetensors', new Uint8Array([...hex('0200000000000000'), 0x7b, 0x78]), 'nojson'),
      `${dir}/nojson.safetensors: bad .safetensors header: not JSON (${(() => { try { JSON.parse('{x'); } catch (e) { return (e as Error).message; } })()})`],
    ['safetensors: bad entry', () => { const j = '{"W":{"dtype":"F32","shape":[2]}}'; return put('safetensors', new Uint8Array([j.length, 0, 0, 0, 0, 0, 0, 0, ...new TextEncoder().encode(j)]), 'entry'); },
      `${dir}/entry.safetensors: bad .safetensors header: tensor W needs dtype (a string), shape (non-negative integers) and data_offsets ([begin, end]), found {"dtype":"F32","shape":[2]}`],
    ['safetensors: unknown dtype', () => `${put('safetensors', safetensorsBytes([{ name: 'W', dtype: 'F8_E4M3', shape: [2], data: hex('0102') }]), 'f8')}:W`,
      `${dir}/f8.safetensors: tensor W has unsupported dtype F8_E4M3 (supported: F64, F32, F16, BF16, I32, I16, I8, U8)`],
    ['safetensors: offsets disagree with shape', () => `${put('safetensors', safetensorsBytes([{ name: 'W', dtype: 'F32', shape: [3], data: encode([1, 2], 'float32') }]), 'offs')}:W`,
      `${dir}/offs.safetensors: bad .safetensors header: tensor W has data_offsets [0, 8] (8 bytes), but shape [3] of F32 takes 12`],
    ['safetensors: truncated', () => `${put('safetensors', safetensorsBytes([{ name: 'W', dtype: 'F32', shape: [2], data: encode([1, 2], 'float32') }]).slice(0, -3), 'cut')}:W`,
      `${dir}/cut.safetensors: expected 8 bytes of data for tensor W (shape [2], dtype float32), found 5`],
    ['safetensors: missing name', () => `${put('safetensors', safetensorsBytes([{ name: 'A', dtype: 'F32', shape: [1], data: encode([1], 'float32') }, { name: 'B', dtype: 'F32', shape: [1], data: encode([1], 'float32') }]), 'two')}:C`,
      `${dir}/two.safetensors: no tensor named C (tensors: A, B)`],
    ['several tensors, no name', () => put('safetensors', safetensorsBytes([{ name: 'A', dtype: 'F32', shape: [1], data: encode([1], 'float32') }, { name: 'B', dtype: 'F32', shape: [1], data: encode([1], 'float32') }]), 'pair'),
      `${dir}/pair.safetensors holds 2 tensors; name one as ${dir}/pair.safetensors:NAME (tensors: A, B)`],
    ['gguf: bad magic', () => put('gguf', new TextEncoder().encode('GGML....'), 'ggml'), `${dir}/ggml.gguf: not a GGUF file: expected magic "GGUF", found bytes 47 47 4d 4c 2e 2e 2e 2e`],
    ['gguf: version 1', () => put('gguf', ggufBytes({ version: 1, tensors: [] }), 'v1'), `${dir}/v1.gguf: unsupported GGUF version 1 (supported: 2, 3)`],
    ['gguf: big endian', () => put('gguf', ggufBytes({ version: 3 << 24, tensors: [] }), 'be'),
      `${dir}/be.gguf: unsupported GGUF version 50331648 (a big-endian GGUF file? lowbit reads little-endian ones) (supported: 2, 3)`],
    ['gguf: header cut short', () => put('gguf', ggufBytes({ kv: [['general.name', { type: 'string', value: 'abcdef' }]], tensors: [] }).slice(0, 40), 'hcut'),
      `${dir}/hcut.gguf: bad GGUF header: the file ends inside metadata key 1 of 1 (byte 32 of 40)`],
    ['gguf: unknown value type', () => { const b = ggufBytes({ kv: [['k', { type: 'u8', value: 1 }]], tensors: [] }); b[33] = 13; return put('gguf', b, 'vt'); },
      `${dir}/vt.gguf: bad GGUF header: metadata k has unknown value type 13 (known: 0..12)`],
    ['gguf: bad alignment', () => put('gguf', ggufBytes({ kv: [['general.alignment', { type: 'u32', value: 24 }]], tensors: [] }), 'align'),
      `${dir}/align.gguf: bad GGUF header: general.alignment must be a power of two of type uint32 (4), found type 4 value 24`],
    ['gguf: 5 dimensions', () => put('gguf', ggufBytes({ tensors: [f32Tensor('w', [1, 1, 1, 1, 1], [1])] }), 'dims'),
      `${dir}/dims.gguf: bad GGUF header: tensor w has 5 dimensions (1..4)`],
    ['gguf: unknown type', () => put('gguf', ggufBytes({ tensors: [{ name: 'w', ne: [32, 1], type: 2, data: new Uint8Array(18) }] }), 'q40'),
      `${dir}/q40.gguf: tensor w has unsupported dtype ggml type 2 (supported: F32 (0), F16 (1), I8 (24), I16 (25), I32 (26), F64 (28), BF16 (30), TQ1_0 (34), TQ2_0 (35))`],
    ['gguf: truncated', () => put('gguf', ggufBytes({ tensors: [f32Tensor('w', [3, 2], M)] }).slice(0, -40), 'gcut'),
      `${dir}/gcut.gguf: expected 24 bytes of data for tensor w (shape [2, 3], dtype F32), found 0`],
    ['gguf: TQ row not whole blocks', () => put('gguf', ggufBytes({ tensors: [{ name: 'w', ne: [128, 2], type: 35, data: new Uint8Array(66) }] }), 'tqrow'),
      `${dir}/tqrow.gguf: tensor w is TQ2_0 but its row length ne[0] = 128 is not a multiple of the block size 256`],
    ['gguf: TQ truncated', () => put('gguf', ggufBytes({ tensors: [{ name: 'w', ne: [256, 2], type: 34, data: new Uint8Array(54) }] }), 'tqcut'),
      `${dir}/tqcut.gguf: expected 108 bytes of data for tensor w (shape [2, 256], dtype TQ1_0), found 64`],
    ['gguf: TQ2_0 code 3', () => { const b = tq2Block(new Array(256).fill(0), 1); b[40] |= 3 << 4; return put('gguf', ggufBytes({ tensors: [{ name: 'w', ne: [256, 1], type: 35, data: b }] }), 'code3'); },
      `${dir}/code3.gguf: tensor w (TQ2_0) block 0 holds code 3 for weight 200; TQ2_0 codes are 0, 1, 2 (trit + 1)`],
    ['gguf: missing name', () => `${put('gguf', ggufBytes({ tensors: [f32Tensor('a', [1], [1]), f32Tensor('b', [1], [1])] }), 'gname')}:c`,
      `${dir}/gname.gguf: no tensor named c (tensors: a, b)`],
    ['NaN', () => put('npy', npyBytes({ descr: '<f4', shape: [4, 20], data: encode(Array.from({ length: 80 }, (_, i) => (i === 3 * 20 + 17 ? NaN : i)), 'float32') }), 'nan'),
      `${dir}/nan.npy: tensor nan holds NaN at [3, 17]`],
    ['-infinity', () => put('gguf', ggufBytes({ tensors: [{ name: 'w', ne: [2, 2], type: 1, data: encode([0, 1, -Infinity, 2], 'float16') }] }), 'inf'),
      `${dir}/inf.gguf: tensor w holds -infinity at [1, 0]`],
  ];
  for (const [what, make, expected] of cases) it(what, () => expect(msg(() => loadTensor(make()))).toBe(expected));

  it('asMatrix names the shape it found', () => {
    const t = loadTensor(golden('i2_3d.npy'));
    expect(msg(() => asMatrix(t, 'the weight matrix'))).toBe(`the weight matrix must be a 2-D matrix, but tensor i2_3d in ${golden('i2_3d.npy')} has shape [2, 3, 4]`);
    expect(asMatrix(loadTensor(golden('f4.npy')), 'W')).toMatchObject({ rows: 2, cols: 3 });
  });
});
