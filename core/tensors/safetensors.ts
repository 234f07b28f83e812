// Hugging Face .safetensors: u64 little-endian header length N, N bytes of JSON
// ({name: {dtype, shape, data_offsets: [begin, end]}}, optional "__metadata__"), then the byte buffer the
// offsets index (relative to its start, i.e. to the end of the header). Data is little-endian, C order.
// Hand-written: the npm "safetensors" packages are either Node bindings of the Rust crate or write-only,
// and the format is one length, one JSON object and slices.

import { UsageError } from '../errors.js';
import { decodeElements, ELEMENT_BYTES, type ElementType } from './elements.js';
import { firstBytes, truncated, unknownDtype } from './errors.js';
import { numel, type TensorFile } from './types.js';

const DTYPES: Record<string, ElementType> = { F64: 'float64', F32: 'float32', F16: 'float16', BF16: 'bfloat16', I32: 'int32', I16: 'int16', I8: 'int8', U8: 'uint8' };

interface Entry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

export function openSafetensors(file: string, bytes: Uint8Array): TensorFile {
  const bad = (why: string) => new UsageError(`${file}: bad .safetensors header: ${why}`);
  if (bytes.length < 8) throw bad(`the file is ${bytes.length} bytes, shorter than the 8-byte header length`);
  const len = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (len > BigInt(bytes.length - 8)) {
    throw bad(`header length ${len} runs past the end of the file (${bytes.length} bytes; the file starts with ${firstBytes(bytes, 8)})`);
  }
  const text = new TextDecoder().decode(bytes.subarray(8, 8 + Number(len)));
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    throw bad(`not JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw bad('the JSON is not an object');
  const base = 8 + Number(len);
  const entries = new Map<string, Entry>();
  for (const [name, e] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    const o = e as Partial<Entry> | null;
    if (!o || typeof o !== 'object' || typeof o.dtype !== 'string' || !Array.isArray(o.shape) || !o.shape.every(isCount)
      || !Array.isArray(o.data_offsets) || o.data_offsets.length !== 2 || !o.data_offsets.every(isCount)) {
      throw bad(`tensor ${name} needs dtype (a string), shape (non-negative integers) and data_offsets ([begin, end]), found ${JSON.stringify(e)}`);
    }
    entries.set(name, o as Entry);
  }
  return {
    file,
    names: [...entries.keys()],
    read: (name) => {
      const e = entries.get(name);
      if (!e) throw new UsageError(`${file}: no tensor named ${name} (tensors: ${[...entries.keys()].join(', ') || 'none'})`);
      const type = DTYPES[e.dtype];
      if (!type) throw unknownDtype(file, `tensor ${name}`, e.dtype, Object.keys(DTYPES));
      const [begin, end] = e.data_offsets;
      const need = numel(e.shape) * ELEMENT_BYTES[type];
      if (end < begin || end - begin !== need) {
        throw bad(`tensor ${name} has data_offsets [${begin}, ${end}] (${end - begin} bytes), but shape [${e.shape.join(', ')}] of ${e.dtype} takes ${need}`);
      }
      const avail = bytes.length - base - begin;
      if (avail < need) throw truncated(file, name, e.shape, type, need, avail);
      const data = decodeElements(bytes.subarray(base + begin, base + end), type, numel(e.shape), true);
      return { name, dtype: type, shape: [...e.shape], data, file };
    },
  };
}
