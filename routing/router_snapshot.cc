// Router::Export and Router::Import: the router's state as plain values naming entities by id,
// and back.

#include <algorithm>
#include <array>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "routing/router_internals.h"

namespace acd::routing {
namespace {

template <typename Tally>
RouterState::Ring<Tally> ExportRing(const MinuteRing<Tally>& ring) {
  const auto minutes = ring.minutes();
  return {
      .minutes = {minutes.begin(), minutes.end()}, .latest = ring.latest(), .today = ring.today()};
}

template <typename Tally>
absl::Status ImportRing(const RouterState::Ring<Tally>& from, MinuteRing<Tally>& to) {
  std::array<Tally, MinuteRing<Tally>::kMinutes> minutes{};
  if (from.minutes.size() != minutes.size()) {
    return absl::InvalidArgumentError(absl::StrCat("a KPI ring of ", from.minutes.size(),
                                                   " minutes instead of ", minutes.size()));
  }
  std::copy(from.minutes.begin(), from.minutes.end(), minutes.begin());
  to.Restore(minutes, from.latest, from.today);
  return absl::OkStatus();
}

absl::Status Missing(const char* kind, const std::string& id) {
  return absl::FailedPreconditionError(absl::StrCat("the saved state refers to ", kind, " '", id,
                                                    "', which the configuration no "
                                                    "longer has"));
}

}  // namespace

RouterState Router::Export() const {
  RouterState state{.now = now_,
                    .next_contact_id = next_contact_id_,
                    .next_escalation_id = next_escalation_id_,
                    .offers_made = offers_made_};
  const auto agent_id = [this](AgentIndex index) { return agents_[index].config.id; };
  const auto queue_id = [this](QueueIndex index) { return queues_[index].config.id; };
  const auto skills = [this](const Requirements& requirements) {
    std::vector<SkillLevel> named;
    for (const auto& [skill, level] : requirements) {
      named.push_back({.skill = skill_names_[skill], .level = level});
    }
    return named;
  };
  const auto agent_ids = [&](const std::vector<AgentIndex>& indexes) {
    std::vector<AgentId> ids;
    for (AgentIndex index : indexes) ids.push_back(agent_id(index));
    return ids;
  };
  const auto optional_agent = [&](const std::optional<AgentIndex>& index) {
    return index ? std::optional<AgentId>(agent_id(*index)) : std::nullopt;
  };

  for (std::size_t t = 0; t < tenants_.size(); ++t) {
    state.tenants.push_back({.id = tenants_[t].config.id,
                             .day_ends_at = tenants_[t].day_ends_at,
                             .tally = ExportRing(tenant_tallies_[t])});
  }
  for (std::size_t q = 0; q < queues_.size(); ++q) {
    state.queues.push_back({.id = queues_[q].config.id, .tally = ExportRing(queue_tallies_[q])});
  }
  for (std::size_t a = 0; a < agents_.size(); ++a) {
    const Agent& agent = agents_[a];
    RouterState::AgentRecord record{.id = agent.config.id,
                                    .presence = agent.presence,
                                    .reason = agent.reason,
                                    .state_since = agent.state_since,
                                    .idle_since = agent.idle_since,
                                    .load = {agent.load.begin(), agent.load.end()},
                                    .contacts = {agent.contacts.begin(), agent.contacts.end()},
                                    .holding = {agent.holding.begin(), agent.holding.end()},
                                    .pinned_waiting = agent.pinned_waiting,
                                    .follow_ups_scheduled = agent.follow_ups_scheduled,
                                    .contacts_today = agent.contacts_today,
                                    .activity = agent.activity,
                                    .activity_since = agent.activity_since,
                                    .connections = agent.connections,
                                    .consecutive_misses = agent.consecutive_misses,
                                    .offers_paused_until = agent.offers_paused_until,
                                    .disconnect_grace_until = agent.disconnect_grace_until,
                                    .indexed_channels = agent.indexed_channels,
                                    .indexed_idle_since = agent.indexed_idle_since,
                                    .tally = ExportRing(agent_tallies_[a]),
                                    .time = ExportRing(agent_time_[a])};
    for (const Agent::Membership& membership : agent.memberships) {
      record.memberships.push_back({.queue = queue_id(membership.queue),
                                    .last_turn = membership.last_turn,
                                    .indexed_rank = membership.indexed_rank});
    }
    state.agents.push_back(std::move(record));
  }
  for (std::uint64_t id : contacts_.Ids()) {
    const Contact& contact = contacts_.At(id);
    RouterState::ContactRecord record{.id = contact.id,
                                      .details = contact.details,
                                      .requirements = skills(contact.requirements),
                                      .queue = queue_id(contact.queue),
                                      .priority = contact.priority,
                                      .base_priority = contact.base_priority,
                                      .state = contact.state,
                                      .agent = optional_agent(contact.agent),
                                      .created_at = contact.created_at,
                                      .virtual_start = contact.virtual_start,
                                      .connected_at = contact.connected_at,
                                      .ended_at = contact.ended_at,
                                      .offer_expires_at = contact.offer_expires_at,
                                      .wrap_up_deadline = contact.wrap_up_deadline,
                                      .pinned = optional_agent(contact.pinned),
                                      .max_wait_at = contact.max_wait_at,
                                      .steps_done = contact.steps_done,
                                      .next_step_at = contact.next_step_at,
                                      .overflowed_to_callback = contact.overflowed_to_callback,
                                      .disposition = contact.disposition,
                                      .last_trigger = contact.last_trigger,
                                      .handled_by = optional_agent(contact.handled_by),
                                      .refused_by = agent_ids(contact.refused_by)};
    if (contact.extras) {
      const Contact::Extras& extras = *contact.extras;
      record.has_extras = true;
      record.not_before = extras.not_before;
      record.scheduled_by = optional_agent(extras.scheduled_by);
      record.follow_up_of = extras.follow_up_of;
      record.attempt = extras.attempt;
      record.pin_until = extras.pin_until;
      record.handover_notes = extras.handover_notes;
      record.wrap_up_notes = extras.wrap_up_notes;
      record.csat = extras.csat;
    }
    if (contact.preference) {
      record.preferred_until = contact.preference->until;
      record.preferred_agents = agent_ids(contact.preference->agents);
    }
    for (QueueIndex widened : contact.widened) record.widened.push_back(queue_id(widened));
    for (const TraceRecord& decision : contact.decisions) {
      RouterState::Trace trace{.at = decision.at,
                               .trigger = decision.trigger,
                               .queue = queue_id(decision.queue),
                               .steps_done = decision.steps_done,
                               .priority = decision.priority,
                               .virtual_start = decision.virtual_start,
                               .requirements = skills(decision.requirements),
                               .exclusions_omitted = decision.exclusions_omitted,
                               .chosen = optional_agent(decision.chosen)};
      for (std::size_t i = 0; i < decision.candidate_count; ++i) {
        const TraceRecord::Candidate& candidate = decision.candidates[i];
        trace.candidates.push_back({.agent = agent_id(candidate.agent),
                                    .key = candidate.key,
                                    .idle_since = candidate.idle_since});
      }
      for (std::size_t i = 0; i < decision.exclusion_count; ++i) {
        trace.exclusions.push_back({.agent = agent_id(decision.exclusions[i].agent),
                                    .reason = decision.exclusions[i].reason});
      }
      record.decisions.push_back(std::move(trace));
    }
    state.contacts.push_back(std::move(record));
  }
  for (const auto& [id, escalation] : escalations_) state.escalations.push_back(escalation);
  for (const auto& [contact, escalation] : open_escalations_) {
    state.open_escalations.emplace_back(contact, escalation);
  }
  const auto export_timer = [&](const Timer& timer) {
    const auto& [at, kind, subject] = timer;
    RouterState::Timer exported{.at = at, .kind = static_cast<int>(kind)};
    if (kind == TimerKind::kOffersResume || kind == TimerKind::kDisconnectGrace) {
      exported.agent = agent_id(static_cast<AgentIndex>(subject));
    } else {
      exported.subject = subject;
    }
    return exported;
  };
  for (const Timer& timer : timers_) state.timers.push_back(export_timer(timer));
  for (const Timer& timer : forgetting_) state.forgetting.push_back(export_timer(timer));
  return state;
}

absl::StatusOr<std::unique_ptr<Router>> Router::Import(const Catalog& catalog,
                                                       const RouterState& state) {
  absl::StatusOr<std::unique_ptr<Router>> created = Create(catalog, state.now);
  if (!created.ok()) return created.status();
  Router& router = **created;
  if (absl::Status status = router.ImportState(state); !status.ok()) return status;
  return created;
}

absl::Status Router::ImportState(const RouterState& state) {
  now_ = state.now;
  next_contact_id_ = state.next_contact_id;
  next_escalation_id_ = state.next_escalation_id;
  offers_made_ = state.offers_made;

  const auto agent_at = [this](const AgentId& id) -> absl::StatusOr<AgentIndex> {
    std::optional<AgentIndex> index = agent_index_.Find(id.value());
    if (!index) return Missing("agent", id.value());
    return *index;
  };
  const auto queue_at = [this](const QueueId& id) -> absl::StatusOr<QueueIndex> {
    auto it = queue_index_.find(id);
    if (it == queue_index_.end()) return Missing("queue", id.value());
    return it->second;
  };
  const auto optional_agent_at =
      [&](const std::optional<AgentId>& id) -> absl::StatusOr<std::optional<AgentIndex>> {
    if (!id) return std::optional<AgentIndex>();
    absl::StatusOr<AgentIndex> index = agent_at(*id);
    if (!index.ok()) return index.status();
    return std::optional<AgentIndex>(*index);
  };
  const auto agents_at =
      [&](const std::vector<AgentId>& ids) -> absl::StatusOr<std::vector<AgentIndex>> {
    std::vector<AgentIndex> indexes;
    for (const AgentId& id : ids) {
      absl::StatusOr<AgentIndex> index = agent_at(id);
      if (!index.ok()) return index.status();
      indexes.push_back(*index);
    }
    return indexes;
  };
  const auto skills_of =
      [this](const TenantId& tenant,
             const std::vector<SkillLevel>& skills) -> absl::StatusOr<Requirements> {
    for (const SkillLevel& skill : skills) {
      if (!skill_index_.contains(TenantKey(tenant, skill.skill))) {
        return Missing("skill", skill.skill);
      }
    }
    return InternSkills(tenant, skills);
  };
  const auto bad = [](const std::string& what) {
    return absl::InvalidArgumentError(
        absl::StrCat("the saved state does not hold together: ", what));
  };

  for (const RouterState::TenantRecord& record : state.tenants) {
    auto slot = tenant_slot_.find(record.id);
    if (slot == tenant_slot_.end()) return Missing("tenant", record.id.value());
    tenants_[slot->second].day_ends_at = record.day_ends_at;
    first_day_end_ = Timestamp::min();  // The next command looks at every tenant's again.
    if (absl::Status status = ImportRing(record.tally, tenant_tallies_[slot->second]);
        !status.ok()) {
      return status;
    }
  }
  for (const RouterState::QueueRecord& record : state.queues) {
    absl::StatusOr<QueueIndex> queue = queue_at(record.id);
    if (!queue.ok()) return queue.status();
    if (absl::Status status = ImportRing(record.tally, queue_tallies_[*queue]); !status.ok()) {
      return status;
    }
  }

  // Agents whose queues changed with the configuration are filed afresh once all is in.
  std::vector<AgentIndex> refile;
  for (const RouterState::AgentRecord& record : state.agents) {
    absl::StatusOr<AgentIndex> index = agent_at(record.id);
    if (!index.ok()) return index.status();
    Agent& agent = agents_[*index];
    if (record.load.size() != agent.load.size() || record.holding.size() != agent.holding.size()) {
      return bad(absl::StrCat("agent '", record.id.value(), "' load or holding"));
    }
    agent.presence = record.presence;
    agent.reason = record.reason;
    agent.state_since = record.state_since;
    agent.idle_since = record.idle_since;
    std::copy(record.load.begin(), record.load.end(), agent.load.begin());
    agent.contacts.assign(record.contacts.begin(), record.contacts.end());
    std::copy(record.holding.begin(), record.holding.end(), agent.holding.begin());
    agent.pinned_waiting = record.pinned_waiting;
    agent.follow_ups_scheduled = record.follow_ups_scheduled;
    agent.contacts_today = record.contacts_today;
    agent.activity = record.activity;
    agent.activity_since = record.activity_since;
    agent.connections = record.connections;
    agent.consecutive_misses = record.consecutive_misses;
    agent.offers_paused_until = record.offers_paused_until;
    agent.disconnect_grace_until = record.disconnect_grace_until;
    agent.indexed_channels = static_cast<std::uint8_t>(record.indexed_channels);
    agent.indexed_idle_since = record.indexed_idle_since;
    bool same_queues = record.memberships.size() == agent.memberships.size();
    for (const RouterState::Membership& saved : record.memberships) {
      absl::StatusOr<QueueIndex> queue = queue_at(saved.queue);
      auto membership =
          std::find_if(agent.memberships.begin(), agent.memberships.end(),
                       [&](const Agent::Membership& m) { return queue.ok() && m.queue == *queue; });
      if (membership == agent.memberships.end()) {
        same_queues = false;
        continue;
      }
      membership->last_turn = saved.last_turn;
      membership->indexed_rank = saved.indexed_rank;
    }
    if (same_queues) {
      for (const Agent::Membership& membership : agent.memberships) {
        Queue& queue = queues_[membership.queue];
        for (Channel channel : kAllChannels) {
          if ((queue.channel_mask & agent.indexed_channels & ChannelBit(channel)) == 0) continue;
          queue.available[static_cast<std::size_t>(channel)].emplace(
              membership.indexed_rank, agent.indexed_idle_since, *index);
        }
      }
    } else {
      agent.indexed_channels = 0;
      refile.push_back(*index);
    }
    if (absl::Status status = ImportRing(record.tally, agent_tallies_[*index]); !status.ok()) {
      return status;
    }
    if (absl::Status status = ImportRing(record.time, agent_time_[*index]); !status.ok()) {
      return status;
    }
  }

  std::uint64_t last_contact = 0;
  for (const RouterState::ContactRecord& record : state.contacts) {
    auto contact = std::make_unique<Contact>();
    contact->id = record.id;
    contact->details = record.details;
    if (!tenant_slot_.contains(record.details.tenant)) {
      return Missing("tenant", record.details.tenant.value());
    }
    absl::StatusOr<Requirements> requirements =
        skills_of(record.details.tenant, record.requirements);
    absl::StatusOr<QueueIndex> queue = queue_at(record.queue);
    absl::StatusOr<std::optional<AgentIndex>> agent = optional_agent_at(record.agent);
    absl::StatusOr<std::optional<AgentIndex>> pinned = optional_agent_at(record.pinned);
    absl::StatusOr<std::optional<AgentIndex>> handled_by = optional_agent_at(record.handled_by);
    absl::StatusOr<std::optional<AgentIndex>> scheduled_by = optional_agent_at(record.scheduled_by);
    absl::StatusOr<std::vector<AgentIndex>> refused_by = agents_at(record.refused_by);
    absl::StatusOr<std::vector<AgentIndex>> preferred = agents_at(record.preferred_agents);
    for (const absl::Status& status :
         {requirements.status(), queue.status(), agent.status(), pinned.status(),
          handled_by.status(), scheduled_by.status(), refused_by.status(), preferred.status()}) {
      if (!status.ok()) return status;
    }
    if (record.steps_done < 0 || record.steps_done > 255) return bad("a contact's steps");
    contact->requirements = std::move(*requirements);
    contact->queue = *queue;
    contact->priority = record.priority;
    contact->base_priority = static_cast<std::int16_t>(record.base_priority);
    contact->state = record.state;
    contact->agent = *agent;
    contact->created_at = record.created_at;
    contact->virtual_start = record.virtual_start;
    contact->connected_at = record.connected_at;
    contact->ended_at = record.ended_at;
    contact->offer_expires_at = record.offer_expires_at;
    contact->wrap_up_deadline = record.wrap_up_deadline;
    if (record.has_extras) {
      contact->extras =
          std::make_unique<Contact::Extras>(Contact::Extras{.not_before = record.not_before,
                                                            .scheduled_by = *scheduled_by,
                                                            .follow_up_of = record.follow_up_of,
                                                            .attempt = record.attempt,
                                                            .pin_until = record.pin_until,
                                                            .handover_notes = record.handover_notes,
                                                            .wrap_up_notes = record.wrap_up_notes,
                                                            .csat = record.csat});
    }
    contact->pinned = *pinned;
    if (record.preferred_until) {
      contact->preference = std::make_unique<Contact::Preference>(
          Contact::Preference{.until = *record.preferred_until, .agents = std::move(*preferred)});
    }
    contact->max_wait_at = record.max_wait_at;
    contact->steps_done = static_cast<std::uint8_t>(record.steps_done);
    contact->next_step_at = record.next_step_at;
    for (const QueueId& id : record.widened) {
      absl::StatusOr<QueueIndex> widened = queue_at(id);
      if (!widened.ok()) return widened.status();
      contact->widened.push_back(*widened);
    }
    contact->overflowed_to_callback = record.overflowed_to_callback;
    contact->disposition = record.disposition;
    contact->last_trigger = record.last_trigger;
    contact->handled_by = *handled_by;
    contact->refused_by = std::move(*refused_by);
    for (const RouterState::Trace& trace : record.decisions) {
      absl::StatusOr<QueueIndex> trace_queue = queue_at(trace.queue);
      absl::StatusOr<Requirements> trace_skills =
          skills_of(record.details.tenant, trace.requirements);
      absl::StatusOr<std::optional<AgentIndex>> chosen = optional_agent_at(trace.chosen);
      for (const absl::Status& status :
           {trace_queue.status(), trace_skills.status(), chosen.status()}) {
        if (!status.ok()) return status;
      }
      if (trace.candidates.size() > TraceRecord::kMaxCandidates ||
          trace.exclusions.size() > TraceRecord::kMaxExclusions || trace.steps_done < 0 ||
          trace.steps_done > 255) {
        return bad("a decision trace");
      }
      TraceRecord& decision = contact->decisions.emplace_back();
      decision.at = trace.at;
      decision.trigger = trace.trigger;
      decision.queue = *trace_queue;
      decision.steps_done = static_cast<std::uint8_t>(trace.steps_done);
      decision.priority = trace.priority;
      decision.virtual_start = trace.virtual_start;
      decision.requirements = std::move(*trace_skills);
      for (const RouterState::TraceCandidate& candidate : trace.candidates) {
        absl::StatusOr<AgentIndex> candidate_agent = agent_at(candidate.agent);
        if (!candidate_agent.ok()) return candidate_agent.status();
        decision.AddCandidate(
            {.agent = *candidate_agent, .key = candidate.key, .idle_since = candidate.idle_since});
      }
      for (const RouterState::TraceExclusion& exclusion : trace.exclusions) {
        absl::StatusOr<AgentIndex> excluded = agent_at(exclusion.agent);
        if (!excluded.ok()) return excluded.status();
        decision.AddExclusion(*excluded, exclusion.reason);
      }
      decision.exclusions_omitted = trace.exclusions_omitted;
      decision.chosen = *chosen;
    }
    if (record.id.value() <= last_contact || record.id.value() >= next_contact_id_) {
      return bad("contact ids out of order");
    }
    last_contact = record.id.value();
    Contact& stored = *contact;
    contacts_.Insert(record.id.value(), std::move(contact));
    if (!stored.details.external_id.empty()) {
      tenants_[tenant_slot_.at(stored.details.tenant)].by_external_id.Insert(
          stored.details.external_id, stored.id);
    }
    if (stored.state == ContactState::kQueued) {
      JoinLine(stored.queue, stored);
      for (QueueIndex widened : stored.widened) JoinLine(widened, stored);
    }
  }

  for (const EscalationView& escalation : state.escalations) {
    escalations_.emplace(escalation.id.value(), escalation);
  }
  for (const auto& [contact, escalation] : state.open_escalations) {
    open_escalations_.emplace(contact, escalation);
  }
  constexpr int kLastTimerKind = static_cast<int>(TimerKind::kForgetEscalation);
  const auto import_timer = [&](const RouterState::Timer& timer) -> absl::StatusOr<Timer> {
    if (timer.kind < 0 || timer.kind > kLastTimerKind) return bad("a timer's kind");
    const auto kind = static_cast<TimerKind>(timer.kind);
    if (kind == TimerKind::kOffersResume || kind == TimerKind::kDisconnectGrace) {
      absl::StatusOr<AgentIndex> agent = agent_at(timer.agent);
      if (!agent.ok()) return agent.status();
      return Timer{timer.at, kind, *agent};
    }
    return Timer{timer.at, kind, timer.subject};
  };
  for (const RouterState::Timer& saved : state.timers) {
    absl::StatusOr<Timer> timer = import_timer(saved);
    if (!timer.ok()) return timer.status();
    timers_.insert(*timer);
  }
  for (const RouterState::Timer& saved : state.forgetting) {
    absl::StatusOr<Timer> timer = import_timer(saved);
    if (!timer.ok()) return timer.status();
    forgetting_.push_back(*timer);
  }
  for (AgentIndex index : refile) Reindex(index);
  return absl::OkStatus();
}

}  // namespace acd::routing
