#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "daemon/token_digest.h"
#include "routing/ids.h"
#include "routing/time.h"

namespace acd::daemon {

/// What a bearer token may do. Each RPC names the roles it accepts.
enum class Role {
  kGateway,     ///< Telephony or chat front end: creates contacts for its tenant.
  kAgent,       ///< One agent's desk: acts as that agent only.
  kSupervisor,  ///< Watches and manages its tenant's queues and agents.
  kAdmin,       ///< Operates the daemon; across all tenants unless given one.
};

/// Lower-case configuration name of a role ("gateway", "agent", "supervisor", "admin").
inline std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kGateway:
      return "gateway";
    case Role::kAgent:
      return "agent";
    case Role::kSupervisor:
      return "supervisor";
    case Role::kAdmin:
      return "admin";
  }
  return "unknown";
}

/// Parses a configuration name as RoleName writes it; nullopt for anything else.
inline std::optional<Role> ParseRole(std::string_view name) {
  for (Role role : {Role::kGateway, Role::kAgent, Role::kSupervisor, Role::kAdmin}) {
    if (RoleName(role) == name) return role;
  }
  return std::nullopt;
}

/// One configured bearer token and the principal it authenticates.
struct TokenConfig {
  /// Shown in logs and as the origin of contacts; never the secret.
  std::string name;
  /// SHA-256 of the secret a client sends as `authorization: Bearer <secret>`; the secret
  /// itself is never kept. Unset for a token that only a client certificate presents.
  std::optional<TokenDigest> token_sha256;
  /// When set, a call without a bearer token over mutual TLS whose client certificate (verified
  /// against the client CA) has this subject common name or subject alternative name
  /// authenticates as this token.
  std::string client_certificate;
  /// Whether the configuration gave the secret in clear (`token:`, a demo convenience) rather
  /// than as `token_sha256:`.
  bool given_in_clear = false;
  Role role = Role::kGateway;
  /// Empty only for admins, who then act across all tenants.
  routing::TenantId tenant;
  /// Set only for role agent: the one agent this token may act as, of `tenant`.
  routing::AgentId agent;

  /// When it stops working (Admin.UpsertToken); unset for never.
  std::optional<routing::Timestamp> expires_at;
  /// Refused but kept (Admin.UpsertToken).
  bool disabled = false;

  /// The same token with the same credentials; how the file gave the secret does not count.
  bool operator==(const TokenConfig& other) const {
    return name == other.name && token_sha256 == other.token_sha256 &&
           client_certificate == other.client_certificate && role == other.role &&
           tenant == other.tenant && agent == other.agent && expires_at == other.expires_at &&
           disabled == other.disabled;
  }
};

}  // namespace acd::daemon
