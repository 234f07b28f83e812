// The arithmetic of LUT mpGEMM (the project's arithmetic background, shared/docs/background.md, "LUT mpGEMM"): which signed sums of a group's
// activations a table stores, and how a weight index code reads one of them. The RTL generator
// renders these very maps (table entries, lookup case tables) and the TypeScript LUT model below
// evaluates them, so the unit tests of the identity check the maps the hardware is built from.
//
//  planes : index c of g bits, one per element (element j = index bit j); T[c] = sum_j (2*bit_j(c) - 1) a_j.
//           Symmetric storage keeps the entries whose top bit is 1 (top coefficient +1: for int8
//           activations and g = 4 they span [-512, 511], 10 bits; the full table needs 11) and
//           reads T[c] for top bit 0 as -T[~c].
//  tl1    : bitnet.cpp TL1: a pair of trits, code c = 3*(w1+1) + (w0+1) in 0..8 (4 bits; 9..15 read 0).
//           Full: 8 stored entries (c = 4 is the zero entry); symmetric: c = 5..8 stored, c < 4 reads -T[8-c].
//  tl2    : bitnet.cpp TL2: a triple of trits as a 4-bit magnitude m and a sign (code = m | sign << 4):
//           v = 9*(w2+1) + 3*(w1+1) + (w0+1); v >= 13: m = v - 13, sign 0; else m = 13 - v, sign 1.
//           13 stored entries (m = 1..13; m = 0 and 14, 15 read 0). Symmetric by construction.

export type TableKind = 'planes' | 'tl1' | 'tl2';

export interface CodeRead {
  /** Stored entry the code reads, or -1 for the constant zero. */
  entry: number;
  /** The lookup negates the entry. */
  neg: boolean;
}

export interface TableSpec {
  kind: TableKind;
  g: number;
  symmetric: boolean;
  /** Coefficient vectors (length g, values -1/0/+1) of the stored entries, in bus order. */
  entries: number[][];
  /** Bits of one index code. */
  idxBits: number;
  /** What every index code (0..2^idxBits-1) reads. */
  codes: CodeRead[];
}

const bit = (x: number, j: number) => (x >> j) & 1;
const pmCoefs = (c: number, g: number) => Array.from({ length: g }, (_, j) => 2 * bit(c, j) - 1);
/** Trits (lowest first) of v in base 3, as -1/0/+1. */
const trits = (v: number, n: number) => Array.from({ length: n }, (_, j) => (Math.floor(v / 3 ** j) % 3) - 1);

export function tableSpec(kind: TableKind, g: number, symmetric: boolean): TableSpec {
  if (kind === 'planes') {
    const n = 1 << g;
    if (!symmetric) return { kind, g, symmetric, entries: Array.from({ length: n }, (_, c) => pmCoefs(c, g)), idxBits: g, codes: Array.from({ length: n }, (_, c) => ({ entry: c, neg: false })) };
    const half = n >> 1;
    const mask = half - 1;
    return {
      kind,
      g,
      symmetric,
      entries: Array.from({ length: half }, (_, e) => pmCoefs(e | half, g)),
      idxBits: g,
      codes: Array.from({ length: n }, (_, c) => (bit(c, g - 1) ? { entry: c & mask, neg: false } : { entry: ~c & mask, neg: true })),
    };
  }
  if (kind === 'tl1') {
    const codes: CodeRead[] = [];
    if (symmetric) {
      for (let c = 0; c < 16; c++) codes.push(c >= 5 && c <= 8 ? { entry: c - 5, neg: false } : c < 4 ? { entry: 3 - c, neg: true } : { entry: -1, neg: false });
      return { kind, g: 2, symmetric, entries: [5, 6, 7, 8].map((c) => trits(c, 2)), idxBits: 4, codes };
    }
    const stored = [0, 1, 2, 3, 5, 6, 7, 8];
    for (let c = 0; c < 16; c++) codes.push({ entry: stored.indexOf(c), neg: false });
    return { kind, g: 2, symmetric, entries: stored.map((c) => trits(c, 2)), idxBits: 4, codes };
  }
  const codes: CodeRead[] = [];
  for (let c = 0; c < 32; c++) {
    const m = c & 15;
    codes.push({ entry: m >= 1 && m <= 13 ? m - 1 : -1, neg: bit(c, 4) === 1 });
  }
  return { kind, g: 3, symmetric: true, entries: Array.from({ length: 13 }, (_, i) => trits(14 + i, 3)), idxBits: 5, codes };
}

/** The index code of a group of trits (lowest element first), for tl1 and tl2. */
export function tritCode(kind: 'tl1' | 'tl2', w: ArrayLike<number>, at = 0): number {
  if (kind === 'tl1') return 3 * (w[at + 1] + 1) + (w[at] + 1);
  const v = 9 * (w[at + 2] + 1) + 3 * (w[at + 1] + 1) + (w[at] + 1);
  return v >= 13 ? v - 13 : (13 - v) | 16;
}

/** The trits an index code stands for (what the hardware computes with), written to out[at..at+g). */
export function codeTrits(spec: TableSpec, code: number, out: Int32Array | number[], at = 0): void {
  const read = spec.codes[code];
  for (let j = 0; j < spec.g; j++) {
    const c = read.entry < 0 ? 0 : spec.entries[read.entry][j];
    out[at + j] = read.neg ? 0 - c : c;
  }
}

/** A group's stored table: entry e = sum_j entries[e][j] * a[j]. */
export function buildTable(spec: TableSpec, a: ArrayLike<bigint>): bigint[] {
  return spec.entries.map((coefs) => coefs.reduce((s, c, j) => s + BigInt(c) * a[j], 0n));
}

/** One lookup: the value code `c` reads from a stored table. */
export function lookup(spec: TableSpec, table: bigint[], c: number): bigint {
  const r = spec.codes[c];
  const v = r.entry < 0 ? 0n : table[r.entry];
  return r.neg ? -v : v;
}

export interface LutWeights {
  spec: TableSpec;
  /** Weight planes (int / ternary as two's complement, w_bits of them); 1 for bipolar and tl1/tl2. */
  planes: number;
  /** int and ternary planes: 2*sum = sum_i 2^i S_i - sum a (the offset form u = w + 2^(b-1)). */
  offset: boolean;
}

/**
 * One row's dot product the LUT way (the identity the hardware uses), exact:
 *  - planes with offset: 2 * sum w a = sum_i 2^i sum_t T_t[idx_{i,t}] - sum a, idx from u = w + 2^(b-1);
 *  - bipolar: bit = (w + 1) / 2, sum w a = sum_t T_t[idx];
 *  - tl1 / tl2: sum w a = sum_t T_t[code_t].
 * Used by the tests against the plain dot product; co-simulation compares the RTL with the plain one.
 */
export function lutDot(w: ArrayLike<number>, a: ArrayLike<bigint>, lw: LutWeights): bigint {
  const { spec, planes } = lw;
  const g = spec.g;
  const k = a.length;
  let total = 0n;
  for (let t = 0; t < k / g; t++) {
    const table = buildTable(spec, Array.from({ length: g }, (_, j) => a[t * g + j]));
    if (spec.kind !== 'planes') {
      total += lookup(spec, table, tritCode(spec.kind, w, t * g));
      continue;
    }
    for (let i = 0; i < planes; i++) {
      let c = 0;
      for (let j = 0; j < g; j++) {
        const u = lw.offset ? w[t * g + j] + 2 ** (planes - 1) : (w[t * g + j] + 1) / 2;
        c |= bit(u, i) << j;
      }
      total += lookup(spec, table, c) << BigInt(i);
    }
  }
  if (!lw.offset) return total;
  let sumA = 0n;
  for (let i = 0; i < k; i++) sumA += a[i];
  const twice = total - sumA;
  if (twice % 2n !== 0n) throw new Error('internal: the LUT identity gave an odd 2*sum');
  return twice / 2n;
}
