// Reference-data CSV: column aliases, optional ladders, and errors naming file, line and column.
#include "numi/book/refdata.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace numi::book {
namespace {

TEST(Refdata, ParsesCanonicalHeader) {
  auto r = parse_refdata_csv("id,symbol,tick\n1,AAPL,100\n2,\"MSFT, Inc\",1\n", "ref.csv");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].venue_id, 1u);
  EXPECT_EQ((*r)[0].symbol, "AAPL");
  EXPECT_EQ((*r)[0].tick.tick(), 100);
  EXPECT_EQ((*r)[1].symbol, "MSFT, Inc");
}

TEST(Refdata, AcceptsColumnAliasesInAnyCaseAndOrderAndIgnoresOtherColumns) {
  const char* variants[] = {
      "Stock_Locate,Stock,Tick_Size,Extra\r\n# comment\n\n7, IBM ,100,x\r\n",
      "ticker,min_price_increment,SecurityID\nIBM,100,7\n",
      "locate,name,ticksize\n7,IBM,100\n",
      "security_id,symbol,tick\n7,IBM,100\n",
  };
  for (const char* text : variants) {
    auto r = parse_refdata_csv(text, "v.csv");
    ASSERT_TRUE(r.ok()) << text << ": " << r.error().message;
    ASSERT_EQ(r->size(), 1u);
    EXPECT_EQ((*r)[0].venue_id, 7u);
    EXPECT_EQ((*r)[0].symbol, "IBM");
    EXPECT_EQ((*r)[0].tick.tick(), 100);
  }
}

TEST(Refdata, ReadsOptionalLadderAndPriceRange) {
  auto r =
      parse_refdata_csv("id,symbol,tick,tick_bands,min_price,max_price\n1,X,1,10000:100,1,99999900\n", "f");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const TickTable& t = (*r)[0].tick;
  EXPECT_EQ(t.check(9'999), ApplyStatus::kOk);
  EXPECT_EQ(t.check(10'001), ApplyStatus::kOffTickPrice);
  EXPECT_EQ(t.check(100'000'000), ApplyStatus::kBadPrice);
}

TEST(Refdata, MissingColumnErrorNamesFileLineAndAcceptedNames) {
  auto r = parse_refdata_csv("id,symbol\n1,X\n", "refs/x.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("refs/x.csv:1"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("'tick'"), std::string::npos);
  EXPECT_NE(r.error().message.find("min_price_increment"), std::string::npos);
}

TEST(Refdata, BadValuesNameLineColumnAndValue) {
  struct Case {
    const char* text;
    const char* want;
  } cases[] = {
      {"id,symbol,tick\n1,X,100\n2,Y,abc\n", "f.csv:3: column 'tick' (column 3): value 'abc'"},
      {"id,symbol,tick\n-1,X,100\n", "f.csv:2: column 'id' (column 1): value '-1'"},
      {"id,symbol,tick\n1,X,0\n", "f.csv:2: column 'tick' (column 3): value '0'"},
      {"id,symbol,tick\n1,,5\n", "f.csv:2: column 'symbol' (column 2)"},
      {"id,symbol,tick\n1,X,5\n1,Y,5\n", "f.csv:3: column 'id' (column 1): value '1' repeats"},
      {"id,symbol,tick\n1,X\n", "f.csv:2: row has 2 fields"},
      {"id,symbol,tick,tick_bands\n1,X,1,10000-100\n", "f.csv:2: column 'tick_bands' (column 4)"},
      {"", "f.csv: no header row"},
  };
  for (const Case& c : cases) {
    auto r = parse_refdata_csv(c.text, "f.csv");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_NE(r.error().message.find(c.want), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("fix"), std::string::npos) << r.error().message;
  }
}

TEST(Refdata, LoadsFileAndRegistersInstruments) {
  const std::string path = ::testing::TempDir() + "numi_refdata_test.csv";
  {
    std::ofstream out(path);
    out << "locate,stock,tick\n1,AAPL,100\n2,MSFT,100\n";
  }
  auto specs = load_refdata_csv(path);
  ASSERT_TRUE(specs.ok()) << specs.error().message;
  BookLimits l;
  l.max_instruments = 4;
  l.max_orders = 16;
  l.max_levels = 16;
  l.order_id_capacity = 16;
  auto book = OrderBook::create(l);
  ASSERT_TRUE(book.ok());
  ASSERT_TRUE(register_instruments(*book.value(), specs.value()).ok());
  EXPECT_EQ(book.value()->find_instrument(2), 1u);
  EXPECT_EQ(book.value()->instrument(1).symbol, "MSFT");
  std::remove(path.c_str());
  auto missing = load_refdata_csv(path);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find(path), std::string::npos);
}

}  // namespace
}  // namespace numi::book
