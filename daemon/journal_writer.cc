#include "daemon/journal_writer.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <span>

namespace acd::daemon {

JournalWriter::JournalWriter(Store& store, std::uint64_t next_sequence, Options options)
    : store_(store),
      options_(options),
      next_sequence_(next_sequence),
      durable_through_(next_sequence - 1) {}

JournalWriter::~JournalWriter() { Stop(); }

void JournalWriter::Start() {
  thread_ = std::thread([this] { Run(); });
}

void JournalWriter::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void JournalWriter::Append(JournalRecord record) {
  {
    std::lock_guard lock(mutex_);
    record.sequence = next_sequence_++;
    pending_.push_back(std::move(record));
  }
  wake_.notify_one();
}

void JournalWriter::SaveSnapshot(std::shared_ptr<const Snapshot> snapshot) {
  {
    std::lock_guard lock(mutex_);
    snapshot_ = std::move(snapshot);
    snapshot_through_ = next_sequence_ - 1;
  }
  wake_.notify_one();
}

void JournalWriter::WhenDurable(std::function<void(absl::Status)> done) {
  std::unique_lock lock(mutex_);
  const std::uint64_t last = next_sequence_ - 1;
  if (last <= durable_through_) {
    lock.unlock();
    done(absl::OkStatus());
    return;
  }
  waiters_.emplace_back(last, std::move(done));
}

absl::Status JournalWriter::health() const {
  std::lock_guard lock(mutex_);
  return health_;
}

JournalWriter::Stats JournalWriter::stats() const {
  std::lock_guard lock(mutex_);
  Stats stats = stats_;
  stats.pending = next_sequence_ - 1 - durable_through_;
  return stats;
}

void JournalWriter::Run() {
  std::vector<JournalRecord> batch;
  std::unique_lock lock(mutex_);
  while (true) {
    const auto snapshot_ready = [this] {
      return snapshot_ != nullptr && snapshot_through_ <= durable_through_;
    };
    if (health_.ok()) {
      wake_.wait(lock, [&] { return stopping_ || !pending_.empty() || snapshot_ready(); });
    } else {
      wake_.wait_for(lock, options_.retry_interval, [this] { return stopping_; });
    }
    if (snapshot_ready()) {
      std::shared_ptr<const Snapshot> snapshot = std::move(snapshot_);
      const std::uint64_t through = snapshot_through_;
      lock.unlock();
      SaveSnapshotIfDue(std::move(snapshot), through);
      lock.lock();
      continue;
    }
    if (pending_.empty()) {
      if (stopping_) break;
      continue;
    }
    const std::size_t count = std::min(pending_.size(), options_.max_batch);
    batch.assign(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(count));
    lock.unlock();
    const absl::Status written = store_.Append(std::span<const JournalRecord>(batch));
    lock.lock();

    std::vector<std::function<void(absl::Status)>> answered;
    absl::Status answer = written;
    if (written.ok()) {
      pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(count));
      durable_through_ = batch.back().sequence;
      ++stats_.commits;
      stats_.entries += count;
      stats_.largest_batch = std::max(stats_.largest_batch, count);
      if (!health_.ok()) spdlog::info("storage recovered: the journal is written again");
      health_ = absl::OkStatus();
      // Waiters are appended in sequence order: the satisfied ones are a prefix.
      auto satisfied = std::find_if(waiters_.begin(), waiters_.end(), [this](const auto& waiter) {
        return waiter.first > durable_through_;
      });
      for (auto it = waiters_.begin(); it != satisfied; ++it)
        answered.push_back(std::move(it->second));
      waiters_.erase(waiters_.begin(), satisfied);
    } else {
      if (health_.ok())
        spdlog::error("{}; retrying every {} ms", std::string(written.message()),
                      options_.retry_interval.count());
      ++stats_.failures;
      health_ = written;
      answer = absl::UnavailableError(std::string(written.message()));
      for (auto& waiter : waiters_) answered.push_back(std::move(waiter.second));
      waiters_.clear();
      if (stopping_) break;  // Shutting down: what could not be written stays unacknowledged.
    }
    lock.unlock();
    for (auto& done : answered) done(answer);
    if (written.ok()) PruneIfDue(batch.back().at);
    lock.lock();
  }
  std::vector<std::pair<std::uint64_t, std::function<void(absl::Status)>>> left;
  left.swap(waiters_);
  lock.unlock();
  for (auto& waiter : left) waiter.second(absl::UnavailableError("acdd is shutting down"));
}

void JournalWriter::SaveSnapshotIfDue(std::shared_ptr<const Snapshot> snapshot,
                                      std::uint64_t through) {
  const std::string bytes = EncodeSnapshot(*snapshot);
  if (absl::Status saved = store_.SaveSnapshot(through, bytes); !saved.ok()) {
    spdlog::warn("snapshot after journal entry {} not saved: {}", through,
                 std::string(saved.message()));
    return;
  }
  std::lock_guard lock(mutex_);
  ++stats_.snapshots;
}

void JournalWriter::PruneIfDue(routing::Timestamp now) {
  if (!options_.record_retention) return;
  if (!prune_left_over_ && pruned_at_ && now - *pruned_at_ < options_.prune_interval) return;
  pruned_at_ = now;
  const absl::StatusOr<int> pruned = store_.PruneRecords(now - *options_.record_retention);
  if (!pruned.ok()) {
    // Records kept a while longer harm nothing; the next prune tries again.
    spdlog::warn("pruning interaction records: {}", std::string(pruned.status().message()));
    prune_left_over_ = false;
    return;
  }
  prune_left_over_ = *pruned > 0;
}

}  // namespace acd::daemon
