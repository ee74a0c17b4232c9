// Router::Reconfigured and FitState: the state carried over to a new catalog, what it no longer
// names dropped where nothing live needs it.

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "routing/router_internals.h"

namespace acd::routing {
namespace {

bool IsLive(ContactState state) {
  return state != ContactState::kCompleted && state != ContactState::kAbandoned &&
         state != ContactState::kExpired;
}

/// The ids `catalog` has, by kind.
struct Known {
  explicit Known(const Catalog& catalog) {
    for (const TenantConfig& tenant : catalog.tenants) {
      tenants.insert(tenant.id);
      for (const std::string& skill : tenant.skills)
        skills.insert(tenant.id.value() + "\n" + skill);
    }
    for (const QueueConfig& queue : catalog.queues) {
      queues.insert(queue.id);
      queue_tenant.emplace(queue.id, queue.tenant);
      for (Channel channel : queue.channels) {
        channels.insert(absl::StrCat(queue.id.value(), "\n", static_cast<int>(channel)));
      }
    }
    for (const AgentConfig& agent : catalog.agents) {
      agents.insert(agent.id);
      agent_tenant.emplace(agent.id, agent.tenant);
    }
  }

  /// Whether `queue` exists in `tenant`.
  bool QueueIn(const QueueId& queue, const TenantId& tenant) const {
    auto it = queue_tenant.find(queue);
    return it != queue_tenant.end() && it->second == tenant;
  }
  /// Whether `agent` (if any) exists in `tenant`.
  bool AgentIn(const std::optional<AgentId>& agent, const TenantId& tenant) const {
    if (!agent) return true;
    auto it = agent_tenant.find(*agent);
    return it != agent_tenant.end() && it->second == tenant;
  }

  bool Skill(const TenantId& tenant, const std::string& skill) const {
    return skills.contains(tenant.value() + "\n" + skill);
  }
  bool QueueTakes(const QueueId& queue, Channel channel) const {
    return channels.contains(absl::StrCat(queue.value(), "\n", static_cast<int>(channel)));
  }
  bool Agent(const std::optional<AgentId>& agent) const {
    return !agent || agents.contains(*agent);
  }

  absl::flat_hash_set<TenantId> tenants;
  absl::flat_hash_set<QueueId> queues;
  absl::flat_hash_set<AgentId> agents;
  absl::flat_hash_set<std::string> skills;
  absl::flat_hash_set<std::string> channels;
  absl::flat_hash_map<QueueId, TenantId> queue_tenant;
  absl::flat_hash_map<AgentId, TenantId> agent_tenant;
};

absl::Status StillNeeded(const std::string& what) {
  return absl::FailedPreconditionError(absl::StrCat(what, "; change that first"));
}

/// Decision traces keep only what `known` has: traces of gone queues go, gone agents leave the
/// candidates and exclusions.
void FitTraces(std::vector<RouterState::Trace>& traces, const TenantId& tenant,
               const Known& known) {
  std::erase_if(traces, [&](const RouterState::Trace& trace) {
    return !known.queues.contains(trace.queue) ||
           std::any_of(trace.requirements.begin(), trace.requirements.end(),
                       [&](const SkillLevel& skill) { return !known.Skill(tenant, skill.skill); });
  });
  for (RouterState::Trace& trace : traces) {
    std::erase_if(trace.candidates, [&](const RouterState::TraceCandidate& candidate) {
      return !known.agents.contains(candidate.agent);
    });
    std::erase_if(trace.exclusions, [&](const RouterState::TraceExclusion& exclusion) {
      return !known.agents.contains(exclusion.agent);
    });
    if (!known.Agent(trace.chosen)) trace.chosen.reset();
  }
}

/// OK when live contact `record` still fits `known`; FAILED_PRECONDITION saying what it needs.
absl::Status CheckLiveContact(const RouterState::ContactRecord& record, const Known& known) {
  const std::string contact = absl::StrCat("contact ", record.id.value());
  if (!known.tenants.contains(record.details.tenant)) {
    return StillNeeded(
        absl::StrCat("tenant '", record.details.tenant.value(), "' has live ", contact));
  }
  if (!known.QueueIn(record.queue, record.details.tenant)) {
    return StillNeeded(absl::StrCat("queue '", record.queue.value(), "' has live ", contact,
                                    " of tenant '", record.details.tenant.value(), "'"));
  }
  if (!known.QueueTakes(record.queue, record.details.channel)) {
    return StillNeeded(absl::StrCat("queue '", record.queue.value(), "' has live ", contact,
                                    " on channel ",
                                    std::string(ChannelName(record.details.channel))));
  }
  for (const SkillLevel& skill : record.requirements) {
    if (!known.Skill(record.details.tenant, skill.skill)) {
      return StillNeeded(absl::StrCat("skill '", skill.skill, "' is required by live ", contact));
    }
  }
  for (const std::optional<AgentId>& agent : {record.agent, record.pinned}) {
    if (!known.AgentIn(agent, record.details.tenant)) {
      return StillNeeded(absl::StrCat("agent '", agent->value(), "' holds live ", contact,
                                      " of tenant '", record.details.tenant.value(), "'"));
    }
  }
  return absl::OkStatus();
}

/// Whether finished contact `record` names only what `known` has.
bool FinishedFits(const RouterState::ContactRecord& record, const Known& known) {
  const TenantId& tenant = record.details.tenant;
  return known.tenants.contains(tenant) && known.QueueIn(record.queue, tenant) &&
         known.AgentIn(record.agent, tenant) && known.AgentIn(record.pinned, tenant) &&
         std::all_of(record.requirements.begin(), record.requirements.end(),
                     [&](const SkillLevel& skill) {
                       return known.Skill(record.details.tenant, skill.skill);
                     });
}

}  // namespace

absl::StatusOr<std::unique_ptr<Router>> Router::Reconfigured(const Catalog& catalog, Timestamp now,
                                                             std::vector<Event>& events) const {
  if (std::optional<CatalogProblem> problem = catalog.FindProblem()) {
    return absl::InvalidArgumentError(
        absl::StrCat(problem->entity_kind, " '", problem->entity_id, "': ", problem->message));
  }
  RouterState state = Export();
  if (absl::Status status = FitState(state, catalog); !status.ok()) return status;
  absl::StatusOr<std::unique_ptr<Router>> next = Import(catalog, state);
  if (next.ok()) (*next)->Refit(std::max(now, now_), events);
  return next;
}

void Router::Refit(Timestamp now, std::vector<Event>& events) {
  for (std::uint64_t id : contacts_.Ids()) {
    Contact& contact = contacts_.At(id);
    if (contact.state != ContactState::kQueued) continue;
    // Out and back in: its place kept, its max wait and next step from the queue's settings now.
    Dequeue(contact);
    Enqueue(contact, now);
  }
  now_ = now;
  // Room and rank under the new catalog (a capacity, skills, a strategy changed), then what
  // waits for those who have room.
  for (AgentIndex agent = 0; agent < agents_.size(); ++agent) Reindex(agent);
  for (AgentIndex agent = 0; agent < agents_.size(); ++agent) FeedAgent(agent, now, events);
}

absl::Status Router::FitState(RouterState& state, const Catalog& catalog) {
  const Known known(catalog);

  std::erase_if(state.tenants, [&](const RouterState::TenantRecord& record) {
    return !known.tenants.contains(record.id);
  });
  std::erase_if(state.queues, [&](const RouterState::QueueRecord& record) {
    return !known.queues.contains(record.id);
  });
  absl::flat_hash_set<AgentId> gone_agents;
  for (const RouterState::AgentRecord& record : state.agents) {
    if (known.agents.contains(record.id)) continue;
    if (record.presence != AgentPresence::kLoggedOut || !record.contacts.empty() ||
        !record.pinned_waiting.empty()) {
      return StillNeeded(
          absl::StrCat("agent '", record.id.value(), "' is logged in or holds contacts"));
    }
    gone_agents.insert(record.id);
  }
  std::erase_if(state.agents, [&](const RouterState::AgentRecord& record) {
    return gone_agents.contains(record.id);
  });

  absl::flat_hash_set<std::uint64_t> gone_contacts;
  for (RouterState::ContactRecord& record : state.contacts) {
    if (IsLive(record.state)) {
      if (absl::Status status = CheckLiveContact(record, known); !status.ok()) return status;
    } else if (!FinishedFits(record, known)) {
      gone_contacts.insert(record.id.value());
      continue;
    }
    const TenantId& tenant = record.details.tenant;
    std::erase_if(record.widened, [&](const QueueId& queue) {
      return !known.QueueIn(queue, tenant) || !known.QueueTakes(queue, record.details.channel);
    });
    std::erase_if(record.preferred_agents,
                  [&](const AgentId& agent) { return !known.AgentIn(agent, tenant); });
    std::erase_if(record.refused_by,
                  [&](const AgentId& agent) { return !known.AgentIn(agent, tenant); });
    if (!known.AgentIn(record.handled_by, tenant)) record.handled_by.reset();
    if (!known.AgentIn(record.scheduled_by, tenant)) record.scheduled_by.reset();
    FitTraces(record.decisions, record.details.tenant, known);
  }
  std::erase_if(state.contacts, [&](const RouterState::ContactRecord& record) {
    return gone_contacts.contains(record.id.value());
  });
  std::erase_if(state.open_escalations,
                [&](const auto& open) { return gone_contacts.contains(open.first.value()); });
  // Escalations go with their contact or their tenant, and so does the timer forgetting them.
  absl::flat_hash_set<std::uint64_t> gone_escalations;
  std::erase_if(state.escalations, [&](const EscalationView& escalation) {
    const bool gone = gone_contacts.contains(escalation.contact.value()) ||
                      !known.tenants.contains(escalation.tenant);
    if (gone) gone_escalations.insert(escalation.id.value());
    return gone;
  });
  std::erase_if(state.open_escalations,
                [&](const auto& open) { return gone_escalations.contains(open.second.value()); });

  // The timers of what went: a dropped contact's (its forgetting), a dropped agent's.
  const auto gone_timer = [&](const RouterState::Timer& timer) {
    const auto kind = static_cast<TimerKind>(timer.kind);
    if (kind == TimerKind::kOffersResume || kind == TimerKind::kDisconnectGrace) {
      return gone_agents.contains(timer.agent);
    }
    if (kind == TimerKind::kForgetEscalation) return gone_escalations.contains(timer.subject);
    return gone_contacts.contains(timer.subject);
  };
  std::erase_if(state.timers, gone_timer);
  std::erase_if(state.forgetting, gone_timer);
  return absl::OkStatus();
}

}  // namespace acd::routing
