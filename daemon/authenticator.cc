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

Authenticator::Tables::Tables(const std::vector<TokenConfig>& tokens) {
  for (const TokenConfig& token : tokens) {
    const Principal principal{
        .name = token.name, .role = token.role, .tenant = token.tenant, .agent = token.agent};
    if (token.token_sha256) {
      by_digest[BucketOf(*token.token_sha256)].push_back(
          Entry{.digest = *token.token_sha256, .principal = principal});
    }
    if (!token.client_certificate.empty()) {
      by_certificate.emplace(token.client_certificate, principal);
    }
    if (token.role == Role::kSupervisor) {
      supervisors.insert(absl::StrCat(token.tenant.value(), "\n", token.name));
    }
    if (token.expires_at || token.disabled) {
      validity.emplace(token.name,
                       Validity{.expires_at = token.expires_at, .disabled = token.disabled});
    }
  }
}

Authenticator::Authenticator(const std::vector<TokenConfig>& tokens, const Clock& clock)
    : clock_(clock), tables_(std::make_shared<const Tables>(tokens)) {}

absl::Status Authenticator::CheckValid(const Tables& tables, const Principal& principal) const {
  auto it = tables.validity.find(principal.name);
  if (it == tables.validity.end()) return absl::OkStatus();
  if (it->second.disabled) return absl::UnauthenticatedError("this token is disabled");
  if (it->second.expires_at && clock_.Now() >= *it->second.expires_at) {
    return absl::UnauthenticatedError("this token has expired");
  }
  return absl::OkStatus();
}

void Authenticator::Replace(const std::vector<TokenConfig>& tokens) {
  auto tables = std::make_shared<const Tables>(tokens);
  std::lock_guard lock(mutex_);
  tables_ = std::move(tables);
}

std::shared_ptr<const Authenticator::Tables> Authenticator::Current() const {
  std::lock_guard lock(mutex_);
  return tables_;
}

std::uint64_t Authenticator::BucketOf(const TokenDigest& digest) {
  std::uint64_t bucket = 0;
  std::memcpy(&bucket, digest.data(), sizeof(bucket));
  return bucket;
}

bool Authenticator::HasSupervisor(const routing::TenantId& tenant, const std::string& name) const {
  return Current()->supervisors.contains(absl::StrCat(tenant.value(), "\n", name));
}

std::optional<Principal> Authenticator::ByCertificate(const Tables& tables,
                                                      const grpc::ServerContextBase& context) {
  if (tables.by_certificate.empty()) return std::nullopt;
  const std::shared_ptr<const grpc::AuthContext> peer = context.auth_context();
  // Client certificates are only requested, and then verified, under mutual TLS: x509
  // properties come from a certificate the client CA signed.
  if (peer == nullptr) return std::nullopt;
  for (const char* property : {"x509_common_name", "x509_subject_alternative_name"}) {
    for (const grpc::string_ref& name : peer->FindPropertyValues(property)) {
      auto principal = tables.by_certificate.find(std::string(name.data(), name.size()));
      if (principal != tables.by_certificate.end()) return principal->second;
    }
  }
  return std::nullopt;
}

absl::StatusOr<Principal> Authenticator::Authenticate(
    const grpc::ServerContextBase& context) const {
  const std::shared_ptr<const Tables> tables = Current();
  const auto& metadata = context.client_metadata();
  auto header = metadata.find("authorization");
  if (header == metadata.end()) {
    if (std::optional<Principal> principal = ByCertificate(*tables, context)) {
      if (absl::Status valid = CheckValid(*tables, *principal); !valid.ok()) return valid;
      return *principal;
    }
    return absl::UnauthenticatedError(
        "missing credentials: send metadata 'authorization: Bearer <token>'");
  }
  const std::string_view value(header->second.data(), header->second.size());
  if (!value.starts_with(kBearerPrefix)) {
    return absl::UnauthenticatedError("authorization metadata must be 'Bearer <token>'");
  }
  const TokenDigest digest = DigestToken(value.substr(kBearerPrefix.size()));
  auto bucket = tables->by_digest.find(BucketOf(digest));
  if (bucket != tables->by_digest.end()) {
    for (const Entry& entry : bucket->second) {
      if (!TokenDigestsEqual(entry.digest, digest)) continue;
      if (absl::Status valid = CheckValid(*tables, entry.principal); !valid.ok()) return valid;
      return entry.principal;
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
