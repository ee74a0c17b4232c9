#pragma once

#include <cstdint>
#include <optional>

#include "absl/status/statusor.h"
#include "sim/distribution.h"

namespace acd::sim {

/// One queue with one skill, FIFO, agents who take every offer at once (auto-accept) and no
/// wrap-up: the world of Erlang C, and of Erlang A with `patience`.
struct QueueSimulationConfig {
  int agents = 1;
  double arrivals_per_s = 1.0;
  Distribution handle{.kind = Distribution::Kind::kExponential, .mean_s = 180.0};
  /// How long a waiting customer stays before hanging up; nullopt: forever.
  std::optional<Distribution> patience;
  double service_level_threshold_s = 20.0;
  /// Contacts measured, after `warm_up_contacts` that are not (the queue starts empty).
  std::int64_t contacts = 100'000;
  std::int64_t warm_up_contacts = 10'000;
  std::uint64_t seed = 1;
};

/// What the simulation saw of the measured contacts.
struct QueueSimulationResult {
  std::int64_t contacts = 0;
  /// Found every agent busy on arrival.
  std::int64_t waited = 0;
  std::int64_t answered = 0;
  std::int64_t answered_within_threshold = 0;
  std::int64_t abandoned = 0;
  double answered_wait_total_s = 0.0;
  /// Agent-seconds busy and agent-seconds staffed, over the measuring window.
  double busy_agent_s = 0.0;
  double staffed_agent_s = 0.0;

  double WaitProbability() const;
  double AbandonRate() const;
  /// Mean wait of answered contacts.
  double AverageSpeedOfAnswer() const;
  /// Answered within the threshold ÷ answered.
  double ServiceLevel() const;
  double Occupancy() const;
};

/// Runs `config` through the real routing core (`acd::routing::Router`) on simulated time:
/// Poisson arrivals become CreateContact commands, offers are auto-accepted, handle times end in
/// CompleteContact, patience in CancelContact, and the router's timers fire as simulated time
/// passes. Deterministic for a seed; it never reads a clock or sleeps. InvalidArgument names a
/// field out of range; Internal when the router refuses a command it should take.
absl::StatusOr<QueueSimulationResult> SimulateQueue(const QueueSimulationConfig& config);

}  // namespace acd::sim
