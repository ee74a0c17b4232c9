#include "daemon/authenticator.h"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace acd::daemon {
namespace {

constexpr std::string_view kBearerPrefix = "Bearer ";

}  // namespace

Authenticator::Authenticator(const std::vector<TokenConfig>& tokens) {
  for (const TokenConfig& token : tokens) {
    by_digest_[BucketOf(token.token_sha256)].push_back(Entry{
        .digest = token.token_sha256,
        .principal = Principal{
            .name = token.name, .role = token.role, .tenant = token.tenant, .agent = token.agent}});
    if (token.role == Role::kSupervisor) {
      supervisors_.insert(absl::StrCat(token.tenant.value(), "\n", token.name));
    }
  }
}

std::uint64_t Authenticator::BucketOf(const TokenDigest& digest) {
  std::uint64_t bucket = 0;
  std::memcpy(&bucket, digest.data(), sizeof(bucket));
  return bucket;
}

bool Authenticator::HasSupervisor(const routing::TenantId& tenant, const std::string& name) const {
  return supervisors_.contains(absl::StrCat(tenant.value(), "\n", name));
}

absl::StatusOr<Principal> Authenticator::Authenticate(
    const grpc::CallbackServerContext& context) const {
  return Authenticate(context.client_metadata());
}

absl::StatusOr<Principal> Authenticator::Authenticate(const Metadata& metadata) const {
  auto header = metadata.find("authorization");
  if (header == metadata.end()) {
    return absl::UnauthenticatedError(
        "missing credentials: send metadata 'authorization: Bearer <token>'");
  }
  const std::string_view value(header->second.data(), header->second.size());
  if (!value.starts_with(kBearerPrefix)) {
    return absl::UnauthenticatedError("authorization metadata must be 'Bearer <token>'");
  }
  const TokenDigest digest = DigestToken(value.substr(kBearerPrefix.size()));
  auto bucket = by_digest_.find(BucketOf(digest));
  if (bucket != by_digest_.end()) {
    for (const Entry& entry : bucket->second) {
      if (TokenDigestsEqual(entry.digest, digest)) return entry.principal;
    }
  }
  return absl::UnauthenticatedError("unknown token");
}

absl::StatusOr<Principal> Authenticator::Authorize(const grpc::CallbackServerContext& context,
                                                   std::initializer_list<Role> roles) const {
  return Authorize(context.client_metadata(), roles);
}

absl::StatusOr<Principal> Authenticator::Authorize(const Metadata& metadata,
                                                   std::initializer_list<Role> roles) const {
  absl::StatusOr<Principal> principal = Authenticate(metadata);
  if (!principal.ok()) return principal;
  if (std::find(roles.begin(), roles.end(), principal->role) == roles.end()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "role '", std::string(RoleName(principal->role)), "' may not call this method"));
  }
  return principal;
}

}  // namespace acd::daemon
