// lowbit block testbench for Icarus: the second simulator of testbenches/blockCheck.ts. Reads one
// input vector per line (hex, `in_bits` of the generated wrapper lowbit_block_wrap), lets the
// combinational block settle, and writes `out_bits` as one hex line per vector; an unknown bit prints
// as x/X or z/Z, which blockCheck.ts reports instead of reading as a value.
// Sizes (-D): LB_IN_BITS, LB_OUT_BITS. Plusargs: +in=FILE +out=FILE.
`timescale 1ns / 1ps
module lowbit_block_tb;
    reg  [`LB_IN_BITS-1:0]  in_bits;
    wire [`LB_OUT_BITS-1:0] out_bits;
    lowbit_block_wrap u_wrap (.in_bits(in_bits), .out_bits(out_bits));

    reg [8*4096-1:0] in_path, out_path;
    integer fin, fout, got, n;
    initial begin
        if (!$value$plusargs("in=%s", in_path) || !$value$plusargs("out=%s", out_path)) begin
            $display("block testbench: needs +in=FILE +out=FILE");
            $fatal(1);
        end
        fin = $fopen(in_path, "r");
        fout = $fopen(out_path, "w");
        if (fin == 0 || fout == 0) begin
            $display("block testbench: cannot open %0s", fin == 0 ? in_path : out_path);
            $fatal(1);
        end
        n = 0;
        got = $fscanf(fin, "%h\n", in_bits);
        while (got == 1) begin
            #1;
            $fwrite(fout, "%h\n", out_bits);
            n = n + 1;
            got = $fscanf(fin, "%h\n", in_bits);
        end
        $fclose(fin);
        $fclose(fout);
        $display("block testbench: %0d vectors", n);
        $finish;
    end
endmodule
