#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "routing/catalog.h"
#include "routing/time.h"

namespace acd::daemon {

/// One event in a contact's timeline, for interaction records.
struct TimelineRow {
  std::uint64_t contact = 0;
  std::string tenant;
  routing::Timestamp at;
  /// What happened ("queued", "offered", "assigned", "escalated", ...).
  std::string kind;
  std::string agent;
  std::string queue;
  /// The rest, as `key=value` words (reasons, dispositions, escalation ids); notes are not here.
  std::string detail;
};

/// How a part of a contact ended.
enum class Outcome : std::uint8_t { kCompleted, kAbandoned, kExpired, kTransferred, kEscalated };

/// One finished part of a contact (up to its completion, abandon, expiry, transfer or
/// escalation): what reports and customer history read.
struct InteractionRow {
  std::uint64_t contact = 0;
  std::string tenant;
  std::string customer_id;
  std::string external_id;
  routing::Channel channel = routing::Channel::kVoice;
  std::string queue;
  /// Who handled it; empty when nobody did.
  std::string agent;
  Outcome outcome = Outcome::kCompleted;
  std::string disposition;
  /// The agent's wrap-up notes, or the notes handed over by a transfer or escalation.
  std::string notes;
  routing::Timestamp started_at;
  routing::Timestamp ended_at;
  std::optional<routing::Duration> wait;
  std::optional<routing::Duration> talk;
  std::optional<routing::Duration> wrap_up;
  /// The contact's survey score 1-5, 0 when none; filled when read.
  int csat = 0;
};

/// A customer's satisfaction survey of a contact.
struct SurveyRow {
  std::uint64_t contact = 0;
  std::string tenant;
  routing::Timestamp at;
  int score = 0;
  /// The customer's words; stored, never logged.
  std::string comment;
};

/// One entry of the journal: a command the router applied at `at` (encoded by
/// `EncodeCommand`), or, with `command` empty, the router's timers fired up to `at`. Replaying
/// the entries in sequence over the same catalog rebuilds the router's state exactly. The
/// interaction records its events made are written with it.
struct JournalRecord {
  std::uint64_t sequence = 0;
  routing::Timestamp at;
  std::string command;
  std::vector<TimelineRow> timeline;
  std::vector<InteractionRow> interactions;
  std::vector<SurveyRow> surveys;
};

/// Which interaction records to read, newest first, `limit` at most, before `before_id` when set
/// (the id of the last record of the previous page).
struct InteractionQuery {
  std::string tenant;
  /// Each set filter narrows the result.
  std::optional<std::string> customer_id;
  std::optional<routing::Timestamp> ended_from;
  std::optional<routing::Timestamp> ended_before;
  std::optional<std::string> queue;
  std::optional<std::string> agent;
  std::optional<std::string> disposition;
  int limit = 20;
  std::optional<std::int64_t> before_id;
};

/// Where the daemon keeps what must survive it. The embedded implementation is `SqliteStore`;
/// the interface is what a shared PostgreSQL store would implement.
///
/// Failures are UNAVAILABLE (the storage cannot take the write now: disk full, I/O error, locked
/// by another process; retrying later may succeed) or DATA_LOSS (what is stored cannot be read
/// back). A failed call leaves what was stored before it intact.
///
/// Thread affinity: one thread at a time, but for `ReadInteractions`.
class Store {
 public:
  virtual ~Store() = default;

  /// When the journal's router was created; nullopt for a store that has never been written.
  virtual absl::StatusOr<std::optional<routing::Timestamp>> Origin() = 0;
  virtual absl::Status SetOrigin(routing::Timestamp origin) = 0;

  /// Calls `visit` with every record in sequence order; stops at the first error it returns.
  virtual absl::Status ReadJournal(
      const std::function<absl::Status(const JournalRecord&)>& visit) = 0;

  /// Appends `records` (in increasing sequence, after every stored one) with their interaction
  /// records, in one transaction: all of it is durable when this returns OK, none is stored when
  /// it does not.
  virtual absl::Status Append(std::span<const JournalRecord> records) = 0;

  /// Keeps `snapshot` as the state after journal entry `through` and deletes that entry and the
  /// ones before it, with any older snapshot, in one transaction.
  virtual absl::Status SaveSnapshot(std::uint64_t through, std::string_view snapshot) = 0;
  /// The latest snapshot and the journal entry it follows; nullopt when there is none.
  virtual absl::StatusOr<std::optional<std::pair<std::uint64_t, std::string>>> LatestSnapshot() = 0;

  /// Deletes interaction records that ended before `before`, a bounded number per call; returns
  /// how many went (call again while it is not zero).
  virtual absl::StatusOr<int> PruneRecords(routing::Timestamp before) = 0;

  /// Interaction records matching `query`, newest first, each with its id for paging. Any
  /// thread, beside the writer.
  virtual absl::StatusOr<std::vector<std::pair<std::int64_t, InteractionRow>>> ReadInteractions(
      const InteractionQuery& query) = 0;
};

}  // namespace acd::daemon
