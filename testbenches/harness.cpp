// lowbit stream harness for Verilator: drives any lowbit design's streaming interface hostilely and
// checks its handshake protocol every cycle.
//
// It knows nothing about families and does not compute results: it reads beat records from stdin,
// presents them on in_* with random valid gaps, pulls results with random out_ready stalls, and writes
// every result to stdout; the TypeScript side generates the stimulus, runs the golden model and compares
// (testbenches/cosim.ts). What it does to find reset, X and handshake bugs:
//   - while in_valid is low, and during reset, in_act / in_wgt / in_last carry random garbage (and
//     out_ready too during reset): a design that looks at them without a handshake sees noise;
//   - every register starts random (the build uses --x-assign/--x-initial unique, the run passes
//     +verilator+rand+reset+2 and a seed): a register a reset forgets holds garbage, not a lucky 0;
//   - records may ask for a reset (flags bit 1): the harness waits a few random cycles (mostly with
//     out_ready low, so a result waits), asserts rst for
//     1..4 cycles, and then, as the documented reset contract says (the vector in flight and every
//     result not yet taken are dropped), presents again every beat of every vector whose result it has
//     not taken, oldest first. So each vector still gets exactly one result, and the scoreboard compares
//     them all;
//   - protocol rules, checked on every cycle out of reset (a violation exits 5 with the rule):
//       out_valid never drops while out_ready is low; out_data is stable while out_valid && !out_ready;
//       no result without a closing beat (in_last accepted since the last reset);
//       in_ready is low only while a result waits (out_valid && !out_ready) or, for multi-cycle beats,
//       for at most LB_BEAT_CYCLES-1 cycles of a presented beat.
// Compile-time sizes come from -D flags:
//   LB_ACT_BITS, LB_WGT_BITS, LB_OUT_BITS   widths of in_act, in_wgt, out_data (checked against the model)
// Record on stdin (little-endian uint32): flags (bit 0 = in_last, bit 1 = reset before this record),
// in_act words, in_wgt words. Result on stdout: out_data words, one result per vector, in order.
// Arguments: --seed N (garbage, gaps, stalls, reset timing), --stall P (percent of cycles with a valid
//            gap / ready low), --beat-cycles C, --quiet (zeros instead of garbage: power's workload),
//            --vcd FILE --vcd-from V (trace builds only: dump once vector V is the oldest unfinished).
// Exit: 0 done; 2 bad arguments; 3 no handshake for a long time; 5 protocol violation.

#include "Vtop.h"
#include "verilated.h"
#ifdef LB_TRACE
#include "verilated_vcd_c.h"
#endif

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <string>
#include <type_traits>
#include <unistd.h>
#include <vector>

#define LB_WORDS(bits) (((bits) + 31) / 32)
constexpr std::size_t ACT_WORDS = LB_WORDS(LB_ACT_BITS);
constexpr std::size_t WGT_WORDS = LB_WORDS(LB_WGT_BITS);
constexpr std::size_t OUT_WORDS = LB_WORDS(LB_OUT_BITS);

namespace {

// Words Verilator uses for a port type; the harness refuses (at compile time) ports wider or narrower
// than the layout it was built for, instead of overflowing a buffer or comparing part of a result.
template <typename T> struct PortWords { static constexpr std::size_t value = sizeof(T) <= 4 ? 1 : 2; };
template <std::size_t N> struct PortWords<VlWide<N>> { static constexpr std::size_t value = N; };
static_assert(PortWords<std::remove_reference_t<decltype(std::declval<Vtop>().in_act)>>::value == ACT_WORDS,
              "lowbit: the design's in_act port does not have the width the parameters give (k*act_bits)");
static_assert(PortWords<std::remove_reference_t<decltype(std::declval<Vtop>().in_wgt)>>::value == WGT_WORDS,
              "lowbit: the design's in_wgt port does not have the width the parameters give");
static_assert(PortWords<std::remove_reference_t<decltype(std::declval<Vtop>().out_data)>>::value == OUT_WORDS,
              "lowbit: the design's out_data port does not have the width the parameters give (rows*acc_bits)");

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

constexpr std::size_t REC_WORDS = 1 + ACT_WORDS + WGT_WORDS;
constexpr std::size_t REC_BYTES = REC_WORDS * 4;
constexpr uint32_t FLAG_LAST = 1u, FLAG_RESET = 2u;

// Buffered reader of whole records from a pipe.
class RecordReader {
  public:
    // Returns a pointer to the next record (valid until the next call), or nullptr at end of input.
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

// Random words for a bus of `bits` bits, its unused top bits clear (Verilator expects clean ports).
void garbage(uint32_t* w, std::size_t bits, bool quiet) {
    const std::size_t n = LB_WORDS(bits);
    for (std::size_t i = 0; i < n; i++) w[i] = quiet ? 0u : rnd();
    if (bits % 32) w[n - 1] &= (1u << (bits % 32)) - 1u;
}

}  // namespace

int main(int argc, char** argv) {
    uint64_t seed = 1;
    unsigned stall = 0;
    unsigned beat_cycles = 1;
    bool quiet = false;
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
        else if (a == "--beat-cycles") beat_cycles = static_cast<unsigned>(std::strtoul(val(), nullptr, 10));
        else if (a == "--quiet") quiet = true;
        else if (a == "--vcd") vcd = val();
        else if (a == "--vcd-from") vcd_from = std::strtoull(val(), nullptr, 10);
        else if (a.rfind("+verilator", 0) == 0) continue;
        else { std::fprintf(stderr, "harness: unknown argument %s\n", a.c_str()); return 2; }
    }
    rng_state = seed * 0x9E3779B97F4A7C15ULL + 0x2545F4914F6CDD1DULL;
    const uint32_t stall_threshold = static_cast<uint32_t>((static_cast<uint64_t>(stall) << 32) / 100);
    auto pass = [&]() { return stall == 0 || rnd() >= stall_threshold; };

    auto ctx = std::make_unique<VerilatedContext>();
    ctx->commandArgs(argc, argv);  // +verilator+rand+reset+2 +verilator+seed+N: random initial state
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
    // Records read but whose vector's result has not been taken: what a reset makes us present again.
    std::deque<std::vector<uint32_t>> pending;
    std::size_t cursor = 0;    // next record of `pending` to present
    bool presenting = false;   // pending[cursor] is on in_* (valid held until accepted)
    bool eof = false;
    uint64_t got = 0, cycles = 0, idle = 0, beats = 0, resets = 0;
    uint64_t active = 0;       // cycles out of reset: the design's own (the reset lengths are random)
    uint64_t fresh_closed = 0, cur_vector = 0;  // vector of the newest record read (violation reports, replays)
    uint64_t closed = 0;       // closing beats accepted since the last reset whose result is not taken yet
    unsigned delay_left = 0, reset_left = 0;
    bool reset_scheduled = false;
    unsigned held = 0;         // cycles a presented beat waited on in_ready with no result waiting
    bool prev_hold = false;    // last cycle ended with out_valid && !out_ready, out of reset
    uint32_t out_words[OUT_WORDS], prev_out[OUT_WORDS], buf_act[ACT_WORDS], buf_wgt[WGT_WORDS];
    bool tracing = false;

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
    auto violation = [&](const char* rule) {
        std::fprintf(stderr, "harness: protocol violation at cycle %llu, vector %llu: %s\n", static_cast<unsigned long long>(cycles),
                     static_cast<unsigned long long>(cur_vector), rule);
        std::fflush(stdout);
#ifdef LB_TRACE
        if (tfp) tfp->close();
#endif
        std::exit(5);
    };
    auto drive_garbage = [&]() {
        garbage(buf_act, LB_ACT_BITS, quiet);
        garbage(buf_wgt, LB_WGT_BITS, quiet);
        put(top->in_act, buf_act);
        put(top->in_wgt, buf_wgt);
        top->in_last = quiet ? 0 : (rnd() & 1u);
    };

    // Power-up: random state (Verilator) until the first reset, which lasts 1..4 cycles.
    top->in_valid = 0;
    top->out_ready = 0;
    top->rst = 0;
    drive_garbage();
    reset_left = 1 + rnd() % 4;

    for (;;) {
        const bool in_reset = reset_left > 0;
        if (in_reset) {
            top->rst = 1;
            top->in_valid = 0;
            drive_garbage();
            top->out_ready = quiet ? 0 : (rnd() & 1u);
        } else {
            top->rst = 0;
            if (!presenting && delay_left == 0 && !reset_scheduled && pass()) {
                if (cursor < pending.size()) {
                    presenting = true;
                } else if (!eof) {
                    const uint32_t* r = in.next();
                    if (!r) {
                        eof = true;
                    } else {
                        cur_vector = fresh_closed;
                        if (r[0] & FLAG_LAST) fresh_closed++;
                        pending.emplace_back(r, r + REC_WORDS);
                        if (r[0] & FLAG_RESET) {
                            // Let what is in flight move on for a few cycles, then reset.
                            reset_scheduled = true;
                            delay_left = rnd() % 6;
                        } else {
                            presenting = true;
                        }
                    }
                }
            }
            if (eof && pending.empty()) break;
            if (presenting) {
                const std::vector<uint32_t>& rec = pending[cursor];
                top->in_valid = 1;
                top->in_last = rec[0] & FLAG_LAST;
                put(top->in_act, rec.data() + 1);
                put(top->in_wgt, rec.data() + 1 + ACT_WORDS);
            } else {
                top->in_valid = 0;
                drive_garbage();
            }
            // Before a reset, mostly backpressure: results pile up, so the reset often drops one that waits.
            top->out_ready = reset_scheduled ? (rnd() % 4 == 0) : pass();
        }
#ifdef LB_TRACE
        if (!tracing && tfp && got >= vcd_from) {
            tfp->open(vcd.c_str());
            tracing = true;
        }
#endif
        settle();
        bool in_fire = false, out_fire = false;
        if (!in_reset) {
            in_fire = top->in_valid && top->in_ready;
            out_fire = top->out_valid && top->out_ready;
            get(top->out_data, out_words);
            if (prev_hold && !top->out_valid) violation("out_valid dropped while out_ready was low");
            if (prev_hold && std::memcmp(out_words, prev_out, sizeof out_words) != 0) violation("out_data changed while out_valid was high and out_ready low");
            if (out_fire && closed == 0) violation("a result (out_valid && out_ready) without a closing beat (in_last) accepted since reset");
            const bool waiting = top->out_valid && !top->out_ready;
            if (top->in_valid && !top->in_ready && !waiting) {
                if (++held >= beat_cycles) violation("in_ready low with a beat presented and no result waiting (longer than a beat's cycles)");
            }
            if (in_fire || !top->in_valid) held = 0;
            prev_hold = waiting;
            std::memcpy(prev_out, out_words, sizeof out_words);
            if (out_fire) {
                std::fwrite(out_words, 4, OUT_WORDS, stdout);
                got++;
                closed--;
                // The oldest vector is done: forget its records.
                std::size_t n = 0;
                while (!pending.empty()) {
                    const bool last = pending.front()[0] & FLAG_LAST;
                    pending.pop_front();
                    n++;
                    if (last) break;
                }
                cursor -= n;
            }
        } else {
            prev_hold = false;
            held = 0;
        }
        rise();
        if (!in_reset) active++;
        if (in_fire) {
            beats++;
            const uint32_t flags = pending[cursor][0];
            if (flags & FLAG_LAST) closed++;
            cursor++;
            presenting = false;
        }
        if (in_reset) {
            if (--reset_left == 0) {
                // Everything not taken is gone: present it again, oldest vector first.
                cursor = 0;
                closed = 0;
                presenting = false;
            }
        } else if (reset_scheduled) {
            if (delay_left > 0) delay_left--;
            else {
                reset_scheduled = false;
                reset_left = 1 + rnd() % 4;
                resets++;
                presenting = false;
            }
        }
        idle = (in_fire || out_fire || in_reset || reset_scheduled) ? 0 : idle + 1;
        if (idle > 100000) {
            std::fprintf(stderr, "harness: no handshake for %llu cycles (received %llu results, in_ready=%d out_valid=%d)\n",
                         static_cast<unsigned long long>(idle), static_cast<unsigned long long>(got), top->in_ready, top->out_valid);
            std::fflush(stdout);
            return 3;
        }
    }
    std::fflush(stdout);
#ifdef LB_TRACE
    if (tfp) tfp->close();
#endif
    top->final();
    std::fprintf(stderr, "harness: %llu cycles, %llu beats, %llu results, %llu resets, %llu cycles out of reset\n", static_cast<unsigned long long>(cycles),
                 static_cast<unsigned long long>(beats), static_cast<unsigned long long>(got), static_cast<unsigned long long>(resets),
                 static_cast<unsigned long long>(active));
    return 0;
}
