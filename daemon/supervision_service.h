#pragma once

#include <cstddef>

#include "acd/v1/supervision.grpc.pb.h"
#include "daemon/authenticator.h"
#include "daemon/core_runner.h"
#include "daemon/event_hub.h"
#include "daemon/record_reader.h"

namespace acd::daemon {

/// acd.v1.Supervision for team leaders and supervisors: live queue and agent state within the
/// caller's tenant. Reactions validate, post to the core strand and return.
class SupervisionService final : public v1::Supervision::CallbackService {
 public:
  /// Every reference must outlive the service.
  SupervisionService(const Authenticator& authenticator, CoreRunner& core, EventHub& hub,
                     RecordReader& records, std::size_t stream_outbox);

  grpc::ServerUnaryReactor* ListQueues(grpc::CallbackServerContext* context,
                                       const v1::ListQueuesRequest* request,
                                       v1::ListQueuesResponse* response) override;
  grpc::ServerUnaryReactor* ListAgents(grpc::CallbackServerContext* context,
                                       const v1::ListAgentsRequest* request,
                                       v1::ListAgentsResponse* response) override;
  grpc::ServerUnaryReactor* ListContacts(grpc::CallbackServerContext* context,
                                         const v1::ListContactsRequest* request,
                                         v1::ListContactsResponse* response) override;
  grpc::ServerWriteReactor<v1::QueueSnapshot>* WatchQueues(
      grpc::CallbackServerContext* context, const v1::WatchQueuesRequest* request) override;
  grpc::ServerWriteReactor<v1::EscalationEvent>* WatchEscalations(
      grpc::CallbackServerContext* context, const v1::WatchEscalationsRequest* request) override;
  grpc::ServerUnaryReactor* ListEscalations(grpc::CallbackServerContext* context,
                                            const v1::ListEscalationsRequest* request,
                                            v1::ListEscalationsResponse* response) override;
  grpc::ServerUnaryReactor* ResolveEscalation(grpc::CallbackServerContext* context,
                                              const v1::ResolveEscalationRequest* request,
                                              v1::ResolveEscalationResponse* response) override;
  grpc::ServerUnaryReactor* SetAgentState(grpc::CallbackServerContext* context,
                                          const v1::SetAgentStateRequest* request,
                                          v1::SetAgentStateResponse* response) override;
  grpc::ServerUnaryReactor* LogOutAgent(grpc::CallbackServerContext* context,
                                        const v1::LogOutAgentRequest* request,
                                        v1::LogOutAgentResponse* response) override;
  grpc::ServerUnaryReactor* MoveContact(grpc::CallbackServerContext* context,
                                        const v1::MoveContactRequest* request,
                                        v1::MoveContactResponse* response) override;
  grpc::ServerUnaryReactor* SetContactPriority(grpc::CallbackServerContext* context,
                                               const v1::SetContactPriorityRequest* request,
                                               v1::SetContactPriorityResponse* response) override;
  grpc::ServerUnaryReactor* AssignContact(grpc::CallbackServerContext* context,
                                          const v1::AssignContactRequest* request,
                                          v1::AssignContactResponse* response) override;
  grpc::ServerUnaryReactor* BroadcastMessage(grpc::CallbackServerContext* context,
                                             const v1::BroadcastMessageRequest* request,
                                             v1::BroadcastMessageResponse* response) override;
  grpc::ServerUnaryReactor* GetStaffing(grpc::CallbackServerContext* context,
                                        const v1::GetStaffingRequest* request,
                                        v1::GetStaffingResponse* response) override;
  grpc::ServerUnaryReactor* ListInteractions(grpc::CallbackServerContext* context,
                                             const v1::ListInteractionsRequest* request,
                                             v1::ListInteractionsResponse* response) override;
  grpc::ServerUnaryReactor* ExplainDecision(grpc::CallbackServerContext* context,
                                            const v1::ExplainDecisionRequest* request,
                                            v1::ExplainDecisionResponse* response) override;

 private:
  const Authenticator& authenticator_;
  CoreRunner& core_;
  EventHub& hub_;
  RecordReader& records_;
  const std::size_t stream_outbox_;
};

}  // namespace acd::daemon
