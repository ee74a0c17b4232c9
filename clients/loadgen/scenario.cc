#include "clients/loadgen/scenario.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <initializer_list>
#include <set>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace acd::clients::loadgen {
namespace {

using sim::Distribution;

/// A mistake in the file, with the node's place; thrown inside the reader, caught at its entry.
struct ScenarioError {
  std::string message;
};

[[noreturn]] void Fail(const YAML::Node& node, const std::string& field,
                       const std::string& message) {
  const YAML::Mark mark = node.Mark();
  throw ScenarioError{
      absl::StrCat(mark.line + 1, ":", mark.column + 1, ": ", field, ": ", message)};
}

void CheckKeys(const YAML::Node& node, const std::string& field,
               std::initializer_list<const char*> known) {
  if (!node.IsMap()) Fail(node, field, "expected a mapping");
  for (const auto& entry : node) {
    const std::string key = entry.first.as<std::string>();
    if (std::none_of(known.begin(), known.end(), [&](const char* name) { return key == name; })) {
      Fail(entry.first, field.empty() ? key : absl::StrCat(field, ".", key),
           absl::StrCat("unknown key; expected one of ", absl::StrJoin(known, ", ")));
    }
  }
}

std::string Field(const std::string& parent, const std::string& key) {
  return parent.empty() ? std::string(key) : absl::StrCat(parent, ".", key);
}

std::string ReadString(const YAML::Node& node, const std::string& field) {
  if (!node.IsScalar()) Fail(node, field, "expected a string");
  return node.as<std::string>();
}

double ReadNumber(const YAML::Node& node, const std::string& field) {
  double value = 0;
  if (!node.IsScalar() || !absl::SimpleAtod(node.Scalar(), &value) || !std::isfinite(value)) {
    Fail(node, field, "expected a number");
  }
  return value;
}

double ReadPositive(const YAML::Node& node, const std::string& field) {
  const double value = ReadNumber(node, field);
  if (value <= 0) Fail(node, field, "must be greater than 0");
  return value;
}

int ReadInt(const YAML::Node& node, const std::string& field, int low, int high) {
  int value = 0;
  if (!node.IsScalar() || !absl::SimpleAtoi(node.Scalar(), &value) || value < low || value > high) {
    Fail(node, field, absl::StrCat("expected a whole number from ", low, " to ", high));
  }
  return value;
}

/// "500ms", "20s", "3m", "1h" or a plain number of seconds.
double ReadDuration(const YAML::Node& node, const std::string& field) {
  static constexpr std::pair<std::string_view, double> kUnits[] = {
      {"ms", 1e-3}, {"s", 1.0}, {"m", 60.0}, {"h", 3600.0}};
  const std::string kExpected = "expected a duration such as 500ms, 20s, 3m or 1h";
  if (!node.IsScalar()) Fail(node, field, kExpected);
  std::string_view text = node.Scalar();
  double scale = 1.0;
  for (const auto& [suffix, seconds] : kUnits) {
    if (text.size() > suffix.size() && text.ends_with(suffix)) {
      // "ms" is checked before "s", so "500ms" is not read as 500m + s.
      const std::string_view number = text.substr(0, text.size() - suffix.size());
      if (!number.empty() && (std::isdigit(static_cast<unsigned char>(number.back())) != 0)) {
        text = number;
        scale = seconds;
        break;
      }
    }
  }
  double value = 0;
  if (!absl::SimpleAtod(std::string(text), &value) || !std::isfinite(value) || value < 0) {
    Fail(node, field, kExpected);
  }
  return value * scale;
}

/// A duration alone (fixed), or {distribution: fixed|exponential|lognormal, mean: D, cv: X}.
Distribution ReadDistribution(const YAML::Node& node, const std::string& field) {
  if (node.IsScalar()) {
    return Distribution{.kind = Distribution::Kind::kFixed, .mean_s = ReadDuration(node, field)};
  }
  CheckKeys(node, field, {"distribution", "mean", "cv"});
  Distribution distribution;
  if (!node["distribution"]) Fail(node, Field(field, "distribution"), "missing");
  const std::string kind = ReadString(node["distribution"], Field(field, "distribution"));
  const std::optional<Distribution::Kind> parsed = sim::ParseDistributionKind(kind);
  if (!parsed) {
    Fail(node["distribution"], Field(field, "distribution"),
         "expected fixed, exponential or lognormal");
  }
  distribution.kind = *parsed;
  if (!node["mean"]) Fail(node, Field(field, "mean"), "missing");
  distribution.mean_s = ReadDuration(node["mean"], Field(field, "mean"));
  if (distribution.kind != Distribution::Kind::kFixed && distribution.mean_s <= 0) {
    Fail(node["mean"], Field(field, "mean"), "must be greater than 0 for this distribution");
  }
  if (node["cv"]) {
    if (distribution.kind != Distribution::Kind::kLogNormal) {
      Fail(node["cv"], Field(field, "cv"), "only a lognormal distribution takes a cv");
    }
    distribution.cv = ReadPositive(node["cv"], Field(field, "cv"));
  }
  return distribution;
}

void ReadAgents(const YAML::Node& node, Scenario& scenario) {
  CheckKeys(node, "agents",
            {"count", "token_prefix", "tokens", "think_time", "handle_time", "wrap_up_time",
             "breaks", "disposition"});
  if (node["count"]) scenario.agents = ReadInt(node["count"], "agents.count", 1, 1'000'000);
  if (node["token_prefix"]) {
    scenario.agent_token_prefix = ReadString(node["token_prefix"], "agents.token_prefix");
  }
  if (const YAML::Node tokens = node["tokens"]) {
    if (!tokens.IsSequence()) Fail(tokens, "agents.tokens", "expected a list of tokens");
    for (const auto& token : tokens) {
      scenario.agent_tokens.push_back(ReadString(token, "agents.tokens"));
    }
    if (!node["count"]) scenario.agents = static_cast<int>(scenario.agent_tokens.size());
  }
  if (node["think_time"]) {
    scenario.think_time = ReadDistribution(node["think_time"], "agents.think_time");
  }
  if (node["handle_time"]) {
    scenario.handle_time = ReadDistribution(node["handle_time"], "agents.handle_time");
  }
  if (node["wrap_up_time"]) {
    scenario.wrap_up_time = ReadDistribution(node["wrap_up_time"], "agents.wrap_up_time");
  }
  if (const YAML::Node breaks = node["breaks"]) {
    CheckKeys(breaks, "agents.breaks", {"every", "length", "reason"});
    if (!breaks["every"]) Fail(breaks, "agents.breaks.every", "missing");
    scenario.break_every = ReadDistribution(breaks["every"], "agents.breaks.every");
    if (breaks["length"]) {
      scenario.break_length = ReadDistribution(breaks["length"], "agents.breaks.length");
    }
    if (breaks["reason"]) {
      scenario.break_reason = ReadString(breaks["reason"], "agents.breaks.reason");
    }
  }
  if (node["disposition"]) {
    scenario.disposition = ReadString(node["disposition"], "agents.disposition");
  }
}

QueueMix ReadQueue(const YAML::Node& node, const std::string& field) {
  CheckKeys(node, field, {"id", "channel", "skills", "weight"});
  QueueMix queue;
  if (!node["id"]) Fail(node, Field(field, "id"), "missing");
  queue.id = ReadString(node["id"], Field(field, "id"));
  if (node["channel"]) queue.channel = ReadString(node["channel"], Field(field, "channel"));
  if (const YAML::Node skills = node["skills"]) {
    if (!skills.IsMap()) Fail(skills, Field(field, "skills"), "expected {skill: min_level, ...}");
    for (const auto& skill : skills) {
      const std::string name = ReadString(skill.first, Field(field, "skills"));
      queue.skills.emplace_back(name, ReadInt(skill.second, Field(field, "skills." + name), 1, 10));
    }
  }
  if (node["weight"]) queue.weight = ReadPositive(node["weight"], Field(field, "weight"));
  return queue;
}

void ReadTenants(const YAML::Node& node, Scenario& scenario) {
  if (!node.IsSequence() || node.size() == 0) {
    Fail(node, "tenants", "expected a list of at least one tenant");
  }
  for (std::size_t t = 0; t < node.size(); ++t) {
    const YAML::Node entry = node[t];
    const std::string field = absl::StrCat("tenants[", t, "]");
    CheckKeys(entry, field, {"id", "gateway_token", "weight", "queues"});
    TenantMix tenant;
    if (!entry["id"]) Fail(entry, Field(field, "id"), "missing");
    tenant.id = ReadString(entry["id"], Field(field, "id"));
    if (!entry["gateway_token"]) Fail(entry, Field(field, "gateway_token"), "missing");
    tenant.gateway_token = ReadString(entry["gateway_token"], Field(field, "gateway_token"));
    if (entry["weight"]) tenant.weight = ReadPositive(entry["weight"], Field(field, "weight"));
    const YAML::Node queues = entry["queues"];
    if (!queues || !queues.IsSequence() || queues.size() == 0) {
      Fail(queues ? queues : entry, Field(field, "queues"),
           "expected a list of at least one queue");
    }
    for (std::size_t q = 0; q < queues.size(); ++q) {
      tenant.queues.push_back(ReadQueue(queues[q], absl::StrCat(field, ".queues[", q, "]")));
    }
    scenario.tenants.push_back(std::move(tenant));
  }
}

Scenario ReadScenario(const YAML::Node& root) {
  CheckKeys(root, "",
            {"rate", "rate_curve", "time_scale", "service_level_threshold", "agents", "customers",
             "tenants", "gateways_per_tenant"});
  Scenario scenario;
  scenario.tenants.clear();
  if (root["rate"]) scenario.rate_per_s = ReadPositive(root["rate"], "rate");
  if (const YAML::Node curve = root["rate_curve"]) {
    if (!curve.IsSequence() || curve.size() == 0) {
      Fail(curve, "rate_curve", "expected a list of {at: DURATION, rate: N}");
    }
    for (std::size_t i = 0; i < curve.size(); ++i) {
      const std::string field = absl::StrCat("rate_curve[", i, "]");
      CheckKeys(curve[i], field, {"at", "rate"});
      if (!curve[i]["at"] || !curve[i]["rate"]) Fail(curve[i], field, "needs both at and rate");
      RatePoint point{.at_s = ReadDuration(curve[i]["at"], Field(field, "at")),
                      .per_s = ReadNumber(curve[i]["rate"], Field(field, "rate"))};
      if (point.per_s < 0) Fail(curve[i]["rate"], Field(field, "rate"), "must not be negative");
      if (!scenario.rate_curve.empty() && point.at_s <= scenario.rate_curve.back().at_s) {
        Fail(curve[i]["at"], Field(field, "at"), "must come after the previous point's");
      }
      scenario.rate_curve.push_back(point);
    }
  }
  if (root["time_scale"]) scenario.time_scale = ReadPositive(root["time_scale"], "time_scale");
  if (root["service_level_threshold"]) {
    scenario.service_level_threshold_s =
        ReadDuration(root["service_level_threshold"], "service_level_threshold");
  }
  if (root["gateways_per_tenant"]) {
    scenario.gateways_per_tenant =
        ReadInt(root["gateways_per_tenant"], "gateways_per_tenant", 1, 64);
  }
  if (root["agents"]) ReadAgents(root["agents"], scenario);
  if (const YAML::Node customers = root["customers"]) {
    CheckKeys(customers, "customers", {"patience"});
    if (customers["patience"]) {
      scenario.patience = ReadDistribution(customers["patience"], "customers.patience");
    }
  }
  if (!root["tenants"]) Fail(root, "tenants", "missing");
  ReadTenants(root["tenants"], scenario);
  return scenario;
}

bool ValidDistribution(const Distribution& distribution) {
  return distribution.mean_s >= 0 &&
         (distribution.kind == Distribution::Kind::kFixed || distribution.mean_s > 0) &&
         distribution.cv > 0;
}

}  // namespace

double Scenario::RateAt(double at_s) const {
  if (rate_curve.empty()) return rate_per_s;
  double rate = rate_curve.front().per_s;
  for (const RatePoint& point : rate_curve) {
    if (point.at_s > at_s) break;
    rate = point.per_s;
  }
  return rate;
}

std::string Scenario::GatewayToken(const TenantMix& tenant, int k) const {
  return k == 0 ? tenant.gateway_token : absl::StrCat(tenant.gateway_token, "-", k);
}

std::string Scenario::AgentToken(int agent) const {
  if (!agent_tokens.empty()) return agent_tokens[static_cast<std::size_t>(agent)];
  return absl::StrCat(agent_token_prefix, agent);
}

Scenario DefaultScenario() {
  Scenario scenario;
  scenario.tenants = {
      {.id = "loadgen",
       .gateway_token = "demo-loadgen-gateway",
       .queues = {{.id = "loadgen.support", .channel = "voice", .skills = {{"support", 1}}}}}};
  return scenario;
}

absl::StatusOr<Scenario> LoadScenario(const std::string& path) {
  std::ifstream file(path);
  if (!file) return absl::NotFoundError(absl::StrCat(path, ": cannot be read"));
  try {
    return ReadScenario(YAML::Load(file));
  } catch (const ScenarioError& error) {
    return absl::InvalidArgumentError(absl::StrCat(path, ":", error.message));
  } catch (const YAML::Exception& error) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ":", error.mark.line + 1, ":", error.mark.column + 1, ": ", error.msg));
  }
}

absl::Status CheckScenario(const Scenario& scenario) {
  auto invalid = [](const std::string& field, const std::string& message) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": ", message));
  };
  if (!(scenario.rate_per_s > 0) && scenario.rate_curve.empty()) {
    return invalid("rate", "must be greater than 0");
  }
  if (!(scenario.time_scale > 0)) return invalid("time_scale", "must be greater than 0");
  if (scenario.agents < 1) return invalid("agents", "at least one agent");
  if (scenario.gateways_per_tenant < 1 || scenario.gateways_per_tenant > 64) {
    return invalid("gateways_per_tenant", "expected 1 to 64");
  }
  if (!scenario.agent_tokens.empty() &&
      static_cast<std::size_t>(scenario.agents) > scenario.agent_tokens.size()) {
    return invalid("agents.tokens", absl::StrCat("lists ", scenario.agent_tokens.size(),
                                                 " tokens for ", scenario.agents, " agents"));
  }
  for (const auto& [field, distribution] :
       {std::pair<const char*, const Distribution*>{"agents.think_time", &scenario.think_time},
        {"agents.handle_time", &scenario.handle_time},
        {"agents.wrap_up_time", &scenario.wrap_up_time},
        {"agents.breaks.length", &scenario.break_length}}) {
    if (!ValidDistribution(*distribution)) return invalid(field, "mean and cv must be positive");
  }
  if (scenario.break_every && !(scenario.break_every->mean_s > 0)) {
    return invalid("agents.breaks.every", "must be greater than 0");
  }
  if (scenario.patience && !ValidDistribution(*scenario.patience)) {
    return invalid("customers.patience", "mean and cv must be positive");
  }
  if (scenario.tenants.empty()) return invalid("tenants", "at least one tenant");
  if (static_cast<std::size_t>(scenario.agents) < scenario.tenants.size()) {
    return invalid("agents", "at least one agent per tenant");
  }
  std::set<std::string> tenant_ids;
  std::set<std::string> queue_ids;
  for (const TenantMix& tenant : scenario.tenants) {
    if (tenant.id.empty()) return invalid("tenants.id", "must not be empty");
    if (!tenant_ids.insert(tenant.id).second) {
      return invalid("tenants.id", absl::StrCat("'", tenant.id, "' appears twice"));
    }
    if (tenant.gateway_token.empty()) {
      return invalid(absl::StrCat("tenants[", tenant.id, "].gateway_token"), "must not be empty");
    }
    if (tenant.queues.empty())
      return invalid(absl::StrCat("tenants[", tenant.id, "].queues"), "empty");
    for (const QueueMix& queue : tenant.queues) {
      if (queue.id.empty()) return invalid("queues.id", "must not be empty");
      if (!queue_ids.insert(queue.id).second) {
        return invalid("queues.id", absl::StrCat("'", queue.id, "' appears twice"));
      }
      static constexpr std::string_view kChannels[] = {"voice",     "chat",     "email",
                                                       "messaging", "callback", "work_item"};
      if (std::find(std::begin(kChannels), std::end(kChannels), queue.channel) ==
          std::end(kChannels)) {
        return invalid(absl::StrCat("queue '", queue.id, "'.channel"),
                       "expected voice, chat, email, messaging, callback or work_item");
      }
    }
  }
  return absl::OkStatus();
}

std::string DescribeScenario(const Scenario& scenario) {
  char rate[64];
  if (scenario.rate_curve.empty()) {
    std::snprintf(rate, sizeof rate, "%.4g/s", scenario.rate_per_s);
  } else {
    std::snprintf(rate, sizeof rate, "curve of %zu points", scenario.rate_curve.size());
  }
  std::size_t queues = 0;
  for (const TenantMix& tenant : scenario.tenants) queues += tenant.queues.size();
  return absl::StrCat("rate ", rate, " x time scale ", scenario.time_scale, ", ", scenario.agents,
                      " agents, ", scenario.tenants.size(), " tenants, ", queues,
                      " queues, handle ", scenario.handle_time.Describe(), ", patience ",
                      scenario.patience ? scenario.patience->Describe() : "none");
}

}  // namespace acd::clients::loadgen
