#include "sim/erlang_a.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace acd::sim {
namespace {

// A waiting contact at place j (j contacts ahead of it) moves up when an agent frees up or one of
// those ahead abandons, and leaves when its own patience runs out; from place 0 moving up means
// being answered. The time spent at each place is exponential with the sum of both rates whatever
// happens next, which is what makes the formulas below exact.
struct LineRates {
  double service_rate_all_agents = 0.0;  // c·μ
  double abandon_rate = 0.0;             // θ
  double Advance(std::size_t ahead) const {
    return service_rate_all_agents + static_cast<double>(ahead) * abandon_rate;
  }
  double Leave(std::size_t ahead) const { return Advance(ahead) + abandon_rate; }
};

// The probability that a contact starting at each place in line (weights[j] for place j) has been
// answered by `threshold_s`, by uniformization of the place-in-line chain.
double AnsweredWithin(const std::vector<double>& weights, const LineRates& rates,
                      double threshold_s) {
  if (threshold_s <= 0.0) return 0.0;
  const double uniform_rate = rates.Leave(weights.size());
  const double mean_jumps = uniform_rate * threshold_s;
  std::vector<double> place = weights;
  double answered_by_jumps = 0.0;  // answered after at most n jumps of the uniformized chain
  double answered = 0.0;
  // Poisson(mean_jumps) weights, computed in log space so that large means do not underflow.
  const int max_jumps = static_cast<int>(mean_jumps + 12.0 * std::sqrt(mean_jumps) + 50.0);
  for (int n = 0; n <= max_jumps; ++n) {
    const double log_poisson = -mean_jumps + n * std::log(mean_jumps) - std::lgamma(n + 1.0);
    answered += std::exp(log_poisson) * answered_by_jumps;
    // One jump: place j moves to j-1 (answered from 0) with Advance(j)/uniform_rate.
    answered_by_jumps += place[0] * rates.Advance(0) / uniform_rate;
    for (std::size_t j = 0; j < place.size(); ++j) {
      const double stay = 1.0 - rates.Leave(j) / uniform_rate;
      const double from_behind =
          j + 1 < place.size() ? place[j + 1] * rates.Advance(j + 1) / uniform_rate : 0.0;
      place[j] = place[j] * stay + from_behind;
    }
  }
  return answered;
}

}  // namespace

std::optional<QueuePrediction> PredictQueue(const QueueModel& model, double threshold_s) {
  const double lambda = model.arrivals_per_s;
  if (lambda <= 0.0 || model.mean_handle_s <= 0.0 || model.agents <= 0) return std::nullopt;
  const double mu = 1.0 / model.mean_handle_s;
  const double theta = model.mean_patience_s ? 1.0 / *model.mean_patience_s : 0.0;
  if (model.mean_patience_s && *model.mean_patience_s <= 0.0) return std::nullopt;
  const int c = model.agents;
  if (theta == 0.0 && lambda >= c * mu) return std::nullopt;

  // Unnormalised stationary probabilities of n in the system, up to c (all agents busy)...
  std::vector<double> up_to_c(static_cast<std::size_t>(c) + 1);
  // Work relative to the state "c in system" to avoid overflow: p[c] = 1, going down.
  up_to_c[static_cast<std::size_t>(c)] = 1.0;
  for (int n = c; n > 0; --n) {
    up_to_c[static_cast<std::size_t>(n) - 1] =
        up_to_c[static_cast<std::size_t>(n)] * n * mu / lambda;
  }
  // ...and beyond: ahead[j] for c + j in the system, i.e. j waiting, until the tail is negligible.
  const LineRates rates{.service_rate_all_agents = c * mu, .abandon_rate = theta};
  std::vector<double> waiting{1.0};
  double waiting_total = 1.0;
  while (true) {
    const std::size_t j = waiting.size();
    const double next = waiting.back() * lambda / (c * mu + static_cast<double>(j) * theta);
    if (next < 1e-15 * waiting_total && lambda < c * mu + static_cast<double>(j) * theta) break;
    if (waiting.size() > 10'000'000) return std::nullopt;
    waiting.push_back(next);
    waiting_total += next;
  }
  double below_c = 0.0;
  double busy_agents = 0.0;
  for (int n = 0; n < c; ++n) {
    below_c += up_to_c[static_cast<std::size_t>(n)];
    busy_agents += n * up_to_c[static_cast<std::size_t>(n)];
  }
  const double total = below_c + waiting_total;

  QueuePrediction prediction;
  // An arrival sees the stationary distribution (PASTA): it waits when c or more are present.
  prediction.wait_probability = waiting_total / total;
  busy_agents += c * waiting_total;
  prediction.occupancy = busy_agents / total / c;

  // Arrivals finding j waiting start at place j.
  std::vector<double> start(waiting.size());
  double answered = below_c / total;  // answered at once, with no wait
  double answered_wait_sum = 0.0;
  // From place j a contact is answered if it moves up j + 1 times before its patience runs out,
  // after a wait that, given it is answered, is the sum of the mean times at each place.
  double p_answered = 1.0;
  double mean_wait = 0.0;
  for (std::size_t j = 0; j < waiting.size(); ++j) {
    start[j] = waiting[j] / total;
    p_answered *= rates.Advance(j) / rates.Leave(j);
    mean_wait += 1.0 / rates.Leave(j);
    answered += start[j] * p_answered;
    answered_wait_sum += start[j] * p_answered * mean_wait;
  }
  prediction.abandon_probability = std::max(0.0, 1.0 - answered);
  prediction.asa_s = answered_wait_sum / answered;
  const double answered_in_time = below_c / total + AnsweredWithin(start, rates, threshold_s);
  prediction.service_level = std::min(1.0, answered_in_time / answered);
  return prediction;
}

}  // namespace acd::sim
