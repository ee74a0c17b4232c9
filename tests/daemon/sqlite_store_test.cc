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
