#include "daemon/admin_service.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "daemon/catalog_convert.h"
#include "daemon/config_loader.h"
#include "daemon/request_limits.h"
#include "daemon/unary_reactions.h"

namespace acd::daemon {
namespace {

/// The source name problems in a ValidateConfig document are reported under.
constexpr char kDocumentSource[] = "document";

/// OK when `admin` may manage `tenant_id` of `config`: INVALID_ARGUMENT when it is empty,
/// PERMISSION_DENIED for another tenant than a scoped admin's, NOT_FOUND when unknown.
absl::Status CheckTenant(const Principal& admin, const std::string& tenant_id,
                         const DaemonConfig& config) {
  if (tenant_id.empty()) return absl::InvalidArgumentError("tenant_id is required");
  if (!admin.tenant.value().empty() && admin.tenant.value() != tenant_id) {
    return absl::PermissionDeniedError(
        absl::StrCat("this admin token manages tenant '", admin.tenant.value(), "' only"));
  }
  const auto& tenants = config.catalog.tenants;
  if (std::none_of(tenants.begin(), tenants.end(), [&](const routing::TenantConfig& tenant) {
        return tenant.id.value() == tenant_id;
      })) {
    return absl::NotFoundError(absl::StrCat("tenant '", tenant_id, "' not found"));
  }
  return absl::OkStatus();
}

void Summarise(const DaemonConfig& config, v1::ConfigSummary& out) {
  out.set_tenants(static_cast<int>(config.catalog.tenants.size()));
  int skills = 0;
  for (const routing::TenantConfig& tenant : config.catalog.tenants) {
    skills += static_cast<int>(tenant.skills.size());
  }
  out.set_skills(skills);
  out.set_queues(static_cast<int>(config.catalog.queues.size()));
  out.set_agents(static_cast<int>(config.catalog.agents.size()));
  out.set_tokens(static_cast<int>(config.tokens.size()));
}

void ToProto(const ConfigProblem& problem, v1::ConfigProblem& out) {
  out.set_line(problem.line);
  out.set_column(problem.column);
  out.set_message(problem.message);
  out.set_severity(v1::CONFIG_PROBLEM_SEVERITY_ERROR);
}

v1::ConfigChangeType ToProto(ConfigChange::Type type) {
  switch (type) {
    case ConfigChange::Type::kAdded:
      return v1::CONFIG_CHANGE_TYPE_ADDED;
    case ConfigChange::Type::kChanged:
      return v1::CONFIG_CHANGE_TYPE_CHANGED;
    case ConfigChange::Type::kRemoved:
      return v1::CONFIG_CHANGE_TYPE_REMOVED;
  }
  return v1::CONFIG_CHANGE_TYPE_UNSPECIFIED;
}

/// Answers a listing of one tenant's entities: `fill(config, tenant_id)` writes the response.
template <typename Request, typename Fill>
grpc::ServerUnaryReactor* ListOfTenant(grpc::CallbackServerContext* context,
                                       const Authenticator& authenticator, const LiveConfig& live,
                                       const Request& request, Fill fill) {
  absl::StatusOr<Principal> admin = authenticator.Authorize(*context, {Role::kAdmin});
  if (!admin.ok()) return Reject(context, admin.status());
  const std::shared_ptr<const DaemonConfig> config = live.Current();
  if (absl::Status status = CheckTenant(*admin, request.tenant_id(), *config); !status.ok()) {
    return Reject(context, status);
  }
  fill(*config, request.tenant_id());
  return Answer(context, absl::OkStatus());
}

/// Entities of `tenant_id`, ordered by `id`.
template <typename Entity, typename Id>
std::vector<const Entity*> OfTenant(const std::vector<Entity>& all, const std::string& tenant_id,
                                    Id id) {
  std::vector<const Entity*> found;
  for (const Entity& entity : all) {
    if (entity.tenant.value() == tenant_id) found.push_back(&entity);
  }
  std::sort(found.begin(), found.end(),
            [&](const Entity* a, const Entity* b) { return id(*a) < id(*b); });
  return found;
}

}  // namespace

AdminService::AdminService(const Authenticator& authenticator, LiveConfig& config)
    : authenticator_(authenticator), config_(config) {}

grpc::ServerUnaryReactor* AdminService::ListTenants(grpc::CallbackServerContext* context,
                                                    const v1::ListTenantsRequest* /*request*/,
                                                    v1::ListTenantsResponse* response) {
  absl::StatusOr<Principal> admin = authenticator_.Authorize(*context, {Role::kAdmin});
  if (!admin.ok()) return Reject(context, admin.status());
  const std::shared_ptr<const DaemonConfig> config = config_.Current();
  std::vector<const routing::TenantConfig*> tenants;
  for (const routing::TenantConfig& tenant : config->catalog.tenants) {
    if (admin->tenant.value().empty() || admin->tenant == tenant.id) tenants.push_back(&tenant);
  }
  std::sort(tenants.begin(), tenants.end(),
            [](const auto* a, const auto* b) { return a->id.value() < b->id.value(); });
  for (const routing::TenantConfig* tenant : tenants) {
    convert::ToProto(*tenant, *response->add_tenants());
  }
  return Answer(context, absl::OkStatus());
}

grpc::ServerUnaryReactor* AdminService::ListSkills(grpc::CallbackServerContext* context,
                                                   const v1::ListSkillsRequest* request,
                                                   v1::ListSkillsResponse* response) {
  return ListOfTenant(context, authenticator_, config_, *request,
                      [response](const DaemonConfig& config, const std::string& tenant_id) {
                        for (const routing::TenantConfig& tenant : config.catalog.tenants) {
                          if (tenant.id.value() != tenant_id) continue;
                          std::vector<std::string> skills = tenant.skills;
                          std::sort(skills.begin(), skills.end());
                          for (const std::string& name : skills) {
                            v1::Skill& skill = *response->add_skills();
                            skill.set_tenant_id(tenant_id);
                            skill.set_skill(name);
                          }
                        }
                      });
}

grpc::ServerUnaryReactor* AdminService::ListQueueConfigs(grpc::CallbackServerContext* context,
                                                         const v1::ListQueueConfigsRequest* request,
                                                         v1::ListQueueConfigsResponse* response) {
  return ListOfTenant(context, authenticator_, config_, *request,
                      [response](const DaemonConfig& config, const std::string& tenant_id) {
                        for (const routing::QueueConfig* queue :
                             OfTenant(config.catalog.queues, tenant_id,
                                      [](const auto& queue) { return queue.id.value(); })) {
                          convert::ToProto(*queue, *response->add_queues());
                        }
                      });
}

grpc::ServerUnaryReactor* AdminService::ListAgentConfigs(grpc::CallbackServerContext* context,
                                                         const v1::ListAgentConfigsRequest* request,
                                                         v1::ListAgentConfigsResponse* response) {
  return ListOfTenant(context, authenticator_, config_, *request,
                      [response](const DaemonConfig& config, const std::string& tenant_id) {
                        for (const routing::AgentConfig* agent :
                             OfTenant(config.catalog.agents, tenant_id,
                                      [](const auto& agent) { return agent.id.value(); })) {
                          convert::ToProto(*agent, *response->add_agents());
                        }
                      });
}

grpc::ServerUnaryReactor* AdminService::ListTokens(grpc::CallbackServerContext* context,
                                                   const v1::ListTokensRequest* request,
                                                   v1::ListTokensResponse* response) {
  absl::StatusOr<Principal> admin = authenticator_.Authorize(*context, {Role::kAdmin});
  if (!admin.ok()) return Reject(context, admin.status());
  const std::shared_ptr<const DaemonConfig> config = config_.Current();
  if (request->tenant_id().empty()) {
    if (!admin->tenant.value().empty()) {
      return Reject(context, absl::PermissionDeniedError(
                                 "only a global admin lists the global admin tokens"));
    }
  } else if (absl::Status status = CheckTenant(*admin, request->tenant_id(), *config);
             !status.ok()) {
    return Reject(context, status);
  }
  for (const TokenConfig* token : OfTenant(config->tokens, request->tenant_id(),
                                           [](const TokenConfig& token) { return token.name; })) {
    convert::ToProto(*token, *response->add_tokens());
  }
  return Answer(context, absl::OkStatus());
}

grpc::ServerUnaryReactor* AdminService::ValidateConfig(grpc::CallbackServerContext* context,
                                                       const v1::ValidateConfigRequest* request,
                                                       v1::ValidateConfigResponse* response) {
  absl::StatusOr<Principal> admin = authenticator_.Authorize(*context, {Role::kAdmin});
  if (!admin.ok()) return Reject(context, admin.status());
  if (request->yaml().size() > kMaxConfigDocumentBytes) {
    return Reject(context, absl::InvalidArgumentError("yaml is larger than 4 MiB"));
  }
  if (request->yaml().empty())
    return Reject(context, absl::InvalidArgumentError("yaml is required"));
  absl::StatusOr<DaemonConfig> parsed = ParseConfig(request->yaml(), kDocumentSource);
  response->set_valid(parsed.ok());
  if (parsed.ok()) {
    Summarise(*parsed, *response->mutable_summary());
  } else {
    ToProto(ProblemOf(parsed.status(), kDocumentSource), *response->add_problems());
  }
  return Answer(context, absl::OkStatus());
}

grpc::ServerUnaryReactor* AdminService::ReloadConfig(grpc::CallbackServerContext* context,
                                                     const v1::ReloadConfigRequest* request,
                                                     v1::ReloadConfigResponse* response) {
  absl::StatusOr<Principal> admin = authenticator_.Authorize(*context, {Role::kAdmin});
  if (!admin.ok()) return Reject(context, admin.status());
  if (!admin->tenant.value().empty()) {
    return Reject(context, absl::PermissionDeniedError(
                               "reloading the configuration takes a global admin token"));
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  response->set_config_path(config_.path());
  config_.Reload(request->dry_run(), [reactor, response](ReloadOutcome outcome) {
    if (!outcome.status.ok()) {
      reactor->Finish(ToGrpcStatus(outcome.status));
      return;
    }
    response->set_applied(outcome.applied);
    for (const ConfigProblem& problem : outcome.problems) {
      ToProto(problem, *response->add_problems());
    }
    for (const ConfigChange& change : outcome.changes) {
      v1::ConfigChange& out = *response->add_changes();
      out.set_type(ToProto(change.type));
      out.set_kind(change.kind);
      out.set_tenant_id(change.tenant);
      out.set_id(change.id);
    }
    if (outcome.read) Summarise(*outcome.read, *response->mutable_summary());
    reactor->Finish(grpc::Status::OK);
  });
  return reactor;
}

}  // namespace acd::daemon
