// lowbit_fp_decode: one floating-point activation -> a signed integer in units of the format's
// smallest subnormal (hand-written, shared by every family's exact mode).
//
// value = (-1)^s * sig * 2^(e-1) units, sig = {e != 0, fraction}: a normal number's significand
// with its hidden one shifted into place, a subnormal's fraction as is. Both zeros give 0. Every
// finite value is exact, so the integer array behind it sums exactly, in any order.
//
// NaN and infinity (which lowbit's loaders and packers refuse) decode to 0: such a lane adds
// nothing. E4M3 = 1 selects OCP FP8 E4M3's rules: no infinities, only S.1111.111 is NaN, so the
// top exponent holds ordinary values (up to 448).
module lowbit_fp_decode #(
    parameter integer EXP_BITS = 5,
    parameter integer MAN_BITS = 10,
    parameter integer E4M3     = 0,
    // Holds the largest finite value: MAN_BITS + 1 + (largest exponent field - 1) + sign.
    parameter integer OUT_BITS = 41
) (
    input  wire [EXP_BITS+MAN_BITS:0] code,
    output wire [OUT_BITS-1:0]        units
);
    wire                sign = code[EXP_BITS+MAN_BITS];
    wire [EXP_BITS-1:0] e    = code[EXP_BITS+MAN_BITS-1:MAN_BITS];
    wire [MAN_BITS-1:0] m    = code[MAN_BITS-1:0];

    wire special = (E4M3 != 0) ? (&e && &m) : &e;
    wire [MAN_BITS:0] sig = {|e, m};
    // Shift by e - 1 for normal numbers, 0 for subnormals (e = 0 and e = 1 share a binade's unit).
    wire [EXP_BITS-1:0] shift = (e == {EXP_BITS{1'b0}}) ? {EXP_BITS{1'b0}} : e - {{(EXP_BITS-1){1'b0}}, 1'b1};
    wire [OUT_BITS-1:0] wide = {{(OUT_BITS-MAN_BITS-1){1'b0}}, sig};
    wire [OUT_BITS-1:0] mag  = special ? {OUT_BITS{1'b0}} : (wide << shift);
    assign units = sign ? -mag : mag;
endmodule
