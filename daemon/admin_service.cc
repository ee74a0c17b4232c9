#include "daemon/admin_service.h"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "daemon/catalog_convert.h"
#include "daemon/config_loader.h"
#include "daemon/proto_convert.h"
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

/// Applies `edit` (see LiveConfig::Edit) and finishes the call once it is durable.
grpc::ServerUnaryReactor* ChangeConfig(grpc::CallbackServerContext* context, LiveConfig& config,
                                       LiveConfig::Edit edit) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  config.Change(std::move(edit),
                [reactor](const absl::Status& status) { reactor->Finish(ToGrpcStatus(status)); });
  return reactor;
}

/// PERMISSION_DENIED unless `admin` may manage `tenant_id` (a global admin, or one scoped to it).
absl::Status CheckScope(const Principal& admin, const std::string& tenant_id) {
  if (admin.tenant.value().empty() || admin.tenant.value() == tenant_id) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat("this admin token manages tenant '", admin.tenant.value(), "' only"));
}

template <typename Entity>
auto FindById(std::vector<Entity>& all, const std::string& tenant_id, const std::string& id) {
  return std::find_if(all.begin(), all.end(), [&](const Entity& entity) {
    return entity.tenant.value() == tenant_id && entity.id.value() == id;
  });
}

/// Takes the `kind` `id` of `tenant_id` (a queue, an agent) out of `all`: NOT_FOUND when
/// there is none.
template <typename Entity>
absl::StatusOr<Entity> TakeOut(std::vector<Entity>& all, const std::string& tenant_id,
                               const std::string& id, std::string_view kind) {
  auto found = FindById(all, tenant_id, id);
  if (found == all.end()) {
    return absl::NotFoundError(absl::StrCat(std::string(kind), " '", id, "' not found"));
  }
  Entity entity = std::move(*found);
  all.erase(found);
  return entity;
}

/// Puts `entity` in `all` in place of the one with its tenant and id, or at the end; true when
/// it is new.
template <typename Entity>
bool Put(std::vector<Entity>& all, Entity entity) {
  auto existing = FindById(all, entity.tenant.value(), entity.id.value());
  if (existing == all.end()) {
    all.push_back(std::move(entity));
    return true;
  }
  *existing = std::move(entity);
  return false;
}

routing::TenantConfig* FindTenant(DaemonConfig& config, const std::string& tenant_id) {
  for (routing::TenantConfig& tenant : config.catalog.tenants) {
    if (tenant.id.value() == tenant_id) return &tenant;
  }
  return nullptr;
}

absl::Status NoTenant(const std::string& tenant_id) {
  return absl::NotFoundError(absl::StrCat("tenant '", tenant_id, "' not found"));
}

/// A fresh bearer secret: 32 random bytes, hex.
absl::StatusOr<std::string> NewSecret() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return absl::UnavailableError("cannot draw a random secret");
  }
  std::string secret = "acd_";
  for (unsigned char byte : bytes) absl::StrAppend(&secret, absl::Hex(byte, absl::kZeroPad2));
  return secret;
}

}  // namespace

AdminService::AdminService(const Authenticator& authenticator, LiveConfig& config,
                           const Clock& clock)
    : authenticator_(authenticator), config_(config), clock_(clock) {}

absl::Status AdminService::AuthorizeFor(const grpc::CallbackServerContext& context,
                                        const std::string& tenant_id) const {
  absl::StatusOr<Principal> admin = authenticator_.Authorize(context, {Role::kAdmin});
  if (!admin.ok()) return admin.status();
  return CheckScope(*admin, tenant_id);
}

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

grpc::ServerUnaryReactor* AdminService::UpsertTenant(grpc::CallbackServerContext* context,
                                                     const v1::UpsertTenantRequest* request,
                                                     v1::UpsertTenantResponse* response) {
  absl::StatusOr<Principal> admin = authenticator_.Authorize(*context, {Role::kAdmin});
  if (!admin.ok()) return Reject(context, admin.status());
  const v1::Tenant& tenant = request->tenant();
  if (absl::Status scope = CheckScope(*admin, tenant.tenant_id()); !scope.ok()) {
    return Reject(context, scope);
  }
  return ChangeConfig(
      context, config_,
      [tenant, response, global = admin->tenant.value().empty()](
          const DaemonConfig& current) -> absl::StatusOr<DaemonConfig> {
        DaemonConfig next = current;
        routing::TenantConfig* existing = FindTenant(next, tenant.tenant_id());
        if (existing == nullptr && !global) {
          return absl::PermissionDeniedError("creating a tenant takes a global admin token");
        }
        absl::StatusOr<routing::TenantConfig> converted = convert::FromProto(tenant, existing);
        if (!converted.ok()) return converted.status();
        response->set_created(existing == nullptr);
        convert::ToProto(*converted, *response->mutable_tenant());
        if (existing != nullptr) {
          *existing = std::move(*converted);
        } else {
          next.catalog.tenants.push_back(std::move(*converted));
        }
        return next;
      });
}

grpc::ServerUnaryReactor* AdminService::RemoveTenant(grpc::CallbackServerContext* context,
                                                     const v1::RemoveTenantRequest* request,
                                                     v1::RemoveTenantResponse* response) {
  absl::StatusOr<Principal> admin = authenticator_.Authorize(*context, {Role::kAdmin});
  if (!admin.ok()) return Reject(context, admin.status());
  if (!admin->tenant.value().empty()) {
    return Reject(context,
                  absl::PermissionDeniedError("removing a tenant takes a global admin token"));
  }
  return ChangeConfig(
      context, config_,
      [tenant_id = request->tenant_id(),
       response](const DaemonConfig& current) -> absl::StatusOr<DaemonConfig> {
        DaemonConfig next = current;
        routing::TenantConfig* tenant = FindTenant(next, tenant_id);
        if (tenant == nullptr) return NoTenant(tenant_id);
        const auto belongs = [&](const auto& entity) { return entity.tenant.value() == tenant_id; };
        const auto& catalog = next.catalog;
        if (!tenant->skills.empty() ||
            std::any_of(catalog.queues.begin(), catalog.queues.end(), belongs) ||
            std::any_of(catalog.agents.begin(), catalog.agents.end(), belongs) ||
            std::any_of(next.tokens.begin(), next.tokens.end(), belongs)) {
          return absl::FailedPreconditionError(
              absl::StrCat("tenant '", tenant_id, "' still has skills, queues, agents or tokens"));
        }
        convert::ToProto(*tenant, *response->mutable_tenant());
        std::erase_if(next.catalog.tenants, [&](const routing::TenantConfig& entry) {
          return entry.id.value() == tenant_id;
        });
        return next;
      });
}

grpc::ServerUnaryReactor* AdminService::UpsertSkill(grpc::CallbackServerContext* context,
                                                    const v1::UpsertSkillRequest* request,
                                                    v1::UpsertSkillResponse* response) {
  const v1::Skill& skill = request->skill();
  if (absl::Status allowed = AuthorizeFor(*context, skill.tenant_id()); !allowed.ok()) {
    return Reject(context, allowed);
  }
  if (!convert::IsValidId(skill.skill())) {
    return Reject(context, absl::InvalidArgumentError(
                               "skill.skill must be 1-64 characters from [A-Za-z0-9._-]"));
  }
  return ChangeConfig(
      context, config_,
      [skill, response](const DaemonConfig& current) -> absl::StatusOr<DaemonConfig> {
        DaemonConfig next = current;
        routing::TenantConfig* tenant = FindTenant(next, skill.tenant_id());
        if (tenant == nullptr) return NoTenant(skill.tenant_id());
        const bool known = std::find(tenant->skills.begin(), tenant->skills.end(), skill.skill()) !=
                           tenant->skills.end();
        if (!known) tenant->skills.push_back(skill.skill());
        response->set_created(!known);
        response->mutable_skill()->set_tenant_id(skill.tenant_id());
        response->mutable_skill()->set_skill(skill.skill());
        return next;
      });
}

grpc::ServerUnaryReactor* AdminService::RemoveSkill(grpc::CallbackServerContext* context,
                                                    const v1::RemoveSkillRequest* request,
                                                    v1::RemoveSkillResponse* response) {
  if (absl::Status allowed = AuthorizeFor(*context, request->tenant_id()); !allowed.ok()) {
    return Reject(context, allowed);
  }
  return ChangeConfig(context, config_,
                      [tenant_id = request->tenant_id(), skill = request->skill(),
                       response](const DaemonConfig& current) -> absl::StatusOr<DaemonConfig> {
                        DaemonConfig next = current;
                        routing::TenantConfig* tenant = FindTenant(next, tenant_id);
                        if (tenant == nullptr) return NoTenant(tenant_id);
                        if (std::erase(tenant->skills, skill) == 0) {
                          return absl::NotFoundError(absl::StrCat("skill '", skill, "' not found"));
                        }
                        response->mutable_skill()->set_tenant_id(tenant_id);
                        response->mutable_skill()->set_skill(skill);
                        return next;
                      });
}

grpc::ServerUnaryReactor* AdminService::UpsertQueue(grpc::CallbackServerContext* context,
                                                    const v1::UpsertQueueRequest* request,
                                                    v1::UpsertQueueResponse* response) {
  if (absl::Status allowed = AuthorizeFor(*context, request->queue().tenant_id()); !allowed.ok()) {
    return Reject(context, allowed);
  }
  absl::StatusOr<routing::QueueConfig> queue = convert::FromProto(request->queue());
  if (!queue.ok()) return Reject(context, queue.status());
  return ChangeConfig(context, config_,
                      [queue = std::move(*queue),
                       response](const DaemonConfig& current) -> absl::StatusOr<DaemonConfig> {
                        DaemonConfig next = current;
                        if (FindTenant(next, queue.tenant.value()) == nullptr) {
                          return NoTenant(queue.tenant.value());
                        }
                        convert::ToProto(queue, *response->mutable_queue());
                        response->set_created(Put(next.catalog.queues, queue));
                        return next;
                      });
}

grpc::ServerUnaryReactor* AdminService::RemoveQueue(grpc::CallbackServerContext* context,
                                                    const v1::RemoveQueueRequest* request,
                                                    v1::RemoveQueueResponse* response) {
  if (absl::Status allowed = AuthorizeFor(*context, request->tenant_id()); !allowed.ok()) {
    return Reject(context, allowed);
  }
  return ChangeConfig(context, config_,
                      [tenant_id = request->tenant_id(), queue_id = request->queue_id(),
                       response](const DaemonConfig& current) -> absl::StatusOr<DaemonConfig> {
                        DaemonConfig next = current;
                        if (FindTenant(next, tenant_id) == nullptr) return NoTenant(tenant_id);
                        absl::StatusOr<routing::QueueConfig> queue =
                            TakeOut(next.catalog.queues, tenant_id, queue_id, "queue");
                        if (!queue.ok()) return queue.status();
                        convert::ToProto(*queue, *response->mutable_queue());
                        for (routing::AgentConfig& agent : next.catalog.agents)
                          std::erase(agent.queues, queue->id);
                        return next;
                      });
}

grpc::ServerUnaryReactor* AdminService::UpsertAgent(grpc::CallbackServerContext* context,
                                                    const v1::UpsertAgentRequest* request,
                                                    v1::UpsertAgentResponse* response) {
  if (absl::Status allowed = AuthorizeFor(*context, request->agent().tenant_id()); !allowed.ok()) {
    return Reject(context, allowed);
  }
  absl::StatusOr<routing::AgentConfig> agent = convert::FromProto(request->agent());
  if (!agent.ok()) return Reject(context, agent.status());
  return ChangeConfig(context, config_,
                      [agent = std::move(*agent), response](
                          const DaemonConfig& current) mutable -> absl::StatusOr<DaemonConfig> {
                        DaemonConfig next = current;
                        if (FindTenant(next, agent.tenant.value()) == nullptr) {
                          return NoTenant(agent.tenant.value());
                        }
                        for (const routing::AgentConfig& other : next.catalog.agents) {
                          if (other.id != agent.id) continue;
                          if (other.tenant != agent.tenant) {
                            return absl::FailedPreconditionError(absl::StrCat(
                                "agent id '", agent.id.value(), "' is taken in another tenant"));
                          }
                          agent.auto_accept = other.auto_accept;  // Not in the message: kept.
                        }
                        convert::ToProto(agent, *response->mutable_agent());
                        response->set_created(Put(next.catalog.agents, agent));
                        return next;
                      });
}

grpc::ServerUnaryReactor* AdminService::RemoveAgent(grpc::CallbackServerContext* context,
                                                    const v1::RemoveAgentRequest* request,
                                                    v1::RemoveAgentResponse* response) {
  if (absl::Status allowed = AuthorizeFor(*context, request->tenant_id()); !allowed.ok()) {
    return Reject(context, allowed);
  }
  return ChangeConfig(context, config_,
                      [tenant_id = request->tenant_id(), agent_id = request->agent_id(),
                       response](const DaemonConfig& current) -> absl::StatusOr<DaemonConfig> {
                        DaemonConfig next = current;
                        if (FindTenant(next, tenant_id) == nullptr) return NoTenant(tenant_id);
                        absl::StatusOr<routing::AgentConfig> agent =
                            TakeOut(next.catalog.agents, tenant_id, agent_id, "agent");
                        if (!agent.ok()) return agent.status();
                        convert::ToProto(*agent, *response->mutable_agent());
                        // Tokens bound to it stop working with it.
                        std::erase_if(next.tokens, [&](const TokenConfig& token) {
                          return token.role == Role::kAgent && token.agent == agent->id;
                        });
                        return next;
                      });
}

grpc::ServerUnaryReactor* AdminService::UpsertToken(grpc::CallbackServerContext* context,
                                                    const v1::UpsertTokenRequest* request,
                                                    v1::UpsertTokenResponse* response) {
  absl::StatusOr<Principal> admin = authenticator_.Authorize(*context, {Role::kAdmin});
  if (!admin.ok()) return Reject(context, admin.status());
  const v1::Token& token = request->token();
  if (!convert::IsValidId(token.name())) {
    return Reject(context, absl::InvalidArgumentError(
                               "token.name must be 1-64 characters from [A-Za-z0-9._-]"));
  }
  const std::optional<Role> role = convert::FromProto(token.role());
  if (!role) return Reject(context, absl::InvalidArgumentError("token.role is required"));
  if ((*role == Role::kAgent) != !token.agent_id().empty()) {
    return Reject(context, absl::InvalidArgumentError(
                               "token.agent_id is required for an AGENT token and only for one"));
  }
  if (*role != Role::kAdmin && token.tenant_id().empty()) {
    return Reject(context,
                  absl::InvalidArgumentError("token.tenant_id is required but for admins"));
  }
  std::optional<routing::Timestamp> expires_at;
  if (token.has_expires_at()) {
    absl::StatusOr<routing::Timestamp> at =
        convert::FromProto(token.expires_at(), std::string("token.expires_at"));
    if (!at.ok()) return Reject(context, at.status());
    if (*at <= clock_.Now()) {
      return Reject(context, absl::InvalidArgumentError("token.expires_at is in the past"));
    }
    expires_at = *at;
  }
  if (token.tenant_id().empty() && !admin->tenant.value().empty()) {
    return Reject(context, absl::PermissionDeniedError(
                               "a global admin token takes a global admin token to manage"));
  }
  if (!token.tenant_id().empty()) {
    if (absl::Status scope = CheckScope(*admin, token.tenant_id()); !scope.ok()) {
      return Reject(context, scope);
    }
  }
  return ChangeConfig(
      context, config_,
      [token, role = *role, expires_at, rotate = request->rotate_secret(),
       response](const DaemonConfig& current) -> absl::StatusOr<DaemonConfig> {
        DaemonConfig next = current;
        if (!token.tenant_id().empty() && FindTenant(next, token.tenant_id()) == nullptr) {
          return NoTenant(token.tenant_id());
        }
        auto existing =
            std::find_if(next.tokens.begin(), next.tokens.end(),
                         [&](const TokenConfig& entry) { return entry.name == token.name(); });
        const bool created = existing == next.tokens.end();
        if (!created && (existing->role != role || existing->tenant.value() != token.tenant_id() ||
                         existing->agent.value() != token.agent_id())) {
          return absl::FailedPreconditionError(
              "a token's role, tenant and agent cannot change: remove it and create a new one");
        }
        TokenConfig entry = created ? TokenConfig{.name = token.name(),
                                                  .role = role,
                                                  .tenant = routing::TenantId(token.tenant_id()),
                                                  .agent = routing::AgentId(token.agent_id())}
                                    : *existing;
        entry.expires_at = expires_at;
        entry.disabled = token.disabled();
        if (created || rotate) {
          absl::StatusOr<std::string> secret = NewSecret();
          if (!secret.ok()) return secret.status();
          entry.token_sha256 = DigestToken(*secret);
          entry.given_in_clear = false;
          response->set_secret(*secret);
        }
        response->set_created(created);
        convert::ToProto(entry, *response->mutable_token());
        if (created) {
          next.tokens.push_back(std::move(entry));
        } else {
          *existing = std::move(entry);
        }
        return next;
      });
}

grpc::ServerUnaryReactor* AdminService::RemoveToken(grpc::CallbackServerContext* context,
                                                    const v1::RemoveTokenRequest* request,
                                                    v1::RemoveTokenResponse* response) {
  absl::StatusOr<Principal> admin = authenticator_.Authorize(*context, {Role::kAdmin});
  if (!admin.ok()) return Reject(context, admin.status());
  if (request->tenant_id().empty() && !admin->tenant.value().empty()) {
    return Reject(context, absl::PermissionDeniedError(
                               "a global admin token takes a global admin token to manage"));
  }
  if (!request->tenant_id().empty()) {
    if (absl::Status scope = CheckScope(*admin, request->tenant_id()); !scope.ok()) {
      return Reject(context, scope);
    }
  }
  if (request->name() == admin->name) {
    return Reject(context,
                  absl::FailedPreconditionError("a token cannot remove itself: use another one"));
  }
  return ChangeConfig(context, config_,
                      [tenant_id = request->tenant_id(), name = request->name(),
                       response](const DaemonConfig& current) -> absl::StatusOr<DaemonConfig> {
                        DaemonConfig next = current;
                        auto token = std::find_if(
                            next.tokens.begin(), next.tokens.end(), [&](const TokenConfig& entry) {
                              return entry.name == name && entry.tenant.value() == tenant_id;
                            });
                        if (token == next.tokens.end()) {
                          return absl::NotFoundError(absl::StrCat("token '", name, "' not found"));
                        }
                        convert::ToProto(*token, *response->mutable_token());
                        next.tokens.erase(token);
                        return next;
                      });
}

}  // namespace acd::daemon
