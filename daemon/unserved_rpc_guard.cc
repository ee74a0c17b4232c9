#include "daemon/unserved_rpc_guard.h"

#include <grpcpp/support/interceptor.h>

#include "daemon/status_convert.h"

namespace acd::daemon {
namespace {

using grpc::experimental::InterceptionHookPoints;

/// One call's guard: looks at the status the handler sends, nothing else.
class UnservedRpcInterceptor : public grpc::experimental::Interceptor {
 public:
  UnservedRpcInterceptor(grpc::experimental::ServerRpcInfo& info,
                         const Authenticator& authenticator, Role role)
      : info_(info), authenticator_(authenticator), role_(role) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS) &&
        methods->GetSendStatus().error_code() == grpc::StatusCode::UNIMPLEMENTED) {
      // The client's metadata has arrived: a handler runs only after it.
      absl::StatusOr<Principal> caller = authenticator_.Authorize(*info_.server_context(), {role_});
      if (!caller.ok()) methods->ModifySendStatus(ToGrpcStatus(caller.status()));
    }
    methods->Proceed();
  }

 private:
  grpc::experimental::ServerRpcInfo& info_;
  const Authenticator& authenticator_;
  const Role role_;
};

}  // namespace

std::optional<Role> ServiceRole(std::string_view full_method) {
  constexpr std::string_view kPackage = "/acd.v1.";
  if (!full_method.starts_with(kPackage)) return std::nullopt;
  const std::string_view rest = full_method.substr(kPackage.size());
  const std::string_view service = rest.substr(0, rest.find('/'));
  if (service == "Intake") return Role::kGateway;
  if (service == "AgentDesk") return Role::kAgent;
  if (service == "Supervision") return Role::kSupervisor;
  if (service == "Admin") return Role::kAdmin;
  return std::nullopt;
}

grpc::experimental::Interceptor* UnservedRpcGuard::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  if (info->method() == nullptr) return nullptr;
  const std::optional<Role> role = ServiceRole(info->method());
  if (!role) return nullptr;
  return new UnservedRpcInterceptor(*info, authenticator_, *role);
}

}  // namespace acd::daemon
