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
namespace {

constexpr int kDefaultPage = 100;
constexpr int kMaxPage = 1000;

}  // namespace

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

grpc::ServerUnaryReactor* SupervisionService::ListEscalations(
    grpc::CallbackServerContext* context, const v1::ListEscalationsRequest* request,
    v1::ListEscalationsResponse* response) {
  absl::StatusOr<Principal> supervisor = authenticator_.Authorize(*context, {Role::kSupervisor});
  if (!supervisor.ok()) return Reject(context, supervisor.status());
  std::optional<routing::ContactId> contact;
  if (!request->contact_id().empty()) {
    absl::StatusOr<routing::ContactId> id = convert::ParseContactId(request->contact_id());
    if (!id.ok()) return Reject(context, id.status());
    contact = *id;
  }
  if (request->page_size() < 0) {
    return Reject(context, absl::InvalidArgumentError("page_size must not be negative"));
  }
  const int page_size =
      request->page_size() == 0 ? kDefaultPage : std::min(request->page_size(), kMaxPage);
  std::optional<std::uint64_t> before;
  if (!request->page_token().empty()) {
    absl::StatusOr<std::uint64_t> token =
        convert::ParseId(request->page_token(), "page_token", "a page token of this daemon");
    if (!token.ok()) return Reject(context, token.status());
    before = *token;
  }
  return QueryOnCore(
      context, core_,
      [tenant = supervisor->tenant, status = request->status(), team = request->team(), contact,
       page_size, before, response](CoreRunner& core) {
        std::vector<routing::EscalationView> escalations =
            core.router().ListEscalations(tenant, status == v1::ESCALATION_STATUS_OPEN);
        // Newest first, by id, which grows with time.
        std::sort(escalations.begin(), escalations.end(),
                  [](const auto& a, const auto& b) { return a.id.value() > b.id.value(); });
        std::uint64_t last = 0;
        for (const routing::EscalationView& escalation : escalations) {
          if (before && escalation.id.value() >= *before) continue;
          if (status == v1::ESCALATION_STATUS_RESOLVED && escalation.open) continue;
          if (!team.empty() && escalation.team != team) continue;
          if (contact && escalation.contact != *contact) continue;
          if (response->escalations_size() == page_size) {
            response->set_next_page_token(std::to_string(last));
            break;
          }
          convert::ToProto(escalation, *response->add_escalations());
          last = escalation.id.value();
        }
        return grpc::Status::OK;
      });
}

grpc::ServerUnaryReactor* SupervisionService::ResolveEscalation(
    grpc::CallbackServerContext* context, const v1::ResolveEscalationRequest* request,
    v1::ResolveEscalationResponse* response) {
  absl::StatusOr<Principal> supervisor = authenticator_.Authorize(*context, {Role::kSupervisor});
  if (!supervisor.ok()) return Reject(context, supervisor.status());
  absl::StatusOr<std::uint64_t> id =
      convert::ParseId(request->escalation_id(), "escalation_id", "an escalation id");
  if (!id.ok()) return Reject(context, id.status());
  if (absl::Status status = CheckLength("resolution", request->resolution(), kMaxNotesBytes);
      !status.ok()) {
    return Reject(context, status);
  }
  routing::ResolveEscalation command{.tenant = supervisor->tenant,
                                     .escalation = routing::EscalationId(*id),
                                     .resolved_by = supervisor->name,
                                     .resolution = request->resolution()};
  return RunOnCore(context, core_, std::move(command),
                   [response](CoreRunner& core, const routing::CommandResult& result) {
                     convert::ToProto(core.router().FindEscalation(result.escalation).value(),
                                      *response->mutable_escalation());
                     return grpc::Status::OK;
                   });
}

grpc::ServerUnaryReactor* SupervisionService::SetAgentState(grpc::CallbackServerContext* context,
                                                            const v1::SetAgentStateRequest* request,
                                                            v1::SetAgentStateResponse* response) {
  absl::StatusOr<Principal> supervisor = authenticator_.Authorize(*context, {Role::kSupervisor});
  if (!supervisor.ok()) return Reject(context, supervisor.status());
  const std::optional<routing::AgentPresence> presence = convert::FromProto(request->state());
  if (!presence) return Reject(context, absl::InvalidArgumentError("state is required"));
  for (const absl::Status& status :
       {CheckLength("agent_id", request->agent_id(), kMaxIdBytes),
        CheckLength("reason_code", request->reason_code(), kMaxIdBytes)}) {
    if (!status.ok()) return Reject(context, status);
  }
  routing::SetAgentState command{.agent = routing::AgentId(request->agent_id()),
                                 .presence = *presence,
                                 .reason = request->reason_code()};
  return ChangeOnCore(
      context, core_,
      [command = std::move(command), tenant = supervisor->tenant, response](CoreRunner& core) {
        // Another tenant's agent is as unknown as one that does not exist.
        if (core.router().AgentTenant(command.agent) != tenant) {
          return grpc::Status(grpc::StatusCode::NOT_FOUND,
                              "agent '" + command.agent.value() + "' not found");
        }
        absl::StatusOr<routing::CommandResult> result = core.Handle(command);
        if (!result.ok()) return ToGrpcStatus(result.status());
        convert::ToProto(core.router().FindAgent(command.agent).value(),
                         *response->mutable_agent());
        return grpc::Status::OK;
      });
}

grpc::ServerUnaryReactor* SupervisionService::ExplainDecision(
    grpc::CallbackServerContext* context, const v1::ExplainDecisionRequest* request,
    v1::ExplainDecisionResponse* response) {
  absl::StatusOr<Principal> supervisor = authenticator_.Authorize(*context, {Role::kSupervisor});
  if (!supervisor.ok()) return Reject(context, supervisor.status());
  absl::StatusOr<routing::ContactId> id = convert::ParseContactId(request->contact_id());
  if (!id.ok()) return Reject(context, id.status());
  return QueryOnCore(
      context, core_, [tenant = supervisor->tenant, id = *id, response](CoreRunner& core) {
        const std::optional<std::vector<routing::DecisionTrace>> traces =
            core.router().Explain(tenant, id, core.Now());
        if (!traces) {
          return grpc::Status(grpc::StatusCode::NOT_FOUND,
                              "contact " + convert::ContactIdString(id) + " not found");
        }
        for (const routing::DecisionTrace& trace : *traces) {
          convert::ToProto(trace, *response->add_decisions());
        }
        return grpc::Status::OK;
      });
}

}  // namespace acd::daemon
