#pragma once

#include <cstddef>

#include "acd/v1/intake.grpc.pb.h"
#include "daemon/authenticator.h"
#include "daemon/core_runner.h"
#include "daemon/customer_history.h"
#include "daemon/event_hub.h"
#include "daemon/record_reader.h"

namespace acd::daemon {

/// acd.v1.Intake for telephony, chat and email gateways: create, cancel, read and watch contacts.
/// Reactions validate, post to the core strand and return.
class IntakeService final : public v1::Intake::CallbackService {
 public:
  /// Every reference must outlive the service.
  IntakeService(const Authenticator& authenticator, CoreRunner& core, EventHub& hub,
                RecordReader& records, CustomerHistory& history, std::size_t stream_outbox);

  grpc::ServerUnaryReactor* CreateContact(grpc::CallbackServerContext* context,
                                          const v1::CreateContactRequest* request,
                                          v1::CreateContactResponse* response) override;
  grpc::ServerUnaryReactor* CancelContact(grpc::CallbackServerContext* context,
                                          const v1::CancelContactRequest* request,
                                          v1::CancelContactResponse* response) override;
  grpc::ServerUnaryReactor* GetContact(grpc::CallbackServerContext* context,
                                       const v1::GetContactRequest* request,
                                       v1::GetContactResponse* response) override;
  grpc::ServerUnaryReactor* UpdateContact(grpc::CallbackServerContext* context,
                                          const v1::UpdateContactRequest* request,
                                          v1::UpdateContactResponse* response) override;
  grpc::ServerUnaryReactor* RecordSurvey(grpc::CallbackServerContext* context,
                                         const v1::RecordSurveyRequest* request,
                                         v1::RecordSurveyResponse* response) override;
  grpc::ServerWriteReactor<v1::ContactEvent>* WatchContacts(
      grpc::CallbackServerContext* context, const v1::WatchContactsRequest* request) override;

 private:
  const Authenticator& authenticator_;
  CoreRunner& core_;
  RecordReader& records_;
  /// Loaded for a contact's customer before the contact is created, so that its offers carry it.
  CustomerHistory& history_;
  EventHub& hub_;
  const std::size_t stream_outbox_;
};

}  // namespace acd::daemon
