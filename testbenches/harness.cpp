// lowbit stream harness for Verilator: drives any lowbit design's streaming interface.
//
// It does no checking and knows nothing about families: it reads beat records from stdin, presents
// them on in_* with random valid gaps, pulls results with random out_ready stalls, and writes every
// result to stdout. The TypeScript side generates the stimulus, runs the golden model and compares
// (testbenches/cosim.ts). Compile-time sizes come from -D flags:
//   LB_ACT_WORDS, LB_WGT_WORDS, LB_OUT_WORDS   32-bit words of in_act, in_wgt, out_data
// Record on stdin (little-endian uint32): flags (bit 0 = in_last), in_act words, in_wgt words.
// Result on stdout: out_data words, one result per handshake, in order.
// Arguments: --seed N (stall pattern), --stall P (percent of cycles with a valid gap / ready low),
//            --vcd FILE --vcd-from V (trace builds only: dump from the start of vector V on).
// Exit: 0 done; 2 bad arguments; 3 protocol failure (no progress for a long time).

#include "Vtop.h"
#include "verilated.h"
#ifdef LB_TRACE
#include "verilated_vcd_c.h"
#endif

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

// Port access for every width Verilator uses (CData/SData/IData/QData/VlWide).
template <std::size_t N> void put(VlWide<N>& p, const uint32_t* w) { for (std::size_t i = 0; i < N; i++) p[i] = w[i]; }
void put(CData& p, const uint32_t* w) { p = static_cast<CData>(w[0]); }
void put(SData& p, const uint32_t* w) { p = static_cast<SData>(w[0]); }
void put(IData& p, const uint32_t* w) { p = w[0]; }
void put(QData& p, const uint32_t* w) { p = static_cast<QData>(w[0]) | (static_cast<QData>(w[1]) << 32); }
template <std::size_t N> void get(const VlWide<N>& p, uint32_t* w) { for (std::size_t i = 0; i < N; i++) w[i] = p[i]; }
void get(CData p, uint32_t* w) { w[0] = p; }
void get(SData p, uint32_t* w) { w[0] = p; }
void get(IData p, uint32_t* w) { w[0] = p; }
void get(QData p, uint32_t* w) { w[0] = static_cast<uint32_t>(p); w[1] = static_cast<uint32_t>(p >> 32); }

constexpr std::size_t REC_WORDS = 1 + LB_ACT_WORDS + LB_WGT_WORDS;
constexpr std::size_t REC_BYTES = REC_WORDS * 4;

// Buffered reader of whole records from a pipe.
class RecordReader {
  public:
    // Returns a pointer to the next record, or nullptr at end of input.
    const uint32_t* next() {
        if (pos_ + REC_BYTES > len_) {
            if (!fill()) return nullptr;
        }
        const uint32_t* r = reinterpret_cast<const uint32_t*>(buf_.data() + pos_);
        pos_ += REC_BYTES;
        return r;
    }

  private:
    bool fill() {
        std::memmove(buf_.data(), buf_.data() + pos_, len_ - pos_);
        len_ -= pos_;
        pos_ = 0;
        while (len_ < REC_BYTES) {
            if (buf_.size() - len_ < REC_BYTES) buf_.resize(buf_.size() * 2);
            ssize_t n = ::read(0, buf_.data() + len_, buf_.size() - len_);
            if (n <= 0) return false;
            len_ += static_cast<std::size_t>(n);
        }
        return true;
    }
    std::vector<uint8_t> buf_ = std::vector<uint8_t>(std::max<std::size_t>(1 << 20, 2 * REC_BYTES));
    std::size_t pos_ = 0, len_ = 0;
};

uint64_t rng_state;
uint32_t rnd() {  // xorshift64*
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return static_cast<uint32_t>((rng_state * 2685821657736338717ULL) >> 32);
}

}  // namespace

int main(int argc, char** argv) {
    uint64_t seed = 1;
    unsigned stall = 0;
    std::string vcd;
    uint64_t vcd_from = 0;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        auto val = [&]() -> const char* {
            if (i + 1 >= argc) { std::fprintf(stderr, "harness: %s needs a value\n", a.c_str()); std::exit(2); }
            return argv[++i];
        };
        if (a == "--seed") seed = std::strtoull(val(), nullptr, 10);
        else if (a == "--stall") stall = static_cast<unsigned>(std::strtoul(val(), nullptr, 10));
        else if (a == "--vcd") vcd = val();
        else if (a == "--vcd-from") vcd_from = std::strtoull(val(), nullptr, 10);
        else if (a.rfind("+verilator", 0) == 0) continue;
        else { std::fprintf(stderr, "harness: unknown argument %s\n", a.c_str()); return 2; }
    }
    rng_state = seed * 0x9E3779B97F4A7C15ULL + 0x2545F4914F6CDD1DULL;
    const uint32_t stall_threshold = static_cast<uint32_t>((static_cast<uint64_t>(stall) << 32) / 100);

    auto ctx = std::make_unique<VerilatedContext>();
    ctx->commandArgs(argc, argv);
    auto top = std::make_unique<Vtop>(ctx.get());
#ifdef LB_TRACE
    std::unique_ptr<VerilatedVcdC> tfp;
    if (!vcd.empty()) {
        ctx->traceEverOn(true);
        tfp = std::make_unique<VerilatedVcdC>();
        top->trace(tfp.get(), 99);
    }
#else
    if (!vcd.empty()) { std::fprintf(stderr, "harness: --vcd needs a trace build\n"); return 2; }
#endif
    static char outbuf[1 << 20];
    std::setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);

    RecordReader in;
    const uint32_t* rec = nullptr;  // beat being presented (valid held until accepted)
    bool eof = false;
    uint64_t sent_vectors = 0, got_vectors = 0, cycles = 0, idle = 0, beats = 0;
    uint32_t out_words[LB_OUT_WORDS + 2];
    bool tracing = false;

    // Two evaluations per cycle: one with the new inputs (clk low) so in_ready/out_valid settle,
    // one for the rising edge. The falling edge needs none of its own: it is folded into the next
    // cycle's first evaluation (the design has no negedge logic).
    auto settle = [&]() {
        top->clk = 0;
        top->eval();
#ifdef LB_TRACE
        if (tracing) tfp->dump(static_cast<uint64_t>(2 * cycles));
#endif
    };
    auto rise = [&]() {
        top->clk = 1;
        top->eval();
#ifdef LB_TRACE
        if (tracing) tfp->dump(static_cast<uint64_t>(2 * cycles + 1));
#endif
        cycles++;
    };
    auto tick = [&]() {
        settle();
        rise();
    };

    top->clk = 0;
    top->rst = 1;
    top->in_valid = 0;
    top->in_last = 0;
    top->out_ready = 0;
    for (int i = 0; i < 3; i++) tick();
    top->rst = 0;

    for (;;) {
        if (!rec && !eof && (stall == 0 || rnd() >= stall_threshold)) {
            rec = in.next();
            if (!rec) eof = true;
        }
        if (eof && got_vectors == sent_vectors) break;
#ifdef LB_TRACE
        if (!tracing && tfp && sent_vectors >= vcd_from) {
            tfp->open(vcd.c_str());
            tracing = true;
        }
#endif
        if (rec) {
            top->in_valid = 1;
            top->in_last = rec[0] & 1u;
            put(top->in_act, rec + 1);
            put(top->in_wgt, rec + 1 + LB_ACT_WORDS);
        } else {
            top->in_valid = 0;
            top->in_last = 0;
        }
        top->out_ready = (stall == 0 || rnd() >= stall_threshold) ? 1 : 0;
        settle();
        const bool in_fire = top->in_valid && top->in_ready;
        const bool out_fire = top->out_valid && top->out_ready;
        if (out_fire) {
            get(top->out_data, out_words);
            std::fwrite(out_words, 4, LB_OUT_WORDS, stdout);
            got_vectors++;
        }
        rise();
        if (in_fire) {
            beats++;
            if (rec[0] & 1u) sent_vectors++;
            rec = nullptr;
        }
        idle = (in_fire || out_fire) ? 0 : idle + 1;
        if (idle > 100000) {
            std::fprintf(stderr, "harness: no handshake for %llu cycles (sent %llu vectors, received %llu results, in_ready=%d out_valid=%d)\n",
                         static_cast<unsigned long long>(idle), static_cast<unsigned long long>(sent_vectors),
                         static_cast<unsigned long long>(got_vectors), top->in_ready, top->out_valid);
            std::fflush(stdout);
            return 3;
        }
    }
    std::fflush(stdout);
#ifdef LB_TRACE
    if (tfp) tfp->close();
#endif
    top->final();
    std::fprintf(stderr, "harness: %llu cycles, %llu beats, %llu results\n", static_cast<unsigned long long>(cycles),
                 static_cast<unsigned long long>(beats), static_cast<unsigned long long>(got_vectors));
    return 0;
}
