// Wireshark interop (golden): packets written by numi's EOBI encoder into a pcap (libpcap, Ethernet/IPv4/UDP)
// are dissected by Debian's tshark 4.0 `eobi` dissector (T7 release 10.0, disabled by default). Checks the
// field values tshark reports equal what we wrote, that nothing is malformed, and derives (from tshark's PDML
// field positions) which 14.1 templates differ in layout from the dissector's 10.0 - see docs/eobi.md.
#include <gtest/gtest.h>
#include <pcap/pcap.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "numi/codec/eobi/decoder.hpp"
#include "numi/codec/eobi/encoder.hpp"
#include "numi/testing/paths.hpp"

namespace numi::codec::eobi {
namespace {

namespace fs = std::filesystem;
constexpr uint16_t kPort = 30555;

bool tshark_available() { return std::system("command -v tshark >/dev/null 2>&1") == 0; }

struct RunResult {
  int status;
  std::string out;
};
RunResult run(const std::string& cmd) {
  RunResult r{-1, {}};
  FILE* p = ::popen((cmd + " 2>/dev/null").c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  r.status = ::pclose(p);
  return r;
}

uint16_t ipv4_checksum(const uint8_t* h, std::size_t len) {
  uint32_t sum = 0;
  for (std::size_t i = 0; i + 1 < len; i += 2) sum += static_cast<uint32_t>((h[i] << 8) | h[i + 1]);
  while ((sum >> 16) != 0) sum = (sum & 0xFFFF) + (sum >> 16);
  return static_cast<uint16_t>(~sum & 0xFFFF);
}

// Writes Ethernet/IPv4/UDP frames (UDP checksum 0 = none, valid IPv4 header checksum) with libpcap.
class PcapFile {
 public:
  explicit PcapFile(const fs::path& path) {
    pcap_ = pcap_open_dead(DLT_EN10MB, 65535);
    if (pcap_ != nullptr) dumper_ = pcap_dump_open(pcap_, path.c_str());
  }
  ~PcapFile() { close(); }
  PcapFile(const PcapFile&) = delete;
  PcapFile& operator=(const PcapFile&) = delete;
  [[nodiscard]] bool ok() const { return dumper_ != nullptr; }

  void add_udp(std::span<const std::byte> payload) {
    std::vector<uint8_t> f(14 + 20 + 8 + payload.size());
    const uint8_t eth[14] = {0x01, 0x00, 0x5e, 0x01, 0x02, 0x03, 0x02,
                             0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00};
    std::memcpy(f.data(), eth, 14);
    uint8_t* ip = f.data() + 14;
    const auto ip_len = static_cast<uint16_t>(20 + 8 + payload.size());
    const uint8_t iph[20] = {0x45,
                             0,
                             static_cast<uint8_t>(ip_len >> 8),
                             static_cast<uint8_t>(ip_len & 0xFF),
                             static_cast<uint8_t>(frames_ >> 8),
                             static_cast<uint8_t>(frames_ & 0xFF),
                             0x40,
                             0,
                             64,
                             17,
                             0,
                             0,
                             10,
                             0,
                             0,
                             1,
                             239,
                             1,
                             2,
                             3};
    std::memcpy(ip, iph, 20);
    const uint16_t csum = ipv4_checksum(ip, 20);
    ip[10] = static_cast<uint8_t>(csum >> 8);
    ip[11] = static_cast<uint8_t>(csum & 0xFF);
    uint8_t* udp = ip + 20;
    const auto udp_len = static_cast<uint16_t>(8 + payload.size());
    const uint8_t udph[8] = {0xC3,
                             0x50,
                             static_cast<uint8_t>(kPort >> 8),
                             static_cast<uint8_t>(kPort & 0xFF),
                             static_cast<uint8_t>(udp_len >> 8),
                             static_cast<uint8_t>(udp_len & 0xFF),
                             0,
                             0};
    std::memcpy(udp, udph, 8);
    std::memcpy(udp + 8, payload.data(), payload.size());
    pcap_pkthdr h{};
    h.ts.tv_sec = 1700000000 + static_cast<time_t>(frames_);
    h.caplen = static_cast<bpf_u_int32>(f.size());
    h.len = h.caplen;
    pcap_dump(reinterpret_cast<u_char*>(dumper_), &h, f.data());
    ++frames_;
  }
  void close() {
    if (dumper_ != nullptr) pcap_dump_close(dumper_);
    if (pcap_ != nullptr) pcap_close(pcap_);
    dumper_ = nullptr;
    pcap_ = nullptr;
  }

 private:
  pcap_t* pcap_ = nullptr;
  pcap_dumper_t* dumper_ = nullptr;
  unsigned frames_ = 0;
};

fs::path temp_path(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("numi_eobi_tshark_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir / name;
}

// Removes a temp pcap (and its directory once empty) at scope exit.
struct RemoveAtExit {
  fs::path path;
  ~RemoveAtExit() {
    std::error_code ec;
    fs::remove(path, ec);
    fs::remove(path.parent_path(), ec);  // only succeeds when empty
  }
};

std::string tshark_base(const fs::path& pcap) {
  return "tshark --enable-protocol eobi -d udp.port==" + std::to_string(kPort) + ",eobi -r '" +
         pcap.string() + "'";
}

// tshark's rendering of an FT_ABSOLUTE_TIME (UTC): "Nov 14, 2023 22:13:20.000000001 UTC".
std::string ts_text(uint64_t ns) {
  const auto secs = static_cast<time_t>(ns / 1'000'000'000ULL);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  std::array<char, 64> b{};
  const std::size_t n = std::strftime(b.data(), b.size(), "%b %e, %Y %H:%M:%S", &tm);
  std::array<char, 16> frac{};
  std::snprintf(frac.data(), frac.size(), ".%09llu UTC",
                static_cast<unsigned long long>(ns % 1'000'000'000ULL));
  return std::string(b.data(), n) + frac.data();
}

// Expected per-frame value of each -e field: occurrences joined with '|' in message order.
using FrameFields = std::map<std::string, std::vector<std::string>>;
void expect_value(FrameFields& f, const std::string& field, const std::string& value) {
  f[field].push_back(value);
}
template <typename T>
std::string num(T v) {
  return std::to_string(v);
}

void add_expected(FrameFields& f, uint32_t seq, uint16_t id, uint16_t body_len) {
  expect_value(f, "eobi.templateid", num(id));
  expect_value(f, "eobi.msgseqnum", num(seq));
  expect_value(f, "eobi.bodylen", num(body_len));
}

const std::vector<std::string> kInteropFields = {"eobi.templateid",
                                                 "eobi.msgseqnum",
                                                 "eobi.bodylen",
                                                 "eobi.trdregtstimein",
                                                 "eobi.transacttime",
                                                 "eobi.securityid",
                                                 "eobi.trdregtstimepriority",
                                                 "eobi.displayqty",
                                                 "eobi.side",
                                                 "eobi.ordtype",
                                                 "eobi.price",
                                                 "eobi.algorithmictradeindicator",
                                                 "eobi.trdmatchid",
                                                 "eobi.lastqty",
                                                 "eobi.lastpx"};

TEST(EobiTshark, DissectorReportsTheFieldValuesWeWrote) {
  if (!tshark_available())
    GTEST_SKIP() << "tshark not found: install the Debian package tshark (apt-get install tshark)";
  const fs::path pcap = temp_path("interop.pcap");
  const RemoveAtExit cleanup{pcap};
  std::vector<FrameFields> expected;
  {
    PcapFile file(pcap);
    ASSERT_TRUE(file.ok()) << "cannot write " << pcap;
    std::vector<std::byte> buf(1500);
    PacketBuilder b(buf);

    // Packet 1: two OrderAdds (buy and sell, full 64-bit SecurityIDs, one negative price).
    b.begin(PacketHeader{.appl_seq_num = 1,
                         .market_segment_id = 589,
                         .partition_id = 4,
                         .completion_indicator = 1,
                         .transact_time = 1'700'000'000'000'000'001ULL});
    const OrderAdd a1{.request_time = 1'700'000'000'100'000'002ULL,
                      .security_id = 0x0102030405060708,
                      .trd_reg_ts_time_priority = 1'700'000'000'200'000'003ULL,
                      .display_qty = 12'0000,
                      .side = Side::kBuy,
                      .ord_type = 2,
                      .hhi_indicator = 0,
                      .price = 100'5000'0000};
    const OrderAdd a2{.request_time = 1'700'000'001'000'000'000ULL,
                      .security_id = -0x00000DEADBEEF001,
                      .trd_reg_ts_time_priority = 1'700'000'001'500'000'000ULL,
                      .display_qty = 3'2500,
                      .side = Side::kSell,
                      .ord_type = 1,
                      .hhi_indicator = 0,
                      .price = -2'2500'0000};
    ASSERT_TRUE(b.add(a1, 100));
    ASSERT_TRUE(b.add(a2, 101));
    file.add_udp(b.bytes());
    FrameFields f1;
    for (const auto& [a, seq] : {std::pair{a1, 100u}, std::pair{a2, 101u}}) {
      add_expected(f1, seq, OrderAdd::kTemplateId, 56);
      expect_value(f1, "eobi.trdregtstimein",
                   ts_text(a.request_time));  // 14.1 RequestTime = 10.0 TrdRegTSTimeIn
      expect_value(f1, "eobi.securityid", num(a.security_id));
      expect_value(f1, "eobi.trdregtstimepriority", ts_text(a.trd_reg_ts_time_priority));
      expect_value(f1, "eobi.displayqty", num(a.display_qty));
      expect_value(f1, "eobi.side", num(static_cast<int>(a.side)));
      expect_value(f1, "eobi.ordtype", num(a.ord_type));
      expect_value(f1, "eobi.price", num(a.price));
    }
    expected.push_back(f1);

    // Packet 2: OrderDelete, FullOrderExecution, PartialOrderExecution.
    b.begin(PacketHeader{.appl_seq_num = 2,
                         .market_segment_id = 589,
                         .partition_id = 4,
                         .completion_indicator = 1,
                         .transact_time = 1'700'000'002'000'000'000ULL});
    const OrderDelete d{.request_time = 1'700'000'002'000'000'111ULL,
                        .transact_time = 1'700'000'002'000'000'222ULL,
                        .security_id = 0x0102030405060708,
                        .trd_reg_ts_time_priority = 1'700'000'000'200'000'003ULL,
                        .display_qty = 12'0000,
                        .side = Side::kBuy,
                        .ord_type = 2,
                        .price = 100'5000'0000};
    const FullOrderExecution fx{.side = Side::kSell,
                                .ord_type = 1,
                                .algorithmic_trade_indicator = 1,
                                .trd_match_id = 0xA1B2C3D4,
                                .price = -2'2500'0000,
                                .trd_reg_ts_time_priority = 1'700'000'001'500'000'000ULL,
                                .security_id = -0x00000DEADBEEF001,
                                .last_qty = 3'2500,
                                .last_px = -2'2500'0000};
    const PartialOrderExecution px{.side = Side::kBuy,
                                   .ord_type = 2,
                                   .algorithmic_trade_indicator = 0,
                                   .trd_match_id = 77,
                                   .price = 99'0000'0000,
                                   .trd_reg_ts_time_priority = 1'699'999'999'000'000'000ULL,
                                   .security_id = 0x7FFFFFFFFFFFFFFF,
                                   .last_qty = 1'0000,
                                   .last_px = 99'0000'0000};
    ASSERT_TRUE(b.add(d, 102));
    ASSERT_TRUE(b.add(fx, 103));
    ASSERT_TRUE(b.add(px, 104));
    file.add_udp(b.bytes());
    FrameFields f2;
    add_expected(f2, 102, OrderDelete::kTemplateId, 64);
    expect_value(f2, "eobi.trdregtstimein", ts_text(d.request_time));
    expect_value(f2, "eobi.transacttime", ts_text(d.transact_time));
    expect_value(f2, "eobi.securityid", num(d.security_id));
    expect_value(f2, "eobi.trdregtstimepriority", ts_text(d.trd_reg_ts_time_priority));
    expect_value(f2, "eobi.displayqty", num(d.display_qty));
    expect_value(f2, "eobi.side", num(static_cast<int>(d.side)));
    expect_value(f2, "eobi.ordtype", num(d.ord_type));
    expect_value(f2, "eobi.price", num(d.price));
    const auto exec = [&](const auto& x, uint32_t seq) {
      add_expected(f2, seq, x.kTemplateId, 56);
      expect_value(f2, "eobi.side", num(static_cast<int>(x.side)));
      expect_value(f2, "eobi.ordtype", num(x.ord_type));
      expect_value(f2, "eobi.algorithmictradeindicator", num(x.algorithmic_trade_indicator));
      expect_value(f2, "eobi.trdmatchid", num(x.trd_match_id));
      expect_value(f2, "eobi.price", num(x.price));
      expect_value(f2, "eobi.trdregtstimepriority", ts_text(x.trd_reg_ts_time_priority));
      expect_value(f2, "eobi.securityid", num(x.security_id));
      expect_value(f2, "eobi.lastqty", num(x.last_qty));
      expect_value(f2, "eobi.lastpx", num(x.last_px));
    };
    exec(fx, 103);
    exec(px, 104);
    expected.push_back(f2);
  }

  std::string cmd = tshark_base(pcap) + " -T fields -E separator=/t -E 'aggregator=|' -E occurrence=a";
  for (const std::string& f : kInteropFields) cmd += " -e " + f;
  const RunResult r = run(cmd);
  ASSERT_EQ(r.status, 0) << cmd;
  std::istringstream lines(r.out);
  std::string line;
  std::size_t frame = 0;
  while (std::getline(lines, line)) {
    ASSERT_LT(frame, expected.size()) << "extra output line: " << line;
    std::vector<std::string> cols;
    std::size_t start = 0;
    for (std::size_t pos; (pos = line.find('\t', start)) != std::string::npos; start = pos + 1) {
      cols.push_back(line.substr(start, pos - start));
    }
    cols.push_back(line.substr(start));
    ASSERT_EQ(cols.size(), kInteropFields.size()) << line;
    for (std::size_t i = 0; i < kInteropFields.size(); ++i) {
      std::string want;
      for (const std::string& v : expected[frame][kInteropFields[i]]) want += (want.empty() ? "" : "|") + v;
      EXPECT_EQ(cols[i], want) << "frame " << frame + 1 << " field " << kInteropFields[i];
    }
    ++frame;
  }
  EXPECT_EQ(frame, expected.size());

  // Nothing malformed; the only expert item is the PacketHeader template 13002, unknown to the 10.0
  // dissector.
  const RunResult malformed = run(tshark_base(pcap) + " -Y _ws.malformed");
  EXPECT_EQ(malformed.status, 0);
  EXPECT_EQ(malformed.out, "") << "tshark reports malformed packets";
  const RunResult expert = run(tshark_base(pcap) + " -T fields -E 'aggregator=|' -e _ws.expert.message");
  EXPECT_EQ(expert.out, "Unallocated Template ID: 13002\nUnallocated Template ID: 13002\n");
}

// One field as tshark's 10.0 dissector places it: offset from the message start and size.
struct SeenField {
  std::string name;
  int offset;
  int size;
};
struct SeenMessage {
  int template_id = 0;
  bool unknown = false;
  bool invalid_length = false;
  std::vector<SeenField> fields;
};

std::string attr(const std::string& line, const std::string& key) {
  const std::string k = " " + key + "=\"";
  const std::size_t p = line.find(k);
  if (p == std::string::npos) return {};
  const std::size_t s = p + k.size();
  return line.substr(s, line.find('"', s) - s);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Encodes every 14.1 template (one per frame, every field a distinct non-zero value), dissects with PDML and
// compares tshark's field placement with the 14.1 table. Writes the report to eobi_tshark_layout_diff.txt.
TEST(EobiTshark, LayoutDifferencesBetweenDissector10AndSpec141AreAsDocumented) {
  if (!tshark_available())
    GTEST_SKIP() << "tshark not found: install the Debian package tshark (apt-get install tshark)";
  const fs::path pcap = temp_path("layout.pcap");
  const RemoveAtExit cleanup{pcap};
  {
    PcapFile file(pcap);
    ASSERT_TRUE(file.ok());
    for (std::size_t i = 1; i < kTemplates.size(); ++i) {  // [0] is the PacketHeader
      const TemplateDesc& t = kTemplates[i];
      std::vector<std::byte> pkt(32 + t.root_len);
      (void)encode(PacketHeader{.appl_seq_num = static_cast<uint32_t>(i), .completion_indicator = 1},
                   pkt.data());
      std::byte* m = pkt.data() + 32;
      store_le<uint16_t>(m, t.root_len);
      store_le<uint16_t>(m + 2, t.id);
      store_le<uint32_t>(m + 4, static_cast<uint32_t>(i));
      for (const FieldDesc& f : t.fields) {
        for (std::size_t k = 0; k < field_width(f.type); ++k)
          m[f.offset + k] = std::byte{1};  // small, non-zero
      }
      file.add_udp(pkt);
    }
  }
  const RunResult r = run(tshark_base(pcap) + " -T pdml");
  ASSERT_EQ(r.status, 0);
  std::vector<SeenMessage> seen;
  int msg_start = 0;
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.find("<proto name=\"eobi\"") != std::string::npos) {
      // showname: "Enhanced Order Book Interface 10.0, OrderAdd (13100), BodyLen: 56"
      const std::string show = attr(line, "showname");
      const std::size_t close = show.find("), BodyLen");
      const std::size_t open = show.rfind('(', close);
      if (close == std::string::npos || open == std::string::npos) continue;
      const int id = std::stoi(show.substr(open + 1, close - open - 1));
      msg_start = std::stoi(attr(line, "pos"));
      seen.push_back({id, false, false, {}});
      continue;
    }
    const std::string name = attr(line, "name");
    if (seen.empty() || name.rfind("eobi.", 0) != 0) continue;
    if (name == "eobi.invalid_template") {
      seen.back().unknown = true;
      continue;
    }
    if (name == "eobi.invalid_length") {
      seen.back().invalid_length = true;
      continue;
    }
    if (name == "eobi.bodylen" || name == "eobi.templateid" || name == "eobi.msgseqnum") continue;
    const int size = std::stoi(attr(line, "size"));
    if (size == 0) continue;
    seen.back().fields.push_back({name.substr(5), std::stoi(attr(line, "pos")) - msg_start, size});
  }

  std::ostringstream report;
  std::map<int, std::string> verdict;  // template id -> identical | compatible | differs | unknown
  for (const SeenMessage& s : seen) {
    const TemplateDesc* t = find_template(static_cast<uint16_t>(s.template_id));
    if (t == nullptr || verdict.count(s.template_id) != 0) continue;  // the PacketHeader repeats per frame
    std::string v = "identical";
    std::ostringstream details;
    if (s.unknown) {
      v = "unknown";
    } else {
      for (const SeenField& sf : s.fields) {
        const FieldDesc* same_place = nullptr;
        for (const FieldDesc& f : t->fields) {
          if (f.offset == sf.offset && field_width(f.type) == static_cast<std::size_t>(sf.size))
            same_place = &f;
        }
        if (same_place == nullptr) {
          v = "differs";
          details << " 10.0:" << sf.name << "@" << sf.offset << "/" << sf.size << " not at a 14.1 field;";
        } else if (lower(same_place->name) != sf.name) {
          if (v == "identical") v = "compatible";
          details << " renamed " << same_place->name << "@" << sf.offset << " (10.0: " << sf.name << ");";
        }
      }
      for (const FieldDesc& f : t->fields) {
        bool found = false;
        for (const SeenField& sf : s.fields) found = found || sf.offset == f.offset;
        if (!found) {
          if (v == "identical") v = "compatible";
          details << " 14.1-only " << f.name << "@" << f.offset << ";";
        }
      }
      if (s.invalid_length) {
        v = "differs";
        details << " 10.0 flags BodyLen " << t->root_len << " as invalid;";
      }
    }
    verdict[s.template_id] = v;
    report << t->id << " " << t->name << " len=" << t->root_len << ": " << v << details.str() << "\n";
  }
  const fs::path out = fs::path(numi::testing::bin_dir()) / "eobi_tshark_layout_diff.txt";
  std::ofstream(out) << report.str();
  std::printf("%s", report.str().c_str());

  ASSERT_EQ(verdict.size(), kTemplates.size()) << report.str();
  // The interop templates: every field 10.0 shows sits exactly where 14.1 puts it (names/additions aside).
  for (uint16_t id : {template_id::kOrderAdd, template_id::kOrderDelete, template_id::kFullOrderExecution,
                      template_id::kPartialOrderExecution}) {
    EXPECT_TRUE(verdict[id] == "identical" || verdict[id] == "compatible") << id << "\n" << report.str();
  }
}

}  // namespace
}  // namespace numi::codec::eobi
