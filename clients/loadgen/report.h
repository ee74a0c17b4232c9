#pragma once

#include <string>

#include "clients/loadgen/load_run.h"
#include "clients/loadgen/scenario.h"

namespace acd::clients::loadgen {

/// What the report says about the run besides its result.
struct ReportContext {
  std::string target;
  double time_scale = 1.0;
  double offered_rate_per_s = 0.0;
  int agents = 0;
};

/// The human-readable summary: throughput, the three latencies' percentiles, and what the
/// simulation saw (SL, ASA, abandon rate, occupancy).
std::string SummaryText(const RunResult& result, const ReportContext& context);

/// One JSON object, on one line: `offered_per_s`, `acknowledged_per_s`, `assigned_per_s`,
/// `latency_us` (`create_to_ack`, `create_to_offer`, `accept_to_gateway`, `send_lag`, each with
/// `count`, `p50`, `p90`, `p99`, `p99.9`, `max`), `service_level`, `asa_s`, `abandon_rate`,
/// `occupancy`, and the counts behind them.
std::string SummaryJson(const RunResult& result, const ReportContext& context);

}  // namespace acd::clients::loadgen
