#include "routing/erlang_c.h"

#include <chrono>
#include <cmath>

namespace acd::routing {

double ErlangCWaitProbability(double load, int agents) {
  if (agents <= 0 || load >= agents) return 1.0;
  if (load <= 0) return 0.0;
  // Erlang B by its recurrence (stable for thousands of agents), then C from B.
  double blocking = 1.0;
  for (int k = 1; k <= agents; ++k) blocking = load * blocking / (k + load * blocking);
  return agents * blocking / (agents - load * (1 - blocking));
}

double ErlangCServiceLevel(double load, int agents, double aht_s, double threshold_s) {
  if (agents <= 0 || load >= agents) return 0.0;
  const double waits = ErlangCWaitProbability(load, agents);
  return 1.0 - waits * std::exp(-(agents - load) * threshold_s / aht_s);
}

std::optional<double> ErlangCAverageSpeedOfAnswer(double load, int agents, double aht_s) {
  if (agents <= 0 || load >= agents) return std::nullopt;
  return ErlangCWaitProbability(load, agents) * aht_s / (agents - load);
}

std::optional<int> ErlangCAgentsNeeded(double load, double aht_s, double threshold_s, double target,
                                       int max_agents) {
  if (load <= 0 || aht_s <= 0) return 0;
  for (int agents = static_cast<int>(std::floor(load)) + 1; agents <= max_agents; ++agents) {
    if (ErlangCServiceLevel(load, agents, aht_s, threshold_s) >= target) return agents;
  }
  return std::nullopt;
}

StaffingEstimate EstimateStaffing(const StaffingInputs& inputs) {
  const double aht_s = std::chrono::duration<double>(inputs.aht).count();
  const double threshold_s = std::chrono::duration<double>(inputs.threshold).count();
  StaffingEstimate estimate;
  if (inputs.arrivals_per_hour <= 0 || aht_s <= 0) return estimate;
  const double load = inputs.arrivals_per_hour / 3600.0 * aht_s;
  const std::optional<int> required = ErlangCAgentsNeeded(load, aht_s, threshold_s, inputs.target);
  if (!required) return estimate;  // Beyond any staffing this estimate considers.
  estimate.available = true;
  estimate.traffic_erlangs = load;
  estimate.agents_required = *required;
  estimate.agents_required_with_shrinkage =
      static_cast<int>(std::ceil(*required / (1.0 - inputs.shrinkage) - 1e-9));
  estimate.predicted_service_level = ErlangCServiceLevel(load, *required, aht_s, threshold_s);
  if (const std::optional<double> asa = ErlangCAverageSpeedOfAnswer(load, *required, aht_s)) {
    estimate.predicted_asa =
        std::chrono::duration_cast<Duration>(std::chrono::duration<double>(*asa));
  }
  estimate.predicted_occupancy = load / *required;
  estimate.current_service_level =
      ErlangCServiceLevel(load, inputs.agents_working, aht_s, threshold_s);
  return estimate;
}

}  // namespace acd::routing
