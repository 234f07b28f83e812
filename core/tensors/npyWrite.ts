// Writing .npy files (numpy format 1.0): what `lowbit layer --out` saves (quantized integers, scales,
// the reassembled output, the array's own outputs), so numpy reads them with np.load. Little-endian
// float64, float32, int64 or int32, C order; written atomically.

import { writeFileAtomic } from '../fsutil.js';

export type NpyData = Float64Array | Float32Array | BigInt64Array | Int32Array;

/** The .npy bytes of a float64, float32, int64 or int32 array of this shape. */
export function npyBytes(data: NpyData, shape: readonly number[]): Uint8Array {
  const descr = data instanceof Float64Array ? '<f8' : data instanceof Float32Array ? '<f4' : data instanceof BigInt64Array ? '<i8' : '<i4';
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`;
  // Magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64, ending in \n.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(total + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  // The machine's own order is little-endian on every platform Node runs lowbit on; write it explicitly anyway.
  const view = new DataView(out.buffer, total);
  if (data instanceof Float64Array) data.forEach((v, i) => view.setFloat64(i * 8, v, true));
  else if (data instanceof Float32Array) data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  else if (data instanceof BigInt64Array) data.forEach((v, i) => view.setBigInt64(i * 8, v, true));
  else data.forEach((v, i) => view.setInt32(i * 4, v, true));
  return out;
}

/** Writes an .npy file atomically. */
export function writeNpy(path: string, data: NpyData, shape: readonly number[]): void {
  writeFileAtomic(path, npyBytes(data, shape));
}
