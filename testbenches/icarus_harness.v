// lowbit stream harness for Icarus Verilog: the same job as harness.cpp (drive any lowbit design's
// streaming interface, no checking), speaking text instead of binary because that is what Verilog's
// file I/O does well. Compile-time sizes and the design come from -D macros:
//   LB_TOP (design module), LB_ACT_BITS, LB_WGT_BITS, LB_OUT_BITS (port widths)
// stdin, one record per line: flags in_act in_wgt, in hex (flags bit 0 = in_last).
// stdout, one result per handshake: "R " and out_data in hex (vvp prints notes of its own there too).
// Plusargs: +seed=N (stall pattern), +stall=P (percent of cycles with a valid gap / ready low),
//           +vcd=FILE +vcd_from=V (dump from the start of vector V on).
// Exits through $finish; a protocol failure (no handshake for 100000 cycles) prints "harness: no handshake"
// and calls $fatal.
`timescale 1ns / 1ps
module lowbit_icarus_harness;
    localparam integer STDIN = 32'h8000_0000;
    localparam integer STDOUT = 32'h8000_0001;
    localparam integer STDERR = 32'h8000_0002;

    reg clk = 1'b0;
    reg rst = 1'b1;
    reg in_valid = 1'b0;
    reg in_last = 1'b0;
    reg out_ready = 1'b0;
    reg [`LB_ACT_BITS-1:0] in_act = {`LB_ACT_BITS{1'b0}};
    reg [`LB_WGT_BITS-1:0] in_wgt = {`LB_WGT_BITS{1'b0}};
    wire in_ready;
    wire out_valid;
    wire [`LB_OUT_BITS-1:0] out_data;

    `LB_TOP dut (
        .clk(clk), .rst(rst),
        .in_valid(in_valid), .in_ready(in_ready), .in_last(in_last), .in_act(in_act), .in_wgt(in_wgt),
        .out_valid(out_valid), .out_ready(out_ready), .out_data(out_data)
    );

    integer seed, stall, n, vcd_from;
    integer sent, got, idle, beats, cycles;
    reg have, eof, tracing, in_fire, out_fire;
    reg [31:0] flags;
    reg [`LB_ACT_BITS-1:0] act_r;
    reg [`LB_WGT_BITS-1:0] wgt_r;
    reg [8*1024-1:0] vcd;

    function pass;  // true on cycles without a stall
        input integer dummy;
        begin
            pass = (stall == 0) || (($random(seed) & 32'h7fffffff) % 100 >= stall);
        end
    endfunction

    task tick;
        begin
            #1 clk = 1'b1;
            #1 clk = 1'b0;
            cycles = cycles + 1;
        end
    endtask

    initial begin
        if (!$value$plusargs("seed=%d", seed)) seed = 1;
        if (!$value$plusargs("stall=%d", stall)) stall = 0;
        if (!$value$plusargs("vcd=%s", vcd)) vcd = 0;
        if (!$value$plusargs("vcd_from=%d", vcd_from)) vcd_from = 0;
        sent = 0; got = 0; idle = 0; beats = 0; cycles = 0;
        have = 1'b0; eof = 1'b0; tracing = 1'b0;
        repeat (3) tick;
        rst = 1'b0;
        forever begin
            if (!have && !eof && pass(0)) begin
                n = $fscanf(STDIN, "%h %h %h\n", flags, act_r, wgt_r);
                if (n == 3) have = 1'b1;
                else eof = 1'b1;
            end
            if (eof && got == sent) begin
                $fflush(STDOUT);
                $fdisplay(STDERR, "harness: %0d cycles, %0d beats, %0d results", cycles, beats, got);
                $finish;
            end
            if (!tracing && vcd != 0 && sent >= vcd_from) begin
                $dumpfile(vcd);
                $dumpvars(0, dut);
                tracing = 1'b1;
            end
            in_valid = have;
            in_last = have && flags[0];
            if (have) begin
                in_act = act_r;
                in_wgt = wgt_r;
            end
            out_ready = pass(0);
            #1;  // settle: in_ready and out_valid follow the new inputs
            in_fire = in_valid && in_ready;
            out_fire = out_valid && out_ready;
            if (out_fire) begin
                $fwrite(STDOUT, "R %h\n", out_data);
                got = got + 1;
            end
            #1 clk = 1'b1;
            #1 clk = 1'b0;
            cycles = cycles + 1;
            if (in_fire) begin
                beats = beats + 1;
                if (flags[0]) sent = sent + 1;
                have = 1'b0;
            end
            idle = (in_fire || out_fire) ? 0 : idle + 1;
            if (idle > 100000) begin
                $fdisplay(STDERR, "harness: no handshake for %0d cycles (sent %0d vectors, received %0d results, in_ready=%b out_valid=%b)",
                          idle, sent, got, in_ready, out_valid);
                $fflush(STDOUT);
                $fatal(1);
            end
        end
    end
endmodule
