#pragma once

#include <grpcpp/server_context.h>

#include <initializer_list>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "absl/status/statusor.h"
#include "daemon/auth_config.h"
#include "routing/ids.h"

namespace acd::daemon {

/// Who is calling an RPC, as established from its bearer token.
struct Principal {
  /// The token's configured name (never the secret), for logs and for contact origins.
  std::string name;
  Role role = Role::kGateway;
  /// Empty only for admins, who act across tenants.
  routing::TenantId tenant;
  /// Set only for agents: the one agent this caller may act as.
  routing::AgentId agent;
};

/// Maps the `authorization: Bearer <token>` metadata of a call to a principal. Immutable after
/// construction, so any thread may use it.
class Authenticator {
 public:
  explicit Authenticator(const std::vector<TokenConfig>& tokens);

  /// UNAUTHENTICATED when the token is missing, malformed or unknown.
  absl::StatusOr<Principal> Authenticate(const grpc::CallbackServerContext& context) const;

  /// As Authenticate, then PERMISSION_DENIED unless the caller holds one of `roles`.
  absl::StatusOr<Principal> Authorize(const grpc::CallbackServerContext& context,
                                      std::initializer_list<Role> roles) const;

  /// Whether `tenant` has a supervisor token named `name`.
  bool HasSupervisor(const routing::TenantId& tenant, const std::string& name) const;

 private:
  std::unordered_map<std::string, Principal> by_token_;
  /// "tenant\nname" of every supervisor token.
  std::unordered_set<std::string> supervisors_;
};

}  // namespace acd::daemon
