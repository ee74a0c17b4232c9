#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "daemon/journal_codec.h"
#include "daemon/store.h"
#include "routing/time.h"

namespace acd::daemon {

/// Writes the journal on its own thread, in group commits: whatever the core appended while the
/// previous commit was on its way goes in the next transaction, so one sync covers many changes.
///
/// When a write fails the writer turns unhealthy, answers everyone waiting with UNAVAILABLE, keeps
/// the entries, and retries them every `retry_interval` until a write succeeds.
///
/// Thread affinity: `Append` from the core strand; the rest from any thread.
class JournalWriter {
 public:
  struct Options {
    std::chrono::milliseconds retry_interval{500};
    /// Most entries one transaction takes.
    std::size_t max_batch = 4096;
    /// Interaction records older than this (by the journal's time) are pruned between commits;
    /// nullopt keeps them.
    std::optional<routing::Duration> record_retention;
    /// How often, in journal time, a prune runs while there is nothing left over to prune.
    routing::Duration prune_interval = std::chrono::hours(1);
  };

  /// What the writer has done, for the benchmark and /metrics.
  struct Stats {
    std::uint64_t commits = 0;
    std::uint64_t entries = 0;
    std::size_t largest_batch = 0;
    std::uint64_t failures = 0;
    std::uint64_t snapshots = 0;
    /// Entries appended and not yet durable, as of the call to `stats()`.
    std::uint64_t pending = 0;
  };

  /// `store` must outlive the writer; `next_sequence` follows the last stored entry.
  JournalWriter(Store& store, std::uint64_t next_sequence, Options options);
  JournalWriter(Store& store, std::uint64_t next_sequence)
      : JournalWriter(store, next_sequence, Options{}) {}
  ~JournalWriter();
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;

  void Start();
  /// Writes what is pending if it can, answers whoever still waits, and joins the thread.
  void Stop();

  /// Queues an entry (its sequence is assigned here): `record.command` as `EncodeCommand` made
  /// it, empty for "timers fired up to `record.at`", with its interaction records.
  void Append(JournalRecord record);

  /// Saves `snapshot`, the state after the last entry appended, once that entry is durable, and
  /// trims the journal behind it. Encoded on the writer's thread; a newer snapshot replaces one
  /// still waiting. A snapshot that cannot be saved is logged and dropped: the journal still has
  /// everything.
  void SaveSnapshot(std::shared_ptr<const Snapshot> snapshot);

  /// Calls `done` once every entry appended so far is durable (OK), or a write of them failed
  /// (UNAVAILABLE); at once, on the caller's thread, when nothing is pending. Otherwise `done`
  /// runs on the writer's thread and must not block.
  void WhenDurable(std::function<void(absl::Status)> done);

  /// OK while writes succeed; the last failure after one fails, until a retry succeeds.
  absl::Status health() const;
  Stats stats() const;

 private:
  void Run();
  /// Prunes expired interaction records if it is time to, as of `now` (journal time). Writer
  /// thread, without the lock.
  void PruneIfDue(routing::Timestamp now);
  /// Saves the waiting snapshot if the entries it follows are durable. Writer thread, without
  /// the lock.
  void SaveSnapshotIfDue(std::shared_ptr<const Snapshot> snapshot, std::uint64_t through);

  Store& store_;
  const Options options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<JournalRecord> pending_;
  /// Waiters by the sequence that must be durable for them.
  std::vector<std::pair<std::uint64_t, std::function<void(absl::Status)>>> waiters_;
  std::uint64_t next_sequence_;
  std::uint64_t durable_through_;
  absl::Status health_;
  Stats stats_;
  bool stopping_ = false;
  /// A snapshot waiting for the entry it follows to be durable.
  std::shared_ptr<const Snapshot> snapshot_;
  std::uint64_t snapshot_through_ = 0;
  /// When the last prune ran; nullopt before the first.
  std::optional<routing::Timestamp> pruned_at_;
  /// The last prune hit its chunk limit: more is waiting.
  bool prune_left_over_ = false;
  std::thread thread_;
};

}  // namespace acd::daemon
