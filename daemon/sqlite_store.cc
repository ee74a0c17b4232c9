#include "daemon/sqlite_store.h"

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace acd::daemon {
namespace {

/// The schema this build writes; `PRAGMA user_version` holds the file's.
constexpr int kSchemaVersion = 1;

constexpr const char* kSchema = R"sql(
  CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value ANY NOT NULL
  );
  CREATE TABLE IF NOT EXISTS journal (
    sequence INTEGER PRIMARY KEY,
    at_us INTEGER NOT NULL,
    command BLOB NOT NULL
  );
)sql";

/// Finalizes a prepared statement when it goes out of scope.
struct StatementCloser {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementCloser>;

}  // namespace

SqliteStore::SqliteStore(sqlite3* db, std::filesystem::path path)
    : db_(db), path_(std::move(path)) {}

SqliteStore::~SqliteStore() {
  sqlite3_finalize(insert_record_);
  sqlite3_close(db_);
}

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(
    const std::filesystem::path& directory, const SqliteStoreOptions& options) {
  const std::filesystem::path path = directory / kFileName;
  sqlite3* db = nullptr;
  const int opened = sqlite3_open_v2(
      path.c_str(), &db,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
      nullptr);
  std::unique_ptr<SqliteStore> store(new SqliteStore(db, path));
  if (opened != SQLITE_OK) return store->Failure(opened, "opening the database");
  sqlite3_busy_timeout(db, static_cast<int>(options.busy_timeout.count()));

  // journal_mode answers with the mode it ended up in: a file system without shared memory
  // support would leave it in another, which this store does not run on.
  {
    sqlite3_stmt* raw = nullptr;
    if (absl::Status status = store->Prepare("PRAGMA journal_mode=WAL", &raw, "enabling WAL");
        !status.ok()) {
      return status;
    }
    Statement mode(raw);
    const int step = sqlite3_step(mode.get());
    if (step != SQLITE_ROW) return store->Failure(step, "enabling WAL");
    const std::string answer = reinterpret_cast<const char*>(sqlite3_column_text(mode.get(), 0));
    if (answer != "wal") {
      return absl::UnavailableError(absl::StrCat(
          "storage: ", path.string(), " cannot use write-ahead logging (mode ", answer, ")"));
    }
  }
  const char* synchronous = options.synchronous == Synchronous::kFull ? "PRAGMA synchronous=FULL"
                                                                      : "PRAGMA synchronous=NORMAL";
  if (absl::Status status = store->Execute(synchronous, "setting synchronous"); !status.ok()) {
    return status;
  }

  int version = 0;
  {
    sqlite3_stmt* raw = nullptr;
    if (absl::Status status =
            store->Prepare("PRAGMA user_version", &raw, "reading the schema version");
        !status.ok()) {
      return status;
    }
    Statement read(raw);
    const int step = sqlite3_step(read.get());
    if (step != SQLITE_ROW) return store->Failure(step, "reading the schema version");
    version = sqlite3_column_int(read.get(), 0);
  }
  if (version > kSchemaVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat("storage: ", path.string(), " has schema version ", version,
                     ", written by a newer acdd; this one reads up to ", kSchemaVersion));
  }
  if (absl::Status status = store->Execute(kSchema, "creating the schema"); !status.ok()) {
    return status;
  }
  if (version < kSchemaVersion) {
    if (absl::Status status = store->Execute("PRAGMA user_version=1", "setting the schema version");
        !status.ok()) {
      return status;
    }
  }
  if (absl::Status status =
          store->Prepare("INSERT INTO journal (sequence, at_us, command) VALUES (?, ?, ?)",
                         &store->insert_record_, "preparing the journal insert");
      !status.ok()) {
    return status;
  }
  return store;
}

absl::Status SqliteStore::Failure(int code, const char* what) const {
  const char* message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(code);
  std::string text = absl::StrCat("storage: ", what, " in ", path_.string(), " failed: ", message);
  switch (code & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::DataLossError(std::move(text));
    case SQLITE_CONSTRAINT:  // A sequence written twice: a bug, not a passing fault.
      return absl::InternalError(std::move(text));
    default:
      // Disk full, I/O errors, a lock held elsewhere, a read-only file: the write may work later.
      return absl::UnavailableError(std::move(text));
  }
}

absl::Status SqliteStore::Prepare(const char* sql, sqlite3_stmt** statement, const char* what) {
  const int code = sqlite3_prepare_v2(db_, sql, -1, statement, nullptr);
  return code == SQLITE_OK ? absl::OkStatus() : Failure(code, what);
}

absl::Status SqliteStore::Execute(const char* sql, const char* what) {
  const int code = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  return code == SQLITE_OK ? absl::OkStatus() : Failure(code, what);
}

absl::StatusOr<std::optional<routing::Timestamp>> SqliteStore::Origin() {
  sqlite3_stmt* raw = nullptr;
  if (absl::Status status =
          Prepare("SELECT value FROM meta WHERE key = 'origin_us'", &raw, "reading the origin");
      !status.ok()) {
    return status;
  }
  Statement read(raw);
  const int step = sqlite3_step(read.get());
  if (step == SQLITE_DONE) return std::nullopt;
  if (step != SQLITE_ROW) return Failure(step, "reading the origin");
  return routing::Timestamp(routing::Duration(sqlite3_column_int64(read.get(), 0)));
}

absl::Status SqliteStore::SetOrigin(routing::Timestamp origin) {
  sqlite3_stmt* raw = nullptr;
  if (absl::Status status =
          Prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('origin_us', ?)", &raw,
                  "writing the origin");
      !status.ok()) {
    return status;
  }
  Statement write(raw);
  sqlite3_bind_int64(write.get(), 1, origin.time_since_epoch().count());
  const int step = sqlite3_step(write.get());
  return step == SQLITE_DONE ? absl::OkStatus() : Failure(step, "writing the origin");
}

absl::Status SqliteStore::ReadJournal(
    const std::function<absl::Status(const JournalRecord&)>& visit) {
  sqlite3_stmt* raw = nullptr;
  if (absl::Status status =
          Prepare("SELECT sequence, at_us, command FROM journal ORDER BY sequence", &raw,
                  "reading the journal");
      !status.ok()) {
    return status;
  }
  Statement read(raw);
  JournalRecord record;
  while (true) {
    const int step = sqlite3_step(read.get());
    if (step == SQLITE_DONE) return absl::OkStatus();
    if (step != SQLITE_ROW) return Failure(step, "reading the journal");
    record.sequence = static_cast<std::uint64_t>(sqlite3_column_int64(read.get(), 0));
    record.at = routing::Timestamp(routing::Duration(sqlite3_column_int64(read.get(), 1)));
    const auto* bytes = static_cast<const char*>(sqlite3_column_blob(read.get(), 2));
    record.command.assign(bytes == nullptr ? "" : bytes,
                          static_cast<std::size_t>(sqlite3_column_bytes(read.get(), 2)));
    if (absl::Status status = visit(record); !status.ok()) return status;
  }
}

absl::Status SqliteStore::Append(std::span<const JournalRecord> records) {
  if (records.empty()) return absl::OkStatus();
  if (absl::Status status = Execute("BEGIN IMMEDIATE", "starting a journal write"); !status.ok()) {
    return status;
  }
  for (const JournalRecord& record : records) {
    sqlite3_reset(insert_record_);
    sqlite3_bind_int64(insert_record_, 1, static_cast<sqlite3_int64>(record.sequence));
    sqlite3_bind_int64(insert_record_, 2, record.at.time_since_epoch().count());
    sqlite3_bind_blob(insert_record_, 3, record.command.data(),
                      static_cast<int>(record.command.size()), SQLITE_STATIC);
    const int step = sqlite3_step(insert_record_);
    if (step != SQLITE_DONE) {
      absl::Status failure = Failure(step, "writing the journal");
      sqlite3_reset(insert_record_);
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      return failure;
    }
  }
  sqlite3_reset(insert_record_);
  const int committed = sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
  if (committed != SQLITE_OK) {
    absl::Status failure = Failure(committed, "committing the journal");
    // A COMMIT that failed may leave the transaction open (SQLITE_BUSY); end it so that the next
    // write starts clean.
    if (sqlite3_get_autocommit(db_) == 0) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return failure;
  }
  return absl::OkStatus();
}

}  // namespace acd::daemon
