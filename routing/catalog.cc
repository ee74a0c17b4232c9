#include "routing/catalog.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace acd::routing {
namespace {

constexpr std::array<std::string_view, kChannelCount> kChannelNames = {
    "voice", "chat", "email", "messaging", "callback", "work_item"};

constexpr int kMaxCapacityPerChannel = 100;

CatalogProblem Problem(std::string kind, const std::string& id, std::string message) {
  return CatalogProblem{std::move(kind), id, std::move(message)};
}

}  // namespace

std::string_view ChannelName(Channel channel) {
  return kChannelNames[static_cast<std::size_t>(channel)];
}

std::optional<Channel> ParseChannel(std::string_view name) {
  for (std::size_t i = 0; i < kChannelCount; ++i) {
    if (kChannelNames[i] == name) return static_cast<Channel>(i);
  }
  return std::nullopt;
}

std::string_view StrategyName(SelectionStrategy strategy) {
  switch (strategy) {
    case SelectionStrategy::kLongestIdle:
      return "longest_idle";
  }
  return "unknown";
}

std::optional<SelectionStrategy> ParseStrategy(std::string_view name) {
  if (name == "longest_idle") return SelectionStrategy::kLongestIdle;
  return std::nullopt;
}

std::string_view WrapUpPolicyName(WrapUpPolicy policy) {
  switch (policy) {
    case WrapUpPolicy::kNone:
      return "none";
    case WrapUpPolicy::kTimed:
      return "timed";
    case WrapUpPolicy::kMandatory:
      return "mandatory";
  }
  return "unknown";
}

std::optional<WrapUpPolicy> ParseWrapUpPolicy(std::string_view name) {
  for (WrapUpPolicy policy :
       {WrapUpPolicy::kNone, WrapUpPolicy::kTimed, WrapUpPolicy::kMandatory}) {
    if (WrapUpPolicyName(policy) == name) return policy;
  }
  return std::nullopt;
}

std::optional<CatalogProblem> Catalog::FindProblem() const {
  if (finished_contact_retention < Duration::zero()) {
    return Problem("contact retention", "", "cannot be negative");
  }
  std::unordered_map<std::string, std::unordered_set<std::string>> skills_by_tenant;
  for (const TenantConfig& tenant : tenants) {
    if (tenant.id.value().empty()) return Problem("tenant", "", "a tenant needs an id");
    auto [it, inserted] = skills_by_tenant.try_emplace(tenant.id.value());
    if (!inserted) return Problem("tenant", tenant.id.value(), "duplicate tenant id");
    const AgentPolicy& policy = tenant.agent_policy;
    if (policy.decline_cooldown < Duration::zero() ||
        policy.no_answer_cooldown < Duration::zero() ||
        policy.disconnect_grace < Duration::zero()) {
      return Problem("tenant", tenant.id.value(), "cooldowns and grace periods cannot be negative");
    }
    if (policy.not_ready_after_misses < 1) {
      return Problem("tenant", tenant.id.value(), "not_ready_after_misses must be at least 1");
    }
    for (const std::string& skill : tenant.skills) {
      if (skill.empty()) return Problem("tenant", tenant.id.value(), "a skill needs a name");
      if (!it->second.insert(skill).second) {
        return Problem("tenant", tenant.id.value(), "duplicate skill '" + skill + "'");
      }
    }
  }

  std::unordered_map<std::string, const QueueConfig*> queue_by_id;
  for (const QueueConfig& queue : queues) {
    const std::string& id = queue.id.value();
    if (id.empty()) return Problem("queue", "", "a queue needs an id");
    if (!queue_by_id.emplace(id, &queue).second) return Problem("queue", id, "duplicate queue id");
    if (!skills_by_tenant.contains(queue.tenant.value())) {
      return Problem("queue", id, "unknown tenant '" + queue.tenant.value() + "'");
    }
    if (queue.channels.empty()) return Problem("queue", id, "a queue needs at least one channel");
    if (queue.service_level_target <= 0.0 || queue.service_level_target > 1.0) {
      return Problem("queue", id, "service level target must be in (0, 1]");
    }
    if (queue.service_level_threshold <= Duration::zero()) {
      return Problem("queue", id, "service level threshold must be positive");
    }
    if (queue.offer_timeout <= Duration::zero()) {
      return Problem("queue", id, "offer timeout must be positive");
    }
    if (queue.wrap_up.policy == WrapUpPolicy::kTimed && queue.wrap_up.timeout <= Duration::zero()) {
      return Problem("queue", id, "a timed wrap-up needs a positive timeout");
    }
  }

  std::unordered_set<std::string> agent_ids;
  for (const AgentConfig& agent : agents) {
    const std::string& id = agent.id.value();
    if (id.empty()) return Problem("agent", "", "an agent needs an id");
    if (!agent_ids.insert(id).second) return Problem("agent", id, "duplicate agent id");
    auto tenant = skills_by_tenant.find(agent.tenant.value());
    if (tenant == skills_by_tenant.end()) {
      return Problem("agent", id, "unknown tenant '" + agent.tenant.value() + "'");
    }
    for (const SkillLevel& skill : agent.skills) {
      if (!tenant->second.contains(skill.skill)) {
        return Problem(
            "agent", id,
            "skill '" + skill.skill + "' is not defined in tenant '" + tenant->first + "'");
      }
      if (skill.level < kMinSkillLevel || skill.level > kMaxSkillLevel) {
        return Problem("agent", id, "skill '" + skill.skill + "' level must be 1-10");
      }
    }
    for (const QueueId& queue_id : agent.queues) {
      auto queue = queue_by_id.find(queue_id.value());
      if (queue == queue_by_id.end()) {
        return Problem("agent", id, "unknown queue '" + queue_id.value() + "'");
      }
      if (queue->second->tenant != agent.tenant) {
        return Problem("agent", id, "queue '" + queue_id.value() + "' belongs to another tenant");
      }
    }
    if (std::any_of(agent.capacity.begin(), agent.capacity.end(),
                    [](int c) { return c < 0 || c > kMaxCapacityPerChannel; })) {
      return Problem("agent", id, "capacity per channel must be 0-100");
    }
  }
  return std::nullopt;
}

}  // namespace acd::routing
