#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "daemon/daemon_config.h"

namespace acd::daemon {

/// Reads and validates the YAML configuration at `path` (format: config/example.yaml).
/// NOT_FOUND when the file does not exist; otherwise as ParseConfig, with `path` as source name.
absl::StatusOr<DaemonConfig> LoadConfigFile(const std::string& path);

/// Parses and validates a YAML configuration. Every failure is INVALID_ARGUMENT with a message
/// "SOURCE:LINE:COLUMN: what is wrong" (1-based) naming the offending key or entity, so that it can
/// be shown to the operator as is. Only the first problem is reported. Never throws.
absl::StatusOr<DaemonConfig> ParseConfig(std::string_view yaml_text, std::string_view source_name);

}  // namespace acd::daemon
