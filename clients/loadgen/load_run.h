#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "clients/common/cli.h"
#include "clients/loadgen/scenario.h"
#include "sim/latency_histogram.h"

namespace acd::clients::loadgen {

/// How a load run is carried out (the scenario says what is played).
struct RunOptions {
  /// Target and TLS; the tokens come from the scenario.
  GlobalOptions global;
  /// Real seconds of arrivals.
  double duration_s = 10.0;
  std::uint64_t seed = 1;
  /// gRPC connections; streams and calls are spread over them.
  int connections = 4;
  /// Creates awaiting their answer beyond which an arrival is skipped (and counted as such), so
  /// that an overloaded target cannot make the generator grow without bound.
  int max_in_flight = 20'000;
  /// Real seconds after the arrivals for the contacts under way to end.
  double drain_s = 30.0;
  /// False: agents open their streams but never become ready, so that every contact waits (for
  /// memory measurements); the run then ends with the arrivals.
  bool agents_ready = true;
  /// Real seconds for streams to open and agents to become ready.
  double setup_timeout_s = 120.0;
  /// A progress line each second.
  std::function<void(const std::string&)> progress;
};

/// What a run measured. Latencies are real microseconds; waits and the service level are in
/// contact-centre time, as the simulation saw them.
struct RunResult {
  /// Real seconds the arrivals ran (shorter than asked when interrupted).
  double duration_s = 0.0;
  /// Counted while the arrivals ran, for the rates.
  std::int64_t offered_in_window = 0;
  std::int64_t acknowledged_in_window = 0;
  std::int64_t assigned_in_window = 0;
  /// Counted over the whole run.
  std::int64_t offered = 0;
  std::int64_t acknowledged = 0;
  std::int64_t create_failed = 0;
  /// Arrivals skipped because `max_in_flight` creates awaited their answer.
  std::int64_t skipped = 0;
  std::int64_t assigned = 0;
  std::int64_t abandoned = 0;
  std::int64_t completed = 0;
  /// Acknowledged contacts that neither reached an agent nor were abandoned by the end.
  std::int64_t unresolved = 0;
  std::int64_t accept_failed = 0;
  /// Create failures by status code name.
  std::map<std::string, std::int64_t> create_errors;

  sim::LatencyHistogram create_to_ack;
  sim::LatencyHistogram create_to_offer;
  sim::LatencyHistogram accept_to_gateway;
  /// How late the generator sent each create against its Poisson schedule (its own lag).
  sim::LatencyHistogram send_lag;

  std::int64_t answered_within_threshold = 0;
  double answered_wait_total_s = 0.0;
  double busy_agent_s = 0.0;
  double staffed_agent_s = 0.0;

  double ServiceLevel() const;
  double AverageSpeedOfAnswer() const;
  /// Abandoned ÷ (answered + abandoned).
  double AbandonRate() const;
  double Occupancy() const;
};

class LoadEngine;

/// Plays a scenario against acdd (or anything serving the same acd.v1 API) through its public
/// gRPC API: one Intake.WatchContacts stream per tenant's gateway, one AgentDesk.StreamEvents
/// stream per agent, Poisson arrivals as CreateContact, and simulated agents and customers.
/// All the simulation's state lives on one thread; gRPC's threads only hand events to it.
class LoadRun {
 public:
  LoadRun(Scenario scenario, RunOptions options);
  ~LoadRun();
  LoadRun(const LoadRun&) = delete;
  LoadRun& operator=(const LoadRun&) = delete;

  /// Opens the streams, makes the agents ready, runs the arrivals for the duration and lets the
  /// contacts under way end. Blocks. Unavailable or another error when the streams cannot be
  /// opened or the agents set ready within the setup timeout, or a stream breaks.
  absl::StatusOr<RunResult> Run();

  /// Ends the arrivals now (the run then drains as usual). Any thread, any time.
  void Interrupt();

 private:
  std::unique_ptr<LoadEngine> engine_;
};

}  // namespace acd::clients::loadgen
