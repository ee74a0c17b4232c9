#pragma once

#include <optional>

#include "routing/time.h"

namespace acd::routing {

/// Erlang C: a queue with Poisson arrivals, exponential handling times, `agents` servers and
/// first-come first-served waiting (M/M/c). Loads are in Erlangs: arrival rate × handle time.
/// Pure functions; see ../../README.md (Staffing) for how the router uses them.

/// The probability that an arriving contact waits at all; 1 when the load reaches the agents.
double ErlangCWaitProbability(double load, int agents);

/// The share of contacts answered within `threshold_s` seconds, handle time `aht_s` seconds.
double ErlangCServiceLevel(double load, int agents, double aht_s, double threshold_s);

/// The average wait before answer, in seconds; nullopt when the queue grows without bound.
std::optional<double> ErlangCAverageSpeedOfAnswer(double load, int agents, double aht_s);

/// The fewest agents for which the service level reaches `target` (0..1]; 0 when there is no
/// load; nullopt past `max_agents`.
std::optional<int> ErlangCAgentsNeeded(double load, double aht_s, double threshold_s, double target,
                                       int max_agents = 100'000);

/// What a staffing estimate starts from.
struct StaffingInputs {
  double arrivals_per_hour = 0.0;
  Duration aht{};
  /// Service-level target in (0, 1] and threshold.
  double target = 0.8;
  Duration threshold{};
  /// Share of paid time agents are unavailable, in [0, 1).
  double shrinkage = 0.0;
  /// Members who could take contacts now (ready or working), for the current prediction.
  int agents_working = 0;
};

/// An Erlang C staffing estimate.
struct StaffingEstimate {
  /// False without arrivals or a handle time to go by (the rest is then zero).
  bool available = false;
  double traffic_erlangs = 0.0;
  int agents_required = 0;
  /// `agents_required` grossed up for shrinkage.
  int agents_required_with_shrinkage = 0;
  double predicted_service_level = 0.0;
  std::optional<Duration> predicted_asa;
  double predicted_occupancy = 0.0;
  /// Service level with `agents_working` agents.
  double current_service_level = 0.0;
};

/// The fewest agents meeting the target at the given load, with what they would achieve.
StaffingEstimate EstimateStaffing(const StaffingInputs& inputs);

}  // namespace acd::routing
