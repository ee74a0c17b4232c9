#include "routing/router.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "routing/check.h"
#include "routing/local_time.h"
#include "routing/router_internals.h"

namespace acd::routing {

std::string_view ContactStateName(ContactState state) {
  switch (state) {
    case ContactState::kScheduled:
      return "scheduled";
    case ContactState::kQueued:
      return "queued";
    case ContactState::kOffered:
      return "offered";
    case ContactState::kConnected:
      return "connected";
    case ContactState::kWrapUp:
      return "wrap-up";
    case ContactState::kCompleted:
      return "completed";
    case ContactState::kAbandoned:
      return "abandoned";
    case ContactState::kExpired:
      return "expired";
  }
  return "unknown";
}

std::string_view AgentPresenceName(AgentPresence presence) {
  switch (presence) {
    case AgentPresence::kLoggedOut:
      return "logged-out";
    case AgentPresence::kNotReady:
      return "not-ready";
    case AgentPresence::kReady:
      return "ready";
  }
  return "unknown";
}

std::string_view RescindReasonName(RescindReason reason) {
  switch (reason) {
    case RescindReason::kAbandoned:
      return "abandoned";
    case RescindReason::kTimeout:
      return "timeout";
    case RescindReason::kDeclined:
      return "declined";
    case RescindReason::kAgentUnavailable:
      return "agent-unavailable";
    case RescindReason::kSupervisor:
      return "supervisor";
  }
  return "unknown";
}

std::string_view EscalationSourceName(EscalationSource source) {
  switch (source) {
    case EscalationSource::kAgent:
      return "agent";
    case EscalationSource::kQueueStep:
      return "queue-step";
  }
  return "unknown";
}

absl::StatusOr<std::unique_ptr<Router>> Router::Create(const Catalog& catalog, Timestamp now) {
  if (std::optional<CatalogProblem> problem = catalog.FindProblem()) {
    return absl::InvalidArgumentError(
        absl::StrCat(problem->entity_kind, " '", problem->entity_id, "': ", problem->message));
  }
  return std::unique_ptr<Router>(new Router(catalog, now));
}

Router::Router(const Catalog& catalog, Timestamp now)
    : finished_contact_retention_(catalog.finished_contact_retention), now_(now) {
  for (const TenantConfig& config : catalog.tenants) {
    tenant_slot_.emplace(config.id, tenants_.size());
    Tenant& tenant =
        tenants_.emplace_back(Tenant{.by_external_id = KeyIndex<ContactId, ExternalIdOfContact>(
                                         ExternalIdOfContact{.contacts = &contacts_})});
    tenant.config = config;
    tenant.day_ends_at = NextLocalMidnight(now, config.time_zone);
    for (const std::string& skill : config.skills) {
      skill_index_.emplace(TenantKey(config.id, skill),
                           static_cast<SkillIndex>(skill_index_.size()));
      skill_names_.push_back(skill);
    }
  }
  queues_.reserve(catalog.queues.size());
  for (const QueueConfig& config : catalog.queues) {
    queue_index_.emplace(config.id, static_cast<QueueIndex>(queues_.size()));
    Queue& queue = queues_.emplace_back();
    queue.config = config;
    queue.tenant = static_cast<std::uint32_t>(tenant_slot_.at(config.tenant));
    tenants_[queue.tenant].queues.push_back(static_cast<QueueIndex>(queues_.size() - 1));
    for (Channel channel : config.channels) queue.channel_mask |= ChannelBit(channel);
    sl_thresholds_.push_back(config.service_level_threshold);
  }
  agents_.reserve(catalog.agents.size());
  for (const AgentConfig& config : catalog.agents) {
    const auto index = static_cast<AgentIndex>(agents_.size());
    Tenant& tenant = tenants_[tenant_slot_.at(config.tenant)];
    tenant.agents.push_back(index);
    Agent& agent = agents_.emplace_back();
    agent.config = config;
    agent_index_.Insert(config.id.value(), index);
    agent.tenant = static_cast<std::uint32_t>(tenant_slot_.at(config.tenant));
    agent.activity_since = now;
    agent.policy = tenant.config.agent_policy;
    agent.state_since = now;
    agent.idle_since = now;
    for (const SkillLevel& skill : config.skills) {
      agent.levels.emplace_back(skill_index_.at(TenantKey(config.tenant, skill.skill)),
                                skill.level);
    }
    std::sort(agent.levels.begin(), agent.levels.end());
    std::uint8_t reachable = 0;
    for (const QueueId& queue_id : config.queues) {
      const QueueIndex queue = queue_index_.at(queue_id);
      agent.memberships.push_back(
          Agent::Membership{.queue = queue, .strategy = queues_[queue].config.strategy});
      queues_[queue].members.push_back(index);
      reachable |= queues_[queue].channel_mask;
    }
    // Capacity on channels none of its queues take is never used: it does not dilute occupancy.
    for (Channel channel : kAllChannels) {
      if ((reachable & ChannelBit(channel)) != 0) {
        agent.total_capacity += config.capacity[static_cast<std::size_t>(channel)];
      }
    }
  }
  line_heads_.resize(queues_.size());
  queue_tallies_.resize(queues_.size());
  tenant_tallies_.resize(tenants_.size());
  agent_tallies_.resize(agents_.size());
  agent_time_.resize(agents_.size());
}

Router::~Router() = default;

void Router::Emit(std::vector<Event>& events, Timestamp now, const TenantId& tenant,
                  EventBody body) {
  events.push_back(Event{.at = now, .tenant = tenant, .body = std::move(body)});
  Count(events.back());
}

absl::StatusOr<CommandResult> Router::Handle(const Command& command, Timestamp now,
                                             std::vector<Event>& events) {
  now_ = now;
  RollDays(now);
  return std::visit([&](const auto& c) { return Apply(c, now, events); }, command);
}

std::optional<Timestamp> Router::NextDeadline() const {
  std::optional<Timestamp> next;
  if (!timers_.empty()) next = std::get<0>(*timers_.begin());
  if (!forgetting_.empty() && (!next || std::get<0>(forgetting_.front()) < *next)) {
    next = std::get<0>(forgetting_.front());
  }
  return next;
}

std::optional<Router::Timer> Router::TakeTimerDue(Timestamp now) {
  const bool timer_due = !timers_.empty() && std::get<0>(*timers_.begin()) <= now;
  const bool forget_due = !forgetting_.empty() && std::get<0>(forgetting_.front()) <= now;
  if (forget_due && (!timer_due || forgetting_.front() < *timers_.begin())) {
    const Timer timer = forgetting_.front();
    forgetting_.pop_front();
    return timer;
  }
  if (!timer_due) return std::nullopt;
  const Timer timer = *timers_.begin();
  timers_.erase(timers_.begin());
  return timer;
}

void Router::ScheduleForget(Timestamp at, TimerKind kind, std::uint64_t subject) {
  // Should a caller's clock step back, forgetting a little later keeps the queue in order.
  if (!forgetting_.empty()) at = std::max(at, std::get<0>(forgetting_.back()));
  forgetting_.emplace_back(at, kind, subject);
}

void Router::AdvanceTo(Timestamp now, std::vector<Event>& events) {
  while (std::optional<Timer> due = TakeTimerDue(now)) {
    const Timer timer = *due;
    // A timer due before a midnight counts in the day it was due.
    now_ = std::get<0>(timer);
    RollDays(now_);
    Fire(timer, events);
  }
  now_ = now;
  RollDays(now);
}

void Router::Fire(const Timer& timer, std::vector<Event>& events) {
  const auto& [at, kind, subject] = timer;
  switch (kind) {
    case TimerKind::kOfferExpiry: {
      Contact& contact = contacts_.At(subject);
      contact.offer_expires_at.reset();  // Its timer is gone already.
      const AgentIndex index = *contact.agent;
      Rescind(contact, RescindReason::kTimeout, at, events);
      contact.refused_by.push_back(index);
      // Ring-no-answer: the agent is evidently away from the desk. A pause first; after too many
      // misses in a row it stops getting offers until it says it is ready again.
      Agent& agent = agents_[index];
      if (++agent.consecutive_misses >= agent.policy.not_ready_after_misses) {
        SetPresence(index, AgentPresence::kNotReady, std::string(kReasonNoAnswer),
                    std::string(kChangedBySystem), at, events);
      } else {
        PauseOffers(index, agent.policy.no_answer_cooldown, at);
      }
      Requeue(contact, RescindReason::kTimeout, at, events);
      return;
    }
    case TimerKind::kWrapUpExpiry: {
      Contact& contact = contacts_.At(subject);
      contact.wrap_up_deadline.reset();
      CompleteWrapUp(contact, std::string(kDispositionWrapUpTimeout), /*system_disposition=*/true,
                     at, events);
      return;
    }
    case TimerKind::kOffersResume: {
      const auto index = static_cast<AgentIndex>(subject);
      agents_[index].offers_paused_until.reset();
      Reindex(index);
      FeedAgent(index, at, events);
      return;
    }
    case TimerKind::kDisconnectGrace: {
      const auto index = static_cast<AgentIndex>(subject);
      agents_[index].disconnect_grace_until.reset();
      if (agents_[index].presence == AgentPresence::kReady) {
        SetPresence(index, AgentPresence::kNotReady, std::string(kReasonDisconnected),
                    std::string(kChangedBySystem), at, events);
      }
      return;
    }
    case TimerKind::kForgetContact:
      Forget(ContactId(subject));
      return;
    case TimerKind::kPreferredExpiry: {
      Contact& contact = contacts_.At(subject);
      contact.preference.reset();
      if (contact.state == ContactState::kQueued) {
        RouteContact(contact, DecisionTrigger::kWindowEnded, at, events);
      }
      return;
    }
    case TimerKind::kStep: {
      Contact& contact = contacts_.At(subject);
      contact.next_step_at.reset();
      // Armed under settings a restart with an edited configuration may have cut short.
      if (contact.steps_done >= queues_[contact.queue].config.steps.size()) return;
      ApplyStep(contact, at, events);
      return;
    }
    case TimerKind::kScheduledStart:
      StartWaiting(contacts_.At(subject), at, events);
      return;
    case TimerKind::kPinExpiry: {
      Contact& contact = contacts_.At(subject);
      contact.extras->pin_until.reset();
      if (contact.state == ContactState::kQueued) {
        Unpin(contact);
        RouteContact(contact, DecisionTrigger::kWindowEnded, at, events);
      } else {
        Unpin(contact);
      }
      return;
    }
    case TimerKind::kForgetEscalation:
      escalations_.erase(subject);
      return;
    case TimerKind::kMaxWait: {
      Contact& contact = contacts_.At(subject);
      contact.max_wait_at.reset();
      if (!queues_[contact.queue].config.max_wait) return;  // As above.
      OverflowWaiting(contact, queues_[contact.queue].config.overflow, kOverflowMaxWait, at,
                      events);
      return;
    }
  }
}

absl::StatusOr<CommandResult> Router::Apply(const CreateContact& command, Timestamp now,
                                            std::vector<Event>& events) {
  const ContactDetails& details = command.details;
  if (details.external_id.empty()) {
    return absl::InvalidArgumentError("external_id is required (the gateway's own contact id)");
  }
  auto tenant_it = tenant_slot_.find(details.tenant);
  if (tenant_it == tenant_slot_.end()) {
    return absl::NotFoundError(absl::StrCat("queue '", command.queue.value(), "' not found"));
  }
  const absl::StatusOr<QueueIndex> queue_index = TenantQueue(details.tenant, command.queue);
  if (queue_index.ok()) {
    // Its queue's waiting line and KPI ring, which queueing the contact reads, loaded while its
    // external id is looked up.
    LoadEarly(&queues_[*queue_index].waiting);
    LoadEarly(&queue_tallies_[*queue_index], MinuteRing<ContactTally>::kCountedBytes);
  }
  auto& by_external_id = tenants_[tenant_it->second].by_external_id;
  if (std::optional<ContactId> known = by_external_id.Find(details.external_id)) {
    return CommandResult{.contact = *known, .created = false};
  }
  if (!queue_index.ok()) return queue_index.status();
  if (absl::Status status = CheckAccepts(*queue_index, details.channel); !status.ok()) {
    return status;
  }
  const Queue& queue = queues_[*queue_index];
  const int priority = command.priority.value_or(queue.config.default_priority);
  if (priority < kMinPriority || priority > kMaxPriority) {
    return absl::InvalidArgumentError(
        absl::StrCat("priority must be ", kMinPriority, "-", kMaxPriority, ", got ", priority));
  }
  absl::StatusOr<Requirements> requirements = InternSkills(details.tenant, details.required_skills);
  if (!requirements.ok()) return requirements.status();
  std::vector<AgentIndex> preferred;
  for (const AgentId& agent_id : details.preferred_agents) {
    std::optional<AgentIndex> agent = agent_index_.Find(agent_id.value());
    if (!agent || agents_[*agent].config.tenant != details.tenant) {
      return absl::NotFoundError(
          absl::StrCat("preferred agent '", agent_id.value(), "' not found"));
    }
    preferred.push_back(*agent);
  }
  const bool scheduled = command.not_before && *command.not_before > now;
  if (command.not_before) {
    if (absl::Status status = CheckSchedule(details.channel, *command.not_before, now);
        !status.ok()) {
      return status;
    }
  }
  std::vector<PlacementHop> hops;
  // A scheduled contact is not waiting yet: hours and size have their say when it starts.
  absl::StatusOr<Placement> placement =
      scheduled ? Placement{.queue = *queue_index, .channel = details.channel}
                : PlaceNewContact(*queue_index, details.channel, now, hops);
  if (!placement.ok()) return placement.status();

  auto contact = std::make_unique<Contact>();
  contact->id = ContactId(next_contact_id_++);
  contact->details = details;
  contact->details.channel = placement->channel;
  contact->requirements = std::move(*requirements);
  contact->queue = placement->queue;
  contact->priority = priority;
  contact->base_priority = static_cast<std::int16_t>(priority);
  contact->created_at = now;
  contact->virtual_start = scheduled ? *command.not_before : now;
  contact->overflowed_to_callback = placement->channel != details.channel;
  const Duration preferred_time = queues_[placement->queue].config.preferred_agent_timeout;
  if (!preferred.empty() && preferred_time > Duration::zero()) {
    contact->preference = std::make_unique<Contact::Preference>(
        Contact::Preference{.until = now + preferred_time, .agents = std::move(preferred)});
    timers_.emplace(contact->preference->until, TimerKind::kPreferredExpiry, contact->id.value());
  }
  Contact& created = *contact;
  contacts_.Insert(created.id.value(), std::move(contact));
  by_external_id.Insert(details.external_id, created.id);

  for (std::size_t i = 0; i < hops.size(); ++i) {
    const QueueIndex to = i + 1 < hops.size() ? hops[i + 1].from : placement->queue;
    const Channel channel =
        hops[i].action == OverflowAction::kCallback ? Channel::kCallback : details.channel;
    Emit(events, now, details.tenant,
         ContactOverflowed{created.id, queues_[hops[i].from].config.id, hops[i].action,
                           queues_[to].config.id, channel, hops[i].reason});
  }
  if (scheduled) {
    Schedule(created, *command.not_before, now, events);
  } else {
    Enqueue(created, now);
    Emit(events, now, details.tenant,
         ContactQueued{created.id, queues_[created.queue].config.id, PositionOf(created)});
    RouteContact(created, DecisionTrigger::kContactArrived, now, events);
  }
  return CommandResult{.contact = created.id, .created = true};
}

absl::StatusOr<CommandResult> Router::Apply(const CancelContact& command, Timestamp now,
                                            std::vector<Event>& events) {
  Contact* found = contacts_.Find(command.contact.value());
  if (found == nullptr || found->details.tenant != command.tenant) {
    return absl::NotFoundError(ContactNotFound(command.contact));
  }
  Contact& contact = *found;
  const CommandResult result{.contact = contact.id, .created = false};
  switch (contact.state) {
    case ContactState::kScheduled:
      Unschedule(contact);
      break;
    case ContactState::kQueued:
      Dequeue(contact);
      break;
    case ContactState::kOffered: {
      const AgentIndex agent = *contact.agent;
      Rescind(contact, RescindReason::kAbandoned, now, events);
      FeedAgent(agent, now, events);
      break;
    }
    case ContactState::kConnected:
      // The customer hung up on a connected interaction: it simply ended.
      EndInteraction(contact, EndReason::kCustomer, now, events);
      return result;
    case ContactState::kWrapUp:
    case ContactState::kCompleted:
    case ContactState::kAbandoned:
    case ContactState::kExpired:
      return result;  // Already over for the customer: repeating a cancel is harmless.
  }
  const TenantId tenant = contact.details.tenant;
  const QueueConfig& queue = queues_[contact.queue].config;
  const bool short_abandon = now - contact.created_at < queue.short_abandon_threshold;
  Finish(contact, ContactState::kAbandoned, now);
  Emit(events, now, tenant,
       ContactAbandoned{command.contact, queue.id, command.reason, short_abandon});
  SettleEscalations(contact, now, events);
  return result;
}

absl::StatusOr<CommandResult> Router::Apply(const SetAgentState& command, Timestamp now,
                                            std::vector<Event>& events) {
  absl::StatusOr<AgentIndex> index = LookUpAgent(command.agent);
  if (!index.ok()) return index.status();
  return ChangeState(*index, command.presence, command.reason, /*changed_by=*/"",
                     /*end_wrap_ups=*/false, now, events);
}

absl::StatusOr<CommandResult> Router::Apply(const ForceAgentState& command, Timestamp now,
                                            std::vector<Event>& events) {
  absl::StatusOr<AgentIndex> index = LookUpAgent(command.agent);
  if (!index.ok() || agents_[*index].config.tenant != command.tenant) {
    return absl::NotFoundError(absl::StrCat("agent '", command.agent.value(), "' not found"));
  }
  return ChangeState(*index, command.presence, command.reason, command.supervisor,
                     command.end_wrap_ups, now, events);
}

absl::StatusOr<CommandResult> Router::ChangeState(AgentIndex index, AgentPresence presence,
                                                  const std::string& requested_reason,
                                                  std::string changed_by, bool end_wrap_ups,
                                                  Timestamp now, std::vector<Event>& events) {
  Agent& agent = agents_[index];
  std::string reason;
  if (presence == AgentPresence::kNotReady) {
    reason = requested_reason.empty() ? std::string(kReasonDefaultNotReady) : requested_reason;
    const std::vector<std::string>& allowed = tenants_[agent.tenant].config.not_ready_reasons;
    const bool core_code = reason == kReasonDefaultNotReady || reason == kReasonNoAnswer ||
                           reason == kReasonDisconnected;
    if (!allowed.empty() && !core_code &&
        std::find(allowed.begin(), allowed.end(), reason) == allowed.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "not-ready reason '", reason, "' is not one of: ", absl::StrJoin(allowed, ", ")));
    }
  }
  std::vector<ContactId> wrap_ups;
  if (presence == AgentPresence::kLoggedOut) {
    int connected = 0;
    for (ContactId id : agent.contacts) {
      const ContactState state = contacts_.At(id.value()).state;
      if (state == ContactState::kConnected) ++connected;
      if (state == ContactState::kWrapUp) wrap_ups.push_back(id);
    }
    if (connected > 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("agent '", agent.config.id.value(), "' is connected to ", connected,
                       " contact(s); they must end or be transferred before logging out"));
    }
    if (!wrap_ups.empty() && !end_wrap_ups) {
      return absl::FailedPreconditionError(
          absl::StrCat("agent '", agent.config.id.value(), "' still has ", wrap_ups.size(),
                       " contact(s) in wrap-up; submit them before logging out"));
    }
  }
  // Out first, so that the capacity the wrap-ups free is not offered again.
  SetPresence(index, presence, std::move(reason), std::move(changed_by), now, events);
  for (ContactId id : wrap_ups) {
    Contact& contact = contacts_.At(id.value());
    if (contact.wrap_up_deadline) {
      timers_.erase({*contact.wrap_up_deadline, TimerKind::kWrapUpExpiry, contact.id.value()});
      contact.wrap_up_deadline.reset();
    }
    CompleteWrapUp(contact, std::string(kDispositionLoggedOut), /*system_disposition=*/true, now,
                   events);
  }
  return CommandResult{};
}

absl::StatusOr<CommandResult> Router::Apply(const AcceptOffer& command, Timestamp now,
                                            std::vector<Event>& events) {
  LoadHeldContact(command.contact);
  absl::StatusOr<AgentIndex> agent = LookUpAgent(command.agent);
  if (!agent.ok()) return agent.status();
  absl::StatusOr<Contact*> held =
      HeldContact(*agent, command.contact, ContactState::kOffered, "accept");
  if (!held.ok()) return held.status();
  Connect(**held, /*auto_accepted=*/false, now, events);
  return CommandResult{.contact = command.contact, .created = false};
}

absl::StatusOr<CommandResult> Router::Apply(const DeclineOffer& command, Timestamp now,
                                            std::vector<Event>& events) {
  LoadHeldContact(command.contact);
  absl::StatusOr<AgentIndex> agent = LookUpAgent(command.agent);
  if (!agent.ok()) return agent.status();
  absl::StatusOr<Contact*> held =
      HeldContact(*agent, command.contact, ContactState::kOffered, "decline");
  if (!held.ok()) return held.status();
  Contact& contact = **held;
  Rescind(contact, RescindReason::kDeclined, now, events);
  contact.refused_by.push_back(*agent);
  agents_[*agent].consecutive_misses = 0;  // An answer, if a negative one.
  PauseOffers(*agent, agents_[*agent].policy.decline_cooldown, now);
  Requeue(contact, RescindReason::kDeclined, now, events);
  FeedAgent(*agent, now, events);
  return CommandResult{.contact = command.contact, .created = false};
}

absl::StatusOr<CommandResult> Router::Apply(const CompleteContact& command, Timestamp now,
                                            std::vector<Event>& events) {
  LoadHeldContact(command.contact);
  absl::StatusOr<AgentIndex> agent = LookUpAgent(command.agent);
  if (!agent.ok()) return agent.status();
  absl::StatusOr<Contact*> held =
      HeldContact(*agent, command.contact, ContactState::kConnected, "complete");
  if (!held.ok()) return held.status();
  EndInteraction(**held, EndReason::kAgent, now, events);
  return CommandResult{.contact = command.contact, .created = false};
}

absl::StatusOr<CommandResult> Router::Apply(const SubmitWrapUp& command, Timestamp now,
                                            std::vector<Event>& events) {
  LoadHeldContact(command.contact);
  absl::StatusOr<AgentIndex> agent = LookUpAgent(command.agent);
  if (!agent.ok()) return agent.status();
  if (command.disposition.empty()) {
    return absl::InvalidArgumentError("disposition_code is required to finish wrap-up");
  }
  const std::vector<std::string>& codes = tenants_[agents_[*agent].tenant].config.disposition_codes;
  if (!codes.empty() && std::find(codes.begin(), codes.end(), command.disposition) == codes.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("disposition code '", command.disposition,
                     "' is not one of: ", absl::StrJoin(codes, ", ")));
  }
  absl::StatusOr<Contact*> held =
      HeldContact(*agent, command.contact, ContactState::kWrapUp, "wrap up");
  if (!held.ok()) return held.status();
  Contact& contact = **held;
  if (contact.wrap_up_deadline) {
    timers_.erase({*contact.wrap_up_deadline, TimerKind::kWrapUpExpiry, contact.id.value()});
    contact.wrap_up_deadline.reset();
  }
  if (!command.notes.empty()) contact.MutableExtras().wrap_up_notes = command.notes;
  CompleteWrapUp(contact, command.disposition, /*system_disposition=*/false, now, events);
  return CommandResult{.contact = command.contact, .created = false};
}

absl::StatusOr<CommandResult> Router::Apply(const AgentConnection& command, Timestamp now,
                                            std::vector<Event>& events) {
  absl::StatusOr<AgentIndex> index = LookUpAgent(command.agent);
  if (!index.ok()) return index.status();
  Agent& agent = agents_[*index];
  if (command.connected) {
    ++agent.connections;
    if (agent.disconnect_grace_until) {
      timers_.erase({*agent.disconnect_grace_until, TimerKind::kDisconnectGrace, *index});
      agent.disconnect_grace_until.reset();
    }
    return CommandResult{};
  }
  ACD_CHECK(agent.connections > 0);
  if (--agent.connections > 0 || agent.presence != AgentPresence::kReady) return CommandResult{};
  if (agent.policy.disconnect_grace == Duration::zero()) {
    SetPresence(*index, AgentPresence::kNotReady, std::string(kReasonDisconnected),
                std::string(kChangedBySystem), now, events);
  } else {
    agent.disconnect_grace_until = now + agent.policy.disconnect_grace;
    timers_.emplace(*agent.disconnect_grace_until, TimerKind::kDisconnectGrace, *index);
  }
  return CommandResult{};
}

absl::StatusOr<CommandResult> Router::Apply(const Restarted& /*command*/, Timestamp now,
                                            std::vector<Event>& events) {
  for (AgentIndex index = 0; index < agents_.size(); ++index) {
    Agent& agent = agents_[index];
    if (agent.connections == 0) continue;
    agent.connections = 1;  // The last one goes as a stream's would.
    if (absl::StatusOr<CommandResult> lost =
            Apply(AgentConnection{.agent = agent.config.id, .connected = false}, now, events);
        !lost.ok()) {
      return lost.status();
    }
  }
  std::vector<ContactId> offered;
  for (const Agent& agent : agents_) {
    for (ContactId id : agent.contacts) {
      if (contacts_.At(id.value()).state == ContactState::kOffered) offered.push_back(id);
    }
  }
  std::vector<AgentIndex> freed;
  for (ContactId id : offered) {
    Contact& contact = contacts_.At(id.value());
    if (contact.state != ContactState::kOffered) continue;
    freed.push_back(*contact.agent);
    Rescind(contact, RescindReason::kAgentUnavailable, now, events);
    Requeue(contact, RescindReason::kAgentUnavailable, now, events);
  }
  // An agent still ready (in the grace period) has room again for whatever waits.
  for (AgentIndex index : freed) FeedAgent(index, now, events);
  return CommandResult{};
}

absl::StatusOr<CommandResult> Router::Apply(const RecordSurvey& command, Timestamp now,
                                            std::vector<Event>& events) {
  if (command.score < kMinSurveyScore || command.score > kMaxSurveyScore) {
    return absl::InvalidArgumentError(absl::StrCat("score must be ", kMinSurveyScore, "-",
                                                   kMaxSurveyScore, ", got ", command.score));
  }
  Contact* contact = contacts_.Find(command.contact.value());
  if (contact == nullptr || contact->details.tenant != command.tenant) {
    return absl::NotFoundError(ContactNotFound(command.contact));
  }
  if (!contact->handled_by) {
    return absl::FailedPreconditionError(
        absl::StrCat("contact ", command.contact.value(), " never reached an agent"));
  }
  if (contact->extras && contact->extras->csat != 0) {
    return absl::AlreadyExistsError(
        absl::StrCat("a survey was already recorded for contact ", command.contact.value()));
  }
  contact->MutableExtras().csat = command.score;
  Emit(events, now, command.tenant,
       SurveyRecorded{contact->id, agents_[*contact->handled_by].config.id, command.score,
                      command.comment});
  return CommandResult{.contact = contact->id};
}

absl::StatusOr<Router::AgentIndex> Router::LookUpAgent(const AgentId& id) const {
  std::optional<AgentIndex> index = agent_index_.Find(id.value());
  if (!index) return absl::NotFoundError(absl::StrCat("agent '", id.value(), "' not found"));
  return *index;
}

void Router::LoadHeldContact(ContactId id) const {
  if (const Contact* contact = contacts_.Find(id.value())) LoadEarly(contact);
}

absl::StatusOr<Router::Contact*> Router::HeldContact(AgentIndex agent, ContactId id,
                                                     ContactState state, const char* action) {
  Contact* found = contacts_.Find(id.value());
  if (found == nullptr || found->details.tenant != agents_[agent].config.tenant) {
    return absl::NotFoundError(ContactNotFound(id));
  }
  Contact& contact = *found;
  if (contact.agent != agent) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot ", action, " contact ", id.value(), ": it is not held by you"));
  }
  if (contact.state != state) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot ", action, " contact ", id.value(), ": it is ",
                     std::string(ContactStateName(contact.state)), ", not ",
                     std::string(ContactStateName(state))));
  }
  return &contact;
}

void Router::RollDays(Timestamp now) {
  if (now < first_day_end_) return;
  first_day_end_ = Timestamp::max();
  for (std::size_t slot = 0; slot < tenants_.size(); ++slot) {
    Tenant& tenant = tenants_[slot];
    if (now < tenant.day_ends_at) {
      first_day_end_ = std::min(first_day_end_, tenant.day_ends_at);
      continue;
    }
    // Yesterday's time goes to yesterday; today's figures start from zero.
    for (AgentIndex index : tenant.agents) {
      Agent& agent = agents_[index];
      AccountTime(index, agent.activity_since, tenant.day_ends_at, agent.activity);
      agent.activity_since = tenant.day_ends_at;
      agent_tallies_[index].ResetToday();
      agent_time_[index].ResetToday();
      agent.contacts_today = 0;
      Reindex(index);
    }
    for (QueueIndex queue : tenant.queues) queue_tallies_[queue].ResetToday();
    tenant_tallies_[slot].ResetToday();
    tenant.day_ends_at = NextLocalMidnight(now, tenant.config.time_zone);
    first_day_end_ = std::min(first_day_end_, tenant.day_ends_at);
  }
}

void Router::Enqueue(Contact& contact, Timestamp now) {
  contact.state = ContactState::kQueued;
  contact.agent.reset();
  const QueueConfig& config = queues_[contact.queue].config;
  JoinLine(contact.queue, contact);
  for (QueueIndex widened : contact.widened) JoinLine(widened, contact);
  if (contact.pinned) agents_[*contact.pinned].pinned_waiting.push_back(contact.id);
  // Limits and steps run on the contact's age: when one is already due (the contact is back from
  // an offer, or was moved here), it applies at once.
  if (config.max_wait && !contact.overflowed_to_callback) {
    contact.max_wait_at = std::max(now, contact.virtual_start + *config.max_wait);
    timers_.emplace(*contact.max_wait_at, TimerKind::kMaxWait, contact.id.value());
  }
  ArmNextStep(contact, now);
}

void Router::ArmNextStep(Contact& contact, Timestamp now) {
  const std::vector<QueueStep>& steps = queues_[contact.queue].config.steps;
  if (contact.steps_done >= steps.size()) return;
  contact.next_step_at = std::max(now, contact.virtual_start + steps[contact.steps_done].after);
  timers_.emplace(*contact.next_step_at, TimerKind::kStep, contact.id.value());
}

void Router::Dequeue(Contact& contact) {
  LeaveLine(contact.queue, contact);
  for (QueueIndex widened : contact.widened) LeaveLine(widened, contact);
  if (contact.pinned) std::erase(agents_[*contact.pinned].pinned_waiting, contact.id);
  if (contact.max_wait_at) {
    timers_.erase({*contact.max_wait_at, TimerKind::kMaxWait, contact.id.value()});
    contact.max_wait_at.reset();
  }
  if (contact.next_step_at) {
    timers_.erase({*contact.next_step_at, TimerKind::kStep, contact.id.value()});
    contact.next_step_at.reset();
  }
}

void Router::JoinLine(QueueIndex queue, Contact& contact) {
  const Channel channel = contact.details.channel;
  WaitingLine& waiting = queues_[queue].waiting;
  const WaitingKey key = contact.Key();
  waiting.Insert(channel, key);
  if (*waiting.line(channel).begin() == key) {
    line_heads_[queue][static_cast<std::size_t>(channel)] = &contact;
  }
}

void Router::LeaveLine(QueueIndex queue, const Contact& contact) {
  const Channel channel = contact.details.channel;
  WaitingLine& waiting = queues_[queue].waiting;
  waiting.Erase(channel, contact.Key());
  Contact*& head = line_heads_[queue][static_cast<std::size_t>(channel)];
  if (head != &contact) return;
  const WaitingLine::Line& line = waiting.line(channel);
  head = line.size() == 0 ? nullptr : &contacts_.At(ContactOf(*line.begin()));
}

bool Router::HasRoom(const Agent& agent, Channel channel) const {
  if (agent.presence != AgentPresence::kReady || agent.offers_paused_until) return false;
  return HasCapacity(agent, channel);
}

std::uint8_t Router::RoomOf(const Agent& agent) const {
  std::uint8_t channels = 0;
  for (Channel channel : kAllChannels) {
    if (HasRoom(agent, channel)) channels |= ChannelBit(channel);
  }
  return channels;
}

bool Router::HasCapacity(const Agent& agent, Channel channel) const {
  const auto slot = static_cast<std::size_t>(channel);
  if (agent.load[slot] >= agent.config.capacity[slot]) return false;
  if (agent.config.voice_exclusive) {
    if (channel == Channel::kVoice) return agent.contacts.empty();
    if (agent.load[static_cast<std::size_t>(Channel::kVoice)] > 0) return false;
  }
  return true;
}

bool Router::RoutesBefore(const Contact& a, const Contact& b, Timestamp now) const {
  if (a.priority != b.priority) return a.priority > b.priority;
  if (a.queue != b.queue) {
    // waited_a / threshold_a against waited_b / threshold_b, without division; the products
    // can pass 2^63 microseconds squared, so in long double (a 64-bit mantissa).
    const long double urgency_a = static_cast<long double>((now - a.virtual_start).count()) *
                                  static_cast<long double>(sl_thresholds_[b.queue].count());
    const long double urgency_b = static_cast<long double>((now - b.virtual_start).count()) *
                                  static_cast<long double>(sl_thresholds_[a.queue].count());
    if (urgency_a != urgency_b) return urgency_a > urgency_b;
  }
  if (a.virtual_start != b.virtual_start) return a.virtual_start < b.virtual_start;
  return a.id.value() < b.id.value();
}

void Router::FeedAgent(AgentIndex index, Timestamp now, std::vector<Event>& events) {
  while (true) {
    const Agent& agent = agents_[index];
    // From the agent's own state: a caller that freed capacity leaves the refiling to the end.
    const std::uint8_t room = RoomOf(agent);
    if (room == 0) break;
    Contact* best = nullptr;
    for (const Agent::Membership& membership : agent.memberships) {
      const std::array<Contact*, kChannelCount>& heads = line_heads_[membership.queue];
      for (Channel channel : kAllChannels) {
        Contact* candidate = heads[static_cast<std::size_t>(channel)];
        if (candidate == nullptr || (room & ChannelBit(channel)) == 0) continue;
        if (!Qualifies(index, *candidate)) {
          // Past the head, to the first contact this agent may take.
          candidate = nullptr;
          const WaitingLine::Line& line = queues_[membership.queue].waiting.line(channel);
          for (auto key = std::next(line.begin()); key != line.end(); ++key) {
            Contact& next = contacts_.At(ContactOf(*key));
            if (Qualifies(index, next)) {
              candidate = &next;
              break;
            }
          }
          if (candidate == nullptr) continue;
        }
        // The rest of this line routes after this one.
        if (best == nullptr || RoutesBefore(*candidate, *best, now)) best = candidate;
      }
    }
    for (ContactId id : agent.pinned_waiting) {
      Contact& candidate = contacts_.At(id.value());
      if ((room & ChannelBit(candidate.details.channel)) == 0) continue;
      if (!Qualifies(index, candidate)) continue;
      if (best == nullptr || RoutesBefore(candidate, *best, now)) best = &candidate;
    }
    if (best == nullptr) break;
    // The lines of it that offering reads beyond those read above: together, not one by one.
    LoadEarly(&best->max_wait_at);
    LoadEarly(&best->details.tenant);
    LoadEarly(&best->details.channel);
    TraceRecord trace = StartTrace(*best, DecisionTrigger::kAgentAvailable, now);
    trace.AddCandidate({.agent = index, .idle_since = agent.idle_since});
    trace.chosen = index;
    RecordDecision(*best, std::move(trace));
    Dequeue(*best);
    Offer(*best, index, now, events);
  }
  Reindex(index);
}

void Router::LoadForFreedAgent(const Contact& contact, AgentIndex agent) const {
  for (const Agent::Membership& membership : agents_[agent].memberships) {
    for (const Contact* head : line_heads_[membership.queue]) {
      // What deciding whether the agent may take it reads.
      if (head != nullptr) LoadEarly(head, Contact::kEligibilityBytes);
    }
  }
  LoadEarly(&queue_tallies_[contact.queue], MinuteRing<ContactTally>::kCountedBytes);
  LoadEarly(&agent_tallies_[agent], MinuteRing<ContactTally>::kCountedBytes);
  LoadEarly(&agent_time_[agent], MinuteRing<TimeTally>::kCountedBytes);
}

void Router::Offer(Contact& contact, AgentIndex index, Timestamp now, std::vector<Event>& events) {
  Agent& agent = agents_[index];
  contact.state = ContactState::kOffered;
  ++agents_[index].holding[Agent::kHoldingOffered];
  contact.agent = index;
  contact.offer_expires_at = now + queues_[contact.queue].config.offer_timeout;
  timers_.emplace(*contact.offer_expires_at, TimerKind::kOfferExpiry, contact.id.value());
  ++agent.load[static_cast<std::size_t>(contact.details.channel)];
  agent.contacts.push_back(contact.id);
  for (Agent::Membership& membership : agent.memberships) {
    if (membership.queue == contact.queue) membership.last_turn = ++offers_made_;
  }
  Reindex(index);
  NoteActivity(index, now);
  if (agent.config.auto_accept[static_cast<std::size_t>(contact.details.channel)]) {
    // Taken at once: no offer to answer, so none is announced.
    Connect(contact, /*auto_accepted=*/true, now, events);
    return;
  }
  Emit(events, now, contact.details.tenant,
       OfferMade{contact.id, agent.config.id, *contact.offer_expires_at});
}

void Router::Connect(Contact& contact, bool auto_accepted, Timestamp now,
                     std::vector<Event>& events) {
  ACD_CHECK(contact.state == ContactState::kOffered);
  const AgentIndex index = *contact.agent;
  timers_.erase({*contact.offer_expires_at, TimerKind::kOfferExpiry, contact.id.value()});
  contact.offer_expires_at.reset();
  contact.state = ContactState::kConnected;
  --agents_[*contact.agent].holding[Agent::kHoldingOffered];
  ++agents_[*contact.agent].holding[Agent::kHoldingConnected];
  contact.handled_by = index;
  Agent& agent = agents_[index];
  agent.consecutive_misses = 0;
  ++agent.contacts_today;
  Reindex(index);
  NoteActivity(index, now);
  Emit(events, now, contact.details.tenant,
       ContactAssigned{contact.id, agents_[index].config.id, auto_accepted});
  ResolveEscalationsOf(
      contact.id,
      [](const EscalationView& escalation) {
        return escalation.source == EscalationSource::kQueueStep;
      },
      kResolvedBySystem, "answered", now, events);
}

void Router::Rescind(Contact& contact, RescindReason reason, Timestamp now,
                     std::vector<Event>& events) {
  ACD_CHECK(contact.state == ContactState::kOffered);
  if (contact.offer_expires_at) {
    timers_.erase({*contact.offer_expires_at, TimerKind::kOfferExpiry, contact.id.value()});
    contact.offer_expires_at.reset();
  }
  const AgentIndex index = *contact.agent;
  // Counted against the agent still holding it.
  Emit(events, now, contact.details.tenant,
       OfferRescinded{contact.id, agents_[index].config.id, reason});
  // The one agent it was meant for did not take it: it waits for anyone in its queue.
  if (contact.pinned == contact.agent) Unpin(contact);
  ReleaseCapacity(contact, now);
  Reindex(index);
}

void Router::Requeue(Contact& contact, RescindReason reason, Timestamp now,
                     std::vector<Event>& events) {
  Enqueue(contact, now);
  Emit(events, now, contact.details.tenant,
       ContactRequeued{contact.id, queues_[contact.queue].config.id, reason, PositionOf(contact)});
  RouteContact(contact, DecisionTrigger::kContactRequeued, now, events);
}

void Router::EndInteraction(Contact& contact, EndReason reason, Timestamp now,
                            std::vector<Event>& events) {
  const WrapUpConfig& wrap_up = queues_[contact.queue].config.wrap_up;
  if (wrap_up.policy == WrapUpPolicy::kNone) {
    CompleteWrapUp(contact, std::string(kDispositionNoWrapUp), /*system_disposition=*/true, now,
                   events);
    return;
  }
  contact.state = ContactState::kWrapUp;
  --agents_[*contact.agent].holding[Agent::kHoldingConnected];
  ++agents_[*contact.agent].holding[Agent::kHoldingWrapUp];
  NoteActivity(*contact.agent, now);
  if (wrap_up.policy == WrapUpPolicy::kTimed) {
    contact.wrap_up_deadline = now + wrap_up.timeout;
    timers_.emplace(*contact.wrap_up_deadline, TimerKind::kWrapUpExpiry, contact.id.value());
  }
  Emit(events, now, contact.details.tenant,
       WrapUpStarted{contact.id, agents_[*contact.agent].config.id, reason,
                     contact.wrap_up_deadline});
}

void Router::CompleteWrapUp(Contact& contact, std::string disposition, bool system_disposition,
                            Timestamp now, std::vector<Event>& events) {
  const AgentIndex agent = *contact.agent;
  LoadForFreedAgent(contact, agent);
  contact.disposition = disposition;
  ReleaseCapacity(contact, now);
  Finish(contact, ContactState::kCompleted, now);
  Emit(events, now, contact.details.tenant,
       ContactCompleted{contact.id, agents_[agent].config.id, disposition, system_disposition});
  // A tier-2 escalation is resolved by the tier-2 agent completing the contact.
  ResolveEscalationsOf(
      contact.id,
      [](const EscalationView& escalation) { return escalation.target_queue.has_value(); },
      agents_[agent].config.id.value(), disposition, now, events);
  FeedAgent(agent, now, events);
}

void Router::ReleaseCapacity(Contact& contact, Timestamp now) {
  const AgentIndex index = *contact.agent;
  Agent& agent = agents_[index];
  --agent.load[static_cast<std::size_t>(contact.details.channel)];
  --agent.holding[Agent::HoldingSlot(contact.state)];
  if (auto held = std::find(agent.contacts.begin(), agent.contacts.end(), contact.id);
      held != agent.contacts.end()) {
    agent.contacts.erase(held);
  }
  if (agent.contacts.empty()) agent.idle_since = now;
  contact.agent.reset();
  NoteActivity(index, now);
}

void Router::PauseOffers(AgentIndex index, Duration pause, Timestamp now) {
  if (pause <= Duration::zero()) return;
  Agent& agent = agents_[index];
  const Timestamp until = now + pause;
  if (agent.offers_paused_until) {
    if (*agent.offers_paused_until >= until) return;
    timers_.erase({*agent.offers_paused_until, TimerKind::kOffersResume, index});
  }
  agent.offers_paused_until = until;
  timers_.emplace(until, TimerKind::kOffersResume, index);
  Reindex(index);
}

void Router::SetPresence(AgentIndex index, AgentPresence presence, std::string reason,
                         std::string changed_by, Timestamp now, std::vector<Event>& events) {
  Agent& agent = agents_[index];
  if (agent.presence == presence && agent.reason == reason) return;
  const bool was_ready = agent.presence == AgentPresence::kReady;
  agent.presence = presence;
  agent.reason = std::move(reason);
  agent.state_since = now;
  if (presence == AgentPresence::kReady) {
    agent.consecutive_misses = 0;
    if (!was_ready && agent.contacts.empty()) agent.idle_since = now;
  } else if (agent.disconnect_grace_until) {
    timers_.erase({*agent.disconnect_grace_until, TimerKind::kDisconnectGrace, index});
    agent.disconnect_grace_until.reset();
  }
  Reindex(index);
  NoteActivity(index, now);
  Emit(events, now, agent.config.tenant,
       AgentStateChanged{agent.config.id, presence, agent.reason, std::move(changed_by)});
  if (presence == AgentPresence::kReady) {
    FeedAgent(index, now, events);
    return;
  }
  // An agent leaving ready keeps its connected contacts but gives back pending offers.
  std::vector<ContactId> offered;
  for (ContactId id : agent.contacts) {
    if (contacts_.At(id.value()).state == ContactState::kOffered) offered.push_back(id);
  }
  for (ContactId id : offered) {
    Contact& contact = contacts_.At(id.value());
    Rescind(contact, RescindReason::kAgentUnavailable, now, events);
    Requeue(contact, RescindReason::kAgentUnavailable, now, events);
  }
}

void Router::Finish(Contact& contact, ContactState final_state, Timestamp now) {
  contact.state = final_state;
  if (contact.preference) {
    timers_.erase({contact.preference->until, TimerKind::kPreferredExpiry, contact.id.value()});
    contact.preference.reset();
  }
  if (contact.extras && contact.extras->pin_until) {
    timers_.erase({*contact.extras->pin_until, TimerKind::kPinExpiry, contact.id.value()});
    contact.extras->pin_until.reset();
  }
  ScheduleForget(now + finished_contact_retention_, TimerKind::kForgetContact, contact.id.value());
}

void Router::Forget(ContactId id) {
  const ContactDetails& details = contacts_.At(id.value()).details;
  if (!details.external_id.empty()) {
    tenants_[tenant_slot_.at(details.tenant)].by_external_id.Erase(details.external_id);
  }
  contacts_.Erase(id.value());
}

std::optional<ContactView> Router::FindContact(ContactId id) const {
  const Contact* found = contacts_.Find(id.value());
  if (found == nullptr) return std::nullopt;
  return ViewOf(*found);
}

std::optional<WaitView> Router::WaitOf(ContactId id) const {
  const Contact* found = contacts_.Find(id.value());
  if (found == nullptr) return std::nullopt;
  return WaitOf(*found);
}

std::optional<WaitView> Router::WaitOf(const Contact& contact) const {
  if (contact.state != ContactState::kQueued) return std::nullopt;
  WaitView wait{.position = PositionOf(contact)};
  wait.estimated_wait = EstimatedWait(contact.queue, wait.position, now_);
  return wait;
}

std::optional<AgentView> Router::FindAgent(const AgentId& id) const {
  std::optional<AgentIndex> index = agent_index_.Find(id.value());
  if (!index) return std::nullopt;
  return ViewOf(agents_[*index]);
}

std::optional<TenantId> Router::AgentTenant(const AgentId& id) const {
  std::optional<AgentIndex> index = agent_index_.Find(id.value());
  if (!index) return std::nullopt;
  return agents_[*index].config.tenant;
}

std::vector<QueueView> Router::ListQueues(const TenantId& tenant, Timestamp now) const {
  std::vector<QueueView> views;
  for (const Queue& queue : queues_) {
    if (queue.config.tenant != tenant) continue;
    QueueView view{.id = queue.config.id,
                   .tenant = queue.config.tenant,
                   .display_name = queue.config.display_name,
                   .channels = queue.config.channels,
                   .service_level_target = queue.config.service_level_target,
                   .service_level_threshold = queue.config.service_level_threshold,
                   .waiting = queue.waiting.size()};
    if (std::optional<Timestamp> oldest = queue.waiting.OldestStart()) {
      view.longest_wait = now - *oldest;
    }
    for (AgentIndex member : queue.members) {
      const Agent& agent = agents_[member];
      if (!agent.contacts.empty()) {
        ++view.agents_busy;
      } else if (agent.presence == AgentPresence::kReady) {
        ++view.agents_ready;
      } else if (agent.presence == AgentPresence::kNotReady) {
        ++view.agents_not_ready;
      }
    }
    views.push_back(std::move(view));
  }
  return views;
}

std::vector<Router::AgentIndex> Router::AgentsOf(const TenantId& tenant,
                                                 std::span<const QueueId> member_of) const {
  auto slot = tenant_slot_.find(tenant);
  if (slot == tenant_slot_.end()) return {};
  const std::vector<AgentIndex>& all = tenants_[slot->second].agents;
  if (member_of.empty()) return all;
  std::vector<bool> wanted(agents_.size());
  for (const QueueId& id : member_of) {
    auto queue = queue_index_.find(id);
    if (queue == queue_index_.end() || queues_[queue->second].config.tenant != tenant) continue;
    for (AgentIndex member : queues_[queue->second].members) wanted[member] = true;
  }
  std::vector<AgentIndex> members;
  for (AgentIndex agent : all) {
    if (wanted[agent]) members.push_back(agent);
  }
  return members;
}

std::vector<AgentView> Router::ListAgents(const TenantId& tenant,
                                          std::span<const QueueId> member_of) const {
  std::vector<AgentView> views;
  for (AgentIndex agent : AgentsOf(tenant, member_of)) views.push_back(ViewOf(agents_[agent]));
  return views;
}

ContactView Router::ViewOf(const Contact& contact) const {
  ContactView view{.id = contact.id,
                   .details = contact.details,
                   .queue = queues_[contact.queue].config.id,
                   .base_priority = contact.base_priority,
                   .priority = contact.priority,
                   .state = contact.state,
                   .agent = std::nullopt,
                   .created_at = contact.created_at,
                   .virtual_start = contact.virtual_start,
                   .queue_position = 0,
                   .offer_expires_at = contact.offer_expires_at,
                   .wrap_up_deadline = contact.wrap_up_deadline,
                   .preferred_until = std::nullopt};
  if (contact.agent) view.agent = agents_[*contact.agent].config.id;
  if (contact.state == ContactState::kCompleted && contact.handled_by) {
    view.agent = agents_[*contact.handled_by].config.id;
  }
  if (const std::optional<WaitView> wait = WaitOf(contact)) {
    view.queue_position = wait->position;
    view.estimated_wait = wait->estimated_wait;
  }
  if (contact.preference) view.preferred_until = contact.preference->until;
  view.disposition = contact.disposition;
  if (contact.connected_at != Timestamp{}) view.connected_at = contact.connected_at;
  if (contact.ended_at != Timestamp{}) view.ended_at = contact.ended_at;
  if (contact.pinned) view.pinned_agent = agents_[*contact.pinned].config.id;
  if (contact.extras) {
    view.not_before = contact.extras->not_before;
    view.follow_up_of = contact.extras->follow_up_of;
    view.attempt = contact.extras->attempt;
    view.handover_notes = contact.extras->handover_notes;
    view.wrap_up_notes = contact.extras->wrap_up_notes;
    view.csat = contact.extras->csat;
  }
  return view;
}

std::vector<ContactView> Router::ListContacts(const TenantId& tenant) const {
  std::vector<const Contact*> waiting;
  std::vector<const Contact*> others;
  for (std::uint64_t id : contacts_.Ids()) {
    const Contact& contact = contacts_.At(id);
    if (contact.details.tenant != tenant) continue;
    switch (contact.state) {
      case ContactState::kQueued:
        waiting.push_back(&contact);
        break;
      case ContactState::kScheduled:
      case ContactState::kOffered:
      case ContactState::kConnected:
      case ContactState::kWrapUp:
        others.push_back(&contact);
        break;
      case ContactState::kCompleted:
      case ContactState::kAbandoned:
      case ContactState::kExpired:
        break;
    }
  }
  std::sort(waiting.begin(), waiting.end(),
            [](const Contact* a, const Contact* b) { return a->Key() < b->Key(); });
  std::vector<ContactView> views;
  views.reserve(waiting.size() + others.size());
  for (const Contact* contact : waiting) views.push_back(ViewOf(*contact));
  for (const Contact* contact : others) views.push_back(ViewOf(*contact));  // Ids: creation order.
  return views;
}

int Router::PositionOf(const Contact& contact) const {
  return queues_[contact.queue].waiting.Position(contact.Key());
}

AgentView Router::ViewOf(const Agent& agent) const {
  return AgentView{.id = agent.config.id,
                   .tenant = agent.config.tenant,
                   .display_name = agent.config.display_name,
                   .team = agent.config.team,
                   .presence = agent.presence,
                   .reason = agent.reason,
                   .state_since = agent.state_since,
                   .queues = agent.config.queues,
                   .skills = agent.config.skills,
                   .contacts = {agent.contacts.begin(), agent.contacts.end()},
                   .connections = agent.connections,
                   .offers_paused_until = agent.offers_paused_until,
                   .consecutive_misses = agent.consecutive_misses,
                   .contacts_today = agent.contacts_today};
}

}  // namespace acd::routing
