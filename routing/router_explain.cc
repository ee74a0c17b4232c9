// Decision traces made readable, and why a waiting contact waits.

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "routing/router_internals.h"

namespace acd::routing {
namespace {

/// The most exclusions a live explanation lists; the rest are counted.
constexpr std::size_t kMaxLiveExclusions = 50;

std::string DescribeStep(const QueueStep& step) {
  const std::string after = absl::StrCat(
      "after ", std::chrono::duration_cast<std::chrono::seconds>(step.after).count(), "s: ");
  return std::visit(
      [&](const auto& action) -> std::string {
        using T = std::decay_t<decltype(action)>;
        if constexpr (std::is_same_v<T, RelaxSkill>) {
          return absl::StrCat(after, "relax skill ", action.skill, " to level ", action.min_level);
        } else if constexpr (std::is_same_v<T, DropSkill>) {
          return absl::StrCat(after, "drop skill ", action.skill);
        } else if constexpr (std::is_same_v<T, BoostPriority>) {
          return absl::StrCat(after, "boost priority by ", action.by);
        } else if constexpr (std::is_same_v<T, AddQueue>) {
          return absl::StrCat(after, "add queue ", action.queue.value());
        } else if constexpr (std::is_same_v<T, NotifySupervisors>) {
          return absl::StrCat(after, "notify supervisors: ", action.message);
        } else {
          return absl::StrCat(after, "overflow (", std::string(OverflowActionName(action.action)),
                              action.queue.value().empty() ? "" : " to " + action.queue.value(),
                              ")");
        }
      },
      step.action);
}

}  // namespace

std::string_view DecisionTriggerName(DecisionTrigger trigger) {
  switch (trigger) {
    case DecisionTrigger::kContactArrived:
      return "contact-arrived";
    case DecisionTrigger::kAgentAvailable:
      return "agent-available";
    case DecisionTrigger::kContactRequeued:
      return "contact-requeued";
    case DecisionTrigger::kStepReached:
      return "step-reached";
    case DecisionTrigger::kWindowEnded:
      return "window-ended";
    case DecisionTrigger::kSupervisorAssigned:
      return "supervisor-assigned";
  }
  return "unknown";
}

std::string_view ExclusionReasonName(ExclusionReason reason) {
  switch (reason) {
    case ExclusionReason::kLoggedOut:
      return "logged-out";
    case ExclusionReason::kNotReady:
      return "not-ready";
    case ExclusionReason::kNoCapacity:
      return "no-capacity";
    case ExclusionReason::kVoiceExclusive:
      return "voice-exclusive";
    case ExclusionReason::kMissingSkill:
      return "missing-skill";
    case ExclusionReason::kSkillTooLow:
      return "skill-too-low";
    case ExclusionReason::kRefusedBefore:
      return "refused-before";
    case ExclusionReason::kCooldown:
      return "cooldown";
    case ExclusionReason::kNotPreferred:
      return "not-preferred";
    case ExclusionReason::kNotPinned:
      return "not-pinned";
    case ExclusionReason::kNotMember:
      return "not-member";
  }
  return "unknown";
}

std::optional<ExclusionReason> Router::Exclusion(AgentIndex index, const Contact& contact,
                                                 QueueIndex queue) const {
  const Agent& agent = agents_[index];
  const bool pinned_here = contact.pinned == index;
  if (!pinned_here && std::none_of(agent.memberships.begin(), agent.memberships.end(),
                                   [&](const Agent::Membership& m) { return m.queue == queue; })) {
    return ExclusionReason::kNotMember;
  }
  if (std::optional<ExclusionReason> reason = Disqualification(index, contact)) return reason;
  if (agent.presence == AgentPresence::kLoggedOut) return ExclusionReason::kLoggedOut;
  if (agent.presence == AgentPresence::kNotReady) return ExclusionReason::kNotReady;
  if (agent.offers_paused_until) return ExclusionReason::kCooldown;
  const auto slot = static_cast<std::size_t>(contact.details.channel);
  if (agent.load[slot] >= agent.config.capacity[slot]) return ExclusionReason::kNoCapacity;
  if (!HasRoom(agent, contact.details.channel)) return ExclusionReason::kVoiceExclusive;
  return std::nullopt;
}

std::string Router::ExclusionDetail(AgentIndex index, const Contact& contact,
                                    ExclusionReason reason,
                                    const Requirements& requirements) const {
  const Agent& agent = agents_[index];
  switch (reason) {
    case ExclusionReason::kNotReady:
      return agent.reason;
    case ExclusionReason::kNoCapacity: {
      const auto slot = static_cast<std::size_t>(contact.details.channel);
      return absl::StrCat(std::string(ChannelName(contact.details.channel)), " ", agent.load[slot],
                          "/", agent.config.capacity[slot]);
    }
    case ExclusionReason::kMissingSkill:
    case ExclusionReason::kSkillTooLow:
      for (const auto& [skill, minimum] : requirements) {
        auto it =
            std::lower_bound(agent.levels.begin(), agent.levels.end(), std::make_pair(skill, 0));
        const std::string& name = skill_names_[skill];
        if (it == agent.levels.end() || it->first != skill) return absl::StrCat("no ", name);
        if (it->second < minimum) return absl::StrCat(name, " ", it->second, " < ", minimum);
      }
      return "";
    default:
      return "";
  }
}

std::string Router::StrategyKey(SelectionStrategy strategy, std::int64_t key, Timestamp idle_since,
                                Timestamp at) {
  const auto idle = std::chrono::duration_cast<std::chrono::seconds>(at - idle_since).count();
  switch (strategy) {
    case SelectionStrategy::kLongestIdle:
      return absl::StrCat("idle ", idle, "s");
    case SelectionStrategy::kLeastOccupied:
      return absl::StrCat("load ", key / 10'000, "%, idle ", idle, "s");
    case SelectionStrategy::kMostSkilled:
      return absl::StrCat("skill ", key, ", idle ", idle, "s");
    case SelectionStrategy::kFewestToday:
      return absl::StrCat(key, " today, idle ", idle, "s");
    case SelectionStrategy::kRoundRobin:
      return absl::StrCat("turn ", key, ", idle ", idle, "s");
  }
  return "";
}

DecisionTrace Router::ViewOf(const TraceRecord& record, const Contact& contact) const {
  const QueueConfig& queue = queues_[record.queue].config;
  DecisionTrace trace{.at = record.at,
                      .trigger = record.trigger,
                      .queue = queue.id,
                      .strategy = queue.strategy,
                      .active_step = record.steps_done,
                      .effective_priority = record.priority,
                      .waited = record.at - record.virtual_start,
                      .exclusions_omitted = record.exclusions_omitted};
  if (record.steps_done > 0 && record.steps_done <= queue.steps.size()) {
    trace.active_step_description = DescribeStep(queue.steps[record.steps_done - 1]);
  }
  for (const auto& [skill, minimum] : record.requirements) {
    trace.effective_requirements.push_back({.skill = skill_names_[skill], .level = minimum});
  }
  const bool by_preference =
      record.trigger != DecisionTrigger::kAgentAvailable && contact.preference != nullptr;
  for (std::uint8_t i = 0; i < record.candidate_count; ++i) {
    const TraceRecord::Candidate& candidate = record.candidates[i];
    trace.candidates.push_back({.agent = agents_[candidate.agent].config.id,
                                .strategy_key = by_preference
                                                    ? "preferred"
                                                    : StrategyKey(queue.strategy, candidate.key,
                                                                  candidate.idle_since, record.at),
                                .rank = i + 1,
                                .preferred = by_preference});
  }
  for (std::uint8_t i = 0; i < record.exclusion_count; ++i) {
    const TraceRecord::Exclusion& exclusion = record.exclusions[i];
    trace.exclusions.push_back({.agent = agents_[exclusion.agent].config.id,
                                .reason = exclusion.reason,
                                .detail = ExclusionDetail(exclusion.agent, contact,
                                                          exclusion.reason, record.requirements)});
  }
  if (record.chosen) trace.chosen = agents_[*record.chosen].config.id;
  return trace;
}

std::optional<std::vector<DecisionTrace>> Router::Explain(const TenantId& tenant, ContactId id,
                                                          Timestamp now) const {
  Contact* found = contacts_.Find(id.value());
  if (found == nullptr || found->details.tenant != tenant) return std::nullopt;
  const Contact& contact = *found;
  std::vector<DecisionTrace> decisions;
  for (const TraceRecord& record : contact.decisions) decisions.push_back(ViewOf(record, contact));
  if (contact.state != ContactState::kQueued) return decisions;

  // Still waiting: every agent who could serve it, and why each does not.
  TraceRecord live = StartTrace(contact, contact.last_trigger, now);
  live.requirements = contact.requirements;
  DecisionTrace trace = ViewOf(live, contact);
  std::vector<QueueIndex> pools{contact.queue};
  pools.insert(pools.end(), contact.widened.begin(), contact.widened.end());
  std::vector<AgentIndex> seen;
  auto consider = [&](AgentIndex agent, QueueIndex pool) {
    if (std::find(seen.begin(), seen.end(), agent) != seen.end()) return;
    seen.push_back(agent);
    std::optional<ExclusionReason> reason = Exclusion(agent, contact, pool);
    if (!reason) {
      trace.candidates.push_back({.agent = agents_[agent].config.id,
                                  .strategy_key = StrategyKey(queues_[pool].config.strategy, 0,
                                                              agents_[agent].idle_since, now),
                                  .rank = static_cast<int>(trace.candidates.size()) + 1});
    } else if (trace.exclusions.size() < kMaxLiveExclusions) {
      trace.exclusions.push_back(
          {.agent = agents_[agent].config.id,
           .reason = *reason,
           .detail = ExclusionDetail(agent, contact, *reason, contact.requirements)});
    } else {
      ++trace.exclusions_omitted;
    }
  };
  if (contact.pinned) consider(*contact.pinned, contact.queue);
  for (QueueIndex pool : pools) {
    for (AgentIndex member : queues_[pool].members) consider(member, pool);
  }
  decisions.push_back(std::move(trace));
  return decisions;
}

}  // namespace acd::routing
