#include "clients/agent/desk_automation.h"

#include <string>
#include <utility>

namespace acd::clients::agent {

DeskAutomation::DeskAutomation(v1::AgentDesk::Stub& desk, const Connection& connection,
                               Output& output, Options options)
    : desk_(desk), connection_(connection), output_(output), options_(std::move(options)) {}

DeskAutomation::~DeskAutomation() { Shutdown(); }

void DeskAutomation::OnEvent(const v1::AgentEvent& event) {
  switch (event.kind_case()) {
    case v1::AgentEvent::kOffer:
      queue_.Post([this, id = event.offer().contact().contact_id()] { Accept(id); });
      break;
    case v1::AgentEvent::kAssigned:
      queue_.Post([this, id = event.assigned().contact().contact_id()] {
        connected_.insert(id);
        queue_.PostAfter(options_.handle_time, [this, id] { Complete(id); });
      });
      break;
    case v1::AgentEvent::kWrapUpStarted:
      queue_.Post([this, id = event.wrap_up_started().contact_id()] {
        // Whoever ended the interaction, there is nothing left to end.
        connected_.erase(id);
        SubmitWrapUp(id);
      });
      break;
    default:
      break;
  }
}

void DeskAutomation::Accept(const std::string& contact_id) {
  v1::AcceptOfferRequest request;
  request.set_contact_id(contact_id);
  v1::AcceptOfferResponse response;
  const grpc::Status status =
      desk_.AcceptOffer(connection_.NewCallContext().get(), request, &response);
  if (!status.ok()) output_.PrintStatus(status, "accept contact " + contact_id);
}

void DeskAutomation::Complete(const std::string& contact_id) {
  // The customer may have ended it first (wrap-up started already).
  if (connected_.erase(contact_id) == 0) return;
  v1::CompleteContactRequest request;
  request.set_contact_id(contact_id);
  v1::CompleteContactResponse response;
  const grpc::Status status =
      desk_.CompleteContact(connection_.NewCallContext().get(), request, &response);
  if (!status.ok()) output_.PrintStatus(status, "complete contact " + contact_id);
}

void DeskAutomation::SubmitWrapUp(const std::string& contact_id) {
  v1::SubmitWrapUpRequest request;
  request.set_contact_id(contact_id);
  request.set_disposition_code(options_.disposition);
  request.set_notes(options_.notes);
  v1::SubmitWrapUpResponse response;
  const grpc::Status status =
      desk_.SubmitWrapUp(connection_.NewCallContext().get(), request, &response);
  if (!status.ok()) output_.PrintStatus(status, "wrap up contact " + contact_id);
}

}  // namespace acd::clients::agent
