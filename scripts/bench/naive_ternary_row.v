// A naive behavioural ternary row, as one might first write it: a sequential chain of
// add / subtract / skip over 64 lanes of int8 activations with 2-bit two's complement weight codes.
// The benchmark synthesizes it next to lowbit's ternary row.
module naive_ternary_row (
    input  wire          clk,
    input  wire [511:0]  act,
    input  wire [127:0]  wgt,
    output reg  [14:0]   sum
);
    integer i;
    reg signed [14:0] s;
    always @(*) begin
        s = 15'sd0;
        for (i = 0; i < 64; i = i + 1) begin
            case (wgt[2*i +: 2])
                2'b01: s = s + {{7{act[8*i+7]}}, act[8*i +: 8]};
                2'b11: s = s - {{7{act[8*i+7]}}, act[8*i +: 8]};
                default: s = s;
            endcase
        end
    end
    always @(posedge clk) sum <= s;
endmodule
