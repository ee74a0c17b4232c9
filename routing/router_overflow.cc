// Queues that cannot keep a contact: business hours, max size, max wait, and the overflow
// actions they lead to.

#include <algorithm>
#include <variant>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "routing/check.h"
#include "routing/local_time.h"
#include "routing/router_internals.h"

namespace acd::routing {
namespace {

std::string ClosedMessage(const QueueConfig& queue, Timestamp now) {
  const BusinessHours& hours = *queue.business_hours;
  std::optional<Timestamp> opens = hours.NextOpening(now);
  if (!opens) {
    return absl::StrCat("queue '", queue.id.value(),
                        "' is closed, with no opening in the next year");
  }
  return absl::StrCat("queue '", queue.id.value(), "' is closed; it opens at ",
                      absl::FormatTime("%Y-%m-%dT%H:%M%Ez", ToAbslTime(*opens), hours.time_zone),
                      " (", hours.time_zone.name(), ")");
}

}  // namespace

absl::StatusOr<Router::Placement> Router::PlaceNewContact(QueueIndex queue, Channel channel,
                                                          Timestamp now,
                                                          std::vector<PlacementHop>& hops) const {
  // The catalog has no overflow cycles of one kind; the hop limit stops a mix of kinds (closed
  // here, full there) from going round.
  while (true) {
    const QueueConfig& config = queues_[queue].config;
    const Overflow* overflow = nullptr;
    std::string_view reason;
    if (config.business_hours && !config.business_hours->IsOpen(now)) {
      if (!config.closed_overflow) return absl::FailedPreconditionError(ClosedMessage(config, now));
      overflow = &*config.closed_overflow;
      reason = kOverflowClosed;
    } else if (config.max_size > 0 && queues_[queue].waiting.size() >= config.max_size &&
               channel != Channel::kCallback) {
      overflow = &config.overflow;
      reason = kOverflowMaxSize;
    } else {
      return Placement{.queue = queue, .channel = channel};
    }
    if (overflow->action == OverflowAction::kReject) {
      if (reason == kOverflowClosed)
        return absl::FailedPreconditionError(ClosedMessage(config, now));
      return absl::ResourceExhaustedError(
          absl::StrCat("queue '", config.id.value(), "' is full (", config.max_size, " waiting)"));
    }
    if (hops.size() >= queues_.size()) {
      return absl::ResourceExhaustedError(absl::StrCat("no queue in the overflow chain of '",
                                                       queues_[hops.front().from].config.id.value(),
                                                       "' can take the contact"));
    }
    hops.push_back(PlacementHop{.from = queue, .action = overflow->action, .reason = reason});
    if (!overflow->queue.value().empty()) queue = queue_index_.at(overflow->queue);
    if (overflow->action == OverflowAction::kCallback) {
      // A callback waits however full or closed its queue is: nobody is holding the line.
      return Placement{.queue = queue, .channel = Channel::kCallback};
    }
  }
}

void Router::ApplyStep(Contact& contact, Timestamp now, std::vector<Event>& events) {
  ACD_CHECK(contact.state == ContactState::kQueued);
  const Queue& queue = queues_[contact.queue];
  const std::size_t index = contact.steps_done++;
  const QueueStep& step = queue.config.steps.at(index);
  Emit(events, now, contact.details.tenant,
       StepApplied{contact.id, queue.config.id, index, static_cast<StepKind>(step.action.index())});
  if (const auto* overflow = std::get_if<Overflow>(&step.action)) {
    OverflowWaiting(contact, *overflow, kOverflowStep, now, events);
    return;
  }
  // The contact's routing changes: out of its lines, changed, back in with its place.
  Dequeue(contact);
  std::visit(
      [&](const auto& action) {
        using T = std::decay_t<decltype(action)>;
        if constexpr (std::is_same_v<T, RelaxSkill> || std::is_same_v<T, DropSkill>) {
          const SkillIndex skill = skill_index_.at(TenantKey(contact.details.tenant, action.skill));
          auto it =
              std::find_if(contact.requirements.begin(), contact.requirements.end(),
                           [&](const auto& requirement) { return requirement.first == skill; });
          if (it == contact.requirements.end()) return;
          if constexpr (std::is_same_v<T, RelaxSkill>) {
            it->second = std::min(it->second, action.min_level);
          } else {
            contact.requirements.erase(it);
          }
        } else if constexpr (std::is_same_v<T, BoostPriority>) {
          contact.priority = std::min(kMaxPriority, contact.priority + action.by);
        } else if constexpr (std::is_same_v<T, AddQueue>) {
          const QueueIndex added = queue_index_.at(action.queue);
          if (std::find(contact.widened.begin(), contact.widened.end(), added) ==
              contact.widened.end()) {
            contact.widened.push_back(added);
          }
        }
        // NotifySupervisors: raised below, once the contact is back in line.
      },
      step.action);
  Enqueue(contact, now);
  if (const auto* notify = std::get_if<NotifySupervisors>(&step.action)) {
    RaiseEscalation(EscalationView{.tenant = contact.details.tenant,
                                   .contact = contact.id,
                                   .source = EscalationSource::kQueueStep,
                                   .queue = queue.config.id,
                                   .reason = notify->message},
                    now, events);
  }
  RouteContact(contact, DecisionTrigger::kStepReached, now, events);
}

void Router::OverflowWaiting(Contact& contact, const Overflow& overflow, std::string_view reason,
                             Timestamp now, std::vector<Event>& events) {
  ACD_CHECK(contact.state == ContactState::kQueued);
  const QueueIndex from = contact.queue;
  switch (overflow.action) {
    case OverflowAction::kReject: {
      Dequeue(contact);
      Finish(contact, ContactState::kExpired, now);
      Emit(events, now, contact.details.tenant,
           ContactExpired{contact.id, queues_[from].config.id, reason});
      SettleEscalations(contact, now, events);
      return;
    }
    case OverflowAction::kQueue:
      OverflowTo(contact, queue_index_.at(overflow.queue), contact.details.channel, overflow.action,
                 reason, now, events);
      return;
    case OverflowAction::kCallback: {
      const QueueIndex to = overflow.queue.value().empty() ? from : queue_index_.at(overflow.queue);
      contact.overflowed_to_callback = true;
      OverflowTo(contact, to, Channel::kCallback, overflow.action, reason, now, events);
      return;
    }
  }
}

void Router::OverflowTo(Contact& contact, QueueIndex to, Channel channel, OverflowAction action,
                        std::string_view reason, Timestamp now, std::vector<Event>& events) {
  const QueueIndex from = contact.queue;
  Dequeue(contact);
  // A new queue: its own steps, from the first (those the contact is old enough for at once).
  Relocate(contact, to);
  contact.details.channel = channel;
  Emit(events, now, contact.details.tenant,
       ContactOverflowed{contact.id, queues_[from].config.id, action, queues_[to].config.id,
                         channel, reason});
  Enqueue(contact, now);
  Emit(events, now, contact.details.tenant,
       ContactQueued{contact.id, queues_[to].config.id, PositionOf(contact)});
  RouteContact(contact, DecisionTrigger::kContactRequeued, now, events);
}

}  // namespace acd::routing
