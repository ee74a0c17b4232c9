// The journal writer's group commits and its behaviour when the store fails, over an in-memory
// store whose writes can be held back or made to fail (the injected fault).

#include "daemon/journal_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <vector>

namespace acd::daemon {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr auto kDeadline = std::chrono::seconds(10);

routing::Timestamp At(int seconds) { return routing::Timestamp(std::chrono::seconds(seconds)); }

/// Keeps appended records in memory. A test can hold writes at the door (`Hold`/`Release`) and
/// make them fail (`Fail`).
class ScriptedStore final : public Store {
 public:
  absl::StatusOr<std::optional<routing::Timestamp>> Origin() override { return std::nullopt; }
  absl::Status SetOrigin(routing::Timestamp) override { return absl::OkStatus(); }
  absl::Status ReadJournal(const std::function<absl::Status(const JournalRecord&)>&) override {
    return absl::OkStatus();
  }
  absl::Status SaveSnapshot(std::uint64_t through, std::string_view snapshot) override {
    std::lock_guard lock(mutex_);
    snapshots_.emplace_back(through, std::string(snapshot));
    return absl::OkStatus();
  }
  absl::StatusOr<std::optional<std::pair<std::uint64_t, std::string>>> LatestSnapshot() override {
    return std::nullopt;
  }
  std::vector<std::pair<std::uint64_t, std::string>> Snapshots() {
    std::lock_guard lock(mutex_);
    return snapshots_;
  }
  absl::StatusOr<int> PruneRecords(routing::Timestamp before) override {
    std::lock_guard lock(mutex_);
    prunes_.push_back(before);
    // Two chunks' worth of old records at the first prune, then nothing.
    return prunes_.size() <= 2 ? 1000 : 0;
  }
  std::vector<routing::Timestamp> Prunes() {
    std::lock_guard lock(mutex_);
    return prunes_;
  }
  absl::StatusOr<std::vector<std::pair<std::int64_t, InteractionRow>>> ReadInteractions(
      const InteractionQuery&) override {
    return std::vector<std::pair<std::int64_t, InteractionRow>>();
  }
  absl::Status Append(std::span<const JournalRecord> records) override {
    std::unique_lock lock(mutex_);
    ++attempts_;
    changed_.notify_all();
    changed_.wait(lock, [this] { return !held_; });
    if (!failure_.ok()) return failure_;
    batches_.emplace_back(records.begin(), records.end());
    changed_.notify_all();
    return absl::OkStatus();
  }

  void Hold() {
    std::lock_guard lock(mutex_);
    held_ = true;
  }
  void Release() {
    std::lock_guard lock(mutex_);
    held_ = false;
    changed_.notify_all();
  }
  void Fail(absl::Status failure) {
    std::lock_guard lock(mutex_);
    failure_ = std::move(failure);
  }
  int Attempts() {
    std::lock_guard lock(mutex_);
    return attempts_;
  }
  /// Waits until the writer has tried to write `count` times in all.
  bool WaitForAttempts(int count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kDeadline, [&] { return attempts_ >= count; });
  }
  std::vector<std::vector<std::uint64_t>> Batches() {
    std::lock_guard lock(mutex_);
    std::vector<std::vector<std::uint64_t>> sequences;
    for (const auto& batch : batches_) {
      sequences.emplace_back();
      for (const JournalRecord& record : batch) sequences.back().push_back(record.sequence);
    }
    return sequences;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool held_ = false;
  int attempts_ = 0;
  absl::Status failure_;
  std::vector<std::vector<JournalRecord>> batches_;
  std::vector<routing::Timestamp> prunes_;
  std::vector<std::pair<std::uint64_t, std::string>> snapshots_;
};

/// The status `WhenDurable` answers with, waited for with a deadline.
std::future<absl::Status> Durable(JournalWriter& writer) {
  auto promise = std::make_shared<std::promise<absl::Status>>();
  std::future<absl::Status> future = promise->get_future();
  writer.WhenDurable([promise](const absl::Status& status) { promise->set_value(status); });
  return future;
}

TEST(JournalWriterTest, NothingPendingIsDurableAtOnce) {
  ScriptedStore store;
  JournalWriter writer(store, 1);
  std::future<absl::Status> durable = Durable(writer);
  ASSERT_EQ(durable.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  EXPECT_TRUE(durable.get().ok());
}

TEST(JournalWriterTest, EntriesAppendedDuringACommitGoInTheNextOne) {
  ScriptedStore store;
  JournalWriter writer(store, 7);
  writer.Start();
  store.Hold();
  writer.Append({.at = At(1), .command = "a"});
  std::future<absl::Status> first = Durable(writer);
  ASSERT_TRUE(store.WaitForAttempts(1));
  // The first commit is on its way: these wait for the next one, all together.
  writer.Append({.at = At(2), .command = "b"});
  writer.Append({.at = At(3), .command = ""});
  writer.Append({.at = At(4), .command = "c"});
  std::future<absl::Status> second = Durable(writer);
  EXPECT_EQ(first.wait_for(std::chrono::seconds(0)), std::future_status::timeout);
  store.Release();
  ASSERT_EQ(first.wait_for(kDeadline), std::future_status::ready);
  EXPECT_TRUE(first.get().ok());
  ASSERT_EQ(second.wait_for(kDeadline), std::future_status::ready);
  EXPECT_TRUE(second.get().ok());
  EXPECT_THAT(store.Batches(), ElementsAre(ElementsAre(7), ElementsAre(8, 9, 10)));
  EXPECT_EQ(writer.stats().commits, 2u);
  EXPECT_EQ(writer.stats().entries, 4u);
  EXPECT_EQ(writer.stats().largest_batch, 3u);
}

TEST(JournalWriterTest, AFailedWriteIsAnsweredUnavailableAndRetriedUntilItSucceeds) {
  ScriptedStore store;
  JournalWriter writer(store, 1, {.retry_interval = std::chrono::milliseconds(5)});
  store.Fail(absl::UnavailableError("storage: disk full"));
  writer.Start();
  writer.Append({.at = At(1), .command = "a"});
  writer.Append({.at = At(2), .command = "b"});
  std::future<absl::Status> refused = Durable(writer);
  ASSERT_EQ(refused.wait_for(kDeadline), std::future_status::ready);
  const absl::Status status = refused.get();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(status.message(), HasSubstr("disk full"));
  EXPECT_FALSE(writer.health().ok());
  ASSERT_TRUE(store.WaitForAttempts(3));  // It keeps trying.

  // Storage comes back while a retry is on its way (held at the store's door meanwhile), and a
  // new entry comes in behind it.
  store.Hold();
  ASSERT_TRUE(store.WaitForAttempts(store.Attempts() + 1));
  store.Fail(absl::OkStatus());
  writer.Append({.at = At(3), .command = "c"});
  std::future<absl::Status> recovered = Durable(writer);
  store.Release();
  ASSERT_EQ(recovered.wait_for(kDeadline), std::future_status::ready);
  EXPECT_TRUE(recovered.get().ok());
  EXPECT_TRUE(writer.health().ok());
  // Nothing was dropped or written twice, and the order held.
  std::vector<std::uint64_t> written;
  for (const auto& batch : store.Batches())
    written.insert(written.end(), batch.begin(), batch.end());
  EXPECT_THAT(written, ElementsAre(1, 2, 3));
  EXPECT_GE(writer.stats().failures, 2u);
}

TEST(JournalWriterTest, OldRecordsArePrunedBetweenCommitsByTheJournalsTime) {
  ScriptedStore store;
  JournalWriter writer(
      store, 1,
      {.record_retention = std::chrono::hours(24), .prune_interval = std::chrono::hours(1)});
  writer.Start();
  // Each entry is its own commit: waiting for it before appending the next.
  const auto commit = [&](int seconds) {
    writer.Append({.at = At(seconds), .command = "x"});
    std::future<absl::Status> durable = Durable(writer);
    ASSERT_EQ(durable.wait_for(kDeadline), std::future_status::ready);
    ASSERT_TRUE(durable.get().ok());
  };
  const int day = 24 * 3600;
  commit(2 * day);         // First prune: a full chunk came back, so...
  commit(2 * day + 1);     // ...again at the next commit, another full chunk...
  commit(2 * day + 2);     // ...and again: nothing left.
  commit(2 * day + 60);    // Within the hour: no prune.
  commit(2 * day + 3602);  // An hour after the last: prune.
  writer.Stop();
  EXPECT_THAT(store.Prunes(), ElementsAre(At(day), At(day + 1), At(day + 2), At(day + 3602)));
}

TEST(JournalWriterTest, ASnapshotIsSavedOnceTheEntriesItFollowsAreDurable) {
  ScriptedStore store;
  JournalWriter writer(store, 1);
  writer.Start();
  store.Hold();
  writer.Append({.at = At(1), .command = "a"});
  ASSERT_TRUE(store.WaitForAttempts(1));
  writer.Append({.at = At(2), .command = "b"});
  writer.SaveSnapshot(std::make_shared<const Snapshot>());  // The state after entry 2.
  EXPECT_TRUE(store.Snapshots().empty()) << "entry 2 is not durable yet";
  writer.Append({.at = At(3), .command = "c"});
  store.Release();
  writer.Stop();
  const std::vector<std::pair<std::uint64_t, std::string>> snapshots = store.Snapshots();
  ASSERT_EQ(snapshots.size(), 1u);
  EXPECT_EQ(snapshots[0].first, 2u);
  EXPECT_EQ(snapshots[0].second, EncodeSnapshot(Snapshot{}));
  EXPECT_EQ(writer.stats().snapshots, 1u);
  EXPECT_THAT(store.Batches(), ElementsAre(ElementsAre(1), ElementsAre(2, 3)));
}

TEST(JournalWriterTest, StoppingWritesWhatIsPendingFirst) {
  ScriptedStore store;
  JournalWriter writer(store, 1);
  writer.Start();
  store.Hold();
  writer.Append({.at = At(1), .command = "a"});
  ASSERT_TRUE(store.WaitForAttempts(1));
  writer.Append({.at = At(2), .command = "b"});
  std::future<absl::Status> durable = Durable(writer);
  store.Release();
  writer.Stop();
  ASSERT_EQ(durable.wait_for(kDeadline), std::future_status::ready);
  EXPECT_TRUE(durable.get().ok());
  EXPECT_THAT(store.Batches(), ElementsAre(ElementsAre(1), ElementsAre(2)));
}

}  // namespace
}  // namespace acd::daemon
