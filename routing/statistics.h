#pragma once

// The tallies behind the router's KPIs: counters for today and for each of the last 60 minutes,
// per queue, tenant and agent. Internal to the routing core.

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "routing/kpi.h"
#include "routing/time.h"

namespace acd::routing {

/// Contact counts and summed durations of one scope over a stretch of time.
struct ContactTally {
  std::uint32_t offered = 0;
  std::uint32_t answered = 0;
  std::uint32_t answered_within_threshold = 0;
  std::uint32_t abandoned = 0;
  std::uint32_t short_abandoned = 0;
  std::uint32_t handled = 0;
  std::uint32_t expired = 0;
  std::uint32_t surveys = 0;
  std::uint32_t survey_score = 0;
  /// An agent's offers: made to it, declined by it, rung out unanswered (zero for queues and
  /// tenants).
  std::uint32_t offers = 0;
  std::uint32_t declines = 0;
  std::uint32_t misses = 0;
  Duration answer_wait{};
  Duration talk{};
  Duration wrap{};

  ContactTally& operator+=(const ContactTally& other) {
    offered += other.offered;
    answered += other.answered;
    answered_within_threshold += other.answered_within_threshold;
    abandoned += other.abandoned;
    short_abandoned += other.short_abandoned;
    handled += other.handled;
    expired += other.expired;
    surveys += other.surveys;
    survey_score += other.survey_score;
    answer_wait += other.answer_wait;
    talk += other.talk;
    wrap += other.wrap;
    offers += other.offers;
    declines += other.declines;
    misses += other.misses;
    return *this;
  }
};

/// Agents' time in each activity.
struct TimeTally {
  std::array<Duration, kActivityCount> in{};

  TimeTally& operator+=(const TimeTally& other) {
    for (std::size_t i = 0; i < kActivityCount; ++i) in[i] += other.in[i];
    return *this;
  }
};

/// A tally for today and one for each of the last 60 minutes (whole minutes of the clock).
/// Counting touches only the latest minute, which sits apart from the older ones: today is what
/// was counted before it plus the latest (unless a midnight fell within the latest), and the
/// latest joins the others when the clock passes it.
/// The older minutes live out of line, so that a vector of rings (one per agent) keeps what
/// counting touches close together: fewer pages, and cache lines shared by no cold data.
template <typename Tally>
class alignas(64) MinuteRing {
 public:
  static constexpr int kMinutes = 60;
  /// How many of a ring's first bytes counting reads: the latest minute and which minute it is.
  static constexpr std::size_t kCountedBytes = 2 * sizeof(std::int64_t) + sizeof(Tally);

  /// Adds `delta` to today and to the minute of `at` (which must not go back more than an hour
  /// from the latest minute seen; older minutes are only in today).
  void Add(Timestamp at, const Tally& delta) {
    const std::int64_t minute = MinuteOf(at);
    if (minute == latest_) {
      latest_minute_ += delta;
      // After midnight within the latest minute: today has left that minute's start behind.
      if (!latest_in_today_) earlier_today_ += delta;
      return;
    }
    if (minute > latest_) {
      PassLatest(minute);
      latest_minute_ = delta;
      return;
    }
    earlier_today_ += delta;
    if (minute > latest_ - kMinutes) (*older_)[Slot(minute)] += delta;
  }
  /// Adds to today without a minute (time older than the ring reaches).
  void AddToToday(const Tally& delta) { earlier_today_ += delta; }

  /// The sum over the last `minutes` minutes, the one of `now` included.
  Tally Window(Timestamp now, int minutes) const {
    Tally sum;
    const std::int64_t current = MinuteOf(now);
    for (std::int64_t minute = current - minutes + 1; minute <= current; ++minute) {
      if (minute > latest_ || minute <= latest_ - kMinutes) continue;
      sum += minute == latest_ ? latest_minute_ : (*older_)[Slot(minute)];
    }
    return sum;
  }
  Tally today() const {
    Tally today = earlier_today_;
    if (latest_in_today_) today += latest_minute_;
    return today;
  }
  /// The buckets in slot order and the latest minute written, for snapshots.
  std::array<Tally, kMinutes> minutes() const {
    std::array<Tally, kMinutes> minutes = *older_;
    minutes[Slot(latest_)] = latest_minute_;
    return minutes;
  }
  std::int64_t latest() const { return latest_; }
  /// Puts back what `minutes()`, `latest()` and `today()` gave.
  void Restore(const std::array<Tally, kMinutes>& minutes, std::int64_t latest,
               const Tally& today) {
    *older_ = minutes;
    latest_ = latest;
    latest_minute_ = minutes[Slot(latest)];
    earlier_today_ = today;
    latest_in_today_ = false;  // `today` has it already.
  }
  /// A new day: what was counted so far, the latest minute's included, is yesterday's.
  void ResetToday() {
    earlier_today_ = Tally();
    latest_in_today_ = false;
  }

  static std::int64_t MinuteOf(Timestamp at) {
    return std::chrono::floor<std::chrono::minutes>(at).time_since_epoch().count();
  }

 private:
  static std::size_t Slot(std::int64_t minute) {
    return static_cast<std::size_t>(((minute % kMinutes) + kMinutes) % kMinutes);
  }
  /// Files the latest minute with the older ones and clears those passed over on the way to
  /// `minute` (all of them after an hour or more).
  void PassLatest(std::int64_t minute) {
    if (latest_in_today_) earlier_today_ += latest_minute_;
    latest_in_today_ = true;
    std::array<Tally, kMinutes>& older = *older_;
    older[Slot(latest_)] = latest_minute_;
    for (std::int64_t m = std::max(latest_ + 1, minute - kMinutes + 1); m < minute; ++m) {
      older[Slot(m)] = Tally();
    }
    latest_ = minute;
  }

  // Read on every Add: together, in as few cache lines as they fit.
  std::int64_t latest_ = 0;
  /// Whether the latest minute is part of today, not of a day since reset.
  bool latest_in_today_ = true;
  Tally latest_minute_;
  /// Today's count but for the latest minute's; all of today's when `latest_in_today_` is false.
  Tally earlier_today_;
  /// The older minutes by slot; the latest minute's slot is stale until the clock passes it.
  /// Null only in a ring moved from, which may then only be destroyed or assigned to.
  std::unique_ptr<std::array<Tally, kMinutes>> older_ =
      std::make_unique<std::array<Tally, kMinutes>>();
};

}  // namespace acd::routing
