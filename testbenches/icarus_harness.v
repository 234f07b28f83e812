// lowbit stream harness for Icarus Verilog: the same job and the same rules as harness.cpp (drive any
// lowbit design's streaming interface hostilely, check its handshake protocol every cycle, compute
// nothing), speaking text instead of binary because that is what Verilog's file I/O does well.
// Icarus keeps X: registers start unknown, and a result with an X or Z bit is printed as such.
// Compile-time sizes and the design come from -D macros:
//   LB_TOP (design module), LB_ACT_BITS, LB_WGT_BITS, LB_OUT_BITS (port widths, checked with $bits),
//   LB_PENDING (records kept for presenting again after a reset: at least max_beats + 1)
// stdin, one record per line: flags in_act in_wgt, in hex (flags bit 0 = in_last, bit 1 = reset before it).
// stdout, one result per vector: "R " and out_data in hex, or "X " and out_data in binary when a bit is
// X or Z (vvp prints notes of its own there too).
// stderr: "harness: protocol violation at cycle C, vector V: RULE" (then $finish), "harness: port ..."
// (widths), "harness: no handshake ..." (then $fatal), and a summary line.
// Plusargs: +seed=N (31-bit), +stall=P (percent of cycles with a valid gap / ready low),
//           +beat_cycles=C, +quiet (zeros instead of garbage), +vcd=FILE +vcd_from=V.
`timescale 1ns / 1ps
module lowbit_icarus_harness;
    localparam integer STDIN = 32'h8000_0000;
    localparam integer STDOUT = 32'h8000_0001;
    localparam integer STDERR = 32'h8000_0002;
    localparam integer CAP = `LB_PENDING;

    reg clk = 1'b0;
    reg rst = 1'b0;
    reg in_valid = 1'b0;
    reg in_last = 1'b0;
    reg out_ready = 1'b0;
    reg [`LB_ACT_BITS-1:0] in_act;
    reg [`LB_WGT_BITS-1:0] in_wgt;
    wire in_ready;
    wire out_valid;
    wire [`LB_OUT_BITS-1:0] out_data;

    `LB_TOP dut (
        .clk(clk), .rst(rst),
        .in_valid(in_valid), .in_ready(in_ready), .in_last(in_last), .in_act(in_act), .in_wgt(in_wgt),
        .out_valid(out_valid), .out_ready(out_ready), .out_data(out_data)
    );

    // Records read whose vector's result has not been taken, as a ring: head .. head+count-1.
    reg [1:0] p_flags [0:CAP-1];
    reg [`LB_ACT_BITS-1:0] p_act [0:CAP-1];
    reg [`LB_WGT_BITS-1:0] p_wgt [0:CAP-1];
    integer head, count, cursor;

    integer seed, stall, n, vcd_from, beat_cycles, i;
    integer active;  // cycles out of reset: the design's own (the reset lengths are random)
    integer got, idle, beats, cycles, closed, held, delay_left, reset_left, resets, fresh_closed, cur_vector;
    reg presenting, eof, tracing, in_fire, out_fire, quiet, reset_scheduled, in_reset, prev_hold, waiting, last;
    reg [31:0] flags;
    reg [`LB_ACT_BITS-1:0] act_r;
    reg [`LB_WGT_BITS-1:0] wgt_r;
    reg [`LB_OUT_BITS-1:0] prev_out;
    reg [`LB_ACT_BITS+31:0] g_act;
    reg [`LB_WGT_BITS+31:0] g_wgt;
    reg [8*1024-1:0] vcd;

    function pass;  // true on cycles without a stall
        input integer dummy;
        begin
            pass = (stall == 0) || (($random(seed) & 32'h7fffffff) % 100 >= stall);
        end
    endfunction

    function integer below;  // uniform in 0..m-1
        input integer m;
        begin
            below = ($random(seed) & 32'h7fffffff) % m;
        end
    endfunction

    task drive_garbage;
        begin
            for (i = 0; i < `LB_ACT_BITS; i = i + 32) g_act[i +: 32] = quiet ? 32'd0 : $random(seed);
            for (i = 0; i < `LB_WGT_BITS; i = i + 32) g_wgt[i +: 32] = quiet ? 32'd0 : $random(seed);
            in_act = g_act[`LB_ACT_BITS-1:0];
            in_wgt = g_wgt[`LB_WGT_BITS-1:0];
            in_last = quiet ? 1'b0 : $random(seed);
        end
    endtask

    task violation;
        input [8*120-1:0] rule;
        begin
            $fdisplay(STDERR, "harness: protocol violation at cycle %0d, vector %0d: %0s", cycles, cur_vector, rule);
            $fflush(STDOUT);
            if (tracing) $dumpflush;
            $finish;
        end
    endtask

    initial begin
        if (!$value$plusargs("seed=%d", seed)) seed = 1;
        if (!$value$plusargs("stall=%d", stall)) stall = 0;
        if (!$value$plusargs("beat_cycles=%d", beat_cycles)) beat_cycles = 1;
        quiet = $test$plusargs("quiet");
        if (!$value$plusargs("vcd=%s", vcd)) vcd = 0;
        if (!$value$plusargs("vcd_from=%d", vcd_from)) vcd_from = 0;
        if ($bits(dut.in_act) != `LB_ACT_BITS || $bits(dut.in_wgt) != `LB_WGT_BITS || $bits(dut.out_data) != `LB_OUT_BITS) begin
            $fdisplay(STDERR, "harness: port widths in_act %0d, in_wgt %0d, out_data %0d bits; the parameters give %0d, %0d, %0d",
                      $bits(dut.in_act), $bits(dut.in_wgt), $bits(dut.out_data), `LB_ACT_BITS, `LB_WGT_BITS, `LB_OUT_BITS);
            $fatal(1);
        end
        active = 0;
        got = 0; idle = 0; beats = 0; cycles = 0; closed = 0; held = 0; resets = 0; fresh_closed = 0; cur_vector = 0;
        head = 0; count = 0; cursor = 0;
        presenting = 1'b0; eof = 1'b0; tracing = 1'b0; reset_scheduled = 1'b0; prev_hold = 1'b0;
        delay_left = 0;
        drive_garbage;
        reset_left = 1 + below(4);
        forever begin
            in_reset = reset_left > 0;
            if (in_reset) begin
                rst = 1'b1;
                in_valid = 1'b0;
                drive_garbage;
                out_ready = quiet ? 1'b0 : $random(seed);
            end else begin
                rst = 1'b0;
                if (!presenting && delay_left == 0 && !reset_scheduled && pass(0)) begin
                    if (cursor < count) presenting = 1'b1;
                    else if (!eof && count < CAP) begin
                        n = $fscanf(STDIN, "%h %h %h\n", flags, act_r, wgt_r);
                        if (n != 3) eof = 1'b1;
                        else begin
                            p_flags[(head + count) % CAP] = flags[1:0];
                            p_act[(head + count) % CAP] = act_r;
                            p_wgt[(head + count) % CAP] = wgt_r;
                            count = count + 1;
                            cur_vector = fresh_closed;
                            if (flags[0]) fresh_closed = fresh_closed + 1;
                            if (flags[1]) begin
                                reset_scheduled = 1'b1;
                                delay_left = below(6);
                            end else presenting = 1'b1;
                        end
                    end
                end
                if (eof && count == 0) begin
                    $fflush(STDOUT);
                    $fdisplay(STDERR, "harness: %0d cycles, %0d beats, %0d results, %0d resets, %0d cycles out of reset", cycles, beats, got, resets, active);
                    $finish;
                end
                if (presenting) begin
                    in_valid = 1'b1;
                    in_last = p_flags[(head + cursor) % CAP] & 1;
                    in_act = p_act[(head + cursor) % CAP];
                    in_wgt = p_wgt[(head + cursor) % CAP];
                end else begin
                    in_valid = 1'b0;
                    drive_garbage;
                end
                // Before a reset, mostly backpressure: results pile up, so the reset often drops one that waits.
                out_ready = reset_scheduled ? (below(4) == 0) : pass(0);
            end
            if (!tracing && vcd != 0 && got >= vcd_from) begin
                $dumpfile(vcd);
                $dumpvars(0, dut);
                tracing = 1'b1;
            end
            #1;  // settle: in_ready and out_valid follow the new inputs
            in_fire = 1'b0;
            out_fire = 1'b0;
            if (!in_reset) begin
                if (in_ready !== 1'b0 && in_ready !== 1'b1) violation("in_ready is X or Z out of reset");
                if (out_valid !== 1'b0 && out_valid !== 1'b1) violation("out_valid is X or Z out of reset");
                in_fire = in_valid && in_ready;
                out_fire = out_valid && out_ready;
                if (prev_hold && !out_valid) violation("out_valid dropped while out_ready was low");
                if (prev_hold && out_data !== prev_out) violation("out_data changed while out_valid was high and out_ready low");
                if (out_fire && closed == 0) violation("a result (out_valid && out_ready) without a closing beat (in_last) accepted since reset");
                waiting = out_valid && !out_ready;
                if (in_valid && !in_ready && !waiting) begin
                    held = held + 1;
                    if (held >= beat_cycles) violation("in_ready low with a beat presented and no result waiting (longer than a beat's cycles)");
                end
                if (in_fire || !in_valid) held = 0;
                prev_hold = waiting;
                prev_out = out_data;
                if (out_fire) begin
                    if (^out_data === 1'bx) $fwrite(STDOUT, "X %b\n", out_data);
                    else $fwrite(STDOUT, "R %h\n", out_data);
                    got = got + 1;
                    closed = closed - 1;
                    // The oldest vector is done: forget its records.
                    last = 1'b0;
                    while (count > 0 && !last) begin
                        last = p_flags[head][0];
                        head = (head + 1) % CAP;
                        count = count - 1;
                        cursor = cursor - 1;
                    end
                end
            end else begin
                prev_hold = 1'b0;
                held = 0;
            end
            #1 clk = 1'b1;
            #1 clk = 1'b0;
            cycles = cycles + 1;
            if (!in_reset) active = active + 1;
            if (in_fire) begin
                beats = beats + 1;
                if (p_flags[(head + cursor) % CAP] & 1) closed = closed + 1;
                cursor = cursor + 1;
                presenting = 1'b0;
            end
            if (in_reset) begin
                reset_left = reset_left - 1;
                if (reset_left == 0) begin
                    // Everything not taken is gone: present it again, oldest vector first.
                    cursor = 0;
                    closed = 0;
                    presenting = 1'b0;
                end
            end else if (reset_scheduled) begin
                if (delay_left > 0) delay_left = delay_left - 1;
                else begin
                    reset_scheduled = 1'b0;
                    reset_left = 1 + below(4);
                    resets = resets + 1;
                    presenting = 1'b0;
                end
            end
            idle = (in_fire || out_fire || in_reset || reset_scheduled) ? 0 : idle + 1;
            if (idle > 100000) begin
                $fdisplay(STDERR, "harness: no handshake for %0d cycles (received %0d results, in_ready=%b out_valid=%b)",
                          idle, got, in_ready, out_valid);
                $fflush(STDOUT);
                $fatal(1);
            end
        end
    end
endmodule
