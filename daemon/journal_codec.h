#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "daemon/event_sink.h"
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

/// The state after a journal entry, from which a restart resumes instead of replaying the journal
/// up to there: the router's (`Router::Export`) and its event sink's.
struct Snapshot {
  routing::RouterState router;
  SinkState sink;
};

/// The bytes of a snapshot, in the same format as commands; and back, DataLoss naming what is
/// wrong with corrupt bytes.
std::string EncodeSnapshot(const Snapshot& snapshot);
absl::StatusOr<Snapshot> DecodeSnapshot(std::string_view bytes);

}  // namespace acd::daemon
