#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "routing/time.h"

namespace acd::routing {

inline constexpr int kMinutesPerDay = 24 * 60;

/// One opening period of a weekday, in minutes after local midnight: open in [open, close).
struct OpeningPeriod {
  absl::Weekday day = absl::Weekday::monday;
  int open_minute = 0;
  /// After `open_minute`; kMinutesPerDay for midnight.
  int close_minute = kMinutesPerDay;

  bool operator==(const OpeningPeriod&) const = default;
};

/// A local date the queue is closed all day.
struct Holiday {
  absl::CivilDay date;
  std::string name;

  bool operator==(const Holiday&) const = default;
};

/// When a queue is open, in its own local time: weekly periods (a weekday may have several, a
/// weekday without any is closed) minus holidays.
struct BusinessHours {
  absl::TimeZone time_zone = absl::UTCTimeZone();
  std::vector<OpeningPeriod> weekly;
  std::vector<Holiday> holidays;

  bool IsOpen(Timestamp at) const;
  /// The first instant at or after `at` when the queue is open; nullopt when it does not open
  /// within a year and a week (no periods, or every open day a holiday).
  std::optional<Timestamp> NextOpening(Timestamp at) const;
  /// What is wrong with the periods (a close not after its open, minutes out of a day), or
  /// nullopt.
  std::optional<std::string> FindProblem() const;

  bool operator==(const BusinessHours&) const = default;
};

}  // namespace acd::routing
