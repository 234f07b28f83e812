// The harnesses' wire, as one import: each simulator's codec lives beside it (verilatorSim.ts,
// icarusSim.ts), the shapes every codec shares in simContract.ts. What the harness says in its log
// about the design (a protocol violation) is read here.

export { WireError, type ResultBatch } from './simContract.js';
export { WordSplitter } from './verilatorSim.js';
export { LineSplitter, recordsToHex, resultLinesToWords } from './icarusSim.js';

/** "harness: protocol violation at cycle C, vector V: RULE" in a harness log. */
export interface ProtocolViolation {
  rule: string;
  cycle: number;
  vector: number;
}

export function findViolation(log: string): ProtocolViolation | undefined {
  const m = /harness: protocol violation at cycle (\d+), vector (\d+): (.*)/.exec(log);
  return m ? { cycle: Number(m[1]), vector: Number(m[2]), rule: m[3].trim() } : undefined;
}
