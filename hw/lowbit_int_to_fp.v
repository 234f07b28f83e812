// lowbit_int_to_fp: a signed integer times 2^SCALE -> a floating-point number, rounded once to
// nearest, ties to even (hand-written, shared: the exact sum of an array leaves it through this).
//
// The magnitude's leading one sets the exponent; the MAN_BITS bits after it are the fraction; the
// bit after those (guard) and the OR of all below (sticky) round it, ties to the even fraction; a
// carry out of the fraction moves to the next binade. Zero is +0.
//
// The generator instantiates it only where every result is a normal number below the largest
// finite one: SCALE >= 1 - bias (the unit itself is normal) and IN_BITS - 1 + SCALE <= bias
// (the largest magnitude, 2^(IN_BITS-1), stays finite). So there are no subnormal, infinite or
// NaN results to make.
module lowbit_int_to_fp #(
    parameter integer IN_BITS  = 48,
    parameter integer SCALE    = -24,
    parameter integer EXP_BITS = 8,
    parameter integer MAN_BITS = 23
) (
    input  wire [IN_BITS-1:0]         value,
    output wire [EXP_BITS+MAN_BITS:0] y
);
    localparam integer BIAS = (1 << (EXP_BITS - 1)) - 1;
    localparam integer POS_BITS = $clog2(IN_BITS);
    // The magnitude with room below it for the fraction, guard and sticky bits at any IN_BITS.
    localparam integer EXT = IN_BITS + MAN_BITS + 2;

    wire               neg = value[IN_BITS-1];
    wire [IN_BITS-1:0] mag = neg ? -value : value;  // -(-2^(IN_BITS-1)) is 2^(IN_BITS-1): fits unsigned

    // Position of the leading one (0 when mag is 0 or 1).
    reg [POS_BITS-1:0] lead;
    integer i;
    always @(*) begin
        lead = {POS_BITS{1'b0}};
        for (i = 0; i < IN_BITS; i = i + 1)
            if (mag[i]) lead = i[POS_BITS-1:0];
    end

    // Normalized: the leading one at the top bit.
    localparam integer TOP_I = IN_BITS - 1;
    localparam [POS_BITS-1:0] TOP = TOP_I[POS_BITS-1:0];
    wire [POS_BITS-1:0] lshift = TOP - lead;
    wire [EXT-1:0] norm = {mag, {(MAN_BITS + 2){1'b0}}} << lshift;
    wire [MAN_BITS-1:0] frac   = norm[EXT-2 -: MAN_BITS];
    wire                guard  = norm[EXT-2-MAN_BITS];
    wire                sticky = |norm[EXT-3-MAN_BITS:0];
    wire                up     = guard && (sticky || frac[0]);
    wire [MAN_BITS:0]   frac_r = {1'b0, frac} + {{MAN_BITS{1'b0}}, up};
    wire                carry  = frac_r[MAN_BITS];

    localparam integer OFFSET_I = SCALE + BIAS;
    localparam [EXP_BITS-1:0] OFFSET = OFFSET_I[EXP_BITS-1:0];
    wire [EXP_BITS-1:0] expo = {{(EXP_BITS > POS_BITS ? EXP_BITS - POS_BITS : 0){1'b0}}, lead} + OFFSET + {{(EXP_BITS-1){1'b0}}, carry};

    assign y = (mag == {IN_BITS{1'b0}}) ? {(EXP_BITS + MAN_BITS + 1){1'b0}} : {neg, expo, frac_r[MAN_BITS-1:0]};
endmodule
