// The routing core against queueing theory: one queue, one skill, FIFO, Poisson arrivals and
// exponential handle times, driven on simulated time (sim::SimulateQueue), must show the
// probability of waiting, ASA and service level that Erlang C predicts, and with exponential
// patience the abandonment that Erlang A predicts. Deterministic: each scenario runs a fixed
// seed; ACD_SIM_SEED=<seed> runs another one (to see the spread the tolerances allow for).

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <ostream>
#include <string>

#include "routing/erlang_c.h"
#include "sim/erlang_a.h"
#include "sim/queue_simulation.h"

namespace acd::sim {
namespace {

constexpr int kAgents = 20;
constexpr double kHandleS = 180.0;
constexpr double kThresholdS = 20.0;

std::uint64_t SeedOr(std::uint64_t fallback) {
  const char* chosen = std::getenv("ACD_SIM_SEED");
  return chosen != nullptr ? std::strtoull(chosen, nullptr, 10) : fallback;
}

struct Scenario {
  std::string name;
  /// Offered load per agent: arrival rate × handle time ÷ agents.
  double load_per_agent = 0.0;
  std::optional<double> mean_patience_s;
  std::int64_t contacts = 0;
  std::uint64_t seed = 0;
  /// Allowed deviations: absolute for probabilities, relative for ASA.
  double probability_tolerance = 0.0;
  double asa_relative_tolerance = 0.0;
};

// Names the scenario in test listings (instead of its bytes).
void PrintTo(const Scenario& scenario, std::ostream* out) { *out << scenario.name; }

QueueSimulationConfig ConfigOf(const Scenario& scenario) {
  QueueSimulationConfig config;
  config.agents = kAgents;
  config.arrivals_per_s = scenario.load_per_agent * kAgents / kHandleS;
  config.handle = {.kind = Distribution::Kind::kExponential, .mean_s = kHandleS};
  if (scenario.mean_patience_s) {
    config.patience =
        Distribution{.kind = Distribution::Kind::kExponential, .mean_s = *scenario.mean_patience_s};
  }
  config.service_level_threshold_s = kThresholdS;
  config.contacts = scenario.contacts;
  config.warm_up_contacts = scenario.contacts / 10;
  config.seed = SeedOr(scenario.seed);
  return config;
}

class QueueingTheoryTest : public ::testing::TestWithParam<Scenario> {};

TEST_P(QueueingTheoryTest, SimulatedRouterMatchesTheModel) {
  const Scenario& scenario = GetParam();
  const QueueSimulationConfig config = ConfigOf(scenario);
  SCOPED_TRACE("seed " + std::to_string(config.seed));
  const QueueModel model{.arrivals_per_s = config.arrivals_per_s,
                         .mean_handle_s = kHandleS,
                         .agents = kAgents,
                         .mean_patience_s = scenario.mean_patience_s};
  const std::optional<QueuePrediction> predicted = PredictQueue(model, kThresholdS);
  ASSERT_TRUE(predicted.has_value());

  absl::StatusOr<QueueSimulationResult> simulated = SimulateQueue(config);
  ASSERT_TRUE(simulated.ok()) << simulated.status();
  std::printf(
      "%s seed %llu: P(wait) %.4f vs %.4f, ASA %.2f vs %.2f s, SL %.4f vs %.4f, abandon %.4f vs "
      "%.4f, occupancy %.4f vs %.4f\n",
      scenario.name.c_str(), static_cast<unsigned long long>(config.seed),
      simulated->WaitProbability(), predicted->wait_probability, simulated->AverageSpeedOfAnswer(),
      predicted->asa_s, simulated->ServiceLevel(), predicted->service_level,
      simulated->AbandonRate(), predicted->abandon_probability, simulated->Occupancy(),
      predicted->occupancy);

  EXPECT_EQ(simulated->answered + simulated->abandoned, simulated->contacts);
  EXPECT_NEAR(simulated->WaitProbability(), predicted->wait_probability,
              scenario.probability_tolerance);
  EXPECT_NEAR(simulated->ServiceLevel(), predicted->service_level, scenario.probability_tolerance);
  EXPECT_NEAR(simulated->AbandonRate(), predicted->abandon_probability,
              scenario.probability_tolerance);
  EXPECT_NEAR(simulated->Occupancy(), predicted->occupancy, scenario.probability_tolerance);
  EXPECT_NEAR(simulated->AverageSpeedOfAnswer(), predicted->asa_s,
              scenario.asa_relative_tolerance * predicted->asa_s);
}

// Tolerances (absolute for probabilities and occupancy, relative for ASA) hold about three
// standard deviations of what ten seeds gave: the waiting time at 0.95 occupancy is strongly
// correlated from one contact to the next, so its ASA converges slowly even over a million.
INSTANTIATE_TEST_SUITE_P(Erlang, QueueingTheoryTest,
                         ::testing::Values(Scenario{.name = "ErlangC_070",
                                                    .load_per_agent = 0.70,
                                                    .contacts = 300'000,
                                                    .seed = 1,
                                                    .probability_tolerance = 0.03,
                                                    .asa_relative_tolerance = 0.12},
                                           Scenario{.name = "ErlangC_085",
                                                    .load_per_agent = 0.85,
                                                    .contacts = 300'000,
                                                    .seed = 2,
                                                    .probability_tolerance = 0.03,
                                                    .asa_relative_tolerance = 0.15},
                                           Scenario{.name = "ErlangC_095",
                                                    .load_per_agent = 0.95,
                                                    .contacts = 1'000'000,
                                                    .seed = 3,
                                                    .probability_tolerance = 0.03,
                                                    .asa_relative_tolerance = 0.15},
                                           Scenario{.name = "ErlangA_095",
                                                    .load_per_agent = 0.95,
                                                    .mean_patience_s = 120.0,
                                                    .contacts = 300'000,
                                                    .seed = 4,
                                                    .probability_tolerance = 0.015,
                                                    .asa_relative_tolerance = 0.06},
                                           Scenario{.name = "ErlangA_110",
                                                    .load_per_agent = 1.10,
                                                    .mean_patience_s = 120.0,
                                                    .contacts = 300'000,
                                                    .seed = 5,
                                                    .probability_tolerance = 0.015,
                                                    .asa_relative_tolerance = 0.06}),
                         [](const ::testing::TestParamInfo<Scenario>& param_info) {
                           return param_info.param.name;
                         });

// The model's own check: without abandonment it is Erlang C, which the routing core's staffing
// figures use.
TEST(PredictQueueTest, WithoutPatienceIsErlangC) {
  for (double load_per_agent : {0.5, 0.7, 0.85, 0.95, 0.99}) {
    for (int agents : {1, 5, 20, 100}) {
      SCOPED_TRACE(std::to_string(agents) + " agents at " + std::to_string(load_per_agent));
      const double load = load_per_agent * agents;
      const std::optional<QueuePrediction> predicted = PredictQueue(
          {.arrivals_per_s = load / kHandleS, .mean_handle_s = kHandleS, .agents = agents},
          kThresholdS);
      ASSERT_TRUE(predicted.has_value());
      EXPECT_NEAR(predicted->wait_probability, routing::ErlangCWaitProbability(load, agents), 1e-9);
      EXPECT_NEAR(predicted->asa_s,
                  routing::ErlangCAverageSpeedOfAnswer(load, agents, kHandleS).value(),
                  1e-6 * kHandleS);
      EXPECT_NEAR(predicted->service_level,
                  routing::ErlangCServiceLevel(load, agents, kHandleS, kThresholdS), 1e-6);
      EXPECT_NEAR(predicted->occupancy, load_per_agent, 1e-9);
      EXPECT_NEAR(predicted->abandon_probability, 0.0, 1e-12);
    }
  }
}

TEST(PredictQueueTest, AbandonmentIsBoundedByOverload) {
  // 2 agents, 4 arriving per handle time, patience far shorter than a handle time: at least half
  // must leave.
  const std::optional<QueuePrediction> predicted = PredictQueue(
      {.arrivals_per_s = 4.0 / 100.0, .mean_handle_s = 100.0, .agents = 2, .mean_patience_s = 1.0},
      10.0);
  ASSERT_TRUE(predicted.has_value());
  EXPECT_GT(predicted->abandon_probability, 0.5);
  // Flow balance: what the agents serve is what arrives and stays.
  EXPECT_NEAR(predicted->occupancy * 2 / 100.0,
              (1.0 - predicted->abandon_probability) * 4.0 / 100.0, 1e-9);
}

TEST(PredictQueueTest, NoSteadyStateIsNullopt) {
  EXPECT_FALSE(PredictQueue({.arrivals_per_s = 1.0, .mean_handle_s = 2.0, .agents = 2}, 20.0));
  EXPECT_FALSE(PredictQueue({.arrivals_per_s = 0.0, .mean_handle_s = 2.0, .agents = 2}, 20.0));
}

}  // namespace
}  // namespace acd::sim
