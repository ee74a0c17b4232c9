#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "routing/ids.h"
#include "routing/time.h"

namespace acd::routing {

/// What an agent is doing, for time-in-state accounting: its presence, unless it holds contacts.
enum class Activity : std::uint8_t {
  kLoggedOut,
  kNotReady,
  kIdle,      ///< Ready, holding nothing.
  kReserved,  ///< Holding only offers not yet answered.
  kBusy,      ///< Connected to at least one contact.
  kWrapUp,    ///< Holding only contacts in wrap-up.
};
inline constexpr std::size_t kActivityCount = 6;
std::string_view ActivityName(Activity activity);

/// The stretches of time figures are given over.
enum class Period : std::uint8_t { kToday, kLast15Minutes, kLast30Minutes, kLast60Minutes };
inline constexpr std::size_t kPeriodCount = 4;
std::string_view PeriodName(Period period);

/// Figures of one scope (a queue, a tenant, an agent) over one period. Counts are events:
/// `offered` counts contacts starting to wait in a queue (arrivals, scheduled contacts coming
/// due, overflows, transfers, escalations in); `answered` counts assignments; `handled` counts
/// an agent's part ending (completion, or a transfer or escalation away).
struct PeriodFigures {
  /// Where the period begins: the tenant's last local midnight, or the first whole minute of
  /// the window.
  Timestamp start;
  int offered = 0;
  int answered = 0;
  int answered_within_threshold = 0;
  int abandoned = 0;
  /// Abandons within the queue's short-abandon threshold, left out of service level.
  int short_abandoned = 0;
  int handled = 0;
  int expired = 0;
  /// For an agent: offers made to it, declined by it, and rung out unanswered.
  int offers = 0;
  int declines = 0;
  int misses = 0;
  /// Answered within the threshold over answered.
  std::optional<double> service_level;
  /// Answered within the threshold over answered and abandoned (short abandons left out).
  std::optional<double> service_level_counting_abandons;
  /// Abandoned over answered and abandoned, short abandons left out of both.
  std::optional<double> abandon_rate;
  /// Average speed of answer: wait from the virtual start to the assignment.
  std::optional<Duration> average_speed_of_answer;
  /// Average handle time (talk and wrap-up) and after-contact work per handled part.
  std::optional<Duration> average_handle_time;
  std::optional<Duration> average_after_contact_work;
  /// Surveys recorded in the period, and their average score.
  int surveys = 0;
  std::optional<double> csat;
  /// Time handling contacts (reserved, busy, wrap-up) over that and idle time.
  std::optional<double> occupancy;
  /// Agents' time in each activity (for a queue: its members'; for a tenant: all its agents').
  std::array<Duration, kActivityCount> time_in{};
};

/// Live figures and the four periods of a queue, with its Erlang C staffing.
struct QueueStatistics {
  QueueId queue;
  int waiting = 0;
  Duration longest_wait{};
  /// Members by activity now.
  std::array<int, kActivityCount> agents{};
  std::array<PeriodFigures, kPeriodCount> periods;
  /// Arrivals per hour over the last 15 minutes.
  double arrivals_per_hour = 0.0;
  /// Erlang C: agents needed to meet the service-level target at that arrival rate and the
  /// last hour's average handle time (today's when the hour has none); nullopt without a
  /// handle time to go by.
  std::optional<int> agents_needed;
  /// How long a contact arriving now would wait, by the same figures; nullopt without them.
  std::optional<Duration> estimated_wait;
};

struct AgentStatistics {
  AgentId agent;
  Activity activity = Activity::kLoggedOut;
  Timestamp activity_since;
  std::array<PeriodFigures, kPeriodCount> periods;
};

struct TenantStatistics {
  TenantId tenant;
  int waiting = 0;
  Duration longest_wait{};
  std::array<int, kActivityCount> agents{};
  std::array<PeriodFigures, kPeriodCount> periods;
};

/// A queue's live figures and today's counts, without the sliding windows, time in state or
/// staffing: cheap enough to read for every queue at once (the daemon's /metrics).
struct QueueSummary {
  TenantId tenant;
  QueueId queue;
  int waiting = 0;
  /// Age (from the virtual start) of the oldest waiting contact; zero when none waits.
  Duration longest_wait{};
  /// Members as `QueueView` counts them: holding a contact (busy), else ready or not ready.
  int agents_ready = 0;
  int agents_busy = 0;
  int agents_not_ready = 0;
  /// Today's figures; `start`, `time_in` and `occupancy` are left empty.
  PeriodFigures today;
};

/// A tenant's agents by activity now.
struct TenantSummary {
  TenantId tenant;
  std::array<int, kActivityCount> agents{};
};

}  // namespace acd::routing
