#include "clients/acdctl/floor_commands.h"

#include <memory>

#include "acd/v1/supervision.grpc.pb.h"
#include "clients/common/connection.h"
#include "clients/common/contact_format.h"
#include "clients/common/enum_names.h"

namespace acd::clients::acdctl {
namespace {

/// Calls `rpc` on a Supervision stub with a fresh context; prints the error and returns false
/// when it fails.
template <typename Request, typename Response, typename Rpc>
bool Call(const GlobalOptions& global, Rpc rpc, const Request& request, Response& response,
          Output& output) {
  const Connection connection(global);
  const std::unique_ptr<v1::Supervision::Stub> stub =
      v1::Supervision::NewStub(connection.channel());
  const grpc::Status status = ((*stub).*rpc)(connection.NewCallContext().get(), request, &response);
  if (!status.ok()) output.PrintStatus(status);
  return status.ok();
}

}  // namespace

int MoveContact(const GlobalOptions& global, const std::string& contact_id,
                const std::string& queue_id, Output& output) {
  v1::MoveContactRequest request;
  request.set_contact_id(contact_id);
  request.set_queue_id(queue_id);
  v1::MoveContactResponse response;
  if (!Call(global, &v1::Supervision::Stub::MoveContact, request, response, output)) {
    return kExitFailure;
  }
  output.Print(ContactLine(response.contact()));
  return 0;
}

int SetContactPriority(const GlobalOptions& global, const std::string& contact_id, int priority,
                       Output& output) {
  v1::SetContactPriorityRequest request;
  request.set_contact_id(contact_id);
  request.set_priority(priority);
  v1::SetContactPriorityResponse response;
  if (!Call(global, &v1::Supervision::Stub::SetContactPriority, request, response, output)) {
    return kExitFailure;
  }
  output.Print(ContactLine(response.contact()));
  return 0;
}

int AssignContact(const GlobalOptions& global, const std::string& contact_id,
                  const std::string& agent_id, Output& output) {
  v1::AssignContactRequest request;
  request.set_contact_id(contact_id);
  request.set_agent_id(agent_id);
  v1::AssignContactResponse response;
  if (!Call(global, &v1::Supervision::Stub::AssignContact, request, response, output)) {
    return kExitFailure;
  }
  output.Print(ContactLine(response.contact()));
  return 0;
}

int LogOutAgent(const GlobalOptions& global, const std::string& agent_id, const std::string& reason,
                Output& output) {
  v1::LogOutAgentRequest request;
  request.set_agent_id(agent_id);
  request.set_reason(reason);
  v1::LogOutAgentResponse response;
  if (!Call(global, &v1::Supervision::Stub::LogOutAgent, request, response, output)) {
    return kExitFailure;
  }
  output.Print(KeyValueLine("agent")
                   .Add("id", response.agent().agent_id())
                   .Add("state", AgentStateName(response.agent().state())));
  return 0;
}

int Broadcast(const GlobalOptions& global, const BroadcastOptions& options, Output& output) {
  v1::BroadcastMessageRequest request;
  request.set_text(options.text);
  request.set_team(options.team);
  for (const std::string& agent : options.agent_ids) request.add_agent_ids(agent);
  request.set_urgent(options.urgent);
  v1::BroadcastMessageResponse response;
  if (!Call(global, &v1::Supervision::Stub::BroadcastMessage, request, response, output)) {
    return kExitFailure;
  }
  output.Print(KeyValueLine("broadcast")
                   .AddNumber("delivered", response.delivered())
                   .AddNumber("not_connected", response.not_connected()));
  return 0;
}

}  // namespace acd::clients::acdctl
