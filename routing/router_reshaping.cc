// Contacts reshaped in flight by a gateway or a supervisor: new priority and attributes, a move
// to another queue, a direct assignment to a chosen agent.

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "routing/router_internals.h"

namespace acd::routing {
namespace {

bool IsOver(ContactState state) {
  return state == ContactState::kCompleted || state == ContactState::kAbandoned ||
         state == ContactState::kExpired;
}

}  // namespace

absl::StatusOr<Router::Contact*> Router::ReroutableContact(const TenantId& tenant, ContactId id,
                                                           const char* action) {
  Contact* found = contacts_.Find(id.value());
  if (found == nullptr || found->details.tenant != tenant) {
    return absl::NotFoundError(ContactNotFound(id));
  }
  switch (found->state) {
    case ContactState::kScheduled:
    case ContactState::kQueued:
    case ContactState::kOffered:
      return found;
    default:
      return absl::FailedPreconditionError(
          absl::StrCat("cannot ", action, " contact ", id.value(), ": it is ",
                       std::string(ContactStateName(found->state)),
                       "; only scheduled, waiting or offered contacts can be ", action, "d"));
  }
}

absl::StatusOr<CommandResult> Router::Apply(const UpdateContact& command, Timestamp now,
                                            std::vector<Event>& events) {
  Contact* found = contacts_.Find(command.contact.value());
  if (found == nullptr || found->details.tenant != command.tenant) {
    return absl::NotFoundError(ContactNotFound(command.contact));
  }
  Contact& contact = *found;
  if (IsOver(contact.state)) {
    return absl::FailedPreconditionError(
        absl::StrCat("contact ", command.contact.value(), " is over (",
                     std::string(ContactStateName(contact.state)), ")"));
  }
  if (command.priority) {
    if (*command.priority < kMinPriority || *command.priority > kMaxPriority) {
      return absl::InvalidArgumentError(
          absl::StrCat("priority must be 0-100, got ", *command.priority));
    }
    if (contact.state == ContactState::kConnected || contact.state == ContactState::kWrapUp) {
      return absl::FailedPreconditionError(absl::StrCat(
          "contact ", command.contact.value(), " no longer waits (it is ",
          std::string(ContactStateName(contact.state)), "): its priority cannot change"));
    }
  }
  std::vector<std::pair<std::string, std::string>> attributes = contact.details.attributes;
  for (const std::string& key : command.remove_attributes) {
    std::erase_if(attributes, [&](const auto& attribute) { return attribute.first == key; });
  }
  for (const auto& [key, value] : command.set_attributes) {
    auto it = std::find_if(attributes.begin(), attributes.end(),
                           [&](const auto& attribute) { return attribute.first == key; });
    if (it != attributes.end()) {
      it->second = value;
    } else {
      attributes.emplace_back(key, value);
    }
  }
  if (attributes.size() > kMaxContactAttributes) {
    return absl::InvalidArgumentError(absl::StrCat("the contact would have ", attributes.size(),
                                                   " attributes; at most ", kMaxContactAttributes,
                                                   " are allowed"));
  }

  contact.details.attributes = std::move(attributes);
  if (command.priority) {
    // Boosts the queue's steps gave it stay on top of the new base.
    const int boost = contact.priority - contact.base_priority;
    const bool waiting = contact.state == ContactState::kQueued;
    if (waiting) Dequeue(contact);
    contact.base_priority = static_cast<std::int16_t>(*command.priority);
    contact.priority = std::min(kMaxPriority, *command.priority + boost);
    // Back in line at its new place, keeping its virtual start. Nobody who could take it was free
    // before, and the order alone frees nobody, so there is nothing to route.
    if (waiting) Enqueue(contact, now);
  }
  std::optional<AgentId> holder;
  if (contact.agent) holder = agents_[*contact.agent].config.id;
  Emit(events, now, contact.details.tenant, ContactUpdated{contact.id, holder, command.by});
  return CommandResult{.contact = contact.id};
}

absl::StatusOr<CommandResult> Router::Apply(const MoveContact& command, Timestamp now,
                                            std::vector<Event>& events) {
  absl::StatusOr<Contact*> found = ReroutableContact(command.tenant, command.contact, "move");
  if (!found.ok()) return found.status();
  Contact& contact = **found;
  absl::StatusOr<QueueIndex> to = TenantQueue(command.tenant, command.queue);
  if (!to.ok()) return to.status();
  if (absl::Status status = CheckAccepts(*to, contact.details.channel); !status.ok()) {
    return status;
  }
  if (*to == contact.queue) return CommandResult{.contact = contact.id};  // Already there.

  const QueueIndex from = contact.queue;
  std::optional<AgentIndex> offered_to;
  // Whoever it was meant for, it now waits for the new queue's agents.
  Unpin(contact);
  if (contact.state == ContactState::kOffered) {
    offered_to = contact.agent;
    Rescind(contact, RescindReason::kSupervisor, now, events);
  } else if (contact.state == ContactState::kQueued) {
    Dequeue(contact);
  }
  Relocate(contact, *to);
  Emit(events, now, command.tenant,
       ContactMoved{contact.id, queues_[from].config.id, command.queue, command.by});
  if (contact.state != ContactState::kScheduled) {
    Enqueue(contact, now);
    Emit(events, now, command.tenant,
         ContactQueued{contact.id, command.queue, PositionOf(contact)});
    RouteContact(contact, DecisionTrigger::kContactRequeued, now, events);
  }
  if (offered_to) FeedAgent(*offered_to, now, events);
  return CommandResult{.contact = contact.id};
}

absl::StatusOr<CommandResult> Router::Apply(const AssignContact& command, Timestamp now,
                                            std::vector<Event>& events) {
  absl::StatusOr<Contact*> found = ReroutableContact(command.tenant, command.contact, "assign");
  if (!found.ok()) return found.status();
  Contact& contact = **found;
  absl::StatusOr<AgentIndex> index = LookUpAgent(command.agent);
  if (!index.ok() || agents_[*index].config.tenant != command.tenant) {
    return absl::NotFoundError(absl::StrCat("agent '", command.agent.value(), "' not found"));
  }
  const Agent& agent = agents_[*index];
  if (contact.state == ContactState::kOffered && contact.agent == *index) {
    return CommandResult{.contact = contact.id};  // Offered to that agent already.
  }
  if (agent.presence == AgentPresence::kLoggedOut) {
    return absl::FailedPreconditionError(
        absl::StrCat("agent '", command.agent.value(), "' is logged out"));
  }
  if (std::find(contact.refused_by.begin(), contact.refused_by.end(), *index) !=
      contact.refused_by.end()) {
    return absl::FailedPreconditionError(absl::StrCat("agent '", command.agent.value(),
                                                      "' declined or missed contact ",
                                                      command.contact.value(), " before"));
  }
  if (!HasCapacity(agent, contact.details.channel)) {
    return absl::FailedPreconditionError(
        absl::StrCat("agent '", command.agent.value(), "' has no free capacity for channel '",
                     std::string(ChannelName(contact.details.channel)), "'"));
  }

  std::optional<AgentIndex> offered_to;
  Unpin(contact);
  switch (contact.state) {
    case ContactState::kOffered:
      offered_to = contact.agent;
      Rescind(contact, RescindReason::kSupervisor, now, events);
      break;
    case ContactState::kScheduled:
      // Due now: it arrives in its queue (and counts there) on its way to the agent.
      Unschedule(contact);
      contact.virtual_start = std::min(contact.virtual_start, now);
      Enqueue(contact, now);
      Emit(events, now, command.tenant,
           ContactQueued{contact.id, queues_[contact.queue].config.id, PositionOf(contact)});
      Dequeue(contact);
      break;
    default:
      Dequeue(contact);
      break;
  }
  contact.last_trigger = DecisionTrigger::kSupervisorAssigned;
  TraceRecord trace = StartTrace(contact, DecisionTrigger::kSupervisorAssigned, now);
  trace.AddCandidate({.agent = *index, .idle_since = agent.idle_since});
  trace.chosen = *index;
  RecordDecision(contact, std::move(trace));
  Offer(contact, *index, now, events);
  if (offered_to) FeedAgent(*offered_to, now, events);
  return CommandResult{.contact = contact.id};
}

}  // namespace acd::routing
