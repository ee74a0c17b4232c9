#pragma once

#include <optional>

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

}  // namespace acd::routing
