// numpy's .npy format (numpy.lib.format, versions 1.0, 2.0 and 3.0): magic "\x93NUMPY", version, header
// length (u16 in 1.0, u32 after), a Python-literal dict {'descr', 'fortran_order', 'shape'}, then the data.
//
// Hand-written rather than taken from npm: npyjs (the best-kept reader) knows little-endian dtypes only,
// ignores fortran_order and has no float16 or bfloat16 -- and the whole format is this page.
//
// Accepted descr values: f8 f4 f2 i4 i2 i1 u1, little ('<') or big ('>') endian ('|' too for one-byte
// types), and bfloat16 as numpy writes an ml_dtypes.bfloat16 array. ml_dtypes registers bfloat16 as a
// user dtype of kind 'V' (numpy dtype codes are not extensible), so np.save writes descr '<V2' and
// np.load returns raw 2-byte voids (ml_dtypes issue #41). A 2-byte void is read as bfloat16 ('<V2',
// '|V2'); so is the descr 'bfloat16' that the usual workaround (a header written from str(dtype)) emits.
// Fortran-order arrays are returned in C order.

import { basename } from 'node:path';
import { UsageError } from '../errors.js';
import { decodeElements, ELEMENT_BYTES, type ElementType } from './elements.js';
import { firstBytes, truncated, unknownDtype } from './errors.js';
import { parsePyLiteral, type PyValue } from './pyLiteral.js';
import { numel, type Tensor, type TensorFile } from './types.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const KINDS: Record<string, ElementType> = { f8: 'float64', f4: 'float32', f2: 'float16', i4: 'int32', i2: 'int16', i1: 'int8', u1: 'uint8', V2: 'bfloat16' };
const SUPPORTED = ['<f8', '<f4', '<f2', '<i4', '<i2', '|i1', '|u1', "'>' for big endian", '<V2 or bfloat16 (ml_dtypes bfloat16)'];

/** descr -> element type and byte order, or undefined when we do not read it. */
function dtypeOf(descr: PyValue): { type: ElementType; littleEndian: boolean } | undefined {
  if (descr === 'bfloat16') return { type: 'bfloat16', littleEndian: true };
  if (typeof descr !== 'string') return undefined;
  const m = /^([<>|])([a-zA-Z]\d+)$/.exec(descr);
  const type = m && KINDS[m[2]];
  if (!m || !type) return undefined;
  const oneByteLike = ELEMENT_BYTES[type] === 1 || type === 'bfloat16';
  if (m[1] === '|' && !oneByteLike) return undefined;
  if (type === 'bfloat16' && m[1] === '>') return undefined;
  return { type, littleEndian: m[1] !== '>' };
}

/** Reorders Fortran-order (first axis fastest) data into C order. */
function fortranToC<T extends Float64Array | Int32Array>(src: T, shape: number[]): T {
  const n = src.length;
  const out = new (src.constructor as { new (n: number): T })(n);
  const fstride = shape.map((_, k) => shape.slice(0, k).reduce((a, b) => a * b, 1));
  const idx = shape.map(() => 0);
  for (let c = 0; c < n; c++) {
    let f = 0;
    for (let k = 0; k < shape.length; k++) f += idx[k] * fstride[k];
    out[c] = src[f];
    for (let k = shape.length - 1; k >= 0; k--) {
      if (++idx[k] < shape[k]) break;
      idx[k] = 0;
    }
  }
  return out;
}

export function openNpy(file: string, bytes: Uint8Array): TensorFile {
  if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new UsageError(`${file}: not a .npy file: expected magic \\x93NUMPY, found ${firstBytes(bytes, 8)}`);
  }
  const major = bytes[6];
  const minor = bytes[7];
  if (![1, 2, 3].includes(major) || minor !== 0) {
    throw new UsageError(`${file}: unsupported .npy format version ${major}.${minor} (supported: 1.0, 2.0, 3.0)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const start = major === 1 ? 10 : 12;
  if (bytes.length < start) throw new UsageError(`${file}: bad .npy header: the file ends inside the header length`);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (start + headerLen > bytes.length) {
    throw new UsageError(`${file}: bad .npy header: header length ${headerLen} runs past the end of the file (${bytes.length} bytes)`);
  }
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLen));
  const bad = (why: string) => new UsageError(`${file}: bad .npy header: ${why} in ${JSON.stringify(text.trimEnd())}`);
  let header: PyValue;
  try {
    header = parsePyLiteral(text);
  } catch (e) {
    throw bad((e as Error).message);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw bad('not a dict');
  const { descr, fortran_order: fortran, shape } = header;
  if (descr === undefined) throw bad("no 'descr'");
  if (typeof fortran !== 'boolean') throw bad("'fortran_order' is not True or False");
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
    throw bad("'shape' is not a tuple of non-negative integers");
  }
  const dims = shape as number[];
  const name = basename(file).replace(/\.npy$/i, '');
  const dt = dtypeOf(descr);
  if (!dt) throw unknownDtype(file, 'the array', typeof descr === 'string' ? descr : JSON.stringify(descr), SUPPORTED);
  const dataStart = start + headerLen;
  const read = (): Tensor => {
    const count = numel(dims);
    const need = count * ELEMENT_BYTES[dt.type];
    if (bytes.length - dataStart < need) throw truncated(file, name, dims, dt.type, need, bytes.length - dataStart);
    let data = decodeElements(bytes.subarray(dataStart, dataStart + need), dt.type, count, dt.littleEndian);
    if (fortran) data = fortranToC(data, dims);
    return { name, dtype: dt.type, shape: [...dims], data, file };
  };
  return {
    file,
    names: [name],
    read: (n) => {
      if (n !== name) throw new UsageError(`${file}: no tensor named ${n} (a .npy file holds one array, named ${name} after the file)`);
      return read();
    },
  };
}
