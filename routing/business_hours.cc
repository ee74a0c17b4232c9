#include "routing/business_hours.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "routing/local_time.h"

namespace acd::routing {
namespace {

// Long enough to cross a year of holidays and land on an open weekday.
constexpr int kDaysToSearch = 366 + 7;

}  // namespace

bool BusinessHours::IsOpen(Timestamp at) const {
  const absl::CivilSecond local = ToLocal(at, time_zone);
  const absl::CivilDay day(local);
  if (std::any_of(holidays.begin(), holidays.end(),
                  [&](const Holiday& holiday) { return holiday.date == day; })) {
    return false;
  }
  const absl::Weekday weekday = absl::GetWeekday(day);
  const int minute = local.hour() * 60 + local.minute();
  return std::any_of(weekly.begin(), weekly.end(), [&](const OpeningPeriod& period) {
    return period.day == weekday && period.open_minute <= minute && minute < period.close_minute;
  });
}

std::optional<Timestamp> BusinessHours::NextOpening(Timestamp at) const {
  if (IsOpen(at)) return at;
  const absl::CivilDay first(ToLocal(at, time_zone));
  for (absl::CivilDay day = first; day - first < kDaysToSearch; ++day) {
    if (std::any_of(holidays.begin(), holidays.end(),
                    [&](const Holiday& holiday) { return holiday.date == day; })) {
      continue;
    }
    std::optional<Timestamp> earliest;
    for (const OpeningPeriod& period : weekly) {
      if (period.day != absl::GetWeekday(day)) continue;
      const Timestamp opens =
          FromLocal(absl::CivilSecond(absl::CivilMinute(day) + period.open_minute), time_zone);
      if (opens > at && (!earliest || opens < *earliest)) earliest = opens;
    }
    if (earliest) return earliest;
  }
  return std::nullopt;
}

std::optional<std::string> BusinessHours::FindProblem() const {
  for (const OpeningPeriod& period : weekly) {
    if (period.open_minute < 0 || period.close_minute > kMinutesPerDay ||
        period.close_minute <= period.open_minute) {
      return absl::StrCat("opening period ", period.open_minute, "-", period.close_minute,
                          " (minutes after midnight) must close after it opens, within the day");
    }
  }
  return std::nullopt;
}

}  // namespace acd::routing
