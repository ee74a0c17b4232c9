// MinuteRing: today's tally and the sliding windows across minutes, gaps and a snapshot.

#include <gtest/gtest.h>

#include <chrono>

#include "routing/statistics.h"

namespace acd::routing {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

const Timestamp kStart{std::chrono::hours(24 * 1000)};

ContactTally Offered(std::uint32_t n) { return ContactTally{.offered = n}; }

TEST(MinuteRingTest, WindowsCountTheirMinutesAndTodayCountsAll) {
  MinuteRing<ContactTally> ring;
  ring.Add(kStart, Offered(1));
  ring.Add(kStart + seconds(59), Offered(2));
  ring.Add(kStart + minutes(1), Offered(4));
  ring.Add(kStart + minutes(14), Offered(8));
  ring.Add(kStart + minutes(14) + seconds(30), Offered(16));

  const Timestamp now = kStart + minutes(14) + seconds(45);
  EXPECT_EQ(ring.Window(now, 1).offered, 24U);
  EXPECT_EQ(ring.Window(now, 14).offered, 28U);  // From minute 1 on.
  EXPECT_EQ(ring.Window(now, 15).offered, 31U);
  EXPECT_EQ(ring.today().offered, 31U);
}

TEST(MinuteRingTest, AnOlderMinuteStillInTheWindowIsCountedInIt) {
  MinuteRing<ContactTally> ring;
  ring.Add(kStart + minutes(5), Offered(1));
  ring.Add(kStart + minutes(2), Offered(2));  // A timer due earlier, fired late.
  EXPECT_EQ(ring.Window(kStart + minutes(5), 1).offered, 1U);
  EXPECT_EQ(ring.Window(kStart + minutes(5), 4).offered, 3U);
}

TEST(MinuteRingTest, MinutesAnHourOldLeaveTheWindowsButNotToday) {
  MinuteRing<ContactTally> ring;
  ring.Add(kStart, Offered(1));
  ring.Add(kStart + minutes(30), Offered(2));
  ring.Add(kStart + minutes(60), Offered(4));
  EXPECT_EQ(ring.Window(kStart + minutes(60), 60).offered, 6U);
  ring.Add(kStart + minutes(200), Offered(8));  // Hours later: only this minute is left.
  EXPECT_EQ(ring.Window(kStart + minutes(200), 60).offered, 8U);
  ring.Add(kStart + minutes(100), Offered(16));  // Beyond the hour: today only.
  EXPECT_EQ(ring.Window(kStart + minutes(200), 60).offered, 8U);
  EXPECT_EQ(ring.today().offered, 31U);
}

TEST(MinuteRingTest, ANewDayLeavesYesterdaysLatestMinuteOutOfToday) {
  MinuteRing<ContactTally> ring;
  ring.Add(kStart - seconds(30), Offered(1));
  ring.Add(kStart - minutes(5), Offered(2));
  ring.ResetToday();
  EXPECT_EQ(ring.today().offered, 0U);
  ring.Add(kStart, Offered(4));
  ring.Add(kStart + seconds(10), Offered(8));
  EXPECT_EQ(ring.today().offered, 12U);
  EXPECT_EQ(ring.Window(kStart, 15).offered, 15U);  // Windows run across midnight.
}

TEST(MinuteRingTest, AMidnightWithinAMinuteCountsTheRestOfThatMinuteInTheNewDay) {
  MinuteRing<ContactTally> ring;
  ring.Add(kStart + seconds(10), Offered(1));
  ring.ResetToday();
  ring.Add(kStart + seconds(40), Offered(2));
  ring.Add(kStart + minutes(1), Offered(4));
  EXPECT_EQ(ring.today().offered, 6U);
  EXPECT_EQ(ring.Window(kStart + minutes(1), 2).offered, 7U);
}

TEST(MinuteRingTest, TimeOutsideTheWindowsCountsInTodayAlone) {
  MinuteRing<ContactTally> ring;
  ring.Add(kStart, Offered(1));
  ring.AddToToday(Offered(2));
  EXPECT_EQ(ring.today().offered, 3U);
  EXPECT_EQ(ring.Window(kStart, 60).offered, 1U);
}

TEST(MinuteRingTest, RestoringWhatItGaveKeepsEveryWindow) {
  MinuteRing<ContactTally> ring;
  for (int m = 0; m < 90; m += 7) ring.Add(kStart + minutes(m), Offered(m + 1));
  MinuteRing<ContactTally> copy;
  copy.Restore(ring.minutes(), ring.latest(), ring.today());
  for (int m = 84; m < 150; m += 5) {
    for (int window : {1, 15, 30, 60}) {
      EXPECT_EQ(copy.Window(kStart + minutes(m), window).offered,
                ring.Window(kStart + minutes(m), window).offered)
          << m << " " << window;
    }
  }
  ring.Add(kStart + minutes(95), Offered(1000));
  copy.Add(kStart + minutes(95), Offered(1000));
  EXPECT_EQ(copy.Window(kStart + minutes(95), 15).offered,
            ring.Window(kStart + minutes(95), 15).offered);
  EXPECT_EQ(copy.today().offered, ring.today().offered);
  ring.Add(kStart + minutes(96), Offered(2000));
  copy.Add(kStart + minutes(96), Offered(2000));
  EXPECT_EQ(copy.today().offered, ring.today().offered);
}

}  // namespace
}  // namespace acd::routing
