// lowbit_beat_seq: multi-cycle beats in front of the streaming shell (hand-written, not generated).
//
// A family whose datapath needs STEPS cycles per beat (e.g. one weight bit plane per cycle) puts this
// between in_valid/in_ready and lowbit_stream_acc. The beat stays on in_act/in_wgt for STEPS cycles
// (valid/ready: the producer holds a beat until it is accepted), and in_ready is high only in its
// final step, so the beat is accepted exactly once. `step` counts STEPS-1 down to 0 (plane STEPS-1
// first: most significant first, so the datapath accumulates x = 2x + s). The shell sees one beat,
// in the final step; `acc_valid` / `acc_first` say, LATENCY register stages later (with the
// datapath's pipeline), that a step's result is there and whether it is its beat's first.
// Everything advances on the shell's `en`, so backpressure freezes steps and pipeline alike.
module lowbit_beat_seq #(
    parameter integer STEPS     = 2,
    parameter integer STEP_BITS = 1,
    parameter integer LATENCY   = 0
) (
    input  wire                 clk,
    input  wire                 rst,
    input  wire                 in_valid,
    output wire                 in_ready,
    input  wire                 en,
    output reg  [STEP_BITS-1:0] step,
    output wire                 first_step,
    output wire                 final_step,
    output wire                 beat_valid,
    output wire                 acc_valid,
    output wire                 acc_first
);
    localparam [STEP_BITS-1:0] LAST = STEPS[STEP_BITS-1:0] - 1'b1;

    assign first_step = (step == LAST);
    assign final_step = (step == {STEP_BITS{1'b0}});
    assign beat_valid = in_valid && final_step;
    assign in_ready   = en && final_step;

    always @(posedge clk) begin
        if (rst) step <= LAST;
        else if (in_valid && en) step <= final_step ? LAST : step - 1'b1;
    end

    generate
        if (LATENCY == 0) begin : g_direct
            assign acc_valid = in_valid;
            assign acc_first = first_step;
        end else begin : g_pipe
            reg  [LATENCY-1:0] v_q;
            reg  [LATENCY-1:0] f_q;
            wire [LATENCY:0]   v_chain = {v_q, in_valid};
            wire [LATENCY:0]   f_chain = {f_q, first_step};
            always @(posedge clk) begin
                if (rst) begin
                    v_q <= {LATENCY{1'b0}};
                    f_q <= {LATENCY{1'b0}};
                end else if (en) begin
                    v_q <= v_chain[LATENCY-1:0];
                    f_q <= f_chain[LATENCY-1:0];
                end
            end
            assign acc_valid = v_chain[LATENCY];
            assign acc_first = f_chain[LATENCY];
        end
    endgenerate
endmodule
