#include "daemon/authenticator.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace acd::daemon {
namespace {

constexpr std::string_view kBearerPrefix = "Bearer ";

}  // namespace

Authenticator::Authenticator(const std::vector<TokenConfig>& tokens) {
  for (const TokenConfig& token : tokens) {
    const Principal principal{
        .name = token.name, .role = token.role, .tenant = token.tenant, .agent = token.agent};
    if (token.token_sha256) {
      by_digest_[BucketOf(*token.token_sha256)].push_back(
          Entry{.digest = *token.token_sha256, .principal = principal});
    }
    if (!token.client_certificate.empty()) {
      by_certificate_.emplace(token.client_certificate, principal);
    }
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

std::optional<Principal> Authenticator::ByCertificate(
    const grpc::ServerContextBase& context) const {
  if (by_certificate_.empty()) return std::nullopt;
  const std::shared_ptr<const grpc::AuthContext> peer = context.auth_context();
  // Client certificates are only requested, and then verified, under mutual TLS: x509
  // properties come from a certificate the client CA signed.
  if (peer == nullptr) return std::nullopt;
  for (const char* property : {"x509_common_name", "x509_subject_alternative_name"}) {
    for (const grpc::string_ref& name : peer->FindPropertyValues(property)) {
      auto principal = by_certificate_.find(std::string(name.data(), name.size()));
      if (principal != by_certificate_.end()) return principal->second;
    }
  }
  return std::nullopt;
}

absl::StatusOr<Principal> Authenticator::Authenticate(
    const grpc::ServerContextBase& context) const {
  const auto& metadata = context.client_metadata();
  auto header = metadata.find("authorization");
  if (header == metadata.end()) {
    if (std::optional<Principal> principal = ByCertificate(context)) return *principal;
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

absl::StatusOr<Principal> Authenticator::Authorize(const grpc::ServerContextBase& context,
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
