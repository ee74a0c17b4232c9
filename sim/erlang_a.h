#pragma once

#include <optional>

namespace acd::sim {

/// A many-server queue with Poisson arrivals, exponential handle times, first-come first-served
/// waiting and, optionally, exponential patience: M/M/c+M (Erlang A), or M/M/c (Erlang C) with no
/// abandonment.
struct QueueModel {
  double arrivals_per_s = 0.0;
  double mean_handle_s = 0.0;
  int agents = 0;
  /// Mean patience of a waiting customer; nullopt: nobody abandons (Erlang C).
  std::optional<double> mean_patience_s;
};

/// What the model predicts for an arriving contact in the steady state.
struct QueuePrediction {
  /// Probability that it finds every agent busy and waits.
  double wait_probability = 0.0;
  /// Probability that it abandons before an agent takes it.
  double abandon_probability = 0.0;
  /// Mean wait of the contacts that are answered (ASA), seconds.
  double asa_s = 0.0;
  /// Answered within the threshold ÷ answered (the router's service level).
  double service_level = 0.0;
  /// Share of agent time spent busy.
  double occupancy = 0.0;
};

/// The steady state of `model` with the service-level threshold `threshold_s`, computed from its
/// birth-death chain (truncated where its tail no longer counts) and, for the service level, the
/// transient of an arriving contact's place in line. Nullopt when there is no steady state (no
/// abandonment and a load at or above the agents) or the inputs are not positive.
std::optional<QueuePrediction> PredictQueue(const QueueModel& model, double threshold_s);

}  // namespace acd::sim
