#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "sim/distribution.h"

namespace acd::clients::loadgen {

/// One queue contacts are sent to, and what they require there.
struct QueueMix {
  std::string id;
  /// The channel's name as the configuration spells it ("voice", "chat", ...).
  std::string channel = "voice";
  /// Required skills and their minimum levels (1-10).
  std::vector<std::pair<std::string, int>> skills;
  /// Share of the tenant's contacts, relative to its other queues (> 0).
  double weight = 1.0;
};

/// One tenant: the gateway token that creates its contacts and the queues they go to.
struct TenantMix {
  std::string id;
  /// The gateway's bearer token (a demo secret of the generated configuration).
  std::string gateway_token;
  /// Share of all contacts, relative to the other tenants (> 0).
  double weight = 1.0;
  std::vector<QueueMix> queues;
};

/// The arrival rate from a point of contact-centre time on, until the next point.
struct RatePoint {
  double at_s = 0.0;
  double per_s = 0.0;
};

/// What acd-loadgen plays: who calls, how often, and how the simulated agents and customers
/// behave. Durations and rates are in contact-centre time; `time_scale` of them pass in each
/// real second.
struct Scenario {
  /// Contacts per second of contact-centre time, used when `rate_curve` is empty.
  double rate_per_s = 10.0;
  /// Piecewise constant: each point's rate holds until the next point's time.
  std::vector<RatePoint> rate_curve;
  /// Contact-centre seconds per real second (60: an hour runs in a minute).
  double time_scale = 1.0;

  /// Simulated agents. Agent i uses the bearer token `agent_token_prefix` + i, unless
  /// `agent_tokens` lists them; agent i belongs to tenant i modulo the number of tenants.
  int agents = 10;
  std::string agent_token_prefix = "demo-loadgen-agent-";
  std::vector<std::string> agent_tokens;
  /// From an offer to its accept.
  sim::Distribution think_time{.kind = sim::Distribution::Kind::kFixed, .mean_s = 0.0};
  /// From the accept to the end of the interaction.
  sim::Distribution handle_time{.kind = sim::Distribution::Kind::kExponential, .mean_s = 180.0};
  /// From the end of the interaction to submitting the wrap-up (when the queue has one).
  sim::Distribution wrap_up_time{.kind = sim::Distribution::Kind::kFixed, .mean_s = 0.0};
  /// Time between breaks (an agent goes on break when it is free after that), and their length;
  /// none when unset.
  std::optional<sim::Distribution> break_every;
  sim::Distribution break_length{.kind = sim::Distribution::Kind::kFixed, .mean_s = 600.0};
  std::string break_reason = "break";
  std::string disposition = "resolved";

  /// How long a waiting customer stays before hanging up; nobody abandons when unset.
  std::optional<sim::Distribution> patience;
  /// For the service level the simulation reports (answered within it ÷ answered).
  double service_level_threshold_s = 20.0;

  std::vector<TenantMix> tenants;
  /// Gateways per tenant, each with a token and a WatchContacts stream of its own, creating
  /// contacts in turn (a telephony platform has several): the first uses the tenant's
  /// `gateway_token`, gateway k > 0 that token followed by "-k".
  int gateways_per_tenant = 1;

  /// The rate in force `at_s` seconds of contact-centre time into the run.
  double RateAt(double at_s) const;
  /// The bearer token of `tenant`'s gateway k.
  std::string GatewayToken(const TenantMix& tenant, int k) const;
  /// Agent i's bearer token.
  std::string AgentToken(int agent) const;
};

/// One tenant "loadgen" with a voice queue "loadgen.support" requiring the skill "support", and
/// demo tokens for its gateway and agents: what `acd-loadgen config` writes without a scenario.
Scenario DefaultScenario();

/// Reads a scenario from a YAML file (see clients/README.md for its keys). A mistake is
/// InvalidArgument naming the place and the field: `FILE:LINE:COLUMN: agents.handle_time.mean:
/// expected a duration such as 500ms, 20s or 3m`; an unreadable file NotFound.
absl::StatusOr<Scenario> LoadScenario(const std::string& path);

/// Whether the scenario holds together (after command-line overrides); InvalidArgument naming
/// the field otherwise.
absl::Status CheckScenario(const Scenario& scenario);

/// "lognormal(mean 180 s, cv 0.6)"-style description of the scenario's main figures, one line.
std::string DescribeScenario(const Scenario& scenario);

}  // namespace acd::clients::loadgen
