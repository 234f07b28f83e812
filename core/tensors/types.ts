// The one shape every tensor loader returns (.npy, .safetensors, GGUF), so callers never care which
// container a weight came from. Values are widened to Float64 (floats) or Int32 (integers): exact for
// every dtype we read, and what the golden models compute in.

/** A GGUF ternary tensor (TQ1_0 / TQ2_0) as stored: lowbit uses its trits and block scales directly. */
export interface TernaryBlocks {
  /** Every weight in {-1, 0, 1}, in the same C order as `Tensor.data`. */
  trits: Int8Array;
  /** One scale `d` per block (the stored fp16, widened exactly), block b covering trits [b*blockSize, (b+1)*blockSize). */
  scales: Float64Array;
  /** Weights per block along the row (QK_K = 256 in llama.cpp); blocks never straddle rows. */
  blockSize: number;
}

export interface Tensor {
  /** The tensor's name in its file (a .npy file's one array is named after the file, without `.npy`). */
  name: string;
  /** Normalized dtype: float64, float32, float16, bfloat16, int32, int16, int8, uint8, TQ1_0, TQ2_0. */
  dtype: string;
  /** numpy order: the last axis varies fastest (GGUF's ne[] reversed). */
  shape: number[];
  /** Values in C (row-major) order; for TQ types the dequantized `trit * d`. */
  data: Float64Array | Int32Array;
  /** The file it came from, as given. */
  file: string;
  ternary?: TernaryBlocks;
}

/** A container opened for reading: its tensor names, and each tensor decoded on request. */
export interface TensorFile {
  file: string;
  names: string[];
  read(name: string): Tensor;
}

export const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
export const shapeText = (shape: readonly number[]): string => `[${shape.join(', ')}]`;
