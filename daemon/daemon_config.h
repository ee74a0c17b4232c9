#pragma once

#include <chrono>
#include <vector>

#include "daemon/auth_config.h"
#include "routing/catalog.h"

namespace acd::daemon {

/// Everything the daemon reads from its configuration file. A loaded config is consistent:
/// `catalog.FindProblem()` is nullopt, token secrets are unique, and every token's tenant and
/// agent exist in the catalog.
struct DaemonConfig {
  routing::Catalog catalog;
  std::vector<TokenConfig> tokens;
  /// How long interaction records are kept after their contact's part ended.
  routing::Duration record_retention = std::chrono::days(90);
};

}  // namespace acd::daemon
