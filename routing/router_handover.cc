// Contacts changing hands: transfers, escalations and their resolution, scheduled contacts and
// follow-ups.

#include <algorithm>
#include <chrono>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "routing/check.h"
#include "routing/router_internals.h"

namespace acd::routing {
namespace {

/// How far ahead a contact may be scheduled.
constexpr Duration kMaxScheduleAhead = std::chrono::hours(24 * 90);
/// Follow-ups one agent may have scheduled and not yet due.
constexpr int kMaxFollowUpsPerAgent = 200;

}  // namespace

absl::StatusOr<Router::Requirements> Router::InternSkills(
    const TenantId& tenant, const std::vector<SkillLevel>& skills) const {
  Requirements requirements;
  for (const SkillLevel& skill : skills) {
    auto skill_it = skill_index_.find(TenantKey(tenant, skill.skill));
    if (skill_it == skill_index_.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("required skill '", skill.skill, "' is not defined"));
    }
    if (skill.level < kMinSkillLevel || skill.level > kMaxSkillLevel) {
      return absl::InvalidArgumentError(absl::StrCat(
          "required skill '", skill.skill, "' min level must be 1-10, got ", skill.level));
    }
    requirements.emplace_back(skill_it->second, skill.level);
  }
  std::sort(requirements.begin(), requirements.end());
  return requirements;
}

absl::StatusOr<Router::QueueIndex> Router::TenantQueue(const TenantId& tenant,
                                                       const QueueId& id) const {
  auto it = queue_index_.find(id);
  if (it == queue_index_.end() || queues_[it->second].config.tenant != tenant) {
    return absl::NotFoundError(absl::StrCat("queue '", id.value(), "' not found"));
  }
  return it->second;
}

absl::Status Router::CheckAccepts(QueueIndex queue, Channel channel) const {
  if ((queues_[queue].channel_mask & ChannelBit(channel)) != 0) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("queue '", queues_[queue].config.id.value(),
                                                 "' does not accept channel '",
                                                 std::string(ChannelName(channel)), "'"));
}

absl::Status Router::CheckRoom(QueueIndex queue) const {
  const Queue& target = queues_[queue];
  if (target.config.max_size == 0 || target.waiting.size() < target.config.max_size) {
    return absl::OkStatus();
  }
  return absl::ResourceExhaustedError(absl::StrCat(
      "queue '", target.config.id.value(), "' is full (", target.config.max_size, " waiting)"));
}

absl::Status Router::CheckSchedule(Channel channel, Timestamp not_before, Timestamp now) {
  if (channel == Channel::kVoice || channel == Channel::kChat) {
    return absl::InvalidArgumentError(
        "not_before is not allowed on live channels (voice, chat): the customer is waiting now");
  }
  if (not_before > now + kMaxScheduleAhead) {
    return absl::InvalidArgumentError("not_before is more than 90 days ahead");
  }
  return absl::OkStatus();
}

void Router::Schedule(Contact& contact, Timestamp not_before, Timestamp now,
                      std::vector<Event>& events) {
  contact.state = ContactState::kScheduled;
  contact.MutableExtras().not_before = not_before;
  timers_.emplace(not_before, TimerKind::kScheduledStart, contact.id.value());
  std::optional<AgentId> pinned;
  if (contact.pinned) pinned = agents_[*contact.pinned].config.id;
  Emit(events, now, contact.details.tenant,
       ContactScheduled{contact.id, queues_[contact.queue].config.id, not_before, pinned,
                        contact.extras->follow_up_of});
}

void Router::Unschedule(Contact& contact) {
  ACD_CHECK(contact.state == ContactState::kScheduled);
  Contact::Extras& extras = *contact.extras;
  timers_.erase({*extras.not_before, TimerKind::kScheduledStart, contact.id.value()});
  if (extras.scheduled_by) {
    --agents_[*extras.scheduled_by].follow_ups_scheduled;
    extras.scheduled_by.reset();
  }
}

void Router::StartWaiting(Contact& contact, Timestamp now, std::vector<Event>& events) {
  ACD_CHECK(contact.state == ContactState::kScheduled);
  Contact::Extras& extras = *contact.extras;
  if (extras.scheduled_by) {
    --agents_[*extras.scheduled_by].follow_ups_scheduled;
    extras.scheduled_by.reset();
  }
  Enqueue(contact, now);
  Emit(events, now, contact.details.tenant,
       ContactQueued{contact.id, queues_[contact.queue].config.id, PositionOf(contact)});
  RouteContact(contact, DecisionTrigger::kContactArrived, now, events);
}

void Router::Unpin(Contact& contact) {
  if (!contact.pinned) return;
  if (contact.state == ContactState::kQueued) {
    std::erase(agents_[*contact.pinned].pinned_waiting, contact.id);
  }
  contact.pinned.reset();
  if (contact.extras && contact.extras->pin_until) {
    timers_.erase({*contact.extras->pin_until, TimerKind::kPinExpiry, contact.id.value()});
    contact.extras->pin_until.reset();
  }
}

void Router::HandOver(Contact& contact, Timestamp now) {
  ACD_CHECK(contact.state == ContactState::kConnected);
  const AgentIndex agent = *contact.agent;
  Unpin(contact);
  // Whoever it preferred, it has been served: the next agent is chosen afresh.
  if (contact.preference) {
    timers_.erase({contact.preference->until, TimerKind::kPreferredExpiry, contact.id.value()});
    contact.preference.reset();
  }
  ReleaseCapacity(contact, now);
  Reindex(agent);
  contact.refused_by.push_back(agent);
}

void Router::Relocate(Contact& contact, QueueIndex to) {
  if (to == contact.queue) return;
  contact.queue = to;
  contact.steps_done = 0;
  contact.widened.clear();
}

absl::StatusOr<CommandResult> Router::Apply(const TransferContact& command, Timestamp now,
                                            std::vector<Event>& events) {
  LoadHeldContact(command.contact);
  absl::StatusOr<AgentIndex> agent = LookUpAgent(command.agent);
  if (!agent.ok()) return agent.status();
  absl::StatusOr<Contact*> held =
      HeldContact(*agent, command.contact, ContactState::kConnected, "transfer");
  if (!held.ok()) return held.status();
  Contact& contact = **held;
  const TenantId& tenant = contact.details.tenant;
  std::optional<Requirements> requirements;
  if (!command.required_skills.empty()) {
    absl::StatusOr<Requirements> interned = InternSkills(tenant, command.required_skills);
    if (!interned.ok()) return interned.status();
    requirements = std::move(*interned);
  }
  std::optional<QueueIndex> to_queue;
  std::optional<AgentIndex> to_agent;
  if (const auto* queue_id = std::get_if<QueueId>(&command.target)) {
    absl::StatusOr<QueueIndex> queue = TenantQueue(tenant, *queue_id);
    if (!queue.ok()) return queue.status();
    if (absl::Status status = CheckAccepts(*queue, contact.details.channel); !status.ok()) {
      return status;
    }
    if (absl::Status status = CheckRoom(*queue); !status.ok()) return status;
    to_queue = *queue;
  } else {
    const AgentId& agent_id = std::get<AgentId>(command.target);
    absl::StatusOr<AgentIndex> target = LookUpAgent(agent_id);
    if (!target.ok() || agents_[*target].config.tenant != tenant) {
      return absl::NotFoundError(absl::StrCat("agent '", agent_id.value(), "' not found"));
    }
    if (*target == *agent) {
      return absl::InvalidArgumentError("cannot transfer a contact to yourself");
    }
    const Agent& next = agents_[*target];
    if (next.presence == AgentPresence::kLoggedOut) {
      return absl::FailedPreconditionError(
          absl::StrCat("agent '", agent_id.value(), "' is logged out"));
    }
    if (next.config.capacity[static_cast<std::size_t>(contact.details.channel)] == 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("agent '", agent_id.value(), "' does not take channel '",
                       std::string(ChannelName(contact.details.channel)), "'"));
    }
    to_agent = *target;
  }

  HandOver(contact, now);
  // Announced (and counted) while the contact is still in the queue it leaves.
  Emit(events, now, tenant,
       ContactTransferred{contact.id, command.agent, queues_[contact.queue].config.id,
                          command.target, command.reason});
  if (requirements) contact.requirements = std::move(*requirements);
  if (!command.notes.empty()) contact.MutableExtras().handover_notes = command.notes;
  if (to_queue) Relocate(contact, *to_queue);
  contact.pinned = to_agent;
  Enqueue(contact, now);
  Emit(events, now, tenant,
       ContactQueued{contact.id, queues_[contact.queue].config.id, PositionOf(contact)});
  RouteContact(contact, DecisionTrigger::kContactRequeued, now, events);
  FeedAgent(*agent, now, events);
  return CommandResult{.contact = contact.id, .created = false};
}

absl::StatusOr<CommandResult> Router::Apply(const EscalateContact& command, Timestamp now,
                                            std::vector<Event>& events) {
  absl::StatusOr<AgentIndex> agent = LookUpAgent(command.agent);
  if (!agent.ok()) return agent.status();
  if (command.reason.empty()) return absl::InvalidArgumentError("an escalation needs a reason");
  Contact* found = contacts_.Find(command.contact.value());
  if (found == nullptr || found->details.tenant != agents_[*agent].config.tenant) {
    return absl::NotFoundError(ContactNotFound(command.contact));
  }
  Contact& contact = *found;
  const bool to_supervisors = !command.queue.has_value();
  const bool state_allows = contact.state == ContactState::kConnected ||
                            (to_supervisors && contact.state == ContactState::kWrapUp);
  if (contact.agent != *agent || !state_allows) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot escalate contact ", command.contact.value(),
                     ": it must be connected to you", to_supervisors ? " or in your wrap-up" : "",
                     " (it is ", std::string(ContactStateName(contact.state)), ")"));
  }
  auto [first, last] = open_escalations_.equal_range(contact.id);
  for (auto open = first; open != last; ++open) {
    if (escalations_.at(open->second.value()).source == EscalationSource::kAgent) {
      return absl::AlreadyExistsError(absl::StrCat("contact ", command.contact.value(),
                                                   " already has open escalation ",
                                                   open->second.value()));
    }
  }
  const TenantId& tenant = contact.details.tenant;
  std::optional<QueueIndex> tier2;
  if (command.queue) {
    absl::StatusOr<QueueIndex> queue = TenantQueue(tenant, *command.queue);
    if (!queue.ok()) return queue.status();
    if (absl::Status status = CheckAccepts(*queue, contact.details.channel); !status.ok()) {
      return status;
    }
    if (absl::Status status = CheckRoom(*queue); !status.ok()) return status;
    tier2 = *queue;
  }

  const Agent& escalating = agents_[*agent];
  EscalationView& escalation =
      RaiseEscalation(EscalationView{.tenant = tenant,
                                     .contact = contact.id,
                                     .source = EscalationSource::kAgent,
                                     .agent = escalating.config.id,
                                     .team = escalating.config.team,
                                     .queue = queues_[contact.queue].config.id,
                                     .target_queue = command.queue,
                                     .target_supervisor = to_supervisors ? command.supervisor : "",
                                     .reason = command.reason,
                                     .notes = command.notes},
                      now, events);
  const EscalationId id = escalation.id;
  if (tier2) {
    HandOver(contact, now);
    Emit(events, now, tenant,
         ContactEscalated{contact.id, id, command.agent, queues_[contact.queue].config.id,
                          *command.queue, command.reason});
    if (!command.notes.empty()) contact.MutableExtras().handover_notes = command.notes;
    Relocate(contact, *tier2);
    Enqueue(contact, now);
    Emit(events, now, tenant,
         ContactQueued{contact.id, queues_[contact.queue].config.id, PositionOf(contact)});
    RouteContact(contact, DecisionTrigger::kContactRequeued, now, events);
    FeedAgent(*agent, now, events);
  }
  return CommandResult{.contact = contact.id, .created = false, .escalation = id};
}

absl::StatusOr<CommandResult> Router::Apply(const ResolveEscalation& command, Timestamp now,
                                            std::vector<Event>& events) {
  auto it = escalations_.find(command.escalation.value());
  if (it == escalations_.end() || it->second.tenant != command.tenant) {
    return absl::NotFoundError(
        absl::StrCat("escalation ", command.escalation.value(), " not found"));
  }
  if (!it->second.open) {
    return absl::FailedPreconditionError(absl::StrCat("escalation ", command.escalation.value(),
                                                      " was already resolved by ",
                                                      it->second.resolved_by));
  }
  Resolve(it->second, command.resolved_by, command.resolution, now, events);
  return CommandResult{.contact = it->second.contact, .escalation = command.escalation};
}

absl::StatusOr<CommandResult> Router::Apply(const ScheduleFollowUp& command, Timestamp now,
                                            std::vector<Event>& events) {
  absl::StatusOr<AgentIndex> agent = LookUpAgent(command.agent);
  if (!agent.ok()) return agent.status();
  Contact* found = contacts_.Find(command.contact.value());
  if (found == nullptr || found->details.tenant != agents_[*agent].config.tenant) {
    return absl::NotFoundError(ContactNotFound(command.contact));
  }
  const Contact& original = *found;
  if (original.agent != *agent ||
      (original.state != ContactState::kConnected && original.state != ContactState::kWrapUp)) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot follow up contact ", command.contact.value(),
                     ": it must be connected to you or in your wrap-up"));
  }
  if (absl::Status status = CheckSchedule(command.channel, command.not_before, now); !status.ok()) {
    return status;
  }
  if (command.pin_timeout && *command.pin_timeout < Duration::zero()) {
    return absl::InvalidArgumentError("pin_timeout cannot be negative");
  }
  const TenantId& tenant = original.details.tenant;
  QueueIndex queue = original.queue;
  if (command.queue) {
    absl::StatusOr<QueueIndex> target = TenantQueue(tenant, *command.queue);
    if (!target.ok()) return target.status();
    queue = *target;
  }
  if (absl::Status status = CheckAccepts(queue, command.channel); !status.ok()) return status;
  Agent& scheduler = agents_[*agent];
  if (command.pinned &&
      std::none_of(scheduler.memberships.begin(), scheduler.memberships.end(),
                   [&](const Agent::Membership& m) { return m.queue == queue; })) {
    return absl::FailedPreconditionError(
        absl::StrCat("a pinned follow-up must wait in one of your queues; '",
                     queues_[queue].config.id.value(), "' is not"));
  }
  if (scheduler.follow_ups_scheduled >= kMaxFollowUpsPerAgent) {
    return absl::ResourceExhaustedError(
        absl::StrCat("you have ", kMaxFollowUpsPerAgent, " follow-ups scheduled already"));
  }
  absl::StatusOr<Requirements> requirements =
      InternSkills(tenant, original.details.required_skills);
  ACD_CHECK(requirements.ok());  // Checked when the original was created.

  auto follow_up = std::make_unique<Contact>();
  follow_up->id = ContactId(next_contact_id_++);
  follow_up->details = original.details;
  follow_up->details.external_id.clear();  // Not the gateway's: nothing to be idempotent on.
  follow_up->details.channel = command.channel;
  follow_up->details.preferred_agents.clear();
  follow_up->requirements = std::move(*requirements);
  follow_up->queue = queue;
  follow_up->priority = queues_[queue].config.default_priority;
  follow_up->base_priority = static_cast<std::int16_t>(follow_up->priority);
  follow_up->created_at = now;
  // Its place in line is that of a contact arriving when it comes due.
  follow_up->virtual_start = std::max(now, command.not_before);
  Contact::Extras& extras = follow_up->MutableExtras();
  extras.follow_up_of = original.id;
  extras.attempt =
      original.extras && original.extras->follow_up_of ? original.extras->attempt + 1 : 1;
  extras.handover_notes = command.notes;
  if (command.pinned) {
    follow_up->pinned = *agent;
    if (command.pin_timeout) {
      extras.pin_until = follow_up->virtual_start + *command.pin_timeout;
      timers_.emplace(*extras.pin_until, TimerKind::kPinExpiry, follow_up->id.value());
    }
  }
  extras.scheduled_by = *agent;
  ++scheduler.follow_ups_scheduled;
  Contact& created = *follow_up;
  contacts_.Insert(created.id.value(), std::move(follow_up));
  Schedule(created, created.virtual_start, now, events);
  return CommandResult{.contact = created.id, .created = true};
}

EscalationView& Router::RaiseEscalation(EscalationView escalation, Timestamp now,
                                        std::vector<Event>& events) {
  escalation.id = EscalationId(next_escalation_id_++);
  escalation.open = true;
  escalation.created_at = now;
  open_escalations_.emplace(escalation.contact, escalation.id);
  EscalationView& stored = escalations_[escalation.id.value()] = std::move(escalation);
  Emit(events, now, stored.tenant,
       EscalationRaised{std::make_shared<const EscalationView>(stored)});
  return stored;
}

void Router::Resolve(EscalationView& escalation, std::string resolved_by, std::string resolution,
                     Timestamp now, std::vector<Event>& events) {
  ACD_CHECK(escalation.open);
  escalation.open = false;
  escalation.resolved_at = now;
  escalation.resolved_by = std::move(resolved_by);
  escalation.resolution = std::move(resolution);
  auto [first, last] = open_escalations_.equal_range(escalation.contact);
  for (auto it = first; it != last; ++it) {
    if (it->second == escalation.id) {
      open_escalations_.erase(it);
      break;
    }
  }
  ScheduleForget(now + finished_contact_retention_, TimerKind::kForgetEscalation,
                 escalation.id.value());
  Emit(events, now, escalation.tenant,
       EscalationResolved{std::make_shared<const EscalationView>(escalation)});
}

void Router::SettleEscalations(const Contact& contact, Timestamp now, std::vector<Event>& events) {
  ResolveEscalationsOf(
      contact.id,
      [](const EscalationView& escalation) {
        return escalation.source == EscalationSource::kQueueStep ||
               escalation.target_queue.has_value();
      },
      kResolvedBySystem, ContactStateName(contact.state), now, events);
}

std::vector<EscalationView> Router::ListEscalations(const TenantId& tenant, bool open_only) const {
  std::vector<EscalationView> open;
  std::vector<EscalationView> resolved;
  for (const auto& [id, escalation] : escalations_) {
    if (escalation.tenant != tenant) continue;
    if (escalation.open) {
      open.push_back(escalation);
    } else if (!open_only) {
      resolved.push_back(escalation);
    }
  }
  open.insert(open.end(), resolved.begin(), resolved.end());
  return open;
}

std::optional<EscalationView> Router::FindEscalation(EscalationId id) const {
  auto it = escalations_.find(id.value());
  if (it == escalations_.end()) return std::nullopt;
  return it->second;
}

}  // namespace acd::routing
