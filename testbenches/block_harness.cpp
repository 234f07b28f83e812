// lowbit block harness for Verilator: runs a combinational block over many input vectors, as fast as
// the model evaluates (testbenches/blockCheck.ts builds it around the generated wrapper
// lowbit_block_wrap, whose one input bus `in_bits` and one output bus `out_bits` hold every port in
// whole 32-bit words). No clock, no protocol: set the inputs, eval, read the outputs.
//
// Compile-time sizes (-D): LB_IN_BITS, LB_OUT_BITS (multiples of 32: the wrapper pads every port).
// Arguments: IN OUT. IN: vectors of LB_IN_BITS/32 little-endian uint32 words, back to back; OUT gets
// LB_OUT_BITS/32 words per vector, in order. Exit: 0 done; 2 bad arguments or a partial vector; 3 I/O.

#include "Vtop.h"
#include "verilated.h"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <vector>

constexpr std::size_t IN_WORDS = LB_IN_BITS / 32;
constexpr std::size_t OUT_WORDS = LB_OUT_BITS / 32;
static_assert(LB_IN_BITS % 32 == 0 && LB_OUT_BITS % 32 == 0, "lowbit: the wrapper's buses are whole words");

namespace {
// Port access for every type Verilator gives a bus of that width (IData, QData, VlWide).
void put(IData& p, const uint32_t* w) { p = w[0]; }
void put(QData& p, const uint32_t* w) { p = static_cast<QData>(w[0]) | (static_cast<QData>(w[1]) << 32); }
template <std::size_t N> void put(VlWide<N>& p, const uint32_t* w) { for (std::size_t i = 0; i < N; i++) p[i] = w[i]; }
void get(IData p, uint32_t* w) { w[0] = p; }
void get(QData p, uint32_t* w) { w[0] = static_cast<uint32_t>(p); w[1] = static_cast<uint32_t>(p >> 32); }
template <std::size_t N> void get(const VlWide<N>& p, uint32_t* w) { for (std::size_t i = 0; i < N; i++) w[i] = p[i]; }
}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) { std::fprintf(stderr, "block harness: usage: IN OUT\n"); return 2; }
    std::FILE* in = std::fopen(argv[1], "rb");
    std::FILE* out = std::fopen(argv[2], "wb");
    if (!in || !out) { std::fprintf(stderr, "block harness: cannot open %s\n", in ? argv[2] : argv[1]); return 3; }
    auto ctx = std::make_unique<VerilatedContext>();
    auto top = std::make_unique<Vtop>(ctx.get());
    constexpr std::size_t CHUNK = 1 << 14;  // vectors per read and write
    std::vector<uint32_t> ibuf(CHUNK * IN_WORDS), obuf(CHUNK * OUT_WORDS);
    uint64_t done = 0;
    for (;;) {
        const std::size_t words = std::fread(ibuf.data(), 4, ibuf.size(), in);
        if (words % IN_WORDS) { std::fprintf(stderr, "block harness: input ends inside vector %llu\n", static_cast<unsigned long long>(done + words / IN_WORDS)); return 2; }
        const std::size_t n = words / IN_WORDS;
        for (std::size_t v = 0; v < n; v++) {
            put(top->in_bits, &ibuf[v * IN_WORDS]);
            top->eval();
            get(top->out_bits, &obuf[v * OUT_WORDS]);
        }
        if (n && std::fwrite(obuf.data(), 4 * OUT_WORDS, n, out) != n) { std::fprintf(stderr, "block harness: write to %s failed\n", argv[2]); return 3; }
        done += n;
        if (words < ibuf.size()) break;
    }
    if (std::ferror(in) || std::fclose(out) != 0) { std::fprintf(stderr, "block harness: I/O error\n"); return 3; }
    top->final();
    std::fprintf(stderr, "block harness: %llu vectors\n", static_cast<unsigned long long>(done));
    return 0;
}
