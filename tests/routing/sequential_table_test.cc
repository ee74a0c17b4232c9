#include "routing/sequential_table.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace acd::routing {
namespace {

TEST(SequentialTableTest, FindsWhatIsHeldAndNothingElse) {
  SequentialTable<std::string> table;
  EXPECT_EQ(table.Find(1), nullptr);
  table.Insert(1, std::make_unique<std::string>("one"));
  table.Insert(2, std::make_unique<std::string>("two"));
  table.Insert(5, std::make_unique<std::string>("five"));  // 3 and 4 never issued
  EXPECT_EQ(table.At(2), "two");
  EXPECT_EQ(table.Find(3), nullptr);
  EXPECT_EQ(table.At(5), "five");
  EXPECT_EQ(table.Find(6), nullptr);
  EXPECT_EQ(table.size(), 3u);
  table.Erase(1);
  EXPECT_EQ(table.Find(1), nullptr);
  EXPECT_EQ(table.At(2), "two");
  table.Erase(5);
  table.Erase(2);
  EXPECT_EQ(table.size(), 0u);
  table.Insert(7, std::make_unique<std::string>("seven"));
  EXPECT_EQ(table.At(7), "seven");
}

TEST(SequentialTableTest, ALongLivedObjectOutlivesTheSlotsOfYoungerOnes) {
  SequentialTable<int> table;
  for (std::uint64_t id = 1; id <= 10'000; ++id) table.Insert(id, std::make_unique<int>(id));
  // Everything but the first goes, in order: the first moves aside rather than keeping 10,000
  // dead slots behind it.
  for (std::uint64_t id = 2; id <= 10'000; ++id) table.Erase(id);
  EXPECT_EQ(table.size(), 1u);
  EXPECT_EQ(table.At(1), 1);
  EXPECT_EQ(table.Find(5'000), nullptr);
  table.Insert(10'001, std::make_unique<int>(10'001));
  EXPECT_EQ(table.At(10'001), 10'001);
  table.Erase(1);
  EXPECT_EQ(table.Find(1), nullptr);
  EXPECT_EQ(table.size(), 1u);
}

}  // namespace
}  // namespace acd::routing
