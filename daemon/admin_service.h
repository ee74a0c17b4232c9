#pragma once

#include "acd/v1/admin.grpc.pb.h"
#include "daemon/authenticator.h"
#include "daemon/clock.h"
#include "daemon/live_config.h"

namespace acd::daemon {

/// acd.v1.Admin for administrators and `acdctl`: the catalog and tokens in force and changes to
/// them, checking a configuration document, and reloading the configuration file. An admin token
/// scoped to a tenant sees and changes only that tenant, and may not create tenants or global
/// admin tokens or reload. Changes apply at once, as a reload does, and are not written to the
/// file: the next reload or restart goes back to it (and is refused, naming why, where live
/// state still needs a change made here, such as a logged-in agent added over gRPC).
class AdminService final : public v1::Admin::CallbackService {
 public:
  /// Every reference must outlive the service.
  AdminService(const Authenticator& authenticator, LiveConfig& config, const Clock& clock);

  grpc::ServerUnaryReactor* UpsertTenant(grpc::CallbackServerContext* context,
                                         const v1::UpsertTenantRequest* request,
                                         v1::UpsertTenantResponse* response) override;
  grpc::ServerUnaryReactor* RemoveTenant(grpc::CallbackServerContext* context,
                                         const v1::RemoveTenantRequest* request,
                                         v1::RemoveTenantResponse* response) override;
  grpc::ServerUnaryReactor* UpsertSkill(grpc::CallbackServerContext* context,
                                        const v1::UpsertSkillRequest* request,
                                        v1::UpsertSkillResponse* response) override;
  grpc::ServerUnaryReactor* RemoveSkill(grpc::CallbackServerContext* context,
                                        const v1::RemoveSkillRequest* request,
                                        v1::RemoveSkillResponse* response) override;
  grpc::ServerUnaryReactor* UpsertQueue(grpc::CallbackServerContext* context,
                                        const v1::UpsertQueueRequest* request,
                                        v1::UpsertQueueResponse* response) override;
  grpc::ServerUnaryReactor* RemoveQueue(grpc::CallbackServerContext* context,
                                        const v1::RemoveQueueRequest* request,
                                        v1::RemoveQueueResponse* response) override;
  grpc::ServerUnaryReactor* UpsertAgent(grpc::CallbackServerContext* context,
                                        const v1::UpsertAgentRequest* request,
                                        v1::UpsertAgentResponse* response) override;
  grpc::ServerUnaryReactor* RemoveAgent(grpc::CallbackServerContext* context,
                                        const v1::RemoveAgentRequest* request,
                                        v1::RemoveAgentResponse* response) override;
  grpc::ServerUnaryReactor* UpsertToken(grpc::CallbackServerContext* context,
                                        const v1::UpsertTokenRequest* request,
                                        v1::UpsertTokenResponse* response) override;
  grpc::ServerUnaryReactor* RemoveToken(grpc::CallbackServerContext* context,
                                        const v1::RemoveTokenRequest* request,
                                        v1::RemoveTokenResponse* response) override;

  grpc::ServerUnaryReactor* ListTenants(grpc::CallbackServerContext* context,
                                        const v1::ListTenantsRequest* request,
                                        v1::ListTenantsResponse* response) override;
  grpc::ServerUnaryReactor* ListSkills(grpc::CallbackServerContext* context,
                                       const v1::ListSkillsRequest* request,
                                       v1::ListSkillsResponse* response) override;
  grpc::ServerUnaryReactor* ListQueueConfigs(grpc::CallbackServerContext* context,
                                             const v1::ListQueueConfigsRequest* request,
                                             v1::ListQueueConfigsResponse* response) override;
  grpc::ServerUnaryReactor* ListAgentConfigs(grpc::CallbackServerContext* context,
                                             const v1::ListAgentConfigsRequest* request,
                                             v1::ListAgentConfigsResponse* response) override;
  grpc::ServerUnaryReactor* ListTokens(grpc::CallbackServerContext* context,
                                       const v1::ListTokensRequest* request,
                                       v1::ListTokensResponse* response) override;
  grpc::ServerUnaryReactor* ValidateConfig(grpc::CallbackServerContext* context,
                                           const v1::ValidateConfigRequest* request,
                                           v1::ValidateConfigResponse* response) override;
  grpc::ServerUnaryReactor* ReloadConfig(grpc::CallbackServerContext* context,
                                         const v1::ReloadConfigRequest* request,
                                         v1::ReloadConfigResponse* response) override;

 private:
  /// OK when the call's token is an admin's that manages `tenant_id`.
  absl::Status AuthorizeFor(const grpc::CallbackServerContext& context,
                            const std::string& tenant_id) const;

  const Authenticator& authenticator_;
  LiveConfig& config_;
  const Clock& clock_;
};

}  // namespace acd::daemon
