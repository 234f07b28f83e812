// GGUF (llama.cpp's container), versions 2 and 3, little-endian: "GGUF", u32 version, u64 tensor count,
// u64 metadata count; metadata key/values (string key, u32 value type, value; arrays are u32 element type,
// u64 count, elements); tensor infos (name, u32 n_dims, u64 ne[n_dims] with ne[0] the row length, u32 ggml
// type, u64 offset); padding to `general.alignment` (default 32); the data, offsets relative to its start.
//
// Hand-written rather than @huggingface/gguf: that package reads headers only (tensor data and ternary
// blocks would still be ours), is asynchronous and fetch/range-request oriented, while lowbit reads local
// files synchronously. Version 1 (u32 counts) and big-endian files are refused by name.

import { UsageError } from '../errors.js';
import { decodeElements, ELEMENT_BYTES, type ElementType } from './elements.js';
import { firstBytes, truncated, unknownDtype } from './errors.js';
import { decodeTq1Block, decodeTq2Block, QK_K, TQ1_0_BYTES, TQ2_0_BYTES } from './ggmlTernary.js';
import { numel, type Tensor, type TensorFile } from './types.js';

/** ggml types we read (ggml.h enum ggml_type). */
const GGML_TYPES: Record<number, { name: string; element?: ElementType; block?: { bytes: number } }> = {
  0: { name: 'F32', element: 'float32' },
  1: { name: 'F16', element: 'float16' },
  24: { name: 'I8', element: 'int8' },
  25: { name: 'I16', element: 'int16' },
  26: { name: 'I32', element: 'int32' },
  28: { name: 'F64', element: 'float64' },
  30: { name: 'BF16', element: 'bfloat16' },
  34: { name: 'TQ1_0', block: { bytes: TQ1_0_BYTES } },
  35: { name: 'TQ2_0', block: { bytes: TQ2_0_BYTES } },
};
const SUPPORTED = Object.entries(GGML_TYPES).map(([id, t]) => `${t.name} (${id})`);

/** Sizes of the fixed-width metadata value types (gguf_type); 8 = string and 9 = array are variable. */
const VALUE_BYTES: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
const GGML_MAX_DIMS = 4;

interface Info {
  name: string;
  ne: number[];
  type: number;
  offset: number;
}

/** A bounds-checked little-endian cursor; `where` says what was being read when the file ran out. */
class Cursor {
  pos = 0;
  private view: DataView;
  constructor(private bytes: Uint8Array, private file: string) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  need(n: number, where: string): void {
    if (this.pos + n > this.bytes.length) {
      throw new UsageError(`${this.file}: bad GGUF header: the file ends inside ${where} (byte ${this.pos} of ${this.bytes.length})`);
    }
  }
  u32(where: string): number {
    this.need(4, where);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  u64(where: string): number {
    this.need(8, where);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new UsageError(`${this.file}: bad GGUF header: ${where} is ${v}, too large`);
    return Number(v);
  }
  str(where: string): string {
    const n = this.u64(`the length of ${where}`);
    this.need(n, where);
    const s = new TextDecoder().decode(this.bytes.subarray(this.pos, this.pos + n));
    this.pos += n;
    return s;
  }
  skip(n: number, where: string): void {
    this.need(n, where);
    this.pos += n;
  }
}

/** Reads (or skips) one metadata value; returns it when it is a number (all we need: general.alignment). */
function readValue(c: Cursor, file: string, type: number, where: string): number | undefined {
  if (type === 8) {
    c.str(where);
    return undefined;
  }
  if (type === 9) {
    const elem = c.u32(`the element type of ${where}`);
    const count = c.u64(`the length of ${where}`);
    if (elem in VALUE_BYTES) c.skip(count * VALUE_BYTES[elem], where);
    else for (let i = 0; i < count; i++) readValue(c, file, elem, `${where}[${i}]`);
    return undefined;
  }
  const size = VALUE_BYTES[type];
  if (size === undefined) throw new UsageError(`${file}: bad GGUF header: ${where} has unknown value type ${type} (known: 0..12)`);
  if (type === 4) return c.u32(where);
  c.skip(size, where);
  return undefined;
}

export function openGguf(file: string, bytes: Uint8Array): TensorFile {
  if (bytes.length < 4 || String.fromCharCode(...bytes.subarray(0, 4)) !== 'GGUF') {
    throw new UsageError(`${file}: not a GGUF file: expected magic "GGUF", found ${firstBytes(bytes, 8)}`);
  }
  const c = new Cursor(bytes, file);
  c.pos = 4;
  const version = c.u32('the version');
  if (version !== 2 && version !== 3) {
    const be = version >= 0x10000 && (version & 0xffff) === 0 ? ' (a big-endian GGUF file? lowbit reads little-endian ones)' : '';
    throw new UsageError(`${file}: unsupported GGUF version ${version}${be} (supported: 2, 3)`);
  }
  const nTensors = c.u64('the tensor count');
  const nKv = c.u64('the metadata count');
  let alignment = 32;
  for (let i = 0; i < nKv; i++) {
    const key = c.str(`metadata key ${i + 1} of ${nKv}`);
    const type = c.u32(`the value type of ${key}`);
    const v = readValue(c, file, type, `metadata ${key}`);
    if (key === 'general.alignment') {
      if (type !== 4 || v === undefined || v === 0 || (v & (v - 1)) !== 0) {
        throw new UsageError(`${file}: bad GGUF header: general.alignment must be a power of two of type uint32 (4), found type ${type}${v !== undefined ? ` value ${v}` : ''}`);
      }
      alignment = v;
    }
  }
  const infos = new Map<string, Info>();
  for (let i = 0; i < nTensors; i++) {
    const name = c.str(`the name of tensor ${i + 1} of ${nTensors}`);
    const nDims = c.u32(`the dimension count of tensor ${name}`);
    if (nDims < 1 || nDims > GGML_MAX_DIMS) throw new UsageError(`${file}: bad GGUF header: tensor ${name} has ${nDims} dimensions (1..${GGML_MAX_DIMS})`);
    const ne = Array.from({ length: nDims }, () => c.u64(`the dimensions of tensor ${name}`));
    const type = c.u32(`the type of tensor ${name}`);
    const offset = c.u64(`the data offset of tensor ${name}`);
    if (infos.has(name)) throw new UsageError(`${file}: bad GGUF header: tensor ${name} appears twice`);
    if (offset % alignment !== 0) throw new UsageError(`${file}: bad GGUF header: tensor ${name} has data offset ${offset}, not a multiple of the alignment ${alignment}`);
    infos.set(name, { name, ne, type, offset });
  }
  const dataStart = Math.ceil(c.pos / alignment) * alignment;
  const names = [...infos.keys()];

  const read = (name: string): Tensor => {
    const info = infos.get(name);
    if (!info) throw new UsageError(`${file}: no tensor named ${name} (tensors: ${names.join(', ') || 'none'})`);
    const t = GGML_TYPES[info.type];
    if (!t) throw unknownDtype(file, `tensor ${name}`, `ggml type ${info.type}`, SUPPORTED);
    const shape = [...info.ne].reverse();
    const count = numel(shape);
    const start = dataStart + info.offset;
    const avail = bytes.length - start;
    if (t.element) {
      const need = count * ELEMENT_BYTES[t.element];
      if (avail < need) throw truncated(file, name, shape, t.name, need, avail);
      return { name, dtype: t.element, shape, data: decodeElements(bytes.subarray(start, start + need), t.element, count, true), file };
    }
    if (info.ne[0] % QK_K !== 0) {
      throw new UsageError(`${file}: tensor ${name} is ${t.name} but its row length ne[0] = ${info.ne[0]} is not a multiple of the block size ${QK_K}`);
    }
    const blocks = count / QK_K;
    const need = blocks * t.block!.bytes;
    if (avail < need) throw truncated(file, name, shape, t.name, need, avail);
    const trits = new Int8Array(count);
    const scales = new Float64Array(blocks);
    for (let b = 0; b < blocks; b++) {
      const raw = bytes.subarray(start + b * t.block!.bytes, start + (b + 1) * t.block!.bytes);
      const out = trits.subarray(b * QK_K, (b + 1) * QK_K);
      const d = t.name === 'TQ1_0' ? decodeTq1Block(raw, out) : decodeTq2Block(raw, out);
      if (typeof d !== 'number') {
        throw new UsageError(`${file}: tensor ${name} (TQ2_0) block ${b} holds code 3 for weight ${b * QK_K + d.badWeight}; TQ2_0 codes are 0, 1, 2 (trit + 1)`);
      }
      scales[b] = d;
    }
    const data = new Float64Array(count);
    for (let i = 0; i < count; i++) data[i] = trits[i] * scales[Math.floor(i / QK_K)];
    return { name, dtype: t.name, shape, data, file, ternary: { trits, scales, blockSize: QK_K } };
  };
  return { file, names, read };
}
