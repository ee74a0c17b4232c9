#include "daemon/queue_pictures.h"

#include <algorithm>
#include <optional>

#include "daemon/proto_convert.h"

namespace acd::daemon {
namespace {

bool Selected(const QueueSelection& selection, const routing::QueueId& queue) {
  return selection.queue_ids.empty() ||
         std::find(selection.queue_ids.begin(), selection.queue_ids.end(), queue.value()) !=
             selection.queue_ids.end();
}

}  // namespace

grpc::Status CheckSelection(CoreRunner& core, const QueueSelection& selection) {
  if (!convert::FromProto(selection.window)) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "kpi_window is not a known window");
  }
  const std::vector<routing::QueueView> queues =
      core.router().ListQueues(selection.tenant, core.Now());
  for (const std::string& wanted : selection.queue_ids) {
    const bool known = std::any_of(queues.begin(), queues.end(),
                                   [&](const auto& queue) { return queue.id.value() == wanted; });
    if (!known)
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "queue '" + wanted + "' not found");
  }
  return grpc::Status::OK;
}

void FillQueues(CoreRunner& core, const QueueSelection& selection,
                google::protobuf::RepeatedPtrField<v1::QueueStatus>& queues,
                v1::QueueKpis& tenant_kpis) {
  const routing::Timestamp now = core.Now();
  const routing::Router& router = core.router();
  const auto slot = static_cast<std::size_t>(convert::FromProto(selection.window).value());
  // Figures for the selected queues only: a one-queue wallboard of a large tenant stays cheap.
  const std::vector<routing::QueueId> only(selection.queue_ids.begin(), selection.queue_ids.end());
  const std::vector<routing::QueueStatistics> statistics =
      router.QueueStatisticsOf(selection.tenant, now, only);
  std::size_t next = 0;  // Both in the tenant's queue order.
  for (const routing::QueueView& view : router.ListQueues(selection.tenant, now)) {
    if (!Selected(selection, view.id)) continue;
    v1::QueueStatus& status = *queues.Add();
    convert::ToProto(view, status);
    convert::ToProto(statistics.at(next++).periods[slot], selection.window, *status.mutable_kpis());
  }
  if (std::optional<routing::TenantStatistics> whole =
          router.TenantStatisticsOf(selection.tenant, now)) {
    convert::ToProto(whole->periods[slot], selection.window, tenant_kpis);
  }
}

void FillAgents(CoreRunner& core, const routing::TenantId& tenant, v1::KpiWindow window,
                std::span<const routing::QueueId> member_of,
                const std::function<bool(const routing::AgentView&)>& wanted,
                google::protobuf::RepeatedPtrField<v1::AgentStatus>& agents) {
  const routing::Router& router = core.router();
  const auto slot = static_cast<std::size_t>(convert::FromProto(window).value());
  const std::vector<routing::AgentView> views = router.ListAgents(tenant, member_of);
  // Both in the router's agent order.
  const std::vector<routing::AgentStatistics> statistics =
      router.AgentStatisticsOf(tenant, core.Now(), member_of);
  for (std::size_t i = 0; i < views.size(); ++i) {
    if (!wanted(views[i])) continue;
    v1::AgentStatus& status = *agents.Add();
    convert::ToProto(views[i], status);
    convert::ToProto(statistics.at(i).periods[slot], window, *status.mutable_kpis());
  }
}

void FillMembers(CoreRunner& core, const QueueSelection& selection,
                 google::protobuf::RepeatedPtrField<v1::AgentStatus>& agents) {
  const std::vector<routing::QueueId> member_of(selection.queue_ids.begin(),
                                                selection.queue_ids.end());
  FillAgents(
      core, selection.tenant, selection.window, member_of,
      [&](const routing::AgentView& agent) {
        return std::any_of(agent.queues.begin(), agent.queues.end(),
                           [&](const auto& queue) { return Selected(selection, queue); });
      },
      agents);
}

}  // namespace acd::daemon
