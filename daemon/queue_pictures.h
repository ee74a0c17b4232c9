#pragma once

#include <google/protobuf/repeated_ptr_field.h>
#include <grpcpp/support/status.h>

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "acd/v1/supervision.pb.h"
#include "daemon/core_runner.h"
#include "routing/agent.h"
#include "routing/ids.h"

namespace acd::daemon {

/// What a supervisor asked to see of a tenant's queues: which queues (empty: all), over which
/// KPI window.
struct QueueSelection {
  routing::TenantId tenant;
  std::vector<std::string> queue_ids;
  v1::KpiWindow window = v1::KPI_WINDOW_UNSPECIFIED;
};

/// NOT_FOUND naming the first of `selection.queue_ids` the tenant does not have; INVALID_ARGUMENT
/// for an unknown window. Core strand.
grpc::Status CheckSelection(CoreRunner& core, const QueueSelection& selection);

/// Fills the selected queues' live state and KPIs, and the tenant's KPIs, as of now. Core strand.
void FillQueues(CoreRunner& core, const QueueSelection& selection,
                google::protobuf::RepeatedPtrField<v1::QueueStatus>& queues,
                v1::QueueKpis& tenant_kpis);

/// Fills the tenant's agents (members of `member_of` when not empty) that `wanted` accepts,
/// with their state, load and KPIs over `window` (a known one). Core strand.
void FillAgents(CoreRunner& core, const routing::TenantId& tenant, v1::KpiWindow window,
                std::span<const routing::QueueId> member_of,
                const std::function<bool(const routing::AgentView&)>& wanted,
                google::protobuf::RepeatedPtrField<v1::AgentStatus>& agents);

/// Fills the agents who are members of the selected queues, with KPIs over its window. Core
/// strand.
void FillMembers(CoreRunner& core, const QueueSelection& selection,
                 google::protobuf::RepeatedPtrField<v1::AgentStatus>& agents);

}  // namespace acd::daemon
