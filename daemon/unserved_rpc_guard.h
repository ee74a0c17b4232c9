#pragma once

#include <grpcpp/support/server_interceptor.h>

#include <optional>
#include <string_view>

#include "daemon/auth_config.h"
#include "daemon/authenticator.h"

namespace acd::daemon {

/// The role each acd.v1 service requires, from a full method name ("/acd.v1.Intake/GetContact"):
/// Intake gateway, AgentDesk agent, Supervision supervisor, Admin admin. nullopt for any other
/// service (health, reflection).
std::optional<Role> ServiceRole(std::string_view full_method);

/// Makes RPCs of the contract that are not served yet authorise like served ones: a caller
/// without a valid token gets UNAUTHENTICATED and one of another role PERMISSION_DENIED, where
/// the generated default would answer UNIMPLEMENTED to anyone, telling an unauthorised caller
/// what the daemon serves. Served RPCs authorise in their handlers and are not touched: only an
/// UNIMPLEMENTED status is ever replaced. Register with ServerBuilder's interceptor creators;
/// `authenticator` must outlive the server.
class UnservedRpcGuard : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit UnservedRpcGuard(const Authenticator& authenticator) : authenticator_(authenticator) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  const Authenticator& authenticator_;
};

}  // namespace acd::daemon
