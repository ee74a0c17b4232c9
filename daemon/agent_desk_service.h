#pragma once

#include <cstddef>

#include "acd/v1/agent_desk.grpc.pb.h"
#include "daemon/authenticator.h"
#include "daemon/core_runner.h"
#include "daemon/event_hub.h"
#include "daemon/live_config.h"
#include "daemon/record_reader.h"

namespace acd::daemon {

/// acd.v1.AgentDesk for agent desktops: the event stream and the agent's own actions. An agent
/// token acts only as its own agent. Reactions validate, post to the core strand and return.
class AgentDeskService final : public v1::AgentDesk::CallbackService {
 public:
  /// Every reference must outlive the service; `config` gives agents' profiles.
  AgentDeskService(const Authenticator& authenticator, CoreRunner& core, EventHub& hub,
                   RecordReader& records, const LiveConfig& config, std::size_t stream_outbox);

  grpc::ServerWriteReactor<v1::AgentEvent>* StreamEvents(
      grpc::CallbackServerContext* context, const v1::StreamEventsRequest* request) override;
  grpc::ServerUnaryReactor* GetDesk(grpc::CallbackServerContext* context,
                                    const v1::GetDeskRequest* request,
                                    v1::GetDeskResponse* response) override;
  grpc::ServerUnaryReactor* SetState(grpc::CallbackServerContext* context,
                                     const v1::SetStateRequest* request,
                                     v1::SetStateResponse* response) override;
  grpc::ServerUnaryReactor* AcceptOffer(grpc::CallbackServerContext* context,
                                        const v1::AcceptOfferRequest* request,
                                        v1::AcceptOfferResponse* response) override;
  grpc::ServerUnaryReactor* DeclineOffer(grpc::CallbackServerContext* context,
                                         const v1::DeclineOfferRequest* request,
                                         v1::DeclineOfferResponse* response) override;
  grpc::ServerUnaryReactor* CompleteContact(grpc::CallbackServerContext* context,
                                            const v1::CompleteContactRequest* request,
                                            v1::CompleteContactResponse* response) override;
  grpc::ServerUnaryReactor* SubmitWrapUp(grpc::CallbackServerContext* context,
                                         const v1::SubmitWrapUpRequest* request,
                                         v1::SubmitWrapUpResponse* response) override;
  grpc::ServerUnaryReactor* TransferContact(grpc::CallbackServerContext* context,
                                            const v1::TransferContactRequest* request,
                                            v1::TransferContactResponse* response) override;
  grpc::ServerUnaryReactor* EscalateContact(grpc::CallbackServerContext* context,
                                            const v1::EscalateContactRequest* request,
                                            v1::EscalateContactResponse* response) override;
  grpc::ServerUnaryReactor* ScheduleFollowUp(grpc::CallbackServerContext* context,
                                             const v1::ScheduleFollowUpRequest* request,
                                             v1::ScheduleFollowUpResponse* response) override;
  grpc::ServerUnaryReactor* GetCustomerHistory(grpc::CallbackServerContext* context,
                                               const v1::GetCustomerHistoryRequest* request,
                                               v1::GetCustomerHistoryResponse* response) override;

 private:
  const Authenticator& authenticator_;
  CoreRunner& core_;
  EventHub& hub_;
  RecordReader& records_;
  const LiveConfig& config_;
  const std::size_t stream_outbox_;
};

}  // namespace acd::daemon
