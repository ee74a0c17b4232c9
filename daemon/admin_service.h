#pragma once

#include "acd/v1/admin.grpc.pb.h"
#include "daemon/authenticator.h"
#include "daemon/live_config.h"

namespace acd::daemon {

/// acd.v1.Admin for administrators and `acdctl`: the catalog and tokens in force, checking a
/// configuration document, and reloading the configuration file. An admin token scoped to a
/// tenant sees only that tenant and may not reload. The upserts and removals answer
/// UNIMPLEMENTED: the file is edited and reloaded instead.
class AdminService final : public v1::Admin::CallbackService {
 public:
  /// Both references must outlive the service.
  AdminService(const Authenticator& authenticator, LiveConfig& config);

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
  const Authenticator& authenticator_;
  LiveConfig& config_;
};

}  // namespace acd::daemon
