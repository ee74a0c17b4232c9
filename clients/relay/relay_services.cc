#include "clients/relay/relay_services.h"

#include <string>
#include <utility>

namespace acd::clients::relay {
namespace {

/// The same outbox as acdd's streams (daemon/server.h).
constexpr std::size_t kStreamOutbox = 4096;

std::string TokenOf(const grpc::CallbackServerContext& context) {
  const auto& metadata = context.client_metadata();
  auto found = metadata.find("authorization");
  return found == metadata.end() ? std::string()
                                 : std::string(found->second.data(), found->second.size());
}

grpc::ServerUnaryReactor* Answer(grpc::CallbackServerContext* context, grpc::Status status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(std::move(status));
  return reactor;
}

grpc::Status UnknownContact(const std::string& id) {
  return grpc::Status(grpc::StatusCode::NOT_FOUND, "no contact " + id + " in the relay");
}

}  // namespace

grpc::ServerUnaryReactor* RelayIntake::CreateContact(grpc::CallbackServerContext* context,
                                                     const v1::CreateContactRequest* request,
                                                     v1::CreateContactResponse* response) {
  hub_.Create(TokenOf(*context), *request, *response->mutable_contact());
  response->set_created(true);
  return Answer(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor* RelayIntake::CancelContact(grpc::CallbackServerContext* context,
                                                     const v1::CancelContactRequest* request,
                                                     v1::CancelContactResponse* response) {
  if (!hub_.Cancel(request->contact_id(), *response->mutable_contact())) {
    return Answer(context, UnknownContact(request->contact_id()));
  }
  return Answer(context, grpc::Status::OK);
}

grpc::ServerWriteReactor<v1::ContactEvent>* RelayIntake::WatchContacts(
    grpc::CallbackServerContext* context, const v1::WatchContactsRequest* /*request*/) {
  auto stream = RelayHub::GatewayStream::Create(kStreamOutbox);
  RelayHub::GatewayStream* raw = stream.get();
  stream->SetOnDone([this, raw] { hub_.Remove(raw); });
  hub_.AddGateway(stream, TokenOf(*context));
  stream->MarkLive();
  return raw;
}

grpc::ServerWriteReactor<v1::AgentEvent>* RelayDesk::StreamEvents(
    grpc::CallbackServerContext* /*context*/, const v1::StreamEventsRequest* /*request*/) {
  auto stream = RelayHub::AgentStream::Create(kStreamOutbox);
  RelayHub::AgentStream* raw = stream.get();
  stream->SetOnDone([this, raw] { hub_.Remove(raw); });
  hub_.AddAgent(stream, "relay-agent-" + std::to_string(next_agent_++));
  stream->MarkLive();
  return raw;
}

grpc::ServerUnaryReactor* RelayDesk::SetState(grpc::CallbackServerContext* context,
                                              const v1::SetStateRequest* request,
                                              v1::SetStateResponse* response) {
  response->set_state(request->state());
  response->set_reason_code(request->reason_code());
  return Answer(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor* RelayDesk::AcceptOffer(grpc::CallbackServerContext* context,
                                                 const v1::AcceptOfferRequest* request,
                                                 v1::AcceptOfferResponse* response) {
  if (!hub_.Accept(request->contact_id(), *response->mutable_contact())) {
    return Answer(context, UnknownContact(request->contact_id()));
  }
  return Answer(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor* RelayDesk::CompleteContact(grpc::CallbackServerContext* context,
                                                     const v1::CompleteContactRequest* request,
                                                     v1::CompleteContactResponse* response) {
  if (!hub_.Complete(request->contact_id(), *response->mutable_contact())) {
    return Answer(context, UnknownContact(request->contact_id()));
  }
  return Answer(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor* RelayDesk::SubmitWrapUp(grpc::CallbackServerContext* context,
                                                  const v1::SubmitWrapUpRequest* /*request*/,
                                                  v1::SubmitWrapUpResponse* /*response*/) {
  return Answer(context, grpc::Status::OK);
}

}  // namespace acd::clients::relay
