#pragma once

#include <cstdint>
#include <memory>

#include "absl/status/statusor.h"
#include "daemon/event_sink.h"
#include "daemon/store.h"
#include "routing/catalog.h"
#include "routing/router.h"
#include "routing/time.h"

namespace acd::daemon {

/// A router rebuilt from the store, and how.
struct Recovered {
  std::unique_ptr<routing::Router> router;
  /// Whether it started from a snapshot, and how many journal entries were replayed after it.
  bool from_snapshot = false;
  std::uint64_t entries = 0;
  /// The last journal entry applied (0 for none) and its time.
  std::uint64_t last_sequence = 0;
  routing::Timestamp last_at;
};

/// Rebuilds the router over `catalog`: from the latest snapshot when there is one (its sink
/// state goes to `sink`), else from the journal's origin (`now` for a new store), then by applying
/// every later journal entry in order and at its time, publishing the events to `sink` as they
/// were published the first time. DATA_LOSS for a snapshot or entry that cannot be read;
/// FAILED_PRECONDITION, naming it, for what the configuration no longer fits (a tenant, queue or
/// agent the saved state or an entry still refers to).
absl::StatusOr<Recovered> Recover(Store& store, const routing::Catalog& catalog, EventSink& sink,
                                  routing::Timestamp now);

}  // namespace acd::daemon
