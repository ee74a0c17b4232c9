#include "daemon/supervision_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "daemon/interaction_pages.h"
#include "daemon/proto_convert.h"
#include "daemon/queue_pictures.h"
#include "daemon/queue_watch.h"
#include "daemon/request_limits.h"
#include "daemon/unary_reactions.h"
#include "routing/erlang_c.h"

namespace acd::daemon {
namespace {

constexpr int kDefaultPage = 100;
constexpr int kMaxPage = 1000;
/// The longest span ListInteractions reads at once.
constexpr auto kMaxInteractionSpan = std::chrono::days(31);

constexpr std::chrono::milliseconds kDefaultWatchInterval = std::chrono::seconds(1);
constexpr std::int64_t kMaxWatchIntervalSeconds = 3600;

/// The queues and window a request names, checked for size and kind (existence is the core's).
absl::StatusOr<QueueSelection> SelectionOf(
    const routing::TenantId& tenant,
    const google::protobuf::RepeatedPtrField<std::string>& queue_ids, v1::KpiWindow window) {
  if (absl::Status status = CheckCount("queue_ids", queue_ids.size()); !status.ok()) return status;
  if (!convert::FromProto(window)) {
    return absl::InvalidArgumentError("kpi_window is not a known window");
  }
  return QueueSelection{
      .tenant = tenant, .queue_ids = {queue_ids.begin(), queue_ids.end()}, .window = window};
}

/// NOT_FOUND unless `queue` is one of `queues` (the caller's tenant's).
grpc::Status QueueKnown(const std::vector<routing::QueueView>& queues, const std::string& queue) {
  const bool known = std::any_of(queues.begin(), queues.end(), [&](const routing::QueueView& view) {
    return view.id.value() == queue;
  });
  return known ? grpc::Status::OK
               : grpc::Status(grpc::StatusCode::NOT_FOUND, "queue '" + queue + "' not found");
}

}  // namespace

SupervisionService::SupervisionService(const Authenticator& authenticator, CoreRunner& core,
                                       EventHub& hub, RecordReader& records,
                                       std::size_t stream_outbox)
    : authenticator_(authenticator),
      core_(core),
      hub_(hub),
      records_(records),
      stream_outbox_(stream_outbox) {}

grpc::ServerUnaryReactor* SupervisionService::ListQueues(grpc::CallbackServerContext* context,
                                                         const v1::ListQueuesRequest* request,
                                                         v1::ListQueuesResponse* response) {
  absl::StatusOr<Principal> supervisor = authenticator_.Authorize(*context, {Role::kSupervisor});
  if (!supervisor.ok()) return Reject(context, supervisor.status());
  absl::StatusOr<QueueSelection> selection =
      SelectionOf(supervisor->tenant, request->queue_ids(), request->kpi_window());
  if (!selection.ok()) return Reject(context, selection.status());
  return QueryOnCore(
      context, core_, [selection = std::move(*selection), response](CoreRunner& core) {
        if (grpc::Status status = CheckSelection(core, selection); !status.ok()) {
          return status;
        }
        FillQueues(core, selection, *response->mutable_queues(), *response->mutable_tenant_kpis());
        convert::ToProto(core.Now(), *response->mutable_as_of());
        return grpc::Status::OK;
      });
}

grpc::ServerWriteReactor<v1::QueueSnapshot>* SupervisionService::WatchQueues(
    grpc::CallbackServerContext* context, const v1::WatchQueuesRequest* request) {
  auto stream = EventHub::QueueSnapshotStream::Create(QueueWatch::kOutbox);
  absl::StatusOr<Principal> supervisor = authenticator_.Authorize(*context, {Role::kSupervisor});
  if (!supervisor.ok()) {
    stream->Close(ToGrpcStatus(supervisor.status()));
    return stream.get();
  }
  absl::StatusOr<QueueSelection> selection =
      SelectionOf(supervisor->tenant, request->queue_ids(), request->kpi_window());
  if (!selection.ok()) {
    stream->Close(ToGrpcStatus(selection.status()));
    return stream.get();
  }
  std::chrono::milliseconds interval = kDefaultWatchInterval;
  if (request->has_interval()) {
    const google::protobuf::Duration& given = request->interval();
    if (given.seconds() < 1 || given.nanos() < 0 || given.seconds() > kMaxWatchIntervalSeconds) {
      stream->Close(
          grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "interval must be 1 s to 1 h"));
      return stream.get();
    }
    interval = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::seconds(given.seconds()) + std::chrono::nanoseconds(given.nanos()));
  }
  auto watch =
      std::make_shared<QueueWatch>(core_, stream, *selection, interval, request->include_agents());
  EventHub& hub = hub_;
  CoreRunner& core = core_;
  const EventHub::QueueSnapshotStream* key = stream.get();
  // Stop lets go of the stream, which holds this callback: no cycle outlives the call.
  stream->SetOnDone([&core, &hub, watch, key] {
    core.Post([&hub, watch, key](CoreRunner&) {
      watch->Stop();
      hub.RemoveQueueWatch(key);
    });
  });
  core_.Post([&hub, stream, watch, selection = std::move(*selection),
              token = supervisor->name](CoreRunner& runner) {
    grpc::Status status = CheckSelection(runner, selection);
    if (status.ok()) status = ToGrpcStatus(hub.AddQueueWatch(selection.tenant, token, stream));
    if (!status.ok()) {
      stream->Close(status);
      return;
    }
    stream->MarkLive();
    watch->Start();
  });
  return stream.get();
}

grpc::ServerWriteReactor<v1::EscalationEvent>* SupervisionService::WatchEscalations(
    grpc::CallbackServerContext* context, const v1::WatchEscalationsRequest* request) {
  EventHub& hub = hub_;
  CoreRunner& core = core_;
  auto stream = EventHub::EscalationStream::Create(stream_outbox_);
  const EventHub::EscalationStream* key = stream.get();
  stream->SetOnDone([&core, &hub, key] {
    core.Post([&hub, key](CoreRunner&) { hub.RemoveEscalationWatch(key); });
  });
  absl::StatusOr<Principal> supervisor = authenticator_.Authorize(*context, {Role::kSupervisor});
  if (!supervisor.ok()) {
    stream->Close(ToGrpcStatus(supervisor.status()));
    return stream.get();
  }
  if (absl::Status status = CheckLength("team", request->team(), kMaxIdBytes); !status.ok()) {
    stream->Close(ToGrpcStatus(status));
    return stream.get();
  }
  core_.Post([&hub, stream, tenant = supervisor->tenant, team = request->team(),
              token = supervisor->name, resume_after = ResumePoint(*request),
              include_open = request->include_open()](CoreRunner& runner) {
    const std::uint64_t last = hub.LastEscalationSequence(tenant);
    absl::StatusOr<std::vector<v1::EscalationEvent>> missed =
        hub.MissedEscalationEvents(tenant, team, resume_after, runner.Now());
    absl::Status status = missed.status();
    if (status.ok()) status = hub.AddEscalationWatch(tenant, team, token, stream);
    if (!status.ok()) {
      stream->Close(ToGrpcStatus(status));
      return;
    }
    stream->MarkLive();
    for (v1::EscalationEvent& event : *missed) stream->Push(std::move(event));
    if (!include_open || resume_after) return;
    // The picture as of `last`: a client that reads only these resumes from there.
    std::vector<v1::EscalationEvent> picture;
    for (const routing::EscalationView& open :
         runner.router().ListEscalations(tenant, /*open_only=*/true)) {
      v1::EscalationEvent event;
      event.set_sequence(last);
      convert::ToProto(open.created_at, *event.mutable_time());
      convert::ToProto(open, *event.mutable_escalation());
      if (EventHub::Wanted(team, event.escalation())) picture.push_back(std::move(event));
    }
    stream->PushPicture(std::move(picture));
  });
  return stream.get();
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
  if (!convert::FromProto(request->kpi_window())) {
    return Reject(context, absl::InvalidArgumentError("kpi_window is not a known window"));
  }
  return QueryOnCore(
      context, core_,
      [tenant = supervisor->tenant, queue = request->queue_id(), team = request->team(), state,
       window = request->kpi_window(), response](CoreRunner& core) {
        std::vector<routing::QueueId> member_of;
        if (!queue.empty()) member_of.emplace_back(queue);
        FillAgents(
            core, tenant, window, member_of,
            [&](const routing::AgentView& agent) {
              return (team.empty() || agent.team == team) && (!state || agent.presence == *state);
            },
            *response->mutable_agents());
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
  if (request->agent_id().empty()) {
    return Reject(context, absl::InvalidArgumentError("agent_id is required"));
  }
  for (const absl::Status& status :
       {CheckLength("agent_id", request->agent_id(), kMaxIdBytes),
        CheckLength("reason_code", request->reason_code(), kMaxIdBytes)}) {
    if (!status.ok()) return Reject(context, status);
  }
  routing::ForceAgentState command{.tenant = supervisor->tenant,
                                   .agent = routing::AgentId(request->agent_id()),
                                   .presence = *presence,
                                   .reason = request->reason_code(),
                                   .supervisor = supervisor->name};
  return RunOnCore(
      context, core_, command,
      [agent = command.agent, response](CoreRunner& core, const routing::CommandResult&) {
        convert::ToProto(core.router().FindAgent(agent).value(), *response->mutable_agent());
        return grpc::Status::OK;
      });
}

grpc::ServerUnaryReactor* SupervisionService::LogOutAgent(grpc::CallbackServerContext* context,
                                                          const v1::LogOutAgentRequest* request,
                                                          v1::LogOutAgentResponse* response) {
  absl::StatusOr<Principal> supervisor = authenticator_.Authorize(*context, {Role::kSupervisor});
  if (!supervisor.ok()) return Reject(context, supervisor.status());
  if (request->agent_id().empty()) {
    return Reject(context, absl::InvalidArgumentError("agent_id is required"));
  }
  for (const absl::Status& status : {CheckLength("agent_id", request->agent_id(), kMaxIdBytes),
                                     CheckLength("reason", request->reason(), kMaxIdBytes)}) {
    if (!status.ok()) return Reject(context, status);
  }
  // The reason is for the audit trail: the request's log line, not the agent's state.
  spdlog::info("supervisor {} logs out agent {}: {}", supervisor->name, request->agent_id(),
               request->reason());
  routing::ForceAgentState command{.tenant = supervisor->tenant,
                                   .agent = routing::AgentId(request->agent_id()),
                                   .presence = routing::AgentPresence::kLoggedOut,
                                   .supervisor = supervisor->name,
                                   .end_wrap_ups = true};
  return RunOnCore(
      context, core_, command,
      [agent = command.agent, response](CoreRunner& core, const routing::CommandResult&) {
        convert::ToProto(core.router().FindAgent(agent).value(), *response->mutable_agent());
        return grpc::Status::OK;
      });
}

grpc::ServerUnaryReactor* SupervisionService::MoveContact(grpc::CallbackServerContext* context,
                                                          const v1::MoveContactRequest* request,
                                                          v1::MoveContactResponse* response) {
  absl::StatusOr<Principal> supervisor = authenticator_.Authorize(*context, {Role::kSupervisor});
  if (!supervisor.ok()) return Reject(context, supervisor.status());
  absl::StatusOr<routing::ContactId> id = convert::ParseContactId(request->contact_id());
  if (!id.ok()) return Reject(context, id.status());
  if (request->queue_id().empty()) {
    return Reject(context, absl::InvalidArgumentError("queue_id is required"));
  }
  if (absl::Status status = CheckLength("queue_id", request->queue_id(), kMaxIdBytes);
      !status.ok()) {
    return Reject(context, status);
  }
  routing::MoveContact command{.tenant = supervisor->tenant,
                               .contact = *id,
                               .queue = routing::QueueId(request->queue_id()),
                               .by = supervisor->name};
  return RunOnCore(context, core_, std::move(command),
                   [response](CoreRunner& core, const routing::CommandResult& result) {
                     convert::ToProto(core.router().FindContact(result.contact).value(),
                                      *response->mutable_contact());
                     return grpc::Status::OK;
                   });
}

grpc::ServerUnaryReactor* SupervisionService::SetContactPriority(
    grpc::CallbackServerContext* context, const v1::SetContactPriorityRequest* request,
    v1::SetContactPriorityResponse* response) {
  absl::StatusOr<Principal> supervisor = authenticator_.Authorize(*context, {Role::kSupervisor});
  if (!supervisor.ok()) return Reject(context, supervisor.status());
  absl::StatusOr<routing::ContactId> id = convert::ParseContactId(request->contact_id());
  if (!id.ok()) return Reject(context, id.status());
  routing::UpdateContact command{.tenant = supervisor->tenant,
                                 .contact = *id,
                                 .priority = request->priority(),
                                 .by = supervisor->name};
  return RunOnCore(context, core_, std::move(command),
                   [response](CoreRunner& core, const routing::CommandResult& result) {
                     convert::ToProto(core.router().FindContact(result.contact).value(),
                                      *response->mutable_contact());
                     return grpc::Status::OK;
                   });
}

grpc::ServerUnaryReactor* SupervisionService::AssignContact(grpc::CallbackServerContext* context,
                                                            const v1::AssignContactRequest* request,
                                                            v1::AssignContactResponse* response) {
  absl::StatusOr<Principal> supervisor = authenticator_.Authorize(*context, {Role::kSupervisor});
  if (!supervisor.ok()) return Reject(context, supervisor.status());
  absl::StatusOr<routing::ContactId> id = convert::ParseContactId(request->contact_id());
  if (!id.ok()) return Reject(context, id.status());
  if (request->agent_id().empty()) {
    return Reject(context, absl::InvalidArgumentError("agent_id is required"));
  }
  if (absl::Status status = CheckLength("agent_id", request->agent_id(), kMaxIdBytes);
      !status.ok()) {
    return Reject(context, status);
  }
  routing::AssignContact command{.tenant = supervisor->tenant,
                                 .contact = *id,
                                 .agent = routing::AgentId(request->agent_id()),
                                 .by = supervisor->name};
  return RunOnCore(context, core_, std::move(command),
                   [response](CoreRunner& core, const routing::CommandResult& result) {
                     convert::ToProto(core.router().FindContact(result.contact).value(),
                                      *response->mutable_contact());
                     return grpc::Status::OK;
                   });
}

grpc::ServerUnaryReactor* SupervisionService::BroadcastMessage(
    grpc::CallbackServerContext* context, const v1::BroadcastMessageRequest* request,
    v1::BroadcastMessageResponse* response) {
  absl::StatusOr<Principal> supervisor = authenticator_.Authorize(*context, {Role::kSupervisor});
  if (!supervisor.ok()) return Reject(context, supervisor.status());
  if (request->text().empty())
    return Reject(context, absl::InvalidArgumentError("text is required"));
  for (const absl::Status& status : {CheckLength("text", request->text(), kMaxMessageBytes),
                                     CheckLength("team", request->team(), kMaxIdBytes),
                                     CheckCount("agent_ids", request->agent_ids_size())}) {
    if (!status.ok()) return Reject(context, status);
  }
  for (const std::string& agent : request->agent_ids()) {
    if (absl::Status status = CheckLength("agent_ids", agent, kMaxIdBytes); !status.ok()) {
      return Reject(context, status);
    }
  }
  v1::SupervisorMessage message;
  message.set_sender(supervisor->name);
  message.set_text(request->text());
  message.set_urgent(request->urgent());
  message.set_team(request->team());
  std::vector<routing::AgentId> named(request->agent_ids().begin(), request->agent_ids().end());
  // Read-only for the router: a message changes nothing there, so nothing waits for the journal.
  return QueryOnCore(
      context, core_,
      [this, tenant = supervisor->tenant, team = request->team(), named = std::move(named),
       message = std::move(message), response](CoreRunner& core) {
        std::vector<routing::AgentId> addressed;
        const std::vector<routing::AgentView> agents = core.router().ListAgents(tenant);
        for (const routing::AgentId& agent : named) {
          if (core.router().AgentTenant(agent) != tenant) {
            return grpc::Status(grpc::StatusCode::NOT_FOUND,
                                "agent '" + agent.value() + "' not found");
          }
        }
        const bool everyone = team.empty() && named.empty();
        for (const routing::AgentView& agent : agents) {
          const bool wanted = everyone || (!team.empty() && agent.team == team) ||
                              std::find(named.begin(), named.end(), agent.id) != named.end();
          if (wanted) addressed.push_back(agent.id);
        }
        if (!team.empty() && std::none_of(agents.begin(), agents.end(),
                                          [&](const auto& agent) { return agent.team == team; })) {
          return grpc::Status(grpc::StatusCode::NOT_FOUND, "team '" + team + "' has no agents");
        }
        const EventHub::Delivery delivery = hub_.SendMessage(addressed, message, core.Now());
        response->set_delivered(delivery.delivered);
        response->set_not_connected(delivery.not_connected);
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

grpc::ServerUnaryReactor* SupervisionService::GetStaffing(grpc::CallbackServerContext* context,
                                                          const v1::GetStaffingRequest* request,
                                                          v1::GetStaffingResponse* response) {
  absl::StatusOr<Principal> supervisor = authenticator_.Authorize(*context, {Role::kSupervisor});
  if (!supervisor.ok()) return Reject(context, supervisor.status());
  if (absl::Status status = CheckCount("queue_ids", request->queue_ids_size()); !status.ok()) {
    return Reject(context, status);
  }
  const v1::KpiWindow window = request->window() == v1::KPI_WINDOW_UNSPECIFIED
                                   ? v1::KPI_WINDOW_LAST_60_MINUTES
                                   : request->window();
  const std::optional<routing::Period> period = convert::FromProto(window);
  if (!period) return Reject(context, absl::InvalidArgumentError("window is not a known window"));
  const auto negative = [](const google::protobuf::Duration& duration) {
    return duration.seconds() < 0 || duration.nanos() < 0;
  };
  if ((request->has_arrival_rate_per_hour() && !(request->arrival_rate_per_hour() >= 0)) ||
      negative(request->aht()) || negative(request->service_level_threshold())) {
    return Reject(context, absl::InvalidArgumentError(
                               "arrival_rate_per_hour, aht and service_level_threshold must not "
                               "be negative"));
  }
  if (request->has_service_level_target() &&
      !(request->service_level_target() > 0 && request->service_level_target() < 1)) {
    return Reject(context,
                  absl::InvalidArgumentError("service_level_target must be between 0 and 1"));
  }
  if (!(request->shrinkage() >= 0 && request->shrinkage() < 1)) {
    return Reject(context, absl::InvalidArgumentError("shrinkage must be in [0, 1)"));
  }
  const auto duration_of = [](const google::protobuf::Duration& duration) {
    return std::chrono::duration_cast<routing::Duration>(
        std::chrono::seconds(duration.seconds()) + std::chrono::nanoseconds(duration.nanos()));
  };
  std::vector<std::string> wanted(request->queue_ids().begin(), request->queue_ids().end());
  return QueryOnCore(
      context, core_,
      [tenant = supervisor->tenant, wanted = std::move(wanted),
       slot = static_cast<std::size_t>(*period), request = *request,
       aht = request->has_aht() ? std::optional(duration_of(request->aht())) : std::nullopt,
       threshold = request->has_service_level_threshold()
                       ? std::optional(duration_of(request->service_level_threshold()))
                       : std::nullopt,
       response](CoreRunner& core) {
        const routing::Timestamp now = core.Now();
        const std::vector<routing::QueueView> queues = core.router().ListQueues(tenant, now);
        const std::vector<routing::QueueStatistics> statistics =
            core.router().QueueStatisticsOf(tenant, now);
        for (const std::string& id : wanted) {
          if (grpc::Status known = QueueKnown(queues, id); !known.ok()) return known;
        }
        for (std::size_t i = 0; i < queues.size(); ++i) {
          const routing::QueueView& queue = queues[i];
          if (!wanted.empty() &&
              std::find(wanted.begin(), wanted.end(), queue.id.value()) == wanted.end()) {
            continue;
          }
          const routing::QueueStatistics& stats = statistics.at(i);
          const routing::PeriodFigures& figures = stats.periods[slot];
          const double hours =
              std::max(std::chrono::duration<double, std::ratio<3600>>(now - figures.start).count(),
                       1.0 / 60);
          const auto activity = [&](routing::Activity kind) {
            return stats.agents[static_cast<std::size_t>(kind)];
          };
          routing::StaffingInputs inputs{
              .arrivals_per_hour = request.has_arrival_rate_per_hour()
                                       ? request.arrival_rate_per_hour()
                                       : figures.offered / hours,
              .aht = aht.value_or(figures.average_handle_time.value_or(routing::Duration::zero())),
              .target = request.has_service_level_target() ? request.service_level_target()
                                                           : queue.service_level_target,
              .threshold = threshold.value_or(queue.service_level_threshold),
              .shrinkage = request.shrinkage(),
              .agents_working =
                  activity(routing::Activity::kIdle) + activity(routing::Activity::kReserved) +
                  activity(routing::Activity::kBusy) + activity(routing::Activity::kWrapUp)};
          const routing::StaffingEstimate estimate = routing::EstimateStaffing(inputs);
          v1::QueueStaffing& out = *response->add_queues();
          out.set_queue_id(queue.id.value());
          out.set_available(estimate.available);
          out.set_arrival_rate_per_hour(inputs.arrivals_per_hour);
          convert::ToProto(inputs.aht, *out.mutable_aht());
          out.set_traffic_erlangs(estimate.traffic_erlangs);
          out.set_service_level_target(inputs.target);
          convert::ToProto(inputs.threshold, *out.mutable_service_level_threshold());
          out.set_agents_required(estimate.agents_required);
          out.set_agents_required_with_shrinkage(estimate.agents_required_with_shrinkage);
          out.set_predicted_service_level(estimate.predicted_service_level);
          if (estimate.predicted_asa) {
            convert::ToProto(*estimate.predicted_asa, *out.mutable_predicted_asa());
          }
          out.set_predicted_occupancy(estimate.predicted_occupancy);
          out.set_agents_logged_in(inputs.agents_working + activity(routing::Activity::kNotReady));
          out.set_current_predicted_service_level(estimate.current_service_level);
        }
        return grpc::Status::OK;
      });
}

grpc::ServerUnaryReactor* SupervisionService::ListInteractions(
    grpc::CallbackServerContext* context, const v1::ListInteractionsRequest* request,
    v1::ListInteractionsResponse* response) {
  absl::StatusOr<Principal> supervisor = authenticator_.Authorize(*context, {Role::kSupervisor});
  if (!supervisor.ok()) return Reject(context, supervisor.status());
  if (!request->has_start_time()) {
    return Reject(context, absl::InvalidArgumentError("start_time is required"));
  }
  absl::StatusOr<routing::Timestamp> start =
      convert::FromProto(request->start_time(), "start_time");
  if (!start.ok()) return Reject(context, start.status());
  std::optional<routing::Timestamp> end;
  if (request->has_end_time()) {
    absl::StatusOr<routing::Timestamp> given = convert::FromProto(request->end_time(), "end_time");
    if (!given.ok()) return Reject(context, given.status());
    end = *given;
  }
  if (request->page_size() < 0) {
    return Reject(context, absl::InvalidArgumentError("page_size must not be negative"));
  }
  const int page_size =
      request->page_size() == 0 ? kDefaultPage : std::min(request->page_size(), kMaxPage);
  InteractionQuery query{.tenant = supervisor->tenant.value(), .ended_from = *start};
  if (!request->page_token().empty()) {
    absl::StatusOr<std::uint64_t> token =
        convert::ParseId(request->page_token(), "page_token", "a page token of this daemon");
    if (!token.ok()) return Reject(context, token.status());
    query.before_id = static_cast<std::int64_t>(*token);
  }
  for (const absl::Status& status :
       {CheckLength("queue_id", request->queue_id(), kMaxIdBytes),
        CheckLength("agent_id", request->agent_id(), kMaxIdBytes),
        CheckLength("disposition_code", request->disposition_code(), kMaxIdBytes),
        CheckLength("customer_id", request->customer_id(), kMaxIdBytes)}) {
    if (!status.ok()) return Reject(context, status);
  }
  if (!request->queue_id().empty()) query.queue = request->queue_id();
  if (!request->agent_id().empty()) query.agent = request->agent_id();
  if (!request->disposition_code().empty()) query.disposition = request->disposition_code();
  if (!request->customer_id().empty()) query.customer_id = request->customer_id();
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  RecordReader& records = records_;
  core_.Post([reactor, response, query = std::move(query), end, page_size, &records,
              tenant = supervisor->tenant](CoreRunner& core) mutable {
    const routing::Timestamp until = end.value_or(core.Now());
    if (until < *query.ended_from) {
      reactor->Finish(
          grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "end_time is before start_time"));
      return;
    }
    if (until - *query.ended_from > kMaxInteractionSpan) {
      reactor->Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                   "start_time to end_time spans more than 31 days"));
      return;
    }
    if (query.queue) {
      if (grpc::Status known =
              QueueKnown(core.router().ListQueues(tenant, core.Now()), *query.queue);
          !known.ok()) {
        reactor->Finish(known);
        return;
      }
    }
    if (query.agent && core.router().AgentTenant(routing::AgentId(*query.agent)) != tenant) {
      reactor->Finish(
          grpc::Status(grpc::StatusCode::NOT_FOUND, "agent '" + *query.agent + "' not found"));
      return;
    }
    query.ended_before = until;
    ReadInteractionPage(records, core, reactor, std::move(query), page_size,
                        InteractionPage{.interactions = response->mutable_interactions(),
                                        .next_page_token = response->mutable_next_page_token()});
  });
  return reactor;
}

grpc::ServerUnaryReactor* SupervisionService::ListContacts(grpc::CallbackServerContext* context,
                                                           const v1::ListContactsRequest* request,
                                                           v1::ListContactsResponse* response) {
  absl::StatusOr<Principal> supervisor = authenticator_.Authorize(*context, {Role::kSupervisor});
  if (!supervisor.ok()) return Reject(context, supervisor.status());
  std::vector<routing::ContactState> states;
  for (const int state : request->states()) {
    switch (state) {
      case v1::CONTACT_STATE_SCHEDULED:
        states.push_back(routing::ContactState::kScheduled);
        break;
      case v1::CONTACT_STATE_QUEUED:
        states.push_back(routing::ContactState::kQueued);
        break;
      case v1::CONTACT_STATE_OFFERED:
        states.push_back(routing::ContactState::kOffered);
        break;
      case v1::CONTACT_STATE_CONNECTED:
        states.push_back(routing::ContactState::kConnected);
        break;
      case v1::CONTACT_STATE_WRAP_UP:
        states.push_back(routing::ContactState::kWrapUp);
        break;
      default:
        return Reject(context, absl::InvalidArgumentError(
                                   "states may only name live states (SCHEDULED, QUEUED, OFFERED, "
                                   "CONNECTED, WRAP_UP); finished contacts are in "
                                   "ListInteractions"));
    }
  }
  if (request->page_size() < 0) {
    return Reject(context, absl::InvalidArgumentError("page_size must not be negative"));
  }
  const int page_size =
      request->page_size() == 0 ? kDefaultPage : std::min(request->page_size(), kMaxPage);
  std::uint64_t skip = 0;
  if (!request->page_token().empty()) {
    absl::StatusOr<std::uint64_t> token =
        convert::ParseId(request->page_token(), "page_token", "a page token of this daemon");
    if (!token.ok()) return Reject(context, token.status());
    skip = *token;
  }
  for (const absl::Status& status :
       {CheckLength("queue_id", request->queue_id(), kMaxIdBytes),
        CheckLength("agent_id", request->agent_id(), kMaxIdBytes),
        CheckLength("external_id", request->external_id(), kMaxIdBytes),
        CheckLength("customer_id", request->customer_id(), kMaxIdBytes)}) {
    if (!status.ok()) return Reject(context, status);
  }
  return QueryOnCore(
      context, core_,
      [tenant = supervisor->tenant, filter = *request, states = std::move(states), page_size, skip,
       response](CoreRunner& core) {
        const routing::Router& router = core.router();
        if (!filter.queue_id().empty()) {
          if (grpc::Status known =
                  QueueKnown(router.ListQueues(tenant, core.Now()), filter.queue_id());
              !known.ok()) {
            return known;
          }
        }
        if (!filter.agent_id().empty() &&
            router.AgentTenant(routing::AgentId(filter.agent_id())) != tenant) {
          return grpc::Status(grpc::StatusCode::NOT_FOUND,
                              "agent '" + filter.agent_id() + "' not found");
        }
        std::uint64_t matched = 0;
        for (const routing::ContactView& view : router.ListContacts(tenant)) {
          if (!filter.queue_id().empty() && view.queue.value() != filter.queue_id()) continue;
          if (!filter.agent_id().empty() &&
              (!view.agent || view.agent->value() != filter.agent_id())) {
            continue;
          }
          if (!states.empty() &&
              std::find(states.begin(), states.end(), view.state) == states.end()) {
            continue;
          }
          if (!filter.external_id().empty() && view.details.external_id != filter.external_id()) {
            continue;
          }
          if (!filter.customer_id().empty() && view.details.customer.id != filter.customer_id()) {
            continue;
          }
          if (matched++ < skip) continue;
          if (response->contacts_size() == page_size) {
            // Tokens count matches: a page moves as contacts come and go.
            response->set_next_page_token(std::to_string(skip + page_size));
            break;
          }
          convert::ToProto(view, *response->add_contacts());
        }
        return grpc::Status::OK;
      });
}

}  // namespace acd::daemon
