#include "daemon/authenticator.h"

#include <algorithm>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace acd::daemon {
namespace {

constexpr std::string_view kBearerPrefix = "Bearer ";

}  // namespace

Authenticator::Authenticator(const std::vector<TokenConfig>& tokens) {
  for (const TokenConfig& token : tokens) {
    by_token_.emplace(
        token.token,
        Principal{
            .name = token.name, .role = token.role, .tenant = token.tenant, .agent = token.agent});
    if (token.role == Role::kSupervisor) {
      supervisors_.insert(absl::StrCat(token.tenant.value(), "\n", token.name));
    }
  }
}

bool Authenticator::HasSupervisor(const routing::TenantId& tenant, const std::string& name) const {
  return supervisors_.contains(absl::StrCat(tenant.value(), "\n", name));
}

absl::StatusOr<Principal> Authenticator::Authenticate(
    const grpc::CallbackServerContext& context) const {
  const auto& metadata = context.client_metadata();
  auto header = metadata.find("authorization");
  if (header == metadata.end()) {
    return absl::UnauthenticatedError(
        "missing credentials: send metadata 'authorization: Bearer <token>'");
  }
  const std::string_view value(header->second.data(), header->second.size());
  if (!value.starts_with(kBearerPrefix)) {
    return absl::UnauthenticatedError("authorization metadata must be 'Bearer <token>'");
  }
  auto principal = by_token_.find(std::string(value.substr(kBearerPrefix.size())));
  if (principal == by_token_.end()) return absl::UnauthenticatedError("unknown token");
  return principal->second;
}

absl::StatusOr<Principal> Authenticator::Authorize(const grpc::CallbackServerContext& context,
                                                   std::initializer_list<Role> roles) const {
  absl::StatusOr<Principal> principal = Authenticate(context);
  if (!principal.ok()) return principal;
  if (std::find(roles.begin(), roles.end(), principal->role) == roles.end()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "role '", std::string(RoleName(principal->role)), "' may not call this method"));
  }
  return principal;
}

}  // namespace acd::daemon
