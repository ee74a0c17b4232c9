#pragma once

#include <string>

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

}  // namespace acd::daemon::convert
