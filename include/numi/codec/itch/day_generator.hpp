// Deterministic synthetic ITCH 5.0 trading day: system events, a stock directory and trading actions for
// every symbol, then Zipf-distributed order flow (adds near the touch that never cross, deletes, executions,
// partial cancels, replaces, non-cross trades, a few imbalance/cross/Reg SHO/MPP/RPII messages), then
// end-of-day events. Every E/C/X/D/U refers to a live order; refs rise strictly from 1; memory is bounded by
// a per-symbol live cap. Main types: ItchDayOptions, ItchDayGenerator (pull: next()), write_itch_day() (file
// + optional MoldUDP64 pcap). Thread-safety: one thread per generator.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "numi/core/status.hpp"
#include "numi/net/pcap_writer.hpp"

namespace numi::codec::itch {

struct ItchDayOptions {
  uint64_t seed = 1;
  uint32_t symbols = 500;          // 1..65535; stock locate = 1..symbols
  uint64_t messages = 10'000'000;  // total messages, including the 2*symbols+6 fixed ones (at least those)
  uint32_t max_live_per_symbol = 4096;  // live-order cap per symbol; over it, deletes replace adds
  double zipf_exponent = 1.0;           // activity of the k-th busiest symbol ~ 1 / k^s
};

// Checks the options; the error names the option, the value and the accepted range.
[[nodiscard]] Result<void> validate(const ItchDayOptions& options);

// Number of messages the generator will emit for these options (max(messages, 2*symbols+6)).
[[nodiscard]] uint64_t total_messages(const ItchDayOptions& options) noexcept;

class ItchDayGenerator {
 public:
  // `options` must pass validate().
  explicit ItchDayGenerator(const ItchDayOptions& options);
  ItchDayGenerator(ItchDayGenerator&&) noexcept;
  ItchDayGenerator& operator=(ItchDayGenerator&&) noexcept;
  ~ItchDayGenerator();

  // The next message (type byte first, exact ITCH length); valid until the next call. false when done.
  [[nodiscard]] bool next(std::span<const std::byte>& msg) noexcept;

  [[nodiscard]] uint64_t emitted() const noexcept;
  [[nodiscard]] uint64_t total() const noexcept;
  // Messages emitted so far, by type byte.
  [[nodiscard]] const std::array<uint64_t, 256>& count_by_type() const noexcept;
  // Live orders right now (all symbols).
  [[nodiscard]] uint64_t live_orders() const noexcept;

  struct State;

 private:
  std::unique_ptr<State> state_;
};

struct ItchDayOutput {
  std::string itch_path;  // Nasdaq binary file format; gzip when it ends in ".gz"; empty = no file
  std::string pcap_path;  // MoldUDP64 over Ethernet/IPv4/UDP pcap (ns timestamps); empty = none
  net::UdpEndpoint pcap_src{0x0A000001u, 40000};                                     // 10.0.0.1:40000
  net::UdpEndpoint pcap_dst{(233u << 24) | (54u << 16) | (12u << 8) | 111u, 26477};  // 233.54.12.111:26477
  std::string session = "NUMI000001";
  std::size_t mold_mtu = 1400;                               // maximum MoldUDP64 payload bytes per packet
  bool end_of_session_packet = true;                         // finish the pcap with a count=0xFFFF packet
  uint64_t day_epoch_ns = 1704153600ull * 1'000'000'000ull;  // 2024-01-02T00:00:00Z, added to ITCH timestamps
};

struct ItchDayStats {
  uint64_t messages = 0;
  uint64_t itch_bytes = 0;    // bytes of the binary format (length prefixes included, before gzip)
  uint64_t pcap_packets = 0;  // MoldUDP64 packets written (end of session included)
  std::array<uint64_t, 256> count_by_type{};
};

// Generates the day and writes the requested outputs. Errors name the path and the reason.
[[nodiscard]] Result<ItchDayStats> write_itch_day(const ItchDayOptions& options, const ItchDayOutput& output);

// The whole day in Nasdaq binary file format, in memory (for tests and fuzz seeds; small days only).
[[nodiscard]] std::vector<std::byte> generate_itch_day_bytes(const ItchDayOptions& options);

}  // namespace numi::codec::itch
