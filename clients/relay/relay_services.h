#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <cstdint>

#include "acd/v1/agent_desk.grpc.pb.h"
#include "acd/v1/intake.grpc.pb.h"
#include "clients/relay/relay_hub.h"

namespace acd::clients::relay {

/// The relay's Intake: CreateContact answered at once, its contact pushed as an offer onto the
/// next agent stream; WatchContacts and CancelContact. The rest answers UNIMPLEMENTED. Tokens
/// are not checked: a gateway's token only says which watch streams see its contacts.
class RelayIntake final : public v1::Intake::CallbackService {
 public:
  explicit RelayIntake(RelayHub& hub) : hub_(hub) {}

  grpc::ServerUnaryReactor* CreateContact(grpc::CallbackServerContext* context,
                                          const v1::CreateContactRequest* request,
                                          v1::CreateContactResponse* response) override;
  grpc::ServerUnaryReactor* CancelContact(grpc::CallbackServerContext* context,
                                          const v1::CancelContactRequest* request,
                                          v1::CancelContactResponse* response) override;
  grpc::ServerWriteReactor<v1::ContactEvent>* WatchContacts(
      grpc::CallbackServerContext* context, const v1::WatchContactsRequest* request) override;

 private:
  RelayHub& hub_;
};

/// The relay's AgentDesk: StreamEvents, SetState (answered with the state asked for),
/// AcceptOffer, CompleteContact (completed at once, no wrap-up) and SubmitWrapUp (accepted).
class RelayDesk final : public v1::AgentDesk::CallbackService {
 public:
  explicit RelayDesk(RelayHub& hub) : hub_(hub) {}

  grpc::ServerWriteReactor<v1::AgentEvent>* StreamEvents(
      grpc::CallbackServerContext* context, const v1::StreamEventsRequest* request) override;
  grpc::ServerUnaryReactor* SetState(grpc::CallbackServerContext* context,
                                     const v1::SetStateRequest* request,
                                     v1::SetStateResponse* response) override;
  grpc::ServerUnaryReactor* AcceptOffer(grpc::CallbackServerContext* context,
                                        const v1::AcceptOfferRequest* request,
                                        v1::AcceptOfferResponse* response) override;
  grpc::ServerUnaryReactor* CompleteContact(grpc::CallbackServerContext* context,
                                            const v1::CompleteContactRequest* request,
                                            v1::CompleteContactResponse* response) override;
  grpc::ServerUnaryReactor* SubmitWrapUp(grpc::CallbackServerContext* context,
                                         const v1::SubmitWrapUpRequest* request,
                                         v1::SubmitWrapUpResponse* response) override;

 private:
  RelayHub& hub_;
  std::atomic<std::uint64_t> next_agent_{0};
};

}  // namespace acd::clients::relay
