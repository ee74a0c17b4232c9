#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "routing/command.h"
#include "routing/router_state.h"

/// The binary form of the routing core's commands in the daemon's journal, which is replayed on
/// restart: old rows must keep decoding to the same commands, and a corrupt row must be refused,
/// never crash the daemon or replay as something else.
namespace acd::daemon {

/// The bytes of one command for the journal: a format version, the command's kind, its fields.
std::string EncodeCommand(const routing::Command& command);
/// The command `bytes` encode; DataLoss with a message naming what is wrong when they are
/// truncated, have trailing bytes, an unknown version or kind, or an out-of-range enum value.
absl::StatusOr<routing::Command> DecodeCommand(std::string_view bytes);

/// The bytes of a snapshot of the router's state (`Router::Export`), in the same format; and
/// back, DataLoss naming what is wrong with corrupt bytes.
std::string EncodeRouterState(const routing::RouterState& state);
absl::StatusOr<routing::RouterState> DecodeRouterState(std::string_view bytes);

}  // namespace acd::daemon
