#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "acd/v1/admin.pb.h"
#include "daemon/auth_config.h"
#include "routing/catalog.h"

/// The routing catalog and the tokens in the Admin service's messages.
namespace acd::daemon::convert {

void ToProto(const routing::TenantConfig& tenant, v1::Tenant& out);
void ToProto(const routing::QueueConfig& queue, v1::Queue& out);
void ToProto(const routing::AgentConfig& agent, v1::Agent& out);
/// Without the secret, which the daemon does not have.
void ToProto(const TokenConfig& token, v1::Token& out);
v1::Role ToProto(Role role);

// From the Admin service's messages: INVALID_ARGUMENT naming the field for a value of the wrong
// shape (an id, a duration, a time of day, an enum); what concerns the catalog as a whole
// (ranges, references) is Catalog::FindProblem's to say.

/// Whether `id` is 1-64 characters from [A-Za-z0-9._-].
bool IsValidId(const std::string& id);
/// `existing` (when the tenant is known) keeps its skills, which UpsertSkill manages.
absl::StatusOr<routing::TenantConfig> FromProto(const v1::Tenant& tenant,
                                                const routing::TenantConfig* existing);
absl::StatusOr<routing::QueueConfig> FromProto(const v1::Queue& queue);
absl::StatusOr<routing::AgentConfig> FromProto(const v1::Agent& agent);
std::optional<Role> FromProto(v1::Role role);

}  // namespace acd::daemon::convert
