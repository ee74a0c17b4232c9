#include "clients/acdctl/supervision_commands.h"

#include <memory>
#include <string>

#include "acd/v1/supervision.grpc.pb.h"
#include "clients/acdctl/table.h"
#include "clients/common/connection.h"
#include "clients/common/contact_format.h"
#include "clients/common/enum_names.h"

namespace acd::clients::acdctl {
namespace {

void PrintTable(const Table& table, Output& output) {
  for (const std::string& line : table.Render()) output.PrintText(line);
}

}  // namespace

int ListQueues(const GlobalOptions& global, Output& output) {
  const Connection connection(global);
  v1::ListQueuesResponse response;
  const grpc::Status status =
      v1::Supervision::NewStub(connection.channel())
          ->ListQueues(connection.NewCallContext().get(), v1::ListQueuesRequest(), &response);
  if (!status.ok()) {
    output.PrintStatus(status);
    return kExitFailure;
  }
  Table table({{"QUEUE"},
               {"NAME"},
               {"WAITING", true},
               {"LONGEST_WAIT", true},
               {"READY", true},
               {"BUSY", true},
               {"NOT_READY", true}});
  for (const v1::QueueStatus& queue : response.queues()) {
    table.AddRow({queue.queue_id(), queue.display_name(), std::to_string(queue.waiting()),
                  FormatDuration(queue.longest_wait()), std::to_string(queue.agents_ready()),
                  std::to_string(queue.agents_busy()), std::to_string(queue.agents_not_ready())});
  }
  PrintTable(table, output);
  return 0;
}

int ListAgents(const GlobalOptions& global, const AgentFilter& filter, Output& output) {
  v1::ListAgentsRequest request;
  request.set_queue_id(filter.queue);
  request.set_team(filter.team);
  if (!filter.state.empty()) {
    request.set_state(ParseAgentState(filter.state).value_or(v1::AGENT_STATE_UNSPECIFIED));
  }
  const Connection connection(global);
  v1::ListAgentsResponse response;
  const grpc::Status status =
      v1::Supervision::NewStub(connection.channel())
          ->ListAgents(connection.NewCallContext().get(), request, &response);
  if (!status.ok()) {
    output.PrintStatus(status);
    return kExitFailure;
  }
  Table table({{"AGENT"}, {"NAME"}, {"TEAM"}, {"STATE"}, {"REASON"}, {"CONTACTS"}, {"CONNECTED"}});
  for (const v1::AgentStatus& agent : response.agents()) {
    std::string contacts;
    for (const std::string& id : agent.contact_ids()) {
      if (!contacts.empty()) contacts += ',';
      contacts += id;
    }
    table.AddRow({agent.agent_id(), agent.display_name(), agent.team(),
                  std::string(AgentStateName(agent.state())), agent.reason_code(), contacts,
                  agent.connected() ? "yes" : "no"});
  }
  PrintTable(table, output);
  return 0;
}

}  // namespace acd::clients::acdctl
