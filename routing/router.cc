#include "routing/router.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "routing/check.h"

namespace acd::routing {
namespace {

// Keys that scope a name to its tenant.
std::string TenantKey(const TenantId& tenant, const std::string& name) {
  return absl::StrCat(tenant.value(), "\n", name);
}

std::string ContactNotFound(ContactId id) {
  return absl::StrCat("contact ", id.value(), " not found");
}

}  // namespace

std::string_view ContactStateName(ContactState state) {
  switch (state) {
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
  }
  return "unknown";
}

struct Router::Queue {
  QueueConfig config;
  std::vector<AgentIndex> members;
  /// Waiting contacts in routing order.
  std::set<WaitingKey> waiting;
};

struct Router::Agent {
  AgentConfig config;
  /// Proficiency by interned skill; 0 where the agent lacks the skill.
  std::vector<std::uint8_t> levels;
  std::vector<QueueIndex> queues;
  AgentPresence presence = AgentPresence::kLoggedOut;
  std::string reason;
  Timestamp state_since;
  /// Since when the agent has been free of contacts (or ready); the longest-idle key.
  Timestamp idle_since;
  std::array<int, kChannelCount> load{};
  std::vector<ContactId> contacts;
  int connections = 0;
};

struct Router::Contact {
  ContactId id;
  ContactDetails details;
  /// Interned required skills with their minimum levels.
  std::vector<std::pair<SkillIndex, int>> requirements;
  QueueIndex queue = 0;
  int priority = 0;
  ContactState state = ContactState::kQueued;
  std::optional<AgentIndex> agent;
  Timestamp created_at;
  Timestamp virtual_start;
  std::optional<Timestamp> offer_expires_at;
  /// The agent who accepted it; kept after completion for the record.
  std::optional<AgentIndex> handled_by;
  /// Agents that declined or let this contact ring out: never offered it again.
  std::vector<AgentIndex> refused_by;

  WaitingKey Key() const { return {-priority, virtual_start, id.value()}; }
};

absl::StatusOr<std::unique_ptr<Router>> Router::Create(const Catalog& catalog, Timestamp now) {
  if (std::optional<CatalogProblem> problem = catalog.FindProblem()) {
    return absl::InvalidArgumentError(
        absl::StrCat(problem->entity_kind, " '", problem->entity_id, "': ", problem->message));
  }
  return std::unique_ptr<Router>(new Router(catalog, now));
}

Router::Router(const Catalog& catalog, Timestamp now)
    : finished_contact_retention_(catalog.finished_contact_retention) {
  for (const TenantConfig& tenant : catalog.tenants) {
    for (const std::string& skill : tenant.skills) {
      skill_index_.emplace(TenantKey(tenant.id, skill),
                           static_cast<SkillIndex>(skill_index_.size()));
    }
  }
  for (const QueueConfig& config : catalog.queues) {
    queue_index_.emplace(config.id, static_cast<QueueIndex>(queues_.size()));
    queues_.push_back(Queue{.config = config, .members = {}, .waiting = {}});
  }
  for (const AgentConfig& config : catalog.agents) {
    const auto index = static_cast<AgentIndex>(agents_.size());
    agent_index_.emplace(config.id, index);
    Agent agent;
    agent.config = config;
    agent.state_since = now;
    agent.idle_since = now;
    agent.levels.assign(skill_index_.size(), 0);
    for (const SkillLevel& skill : config.skills) {
      agent.levels[skill_index_.at(TenantKey(config.tenant, skill.skill))] =
          static_cast<std::uint8_t>(skill.level);
    }
    for (const QueueId& queue_id : config.queues) {
      const QueueIndex queue = queue_index_.at(queue_id);
      agent.queues.push_back(queue);
      queues_[queue].members.push_back(index);
    }
    agents_.push_back(std::move(agent));
  }
}

Router::~Router() = default;

absl::StatusOr<CommandResult> Router::Handle(const Command& command, Timestamp now,
                                             std::vector<Event>& events) {
  return std::visit([&](const auto& c) { return Apply(c, now, events); }, command);
}

std::optional<Timestamp> Router::NextDeadline() const {
  std::optional<Timestamp> next;
  if (!offer_deadlines_.empty()) next = offer_deadlines_.begin()->first;
  if (!finished_.empty() && (!next || finished_.front().first < *next)) {
    next = finished_.front().first;
  }
  return next;
}

void Router::AdvanceTo(Timestamp now, std::vector<Event>& events) {
  while (!offer_deadlines_.empty() && offer_deadlines_.begin()->first <= now) {
    const ContactId id = offer_deadlines_.begin()->second;
    Contact& contact = *contacts_.at(id);
    const AgentIndex agent = *contact.agent;
    // Ring-no-answer: the agent is evidently not at the desk, so it stops getting offers until it
    // says it is ready again, and the contact goes back to its place in line.
    Rescind(contact, RescindReason::kTimeout, now, events);
    contact.refused_by.push_back(agent);
    Requeue(contact, RescindReason::kTimeout, now, events);
    SetPresence(agent, AgentPresence::kNotReady, std::string(kReasonNoAnswer), now, events);
  }
  while (!finished_.empty() && finished_.front().first <= now) {
    Forget(finished_.front().second);
    finished_.pop_front();
  }
}

absl::StatusOr<CommandResult> Router::Apply(const CreateContact& command, Timestamp now,
                                            std::vector<Event>& events) {
  const ContactDetails& details = command.details;
  if (details.external_id.empty()) {
    return absl::InvalidArgumentError("external_id is required (the gateway's own contact id)");
  }
  if (auto known = by_external_id_.find(TenantKey(details.tenant, details.external_id));
      known != by_external_id_.end()) {
    return CommandResult{.contact = known->second, .created = false};
  }
  auto queue_it = queue_index_.find(command.queue);
  if (queue_it == queue_index_.end() || queues_[queue_it->second].config.tenant != details.tenant) {
    return absl::NotFoundError(absl::StrCat("queue '", command.queue.value(), "' not found"));
  }
  const Queue& queue = queues_[queue_it->second];
  if (std::find(queue.config.channels.begin(), queue.config.channels.end(), details.channel) ==
      queue.config.channels.end()) {
    return absl::InvalidArgumentError(absl::StrCat("queue '", command.queue.value(),
                                                   "' does not accept channel '",
                                                   std::string(ChannelName(details.channel)), "'"));
  }
  const int priority = command.priority.value_or(queue.config.default_priority);
  if (priority < kMinPriority || priority > kMaxPriority) {
    return absl::InvalidArgumentError(
        absl::StrCat("priority must be ", kMinPriority, "-", kMaxPriority, ", got ", priority));
  }
  std::vector<std::pair<SkillIndex, int>> requirements;
  for (const SkillLevel& skill : details.required_skills) {
    auto skill_it = skill_index_.find(TenantKey(details.tenant, skill.skill));
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

  auto contact = std::make_unique<Contact>();
  contact->id = ContactId(next_contact_id_++);
  contact->details = details;
  contact->requirements = std::move(requirements);
  contact->queue = queue_it->second;
  contact->priority = priority;
  contact->created_at = now;
  contact->virtual_start = now;
  Contact& created = *contact;
  contacts_.emplace(created.id, std::move(contact));
  by_external_id_.emplace(TenantKey(details.tenant, details.external_id), created.id);

  Enqueue(created);
  Emit(events, now, details.tenant, ContactQueued{created.id, command.queue, PositionOf(created)});
  RouteContact(created, now, events);
  return CommandResult{.contact = created.id, .created = true};
}

absl::StatusOr<CommandResult> Router::Apply(const CancelContact& command, Timestamp now,
                                            std::vector<Event>& events) {
  auto it = contacts_.find(command.contact);
  if (it == contacts_.end() || it->second->details.tenant != command.tenant) {
    return absl::NotFoundError(ContactNotFound(command.contact));
  }
  Contact& contact = *it->second;
  const CommandResult result{.contact = contact.id, .created = false};
  switch (contact.state) {
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
      contact.state = ContactState::kWrapUp;
      Emit(events, now, contact.details.tenant,
           WrapUpStarted{contact.id, agents_[*contact.agent].config.id, EndReason::kCustomer});
      return result;
    case ContactState::kWrapUp:
    case ContactState::kCompleted:
    case ContactState::kAbandoned:
      return result;  // Already over for the customer: repeating a cancel is harmless.
  }
  const TenantId tenant = contact.details.tenant;
  const QueueId queue = queues_[contact.queue].config.id;
  Finish(contact, ContactState::kAbandoned, now);
  Emit(events, now, tenant, ContactAbandoned{command.contact, queue, command.reason});
  return result;
}

absl::StatusOr<CommandResult> Router::Apply(const SetAgentState& command, Timestamp now,
                                            std::vector<Event>& events) {
  absl::StatusOr<AgentIndex> index = LookUpAgent(command.agent);
  if (!index.ok()) return index.status();
  Agent& agent = agents_[*index];
  std::string reason;
  if (command.presence == AgentPresence::kNotReady) {
    reason = command.reason.empty() ? std::string(kReasonDefaultNotReady) : command.reason;
  }
  if (command.presence == AgentPresence::kLoggedOut) {
    const auto active = std::count_if(
        agent.contacts.begin(), agent.contacts.end(),
        [&](ContactId id) { return contacts_.at(id)->state != ContactState::kOffered; });
    if (active > 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("agent '", command.agent.value(), "' still holds ", active,
                       " connected or wrap-up contact(s); complete them before logging out"));
    }
  }
  SetPresence(*index, command.presence, std::move(reason), now, events);
  return CommandResult{};
}

absl::StatusOr<CommandResult> Router::Apply(const AcceptOffer& command, Timestamp now,
                                            std::vector<Event>& events) {
  absl::StatusOr<AgentIndex> agent = LookUpAgent(command.agent);
  if (!agent.ok()) return agent.status();
  absl::StatusOr<Contact*> held =
      HeldContact(*agent, command.contact, ContactState::kOffered, "accept");
  if (!held.ok()) return held.status();
  Contact& contact = **held;
  offer_deadlines_.erase({*contact.offer_expires_at, contact.id});
  contact.offer_expires_at.reset();
  contact.state = ContactState::kConnected;
  contact.handled_by = *agent;
  Emit(events, now, contact.details.tenant, ContactAssigned{contact.id, command.agent});
  return CommandResult{.contact = contact.id, .created = false};
}

absl::StatusOr<CommandResult> Router::Apply(const DeclineOffer& command, Timestamp now,
                                            std::vector<Event>& events) {
  absl::StatusOr<AgentIndex> agent = LookUpAgent(command.agent);
  if (!agent.ok()) return agent.status();
  absl::StatusOr<Contact*> held =
      HeldContact(*agent, command.contact, ContactState::kOffered, "decline");
  if (!held.ok()) return held.status();
  Contact& contact = **held;
  Rescind(contact, RescindReason::kDeclined, now, events);
  contact.refused_by.push_back(*agent);
  Requeue(contact, RescindReason::kDeclined, now, events);
  FeedAgent(*agent, now, events);
  return CommandResult{.contact = command.contact, .created = false};
}

absl::StatusOr<CommandResult> Router::Apply(const CompleteContact& command, Timestamp now,
                                            std::vector<Event>& events) {
  absl::StatusOr<AgentIndex> agent = LookUpAgent(command.agent);
  if (!agent.ok()) return agent.status();
  absl::StatusOr<Contact*> held =
      HeldContact(*agent, command.contact, ContactState::kConnected, "complete");
  if (!held.ok()) return held.status();
  Contact& contact = **held;
  contact.state = ContactState::kWrapUp;
  Emit(events, now, contact.details.tenant,
       WrapUpStarted{contact.id, command.agent, EndReason::kAgent});
  return CommandResult{.contact = contact.id, .created = false};
}

absl::StatusOr<CommandResult> Router::Apply(const SubmitWrapUp& command, Timestamp now,
                                            std::vector<Event>& events) {
  absl::StatusOr<AgentIndex> agent = LookUpAgent(command.agent);
  if (!agent.ok()) return agent.status();
  if (command.disposition.empty()) {
    return absl::InvalidArgumentError("disposition_code is required to finish wrap-up");
  }
  absl::StatusOr<Contact*> held =
      HeldContact(*agent, command.contact, ContactState::kWrapUp, "wrap up");
  if (!held.ok()) return held.status();
  Contact& contact = **held;
  const TenantId tenant = contact.details.tenant;
  ReleaseCapacity(contact, now);
  Finish(contact, ContactState::kCompleted, now);
  Emit(events, now, tenant, ContactCompleted{command.contact, command.agent, command.disposition});
  FeedAgent(*agent, now, events);
  return CommandResult{.contact = command.contact, .created = false};
}

absl::StatusOr<CommandResult> Router::Apply(const AgentConnection& command, Timestamp /*now*/,
                                            std::vector<Event>& /*events*/) {
  absl::StatusOr<AgentIndex> index = LookUpAgent(command.agent);
  if (!index.ok()) return index.status();
  Agent& agent = agents_[*index];
  agent.connections += command.connected ? 1 : -1;
  ACD_CHECK(agent.connections >= 0);
  return CommandResult{};
}

absl::StatusOr<Router::AgentIndex> Router::LookUpAgent(const AgentId& id) const {
  auto it = agent_index_.find(id);
  if (it == agent_index_.end()) {
    return absl::NotFoundError(absl::StrCat("agent '", id.value(), "' not found"));
  }
  return it->second;
}

absl::StatusOr<Router::Contact*> Router::HeldContact(AgentIndex agent, ContactId id,
                                                     ContactState state, const char* action) {
  auto it = contacts_.find(id);
  if (it == contacts_.end() || it->second->details.tenant != agents_[agent].config.tenant) {
    return absl::NotFoundError(ContactNotFound(id));
  }
  Contact& contact = *it->second;
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

void Router::Enqueue(Contact& contact) {
  contact.state = ContactState::kQueued;
  contact.agent.reset();
  queues_[contact.queue].waiting.insert(contact.Key());
}

void Router::Dequeue(Contact& contact) {
  ACD_CHECK(queues_[contact.queue].waiting.erase(contact.Key()) == 1);
}

bool Router::CanTake(AgentIndex index, const Contact& contact) const {
  const Agent& agent = agents_[index];
  if (agent.presence != AgentPresence::kReady) return false;
  const auto channel = static_cast<std::size_t>(contact.details.channel);
  if (agent.load[channel] >= agent.config.capacity[channel]) return false;
  for (const auto& [skill, level] : contact.requirements) {
    if (agent.levels[skill] < level) return false;
  }
  return std::find(contact.refused_by.begin(), contact.refused_by.end(), index) ==
         contact.refused_by.end();
}

void Router::RouteContact(Contact& contact, Timestamp now, std::vector<Event>& events) {
  std::optional<AgentIndex> best;
  for (AgentIndex candidate : queues_[contact.queue].members) {
    if (!CanTake(candidate, contact)) continue;
    if (!best || agents_[candidate].idle_since < agents_[*best].idle_since) best = candidate;
  }
  if (best) {
    Dequeue(contact);
    Offer(contact, *best, now, events);
  }
}

void Router::FeedAgent(AgentIndex index, Timestamp now, std::vector<Event>& events) {
  while (true) {
    if (agents_[index].presence != AgentPresence::kReady) return;
    Contact* best = nullptr;
    for (QueueIndex queue : agents_[index].queues) {
      for (const WaitingKey& key : queues_[queue].waiting) {
        Contact& candidate = *contacts_.at(ContactId(std::get<2>(key)));
        if (!CanTake(index, candidate)) continue;
        if (best == nullptr || candidate.Key() < best->Key()) best = &candidate;
        break;  // Later contacts of this queue come after this one.
      }
    }
    if (best == nullptr) return;
    Dequeue(*best);
    Offer(*best, index, now, events);
  }
}

void Router::Offer(Contact& contact, AgentIndex index, Timestamp now, std::vector<Event>& events) {
  Agent& agent = agents_[index];
  contact.state = ContactState::kOffered;
  contact.agent = index;
  contact.offer_expires_at = now + queues_[contact.queue].config.offer_timeout;
  offer_deadlines_.emplace(*contact.offer_expires_at, contact.id);
  ++agent.load[static_cast<std::size_t>(contact.details.channel)];
  agent.contacts.push_back(contact.id);
  Emit(events, now, contact.details.tenant,
       OfferMade{contact.id, agent.config.id, *contact.offer_expires_at});
}

void Router::Rescind(Contact& contact, RescindReason reason, Timestamp now,
                     std::vector<Event>& events) {
  ACD_CHECK(contact.state == ContactState::kOffered);
  offer_deadlines_.erase({*contact.offer_expires_at, contact.id});
  contact.offer_expires_at.reset();
  const AgentId agent = agents_[*contact.agent].config.id;
  ReleaseCapacity(contact, now);
  Emit(events, now, contact.details.tenant, OfferRescinded{contact.id, agent, reason});
}

void Router::Requeue(Contact& contact, RescindReason reason, Timestamp now,
                     std::vector<Event>& events) {
  Enqueue(contact);
  Emit(events, now, contact.details.tenant,
       ContactRequeued{contact.id, queues_[contact.queue].config.id, reason, PositionOf(contact)});
  RouteContact(contact, now, events);
}

void Router::ReleaseCapacity(Contact& contact, Timestamp now) {
  Agent& agent = agents_[*contact.agent];
  --agent.load[static_cast<std::size_t>(contact.details.channel)];
  std::erase(agent.contacts, contact.id);
  if (agent.contacts.empty()) agent.idle_since = now;
  contact.agent.reset();
}

void Router::SetPresence(AgentIndex index, AgentPresence presence, std::string reason,
                         Timestamp now, std::vector<Event>& events) {
  Agent& agent = agents_[index];
  if (agent.presence == presence && agent.reason == reason) return;
  const bool was_ready = agent.presence == AgentPresence::kReady;
  agent.presence = presence;
  agent.reason = std::move(reason);
  agent.state_since = now;
  Emit(events, now, agent.config.tenant,
       AgentStateChanged{agent.config.id, presence, agent.reason});
  if (presence == AgentPresence::kReady) {
    if (!was_ready && agent.contacts.empty()) agent.idle_since = now;
    FeedAgent(index, now, events);
    return;
  }
  // An agent leaving ready keeps its connected contacts but gives back pending offers.
  std::vector<ContactId> offered;
  for (ContactId id : agent.contacts) {
    if (contacts_.at(id)->state == ContactState::kOffered) offered.push_back(id);
  }
  for (ContactId id : offered) {
    Contact& contact = *contacts_.at(id);
    Rescind(contact, RescindReason::kAgentUnavailable, now, events);
    Requeue(contact, RescindReason::kAgentUnavailable, now, events);
  }
}

void Router::Finish(Contact& contact, ContactState final_state, Timestamp now) {
  contact.state = final_state;
  finished_.emplace_back(now + finished_contact_retention_, contact.id);
}

void Router::Forget(ContactId id) {
  auto it = contacts_.find(id);
  ACD_CHECK(it != contacts_.end());
  by_external_id_.erase(TenantKey(it->second->details.tenant, it->second->details.external_id));
  contacts_.erase(it);
}

void Router::Emit(std::vector<Event>& events, Timestamp now, const TenantId& tenant,
                  EventBody body) const {
  events.push_back(Event{.at = now, .tenant = tenant, .body = std::move(body)});
}

std::optional<ContactView> Router::FindContact(ContactId id) const {
  auto it = contacts_.find(id);
  if (it == contacts_.end()) return std::nullopt;
  return ViewOf(*it->second);
}

std::optional<AgentView> Router::FindAgent(const AgentId& id) const {
  auto it = agent_index_.find(id);
  if (it == agent_index_.end()) return std::nullopt;
  return ViewOf(agents_[it->second]);
}

std::optional<TenantId> Router::AgentTenant(const AgentId& id) const {
  auto it = agent_index_.find(id);
  if (it == agent_index_.end()) return std::nullopt;
  return agents_[it->second].config.tenant;
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
                   .waiting = static_cast<int>(queue.waiting.size())};
    if (!queue.waiting.empty()) {
      // The head is not always the oldest (priority comes first), so look at every start.
      Timestamp oldest = std::get<1>(*queue.waiting.begin());
      for (const WaitingKey& key : queue.waiting) oldest = std::min(oldest, std::get<1>(key));
      view.longest_wait = now - oldest;
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

std::vector<AgentView> Router::ListAgents(const TenantId& tenant) const {
  std::vector<AgentView> views;
  for (const Agent& agent : agents_) {
    if (agent.config.tenant == tenant) views.push_back(ViewOf(agent));
  }
  return views;
}

ContactView Router::ViewOf(const Contact& contact) const {
  ContactView view{.id = contact.id,
                   .details = contact.details,
                   .queue = queues_[contact.queue].config.id,
                   .priority = contact.priority,
                   .state = contact.state,
                   .agent = std::nullopt,
                   .created_at = contact.created_at,
                   .virtual_start = contact.virtual_start,
                   .queue_position = 0,
                   .offer_expires_at = contact.offer_expires_at};
  if (contact.agent) view.agent = agents_[*contact.agent].config.id;
  if (contact.state == ContactState::kCompleted && contact.handled_by) {
    view.agent = agents_[*contact.handled_by].config.id;
  }
  if (contact.state == ContactState::kQueued) view.queue_position = PositionOf(contact);
  return view;
}

int Router::PositionOf(const Contact& contact) const {
  const auto& waiting = queues_[contact.queue].waiting;
  return static_cast<int>(std::distance(waiting.begin(), waiting.find(contact.Key()))) + 1;
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
                   .contacts = agent.contacts,
                   .connections = agent.connections};
}

}  // namespace acd::routing
