#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "routing/time.h"

namespace acd::daemon {

/// One entry of the journal: a command the router applied at `at` (encoded by
/// `EncodeCommand`), or, with `command` empty, the router's timers fired up to `at`. Replaying
/// the entries in sequence over the same catalog rebuilds the router's state exactly.
struct JournalRecord {
  std::uint64_t sequence = 0;
  routing::Timestamp at;
  std::string command;
};

/// Where the daemon keeps what must survive it. The embedded implementation is `SqliteStore`;
/// the interface is what a shared PostgreSQL store would implement.
///
/// Failures are UNAVAILABLE (the storage cannot take the write now: disk full, I/O error, locked
/// by another process; retrying later may succeed) or DATA_LOSS (what is stored cannot be read
/// back). A failed call leaves what was stored before it intact.
///
/// Thread affinity: one thread at a time.
class Store {
 public:
  virtual ~Store() = default;

  /// When the journal's router was created; nullopt for a store that has never been written.
  virtual absl::StatusOr<std::optional<routing::Timestamp>> Origin() = 0;
  virtual absl::Status SetOrigin(routing::Timestamp origin) = 0;

  /// Calls `visit` with every record in sequence order; stops at the first error it returns.
  virtual absl::Status ReadJournal(
      const std::function<absl::Status(const JournalRecord&)>& visit) = 0;

  /// Appends `records` (in increasing sequence, after every stored one) in one transaction:
  /// every one of them is durable when this returns OK, none is stored when it does not.
  virtual absl::Status Append(std::span<const JournalRecord> records) = 0;
};

}  // namespace acd::daemon
