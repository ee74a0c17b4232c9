// acd-loadgen end to end: the real acdd, started with the configuration `acd-loadgen config`
// writes, and the real acd-relay, each under a short, gentle load run with --json; and the
// scenario mistakes the tool refuses before connecting anywhere.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "tests/e2e/acdd_process.h"
#include "tests/e2e/child_process.h"

namespace acd::e2e {
namespace {

using ::testing::HasSubstr;
using Stream = ChildProcess::Stream;

constexpr char kAcdd[] = ACD_ACDD_PATH;
constexpr char kLoadgen[] = ACD_LOADGEN_PATH;
constexpr char kRelay[] = ACD_RELAY_PATH;

Deadline Within(std::chrono::seconds patience) {
  return std::chrono::steady_clock::now() + patience;
}

const std::vector<std::string>& CleanEnvironment() {
  static const auto* const kEnvironment =
      new std::vector<std::string>(EnvironmentWithout({"ACD_TARGET", "ACD_TOKEN"}));
  return *kEnvironment;
}

/// A whole number a JSON object holds under `key` (its first occurrence); nullopt when absent.
std::optional<long long> JsonNumber(const std::string& json, const std::string& key) {
  // A scan rather than std::regex, which GCC 12 warns about (falsely) under the sanitizers.
  const std::string quoted = "\"" + key + "\":";
  const std::size_t at = json.find(quoted);
  if (at == std::string::npos) return std::nullopt;
  const std::string rest = json.substr(at + quoted.size());
  const std::size_t end = rest.find_first_not_of("-0123456789.e+");
  if (end == 0) return std::nullopt;
  return static_cast<long long>(std::stod(rest.substr(0, end)));
}

/// The load every run here plays: 8 agents, 20 contacts a real second for 2 s (1 a second of
/// contact-centre time at time scale 20), calls of 2 s of contact-centre time.
const std::vector<std::string> kGentleLoad = {
    "--agents",   "8", "--rate", "1", "--time-scale", "20", "--handle-time", "2",
    "--duration", "2", "--seed", "7", "--json"};

/// Checks what a load run printed: the keys the issue names, contacts assigned, none lost.
void ExpectHealthyRun(const CommandResult& run) {
  ASSERT_TRUE(run.status.has_value()) << "acd-loadgen did not finish; stderr:\n" << run.err;
  ASSERT_EQ(run.status->code, 0) << run.err;
  const std::string& json = run.out;
  ASSERT_EQ(json.front(), '{') << json;
  for (const char* key :
       {"offered_per_s", "acknowledged_per_s", "assigned_per_s", "latency_us", "create_to_ack",
        "create_to_offer", "accept_to_gateway", "p50", "p90", "p99", "p99.9", "max",
        "service_level", "asa_s", "abandon_rate", "occupancy"}) {
    EXPECT_THAT(json, HasSubstr(std::string("\"") + key + "\":")) << key;
  }
  const std::optional<long long> offered = JsonNumber(json, "offered");
  const std::optional<long long> acknowledged = JsonNumber(json, "acknowledged");
  const std::optional<long long> assigned = JsonNumber(json, "assigned");
  ASSERT_TRUE(offered && acknowledged && assigned) << json;
  EXPECT_GT(*assigned, 0) << json;
  EXPECT_EQ(*acknowledged, *offered) << json;
  // Nobody abandons in this load: every acknowledged contact reached an agent and ended.
  EXPECT_EQ(*assigned, *acknowledged) << json;
  EXPECT_EQ(JsonNumber(json, "completed"), assigned) << json;
  EXPECT_EQ(JsonNumber(json, "unresolved"), 0) << json;
  EXPECT_EQ(JsonNumber(json, "failed"), 0) << json;
  EXPECT_EQ(JsonNumber(json, "skipped"), 0) << json;
}

class LoadgenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "acd-loadgen-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  CommandResult Loadgen(std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), kLoadgen);
    return RunCommand(arguments, CleanEnvironment(), Within(std::chrono::seconds(60)));
  }

  std::filesystem::path dir_;
};

TEST_F(LoadgenTest, RunsAgainstAcddWithTheConfigurationItWrites) {
  const CommandResult config = Loadgen({"config", "--agents", "8"});
  ASSERT_TRUE(config.status.has_value() && config.status->code == 0) << config.err;
  EXPECT_THAT(config.out, HasSubstr("DEMO SECRETS"));
  std::ofstream(dir_ / "acd.yaml") << config.out;

  absl::StatusOr<RunningAcdd> acdd = StartAcdd(
      {kAcdd, "--config", (dir_ / "acd.yaml").string(), "--listen", "127.0.0.1:0", "--http",
       "127.0.0.1:0", "--data-dir", (dir_ / "data").string(), "--log-level", "warn"},
      CleanEnvironment(), Within(std::chrono::seconds(20)));
  ASSERT_TRUE(acdd.ok()) << acdd.status();

  std::vector<std::string> arguments = {"--target", acdd->grpc_address};
  arguments.insert(arguments.end(), kGentleLoad.begin(), kGentleLoad.end());
  ExpectHealthyRun(Loadgen(arguments));
}

TEST_F(LoadgenTest, RunsAgainstTheBareRelayUnchanged) {
  absl::StatusOr<std::unique_ptr<ChildProcess>> relay =
      ChildProcess::Start({kRelay, "--listen", "127.0.0.1:0"}, CleanEnvironment());
  ASSERT_TRUE(relay.ok()) << relay.status();
  const std::optional<std::string> ready = (*relay)->WaitForLine(
      Stream::kStdout, [](const std::string& line) { return line.starts_with("acd-relay ready "); },
      Within(std::chrono::seconds(20)));
  ASSERT_TRUE(ready.has_value()) << (*relay)->Transcript(Stream::kStderr);
  const std::string address = ready->substr(ready->find("grpc=") + 5);

  std::vector<std::string> arguments = {"--target", address};
  arguments.insert(arguments.end(), kGentleLoad.begin(), kGentleLoad.end());
  ExpectHealthyRun(Loadgen(arguments));
}

TEST_F(LoadgenTest, RefusesScenarioMistakesNamingTheField) {
  struct Case {
    std::string yaml;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"tenants: []\n", "tenants: expected a list of at least one tenant"},
      {"rate: fast\ntenants: [{id: a, gateway_token: t, queues: [{id: a.q}]}]\n",
       "rate: expected a number"},
      {"agents: {handle_time: {distribution: gaussian, mean: 3m}}\n"
       "tenants: [{id: a, gateway_token: t, queues: [{id: a.q}]}]\n",
       "agents.handle_time.distribution: expected fixed, exponential or lognormal"},
      {"agents: {think_time: soon}\ntenants: [{id: a, gateway_token: t, queues: [{id: a.q}]}]\n",
       "agents.think_time: expected a duration"},
      {"tenants: [{id: a, gateway_token: t, queues: [{id: a.q, chanel: voice}]}]\n",
       "tenants[0].queues[0].chanel: unknown key"},
      {"tenants: [{id: a, gateway_token: t, queues: [{id: a.q, channel: fax}]}]\n",
       "queue 'a.q'.channel: expected voice, chat"},
  };
  for (const Case& mistake : cases) {
    SCOPED_TRACE(mistake.yaml);
    std::ofstream(dir_ / "scenario.yaml", std::ios::trunc) << mistake.yaml;
    const CommandResult run = Loadgen({"config", "--scenario", (dir_ / "scenario.yaml").string()});
    ASSERT_TRUE(run.status.has_value());
    EXPECT_EQ(run.status->code, 2);
    EXPECT_THAT(run.err, HasSubstr(mistake.message));
  }
}

}  // namespace
}  // namespace acd::e2e
