#include "daemon/live_config.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <utility>

#include "absl/strings/str_cat.h"
#include "daemon/config_loader.h"
#include "daemon/core_runner.h"

namespace acd::daemon {
namespace {

/// Parses the decimal number at the front of `text` and the ':' after it, moving past both.
std::optional<int> TakeNumber(std::string_view& text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end == text.data() || end == text.data() + text.size() ||
      *end != ':') {
    return std::nullopt;
  }
  text.remove_prefix(static_cast<std::size_t>(end - text.data()) + 1);
  return value;
}

/// Appends to `changes` what differs between `from` and `to`, entities of one kind matched by
/// `key` (tenant, id).
template <typename Entity, typename Key>
void Diff(const std::vector<Entity>& from, const std::vector<Entity>& to, const std::string& kind,
          Key key, std::vector<ConfigChange>& changes) {
  const auto find = [&](const std::vector<Entity>& in, const Entity& entity) {
    return std::find_if(in.begin(), in.end(),
                        [&](const Entity& other) { return key(other) == key(entity); });
  };
  for (const Entity& entity : to) {
    auto before = find(from, entity);
    if (before != from.end() && *before == entity) continue;
    auto [tenant, id] = key(entity);
    changes.push_back(
        {.type = before == from.end() ? ConfigChange::Type::kAdded : ConfigChange::Type::kChanged,
         .kind = kind,
         .tenant = std::move(tenant),
         .id = std::move(id)});
  }
  for (const Entity& entity : from) {
    if (find(to, entity) != to.end()) continue;
    auto [tenant, id] = key(entity);
    changes.push_back({.type = ConfigChange::Type::kRemoved,
                       .kind = kind,
                       .tenant = std::move(tenant),
                       .id = std::move(id)});
  }
}

/// A tenant's skills as entities of their own.
struct NamedSkill {
  std::string tenant;
  std::string skill;
  bool operator==(const NamedSkill&) const = default;
};

std::vector<NamedSkill> SkillsOf(const routing::Catalog& catalog) {
  std::vector<NamedSkill> skills;
  for (const routing::TenantConfig& tenant : catalog.tenants) {
    for (const std::string& skill : tenant.skills) skills.push_back({tenant.id.value(), skill});
  }
  return skills;
}

std::string_view ChangeName(ConfigChange::Type type) {
  switch (type) {
    case ConfigChange::Type::kAdded:
      return "added";
    case ConfigChange::Type::kChanged:
      return "changed";
    case ConfigChange::Type::kRemoved:
      return "removed";
  }
  return "changed";
}

}  // namespace

ConfigProblem ProblemOf(const absl::Status& status, std::string_view source) {
  std::string_view text(status.message().data(), status.message().size());
  ConfigProblem problem{.message = std::string(text)};
  const std::string prefix = absl::StrCat(std::string(source), ":");
  if (!text.starts_with(prefix)) return problem;
  text.remove_prefix(prefix.size());
  const std::optional<int> line = TakeNumber(text);
  if (!line) return problem;
  const std::optional<int> column = TakeNumber(text);
  if (!column) return problem;
  if (text.starts_with(' ')) text.remove_prefix(1);
  return ConfigProblem{.line = *line, .column = *column, .message = std::string(text)};
}

/// How Catalog::FindProblem words a reference to what the catalog lacks.
constexpr std::string_view kReferenceProblems[] = {"unknown queue '", "unknown tenant '",
                                                   "unknown skill '", "is not defined",
                                                   "belongs to another tenant"};

absl::Status CheckConfig(const DaemonConfig& config) {
  if (std::optional<routing::CatalogProblem> problem = config.catalog.FindProblem()) {
    std::string message =
        absl::StrCat(problem->entity_kind, " '", problem->entity_id, "': ", problem->message);
    // The catalog words a reference to what it lacks "unknown queue 'x'" (or tenant, skill),
    // "... is not defined", or "... belongs to another tenant"; ids cannot hold spaces.
    const bool dangling = std::any_of(
        std::begin(kReferenceProblems), std::end(kReferenceProblems),
        [&](std::string_view words) { return message.find(words) != std::string::npos; });
    return dangling ? absl::FailedPreconditionError(std::move(message))
                    : absl::InvalidArgumentError(std::move(message));
  }
  std::vector<std::string> names;
  std::vector<TokenDigest> digests;
  for (const TokenConfig& token : config.tokens) {
    if (std::find(names.begin(), names.end(), token.name) != names.end()) {
      return absl::InvalidArgumentError(absl::StrCat("token '", token.name, "' is defined twice"));
    }
    names.push_back(token.name);
    if (token.token_sha256) {
      if (std::find(digests.begin(), digests.end(), *token.token_sha256) != digests.end()) {
        return absl::InvalidArgumentError(
            absl::StrCat("token '", token.name, "' has another token's secret"));
      }
      digests.push_back(*token.token_sha256);
    }
    if (token.tenant.value().empty()) {
      if (token.role != Role::kAdmin) {
        return absl::InvalidArgumentError(
            absl::StrCat("token '", token.name, "' needs a tenant (only admins act across all)"));
      }
      continue;
    }
    const auto& tenants = config.catalog.tenants;
    if (std::none_of(tenants.begin(), tenants.end(), [&](const routing::TenantConfig& tenant) {
          return tenant.id == token.tenant;
        })) {
      return absl::FailedPreconditionError(absl::StrCat(
          "token '", token.name, "' names tenant '", token.tenant.value(), "', which is unknown"));
    }
    if (token.role == Role::kAgent) {
      const auto& agents = config.catalog.agents;
      if (std::none_of(agents.begin(), agents.end(), [&](const routing::AgentConfig& agent) {
            return agent.id == token.agent && agent.tenant == token.tenant;
          })) {
        return absl::FailedPreconditionError(absl::StrCat("token '", token.name, "' names agent '",
                                                          token.agent.value(),
                                                          "', which its tenant does not have"));
      }
    }
  }
  return absl::OkStatus();
}

std::vector<ConfigChange> DiffConfigs(const DaemonConfig& from, const DaemonConfig& to) {
  std::vector<ConfigChange> changes;
  Diff(
      from.catalog.tenants, to.catalog.tenants, "tenant",
      [](const routing::TenantConfig& tenant) {
        return std::pair<std::string, std::string>("", tenant.id.value());
      },
      changes);
  Diff(
      SkillsOf(from.catalog), SkillsOf(to.catalog), "skill",
      [](const NamedSkill& skill) { return std::pair(skill.tenant, skill.skill); }, changes);
  Diff(
      from.catalog.queues, to.catalog.queues, "queue",
      [](const routing::QueueConfig& queue) {
        return std::pair(queue.tenant.value(), queue.id.value());
      },
      changes);
  Diff(
      from.catalog.agents, to.catalog.agents, "agent",
      [](const routing::AgentConfig& agent) {
        return std::pair(agent.tenant.value(), agent.id.value());
      },
      changes);
  Diff(
      from.tokens, to.tokens, "token",
      [](const TokenConfig& token) { return std::pair(token.tenant.value(), token.name); },
      changes);
  return changes;
}

LiveConfig::LiveConfig(std::string path, std::shared_ptr<const DaemonConfig> initial,
                       Authenticator& authenticator, CoreRunner& core, EventHub& hub)
    : path_(std::move(path)),
      authenticator_(authenticator),
      core_(core),
      hub_(hub),
      current_(std::move(initial)) {}

std::shared_ptr<const DaemonConfig> LiveConfig::Current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

void LiveConfig::Reload(bool dry_run, std::function<void(ReloadOutcome)> done) {
  if (path_.empty()) {
    done({.status = absl::FailedPreconditionError(
              "acdd runs without a configuration file: there is nothing to reload")});
    return;
  }
  if (reloading_.exchange(true)) {
    done({.status = absl::FailedPreconditionError("a reload is already in progress")});
    return;
  }
  ReloadOutcome outcome;
  absl::StatusOr<DaemonConfig> loaded = LoadConfigFile(path_);
  if (loaded.status().code() == absl::StatusCode::kNotFound) {
    outcome.status = absl::UnavailableError(loaded.status().message());
    Finish(std::move(outcome), dry_run, done);
    return;
  }
  if (!loaded.ok()) {
    outcome.problems.push_back(ProblemOf(loaded.status(), path_));
    Finish(std::move(outcome), dry_run, done);
    return;
  }
  auto next = std::make_shared<const DaemonConfig>(std::move(*loaded));
  outcome.read = next;
  core_.Post([this, dry_run, done = std::move(done), outcome = std::move(outcome),
              next = std::move(next)](CoreRunner& core) mutable {
    outcome.changes = DiffConfigs(*Current(), *next);
    std::vector<routing::Event> discarded;
    const absl::Status fits =
        dry_run ? core.router().Reconfigured(next->catalog, core.Now(), discarded).status()
                : ApplyOnCore(core, next);
    if (!fits.ok()) {
      outcome.problems.push_back({.message = std::string(fits.message())});
      Finish(std::move(outcome), dry_run, done);
      return;
    }
    if (dry_run) {
      Finish(std::move(outcome), dry_run, done);
      return;
    }
    outcome.applied = true;
    // What the core did since is durable once the entries before the change are: answer then.
    core.WhenDurable([this, dry_run, done = std::move(done),
                      outcome = std::move(outcome)](const absl::Status& durable) mutable {
      if (!durable.ok()) outcome.status = durable;
      Finish(std::move(outcome), dry_run, done);
    });
  });
}

absl::Status LiveConfig::ApplyOnCore(CoreRunner& core, std::shared_ptr<const DaemonConfig> next) {
  if (absl::Status status = core.Reconfigure(next->catalog); !status.ok()) return status;
  authenticator_.Replace(next->tokens);
  std::shared_ptr<const DaemonConfig> before;
  {
    std::lock_guard lock(mutex_);
    before = std::exchange(current_, next);
  }
  // The tokens gone, or changed (a rotated secret): what was opened with them ends.
  std::vector<std::string> revoked;
  std::vector<routing::AgentId> agents;
  for (const TokenConfig& token : before->tokens) {
    auto now = std::find_if(next->tokens.begin(), next->tokens.end(),
                            [&](const TokenConfig& other) { return other.name == token.name; });
    // An expiry set or moved ends nothing now: the token is refused from then on.
    const bool still_valid = now != next->tokens.end() && now->disabled <= token.disabled &&
                             now->token_sha256 == token.token_sha256 &&
                             now->client_certificate == token.client_certificate &&
                             now->role == token.role && now->tenant == token.tenant &&
                             now->agent == token.agent;
    if (still_valid) continue;
    revoked.push_back(token.name);
    if (token.role == Role::kAgent) agents.push_back(token.agent);
  }
  if (!revoked.empty()) {
    hub_.CloseStreamsOf(
        revoked, agents,
        grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                     "the token this stream was opened with was removed or its secret changed"));
  }
  return absl::OkStatus();
}

void LiveConfig::Change(Edit edit, std::function<void(absl::Status)> done) {
  core_.Post([this, edit = std::move(edit), done = std::move(done)](CoreRunner& core) {
    const std::shared_ptr<const DaemonConfig> current = Current();
    absl::StatusOr<DaemonConfig> edited = edit(*current);
    absl::Status status = edited.status();
    if (status.ok()) status = CheckConfig(*edited);
    if (status.ok()) {
      const std::vector<ConfigChange> changes = DiffConfigs(*current, *edited);
      status = ApplyOnCore(core, std::make_shared<const DaemonConfig>(std::move(*edited)));
      if (status.ok()) {
        for (const ConfigChange& change : changes) {
          spdlog::info("admin change: {} {} {}{}{}", ChangeName(change.type), change.kind,
                       change.tenant, change.tenant.empty() ? "" : "/", change.id);
        }
      }
    }
    if (!status.ok()) {
      done(status);
      return;
    }
    core.WhenDurable([done](const absl::Status& durable) { done(durable); });
  });
}

void LiveConfig::Finish(ReloadOutcome outcome, bool dry_run,
                        const std::function<void(ReloadOutcome)>& done) {
  reloading_ = false;
  if (!outcome.status.ok()) {
    spdlog::warn("configuration reload from {} failed: {}", path_,
                 std::string(outcome.status.message()));
  } else if (!outcome.problems.empty()) {
    const ConfigProblem& problem = outcome.problems.front();
    spdlog::warn("configuration {} not applied: {}{}", path_,
                 problem.line > 0 ? absl::StrCat("line ", problem.line, ": ") : std::string(),
                 problem.message);
  } else if (!dry_run) {
    spdlog::info("configuration reloaded from {}: {} changes", path_, outcome.changes.size());
    for (const ConfigChange& change : outcome.changes) {
      spdlog::info("  {} {} {}{}{}", ChangeName(change.type), change.kind, change.tenant,
                   change.tenant.empty() ? "" : "/", change.id);
    }
  }
  done(std::move(outcome));
}

}  // namespace acd::daemon
