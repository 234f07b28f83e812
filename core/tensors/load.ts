// Loading one tensor from a `FILE[:NAME]` spec, whatever the container, plus the checks every caller needs
// (finite values, a 2-D matrix). The container is chosen by extension (.npy, .safetensors, .gguf), else by
// the file's first bytes, so a mis-named file still gets the right reader's precise complaint.
//
// Splitting FILE[:NAME]: paths may contain ':' too. If the whole spec names an existing file, it is the
// file and no name is given. Otherwise the spec is cut at a ':' so that the part before it is an existing
// file, trying the last ':' first (the longest path), so NAME is what follows that ':' (and may itself
// contain ':' only if no longer prefix is a file). No such cut: "no such file".

import { readFileSync, statSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { openGguf } from './gguf.js';
import { openNpy } from './npy.js';
import { openSafetensors } from './safetensors.js';
import { shapeText, type Tensor, type TensorFile } from './types.js';

const isFile = (p: string): boolean => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/** `FILE[:NAME]` -> file and optional name (the rule above). */
export function splitSpec(spec: string): { file: string; name?: string } {
  if (isFile(spec)) return { file: spec };
  for (let i = spec.lastIndexOf(':'); i > 0; i = spec.lastIndexOf(':', i - 1)) {
    if (isFile(spec.slice(0, i))) return { file: spec.slice(0, i), name: spec.slice(i + 1) };
  }
  throw new UsageError(`${spec}: no such file (a tensor is given as FILE or FILE:NAME)`);
}

/** Opens a tensor container (the whole file is read: weight matrices for one layer fit in memory). */
export function openTensorFile(file: string): TensorFile {
  const bytes = new Uint8Array(readFileSync(file));
  const ext = /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase();
  if (ext === 'npy') return openNpy(file, bytes);
  if (ext === 'safetensors') return openSafetensors(file, bytes);
  if (ext === 'gguf') return openGguf(file, bytes);
  const head = String.fromCharCode(...bytes.subarray(0, 6));
  if (head === '\x93NUMPY') return openNpy(file, bytes);
  if (head.startsWith('GGUF')) return openGguf(file, bytes);
  if (bytes[8] === 0x7b /* '{' */) return openSafetensors(file, bytes);
  throw new UsageError(`${file}: not a .npy, .safetensors or GGUF file (by its name or its first bytes)`);
}

/** Loads the tensor a spec names; without NAME the file must hold exactly one. Rejects NaN and infinities. */
export function loadTensor(spec: string): Tensor {
  const { file, name } = splitSpec(spec);
  const f = openTensorFile(file);
  let pick = name;
  if (pick === undefined) {
    if (f.names.length !== 1) {
      throw new UsageError(`${file} holds ${f.names.length} tensors; name one as ${file}:NAME (tensors: ${f.names.join(', ') || 'none'})`);
    }
    pick = f.names[0];
  }
  const t = f.read(pick);
  checkFinite(t);
  return t;
}

/** C-order flat index -> `[i, j, ...]` for messages. */
export function positionText(shape: readonly number[], flat: number): string {
  const idx: number[] = [];
  for (let k = shape.length - 1; k >= 0; k--) {
    idx.unshift(flat % shape[k]);
    flat = Math.floor(flat / shape[k]);
  }
  return shapeText(idx);
}

/** Throws naming the first NaN or infinity and its position. */
export function checkFinite(t: Tensor): void {
  for (let i = 0; i < t.data.length; i++) {
    const v = t.data[i];
    if (!Number.isFinite(v)) {
      const what = Number.isNaN(v) ? 'NaN' : v > 0 ? 'infinity' : '-infinity';
      throw new UsageError(`${t.file}: tensor ${t.name} holds ${what} at ${positionText(t.shape, i)}`);
    }
  }
}

/** A tensor as a matrix (rows = shape[0], cols = shape[1]); `what` says what it is for, in the message. */
export function asMatrix(t: Tensor, what: string): { rows: number; cols: number; data: Float64Array | Int32Array } {
  if (t.shape.length !== 2) {
    throw new UsageError(`${what} must be a 2-D matrix, but tensor ${t.name} in ${t.file} has shape ${shapeText(t.shape)}`);
  }
  return { rows: t.shape[0], cols: t.shape[1], data: t.data };
}
