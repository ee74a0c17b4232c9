// The SQLite store on a real file in a temporary directory, including real faults: a lock held
// by another connection, and writes refused by the file-size limit (as a full disk refuses them).

#include "daemon/sqlite_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace acd::daemon {
namespace {

using ::testing::HasSubstr;

routing::Timestamp At(int seconds) { return routing::Timestamp(std::chrono::seconds(seconds)); }

JournalRecord Record(std::uint64_t sequence, std::string command = "cmd") {
  return {
      .sequence = sequence, .at = At(static_cast<int>(sequence)), .command = std::move(command)};
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "acd-store-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<SqliteStore> Open(SqliteStoreOptions options = {}) {
    absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(dir_, options);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? std::move(*store) : nullptr;
  }

  static std::vector<JournalRecord> ReadAll(Store& store) {
    std::vector<JournalRecord> records;
    const absl::Status status = store.ReadJournal([&](const JournalRecord& record) {
      records.push_back(record);
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
    return records;
  }

  static std::vector<std::uint64_t> Sequences(const std::vector<JournalRecord>& records) {
    std::vector<std::uint64_t> sequences;
    for (const JournalRecord& record : records) sequences.push_back(record.sequence);
    return sequences;
  }

  std::filesystem::path dir_;
};

TEST_F(SqliteStoreTest, WhatIsAppendedIsReadBackAfterReopening) {
  {
    std::unique_ptr<SqliteStore> store = Open();
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->Origin().value(), std::nullopt);
    EXPECT_TRUE(ReadAll(*store).empty());
    ASSERT_TRUE(store->SetOrigin(At(100)).ok());
    const std::vector<JournalRecord> first = {Record(1), Record(2, "")};
    ASSERT_TRUE(store->Append(first).ok());
    const std::vector<JournalRecord> second = {Record(3, std::string("\0\x01\xff", 3))};
    ASSERT_TRUE(store->Append(second).ok());
  }
  std::unique_ptr<SqliteStore> store = Open({.synchronous = Synchronous::kNormal});
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->Origin().value(), At(100));
  const std::vector<JournalRecord> records = ReadAll(*store);
  ASSERT_EQ(Sequences(records), (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_EQ(records[0].at, At(1));
  EXPECT_EQ(records[0].command, "cmd");
  EXPECT_EQ(records[1].command, "");
  EXPECT_EQ(records[2].command, std::string("\0\x01\xff", 3));
}

TEST_F(SqliteStoreTest, ABatchIsWrittenWholeOrNotAtAll) {
  std::unique_ptr<SqliteStore> store = Open();
  ASSERT_NE(store, nullptr);
  const std::vector<JournalRecord> clash = {Record(1), Record(2), Record(1)};
  const absl::Status status = store->Append(clash);
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal) << status;
  EXPECT_TRUE(ReadAll(*store).empty());
  const std::vector<JournalRecord> next = {Record(1)};
  EXPECT_TRUE(store->Append(next).ok());
}

TEST_F(SqliteStoreTest, AFileLockedByAnotherProcessIsUnavailableUntilReleased) {
  std::unique_ptr<SqliteStore> store = Open({.busy_timeout = std::chrono::milliseconds(50)});
  ASSERT_NE(store, nullptr);
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / SqliteStore::kFileName).c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);

  const std::vector<JournalRecord> batch = {Record(1), Record(2)};
  const absl::Status locked = store->Append(batch);
  EXPECT_EQ(locked.code(), absl::StatusCode::kUnavailable) << locked;
  EXPECT_THAT(locked.message(), HasSubstr("locked"));

  ASSERT_EQ(sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);
  ASSERT_TRUE(store->Append(batch).ok());
  EXPECT_EQ(Sequences(ReadAll(*store)), (std::vector<std::uint64_t>{1, 2}));
}

TEST_F(SqliteStoreTest, AFullDiskIsUnavailableAndLeavesTheJournalIntact) {
  std::unique_ptr<SqliteStore> store = Open();
  ASSERT_NE(store, nullptr);
  const std::vector<JournalRecord> before = {Record(1)};
  ASSERT_TRUE(store->Append(before).ok());

  // Past the file-size limit the kernel refuses writes (EFBIG), as a full disk does (ENOSPC).
  std::signal(SIGXFSZ, SIG_IGN);
  rlimit original{};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &original), 0);
  rlimit tight = original;
  tight.rlim_cur = 64 * 1024;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &tight), 0);
  std::vector<JournalRecord> big;
  for (std::uint64_t sequence = 2; sequence < 50; ++sequence) {
    big.push_back(Record(sequence, std::string(4096, 'x')));
  }
  const absl::Status full = store->Append(big);
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &original), 0);
  EXPECT_EQ(full.code(), absl::StatusCode::kUnavailable) << full;
  EXPECT_THAT(std::string(full.message()), HasSubstr("the journal")) << full;

  // Room again: the same batch goes in, after what was there.
  ASSERT_TRUE(store->Append(big).ok());
  const std::vector<JournalRecord> records = ReadAll(*store);
  EXPECT_EQ(records.size(), 49u);
  EXPECT_EQ(records.front().command, "cmd");
}

InteractionRow Interaction(std::uint64_t contact, const std::string& customer, int ended) {
  return {.contact = contact,
          .tenant = "acme",
          .customer_id = customer,
          .external_id = "call-" + std::to_string(contact),
          .channel = routing::Channel::kChat,
          .queue = "acme.billing",
          .agent = "alice",
          .outcome = Outcome::kCompleted,
          .disposition = "resolved",
          .notes = "notes of " + std::to_string(contact),
          .started_at = At(ended - 100),
          .ended_at = At(ended),
          .wait = std::chrono::seconds(5),
          .talk = std::chrono::seconds(60)};
}

TEST_F(SqliteStoreTest, InteractionRecordsAreWrittenWithTheJournalAndReadByCustomer) {
  std::unique_ptr<SqliteStore> store = Open();
  ASSERT_NE(store, nullptr);
  JournalRecord first = Record(1);
  first.interactions = {Interaction(10, "cust-a", 1000), Interaction(11, "cust-b", 1001)};
  first.timeline = {{.contact = 10, .tenant = "acme", .at = At(900), .kind = "queued"}};
  JournalRecord second = Record(2);
  second.interactions = {Interaction(12, "cust-a", 1002), Interaction(13, "cust-a", 1003)};
  second.surveys = {{.contact = 13, .tenant = "acme", .at = At(1004), .score = 5, .comment = "ok"}};
  const std::vector<JournalRecord> batch = {first, second};
  ASSERT_TRUE(store->Append(batch).ok());

  absl::StatusOr<std::vector<std::pair<std::int64_t, InteractionRow>>> page =
      store->ReadInteractions({.tenant = "acme", .customer_id = "cust-a", .limit = 2});
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].second.contact, 13u);  // Newest first.
  EXPECT_EQ((*page)[1].second.contact, 12u);
  const InteractionRow& read = (*page)[0].second;
  EXPECT_EQ(read.notes, "notes of 13");
  EXPECT_EQ(read.channel, routing::Channel::kChat);
  EXPECT_EQ(read.wait, std::chrono::seconds(5));
  EXPECT_EQ(read.wrap_up, std::nullopt);
  EXPECT_EQ(read.ended_at, At(1003));
  EXPECT_EQ(read.csat, 5);
  EXPECT_EQ((*page)[1].second.csat, 0);

  page = store->ReadInteractions(
      {.tenant = "acme", .customer_id = "cust-a", .limit = 2, .before_id = (*page)[1].first});
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].second.contact, 10u);
  page = store->ReadInteractions({.tenant = "globex", .customer_id = "cust-a", .limit = 10});
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->empty()) << "another tenant's customer is another customer";

  // Retention: what ended before the cut goes, the rest stays.
  absl::StatusOr<int> pruned = store->PruneRecords(At(1002));
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  EXPECT_EQ(*pruned, 3);  // Two interactions and the timeline row.
  page = store->ReadInteractions({.tenant = "acme", .customer_id = "cust-a", .limit = 10});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[1].second.contact, 12u);
}

TEST_F(SqliteStoreTest, ASnapshotReplacesTheJournalBehindIt) {
  std::unique_ptr<SqliteStore> store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->LatestSnapshot().value(), std::nullopt);
  const std::vector<JournalRecord> batch = {Record(1), Record(2), Record(3), Record(4)};
  ASSERT_TRUE(store->Append(batch).ok());
  ASSERT_TRUE(store->SaveSnapshot(2, std::string("first\0", 6)).ok());
  ASSERT_TRUE(store->SaveSnapshot(3, "second").ok());
  EXPECT_EQ(Sequences(ReadAll(*store)), (std::vector<std::uint64_t>{4}));
  store.reset();
  store = Open();
  const std::optional<std::pair<std::uint64_t, std::string>> latest =
      store->LatestSnapshot().value();
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(latest->first, 3u);
  EXPECT_EQ(latest->second, "second");
}

TEST_F(SqliteStoreTest, ANewerSchemaIsRefused) {
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / SqliteStore::kFileName).c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version=99", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(dir_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(store.status().message(), HasSubstr("newer acdd"));
}

TEST_F(SqliteStoreTest, AFileThatIsNotADatabaseIsRefused) {
  {
    std::FILE* file = std::fopen((dir_ / SqliteStore::kFileName).c_str(), "w");
    ASSERT_NE(file, nullptr);
    std::fputs("this is not a database, just some text that fills a page header..........", file);
    std::fclose(file);
  }
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(dir_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kDataLoss) << store.status();
}

}  // namespace
}  // namespace acd::daemon
