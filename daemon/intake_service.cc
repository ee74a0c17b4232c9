#include "daemon/intake_service.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "daemon/proto_convert.h"
#include "daemon/request_limits.h"
#include "daemon/unary_reactions.h"

namespace acd::daemon {
namespace {

/// INVALID_ARGUMENT naming the attribute when its key or value is too long.
absl::Status CheckAttribute(const std::string& key, const std::string& value) {
  if (absl::Status status = CheckLength("attributes key", key, kMaxIdBytes); !status.ok()) {
    return status;
  }
  return CheckLength("attributes['" + key + "']", value, kMaxTextBytes);
}

/// Validates a create request and turns it into the core's command.
absl::StatusOr<routing::CreateContact> ToCommand(const v1::CreateContactRequest& request,
                                                 const Principal& gateway) {
  if (request.external_id().empty()) {
    return absl::InvalidArgumentError("external_id is required (the gateway's own contact id)");
  }
  if (request.queue_id().empty()) return absl::InvalidArgumentError("queue_id is required");
  const std::optional<routing::Channel> channel = convert::FromProto(request.channel());
  if (!channel) return absl::InvalidArgumentError("channel is required and must be a known one");
  for (const absl::Status& status :
       {CheckLength("external_id", request.external_id(), kMaxIdBytes),
        CheckLength("queue_id", request.queue_id(), kMaxIdBytes),
        CheckLength("language", request.language(), kMaxIdBytes),
        CheckLength("customer.id", request.customer().id(), kMaxIdBytes),
        CheckLength("customer.tier", request.customer().tier(), kMaxIdBytes),
        CheckLength("customer.display_name", request.customer().display_name(), kMaxTextBytes),
        CheckCount("attributes", static_cast<int>(request.attributes_size())),
        CheckCount("preferred_agent_ids", request.preferred_agent_ids_size())}) {
    if (!status.ok()) return status;
  }
  routing::CreateContact command;
  routing::ContactDetails& details = command.details;
  details.tenant = gateway.tenant;
  details.origin = gateway.name;
  details.external_id = request.external_id();
  details.channel = *channel;
  details.language = request.language();
  details.customer = {.id = request.customer().id(),
                      .tier = request.customer().tier(),
                      .verified = request.customer().verified(),
                      .display_name = request.customer().display_name()};
  absl::StatusOr<std::vector<routing::SkillLevel>> skills =
      convert::FromProto(request.required_skills(), "required_skills");
  if (!skills.ok()) return skills.status();
  details.required_skills = std::move(*skills);
  for (const auto& [key, value] : request.attributes()) {
    if (absl::Status status = CheckAttribute(key, value); !status.ok()) return status;
    details.attributes.emplace_back(key, value);
  }
  for (const std::string& agent : request.preferred_agent_ids()) {
    details.preferred_agents.emplace_back(agent);
  }
  command.queue = routing::QueueId(request.queue_id());
  if (request.has_priority()) command.priority = request.priority();
  if (request.has_not_before()) {
    absl::StatusOr<routing::Timestamp> not_before =
        convert::FromProto(request.not_before(), "not_before");
    if (!not_before.ok()) return not_before.status();
    command.not_before = *not_before;
  }
  return command;
}

}  // namespace

IntakeService::IntakeService(const Authenticator& authenticator, CoreRunner& core, EventHub& hub,
                             RecordReader& records, CustomerHistory& history,
                             std::size_t stream_outbox)
    : authenticator_(authenticator),
      core_(core),
      records_(records),
      history_(history),
      hub_(hub),
      stream_outbox_(stream_outbox) {}

grpc::ServerUnaryReactor* IntakeService::CreateContact(grpc::CallbackServerContext* context,
                                                       const v1::CreateContactRequest* request,
                                                       v1::CreateContactResponse* response) {
  absl::StatusOr<Principal> gateway = authenticator_.Authorize(*context, {Role::kGateway});
  if (!gateway.ok()) return Reject(context, gateway.status());
  absl::StatusOr<routing::CreateContact> command = ToCommand(*request, *gateway);
  if (!command.ok()) return Reject(context, command.status());
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  core_.Post([this, reactor, response, command = std::move(*command)](CoreRunner& runner) {
    const routing::ContactDetails& details = command.details;
    LoadCustomerHistory(history_, records_, runner, details.tenant.value(), details.customer.id,
                        [reactor, response, command](CoreRunner& core) {
                          absl::StatusOr<routing::CommandResult> result = core.Handle(command);
                          if (!result.ok()) {
                            FinishWhenDurable(reactor, core, ToGrpcStatus(result.status()));
                            return;
                          }
                          convert::ToProto(core.router().FindContact(result->contact).value(),
                                           *response->mutable_contact());
                          response->set_created(result->created);
                          FinishWhenDurable(reactor, core, grpc::Status::OK);
                        });
  });
  return reactor;
}

grpc::ServerUnaryReactor* IntakeService::CancelContact(grpc::CallbackServerContext* context,
                                                       const v1::CancelContactRequest* request,
                                                       v1::CancelContactResponse* response) {
  absl::StatusOr<Principal> gateway = authenticator_.Authorize(*context, {Role::kGateway});
  if (!gateway.ok()) return Reject(context, gateway.status());
  absl::StatusOr<routing::ContactId> id = convert::ParseContactId(request->contact_id());
  if (!id.ok()) return Reject(context, id.status());
  if (absl::Status status = CheckLength("reason", request->reason(), kMaxTextBytes); !status.ok()) {
    return Reject(context, status);
  }
  routing::CancelContact cancel{
      .tenant = gateway->tenant, .contact = *id, .reason = request->reason()};
  return RunOnCore(context, core_, std::move(cancel),
                   [response](CoreRunner& core, const routing::CommandResult& result) {
                     convert::ToProto(core.router().FindContact(result.contact).value(),
                                      *response->mutable_contact());
                     return grpc::Status::OK;
                   });
}

grpc::ServerUnaryReactor* IntakeService::UpdateContact(grpc::CallbackServerContext* context,
                                                       const v1::UpdateContactRequest* request,
                                                       v1::UpdateContactResponse* response) {
  absl::StatusOr<Principal> gateway = authenticator_.Authorize(*context, {Role::kGateway});
  if (!gateway.ok()) return Reject(context, gateway.status());
  absl::StatusOr<routing::ContactId> id = convert::ParseContactId(request->contact_id());
  if (!id.ok()) return Reject(context, id.status());
  for (const absl::Status& status :
       {CheckCount("attributes", static_cast<int>(request->attributes_size())),
        CheckCount("remove_attributes", request->remove_attributes_size())}) {
    if (!status.ok()) return Reject(context, status);
  }
  routing::UpdateContact command{.tenant = gateway->tenant, .contact = *id, .by = gateway->name};
  if (request->has_priority()) command.priority = request->priority();
  for (const std::string& key : request->remove_attributes()) {
    if (absl::Status status = CheckLength("remove_attributes key", key, kMaxIdBytes);
        !status.ok()) {
      return Reject(context, status);
    }
    command.remove_attributes.push_back(key);
  }
  for (const auto& [key, value] : request->attributes()) {
    if (absl::Status status = CheckAttribute(key, value); !status.ok()) {
      return Reject(context, status);
    }
    command.set_attributes.emplace_back(key, value);
  }
  return RunOnCore(context, core_, std::move(command),
                   [response](CoreRunner& core, const routing::CommandResult& result) {
                     convert::ToProto(core.router().FindContact(result.contact).value(),
                                      *response->mutable_contact());
                     return grpc::Status::OK;
                   });
}

grpc::ServerUnaryReactor* IntakeService::GetContact(grpc::CallbackServerContext* context,
                                                    const v1::GetContactRequest* request,
                                                    v1::GetContactResponse* response) {
  absl::StatusOr<Principal> caller = authenticator_.Authorize(*context, {Role::kGateway});
  if (!caller.ok()) return Reject(context, caller.status());
  absl::StatusOr<routing::ContactId> id = convert::ParseContactId(request->contact_id());
  if (!id.ok()) return Reject(context, id.status());
  return QueryOnCore(
      context, core_, [id = *id, tenant = caller->tenant, response](CoreRunner& core) {
        const std::optional<routing::ContactView> view = core.router().FindContact(id);
        if (!view || view->details.tenant != tenant) {
          return grpc::Status(grpc::StatusCode::NOT_FOUND,
                              "contact " + convert::ContactIdString(id) + " not found");
        }
        convert::ToProto(*view, *response->mutable_contact());
        return grpc::Status::OK;
      });
}

grpc::ServerUnaryReactor* IntakeService::RecordSurvey(grpc::CallbackServerContext* context,
                                                      const v1::RecordSurveyRequest* request,
                                                      v1::RecordSurveyResponse* response) {
  absl::StatusOr<Principal> gateway = authenticator_.Authorize(*context, {Role::kGateway});
  if (!gateway.ok()) return Reject(context, gateway.status());
  absl::StatusOr<routing::ContactId> id = convert::ParseContactId(request->contact_id());
  if (!id.ok()) return Reject(context, id.status());
  if (absl::Status status = CheckLength("comment", request->comment(), kMaxSurveyCommentBytes);
      !status.ok()) {
    return Reject(context, status);
  }
  routing::RecordSurvey survey{.tenant = gateway->tenant,
                               .contact = *id,
                               .score = request->score(),
                               .comment = request->comment()};
  return RunOnCore(context, core_, std::move(survey),
                   [response](CoreRunner&, const routing::CommandResult& result) {
                     response->set_contact_id(convert::ContactIdString(result.contact));
                     return grpc::Status::OK;
                   });
}

grpc::ServerWriteReactor<v1::ContactEvent>* IntakeService::WatchContacts(
    grpc::CallbackServerContext* context, const v1::WatchContactsRequest* request) {
  EventHub& hub = hub_;
  CoreRunner& core = core_;
  // The stream's address is its key in the hub; `on_done` only compares it.
  auto stream = EventHub::ContactStream::Create(stream_outbox_);
  const EventHub::ContactStream* key = stream.get();
  stream->SetOnDone(
      [&core, &hub, key] { core.Post([&hub, key](CoreRunner&) { hub.RemoveContactWatch(key); }); });
  absl::StatusOr<Principal> gateway = authenticator_.Authorize(*context, {Role::kGateway});
  if (!gateway.ok()) {
    stream->Close(ToGrpcStatus(gateway.status()));
    return stream.get();
  }
  if (absl::Status status = CheckCount("contact_ids", request->contact_ids_size()); !status.ok()) {
    stream->Close(ToGrpcStatus(status));
    return stream.get();
  }
  EventHub::ContactScope scope{.origin = gateway->name, .tenant = gateway->tenant};
  for (const std::string& text : request->contact_ids()) {
    absl::StatusOr<routing::ContactId> id = convert::ParseContactId(text, "contact_ids");
    if (!id.ok()) {
      stream->Close(ToGrpcStatus(id.status()));
      return stream.get();
    }
    scope.contact_ids.push_back(*id);
  }
  for (int channel : request->include_channels()) {
    const std::optional<routing::Channel> included =
        convert::FromProto(static_cast<v1::Channel>(channel));
    if (!included) {
      stream->Close(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                 "include_channels lists a channel that is not a known one"));
      return stream.get();
    }
    scope.include_channels |= 1u << static_cast<unsigned>(*included);
  }
  core_.Post([&hub, stream, scope = std::move(scope), resume_after = ResumePoint(*request),
              wait_updates = request->wait_updates()](CoreRunner& runner) mutable {
    absl::StatusOr<std::vector<v1::ContactEvent>> missed =
        hub.MissedContactEvents(scope, resume_after, runner.Now());
    if (!missed.ok()) {
      stream->Close(ToGrpcStatus(missed.status()));
      return;
    }
    // Only the gateway's own contacts: their events are numbered in its sequence, which is
    // what a resume goes by.
    const std::string& origin = scope.origin;
    for (routing::ContactId id : scope.contact_ids) {
      const std::optional<routing::ContactView> view = runner.router().FindContact(id);
      if (!view || view->details.tenant != scope.tenant) {
        stream->Close(grpc::Status(grpc::StatusCode::NOT_FOUND,
                                   "contact " + convert::ContactIdString(id) + " not found"));
        return;
      }
      if (view->details.origin != origin) {
        stream->Close(grpc::Status(grpc::StatusCode::NOT_FOUND,
                                   "contact " + convert::ContactIdString(id) +
                                       " was not created with this gateway's token"));
        return;
      }
    }
    hub.AddContactWatch(std::move(scope), wait_updates, stream, runner.router());
    stream->MarkLive();
    for (v1::ContactEvent& event : *missed) stream->Push(std::move(event));
    // Where its waiting contacts stand now, rather than at the next round.
    if (wait_updates) hub.SendWaitUpdates(runner.router(), runner.Now());
  });
  return stream.get();
}

}  // namespace acd::daemon
