#pragma once

#include <cstdint>

#include "absl/status/statusor.h"
#include "daemon/event_sink.h"
#include "daemon/store.h"
#include "routing/router.h"
#include "routing/time.h"

namespace acd::daemon {

/// What a replay of the journal went through.
struct Replayed {
  std::uint64_t entries = 0;
  /// The last entry's sequence (0 for an empty journal) and time.
  std::uint64_t last_sequence = 0;
  routing::Timestamp last_at;
};

/// Applies every journaled entry to `router` (created over the journal's origin), in order and
/// at its time, publishing the events to `sink` as they were published the first time (which
/// restores stream sequence numbers). DATA_LOSS for an entry that cannot be read;
/// FAILED_PRECONDITION, naming the entry, for one the router now refuses (the configuration lost
/// a tenant, queue or agent the journal still refers to).
absl::StatusOr<Replayed> ReplayJournal(Store& store, routing::Router& router, EventSink& sink);

}  // namespace acd::daemon
