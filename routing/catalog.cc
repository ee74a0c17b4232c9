#include "routing/catalog.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace acd::routing {
namespace {

constexpr std::array<std::string_view, kChannelCount> kChannelNames = {
    "voice", "chat", "email", "messaging", "callback", "work_item"};

constexpr int kMaxCapacityPerChannel = 100;
constexpr int kMaxStepBoost = 100;

CatalogProblem Problem(std::string kind, const std::string& id, std::string message) {
  return CatalogProblem{std::move(kind), id, std::move(message)};
}

bool Accepts(const QueueConfig& queue, Channel channel) {
  return std::find(queue.channels.begin(), queue.channels.end(), channel) != queue.channels.end();
}

using QueueById = std::unordered_map<std::string, const QueueConfig*>;

// Follows closed overflows from `start`: a chain that comes back to a queue would send a new
// contact round in circles while they are all closed.
std::optional<std::string> FindClosedCycle(const QueueConfig& start, const QueueById& queue_by_id) {
  std::unordered_set<std::string> seen{start.id.value()};
  const QueueConfig* at = &start;
  while (at->closed_overflow && at->closed_overflow->action == OverflowAction::kQueue) {
    const std::string& target = at->closed_overflow->queue.value();
    auto it = queue_by_id.find(target);
    if (it == queue_by_id.end()) return std::nullopt;  // Reported as unknown on its own.
    if (!seen.insert(target).second) {
      return "closed overflow to '" + target + "' goes round in a circle";
    }
    at = it->second;
  }
  return std::nullopt;
}

// The other queues a waiting contact of `queue` can be moved to: by its overflow (max wait, max
// size) and by overflow steps.
std::vector<std::string> MoveTargets(const QueueConfig& queue) {
  std::vector<const Overflow*> overflows{&queue.overflow};
  for (const QueueStep& step : queue.steps) {
    if (const auto* overflow = std::get_if<Overflow>(&step.action)) overflows.push_back(overflow);
  }
  std::vector<std::string> targets;
  for (const Overflow* overflow : overflows) {
    if (overflow->action == OverflowAction::kReject) continue;
    const std::string& target = overflow->queue.value();
    if (!target.empty() && target != queue.id.value()) targets.push_back(target);
  }
  return targets;
}

// A contact moved to a queue runs that queue's steps it is already old enough for at once, so a
// path of moves that leads back to a queue would loop without time passing: refuse any.
std::optional<CatalogProblem> FindMoveCycle(const std::vector<QueueConfig>& queues,
                                            const QueueById& queue_by_id) {
  enum class Mark : std::uint8_t { kUnseen, kOnPath, kDone };
  std::unordered_map<std::string, Mark> marks;
  // Iterative depth-first search: (queue, index of its next target to visit).
  for (const QueueConfig& root : queues) {
    if (marks[root.id.value()] != Mark::kUnseen) continue;
    std::vector<std::pair<const QueueConfig*, std::size_t>> path{{&root, 0}};
    marks[root.id.value()] = Mark::kOnPath;
    while (!path.empty()) {
      auto& [at, next] = path.back();
      const std::vector<std::string> targets = MoveTargets(*at);
      if (next == targets.size()) {
        marks[at->id.value()] = Mark::kDone;
        path.pop_back();
        continue;
      }
      const std::string& target = targets[next++];
      auto it = queue_by_id.find(target);
      if (it == queue_by_id.end()) continue;  // Reported as unknown on its own.
      Mark& mark = marks[target];
      if (mark == Mark::kOnPath) {
        std::string circle;
        bool on_circle = false;
        for (const auto& [queue, unused] : path) {
          on_circle = on_circle || queue->id.value() == target;
          if (on_circle) circle += queue->id.value() + " -> ";
        }
        return Problem("queue", target,
                       "overflow goes round in a circle (" + circle + target +
                           "): a contact would never stop moving");
      }
      if (mark == Mark::kUnseen) {
        mark = Mark::kOnPath;
        path.emplace_back(it->second, 0);
      }
    }
  }
  return std::nullopt;
}

std::optional<std::string> FindOverflowProblem(const QueueConfig& queue, const Overflow& overflow,
                                               const QueueById& queue_by_id) {
  if (overflow.action == OverflowAction::kReject) return std::nullopt;
  if (overflow.action == OverflowAction::kQueue && overflow.queue.value().empty()) {
    return "an overflow to a queue needs the queue";
  }
  const QueueConfig* target = &queue;
  if (!overflow.queue.value().empty()) {
    auto it = queue_by_id.find(overflow.queue.value());
    if (it == queue_by_id.end() || it->second->tenant != queue.tenant) {
      return "unknown queue '" + overflow.queue.value() + "'";
    }
    target = it->second;
  }
  if (overflow.action == OverflowAction::kCallback && !Accepts(*target, Channel::kCallback)) {
    return "queue '" + target->id.value() + "' does not take the callback channel";
  }
  if (overflow.action == OverflowAction::kQueue) {
    for (Channel channel : queue.channels) {
      if (!Accepts(*target, channel)) {
        return "queue '" + target->id.value() + "' does not take channel '" +
               std::string(ChannelName(channel)) + "'";
      }
    }
  }
  return std::nullopt;
}

std::optional<std::string> FindStepProblem(const QueueConfig& queue, const QueueStep& step,
                                           const std::unordered_set<std::string>& skills,
                                           const QueueById& queue_by_id) {
  if (step.after < Duration::zero()) return "'after' cannot be negative";
  return std::visit(
      [&](const auto& action) -> std::optional<std::string> {
        using T = std::decay_t<decltype(action)>;
        if constexpr (std::is_same_v<T, RelaxSkill> || std::is_same_v<T, DropSkill>) {
          if (!skills.contains(action.skill)) {
            return "skill '" + action.skill + "' is not defined in the tenant";
          }
          if constexpr (std::is_same_v<T, RelaxSkill>) {
            if (action.min_level < kMinSkillLevel || action.min_level > kMaxSkillLevel) {
              return std::string("a relaxed min level must be 1-10");
            }
          }
        } else if constexpr (std::is_same_v<T, BoostPriority>) {
          if (action.by < 1 || action.by > kMaxStepBoost) {
            return std::string("a priority boost must be 1-100");
          }
        } else if constexpr (std::is_same_v<T, AddQueue>) {
          auto it = queue_by_id.find(action.queue.value());
          if (it == queue_by_id.end() || it->second->tenant != queue.tenant) {
            return "unknown queue '" + action.queue.value() + "'";
          }
          if (it->second == &queue) return std::string("a queue cannot add itself");
          for (Channel channel : queue.channels) {
            if (!Accepts(*it->second, channel)) {
              return "queue '" + action.queue.value() + "' does not take channel '" +
                     std::string(ChannelName(channel)) + "'";
            }
          }
        } else if constexpr (std::is_same_v<T, NotifySupervisors>) {
          if (action.message.empty()) return std::string("a notification needs a message");
        } else {
          return FindOverflowProblem(queue, action, queue_by_id);
        }
        return std::nullopt;
      },
      step.action);
}

std::optional<CatalogProblem> FindQueueRulesProblem(const QueueConfig& queue,
                                                    const std::unordered_set<std::string>& skills,
                                                    const QueueById& queue_by_id) {
  const std::string& id = queue.id.value();
  if (std::optional<std::string> problem =
          FindOverflowProblem(queue, queue.overflow, queue_by_id)) {
    return Problem("queue", id, "overflow: " + *problem);
  }
  if (queue.closed_overflow) {
    if (std::optional<std::string> problem =
            FindOverflowProblem(queue, *queue.closed_overflow, queue_by_id)) {
      return Problem("queue", id, "closed overflow: " + *problem);
    }
  }
  if (std::optional<std::string> problem = FindClosedCycle(queue, queue_by_id)) {
    return Problem("queue", id, *problem);
  }
  for (std::size_t i = 0; i < queue.steps.size(); ++i) {
    if (i > 0 && queue.steps[i].after < queue.steps[i - 1].after) {
      return Problem("queue", id, "steps must be in order of 'after'");
    }
    if (std::optional<std::string> problem =
            FindStepProblem(queue, queue.steps[i], skills, queue_by_id)) {
      return Problem("queue", id, "step " + std::to_string(i + 1) + ": " + *problem);
    }
  }
  return std::nullopt;
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
    case SelectionStrategy::kLeastOccupied:
      return "least_occupied";
    case SelectionStrategy::kMostSkilled:
      return "most_skilled";
    case SelectionStrategy::kFewestToday:
      return "fewest_contacts_today";
    case SelectionStrategy::kRoundRobin:
      return "round_robin";
  }
  return "unknown";
}

std::optional<SelectionStrategy> ParseStrategy(std::string_view name) {
  for (std::size_t i = 0; i < kStrategyCount; ++i) {
    const auto strategy = static_cast<SelectionStrategy>(i);
    if (StrategyName(strategy) == name) return strategy;
  }
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

std::string_view OverflowActionName(OverflowAction action) {
  switch (action) {
    case OverflowAction::kQueue:
      return "queue";
    case OverflowAction::kCallback:
      return "callback";
    case OverflowAction::kReject:
      return "reject";
  }
  return "unknown";
}

std::optional<OverflowAction> ParseOverflowAction(std::string_view name) {
  for (OverflowAction action :
       {OverflowAction::kQueue, OverflowAction::kCallback, OverflowAction::kReject}) {
    if (OverflowActionName(action) == name) return action;
  }
  return std::nullopt;
}

std::string_view StepKindName(StepKind kind) {
  switch (kind) {
    case StepKind::kRelaxSkill:
      return "relax_skill";
    case StepKind::kDropSkill:
      return "drop_skill";
    case StepKind::kBoostPriority:
      return "boost_priority";
    case StepKind::kAddQueue:
      return "add_queue";
    case StepKind::kNotifySupervisors:
      return "notify_supervisors";
    case StepKind::kOverflow:
      return "overflow";
  }
  return "unknown";
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
    for (const std::vector<std::string>* codes :
         {&tenant.not_ready_reasons, &tenant.disposition_codes}) {
      std::unordered_set<std::string> seen;
      for (const std::string& code : *codes) {
        if (code.empty() || !seen.insert(code).second) {
          return Problem("tenant", tenant.id.value(),
                         "reason and disposition codes must be non-empty and listed once");
        }
      }
    }
    for (const std::string& skill : tenant.skills) {
      if (skill.empty()) return Problem("tenant", tenant.id.value(), "a skill needs a name");
      if (!it->second.insert(skill).second) {
        return Problem("tenant", tenant.id.value(), "duplicate skill '" + skill + "'");
      }
    }
  }

  QueueById queue_by_id;
  for (const QueueConfig& queue : queues) {
    const std::string& id = queue.id.value();
    if (id.empty()) return Problem("queue", "", "a queue needs an id");
    if (!queue_by_id.emplace(id, &queue).second) return Problem("queue", id, "duplicate queue id");
    if (!skills_by_tenant.contains(queue.tenant.value())) {
      return Problem("queue", id, "unknown tenant '" + queue.tenant.value() + "'");
    }
    if (queue.channels.empty()) return Problem("queue", id, "a queue needs at least one channel");
    if (!(queue.service_level_target > 0.0 && queue.service_level_target <= 1.0)) {
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
    if (queue.preferred_agent_timeout < Duration::zero()) {
      return Problem("queue", id, "preferred agent timeout cannot be negative");
    }
    if (queue.business_hours) {
      if (std::optional<std::string> problem = queue.business_hours->FindProblem()) {
        return Problem("queue", id, "business hours: " + *problem);
      }
    }
    if (queue.short_abandon_threshold < Duration::zero()) {
      return Problem("queue", id, "short abandon threshold cannot be negative");
    }
    if (queue.max_size < 0) return Problem("queue", id, "max size cannot be negative");
    if (queue.max_wait && *queue.max_wait <= Duration::zero()) {
      return Problem("queue", id, "max wait must be positive");
    }
  }
  for (const QueueConfig& queue : queues) {
    if (std::optional<CatalogProblem> problem =
            FindQueueRulesProblem(queue, skills_by_tenant.at(queue.tenant.value()), queue_by_id)) {
      return problem;
    }
  }
  if (std::optional<CatalogProblem> problem = FindMoveCycle(queues, queue_by_id)) return problem;

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
