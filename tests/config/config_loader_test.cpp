// numi::config loader: defaults, the shipped config/numi.toml, strict validation messages (file, line, key,
// value, fix), several errors at once, syntax errors, describe() round trip, docs/config.md in sync.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "numi/config/config.hpp"
#include "numi/testing/paths.hpp"

namespace numi::config {
namespace {

using numi::testing::source_dir;

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Loads text that must fail and returns the error message.
std::string errors_of(std::string_view text, std::string_view name = "x.toml") {
  const auto r = load_string(text, name);
  EXPECT_FALSE(r.ok()) << "expected an error for:\n" << text;
  return r.ok() ? std::string() : r.error().message;
}

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string line; std::getline(ss, line);) out.push_back(line);
  return out;
}

#define NUMI_EXPECT_HAS(haystack, needle) EXPECT_NE((haystack).find(needle), std::string::npos) << (haystack)

TEST(ConfigDefaults, EmptyFileGivesDefaults) {
  const auto r = load_string("", "empty.toml");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, defaults());
  EXPECT_EQ(r->pool.size, 65536u);
  EXPECT_EQ(r->queues.rx_capacity, 8192u);
  EXPECT_EQ(r->runtime.idle, IdleStrategy::kBackoff);
  EXPECT_EQ(r->feed.protocol, Protocol::kItch);
  EXPECT_EQ(r->metrics.host, "127.0.0.1");
  EXPECT_EQ(r->metrics.port, 9464);
}

TEST(ConfigDefaults, DescribeOfDefaultsLoadsBackToDefaults) {
  const std::string text = describe(defaults());
  const auto r = load_string(text, "describe.toml");
  ASSERT_TRUE(r.ok()) << r.error().message << "\n" << text;
  EXPECT_EQ(*r, defaults());
  EXPECT_EQ(describe(*r), text);
}

TEST(ConfigShipped, NumiTomlLoadsCleanly) {
  const auto r = load_file(source_dir() + "/config/numi.toml");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->book.instruments.size(), 2u);
  EXPECT_EQ(r->book.instruments[0].symbol, "AAPL");
  EXPECT_EQ(r->book.instruments[1].id, 2u);
  EXPECT_EQ(r->runtime.placement, Placement::kDedicated);
}

TEST(ConfigShipped, NumiTomlSetsEveryKeyOfTheSchema) {
  const std::string text = read_text(source_dir() + "/config/numi.toml");
  ASSERT_FALSE(text.empty());
  for (const auto& key : all_keys()) {
    const std::string leaf = key.substr(key.rfind('.') + 1);
    if (key == "book.instrument") {
      NUMI_EXPECT_HAS(text, "[[book.instrument]]");
    } else {
      NUMI_EXPECT_HAS(text, "\n" + leaf + " = ") << " missing key " << key;
    }
  }
}

TEST(ConfigShipped, DocsEmbedTheGeneratedReferenceTable) {
  const std::string docs = read_text(source_dir() + "/docs/config.md");
  const std::string table = reference_table();
  if (docs.find(table) == std::string::npos) {
    const std::string out = numi::testing::bin_dir() + "/config_reference_table.md";
    std::ofstream(out) << table;
    FAIL()
        << "docs/config.md does not contain the current reference table; the expected table was written to "
        << out << ": paste it into docs/config.md";
  }
}

TEST(ConfigDescribe, RoundTripsANonDefaultConfig) {
  const char* text =
      "[feed]\nprotocol = \"eobi\"\n"
      "[pool]\nsize = 100000\nmlock = true\n"
      "[book]\ndefault_tick = 5\n"
      "[[book.instrument]]\nid = 7\nsymbol = \"BRK.B\"\n"
      "[[book.instrument]]\nid = 9\nsymbol = \"X\"\ntick = 25\n"
      "[runtime]\nplacement = \"shared\"\nidle = \"spin_pause\"\nengine_cpu = 1\nrx_cpus = [1, 1]\n"
      "realtime_priority = 10\n"
      "[metrics]\nlisten = \"[::1]:9100\"\nenabled = false\n";
  const auto a = load_string(text, "a.toml");
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->book.instruments[0].tick, 5u) << "tick defaults to book.default_tick";
  EXPECT_EQ(a->book.instruments[1].tick, 25u);
  EXPECT_EQ(a->metrics.host, "::1");
  EXPECT_EQ(a->metrics.port, 9100);
  const auto b = load_string(describe(*a), "b.toml");
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(*a, *b);
  EXPECT_NE(describe(*a), describe(defaults()));
}

TEST(ConfigErrors, UnknownKeyNamesLineKeySuggestionAndAllowedKeys) {
  const std::string e = errors_of(
      "[pool]\n"      // 1
      "size = 1\n"    // 2 (also too small for the queues: a second error)
      "sise = 5\n");  // 3
  NUMI_EXPECT_HAS(e,
                  "x.toml:3: unknown key 'pool.sise' (did you mean 'pool.size'?); "
                  "allowed keys in [pool]: size, max_packet_size, mlock, prefault");
}

TEST(ConfigErrors, UnknownKeysAtEveryLevelAreRejected) {
  const std::string e = errors_of(
      "size = 1\n"             // 1: top level, belongs in [pool]
      "[poool]\n"              // 2: misspelt section
      "[[book.instrument]]\n"  // 3
      "id = 1\n"               // 4
      "symbol = \"A\"\n"       // 5
      "tik = 3\n");            // 6: inside an array-of-tables entry
  NUMI_EXPECT_HAS(
      e, "x.toml:1: unknown key 'size' (did you mean 'pool.size'?); allowed top-level tables: feed, pool");
  NUMI_EXPECT_HAS(e, "x.toml:2: unknown key 'poool' (did you mean 'pool'?)");
  NUMI_EXPECT_HAS(e,
                  "x.toml:6: unknown key 'book.instrument[0].tik' (did you mean 'book.instrument[0].tick'?); "
                  "allowed keys in [[book.instrument]]: id, symbol, tick");
}

TEST(ConfigErrors, WrongTypeNamesExpectedAndGivenType) {
  const std::string e = errors_of(
      "[pool]\n"          // 1
      "\n"                // 2
      "\n"                // 3
      "size = \"big\"\n"  // 4
      "mlock = 1\n");     // 5
  NUMI_EXPECT_HAS(e, "x.toml:4: pool.size: expected an integer, got a string (\"big\")");
  NUMI_EXPECT_HAS(e, "x.toml:5: pool.mlock: expected a boolean (true or false), got an integer (1)");
}

TEST(ConfigErrors, SectionThatIsNotATableIsRejected) {
  const std::string e = errors_of("pool = 5\n");
  NUMI_EXPECT_HAS(e, "x.toml:1: pool: expected a table, got an integer (5): write it as a [pool] section");
}

TEST(ConfigErrors, OutOfRangeValueNamesAllowedRange) {
  const std::string e = errors_of(
      "[pool]\n"                   // 1
      "max_packet_size = 10\n"     // 2
      "[runtime]\n"                // 3
      "realtime_priority = 100\n"  // 4
      "rx_cpus = [1, 5000]\n");    // 5
  NUMI_EXPECT_HAS(
      e, "x.toml:2: pool.max_packet_size = 10: out of range; allowed: 64..65535 (bytes per packet buffer");
  NUMI_EXPECT_HAS(e, "x.toml:4: runtime.realtime_priority = 100: out of range; allowed: 0..99");
  NUMI_EXPECT_HAS(e, "x.toml:5: runtime.rx_cpus[1] = 5000: out of range; allowed: 0..1023");
}

TEST(ConfigErrors, NonPowerOfTwoQueueSuggestsNextPowerOfTwo) {
  const std::string e = errors_of(
      "[queues]\n"                       // 1
      "rx_capacity = 5000\n"             // 2
      "recovery_capacity = 1000000\n");  // 3
  NUMI_EXPECT_HAS(e,
                  "x.toml:2: queues.rx_capacity = 5000: must be a power of two in 2..1048576: use 8192 "
                  "(the next power of two)");
  NUMI_EXPECT_HAS(
      e, "x.toml:3: queues.recovery_capacity = 1000000: must be a power of two in 2..1048576: use 1048576");
}

TEST(ConfigErrors, PoolSmallerThanQueuesIsRejectedWithTheFormula) {
  std::string text;
  for (int i = 1; i <= 10; ++i) text += "# comment line " + std::to_string(i) + "\n";
  text += "[pool]\n";      // 11
  text += "size = 100\n";  // 12
  const std::string e = errors_of(text, "config/numi.toml");
  EXPECT_EQ(e,
            "config/numi.toml:12: pool.size = 100: must be >= queues.rx_capacity * queues.rx_queues + "
            "queues.recovery_capacity (= 20480): raise pool.size or lower the queue capacities");
}

TEST(ConfigErrors, DefaultPoolTooSmallPointsAtTheQueueLine) {
  const std::string e = errors_of(
      "[queues]\n"               // 1
      "rx_capacity = 65536\n");  // 2
  NUMI_EXPECT_HAS(e,
                  "x.toml:2: pool.size = 65536 (default): must be >= queues.rx_capacity * queues.rx_queues + "
                  "queues.recovery_capacity (= 135168)");
}

TEST(ConfigErrors, DuplicateInstrumentIdNamesBothLines) {
  const std::string e = errors_of(
      "[[book.instrument]]\n"  // 1
      "id = 42\n"              // 2
      "symbol = \"A\"\n"       // 3
      "[[book.instrument]]\n"  // 4
      "id = 42\n"              // 5
      "symbol = \"B\"\n");     // 6
  NUMI_EXPECT_HAS(e,
                  "x.toml:5: book.instrument[1].id = 42: duplicate instrument id; first defined at line 2 "
                  "(book.instrument[0]): give each [[book.instrument]] a unique id");
}

TEST(ConfigErrors, InstrumentNeedsIdAndAValidSymbol) {
  const std::string e = errors_of(
      "[[book.instrument]]\n"      // 1
      "symbol = \"TOOLONGSYM\"\n"  // 2
      "[[book.instrument]]\n"      // 3
      "id = 3\n"                   // 4
      "symbol = \" PAD\"\n");      // 5
  NUMI_EXPECT_HAS(e, "x.toml:1: book.instrument[0]: missing required key 'id'");
  NUMI_EXPECT_HAS(e, "add id = ... to this [[book.instrument]] table");
  NUMI_EXPECT_HAS(
      e, "x.toml:2: book.instrument[0].symbol = \"TOOLONGSYM\": length 10 is out of range; allowed: 1..8");
  NUMI_EXPECT_HAS(e, "x.toml:5: book.instrument[1].symbol = \" PAD\": has a leading or trailing space");
}

TEST(ConfigErrors, TooManyInstrumentsForMaxInstruments) {
  const std::string e = errors_of(
      "[book]\n"                                         // 1
      "max_instruments = 1\n"                            // 2
      "[[book.instrument]]\nid = 1\nsymbol = \"A\"\n"    // 3-5
      "[[book.instrument]]\nid = 2\nsymbol = \"B\"\n");  // 6-8
  NUMI_EXPECT_HAS(e,
                  "x.toml:2: book.max_instruments = 1: 2 [[book.instrument]] tables exceed it: raise "
                  "book.max_instruments to at least 2 or remove instruments");
}

TEST(ConfigErrors, BadListenAddressIsRejectedWithAnExample) {
  for (const char* bad :
       {"localhost", "1.2.3.4:0", "1.2.3.4:70000", "::1:80", "host:http", ":80", "[::1]80"}) {
    const std::string text = std::string("[metrics]\nlisten = \"") + bad + "\"\n";
    const std::string e = errors_of(text);
    NUMI_EXPECT_HAS(e, std::string("x.toml:2: metrics.listen = \"") + bad + "\": ");
    NUMI_EXPECT_HAS(e, "must be host:port with port 1..65535, e.g. \"127.0.0.1:9464\"");
  }
  for (const char* good : {"0.0.0.0:1", "metrics.internal:65535", "[::]:9464"}) {
    const auto r = load_string(std::string("[metrics]\nlisten = \"") + good + "\"\n", "x.toml");
    EXPECT_TRUE(r.ok()) << good << ": " << r.error().message;
  }
}

TEST(ConfigErrors, EnumTypoSuggestsTheClosestChoice) {
  const std::string e = errors_of("[runtime]\nidle = \"busyspin\"\n");
  NUMI_EXPECT_HAS(
      e,
      "x.toml:2: runtime.idle = \"busyspin\": not an allowed value (did you mean \"busy_spin\"?); "
      "allowed: \"busy_spin\", \"spin_pause\", \"yield\", \"sleep\", \"backoff\"");
}

TEST(ConfigErrors, RxCpusMustMatchQueuesAndBeDistinctWhenDedicated) {
  const std::string e1 = errors_of("[runtime]\nrx_cpus = [1, 2, 3]\n");
  NUMI_EXPECT_HAS(
      e1,
      "x.toml:2: runtime.rx_cpus = [1, 2, 3]: lists 3 CPUs but queues.rx_queues = 2 (default): list "
      "exactly one CPU per RX queue, or [] for no pinning");
  const std::string e2 = errors_of("[runtime]\nrx_cpus = [1, 1]\nengine_cpu = 1\n");
  NUMI_EXPECT_HAS(
      e2, "runtime.rx_cpus = [1, 1]: CPU 1 is listed twice but runtime.placement = \"dedicated\" (default)");
  NUMI_EXPECT_HAS(e2, "x.toml:3: runtime.engine_cpu = 1: also in runtime.rx_cpus [1, 1]");
}

TEST(ConfigErrors, RefdataCsvMustExistWhenSet) {
  const std::string e = errors_of("[book]\nrefdata_csv = \"/nonexistent/numi/ref.csv\"\n");
  NUMI_EXPECT_HAS(
      e,
      "x.toml:2: book.refdata_csv = \"/nonexistent/numi/ref.csv\": file does not exist: fix the path, "
      "or set \"\" for no reference-data file");
  const auto dir = std::filesystem::temp_directory_path();
  const auto path = dir / ("numi_config_test_refdata_" + std::to_string(::getpid()) + ".csv");
  std::ofstream(path) << "id,tick\n1,100\n";
  const auto r = load_string("[book]\nrefdata_csv = \"" + path.string() + "\"\n", "x.toml");
  std::filesystem::remove(path);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->book.refdata_csv, path.string());
}

TEST(ConfigErrors, ReportsEveryErrorOnePerLineSortedByLine) {
  const std::string e = errors_of(
      "[pool]\n"               // 1
      "max_packet_size = 1\n"  // 2
      "[queues]\n"             // 3
      "rx_capacity = 3\n"      // 4
      "[runtime]\n"            // 5
      "idle = \"nap\"\n"       // 6
      "[metrics]\n"            // 7
      "listen = 9464\n"        // 8
      "bogus = true\n");       // 9
  const auto lines = lines_of(e);
  ASSERT_EQ(lines.size(), 5u) << e;
  EXPECT_EQ(lines[0].rfind("x.toml:2: pool.max_packet_size = 1:", 0), 0u) << lines[0];
  EXPECT_EQ(lines[1].rfind("x.toml:4: queues.rx_capacity = 3:", 0), 0u) << lines[1];
  EXPECT_EQ(lines[2].rfind("x.toml:6: runtime.idle = \"nap\":", 0), 0u) << lines[2];
  EXPECT_EQ(lines[3].rfind("x.toml:8: metrics.listen: expected a string, got an integer (9464)", 0), 0u)
      << lines[3];
  EXPECT_EQ(lines[4].rfind("x.toml:9: unknown key 'metrics.bogus'", 0), 0u) << lines[4];
}

TEST(ConfigErrors, ControlCharactersInKeysCannotBreakTheOneErrorPerLineFormat) {
  const std::string e = errors_of("[pool]\n\"a\\nb\" = 1\n");
  EXPECT_EQ(lines_of(e).size(), 1u) << e;
  NUMI_EXPECT_HAS(e, "unknown key 'pool.\"a\\nb\"'");
}

TEST(ConfigErrors, HugeNumberOfErrorsIsCappedWithACount) {
  std::string text = "[pool]\n";
  for (int i = 0; i < 150; ++i) {
    text += 'k';
    text += std::to_string(i);
    text += " = 1\n";
  }
  const auto lines = lines_of(errors_of(text));
  ASSERT_EQ(lines.size(), 101u);
  NUMI_EXPECT_HAS(lines.back(), "x.toml: ... and 50 more errors not shown");
}

TEST(ConfigErrors, SyntaxErrorNamesLineAndColumn) {
  const std::string e = errors_of(
      "[pool]\n"        // 1
      "size = = 3\n");  // 2
  EXPECT_EQ(e.rfind("x.toml:2:", 0), 0u) << e;
  NUMI_EXPECT_HAS(e, ": TOML syntax error: ");
  const auto col_end = e.find(':', 9);
  ASSERT_NE(col_end, std::string::npos);
  EXPECT_GT(std::stoi(e.substr(9, col_end - 9)), 0) << e;
  EXPECT_EQ(lines_of(e).size(), 1u);
}

TEST(ConfigSyntax, DottedKeysInlineTablesAndCrlfLineEndingsAreEquivalent) {
  const auto a = load_string("pool.size = 40000\r\nqueues = { rx_queues = 1 }\r\n", "a.toml");
  const auto b = load_string("[pool]\nsize = 40000\n[queues]\nrx_queues = 1\n", "b.toml");
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(a->pool.size, 40000u);
  const std::string e = errors_of("# a\r\n[pool]\r\nsize = 0\r\n");
  NUMI_EXPECT_HAS(e, "x.toml:3: pool.size = 0: out of range");
}

TEST(ConfigFile, MissingFileNamesThePath) {
  const auto r = load_file("/nonexistent/numi.toml");
  ASSERT_FALSE(r.ok());
  NUMI_EXPECT_HAS(r.error().message, "/nonexistent/numi.toml: cannot open config file");
  const auto d = load_file("/");
  ASSERT_FALSE(d.ok());
  NUMI_EXPECT_HAS(d.error().message, "not a regular file");
}

TEST(ConfigFile, ErrorsFromAFileNameThatFile) {
  const auto path =
      std::filesystem::temp_directory_path() / ("numi_config_test_" + std::to_string(::getpid()) + ".toml");
  std::ofstream(path) << "[pool]\nsize = 0\n";
  const auto r = load_file(path.string());
  std::filesystem::remove(path);
  ASSERT_FALSE(r.ok());
  NUMI_EXPECT_HAS(r.error().message, path.string() + ":2: pool.size = 0: out of range; allowed: 1..16777216");
}

}  // namespace
}  // namespace numi::config
