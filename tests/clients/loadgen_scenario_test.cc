// acd-loadgen's scenarios: the checked-in ones read, mistakes named with their place and field,
// and the acdd configuration written for a scenario accepted by acdd's own loader with the
// tenants, queues, agents and tokens the load generator will use.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "clients/loadgen/config_writer.h"
#include "clients/loadgen/scenario.h"
#include "daemon/config_loader.h"

namespace acd::clients::loadgen {
namespace {

using ::testing::HasSubstr;

std::string Scenarios() { return std::string(ACD_SOURCE_DIR) + "/clients/loadgen/scenarios/"; }

class ScenarioFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "acd-scenario-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  absl::StatusOr<Scenario> Load(const std::string& yaml) {
    const std::string path = (dir_ / "scenario.yaml").string();
    std::ofstream(path, std::ios::trunc) << yaml;
    return LoadScenario(path);
  }
  std::filesystem::path dir_;
};

TEST_F(ScenarioFileTest, CheckedInScenariosRead) {
  for (const char* name : {"mixed.yaml", "erlang_c.yaml", "erlang_a.yaml", "demo.yaml"}) {
    SCOPED_TRACE(name);
    absl::StatusOr<Scenario> scenario = LoadScenario(Scenarios() + name);
    ASSERT_TRUE(scenario.ok()) << scenario.status();
    EXPECT_TRUE(CheckScenario(*scenario).ok()) << CheckScenario(*scenario);
  }
}

TEST_F(ScenarioFileTest, ReadsEveryField) {
  absl::StatusOr<Scenario> scenario = Load(R"(
rate_curve: [{at: 0s, rate: 1}, {at: 30m, rate: 2.5}]
time_scale: 60
service_level_threshold: 30s
gateways_per_tenant: 2
agents:
  count: 7
  token_prefix: t-
  think_time: 1500ms
  handle_time: {distribution: lognormal, mean: 4m, cv: 0.6}
  wrap_up_time: {distribution: exponential, mean: 30s}
  breaks: {every: 2h, length: {distribution: fixed, mean: 10m}, reason: lunch}
  disposition: done
customers:
  patience: {distribution: exponential, mean: 3m}
tenants:
  - id: a
    gateway_token: ga
    weight: 2
    queues:
      - {id: a.q, channel: chat, skills: {x: 3, y: 1}, weight: 0.5}
)");
  ASSERT_TRUE(scenario.ok()) << scenario.status();
  EXPECT_EQ(scenario->RateAt(0), 1.0);
  EXPECT_EQ(scenario->RateAt(1799), 1.0);
  EXPECT_EQ(scenario->RateAt(1800), 2.5);
  EXPECT_EQ(scenario->time_scale, 60.0);
  EXPECT_EQ(scenario->service_level_threshold_s, 30.0);
  EXPECT_EQ(scenario->agents, 7);
  EXPECT_EQ(scenario->AgentToken(3), "t-3");
  EXPECT_EQ(scenario->think_time.kind, sim::Distribution::Kind::kFixed);
  EXPECT_EQ(scenario->think_time.mean_s, 1.5);
  EXPECT_EQ(scenario->handle_time.kind, sim::Distribution::Kind::kLogNormal);
  EXPECT_EQ(scenario->handle_time.mean_s, 240.0);
  EXPECT_EQ(scenario->handle_time.cv, 0.6);
  EXPECT_EQ(scenario->wrap_up_time.kind, sim::Distribution::Kind::kExponential);
  ASSERT_TRUE(scenario->break_every.has_value());
  EXPECT_EQ(scenario->break_every->mean_s, 7200.0);
  EXPECT_EQ(scenario->break_length.mean_s, 600.0);
  EXPECT_EQ(scenario->break_reason, "lunch");
  EXPECT_EQ(scenario->disposition, "done");
  ASSERT_TRUE(scenario->patience.has_value());
  EXPECT_EQ(scenario->patience->mean_s, 180.0);
  ASSERT_EQ(scenario->tenants.size(), 1u);
  EXPECT_EQ(scenario->GatewayToken(scenario->tenants[0], 0), "ga");
  EXPECT_EQ(scenario->GatewayToken(scenario->tenants[0], 1), "ga-1");
  ASSERT_EQ(scenario->tenants[0].queues.size(), 1u);
  const QueueMix& queue = scenario->tenants[0].queues[0];
  EXPECT_EQ(queue.channel, "chat");
  EXPECT_EQ(queue.weight, 0.5);
  EXPECT_EQ(queue.skills, (std::vector<std::pair<std::string, int>>{{"x", 3}, {"y", 1}}));
}

TEST_F(ScenarioFileTest, MistakesNameThePlaceAndTheField) {
  struct Case {
    std::string yaml;
    std::string message;
  };
  const std::string tenant = "tenants: [{id: a, gateway_token: t, queues: [{id: a.q}]}]\n";
  const std::vector<Case> cases = {
      {"rate: -1\n" + tenant, ":1:7: rate: must be greater than 0"},
      {"rate_curve: [{at: 1m, rate: 1}, {at: 30s, rate: 2}]\n" + tenant,
       "rate_curve[1].at: must come after the previous point's"},
      {"agents: {count: 0}\n" + tenant, "agents.count: expected a whole number from 1"},
      {"agents: {handle_time: {distribution: exponential}}\n" + tenant,
       "agents.handle_time.mean: missing"},
      {"agents: {handle_time: {distribution: fixed, mean: 3s, cv: 2}}\n" + tenant,
       "agents.handle_time.cv: only a lognormal distribution takes a cv"},
      {"agents: {breaks: {length: 5m}}\n" + tenant, "agents.breaks.every: missing"},
      {"customers: {patience: -3s}\n" + tenant, "customers.patience: expected a duration"},
      {"tenants: [{id: a, queues: [{id: a.q}]}]\n", "tenants[0].gateway_token: missing"},
      {"tenants: [{id: a, gateway_token: t, queues: [{id: a.q, skills: {x: 11}}]}]\n",
       "tenants[0].queues[0].skills.x: expected a whole number from 1 to 10"},
      {"tenant: []\n", "tenant: unknown key"},
      {"rate: [1\n", "scenario.yaml:"},
  };
  for (const Case& mistake : cases) {
    SCOPED_TRACE(mistake.yaml);
    absl::StatusOr<Scenario> scenario = Load(mistake.yaml);
    ASSERT_FALSE(scenario.ok());
    EXPECT_EQ(scenario.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(scenario.status().message()), HasSubstr(mistake.message));
  }
  EXPECT_EQ(LoadScenario((dir_ / "missing.yaml").string()).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(CheckScenarioTest, RefusesWhatDoesNotHoldTogether) {
  Scenario scenario = DefaultScenario();
  ASSERT_TRUE(CheckScenario(scenario).ok());
  scenario.agent_tokens = {"only-one"};
  scenario.agents = 2;
  EXPECT_THAT(std::string(CheckScenario(scenario).message()), HasSubstr("agents.tokens"));
  scenario = DefaultScenario();
  scenario.tenants.push_back(scenario.tenants.front());
  EXPECT_THAT(std::string(CheckScenario(scenario).message()), HasSubstr("appears twice"));
}

TEST(AcddConfigTest, AcddLoadsTheConfigurationWrittenForAScenario) {
  absl::StatusOr<Scenario> scenario = LoadScenario(Scenarios() + "mixed.yaml");
  ASSERT_TRUE(scenario.ok()) << scenario.status();
  scenario->gateways_per_tenant = 2;
  const std::string yaml = AcddConfigFor(*scenario);
  absl::StatusOr<daemon::DaemonConfig> config = daemon::ParseConfig(yaml, "generated.yaml");
  ASSERT_TRUE(config.ok()) << config.status() << "\n" << yaml;
  EXPECT_EQ(config->catalog.tenants.size(), 2u);
  EXPECT_EQ(config->catalog.queues.size(), 4u);
  ASSERT_EQ(config->catalog.agents.size(), 120u);
  // Agent i is in tenant i modulo the tenants, member of every queue of it, able to take all.
  EXPECT_EQ(config->catalog.agents[1].tenant.value(), "globex");
  EXPECT_EQ(config->catalog.agents[1].queues.size(), 2u);
  // A token for every agent and two per gateway.
  EXPECT_EQ(config->tokens.size(), 120u + 4u);
  // Contact-centre durations become real ones: 20 s at time scale 60.
  EXPECT_EQ(config->catalog.queues[0].service_level_threshold, std::chrono::milliseconds(333));
  EXPECT_EQ(config->catalog.queues[0].wrap_up.policy, routing::WrapUpPolicy::kMandatory);
}

}  // namespace
}  // namespace acd::clients::loadgen
