// Pieces of a row datapath that several families share: how a lane finds its activation.
// Dense and ternary lanes read `act` directly; sparse lanes read it through an m:1 multiplexer.

export interface MuxSpec {
  i: number;
  /** First bit of the group's activations in `act`, and their width (m lanes). */
  lo: number;
  width: number;
  /** The index field in `wgt`. */
  selLo: number;
  selBits: number;
}

export interface LaneSource {
  /** Verilog expression of lane i's activation. */
  act: (i: number) => string;
  /** Multiplexers that produce those activations (empty for direct lanes). */
  muxes: MuxSpec[];
  /** m, for comments when muxes are present. */
  m?: number;
}

export const directLanes = (actBits: number): LaneSource => ({ act: (i) => `act[${i * actBits} +: ${actBits}]`, muxes: [] });
