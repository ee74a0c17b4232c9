#include "daemon/event_hub.h"

#include <algorithm>
#include <type_traits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "daemon/proto_convert.h"

namespace acd::daemon {
namespace {

v1::OfferRescindReason ToProto(routing::RescindReason reason) {
  switch (reason) {
    case routing::RescindReason::kAbandoned:
      return v1::OFFER_RESCIND_REASON_ABANDONED;
    case routing::RescindReason::kTimeout:
      return v1::OFFER_RESCIND_REASON_TIMEOUT;
    case routing::RescindReason::kDeclined:
      return v1::OFFER_RESCIND_REASON_DECLINED;
    case routing::RescindReason::kAgentUnavailable:
      return v1::OFFER_RESCIND_REASON_AGENT_NOT_READY;
    case routing::RescindReason::kSupervisor:
      return v1::OFFER_RESCIND_REASON_SUPERVISOR;
  }
  return v1::OFFER_RESCIND_REASON_UNSPECIFIED;
}

}  // namespace

void EventHub::AddAgentStream(const routing::AgentId& agent, std::shared_ptr<AgentStream> stream) {
  ChannelOf(agent).streams.push_back(std::move(stream));
}

bool EventHub::RemoveAgentStream(const routing::AgentId& agent, const AgentStream* stream) {
  auto it = agents_.find(agent);
  if (it == agents_.end()) return false;
  return std::erase_if(it->second.streams, [&](const auto& open) { return open.get() == stream; }) >
         0;
}

void EventHub::AddContactWatch(ContactScope scope, bool wait_updates,
                               std::shared_ptr<ContactStream> stream,
                               const routing::Router& router) {
  const bool feed = scope.UsesFeed();
  ContactWatch watch{.origin = std::move(scope.origin),
                     .tenant = scope.tenant,
                     .contact_ids = {scope.contact_ids.begin(), scope.contact_ids.end()},
                     .include_channels = feed ? scope.include_channels : 0,
                     .stream = std::move(stream),
                     .wait_updates = wait_updates};
  if (wait_updates) {
    if (!watch.contact_ids.empty()) {
      watch.maybe_waiting = watch.contact_ids;
    } else {
      for (const auto& [contact, known] : contacts_) {
        const bool seen =
            feed ? known.tenant == watch.tenant &&
                       FeedWanted(watch.origin, watch.include_channels, known.origin, known.channel)
                 : known.origin == watch.origin;
        if (seen && router.WaitOf(contact)) watch.maybe_waiting.insert(contact);
      }
    }
  }
  contact_watches_.push_back(std::move(watch));
}

bool EventHub::FeedWanted(const std::string& watcher, std::uint32_t include_channels,
                          const std::string& origin, routing::Channel channel) {
  return origin == watcher || (include_channels & (1u << static_cast<unsigned>(channel))) != 0;
}

void EventHub::SendWaitUpdates(const routing::Router& router, routing::Timestamp now) {
  for (ContactWatch& watch : contact_watches_) {
    if (!watch.wait_updates) continue;
    for (auto it = watch.maybe_waiting.begin(); it != watch.maybe_waiting.end();) {
      const routing::ContactId contact = *it;
      std::optional<routing::WaitView> wait = router.WaitOf(contact);
      if (!wait) {
        watch.told.erase(contact);
        // A listed contact may wait again (a transfer, a requeue): keep looking at it.
        it = watch.contact_ids.contains(contact) ? std::next(it) : watch.maybe_waiting.erase(it);
        continue;
      }
      ++it;
      if (wait->estimated_wait) {
        wait->estimated_wait = std::chrono::round<std::chrono::seconds>(*wait->estimated_wait);
      }
      auto told = watch.told.find(contact);
      if (told != watch.told.end() && told->second == *wait) continue;
      watch.told[contact] = *wait;
      v1::ContactEvent event;
      convert::ToProto(now, *event.mutable_time());
      event.set_contact_id(convert::ContactIdString(contact));
      // The creating gateway's own id is for it alone.
      if (auto known = contacts_.find(contact);
          known != contacts_.end() && known->second.origin == watch.origin) {
        event.set_external_id(known->second.external_id);
      }
      v1::ContactWaitUpdate& update = *event.mutable_wait_updated();
      update.set_queue_position(wait->position);
      if (wait->estimated_wait)
        convert::ToProto(*wait->estimated_wait, *update.mutable_estimated_wait());
      watch.stream->Push(std::move(event));
    }
  }
}

void EventHub::RemoveContactWatch(const ContactStream* stream) {
  std::erase_if(contact_watches_,
                [&](const ContactWatch& watch) { return watch.stream.get() == stream; });
}

absl::Status EventHub::AddEscalationWatch(const routing::TenantId& tenant, std::string team,
                                          std::string token,
                                          std::shared_ptr<EscalationStream> stream) {
  const auto open =
      std::count_if(escalation_watches_.begin(), escalation_watches_.end(),
                    [&](const EscalationWatch& watch) { return watch.tenant == tenant; });
  if (static_cast<std::size_t>(open) >= kMaxWatchesPerTenant) {
    return absl::ResourceExhaustedError(
        absl::StrCat("the tenant has ", kMaxWatchesPerTenant, " escalation feeds open already"));
  }
  escalation_watches_.push_back(EscalationWatch{.tenant = tenant,
                                                .team = std::move(team),
                                                .token = std::move(token),
                                                .stream = std::move(stream)});
  return absl::OkStatus();
}

void EventHub::RemoveEscalationWatch(const EscalationStream* stream) {
  std::erase_if(escalation_watches_,
                [&](const EscalationWatch& watch) { return watch.stream.get() == stream; });
}

bool EventHub::Wanted(const std::string& team, const v1::Escalation& escalation) {
  return team.empty() || escalation.source() == v1::ESCALATION_SOURCE_QUEUE_STEP ||
         escalation.team() == team;
}

std::uint64_t EventHub::LastEscalationSequence(const routing::TenantId& tenant) const {
  auto it = escalation_events_.find(tenant);
  return it == escalation_events_.end() ? 0 : it->second.last();
}

absl::Status EventHub::AddQueueWatch(const routing::TenantId& tenant, std::string token,
                                     std::shared_ptr<QueueSnapshotStream> stream) {
  const auto open =
      std::count_if(queue_watches_.begin(), queue_watches_.end(),
                    [&](const QueueWatchEntry& watch) { return watch.tenant == tenant; });
  if (static_cast<std::size_t>(open) >= kMaxWatchesPerTenant) {
    return absl::ResourceExhaustedError(
        absl::StrCat("the tenant has ", kMaxWatchesPerTenant, " queue watches open already"));
  }
  queue_watches_.push_back(
      QueueWatchEntry{.tenant = tenant, .token = std::move(token), .stream = std::move(stream)});
  return absl::OkStatus();
}

void EventHub::RemoveQueueWatch(const QueueSnapshotStream* stream) {
  std::erase_if(queue_watches_,
                [&](const QueueWatchEntry& watch) { return watch.stream.get() == stream; });
}

std::uint64_t EventHub::LastAgentSequence(const routing::AgentId& agent) const {
  auto it = agents_.find(agent);
  return it == agents_.end() ? 0 : it->second.events.last();
}

absl::StatusOr<std::vector<v1::AgentEvent>> EventHub::MissedAgentEvents(
    const routing::AgentId& agent, std::optional<std::uint64_t> resume_after,
    routing::Timestamp now) const {
  static const EventLog<v1::AgentEvent> kNone;
  auto it = agents_.find(agent);
  return (it == agents_.end() ? kNone : it->second.events)
      .After(resume_after, now, retention_.agent, [](const v1::AgentEvent&) { return true; });
}

absl::StatusOr<std::vector<v1::ContactEvent>> EventHub::MissedContactEvents(
    const ContactScope& scope, std::optional<std::uint64_t> resume_after,
    routing::Timestamp now) const {
  if (scope.UsesFeed()) {
    static const EventLog<FeedEntry> kNoFeed;
    auto feed = contact_feeds_.find(scope.tenant);
    absl::StatusOr<std::vector<FeedEntry>> entries =
        (feed == contact_feeds_.end() ? kNoFeed : feed->second)
            .After(resume_after, now, retention_.gateway, [&](const FeedEntry& entry) {
              return FeedWanted(scope.origin, scope.include_channels, entry.origin, entry.channel);
            });
    if (!entries.ok()) return entries.status();
    std::vector<v1::ContactEvent> missed;
    for (FeedEntry& entry : *entries) {
      if (entry.origin != scope.origin) entry.event.clear_external_id();
      missed.push_back(std::move(entry.event));
    }
    return missed;
  }
  static const EventLog<v1::ContactEvent> kNone;
  auto it = gateway_events_.find(scope.origin);
  return (it == gateway_events_.end() ? kNone : it->second)
      .After(resume_after, now, retention_.gateway, [&](const v1::ContactEvent& event) {
        if (scope.contact_ids.empty()) return true;
        const absl::StatusOr<routing::ContactId> id =
            convert::ParseContactId(event.contact_id(), "contact_ids");
        return id.ok() && std::find(scope.contact_ids.begin(), scope.contact_ids.end(), *id) !=
                              scope.contact_ids.end();
      });
}

absl::StatusOr<std::vector<v1::EscalationEvent>> EventHub::MissedEscalationEvents(
    const routing::TenantId& tenant, const std::string& team,
    std::optional<std::uint64_t> resume_after, routing::Timestamp now) const {
  static const EventLog<v1::EscalationEvent> kNone;
  auto it = escalation_events_.find(tenant);
  return (it == escalation_events_.end() ? kNone : it->second)
      .After(resume_after, now, retention_.escalation,
             [&](const v1::EscalationEvent& event) { return Wanted(team, event.escalation()); });
}

std::size_t EventHub::AgentStreamCount() const {
  std::size_t count = 0;
  for (const auto& [agent, channel] : agents_) count += channel.streams.size();
  return count;
}

void EventHub::CloseAll(const grpc::Status& status) {
  for (auto& [agent, channel] : agents_) {
    for (const auto& stream : channel.streams) stream->Close(status);
  }
  for (const ContactWatch& watch : contact_watches_) watch.stream->Close(status);
  for (const EscalationWatch& watch : escalation_watches_) watch.stream->Close(status);
  for (const QueueWatchEntry& watch : queue_watches_) watch.stream->Close(status);
}

void EventHub::CloseStreamsOf(const std::vector<std::string>& tokens,
                              const std::vector<routing::AgentId>& agents,
                              const grpc::Status& status) {
  const auto revoked = [&](const std::string& token) {
    return std::find(tokens.begin(), tokens.end(), token) != tokens.end();
  };
  for (const routing::AgentId& agent : agents) {
    auto it = agents_.find(agent);
    if (it == agents_.end()) continue;
    for (const auto& stream : it->second.streams) stream->Close(status);
  }
  // Closing only ends the calls: each one's end removes its entry as usual.
  for (const ContactWatch& watch : contact_watches_) {
    if (revoked(watch.origin)) watch.stream->Close(status);
  }
  for (const EscalationWatch& watch : escalation_watches_) {
    if (revoked(watch.token)) watch.stream->Close(status);
  }
  for (const QueueWatchEntry& watch : queue_watches_) {
    if (revoked(watch.token)) watch.stream->Close(status);
  }
}

void EventHub::Publish(const std::vector<routing::Event>& events, const routing::Router& router) {
  for (const routing::Event& event : events) Dispatch(event, router);
}

void EventHub::Dispatch(const routing::Event& event, const routing::Router& router) {
  std::visit(
      [&](const auto& body) {
        using T = std::decay_t<decltype(body)>;
        v1::AgentEvent to_agent;
        v1::ContactEvent to_gateway;
        if constexpr (std::is_same_v<T, routing::ContactQueued>) {
          Track(body.contact, router);
          v1::ContactQueued& queued = *to_gateway.mutable_queued();
          queued.set_queue_id(body.queue.value());
          queued.set_queue_position(body.position);
          ToGateways(body.contact, event, std::move(to_gateway));
        } else if constexpr (std::is_same_v<T, routing::OfferMade>) {
          const std::optional<routing::ContactView> view = router.FindContact(body.contact);
          if (!view) return;
          v1::Offer& offer = *to_agent.mutable_offer();
          convert::ToProto(*view, *offer.mutable_contact());
          convert::ToProto(body.expires_at, *offer.mutable_expires_at());
          history_.CopyTo(view->details.tenant.value(), view->details.customer.id,
                          *offer.mutable_customer_history());
          ToAgent(body.agent, event, std::move(to_agent));
          v1::ContactOffered& offered = *to_gateway.mutable_offered();
          offered.set_agent_id(body.agent.value());
          convert::ToProto(body.expires_at, *offered.mutable_expires_at());
          ToGateways(body.contact, event, std::move(to_gateway));
        } else if constexpr (std::is_same_v<T, routing::OfferRescinded>) {
          v1::OfferRescinded& rescinded = *to_agent.mutable_offer_rescinded();
          rescinded.set_contact_id(convert::ContactIdString(body.contact));
          rescinded.set_reason(ToProto(body.reason));
          ToAgent(body.agent, event, std::move(to_agent));
        } else if constexpr (std::is_same_v<T, routing::ContactRequeued>) {
          v1::ContactRequeued& requeued = *to_gateway.mutable_requeued();
          requeued.set_reason(std::string(routing::RescindReasonName(body.reason)));
          requeued.set_queue_position(body.position);
          ToGateways(body.contact, event, std::move(to_gateway));
        } else if constexpr (std::is_same_v<T, routing::ContactAssigned>) {
          const std::optional<routing::ContactView> view = router.FindContact(body.contact);
          v1::Assignment& assignment = *to_agent.mutable_assigned();
          if (view) {
            convert::ToProto(*view, *assignment.mutable_contact());
            // No offer told the agent who the customer is.
            if (body.auto_accepted) {
              history_.CopyTo(view->details.tenant.value(), view->details.customer.id,
                              *assignment.mutable_customer_history());
            }
          }
          assignment.set_auto_accepted(body.auto_accepted);
          ToAgent(body.agent, event, std::move(to_agent));
          v1::ContactAssigned& assigned = *to_gateway.mutable_assigned();
          assigned.set_agent_id(body.agent.value());
          if (const std::optional<routing::AgentView> agent = router.FindAgent(body.agent)) {
            assigned.set_agent_display_name(agent->display_name);
          }
          ToGateways(body.contact, event, std::move(to_gateway));
        } else if constexpr (std::is_same_v<T, routing::WrapUpStarted>) {
          v1::WrapUpStarted& agent_wrap_up = *to_agent.mutable_wrap_up_started();
          agent_wrap_up.set_contact_id(convert::ContactIdString(body.contact));
          agent_wrap_up.set_end_reason(convert::ToProto(body.ended_by));
          if (body.deadline) convert::ToProto(*body.deadline, *agent_wrap_up.mutable_deadline());
          ToAgent(body.agent, event, std::move(to_agent));
          v1::ContactWrapUpStarted& gateway_wrap_up = *to_gateway.mutable_wrap_up_started();
          gateway_wrap_up.set_agent_id(body.agent.value());
          gateway_wrap_up.set_end_reason(convert::ToProto(body.ended_by));
          ToGateways(body.contact, event, std::move(to_gateway));
        } else if constexpr (std::is_same_v<T, routing::ContactCompleted>) {
          v1::AgentContactCompleted& completed = *to_agent.mutable_completed();
          completed.set_contact_id(convert::ContactIdString(body.contact));
          completed.set_disposition_code(body.disposition);
          completed.set_system_disposition(body.system_disposition);
          ToAgent(body.agent, event, std::move(to_agent));
          v1::ContactCompleted& done = *to_gateway.mutable_completed();
          done.set_agent_id(body.agent.value());
          done.set_disposition_code(body.disposition);
          ToGateways(body.contact, event, std::move(to_gateway));
          contacts_.erase(body.contact);
        } else if constexpr (std::is_same_v<T, routing::ContactAbandoned>) {
          to_gateway.mutable_abandoned()->set_reason(body.reason);
          to_gateway.mutable_abandoned()->set_short_abandon(body.short_abandon);
          ToGateways(body.contact, event, std::move(to_gateway));
          contacts_.erase(body.contact);
        } else if constexpr (std::is_same_v<T, routing::ContactOverflowed>) {
          Track(body.contact, router);  // A new contact overflows before it is first queued.
          if (auto known = contacts_.find(body.contact); known != contacts_.end()) {
            known->second.channel = body.channel;  // A callback now, perhaps.
          }
          v1::ContactOverflowed& overflowed = *to_gateway.mutable_overflowed();
          overflowed.set_from_queue_id(body.from_queue.value());
          overflowed.set_action(convert::ToProto(body.action));
          overflowed.set_to_queue_id(body.to_queue.value());
          overflowed.set_channel(convert::ToProto(body.channel));
          overflowed.set_reason(std::string(body.reason));
          ToGateways(body.contact, event, std::move(to_gateway));
        } else if constexpr (std::is_same_v<T, routing::ContactExpired>) {
          v1::ContactExpired& expired = *to_gateway.mutable_expired();
          expired.set_queue_id(body.queue.value());
          expired.set_reason(std::string(body.reason));
          ToGateways(body.contact, event, std::move(to_gateway));
          contacts_.erase(body.contact);
        } else if constexpr (std::is_same_v<T, routing::ContactScheduled>) {
          Track(body.contact, router);  // A follow-up is new to the hub.
          v1::ContactScheduled& scheduled = *to_gateway.mutable_scheduled();
          scheduled.set_queue_id(body.queue.value());
          convert::ToProto(body.not_before, *scheduled.mutable_not_before());
          if (body.pinned_agent) scheduled.set_pinned_agent_id(body.pinned_agent->value());
          if (body.follow_up_of) {
            scheduled.set_follow_up_of_contact_id(convert::ContactIdString(*body.follow_up_of));
          }
          ToGateways(body.contact, event, std::move(to_gateway));
        } else if constexpr (std::is_same_v<T, routing::ContactTransferred>) {
          v1::ContactTransferred& transferred = *to_gateway.mutable_transferred();
          transferred.set_from_agent_id(body.from_agent.value());
          if (const auto* queue = std::get_if<routing::QueueId>(&body.to)) {
            transferred.set_to_queue_id(queue->value());
          } else {
            transferred.set_to_agent_id(std::get<routing::AgentId>(body.to).value());
          }
          transferred.set_reason(body.reason);
          ToGateways(body.contact, event, std::move(to_gateway));
        } else if constexpr (std::is_same_v<T, routing::ContactEscalated>) {
          v1::ContactEscalated& escalated = *to_gateway.mutable_escalated();
          escalated.set_escalation_id(std::to_string(body.escalation.value()));
          escalated.set_from_agent_id(body.from_agent.value());
          escalated.set_to_queue_id(body.to_queue.value());
          escalated.set_reason(body.reason);
          ToGateways(body.contact, event, std::move(to_gateway));
        } else if constexpr (std::is_same_v<T, routing::EscalationRaised>) {
          ToSupervisors(*body.escalation, event);
        } else if constexpr (std::is_same_v<T, routing::EscalationResolved>) {
          ToSupervisors(*body.escalation, event);
          // The escalating agent hears how it ended.
          if (body.escalation->agent) {
            convert::ToProto(*body.escalation,
                             *to_agent.mutable_escalation_notice()->mutable_escalation());
            ToAgent(*body.escalation->agent, event, std::move(to_agent));
          }
        } else if constexpr (std::is_same_v<T, routing::AgentStateChanged>) {
          v1::AgentStateChanged& changed = *to_agent.mutable_state_changed();
          changed.set_state(convert::ToProto(body.presence));
          changed.set_reason_code(body.reason);
          changed.set_changed_by(body.changed_by);
          ToAgent(body.agent, event, std::move(to_agent));
        } else if constexpr (std::is_same_v<T, routing::ContactUpdated>) {
          if (!body.agent) return;
          const std::optional<routing::ContactView> view = router.FindContact(body.contact);
          if (!view) return;
          convert::ToProto(*view, *to_agent.mutable_contact_updated()->mutable_contact());
          ToAgent(*body.agent, event, std::move(to_agent));
        } else if constexpr (std::is_same_v<T, routing::ContactMoved>) {
          v1::ContactMoved& moved = *to_gateway.mutable_moved();
          moved.set_from_queue_id(body.from_queue.value());
          moved.set_to_queue_id(body.to_queue.value());
          moved.set_moved_by(body.by);
          ToGateways(body.contact, event, std::move(to_gateway));
        }
      },
      event.body);
}

void EventHub::Track(routing::ContactId contact, const routing::Router& router) {
  auto known = contacts_.find(contact);
  // Contacts restored from a snapshot older than version 3 come without tenant and channel.
  if (known != contacts_.end() && !known->second.tenant.value().empty()) return;
  if (const std::optional<routing::ContactView> view = router.FindContact(contact)) {
    contacts_[contact] = {.origin = view->details.origin,
                          .external_id = view->details.external_id,
                          .tenant = view->details.tenant,
                          .channel = view->details.channel};
  }
}

void EventHub::ToAgent(const routing::AgentId& agent, const routing::Event& event,
                       v1::AgentEvent message) {
  AgentChannel& channel = ChannelOf(agent);
  convert::ToProto(event.at, *message.mutable_time());
  channel.events.Append(message, event.at, retention_.agent);
  for (const auto& stream : channel.streams) stream->Push(message);
}

void EventHub::ToGateways(routing::ContactId contact, const routing::Event& event,
                          v1::ContactEvent message) {
  auto known = contacts_.find(contact);
  if (known == contacts_.end()) return;
  const ContactOrigin& origin = known->second;
  convert::ToProto(event.at, *message.mutable_time());
  message.set_contact_id(convert::ContactIdString(contact));
  message.set_external_id(origin.external_id);
  GatewayLog(origin.origin).Append(message, event.at, retention_.gateway);
  for (ContactWatch& watch : contact_watches_) {
    if (watch.include_channels != 0) continue;  // Fed below, in the tenant's numbering.
    const bool wanted = watch.contact_ids.empty() ? watch.origin == origin.origin
                                                  : watch.contact_ids.contains(contact);
    if (!wanted) continue;
    if (watch.wait_updates && message.has_queued()) watch.maybe_waiting.insert(contact);
    watch.stream->Push(message);
  }
  if (origin.tenant.value().empty()) return;
  FeedEntry entry{.event = std::move(message), .origin = origin.origin, .channel = origin.channel};
  ContactFeed(origin.tenant).Append(entry, event.at, retention_.gateway);
  for (ContactWatch& watch : contact_watches_) {
    if (watch.include_channels == 0 || watch.tenant != origin.tenant ||
        !FeedWanted(watch.origin, watch.include_channels, origin.origin, origin.channel)) {
      continue;
    }
    if (watch.wait_updates && entry.event.has_queued()) watch.maybe_waiting.insert(contact);
    if (watch.origin == origin.origin) {
      watch.stream->Push(entry.event);
    } else {
      v1::ContactEvent foreign = entry.event;
      foreign.clear_external_id();  // The creating gateway's own id is for it alone.
      watch.stream->Push(std::move(foreign));
    }
  }
}

EventHub::Delivery EventHub::SendMessage(const std::vector<routing::AgentId>& agents,
                                         const v1::SupervisorMessage& message,
                                         routing::Timestamp at) {
  v1::AgentEvent event;
  // Outside the sequence: a message is not journaled, so a number it took would be given again
  // after a restart, and a resuming desktop would skip the event that got it.
  event.set_sequence(0);
  convert::ToProto(at, *event.mutable_time());
  *event.mutable_supervisor_message() = message;
  Delivery delivery;
  for (const routing::AgentId& agent : agents) {
    auto it = agents_.find(agent);
    if (it == agents_.end() || it->second.streams.empty()) {
      ++delivery.not_connected;
      continue;
    }
    for (const auto& stream : it->second.streams) stream->Push(event);
    ++delivery.delivered;
  }
  return delivery;
}

void EventHub::ToSupervisors(const routing::EscalationView& escalation,
                             const routing::Event& event) {
  v1::EscalationEvent message;
  convert::ToProto(event.at, *message.mutable_time());
  convert::ToProto(escalation, *message.mutable_escalation());
  EscalationLog(escalation.tenant).Append(message, event.at, retention_.escalation);
  for (const EscalationWatch& watch : escalation_watches_) {
    if (watch.tenant == escalation.tenant && Wanted(watch.team, message.escalation())) {
      watch.stream->Push(message);
    }
  }
}

SinkState EventHub::Save() const {
  SinkState state{.starts = starts_};
  for (const auto& [agent, channel] : agents_) {
    state.agent_sequences.emplace_back(agent, channel.events.last());
  }
  for (const auto& [origin, events] : gateway_events_) {
    state.gateway_sequences.emplace_back(origin, events.last());
  }
  for (const auto& [tenant, events] : escalation_events_) {
    state.escalation_sequences.emplace_back(tenant, events.last());
  }
  for (const auto& [tenant, feed] : contact_feeds_) {
    state.contact_feed_sequences.emplace_back(tenant, feed.last());
  }
  for (const auto& [contact, origin] : contacts_) {
    state.contacts.push_back({.contact = contact,
                              .origin = origin.origin,
                              .external_id = origin.external_id,
                              .tenant = origin.tenant,
                              .channel = origin.channel});
  }
  std::sort(state.agent_sequences.begin(), state.agent_sequences.end());
  std::sort(state.gateway_sequences.begin(), state.gateway_sequences.end());
  std::sort(state.escalation_sequences.begin(), state.escalation_sequences.end());
  std::sort(state.contact_feed_sequences.begin(), state.contact_feed_sequences.end());
  std::sort(state.contacts.begin(), state.contacts.end(),
            [](const auto& a, const auto& b) { return a.contact < b.contact; });
  return state;
}

EventHub::AgentChannel& EventHub::ChannelOf(const routing::AgentId& agent) {
  auto [it, fresh] = agents_.try_emplace(agent);
  if (fresh) it->second.events.Restore(Floor());
  return it->second;
}

EventLog<v1::ContactEvent>& EventHub::GatewayLog(const std::string& origin) {
  auto [it, fresh] = gateway_events_.try_emplace(origin);
  if (fresh) it->second.Restore(Floor());
  return it->second;
}

EventLog<EventHub::FeedEntry>& EventHub::ContactFeed(const routing::TenantId& tenant) {
  auto [it, fresh] = contact_feeds_.try_emplace(tenant);
  if (fresh) it->second.Restore(Floor());
  return it->second;
}

EventLog<v1::EscalationEvent>& EventHub::EscalationLog(const routing::TenantId& tenant) {
  auto [it, fresh] = escalation_events_.try_emplace(tenant);
  if (fresh) it->second.Restore(Floor());
  return it->second;
}

void EventHub::Started() {
  ++starts_;
  for (auto& [agent, channel] : agents_) channel.events.SkipTo(Floor());
  for (auto& [origin, events] : gateway_events_) events.SkipTo(Floor());
  for (auto& [tenant, events] : escalation_events_) events.SkipTo(Floor());
  for (auto& [tenant, feed] : contact_feeds_) feed.SkipTo(Floor());
}

void EventHub::Restore(const SinkState& state) {
  starts_ = state.starts;
  for (const auto& [agent, sequence] : state.agent_sequences) {
    agents_[agent].events.Restore(sequence);
  }
  for (const auto& [origin, sequence] : state.gateway_sequences) {
    gateway_events_[origin].Restore(sequence);
  }
  for (const auto& [tenant, sequence] : state.escalation_sequences) {
    escalation_events_[tenant].Restore(sequence);
  }
  for (const auto& [tenant, sequence] : state.contact_feed_sequences) {
    contact_feeds_[tenant].Restore(sequence);
  }
  for (const SinkState::ContactOrigin& contact : state.contacts) {
    contacts_[contact.contact] = {.origin = contact.origin,
                                  .external_id = contact.external_id,
                                  .tenant = contact.tenant,
                                  .channel = contact.channel};
  }
}

}  // namespace acd::daemon
