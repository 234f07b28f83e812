// Plain element types (one number per element) shared by the three containers, decoded from bytes.
// Block-quantized types (GGUF TQ1_0 / TQ2_0) live in ggmlTernary.ts.

import { bfloat16ToNumber, halfToNumber } from './floats.js';

export type ElementType = 'float64' | 'float32' | 'float16' | 'bfloat16' | 'int32' | 'int16' | 'int8' | 'uint8';

export const ELEMENT_BYTES: Record<ElementType, number> = {
  float64: 8,
  float32: 4,
  float16: 2,
  bfloat16: 2,
  int32: 4,
  int16: 2,
  int8: 1,
  uint8: 1,
};

export const isIntegerType = (t: ElementType): boolean => t.startsWith('int') || t === 'uint8';

/** Decodes `count` elements starting at `bytes[0]` (the caller has checked they are all there). */
export function decodeElements(bytes: Uint8Array, type: ElementType, count: number, littleEndian: boolean): Float64Array | Int32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = littleEndian;
  if (isIntegerType(type)) {
    const out = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      switch (type) {
        case 'int32': out[i] = view.getInt32(4 * i, le); break;
        case 'int16': out[i] = view.getInt16(2 * i, le); break;
        case 'int8': out[i] = view.getInt8(i); break;
        default: out[i] = view.getUint8(i);
      }
    }
    return out;
  }
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    switch (type) {
      case 'float64': out[i] = view.getFloat64(8 * i, le); break;
      case 'float32': out[i] = view.getFloat32(4 * i, le); break;
      case 'float16': out[i] = halfToNumber(view.getUint16(2 * i, le)); break;
      default: out[i] = bfloat16ToNumber(view.getUint16(2 * i, le));
    }
  }
  return out;
}
