#include "daemon/agent_desk_service.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "daemon/interaction_pages.h"
#include "daemon/proto_convert.h"
#include "daemon/request_limits.h"
#include "daemon/unary_reactions.h"

namespace acd::daemon {
namespace {

constexpr int kDefaultHistoryPage = 20;
constexpr std::int64_t kMaxPinTimeoutSeconds = 90LL * 24 * 3600;
constexpr int kMaxHistoryPage = 100;

/// The acting agent and the contact a request names, both validated.
struct AgentAndContact {
  routing::AgentId agent;
  routing::ContactId contact;
};

absl::StatusOr<AgentAndContact> Resolve(const Authenticator& authenticator,
                                        const grpc::CallbackServerContext& context,
                                        const std::string& contact_id) {
  absl::StatusOr<Principal> agent = authenticator.Authorize(context, {Role::kAgent});
  if (!agent.ok()) return agent.status();
  absl::StatusOr<routing::ContactId> contact = convert::ParseContactId(contact_id);
  if (!contact.ok()) return contact.status();
  return AgentAndContact{.agent = agent->agent, .contact = *contact};
}

/// The agent's configuration as its desktop needs it. Codes are labelled with themselves (the
/// configuration has no labels); an empty list of a kind means any code is accepted.
void FillProfile(const routing::Catalog& catalog, const routing::AgentConfig& agent,
                 v1::AgentProfile& profile) {
  profile.set_agent_id(agent.id.value());
  profile.set_display_name(agent.display_name);
  profile.set_team(agent.team);
  convert::ToProto(agent.skills, *profile.mutable_skills());
  for (const routing::QueueId& queue : agent.queues) profile.add_queue_ids(queue.value());
  for (std::size_t channel = 0; channel < routing::kChannelCount; ++channel) {
    v1::ChannelCapacity& capacity = *profile.add_capacity();
    capacity.set_channel(convert::ToProto(static_cast<routing::Channel>(channel)));
    capacity.set_max_contacts(agent.capacity[channel]);
  }
  const auto tenant = std::find_if(catalog.tenants.begin(), catalog.tenants.end(),
                                   [&](const auto& config) { return config.id == agent.tenant; });
  if (tenant == catalog.tenants.end()) return;
  const auto add_codes = [](const std::vector<std::string>& codes, auto& out) {
    for (const std::string& code : codes) {
      v1::ReasonCode& reason = *out.Add();
      reason.set_code(code);
      reason.set_display_name(code);
    }
  };
  add_codes(tenant->not_ready_reasons, *profile.mutable_not_ready_reasons());
  add_codes(tenant->disposition_codes, *profile.mutable_disposition_codes());
}

}  // namespace

AgentDeskService::AgentDeskService(const Authenticator& authenticator, CoreRunner& core,
                                   EventHub& hub, RecordReader& records, const LiveConfig& config,
                                   std::size_t stream_outbox)
    : authenticator_(authenticator),
      core_(core),
      hub_(hub),
      records_(records),
      config_(config),
      stream_outbox_(stream_outbox) {}

grpc::ServerWriteReactor<v1::AgentEvent>* AgentDeskService::StreamEvents(
    grpc::CallbackServerContext* context, const v1::StreamEventsRequest* request) {
  auto stream = EventHub::AgentStream::Create(stream_outbox_);
  absl::StatusOr<Principal> agent = authenticator_.Authorize(*context, {Role::kAgent});
  if (!agent.ok()) {
    stream->Close(ToGrpcStatus(agent.status()));
    return stream.get();
  }
  EventHub& hub = hub_;
  CoreRunner& core = core_;
  const EventHub::AgentStream* key = stream.get();
  stream->SetOnDone([&core, &hub, key, id = agent->agent] {
    core.Post([&hub, key, id](CoreRunner& runner) {
      // Only a stream that went live counted as a connection.
      if (hub.RemoveAgentStream(id, key)) {
        (void)runner.Handle(routing::AgentConnection{.agent = id, .connected = false});
      }
    });
  });
  core_.Post(
      [&hub, stream, id = agent->agent, resume_after = ResumePoint(*request)](CoreRunner& runner) {
        absl::StatusOr<std::vector<v1::AgentEvent>> missed =
            hub.MissedAgentEvents(id, resume_after, runner.Now());
        if (!missed.ok()) {
          stream->Close(ToGrpcStatus(missed.status()));
          return;
        }
        absl::StatusOr<routing::CommandResult> connected =
            runner.Handle(routing::AgentConnection{.agent = id, .connected = true});
        if (!connected.ok()) {
          stream->Close(ToGrpcStatus(connected.status()));
          return;
        }
        hub.AddAgentStream(id, stream);
        stream->MarkLive();
        for (v1::AgentEvent& event : *missed) stream->Push(std::move(event));
      });
  return stream.get();
}

grpc::ServerUnaryReactor* AgentDeskService::GetDesk(grpc::CallbackServerContext* context,
                                                    const v1::GetDeskRequest* /*request*/,
                                                    v1::GetDeskResponse* response) {
  absl::StatusOr<Principal> agent = authenticator_.Authorize(*context, {Role::kAgent});
  if (!agent.ok()) return Reject(context, agent.status());
  const std::shared_ptr<const DaemonConfig> current = config_.Current();
  const routing::Catalog& catalog = current->catalog;
  const auto config = std::find_if(catalog.agents.begin(), catalog.agents.end(),
                                   [&](const auto& entry) { return entry.id == agent->agent; });
  if (config == catalog.agents.end()) {
    return Reject(context, absl::NotFoundError("agent '" + agent->agent.value() +
                                               "' is no longer configured"));
  }
  FillProfile(catalog, *config, *response->mutable_profile());
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  EventHub& hub = hub_;
  core_.Post([reactor, response, &hub, id = agent->agent](CoreRunner& runner) {
    const routing::Router& router = runner.router();
    const std::optional<routing::AgentView> view = router.FindAgent(id);
    if (!view) {
      reactor->Finish(grpc::Status(grpc::StatusCode::NOT_FOUND,
                                   "agent '" + id.value() + "' is no longer configured"));
      return;
    }
    response->set_state(convert::ToProto(view->presence));
    response->set_reason_code(view->reason);
    convert::ToProto(view->state_since, *response->mutable_state_since());
    response->set_connected(view->connections > 0);
    // Read in the same step as the state, so that streaming after it misses nothing.
    response->set_sequence(hub.LastAgentSequence(id));
    for (routing::ContactId held : view->contacts) {
      const std::optional<routing::ContactView> contact = router.FindContact(held);
      if (!contact) continue;
      switch (contact->state) {
        case routing::ContactState::kOffered: {
          v1::Offer& offer = *response->add_offers();
          convert::ToProto(*contact, *offer.mutable_contact());
          if (contact->offer_expires_at) {
            convert::ToProto(*contact->offer_expires_at, *offer.mutable_expires_at());
          }
          break;
        }
        case routing::ContactState::kConnected:
          convert::ToProto(*contact, *response->add_assignments()->mutable_contact());
          break;
        case routing::ContactState::kWrapUp: {
          v1::WrapUpStarted& wrap_up = *response->add_wrap_ups();
          wrap_up.set_contact_id(convert::ContactIdString(held));
          if (contact->wrap_up_deadline) {
            convert::ToProto(*contact->wrap_up_deadline, *wrap_up.mutable_deadline());
          }
          break;
        }
        case routing::ContactState::kScheduled:
        case routing::ContactState::kQueued:
        case routing::ContactState::kCompleted:
        case routing::ContactState::kAbandoned:
        case routing::ContactState::kExpired:
          break;  // Not held by an agent.
      }
    }
    reactor->Finish(grpc::Status::OK);
  });
  return reactor;
}

grpc::ServerUnaryReactor* AgentDeskService::SetState(grpc::CallbackServerContext* context,
                                                     const v1::SetStateRequest* request,
                                                     v1::SetStateResponse* response) {
  absl::StatusOr<Principal> agent = authenticator_.Authorize(*context, {Role::kAgent});
  if (!agent.ok()) return Reject(context, agent.status());
  const std::optional<routing::AgentPresence> presence = convert::FromProto(request->state());
  if (!presence) return Reject(context, absl::InvalidArgumentError("state is required"));
  if (absl::Status status = CheckLength("reason_code", request->reason_code(), kMaxIdBytes);
      !status.ok()) {
    return Reject(context, status);
  }
  routing::SetAgentState command{
      .agent = agent->agent, .presence = *presence, .reason = request->reason_code()};
  return RunOnCore(context, core_, std::move(command),
                   [response, id = agent->agent](CoreRunner& core, const routing::CommandResult&) {
                     const routing::AgentView view = core.router().FindAgent(id).value();
                     response->set_state(convert::ToProto(view.presence));
                     response->set_reason_code(view.reason);
                     return grpc::Status::OK;
                   });
}

grpc::ServerUnaryReactor* AgentDeskService::AcceptOffer(grpc::CallbackServerContext* context,
                                                        const v1::AcceptOfferRequest* request,
                                                        v1::AcceptOfferResponse* response) {
  absl::StatusOr<AgentAndContact> target = Resolve(authenticator_, *context, request->contact_id());
  if (!target.ok()) return Reject(context, target.status());
  return RunOnCore(context, core_,
                   routing::AcceptOffer{.agent = target->agent, .contact = target->contact},
                   [response](CoreRunner& core, const routing::CommandResult& result) {
                     convert::ToProto(core.router().FindContact(result.contact).value(),
                                      *response->mutable_contact());
                     return grpc::Status::OK;
                   });
}

grpc::ServerUnaryReactor* AgentDeskService::DeclineOffer(grpc::CallbackServerContext* context,
                                                         const v1::DeclineOfferRequest* request,
                                                         v1::DeclineOfferResponse* response) {
  absl::StatusOr<AgentAndContact> target = Resolve(authenticator_, *context, request->contact_id());
  if (!target.ok()) return Reject(context, target.status());
  if (absl::Status status = CheckLength("reason", request->reason(), kMaxTextBytes); !status.ok()) {
    return Reject(context, status);
  }
  routing::DeclineOffer command{
      .agent = target->agent, .contact = target->contact, .reason = request->reason()};
  return RunOnCore(context, core_, std::move(command),
                   [response](CoreRunner&, const routing::CommandResult& result) {
                     response->set_contact_id(convert::ContactIdString(result.contact));
                     return grpc::Status::OK;
                   });
}

grpc::ServerUnaryReactor* AgentDeskService::CompleteContact(
    grpc::CallbackServerContext* context, const v1::CompleteContactRequest* request,
    v1::CompleteContactResponse* response) {
  absl::StatusOr<AgentAndContact> target = Resolve(authenticator_, *context, request->contact_id());
  if (!target.ok()) return Reject(context, target.status());
  return RunOnCore(context, core_,
                   routing::CompleteContact{.agent = target->agent, .contact = target->contact},
                   [response](CoreRunner& core, const routing::CommandResult& result) {
                     convert::ToProto(core.router().FindContact(result.contact).value(),
                                      *response->mutable_contact());
                     return grpc::Status::OK;
                   });
}

grpc::ServerUnaryReactor* AgentDeskService::SubmitWrapUp(grpc::CallbackServerContext* context,
                                                         const v1::SubmitWrapUpRequest* request,
                                                         v1::SubmitWrapUpResponse* response) {
  absl::StatusOr<AgentAndContact> target = Resolve(authenticator_, *context, request->contact_id());
  if (!target.ok()) return Reject(context, target.status());
  for (const absl::Status& status :
       {CheckLength("disposition_code", request->disposition_code(), kMaxIdBytes),
        CheckLength("notes", request->notes(), kMaxNotesBytes)}) {
    if (!status.ok()) return Reject(context, status);
  }
  routing::SubmitWrapUp command{.agent = target->agent,
                                .contact = target->contact,
                                .disposition = request->disposition_code(),
                                .notes = request->notes()};
  return ChangeOnCore(context, core_, [command = std::move(command), response](CoreRunner& core) {
    const std::optional<routing::ContactView> before = core.router().FindContact(command.contact);
    absl::StatusOr<routing::CommandResult> result = core.Handle(command);
    if (!result.ok()) return ToGrpcStatus(result.status());
    routing::ContactView completed = before.value();
    completed.state = routing::ContactState::kCompleted;
    convert::ToProto(completed, *response->mutable_contact());
    return grpc::Status::OK;
  });
}

grpc::ServerUnaryReactor* AgentDeskService::TransferContact(
    grpc::CallbackServerContext* context, const v1::TransferContactRequest* request,
    v1::TransferContactResponse* response) {
  absl::StatusOr<AgentAndContact> target = Resolve(authenticator_, *context, request->contact_id());
  if (!target.ok()) return Reject(context, target.status());
  routing::TransferContact command{.agent = target->agent,
                                   .contact = target->contact,
                                   .reason = request->reason(),
                                   .notes = request->notes()};
  switch (request->target_case()) {
    case v1::TransferContactRequest::kQueueId:
      command.target = routing::QueueId(request->queue_id());
      break;
    case v1::TransferContactRequest::kAgentId:
      command.target = routing::AgentId(request->agent_id());
      break;
    case v1::TransferContactRequest::TARGET_NOT_SET:
      return Reject(context,
                    absl::InvalidArgumentError("a target is required: queue_id or agent_id"));
  }
  absl::StatusOr<std::vector<routing::SkillLevel>> skills =
      convert::FromProto(request->required_skills(), "required_skills");
  if (!skills.ok()) return Reject(context, skills.status());
  command.required_skills = std::move(*skills);
  for (const absl::Status& status : {CheckLength("queue_id", request->queue_id(), kMaxIdBytes),
                                     CheckLength("agent_id", request->agent_id(), kMaxIdBytes),
                                     CheckLength("reason", request->reason(), kMaxTextBytes),
                                     CheckLength("notes", request->notes(), kMaxNotesBytes)}) {
    if (!status.ok()) return Reject(context, status);
  }
  return RunOnCore(context, core_, std::move(command),
                   [response](CoreRunner& core, const routing::CommandResult& result) {
                     convert::ToProto(core.router().FindContact(result.contact).value(),
                                      *response->mutable_contact());
                     return grpc::Status::OK;
                   });
}

grpc::ServerUnaryReactor* AgentDeskService::EscalateContact(
    grpc::CallbackServerContext* context, const v1::EscalateContactRequest* request,
    v1::EscalateContactResponse* response) {
  absl::StatusOr<AgentAndContact> target = Resolve(authenticator_, *context, request->contact_id());
  if (!target.ok()) return Reject(context, target.status());
  if (request->reason().empty()) {
    return Reject(context, absl::InvalidArgumentError("reason is required"));
  }
  for (const absl::Status& status :
       {CheckLength("queue_id", request->queue_id(), kMaxIdBytes),
        CheckLength("supervisor.supervisor", request->supervisor().supervisor(), kMaxIdBytes),
        CheckLength("reason", request->reason(), kMaxTextBytes),
        CheckLength("notes", request->notes(), kMaxNotesBytes)}) {
    if (!status.ok()) return Reject(context, status);
  }
  routing::EscalateContact command{.agent = target->agent,
                                   .contact = target->contact,
                                   .reason = request->reason(),
                                   .notes = request->notes()};
  switch (request->target_case()) {
    case v1::EscalateContactRequest::kQueueId:
      command.queue = routing::QueueId(request->queue_id());
      break;
    case v1::EscalateContactRequest::kSupervisor:
      command.supervisor = request->supervisor().supervisor();
      break;
    case v1::EscalateContactRequest::TARGET_NOT_SET:
      return Reject(context,
                    absl::InvalidArgumentError("a target is required: queue_id or supervisor"));
  }
  const Authenticator& authenticator = authenticator_;
  return ChangeOnCore(
      context, core_, [command = std::move(command), response, &authenticator](CoreRunner& core) {
        if (!command.supervisor.empty()) {
          const std::optional<routing::TenantId> tenant = core.router().AgentTenant(command.agent);
          if (!tenant || !authenticator.HasSupervisor(*tenant, command.supervisor)) {
            return grpc::Status(grpc::StatusCode::NOT_FOUND,
                                "supervisor '" + command.supervisor + "' not found");
          }
        }
        absl::StatusOr<routing::CommandResult> result = core.Handle(command);
        if (!result.ok()) return ToGrpcStatus(result.status());
        convert::ToProto(core.router().FindEscalation(result->escalation).value(),
                         *response->mutable_escalation());
        convert::ToProto(core.router().FindContact(result->contact).value(),
                         *response->mutable_contact());
        return grpc::Status::OK;
      });
}

grpc::ServerUnaryReactor* AgentDeskService::ScheduleFollowUp(
    grpc::CallbackServerContext* context, const v1::ScheduleFollowUpRequest* request,
    v1::ScheduleFollowUpResponse* response) {
  absl::StatusOr<AgentAndContact> target = Resolve(authenticator_, *context, request->contact_id());
  if (!target.ok()) return Reject(context, target.status());
  if (!request->has_not_before()) {
    return Reject(context, absl::InvalidArgumentError("not_before is required"));
  }
  absl::StatusOr<routing::Timestamp> not_before =
      convert::FromProto(request->not_before(), "not_before");
  if (!not_before.ok()) return Reject(context, not_before.status());
  for (const absl::Status& status : {CheckLength("queue_id", request->queue_id(), kMaxIdBytes),
                                     CheckLength("notes", request->notes(), kMaxNotesBytes)}) {
    if (!status.ok()) return Reject(context, status);
  }
  routing::ScheduleFollowUp command{.agent = target->agent,
                                    .contact = target->contact,
                                    .not_before = *not_before,
                                    .pinned = request->pinned(),
                                    .notes = request->notes()};
  if (request->has_pin_timeout()) {
    const google::protobuf::Duration& timeout = request->pin_timeout();
    if (timeout.seconds() < 0 || timeout.nanos() < 0 || timeout.seconds() > kMaxPinTimeoutSeconds) {
      return Reject(context,
                    absl::InvalidArgumentError("pin_timeout must be between 0 and 90 days"));
    }
    command.pin_timeout = std::chrono::duration_cast<routing::Duration>(
        std::chrono::seconds(timeout.seconds()) + std::chrono::nanoseconds(timeout.nanos()));
  }
  if (!request->queue_id().empty()) command.queue = routing::QueueId(request->queue_id());
  if (request->channel() != v1::CHANNEL_UNSPECIFIED) {
    const std::optional<routing::Channel> channel = convert::FromProto(request->channel());
    if (!channel) return Reject(context, absl::InvalidArgumentError("channel is not a known one"));
    command.channel = *channel;
  }
  return RunOnCore(context, core_, std::move(command),
                   [response](CoreRunner& core, const routing::CommandResult& result) {
                     convert::ToProto(core.router().FindContact(result.contact).value(),
                                      *response->mutable_follow_up());
                     return grpc::Status::OK;
                   });
}

grpc::ServerUnaryReactor* AgentDeskService::GetCustomerHistory(
    grpc::CallbackServerContext* context, const v1::GetCustomerHistoryRequest* request,
    v1::GetCustomerHistoryResponse* response) {
  absl::StatusOr<AgentAndContact> target = Resolve(authenticator_, *context, request->contact_id());
  if (!target.ok()) return Reject(context, target.status());
  if (request->page_size() < 0) {
    return Reject(context, absl::InvalidArgumentError("page_size must not be negative"));
  }
  const int page_size = request->page_size() == 0 ? kDefaultHistoryPage
                                                  : std::min(request->page_size(), kMaxHistoryPage);
  std::optional<std::int64_t> before;
  if (!request->page_token().empty()) {
    std::int64_t id = 0;
    const std::string& token = request->page_token();
    const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), id);
    if (error != std::errc() || end != token.data() + token.size() || id <= 0) {
      return Reject(context,
                    absl::InvalidArgumentError("page_token is not one this daemon gave out"));
    }
    before = id;
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  RecordReader& records = records_;
  CoreRunner& core = core_;
  core_.Post([reactor, response, target = *target, page_size, before, &records,
              &core](CoreRunner& runner) {
    const std::optional<routing::ContactView> view = runner.router().FindContact(target.contact);
    const std::optional<routing::TenantId> tenant = runner.router().AgentTenant(target.agent);
    if (!view || view->details.tenant != tenant) {
      reactor->Finish(
          grpc::Status(grpc::StatusCode::NOT_FOUND,
                       "contact " + convert::ContactIdString(target.contact) + " not found"));
      return;
    }
    const bool held =
        view->agent == target.agent && (view->state == routing::ContactState::kOffered ||
                                        view->state == routing::ContactState::kConnected ||
                                        view->state == routing::ContactState::kWrapUp);
    if (!held) {
      reactor->Finish(grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                                   "contact " + convert::ContactIdString(target.contact) +
                                       " is not offered to, connected to or in wrap-up with you"));
      return;
    }
    convert::ToProto(view->details.customer, *response->mutable_customer());
    if (view->details.customer.id.empty()) {
      reactor->Finish(grpc::Status::OK);  // An unknown customer has no history.
      return;
    }
    ReadInteractionPage(records, core, reactor,
                        InteractionQuery{.tenant = view->details.tenant.value(),
                                         .customer_id = view->details.customer.id,
                                         .before_id = before},
                        page_size,
                        InteractionPage{.interactions = response->mutable_interactions(),
                                        .next_page_token = response->mutable_next_page_token(),
                                        .customer = response->customer()});
  });
  return reactor;
}

}  // namespace acd::daemon
