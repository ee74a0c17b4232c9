#pragma once

#include <grpcpp/server_context.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "absl/status/statusor.h"
#include "daemon/auth_config.h"
#include "daemon/clock.h"
#include "daemon/token_digest.h"
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

/// Maps the `authorization: Bearer <token>` metadata of a call, or else its verified client
/// certificate, to a principal. It holds only the SHA-256 digests of the configured secrets: a
/// presented token is hashed and its digest compared in constant time. Any thread may use it;
/// `Replace` swaps all the tokens at once (a reload), and a call sees either the old set or the
/// new one.
class Authenticator {
 public:
  /// `clock` (for tokens' expiry) must outlive the authenticator.
  Authenticator(const std::vector<TokenConfig>& tokens, const Clock& clock);

  /// From now on, `tokens` are the ones that authenticate.
  void Replace(const std::vector<TokenConfig>& tokens);

  /// The bearer token's principal; without a bearer token, the principal of a token naming the
  /// call's verified client certificate (mutual TLS). UNAUTHENTICATED when the token is
  /// malformed or unknown, or when there is neither a token nor a certificate a token names.
  absl::StatusOr<Principal> Authenticate(const grpc::ServerContextBase& context) const;

  /// As Authenticate, then PERMISSION_DENIED unless the caller holds one of `roles`.
  absl::StatusOr<Principal> Authorize(const grpc::ServerContextBase& context,
                                      std::initializer_list<Role> roles) const;

  /// Whether `tenant` has a supervisor token named `name`.
  bool HasSupervisor(const routing::TenantId& tenant, const std::string& name) const;

 private:
  struct Entry {
    TokenDigest digest;
    Principal principal;
  };
  /// Why a known token is refused now, if it is: disabled, or expired.
  struct Validity {
    std::optional<routing::Timestamp> expires_at;
    bool disabled = false;
  };
  /// What one set of tokens authenticates.
  struct Tables {
    explicit Tables(const std::vector<TokenConfig>& tokens);

    std::unordered_map<std::uint64_t, std::vector<Entry>> by_digest;
    /// By client certificate name (common name or subject alternative name).
    std::unordered_map<std::string, Principal> by_certificate;
    /// "tenant\nname" of every supervisor token.
    std::unordered_set<std::string> supervisors;
    /// By token name, for the tokens that expire or are disabled.
    std::unordered_map<std::string, Validity> validity;
  };
  /// UNAUTHENTICATED when `principal`'s token is disabled or expired.
  absl::Status CheckValid(const Tables& tables, const Principal& principal) const;

  /// The first 8 bytes of a digest: the lookup key. Which bucket a guess lands in says nothing
  /// about a secret; within it, whole digests are compared in constant time.
  static std::uint64_t BucketOf(const TokenDigest& digest);

  /// The principal of the token naming the call's client certificate, if any.
  static std::optional<Principal> ByCertificate(const Tables& tables,
                                                const grpc::ServerContextBase& context);
  std::shared_ptr<const Tables> Current() const;

  const Clock& clock_;
  mutable std::mutex mutex_;
  std::shared_ptr<const Tables> tables_;
};

}  // namespace acd::daemon
