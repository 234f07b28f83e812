// The benchmark's yardstick: a bare hand-written Verilator harness, as a user would write it,
// driving a lowbit design with random one-beat vectors and no checking at all.
// Usage: bare_harness BEATS   (in_last on every beat, out_ready always high, no stalls)
#include "Vtop.h"
#include "verilated.h"
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>

static uint64_t s = 88172645463325252ULL;
static inline uint32_t rnd() { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return static_cast<uint32_t>(s); }

int main(int argc, char** argv) {
    const uint64_t beats = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
    auto ctx = std::make_unique<VerilatedContext>();
    auto top = std::make_unique<Vtop>(ctx.get());
    top->rst = 1;
    for (int i = 0; i < 3; i++) { top->clk = 0; top->eval(); top->clk = 1; top->eval(); }
    top->rst = 0;
    top->out_ready = 1;
    top->in_last = 1;
    uint64_t sent = 0, got = 0, sink = 0;
    while (got < beats) {
        top->in_valid = sent < beats;
        for (int i = 0; i < LB_ACT_WORDS; i++) top->in_act[i] = rnd();
        for (int i = 0; i < LB_WGT_WORDS; i++) top->in_wgt[i] = rnd();
        top->clk = 0;
        top->eval();
        if (top->in_valid && top->in_ready) sent++;
        if (top->out_valid) { got++; sink += top->out_data[0]; }
        top->clk = 1;
        top->eval();
    }
    std::printf("%llu results (checksum %llu)\n", static_cast<unsigned long long>(got), static_cast<unsigned long long>(sink));
    top->final();
    return 0;
}
