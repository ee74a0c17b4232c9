// acd-loadgen: plays a contact centre against acdd (or acd-relay) through the public gRPC API —
// Poisson arrivals, simulated agents and customers — and measures latency, throughput and what
// the simulation saw. `acd-loadgen config` prints an acdd configuration for the scenario.

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <iostream>
#include <optional>
#include <string>

#include "absl/strings/str_split.h"
#include "clients/common/cli.h"
#include "clients/common/signal_watcher.h"
#include "clients/loadgen/config_writer.h"
#include "clients/loadgen/load_run.h"
#include "clients/loadgen/report.h"
#include "clients/loadgen/scenario.h"

namespace acd::clients::loadgen {
namespace {

constexpr char kProgram[] = "acd-loadgen";

struct Overrides {
  std::string scenario_path;
  std::optional<double> rate;
  std::optional<int> agents;
  std::optional<double> time_scale;
  std::optional<double> handle_time_s;
  std::string agent_tokens;
  std::optional<std::string> agent_token_prefix;
  std::optional<int> gateways;
};

/// The scenario from its file (or the default one) with the command line's overrides applied.
absl::StatusOr<Scenario> BuildScenario(const Overrides& overrides, const std::string& token) {
  absl::StatusOr<Scenario> scenario =
      overrides.scenario_path.empty() ? DefaultScenario() : LoadScenario(overrides.scenario_path);
  if (!scenario.ok()) return scenario;
  if (overrides.rate) {
    scenario->rate_per_s = *overrides.rate;
    scenario->rate_curve.clear();
  }
  if (overrides.time_scale) scenario->time_scale = *overrides.time_scale;
  if (overrides.handle_time_s) scenario->handle_time.mean_s = *overrides.handle_time_s;
  if (!overrides.agent_tokens.empty()) {
    scenario->agent_tokens = absl::StrSplit(overrides.agent_tokens, ',', absl::SkipEmpty());
    scenario->agents = static_cast<int>(scenario->agent_tokens.size());
  }
  if (overrides.agent_token_prefix) scenario->agent_token_prefix = *overrides.agent_token_prefix;
  if (overrides.agents) scenario->agents = *overrides.agents;
  if (overrides.gateways) scenario->gateways_per_tenant = *overrides.gateways;
  if (!token.empty()) {
    if (scenario->tenants.size() != 1) {
      return absl::InvalidArgumentError(
          "--token: the scenario has several tenants; give each its gateway_token in the file");
    }
    scenario->tenants.front().gateway_token = token;
  }
  if (absl::Status valid = CheckScenario(*scenario); !valid.ok()) return valid;
  return scenario;
}

int Run(int argc, char** argv) {
  CLI::App app{
      "Plays a contact centre against acdd through its public gRPC API and measures it:\n"
      "Poisson arrivals spread over the scenario's tenants and queues, simulated agents who\n"
      "accept after a think time, handle, wrap up and take breaks, customers who abandon.\n"
      "Prints a summary (or, with --json, one JSON object) on stdout and a progress line on\n"
      "stderr. `acd-loadgen config` prints an acdd configuration matching the scenario.",
      kProgram};
  GlobalOptions global;
  // An overloaded target may take long to answer; a create that times out counts as failed.
  global.timeout_seconds = 30;
  AddGlobalOptions(app, global);
  app.require_subcommand(0, 1);
  app.fallthrough();
  app.get_option("--token")->required(false)->description(
      "gateway token of the scenario's tenant (default: the scenario's)");

  Overrides overrides;
  RunOptions options;
  bool json = false;
  bool no_ready = false;
  app.add_option("--scenario", overrides.scenario_path,
                 "YAML scenario (see clients/README.md); default: one tenant, one voice queue")
      ->type_name("FILE")
      ->check(CLI::ExistingFile);
  app.add_option("--rate", overrides.rate, "contacts per second of contact-centre time")
      ->type_name("N")
      ->check(CLI::PositiveNumber);
  app.add_option("--duration", options.duration_s, "real seconds of arrivals")
      ->type_name("SECONDS")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--agents", overrides.agents, "simulated agents (default: the scenario's)")
      ->type_name("N")
      ->check(CLI::Range(1, 1'000'000));
  app.add_option("--seed", options.seed, "seed of every random draw")->capture_default_str();
  app.add_flag("--json", json, "print one JSON object instead of the summary");
  app.add_option("--time-scale", overrides.time_scale,
                 "contact-centre seconds per real second (60: an hour in a minute)")
      ->type_name("X")
      ->check(CLI::PositiveNumber);
  app.add_option("--handle-time", overrides.handle_time_s,
                 "mean handle time in contact-centre seconds (keeps the scenario's distribution)")
      ->type_name("SECONDS")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--agent-tokens", overrides.agent_tokens,
                 "the agents' tokens, comma-separated (instead of PREFIX0, PREFIX1, ...)")
      ->type_name("T1,T2,...");
  app.add_option("--agent-token-prefix", overrides.agent_token_prefix,
                 "agent i's token is PREFIX followed by i (default demo-loadgen-agent-)")
      ->type_name("PREFIX");
  app.add_option("--gateways", overrides.gateways,
                 "gateways per tenant, each with its own token and event stream (default 1)")
      ->type_name("N")
      ->check(CLI::Range(1, 64));
  app.add_option("--connections", options.connections, "gRPC connections to spread calls over")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--max-in-flight", options.max_in_flight,
                 "creates awaiting an answer beyond which arrivals are skipped (and counted)")
      ->check(CLI::Range(1, 10'000'000))
      ->capture_default_str();
  app.add_option("--drain", options.drain_s,
                 "real seconds after the arrivals for the contacts under way to end")
      ->type_name("SECONDS")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_flag("--no-ready", no_ready,
               "agents stream but never become ready: every contact waits (memory tests)");

  CLI::App* config_command = app.add_subcommand(
      "config",
      "Print an acdd configuration (tenants, queues, agents, demo tokens) for the scenario");
  config_command->footer(
      "  acd-loadgen config --agents 1000 > loadgen.yaml\n"
      "  acdd --config loadgen.yaml &\n"
      "  acd-loadgen --agents 1000 --rate 200 --duration 30");

  if (const int exit_status = ParseCommandLine(app, argc, argv); exit_status >= 0) {
    return exit_status;
  }
  absl::StatusOr<Scenario> scenario = BuildScenario(overrides, global.token);
  if (!scenario.ok()) {
    std::cerr << kProgram << ": " << scenario.status().message() << "\n";
    return kExitUsage;
  }
  if (config_command->parsed()) {
    std::cout << AcddConfigFor(*scenario);
    return 0;
  }

  // Before any thread starts (gRPC's included).
  SignalWatcher signals;
  options.global = global;
  options.agents_ready = !no_ready;
  const bool tty = isatty(STDERR_FILENO) != 0;
  options.progress = [tty](const std::string& line) {
    if (tty) {
      std::fprintf(stderr, "\r%s\033[K", line.c_str());
    } else {
      std::fprintf(stderr, "%s\n", line.c_str());
    }
    std::fflush(stderr);
  };
  const ReportContext context{.target = global.target,
                              .time_scale = scenario->time_scale,
                              .offered_rate_per_s = scenario->RateAt(0) * scenario->time_scale,
                              .agents = scenario->agents};
  LoadRun run(*scenario, options);
  const SignalWatcher::HandlerScope on_signal = signals.OnSignal([&run] { run.Interrupt(); });
  absl::StatusOr<RunResult> result = run.Run();
  if (tty) std::fputs("\n", stderr);
  if (!result.ok()) {
    std::cerr << kProgram << ": " << result.status().message() << "\n";
    return kExitFailure;
  }
  std::cout << (json ? SummaryJson(*result, context) + "\n" : SummaryText(*result, context));
  std::cout.flush();
  return 0;
}

}  // namespace
}  // namespace acd::clients::loadgen

int main(int argc, char** argv) {
  try {
    return acd::clients::loadgen::Run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "acd-loadgen: " << e.what() << "\n";
    return acd::clients::kExitFailure;
  }
}
