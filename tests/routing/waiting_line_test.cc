#include "routing/waiting_line.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iterator>
#include <random>
#include <set>
#include <vector>

namespace acd::routing {
namespace {

WaitingKey Key(int priority, int second, std::uint64_t contact) {
  return MakeWaitingKey(priority, Timestamp(std::chrono::seconds(second)), contact);
}

TEST(ChunkedLineTest, KeepsKeysInRoutingOrder) {
  ChunkedLine line;
  EXPECT_TRUE(line.Insert(Key(5, 10, 1)));
  EXPECT_TRUE(line.Insert(Key(9, 20, 2)));  // Higher priority: ahead of an older contact.
  EXPECT_TRUE(line.Insert(Key(5, 5, 3)));   // Earlier virtual start: ahead within its priority.
  EXPECT_FALSE(line.Insert(Key(5, 5, 3)));  // Already there.
  const std::vector<WaitingKey> order(line.begin(), line.end());
  EXPECT_EQ(order, (std::vector<WaitingKey>{Key(9, 20, 2), Key(5, 5, 3), Key(5, 10, 1)}));
  EXPECT_EQ(line.CountBefore(Key(5, 10, 1)), 2u);
  EXPECT_TRUE(line.Erase(Key(9, 20, 2)));
  EXPECT_FALSE(line.Erase(Key(9, 20, 2)));
  EXPECT_EQ(line.CountBefore(Key(5, 10, 1)), 1u);
  EXPECT_EQ(line.size(), 2u);
}

// Random inserts and erases, in the patterns a queue sees (joining at the tail, leaving from the
// head, going back to a virtual place in the middle), checked against std::set after each step
// across many chunk splits and merges.
TEST(ChunkedLineTest, AgreesWithAnOrderedSetUnderRandomUse) {
  std::mt19937_64 random(7);
  ChunkedLine line;
  std::set<WaitingKey> reference;
  std::uint64_t next = 1;
  int clock = 0;
  for (int step = 0; step < 20'000; ++step) {
    const int roll = std::uniform_int_distribution<int>(0, 9)(random);
    if (roll < 4 || reference.empty()) {  // Joins now, at the tail of its priority.
      const WaitingKey key = Key(std::uniform_int_distribution<int>(0, 2)(random), ++clock, next++);
      ASSERT_TRUE(line.Insert(key));
      reference.insert(key);
    } else if (roll < 6) {  // Goes back to an earlier virtual place.
      const int start = std::uniform_int_distribution<int>(0, clock)(random);
      const WaitingKey key = Key(std::uniform_int_distribution<int>(0, 2)(random), start, next++);
      ASSERT_TRUE(line.Insert(key));
      reference.insert(key);
    } else if (roll < 8) {  // The head is taken.
      ASSERT_TRUE(line.Erase(*reference.begin()));
      reference.erase(reference.begin());
    } else {  // Any contact leaves (abandons).
      auto it = reference.begin();
      std::advance(it, std::uniform_int_distribution<std::size_t>(0, reference.size() - 1)(random));
      ASSERT_TRUE(line.Erase(*it));
      reference.erase(it);
    }
    ASSERT_EQ(line.size(), reference.size());
    if (step % 97 == 0) {
      ASSERT_TRUE(std::equal(line.begin(), line.end(), reference.begin(), reference.end()));
    }
    const WaitingKey probe = Key(std::uniform_int_distribution<int>(0, 2)(random),
                                 std::uniform_int_distribution<int>(0, clock)(random), 0);
    const auto expected = reference.lower_bound(probe);
    ASSERT_EQ(line.CountBefore(probe),
              static_cast<std::size_t>(std::distance(reference.begin(), expected)));
    const auto found = line.lower_bound(probe);
    if (expected == reference.end()) {
      ASSERT_TRUE(found == line.end());
    } else {
      ASSERT_EQ(*found, *expected);
    }
  }
}

TEST(WaitingLineTest, PositionCountsEveryChannelAndOldestStartEveryPriority) {
  WaitingLine waiting;
  waiting.Insert(Channel::kVoice, Key(5, 30, 1));
  waiting.Insert(Channel::kChat, Key(5, 10, 2));
  waiting.Insert(Channel::kVoice, Key(7, 40, 3));
  EXPECT_EQ(waiting.Position(Key(7, 40, 3)), 1);
  EXPECT_EQ(waiting.Position(Key(5, 10, 2)), 2);
  EXPECT_EQ(waiting.Position(Key(5, 30, 1)), 3);
  EXPECT_EQ(waiting.OldestStart(), Timestamp(std::chrono::seconds(10)));
  waiting.Erase(Channel::kChat, Key(5, 10, 2));
  EXPECT_EQ(waiting.OldestStart(), Timestamp(std::chrono::seconds(30)));
  EXPECT_EQ(waiting.size(), 2);
}

}  // namespace
}  // namespace acd::routing
