#include "daemon/agent_desk_service.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "daemon/proto_convert.h"
#include "daemon/request_limits.h"
#include "daemon/unary_reactions.h"

namespace acd::daemon {
namespace {

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

}  // namespace

AgentDeskService::AgentDeskService(const Authenticator& authenticator, CoreRunner& core,
                                   EventHub& hub, std::size_t stream_outbox)
    : authenticator_(authenticator), core_(core), hub_(hub), stream_outbox_(stream_outbox) {}

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
  core_.Post([&hub, stream, id = agent->agent,
              resume_after = request->resume_after_sequence()](CoreRunner& runner) {
    if (absl::Status resume = EventHub::CheckResume(resume_after, hub.LastAgentSequence(id));
        !resume.ok()) {
      stream->Close(ToGrpcStatus(resume));
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
  });
  return stream.get();
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

}  // namespace acd::daemon
