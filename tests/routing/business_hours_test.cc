#include "routing/business_hours.h"

#include <gtest/gtest.h>

#include <optional>

#include "routing/local_time.h"

namespace acd::routing {
namespace {

absl::TimeZone Zone(const char* name) {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone(name, &zone)) << name << ": is tzdata installed?";
  return zone;
}

constexpr int At(int hour, int minute = 0) { return hour * 60 + minute; }

/// Weekdays 08:00-12:00 and 13:00-18:00, Saturday 09:00-13:00, in São Paulo (UTC-3); closed on
/// Christmas Day.
BusinessHours SaoPauloOffice() {
  BusinessHours hours{.time_zone = Zone("America/Sao_Paulo")};
  for (absl::Weekday day : {absl::Weekday::monday, absl::Weekday::tuesday, absl::Weekday::wednesday,
                            absl::Weekday::thursday, absl::Weekday::friday}) {
    hours.weekly.push_back({.day = day, .open_minute = At(8), .close_minute = At(12)});
    hours.weekly.push_back({.day = day, .open_minute = At(13), .close_minute = At(18)});
  }
  hours.weekly.push_back(
      {.day = absl::Weekday::saturday, .open_minute = At(9), .close_minute = At(13)});
  hours.holidays.push_back({.date = absl::CivilDay(2026, 12, 25), .name = "Christmas Day"});
  return hours;
}

Timestamp Local(const BusinessHours& hours, int year, int month, int day, int hour,
                int minute = 0) {
  return FromLocal(absl::CivilSecond(year, month, day, hour, minute, 0), hours.time_zone);
}

TEST(BusinessHoursTest, OpenWithinAPeriodInLocalTimeAndClosedOutside) {
  const BusinessHours hours = SaoPauloOffice();
  // Wednesday 25 November 2026.
  EXPECT_FALSE(hours.IsOpen(Local(hours, 2026, 11, 25, 7, 59)));
  EXPECT_TRUE(hours.IsOpen(Local(hours, 2026, 11, 25, 8, 0)));
  EXPECT_TRUE(hours.IsOpen(Local(hours, 2026, 11, 25, 11, 59)));
  EXPECT_FALSE(hours.IsOpen(Local(hours, 2026, 11, 25, 12, 0))) << "closing time is closed";
  EXPECT_FALSE(hours.IsOpen(Local(hours, 2026, 11, 25, 12, 30))) << "the lunch break";
  EXPECT_TRUE(hours.IsOpen(Local(hours, 2026, 11, 25, 13, 0)));
  EXPECT_FALSE(hours.IsOpen(Local(hours, 2026, 11, 25, 18, 0)));
  // 11:00 UTC is 08:00 in São Paulo: open, though 08:00 UTC would not be.
  EXPECT_TRUE(hours.IsOpen(
      Timestamp(std::chrono::sys_days(std::chrono::year(2026) / std::chrono::November / 25) +
                std::chrono::hours(11))));
}

TEST(BusinessHoursTest, NextOpeningIsTheNextPeriodStartInLocalTime) {
  const BusinessHours hours = SaoPauloOffice();
  EXPECT_EQ(hours.NextOpening(Local(hours, 2026, 11, 25, 12, 15)),
            Local(hours, 2026, 11, 25, 13, 0));
  EXPECT_EQ(hours.NextOpening(Local(hours, 2026, 11, 25, 19, 0)), Local(hours, 2026, 11, 26, 8, 0));
  // Saturday afternoon: the next opening is Monday morning.
  EXPECT_EQ(hours.NextOpening(Local(hours, 2026, 11, 28, 14, 0)), Local(hours, 2026, 11, 30, 8, 0));
  const Timestamp open = Local(hours, 2026, 11, 25, 9, 0);
  EXPECT_EQ(hours.NextOpening(open), open) << "already open: now";
}

TEST(BusinessHoursTest, AHolidayIsClosedAllDayAndSkipped) {
  const BusinessHours hours = SaoPauloOffice();
  EXPECT_FALSE(hours.IsOpen(Local(hours, 2026, 12, 25, 10, 0)));  // a Friday
  EXPECT_EQ(hours.NextOpening(Local(hours, 2026, 12, 24, 19, 0)), Local(hours, 2026, 12, 26, 9, 0))
      << "Christmas is skipped; Saturday opens at nine";
}

TEST(BusinessHoursTest, AnOpeningSkippedByDaylightSavingHappensAtTheJump) {
  // New York springs forward on Sunday 8 March 2026: 02:00 EST becomes 03:00 EDT.
  BusinessHours hours{.time_zone = Zone("America/New_York")};
  hours.weekly.push_back(
      {.day = absl::Weekday::sunday, .open_minute = At(2, 30), .close_minute = At(6)});
  const Timestamp saturday_night = Local(hours, 2026, 3, 7, 23, 0);
  const std::optional<Timestamp> opens = hours.NextOpening(saturday_night);
  ASSERT_TRUE(opens.has_value());
  // 03:00 EDT is 07:00 UTC.
  EXPECT_EQ(*opens,
            Timestamp(std::chrono::sys_days(std::chrono::year(2026) / std::chrono::March / 8) +
                      std::chrono::hours(7)));
  EXPECT_TRUE(hours.IsOpen(*opens));
}

TEST(BusinessHoursTest, MidnightCloseAndAQueueThatNeverOpens) {
  BusinessHours late{.time_zone = absl::UTCTimeZone()};
  late.weekly.push_back(
      {.day = absl::Weekday::friday, .open_minute = At(20), .close_minute = kMinutesPerDay});
  EXPECT_TRUE(late.IsOpen(Local(late, 2026, 11, 27, 23, 59)));
  EXPECT_FALSE(late.IsOpen(Local(late, 2026, 11, 28, 0, 0)));

  const BusinessHours never{.time_zone = absl::UTCTimeZone()};
  EXPECT_FALSE(never.IsOpen(Local(never, 2026, 11, 25, 12)));
  EXPECT_EQ(never.NextOpening(Local(never, 2026, 11, 25, 12)), std::nullopt);
}

TEST(BusinessHoursTest, PeriodsMustCloseAfterTheyOpenWithinTheDay) {
  BusinessHours hours;
  EXPECT_EQ(hours.FindProblem(), std::nullopt);
  hours.weekly.push_back(
      {.day = absl::Weekday::monday, .open_minute = At(18), .close_minute = At(8)});
  EXPECT_TRUE(hours.FindProblem().has_value());
  hours.weekly.back() = {
      .day = absl::Weekday::monday, .open_minute = At(8), .close_minute = kMinutesPerDay + 1};
  EXPECT_TRUE(hours.FindProblem().has_value());
}

}  // namespace
}  // namespace acd::routing
