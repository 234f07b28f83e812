// lowbit_fp_add: a combinational floating-point adder, y = a + b, rounded to nearest, ties to even
// (hand-written shared RTL, not generated; its golden model is core/fp/add.ts, and the two agree bit
// for bit: every pair of the 8-bit formats, millions of fp16/fp32 pairs, test/fpAdd.test.ts).
//
// One module for every binary format lowbit knows, by parameters: fp16 (5,10), bf16 (8,7), fp32
// (8,23), OCP fp8 E5M2 (5,2) and E4M3 (4,3, E4M3=1). Subnormals are kept, in and out (no flush to
// zero): low-bit activations live near the bottom of their range, where flushing loses most.
//
// How: the operand of larger magnitude is A; B's significand is shifted right to A's exponent into
// three extra bits, guard, round and a sticky bit that ORs everything shifted further (enough for
// correct rounding: when B is shifted 2 or more places, a subtraction loses at most one leading bit;
// when it is shifted 0 or 1 places, nothing reaches the sticky bit and the difference is exact). The
// sum is normalized (right 1 on a carry, else left by its leading zeros but never below the smallest
// exponent: that is a subnormal), then rounded once, ties to even.
//
// Special values, as the golden model defines them:
//   - a NaN in, inf + -inf, and (E4M3, which has no infinity) an overflow give the canonical NaN:
//     positive, exponent all ones, top fraction bit only (IEEE formats) or S.1111.111 (E4M3, 0x7f);
//   - inf + finite or inf + same-signed inf is that inf; an IEEE overflow is the signed infinity;
//   - an exact zero sum is +0, except -0 + -0 = -0 (IEEE 754, round to nearest).
// E4M3 (OCP FP8): exponent all ones is an ordinary binade up to 448; only S.1111.111 is NaN.
module lowbit_fp_add #(
    parameter integer EXP_BITS = 5,
    parameter integer MAN_BITS = 10,
    parameter integer E4M3     = 0
) (
    input  wire [EXP_BITS+MAN_BITS:0] a,
    input  wire [EXP_BITS+MAN_BITS:0] b,
    output reg  [EXP_BITS+MAN_BITS:0] y
);
    localparam integer E  = EXP_BITS;
    localparam integer M  = MAN_BITS;
    localparam integer XW = M + 4;   // significand (hidden bit + M), guard, round, sticky
    localparam integer NW = E + 1;   // exponent arithmetic: up to all ones + carry + rounding carry
    // XW as a shift amount and leading-zero count (E + 1 bits: XW < 2^(E+1) for every format here).
    localparam [31:0]  XW32 = XW;
    localparam [E:0]   XW_E = XW32[E:0];

    localparam [E-1:0] EXP_ONES = {E{1'b1}};
    localparam [M-1:0] MAN_ONES = {M{1'b1}};
    // Largest finite exponent field: all ones less one (IEEE); all ones (E4M3, below S.1111.111).
    localparam [NW-1:0] EXP_MAX = (E4M3 != 0) ? {1'b0, EXP_ONES} : {1'b0, EXP_ONES} - {{NW-1{1'b0}}, 1'b1};
    localparam [E+M:0] QNAN = (E4M3 != 0) ? {1'b0, EXP_ONES, MAN_ONES} : {1'b0, EXP_ONES, 1'b1, {M-1{1'b0}}};

    // Fields, classes.
    wire         sa = a[E+M];
    wire         sb = b[E+M];
    wire [E-1:0] ea = a[E+M-1:M];
    wire [E-1:0] eb = b[E+M-1:M];
    wire [M-1:0] ma = a[M-1:0];
    wire [M-1:0] mb = b[M-1:0];
    wire a_top = (ea == EXP_ONES);
    wire b_top = (eb == EXP_ONES);
    wire a_nan = (E4M3 != 0) ? (a_top && ma == MAN_ONES) : (a_top && ma != {M{1'b0}});
    wire b_nan = (E4M3 != 0) ? (b_top && mb == MAN_ONES) : (b_top && mb != {M{1'b0}});
    wire a_inf = (E4M3 == 0) && a_top && ma == {M{1'b0}};
    wire b_inf = (E4M3 == 0) && b_top && mb == {M{1'b0}};

    // Order by magnitude: for finite codes, the code without its sign orders as the magnitude does.
    wire         swap = (b[E+M-1:0] > a[E+M-1:0]);
    wire         s_big = swap ? sb : sa;
    wire [E-1:0] e_big = swap ? eb : ea;
    wire [E-1:0] e_sml = swap ? ea : eb;
    wire [M-1:0] m_big = swap ? mb : ma;
    wire [M-1:0] m_sml = swap ? ma : mb;
    wire         sub = sa ^ sb;

    // A subnormal (exponent field 0) has exponent 1 and no hidden bit.
    wire [E-1:0] x_big = (e_big == {E{1'b0}}) ? {{E-1{1'b0}}, 1'b1} : e_big;
    wire [E-1:0] x_sml = (e_sml == {E{1'b0}}) ? {{E-1{1'b0}}, 1'b1} : e_sml;
    wire [XW-1:0] sig_big = {e_big != {E{1'b0}}, m_big, 3'b000};
    wire [XW-1:0] sig_sml = {e_sml != {E{1'b0}}, m_sml, 3'b000};

    // Alignment: shifts of XW or more leave only the sticky bit.
    wire [E-1:0] diff = x_big - x_sml;
    wire [E:0]   align = ({1'b0, diff} > XW_E) ? XW_E : {1'b0, diff};
    wire [2*XW-1:0] wide = {sig_sml, {XW{1'b0}}} >> align;
    wire [XW-1:0] sig_al = {wide[2*XW-1:XW+1], wide[XW] | (|wide[XW-1:0])};

    // Magnitude sum; |A| >= |B| keeps a difference non-negative. One bit more for the carry.
    wire [XW:0] sum = sub ? ({1'b0, sig_big} - {1'b0, sig_al}) : ({1'b0, sig_big} + {1'b0, sig_al});

    // Leading zeros of sum[XW-1:0] (all XW when it is zero).
    function [E:0] lzc;
        input [XW-1:0] v;
        integer i;
        reg     found;
        begin
            lzc   = XW_E;
            found = 1'b0;
            for (i = XW - 1; i >= 0; i = i - 1) begin
                if (!found && v[i]) begin
                    lzc   = XW_E - 1'b1 - i[E:0];
                    found = 1'b1;
                end
            end
        end
    endfunction

    wire [E:0]    lz = lzc(sum[XW-1:0]);
    // Left shifts stop at exponent 1: what is left without a hidden bit is a subnormal.
    wire [E:0]    room = {1'b0, x_big} - {{E{1'b0}}, 1'b1};
    wire [E:0]    lsh = (lz > room) ? room : lz;
    wire [XW-1:0] norm = sum[XW] ? {sum[XW:2], sum[1] | sum[0]} : (sum[XW-1:0] << lsh);
    wire [NW-1:0] x_norm = sum[XW] ? ({1'b0, x_big} + {{NW-1{1'b0}}, 1'b1}) : ({1'b0, x_big} - lsh);

    // Round to nearest, ties to even; a carry out of the significand moves to the exponent.
    wire          lsb = norm[3];
    wire          g = norm[2];
    wire          rs = norm[1] | norm[0];
    wire          up = g & (rs | lsb);
    wire [M+1:0]  rnd = {1'b0, norm[XW-1:3]} + {{M+1{1'b0}}, up};
    wire [M:0]    sig_r = rnd[M+1] ? rnd[M+1:1] : rnd[M:0];
    wire [NW-1:0] x_r = x_norm + {{NW-1{1'b0}}, rnd[M+1]};
    // The exponent field: 0 for a subnormal (no hidden bit), which rounding may lift to exponent 1.
    wire [NW-1:0] e_out = sig_r[M] ? x_r : {NW{1'b0}};
    wire          ovf = (e_out > EXP_MAX) || ((E4M3 != 0) && e_out == EXP_MAX && sig_r[M-1:0] == MAN_ONES);

    always @* begin
        if (a_nan || b_nan || (a_inf && b_inf && sub)) y = QNAN;
        else if (a_inf) y = a;
        else if (b_inf) y = b;
        else if (sum == {(XW + 1){1'b0}}) y = {sa & sb, {(E + M){1'b0}}};
        else if (ovf) y = (E4M3 != 0) ? QNAN : {s_big, EXP_ONES, {M{1'b0}}};
        else y = {s_big, e_out[E-1:0], sig_r[M-1:0]};
    end
endmodule
