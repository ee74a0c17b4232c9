#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "daemon/store.h"

struct sqlite3;
struct sqlite3_stmt;

namespace acd::daemon {

/// How hard SQLite works to make a commit survive a power cut (its `synchronous` pragma in WAL
/// mode). With kFull every commit is on disk when it returns; with kNormal a commit survives the
/// process being killed but the last ones may be lost if the machine loses power.
enum class Synchronous { kFull, kNormal };

struct SqliteStoreOptions {
  Synchronous synchronous = Synchronous::kFull;
  /// How long a write waits for a lock another process holds on the file before giving up.
  std::chrono::milliseconds busy_timeout{2000};
};

/// The embedded store: one SQLite database in WAL mode, `acd.db` in the data directory.
///
/// Thread affinity: one thread at a time, but for `ReadInteractions`.
class SqliteStore final : public Store {
 public:
  static constexpr const char* kFileName = "acd.db";

  /// Opens (creating if needed) the database in `directory`. UNAVAILABLE when the file cannot be
  /// opened or set up; FAILED_PRECONDITION when it was written by a newer acdd.
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(const std::filesystem::path& directory,
                                                           const SqliteStoreOptions& options = {});
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  absl::StatusOr<std::optional<routing::Timestamp>> Origin() override;
  absl::Status SetOrigin(routing::Timestamp origin) override;
  absl::Status ReadJournal(const std::function<absl::Status(const JournalRecord&)>& visit) override;
  absl::Status Append(std::span<const JournalRecord> records) override;
  absl::Status SaveSnapshot(std::uint64_t through, std::string_view snapshot) override;
  absl::StatusOr<std::optional<std::pair<std::uint64_t, std::string>>> LatestSnapshot() override;
  absl::StatusOr<int> PruneRecords(routing::Timestamp before) override;
  absl::StatusOr<std::vector<std::pair<std::int64_t, InteractionRow>>> ReadInteractions(
      const InteractionQuery& query) override;

 private:
  SqliteStore(sqlite3* db, std::filesystem::path path);

  absl::Status InsertRows(const JournalRecord& record);

  /// Runs statements that return no rows.
  absl::Status Execute(const char* sql, const char* what);
  /// The status for SQLite's last error on this connection, `what` saying what was being done.
  absl::Status Failure(int code, const char* what) const { return Failure(db_, code, what); }
  absl::Status Failure(sqlite3* db, int code, const char* what) const;
  absl::Status Prepare(const char* sql, sqlite3_stmt** statement, const char* what);

  sqlite3* db_;
  std::filesystem::path path_;
  sqlite3_stmt* insert_record_ = nullptr;
  sqlite3_stmt* insert_timeline_ = nullptr;
  sqlite3_stmt* insert_interaction_ = nullptr;
  sqlite3_stmt* insert_survey_ = nullptr;
  /// A second, read-only connection for `ReadInteractions`, which runs beside the writer (WAL
  /// lets readers and the writer proceed together).
  std::mutex reader_mutex_;
  sqlite3* reader_ = nullptr;
};

}  // namespace acd::daemon
