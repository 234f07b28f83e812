// Writers for the tensor containers lowbit reads (.npy, .safetensors, GGUF), for tests: they lay files out
// from the formats' specs, independently of the readers in core/tensors/. Round trips use them; golden
// files written by the reference tools (test/golden/tensors/) check that both sides read the spec alike.

import { writeFileSync } from 'node:fs';

export type WriteType = 'float64' | 'float32' | 'float16' | 'bfloat16' | 'int32' | 'int16' | 'int8' | 'uint8';
const SIZE: Record<WriteType, number> = { float64: 8, float32: 4, float16: 2, bfloat16: 2, int32: 4, int16: 2, int8: 1, uint8: 1 };

/** number -> IEEE binary16 bits, round to nearest even (as numpy's float16 cast and GGML_FP32_TO_FP16). */
export function halfBits(x: number): number {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer)[0];
  const sign = (u >>> 16) & 0x8000;
  const exp = (u >>> 23) & 0xff;
  let man = u & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (man ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    man |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let r = man >>> shift;
    const rest = man & ((1 << shift) - 1);
    if (rest > half || (rest === half && (r & 1))) r++;
    return sign | r;
  }
  let r = man >>> 13;
  const rest = man & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (r & 1))) r++;
  if (r === 0x400) {
    r = 0;
    e++;
    if (e >= 0x1f) return sign | 0x7c00;
  }
  return sign | (e << 10) | r;
}

/** number -> bfloat16 bits (round to nearest even from float32). */
export function bfloat16Bits(x: number): number {
  const u = new Uint32Array(new Float32Array([x]).buffer)[0];
  if ((u & 0x7fffffff) > 0x7f800000) return (u >>> 16) | 0x40;
  return ((u + 0x7fff + ((u >>> 16) & 1)) >>> 16) & 0xffff;
}

export function encode(values: ArrayLike<number>, type: WriteType, littleEndian = true): Uint8Array {
  const out = new Uint8Array(values.length * SIZE[type]);
  const v = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    switch (type) {
      case 'float64': v.setFloat64(8 * i, x, littleEndian); break;
      case 'float32': v.setFloat32(4 * i, x, littleEndian); break;
      case 'float16': v.setUint16(2 * i, halfBits(x), littleEndian); break;
      case 'bfloat16': v.setUint16(2 * i, bfloat16Bits(x), littleEndian); break;
      case 'int32': v.setInt32(4 * i, x, littleEndian); break;
      case 'int16': v.setInt16(2 * i, x, littleEndian); break;
      case 'int8': v.setInt8(i, x); break;
      case 'uint8': v.setUint8(i, x); break;
    }
  }
  return out;
}

const concat = (parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

/** C-order values of `shape` -> Fortran order (first axis fastest). */
export function toFortran(values: ArrayLike<number>, shape: number[]): number[] {
  const n = values.length;
  const out = new Array<number>(n);
  const idx = shape.map(() => 0);
  for (let c = 0; c < n; c++) {
    let f = 0;
    let stride = 1;
    for (let k = 0; k < shape.length; k++) {
      f += idx[k] * stride;
      stride *= shape[k];
    }
    out[f] = values[c];
    for (let k = shape.length - 1; k >= 0; k--) {
      if (++idx[k] < shape[k]) break;
      idx[k] = 0;
    }
  }
  return out;
}

export interface NpyOptions {
  descr: string;
  shape: number[];
  /** Raw data bytes, laid out as the header says. */
  data: Uint8Array;
  fortran?: boolean;
  version?: 1 | 2 | 3;
  /** Override the header text entirely (bad-header tests). */
  header?: string;
}

/** A .npy file as numpy.lib.format writes it: header padded with spaces and '\n' to a multiple of 64. */
export function npyBytes(o: NpyOptions): Uint8Array {
  const version = o.version ?? 1;
  const shape = o.shape.length === 1 ? `(${o.shape[0]},)` : `(${o.shape.join(', ')})`;
  let header = o.header ?? `{'descr': '${o.descr}', 'fortran_order': ${o.fortran ? 'True' : 'False'}, 'shape': ${shape}, }`;
  const pre = version === 1 ? 10 : 12;
  if (o.header === undefined) header += ' '.repeat(63 - ((pre + header.length) % 64)) + '\n';
  const text = version === 3 ? new TextEncoder().encode(header) : Uint8Array.from(header, (ch) => ch.charCodeAt(0));
  const head = new Uint8Array(pre);
  head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const dv = new DataView(head.buffer);
  if (version === 1) dv.setUint16(8, text.length, true);
  else dv.setUint32(8, text.length, true);
  return concat([head, text, o.data]);
}

export interface SafeTensor {
  name: string;
  dtype: string;
  shape: number[];
  data: Uint8Array;
}

/** A .safetensors file: u64 LE header length, JSON header padded with spaces to 8 bytes, then the data. */
export function safetensorsBytes(tensors: SafeTensor[], metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const t of tensors) {
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.data.length] };
    offset += t.data.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const len = new Uint8Array(8);
  new DataView(len.buffer).setBigUint64(0, BigInt(json.length), true);
  return concat([len, new TextEncoder().encode(json), ...tensors.map((t) => t.data)]);
}

export type GgufValue =
  | { type: 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'f32' | 'bool' | 'u64' | 'i64' | 'f64'; value: number }
  | { type: 'string'; value: string }
  | { type: 'array'; elem: GgufValue['type']; values: GgufValue[] };

const GGUF_TYPE: Record<GgufValue['type'], number> = { u8: 0, i8: 1, u16: 2, i16: 3, u32: 4, i32: 5, f32: 6, bool: 7, string: 8, array: 9, u64: 10, i64: 11, f64: 12 };

export interface GgufTensor {
  name: string;
  /** ggml order: ne[0] is the row length. */
  ne: number[];
  type: number;
  data: Uint8Array;
}

class ByteWriter {
  parts: Uint8Array[] = [];
  length = 0;
  push(b: Uint8Array) {
    this.parts.push(b);
    this.length += b.length;
  }
  num(bytes: number, set: (v: DataView) => void) {
    const b = new Uint8Array(bytes);
    set(new DataView(b.buffer));
    this.push(b);
  }
  u32 = (x: number) => this.num(4, (v) => v.setUint32(0, x, true));
  u64 = (x: number) => this.num(8, (v) => v.setBigUint64(0, BigInt(x), true));
  str = (s: string) => {
    const b = new TextEncoder().encode(s);
    this.u64(b.length);
    this.push(b);
  };
  value(v: GgufValue) {
    switch (v.type) {
      case 'string': return this.str(v.value);
      case 'array':
        this.u32(GGUF_TYPE[v.elem]);
        this.u64(v.values.length);
        return v.values.forEach((e) => this.value(e));
      case 'u8': case 'bool': return this.num(1, (d) => d.setUint8(0, v.value));
      case 'i8': return this.num(1, (d) => d.setInt8(0, v.value));
      case 'u16': return this.num(2, (d) => d.setUint16(0, v.value, true));
      case 'i16': return this.num(2, (d) => d.setInt16(0, v.value, true));
      case 'u32': return this.u32(v.value);
      case 'i32': return this.num(4, (d) => d.setInt32(0, v.value, true));
      case 'f32': return this.num(4, (d) => d.setFloat32(0, v.value, true));
      case 'u64': return this.u64(v.value);
      case 'i64': return this.num(8, (d) => d.setBigInt64(0, BigInt(v.value), true));
      case 'f64': return this.num(8, (d) => d.setFloat64(0, v.value, true));
    }
  }
  pad(alignment: number) {
    const n = (alignment - (this.length % alignment)) % alignment;
    if (n) this.push(new Uint8Array(n));
  }
}

/** A little-endian GGUF file (v2/v3): tensors' data in order, each padded to the alignment. */
export function ggufBytes(o: { version?: number; kv?: [string, GgufValue][]; tensors: GgufTensor[]; alignment?: number }): Uint8Array {
  const alignment = o.alignment ?? 32;
  const w = new ByteWriter();
  w.push(new TextEncoder().encode('GGUF'));
  w.u32(o.version ?? 3);
  w.u64(o.tensors.length);
  const kv = [...(o.kv ?? [])];
  if (o.alignment !== undefined) kv.push(['general.alignment', { type: 'u32', value: alignment }]);
  w.u64(kv.length);
  for (const [key, v] of kv) {
    w.str(key);
    w.u32(GGUF_TYPE[v.type]);
    w.value(v);
  }
  let offset = 0;
  for (const t of o.tensors) {
    w.str(t.name);
    w.u32(t.ne.length);
    t.ne.forEach((d) => w.u64(d));
    w.u32(t.type);
    w.u64(offset);
    offset += Math.ceil(t.data.length / alignment) * alignment;
  }
  w.pad(alignment);
  for (const t of o.tensors) {
    w.push(t.data);
    w.pad(alignment);
  }
  return concat(w.parts);
}

/** Packs 256 trits and a scale as a TQ2_0 block (the layout of llama.cpp's quantize_row_tq2_0_ref). */
export function tq2Block(trits: ArrayLike<number>, d: number): Uint8Array {
  const b = new Uint8Array(66);
  for (let j = 0; j < 64; j += 32) {
    for (let m = 0; m < 32; m++) {
      let q = 0;
      for (let n = 0; n < 4; n++) q += (trits[4 * j + m + 32 * n] + 1) << (2 * n);
      b[j + m] = q;
    }
  }
  new DataView(b.buffer).setUint16(64, halfBits(d), true);
  return b;
}

/** Packs 256 trits and a scale as a TQ1_0 block (the layout of llama.cpp's quantize_row_tq1_0_ref). */
export function tq1Block(trits: ArrayLike<number>, d: number): Uint8Array {
  const b = new Uint8Array(54);
  const pack = (idx: number[], shiftLast: boolean) => {
    let q = 0;
    for (const i of idx) q = q * 3 + trits[i] + 1;
    if (shiftLast) q *= 3;
    return Math.floor((q * 256 + 242) / 243);
  };
  for (let m = 0; m < 32; m++) b[m] = pack([0, 1, 2, 3, 4].map((n) => m + 32 * n), false);
  for (let m = 0; m < 16; m++) b[32 + m] = pack([0, 1, 2, 3, 4].map((n) => 160 + m + 16 * n), false);
  for (let j = 0; j < 4; j++) b[48 + j] = pack([0, 1, 2, 3].map((n) => 240 + j + 4 * n), true);
  new DataView(b.buffer).setUint16(52, halfBits(d), true);
  return b;
}

export const writeBytes = (path: string, bytes: Uint8Array): string => {
  writeFileSync(path, bytes);
  return path;
};
