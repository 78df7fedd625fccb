// ItchFileReader: plain (mmap) and gzip give the same messages; truncated files and open failures are errors.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "numi/codec/itch/day_generator.hpp"
#include "numi/codec/itch/file_reader.hpp"

namespace itch = numi::codec::itch;
namespace fs = std::filesystem;

namespace {

fs::path temp_dir() {
  fs::path d = fs::temp_directory_path() / ("numi_itch_reader_" + std::to_string(::getpid()));
  fs::create_directories(d);
  return d;
}

void write_file(const fs::path& p, const std::vector<std::byte>& bytes) {
  std::ofstream f(p, std::ios::binary);
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

void write_gz(const fs::path& p, const std::vector<std::byte>& bytes) {
  gzFile gz = gzopen(p.c_str(), "wb1");
  ASSERT_NE(gz, nullptr);
  // Several small writes so the stream has many deflate blocks.
  std::size_t off = 0;
  while (off < bytes.size()) {
    const std::size_t n = std::min<std::size_t>(7777, bytes.size() - off);
    ASSERT_EQ(gzwrite(gz, bytes.data() + off, static_cast<unsigned>(n)), static_cast<int>(n));
    off += n;
  }
  ASSERT_EQ(gzclose(gz), Z_OK);
}

std::vector<std::vector<std::byte>> read_all(itch::ItchFileReader& r) {
  std::vector<std::vector<std::byte>> out;
  std::span<const std::byte> msg;
  while (r.next(msg)) out.emplace_back(msg.begin(), msg.end());
  return out;
}

class ItchFileReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = temp_dir();
    itch::ItchDayOptions o;
    o.seed = 7;
    o.symbols = 20;
    o.messages = 60'000;  // ~1.8 MB: several 1 MiB gzip refills
    bytes_ = itch::generate_itch_day_bytes(o);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
  std::vector<std::byte> bytes_;
};

}  // namespace

TEST_F(ItchFileReaderTest, PlainAndGzipYieldIdenticalMessageSequences) {
  write_file(dir_ / "day.itch", bytes_);
  write_gz(dir_ / "day.itch.gz", bytes_);
  auto plain = itch::ItchFileReader::open((dir_ / "day.itch").string());
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  auto gz = itch::ItchFileReader::open((dir_ / "day.itch.gz").string());
  ASSERT_TRUE(gz.ok()) << gz.error().message;
  EXPECT_FALSE(plain->compressed());
  EXPECT_TRUE(gz->compressed());
  const auto a = read_all(*plain);
  const auto b = read_all(*gz);
  EXPECT_EQ(plain->status(), itch::ReadStatus::kEnd);
  EXPECT_EQ(gz->status(), itch::ReadStatus::kEnd);
  EXPECT_EQ(a.size(), 60'000u);
  EXPECT_EQ(plain->messages(), 60'000u);
  ASSERT_EQ(a.size(), b.size());
  EXPECT_TRUE(a == b);
  auto mem = itch::ItchFileReader::from_memory(bytes_);
  EXPECT_TRUE(read_all(mem) == a);
}

TEST_F(ItchFileReaderTest, GzipDetectionUsesMagicNotTheFileName) {
  write_gz(dir_ / "day.bin", bytes_);
  auto r = itch::ItchFileReader::open((dir_ / "day.bin").string());
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->compressed());
  EXPECT_EQ(read_all(*r).size(), 60'000u);
}

TEST_F(ItchFileReaderTest, TruncatedFinalRecordIsReportedInBothFormats) {
  std::vector<std::byte> cut(bytes_.begin(), bytes_.end() - 5);  // last record loses 5 bytes
  write_file(dir_ / "cut.itch", cut);
  write_gz(dir_ / "cut.itch.gz", cut);
  for (const char* name : {"cut.itch", "cut.itch.gz"}) {
    auto r = itch::ItchFileReader::open((dir_ / name).string());
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(read_all(*r).size(), 60'000u - 1) << name;
    EXPECT_EQ(r->status(), itch::ReadStatus::kTruncated) << name;
    EXPECT_NE(r->error_message().find(name), std::string::npos) << r->error_message();
  }
}

TEST_F(ItchFileReaderTest, HalfALengthPrefixIsTruncated) {
  std::vector<std::byte> bytes(bytes_.begin(), bytes_.begin() + 14);  // S message (2+12), then 1 byte
  bytes.push_back(std::byte{0});
  auto r = itch::ItchFileReader::from_memory(bytes);
  EXPECT_EQ(read_all(r).size(), 1u);
  EXPECT_EQ(r.status(), itch::ReadStatus::kTruncated);
}

TEST_F(ItchFileReaderTest, EmptyFileEndsCleanly) {
  write_file(dir_ / "empty.itch", {});
  auto r = itch::ItchFileReader::open((dir_ / "empty.itch").string());
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(read_all(*r).empty());
  EXPECT_EQ(r->status(), itch::ReadStatus::kEnd);
}

TEST(ItchFileReader, OpenFailureNamesThePathAndErrno) {
  auto r = itch::ItchFileReader::open("/nonexistent/numi/day.itch");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("/nonexistent/numi/day.itch"), std::string::npos);
  EXPECT_NE(r.error().message.find("No such file"), std::string::npos) << r.error().message;
}
