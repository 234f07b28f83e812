// lowbit_stream_acc: the streaming shell every lowbit family shares (hand-written, not generated).
//
// It owns the handshakes, the pipeline's valid/last tracking, the row accumulators (wrap or
// saturate) and the one-entry output register. The family's datapath turns each beat into ROWS
// exact partial sums `psum`, LATENCY register stages after the beat was accepted; all those
// stages advance together on `en`.
//
// Flow control: a beat is accepted when in_valid && in_ready. in_ready = en, and en is low only
// when the beat reaching the accumulators closes a vector (last) while the previous result still
// waits in the output register (out_valid && !out_ready). So throughput is one beat per cycle,
// results wait under backpressure, and nothing is dropped. in_ready depends combinationally on
// out_ready (ready may depend on ready; valid never depends on ready).
module lowbit_stream_acc #(
    parameter integer ROWS      = 1,
    parameter integer PSUM_BITS = 8,
    parameter integer ACC_BITS  = 16,
    parameter integer SATURATE  = 0,
    parameter integer LATENCY   = 0
) (
    input  wire                     clk,
    input  wire                     rst,
    input  wire                     in_valid,
    output wire                     in_ready,
    input  wire                     in_last,
    output wire                     en,
    input  wire [ROWS*PSUM_BITS-1:0] psum,
    output reg                      out_valid,
    input  wire                     out_ready,
    output reg  [ROWS*ACC_BITS-1:0] out_data
);
    // Width of an exact acc + psum sum, before wrap or saturation.
    localparam integer SUM_BITS = (ACC_BITS > PSUM_BITS ? ACC_BITS : PSUM_BITS) + 1;

    wire s_valid;  // the beat whose psum is at the accumulators now
    wire s_last;

    generate
        if (LATENCY == 0) begin : g_direct
            assign s_valid = in_valid;
            assign s_last  = in_last;
        end else begin : g_pipe
            reg  [LATENCY-1:0] v_q;
            reg  [LATENCY-1:0] l_q;
            wire [LATENCY:0]   v_chain = {v_q, in_valid};
            wire [LATENCY:0]   l_chain = {l_q, in_last};
            always @(posedge clk) begin
                if (rst) begin
                    v_q <= {LATENCY{1'b0}};
                    l_q <= {LATENCY{1'b0}};
                end else if (en) begin
                    v_q <= v_chain[LATENCY-1:0];
                    l_q <= l_chain[LATENCY-1:0];
                end
            end
            assign s_valid = v_chain[LATENCY];
            assign s_last  = l_chain[LATENCY];
        end
    endgenerate

    assign en       = !(s_valid && s_last && out_valid && !out_ready);
    assign in_ready = en;

    wire take = s_valid && en;  // accumulate this cycle

    always @(posedge clk) begin
        if (rst) out_valid <= 1'b0;
        else if (take && s_last) out_valid <= 1'b1;
        else if (out_ready) out_valid <= 1'b0;
    end

    genvar r;
    generate
        for (r = 0; r < ROWS; r = r + 1) begin : g_row
            reg  [ACC_BITS-1:0] acc;
            wire [PSUM_BITS-1:0] ps = psum[r*PSUM_BITS +: PSUM_BITS];
            wire [SUM_BITS-1:0] sum = {{(SUM_BITS - ACC_BITS){acc[ACC_BITS-1]}}, acc}
                                    + {{(SUM_BITS - PSUM_BITS){ps[PSUM_BITS-1]}}, ps};
            wire [ACC_BITS-1:0] next;
            if (SATURATE != 0) begin : g_sat
                // In range when every bit above the accumulator's sign bit equals it.
                wire [SUM_BITS-ACC_BITS:0] top = sum[SUM_BITS-1:ACC_BITS-1];
                wire fits = (top == {(SUM_BITS - ACC_BITS + 1){1'b0}}) || (top == {(SUM_BITS - ACC_BITS + 1){1'b1}});
                assign next = fits ? sum[ACC_BITS-1:0]
                            : {sum[SUM_BITS-1], {(ACC_BITS - 1){~sum[SUM_BITS-1]}}};
            end else begin : g_wrap
                assign next = sum[ACC_BITS-1:0];
                // The bits above ACC_BITS are dropped on purpose (wrap): keep lint quiet about them.
                wire unused_ok = &{1'b0, sum[SUM_BITS-1:ACC_BITS]};
            end
            always @(posedge clk) begin
                if (rst) acc <= {ACC_BITS{1'b0}};
                else if (take) acc <= s_last ? {ACC_BITS{1'b0}} : next;
            end
            always @(posedge clk) begin
                if (take && s_last) out_data[r*ACC_BITS +: ACC_BITS] <= next;
            end
        end
    endgenerate
endmodule
