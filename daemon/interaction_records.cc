#include "daemon/interaction_records.h"

#include <optional>
#include <string>
#include <type_traits>
#include <variant>

#include "absl/strings/str_cat.h"

namespace acd::daemon {
namespace {

/// A `key=value` word for a timeline's detail, appended after a space when there is one before.
void AddDetail(std::string& detail, const char* key, std::string_view value) {
  if (value.empty()) return;
  if (!detail.empty()) detail += ' ';
  absl::StrAppend(&detail, key, "=", absl::string_view(value.data(), value.size()));
}

std::string Microseconds(routing::Timestamp at) {
  return std::to_string(at.time_since_epoch().count());
}

/// The timeline row of one event about a contact; nullopt for events about agents only.
std::optional<TimelineRow> TimelineOf(const routing::Event& event) {
  TimelineRow row{.tenant = event.tenant.value(), .at = event.at};
  const bool about_a_contact = std::visit(
      [&row](const auto& body) {
        using T = std::decay_t<decltype(body)>;
        std::string& detail = row.detail;
        if constexpr (std::is_same_v<T, routing::ContactQueued>) {
          row.kind = "queued";
          row.queue = body.queue.value();
          AddDetail(detail, "position", std::to_string(body.position));
        } else if constexpr (std::is_same_v<T, routing::OfferMade>) {
          row.kind = "offered";
          row.agent = body.agent.value();
        } else if constexpr (std::is_same_v<T, routing::OfferRescinded>) {
          row.kind = "offer-rescinded";
          row.agent = body.agent.value();
          AddDetail(detail, "reason", routing::RescindReasonName(body.reason));
        } else if constexpr (std::is_same_v<T, routing::ContactRequeued>) {
          row.kind = "requeued";
          row.queue = body.queue.value();
          AddDetail(detail, "reason", routing::RescindReasonName(body.reason));
        } else if constexpr (std::is_same_v<T, routing::ContactAssigned>) {
          row.kind = "assigned";
          row.agent = body.agent.value();
          if (body.auto_accepted) AddDetail(detail, "auto_accepted", "true");
        } else if constexpr (std::is_same_v<T, routing::WrapUpStarted>) {
          row.kind = "wrap-up";
          row.agent = body.agent.value();
          AddDetail(detail, "ended_by",
                    body.ended_by == routing::EndReason::kAgent ? "agent" : "customer");
        } else if constexpr (std::is_same_v<T, routing::ContactCompleted>) {
          row.kind = "completed";
          row.agent = body.agent.value();
          AddDetail(detail, "disposition", body.disposition);
          if (body.system_disposition) AddDetail(detail, "system_disposition", "true");
        } else if constexpr (std::is_same_v<T, routing::ContactAbandoned>) {
          row.kind = "abandoned";
          row.queue = body.queue.value();
          AddDetail(detail, "reason", body.reason);
          if (body.short_abandon) AddDetail(detail, "short", "true");
        } else if constexpr (std::is_same_v<T, routing::ContactOverflowed>) {
          row.kind = "overflowed";
          row.queue = body.to_queue.value();
          AddDetail(detail, "from", body.from_queue.value());
          AddDetail(detail, "action", routing::OverflowActionName(body.action));
          AddDetail(detail, "reason", body.reason);
        } else if constexpr (std::is_same_v<T, routing::ContactExpired>) {
          row.kind = "expired";
          row.queue = body.queue.value();
          AddDetail(detail, "reason", body.reason);
        } else if constexpr (std::is_same_v<T, routing::StepApplied>) {
          row.kind = "step";
          row.queue = body.queue.value();
          AddDetail(detail, "step", std::to_string(body.step));
          AddDetail(detail, "kind", routing::StepKindName(body.kind));
        } else if constexpr (std::is_same_v<T, routing::ContactTransferred>) {
          row.kind = "transferred";
          row.agent = body.from_agent.value();
          row.queue = body.from_queue.value();
          if (const auto* queue = std::get_if<routing::QueueId>(&body.to)) {
            AddDetail(detail, "to_queue", queue->value());
          } else {
            AddDetail(detail, "to_agent", std::get<routing::AgentId>(body.to).value());
          }
          AddDetail(detail, "reason", body.reason);
        } else if constexpr (std::is_same_v<T, routing::ContactEscalated>) {
          row.kind = "escalated";
          row.agent = body.from_agent.value();
          row.queue = body.from_queue.value();
          AddDetail(detail, "escalation", std::to_string(body.escalation.value()));
          AddDetail(detail, "to_queue", body.to_queue.value());
          AddDetail(detail, "reason", body.reason);
        } else if constexpr (std::is_same_v<T, routing::EscalationRaised> ||
                             std::is_same_v<T, routing::EscalationResolved>) {
          const routing::EscalationView& escalation = *body.escalation;
          row.contact = escalation.contact.value();
          row.queue = escalation.queue.value();
          if (escalation.agent) row.agent = escalation.agent->value();
          AddDetail(detail, "escalation", std::to_string(escalation.id.value()));
          if constexpr (std::is_same_v<T, routing::EscalationRaised>) {
            row.kind = "escalation-raised";
            AddDetail(detail, "source", routing::EscalationSourceName(escalation.source));
            AddDetail(detail, "supervisor", escalation.target_supervisor);
            AddDetail(detail, "reason", escalation.reason);
          } else {
            row.kind = "escalation-resolved";
            AddDetail(detail, "resolved_by", escalation.resolved_by);
          }
          return true;
        } else if constexpr (std::is_same_v<T, routing::ContactScheduled>) {
          row.kind = "scheduled";
          row.queue = body.queue.value();
          AddDetail(detail, "not_before_us", Microseconds(body.not_before));
          if (body.pinned_agent) AddDetail(detail, "pinned_agent", body.pinned_agent->value());
          if (body.follow_up_of) {
            AddDetail(detail, "follow_up_of", std::to_string(body.follow_up_of->value()));
          }
        } else if constexpr (std::is_same_v<T, routing::SurveyRecorded>) {
          row.kind = "surveyed";  // The customer's comment is in the survey record only.
          row.agent = body.agent.value();
          AddDetail(detail, "score", std::to_string(body.score));
        } else if constexpr (std::is_same_v<T, routing::ContactUpdated>) {
          row.kind = "updated";  // Attribute values stay out: they may identify the customer.
          AddDetail(detail, "by", body.by);
        } else if constexpr (std::is_same_v<T, routing::ContactMoved>) {
          row.kind = "moved";
          row.queue = body.to_queue.value();
          AddDetail(detail, "from", body.from_queue.value());
          AddDetail(detail, "by", body.by);
        } else {
          static_assert(std::is_same_v<T, routing::AgentStateChanged>,
                        "every event about a contact has a timeline row");
          return false;
        }
        if constexpr (requires { body.contact; }) row.contact = body.contact.value();
        return true;
      },
      event.body);
  if (!about_a_contact) return std::nullopt;
  return row;
}

/// The interaction row of an event that ends a part of a contact; nullopt for other events.
std::optional<InteractionRow> InteractionOf(const routing::Event& event,
                                            const routing::Router& router) {
  std::optional<Outcome> outcome;
  routing::ContactId id;
  std::string agent;
  std::string queue;
  std::string disposition;
  std::visit(
      [&](const auto& body) {
        using T = std::decay_t<decltype(body)>;
        if constexpr (std::is_same_v<T, routing::ContactCompleted>) {
          outcome = Outcome::kCompleted;
          id = body.contact;
          agent = body.agent.value();
          disposition = body.disposition;
        } else if constexpr (std::is_same_v<T, routing::ContactAbandoned>) {
          outcome = Outcome::kAbandoned;
          id = body.contact;
          queue = body.queue.value();
        } else if constexpr (std::is_same_v<T, routing::ContactExpired>) {
          outcome = Outcome::kExpired;
          id = body.contact;
          queue = body.queue.value();
        } else if constexpr (std::is_same_v<T, routing::ContactTransferred>) {
          outcome = Outcome::kTransferred;
          id = body.contact;
          agent = body.from_agent.value();
          queue = body.from_queue.value();
        } else if constexpr (std::is_same_v<T, routing::ContactEscalated>) {
          outcome = Outcome::kEscalated;
          id = body.contact;
          agent = body.from_agent.value();
          queue = body.from_queue.value();
        }
      },
      event.body);
  if (!outcome) return std::nullopt;
  const std::optional<routing::ContactView> view = router.FindContact(id);
  if (!view) return std::nullopt;  // Never: an ending contact is still held.
  InteractionRow row{.contact = id.value(),
                     .tenant = view->details.tenant.value(),
                     .customer_id = view->details.customer.id,
                     .external_id = view->details.external_id,
                     .channel = view->details.channel,
                     .queue = queue.empty() ? view->queue.value() : queue,
                     .agent = agent,
                     .outcome = *outcome,
                     .disposition = disposition,
                     .started_at = view->created_at,
                     .ended_at = event.at};
  if (*outcome == Outcome::kCompleted) {
    row.notes = view->wrap_up_notes;
  } else if (*outcome != Outcome::kAbandoned && *outcome != Outcome::kExpired) {
    row.notes = view->handover_notes;
  }
  // Times of the agent's part; a contact that never reached one has none.
  const bool handled = *outcome != Outcome::kAbandoned && *outcome != Outcome::kExpired;
  if (handled && view->connected_at && *view->connected_at <= event.at) {
    const routing::Timestamp connected = *view->connected_at;
    row.wait = connected - view->virtual_start;
    const bool wrapped = view->ended_at && *view->ended_at >= connected;
    const routing::Timestamp talk_end = wrapped ? *view->ended_at : event.at;
    row.talk = talk_end - connected;
    if (wrapped) row.wrap_up = event.at - *view->ended_at;
  }
  return row;
}

}  // namespace

void AddInteractionRecords(const std::vector<routing::Event>& events, const routing::Router& router,
                           JournalRecord& record) {
  for (const routing::Event& event : events) {
    if (std::optional<TimelineRow> row = TimelineOf(event)) {
      record.timeline.push_back(std::move(*row));
    }
    if (std::optional<InteractionRow> row = InteractionOf(event, router)) {
      record.interactions.push_back(std::move(*row));
    }
    if (const auto* survey = std::get_if<routing::SurveyRecorded>(&event.body)) {
      record.surveys.push_back({.contact = survey->contact.value(),
                                .tenant = event.tenant.value(),
                                .at = event.at,
                                .score = survey->score,
                                .comment = survey->comment});
    }
  }
}

}  // namespace acd::daemon
