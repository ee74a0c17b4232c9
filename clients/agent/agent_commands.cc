#include "clients/agent/agent_commands.h"

#include <memory>
#include <string>

#include "acd/v1/agent_desk.grpc.pb.h"
#include "clients/agent/agent_event_format.h"
#include "clients/common/connection.h"
#include "clients/common/contact_format.h"
#include "clients/common/enum_names.h"

namespace acd::clients::agent {
namespace {

/// Runs one AgentDesk call with a fresh connection; prints its error and returns false on
/// failure.
template <typename Request, typename Response, typename Method>
bool Call(const GlobalOptions& global, Method method, const Request& request, Response& response,
          Output& output) {
  const Connection connection(global);
  const std::unique_ptr<v1::AgentDesk::Stub> desk = v1::AgentDesk::NewStub(connection.channel());
  const grpc::Status status =
      ((*desk).*method)(connection.NewCallContext().get(), request, &response);
  if (!status.ok()) output.PrintStatus(status);
  return status.ok();
}

}  // namespace

int SetState(const GlobalOptions& global, const std::string& state, const std::string& reason,
             Output& output) {
  v1::SetStateRequest request;
  request.set_state(ParseAgentState(state).value_or(v1::AGENT_STATE_UNSPECIFIED));
  request.set_reason_code(reason);
  v1::SetStateResponse response;
  if (!Call(global, &v1::AgentDesk::Stub::SetState, request, response, output)) {
    return kExitFailure;
  }
  output.Print(StateLine(response));
  return 0;
}

int Accept(const GlobalOptions& global, const std::string& contact_id, Output& output) {
  v1::AcceptOfferRequest request;
  request.set_contact_id(contact_id);
  v1::AcceptOfferResponse response;
  if (!Call(global, &v1::AgentDesk::Stub::AcceptOffer, request, response, output)) {
    return kExitFailure;
  }
  output.Print(ContactLine(response.contact()));
  return 0;
}

int Decline(const GlobalOptions& global, const std::string& contact_id, const std::string& reason,
            Output& output) {
  v1::DeclineOfferRequest request;
  request.set_contact_id(contact_id);
  request.set_reason(reason);
  v1::DeclineOfferResponse response;
  if (!Call(global, &v1::AgentDesk::Stub::DeclineOffer, request, response, output)) {
    return kExitFailure;
  }
  output.Print(KeyValueLine("declined").Add("contact", response.contact_id()));
  return 0;
}

int Complete(const GlobalOptions& global, const std::string& contact_id, Output& output) {
  v1::CompleteContactRequest request;
  request.set_contact_id(contact_id);
  v1::CompleteContactResponse response;
  if (!Call(global, &v1::AgentDesk::Stub::CompleteContact, request, response, output)) {
    return kExitFailure;
  }
  output.Print(ContactLine(response.contact()));
  return 0;
}

int WrapUp(const GlobalOptions& global, const std::string& contact_id,
           const std::string& disposition, const std::string& notes, Output& output) {
  v1::SubmitWrapUpRequest request;
  request.set_contact_id(contact_id);
  request.set_disposition_code(disposition);
  request.set_notes(notes);
  v1::SubmitWrapUpResponse response;
  if (!Call(global, &v1::AgentDesk::Stub::SubmitWrapUp, request, response, output)) {
    return kExitFailure;
  }
  output.Print(ContactLine(response.contact()));
  return 0;
}

int History(const GlobalOptions& global, const std::string& contact_id, int page_size,
            const std::string& page_token, Output& output) {
  v1::GetCustomerHistoryRequest request;
  request.set_contact_id(contact_id);
  request.set_page_size(page_size);
  request.set_page_token(page_token);
  v1::GetCustomerHistoryResponse response;
  if (!Call(global, &v1::AgentDesk::Stub::GetCustomerHistory, request, response, output)) {
    return kExitFailure;
  }
  for (const v1::InteractionSummary& interaction : response.interactions()) {
    KeyValueLine line("interaction");
    line.Add("contact", interaction.contact_id())
        .Add("external_id", interaction.external_id())
        .Add("channel", ChannelName(interaction.channel()))
        .Add("queue", interaction.queue_id())
        .Add("outcome", ContactStateName(interaction.outcome()))
        .Add("agent", interaction.agent_id())
        .Add("disposition", interaction.disposition_code())
        .AddNumber("ended", interaction.ended_at().seconds())
        .Add("wait", interaction.has_wait_time() ? FormatDuration(interaction.wait_time()) : "")
        .Add("talk", interaction.has_talk_time() ? FormatDuration(interaction.talk_time()) : "")
        .Add("wrap_up",
             interaction.has_wrap_up_time() ? FormatDuration(interaction.wrap_up_time()) : "")
        .AddNumber("csat", interaction.csat_score())
        .Add("notes", interaction.notes());
    output.Print(line);
  }
  output.Print(KeyValueLine("history")
                   .Add("customer", response.customer().id())
                   .AddNumber("interactions", response.interactions_size())
                   .Add("next_page_token", response.next_page_token()));
  return 0;
}

}  // namespace acd::clients::agent
