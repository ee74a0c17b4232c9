#include "daemon/supervision_service.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "daemon/proto_convert.h"
#include "daemon/request_limits.h"
#include "daemon/unary_reactions.h"

namespace acd::daemon {

SupervisionService::SupervisionService(const Authenticator& authenticator, CoreRunner& core)
    : authenticator_(authenticator), core_(core) {}

grpc::ServerUnaryReactor* SupervisionService::ListQueues(grpc::CallbackServerContext* context,
                                                         const v1::ListQueuesRequest* request,
                                                         v1::ListQueuesResponse* response) {
  absl::StatusOr<Principal> supervisor = authenticator_.Authorize(*context, {Role::kSupervisor});
  if (!supervisor.ok()) return Reject(context, supervisor.status());
  if (absl::Status status = CheckCount("queue_ids", request->queue_ids_size()); !status.ok()) {
    return Reject(context, status);
  }
  const std::optional<routing::Period> period = convert::FromProto(request->kpi_window());
  if (!period) {
    return Reject(context, absl::InvalidArgumentError("kpi_window is not a known window"));
  }
  std::vector<std::string> wanted(request->queue_ids().begin(), request->queue_ids().end());
  return QueryOnCore(
      context, core_,
      [tenant = supervisor->tenant, wanted = std::move(wanted), window = request->kpi_window(),
       slot = static_cast<std::size_t>(*period), response](CoreRunner& core) {
        const routing::Timestamp now = core.Now();
        const routing::Router& router = core.router();
        const std::vector<routing::QueueStatistics> statistics =
            router.QueueStatisticsOf(tenant, now);
        const std::vector<routing::QueueView> queues = router.ListQueues(tenant, now);
        for (std::size_t i = 0; i < queues.size(); ++i) {
          if (!wanted.empty() &&
              std::find(wanted.begin(), wanted.end(), queues[i].id.value()) == wanted.end()) {
            continue;
          }
          v1::QueueStatus& status = *response->add_queues();
          convert::ToProto(queues[i], status);
          convert::ToProto(statistics.at(i).periods[slot], window, *status.mutable_kpis());
        }
        if (std::optional<routing::TenantStatistics> whole =
                router.TenantStatisticsOf(tenant, now)) {
          convert::ToProto(whole->periods[slot], window, *response->mutable_tenant_kpis());
        }
        convert::ToProto(now, *response->mutable_as_of());
        return grpc::Status::OK;
      });
}

grpc::ServerUnaryReactor* SupervisionService::ListAgents(grpc::CallbackServerContext* context,
                                                         const v1::ListAgentsRequest* request,
                                                         v1::ListAgentsResponse* response) {
  absl::StatusOr<Principal> supervisor = authenticator_.Authorize(*context, {Role::kSupervisor});
  if (!supervisor.ok()) return Reject(context, supervisor.status());
  std::optional<routing::AgentPresence> state;
  if (request->state() != v1::AGENT_STATE_UNSPECIFIED) {
    state = convert::FromProto(request->state());
    if (!state) return Reject(context, absl::InvalidArgumentError("state is not a known state"));
  }
  return QueryOnCore(
      context, core_,
      [tenant = supervisor->tenant, queue = request->queue_id(), team = request->team(), state,
       response](CoreRunner& core) {
        for (const routing::AgentView& agent : core.router().ListAgents(tenant)) {
          if (!queue.empty() && std::find(agent.queues.begin(), agent.queues.end(),
                                          routing::QueueId(queue)) == agent.queues.end()) {
            continue;
          }
          if (!team.empty() && agent.team != team) continue;
          if (state && agent.presence != *state) continue;
          convert::ToProto(agent, *response->add_agents());
        }
        return grpc::Status::OK;
      });
}

}  // namespace acd::daemon
