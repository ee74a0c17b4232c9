#include "daemon/sqlite_store.h"

#include <sqlite3.h>

#include <cstdint>
#include <limits>
#include <optional>
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
  CREATE TABLE IF NOT EXISTS timeline (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL,
    tenant TEXT NOT NULL,
    at_us INTEGER NOT NULL,
    kind TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    queue_id TEXT NOT NULL,
    detail TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS timeline_by_contact ON timeline (contact_id, id);
  CREATE INDEX IF NOT EXISTS timeline_by_time ON timeline (at_us);
  CREATE TABLE IF NOT EXISTS interactions (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL,
    tenant TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    external_id TEXT NOT NULL,
    channel INTEGER NOT NULL,
    queue_id TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    outcome INTEGER NOT NULL,
    disposition TEXT NOT NULL,
    notes TEXT NOT NULL,
    started_at_us INTEGER NOT NULL,
    ended_at_us INTEGER NOT NULL,
    wait_us INTEGER,
    talk_us INTEGER,
    wrap_up_us INTEGER
  );
  CREATE INDEX IF NOT EXISTS interactions_by_customer ON interactions (tenant, customer_id, id);
  CREATE INDEX IF NOT EXISTS interactions_by_end ON interactions (ended_at_us);
  CREATE TABLE IF NOT EXISTS surveys (
    contact_id INTEGER PRIMARY KEY,
    tenant TEXT NOT NULL,
    at_us INTEGER NOT NULL,
    score INTEGER NOT NULL,
    comment TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS surveys_by_time ON surveys (at_us);
  CREATE TABLE IF NOT EXISTS snapshots (
    sequence INTEGER PRIMARY KEY,
    data BLOB NOT NULL
  );
)sql";

constexpr const char* kInsertTimeline =
    "INSERT INTO timeline (contact_id, tenant, at_us, kind, agent_id, queue_id, detail) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr const char* kInsertInteraction =
    "INSERT INTO interactions (contact_id, tenant, customer_id, external_id, channel, queue_id, "
    "agent_id, outcome, disposition, notes, started_at_us, ended_at_us, wait_us, talk_us, "
    "wrap_up_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr const char* kInsertSurvey =
    "INSERT INTO surveys (contact_id, tenant, at_us, score, comment) VALUES (?, ?, ?, ?, ?)";
/// Records pruned per statement, so that a prune never holds the write lock for long.
constexpr int kPruneChunk = 1000;

void BindText(sqlite3_stmt* statement, int index, const std::string& text) {
  sqlite3_bind_text(statement, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}

void BindOptionalDuration(sqlite3_stmt* statement, int index,
                          const std::optional<routing::Duration>& duration) {
  if (duration) {
    sqlite3_bind_int64(statement, index, duration->count());
  } else {
    sqlite3_bind_null(statement, index);
  }
}

std::string ColumnText(sqlite3_stmt* statement, int column) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
  return text == nullptr
             ? std::string()
             : std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(statement, column)));
}

std::optional<routing::Duration> ColumnDuration(sqlite3_stmt* statement, int column) {
  if (sqlite3_column_type(statement, column) == SQLITE_NULL) return std::nullopt;
  return routing::Duration(sqlite3_column_int64(statement, column));
}

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
  sqlite3_finalize(insert_timeline_);
  sqlite3_finalize(insert_interaction_);
  sqlite3_finalize(insert_survey_);
  sqlite3_close(reader_);
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
  for (const auto& [sql, statement] :
       {std::pair{"INSERT INTO journal (sequence, at_us, command) VALUES (?, ?, ?)",
                  &store->insert_record_},
        std::pair{kInsertTimeline, &store->insert_timeline_},
        std::pair{kInsertInteraction, &store->insert_interaction_},
        std::pair{kInsertSurvey, &store->insert_survey_}}) {
    if (absl::Status status = store->Prepare(sql, statement, "preparing the writes");
        !status.ok()) {
      return status;
    }
  }
  const int reader = sqlite3_open_v2(path.c_str(), &store->reader_,
                                     SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
  if (reader != SQLITE_OK) return store->Failure(store->reader_, reader, "opening for reads");
  sqlite3_busy_timeout(store->reader_, static_cast<int>(options.busy_timeout.count()));
  return store;
}

absl::Status SqliteStore::Failure(sqlite3* db, int code, const char* what) const {
  const char* message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
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
    absl::Status written =
        step == SQLITE_DONE ? InsertRows(record) : Failure(step, "writing the journal");
    if (!written.ok()) {
      sqlite3_reset(insert_record_);
      sqlite3_reset(insert_timeline_);
      sqlite3_reset(insert_interaction_);
      sqlite3_reset(insert_survey_);
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      return written;
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

absl::Status SqliteStore::InsertRows(const JournalRecord& record) {
  for (const TimelineRow& row : record.timeline) {
    sqlite3_stmt* insert = insert_timeline_;
    sqlite3_reset(insert);
    sqlite3_bind_int64(insert, 1, static_cast<sqlite3_int64>(row.contact));
    BindText(insert, 2, row.tenant);
    sqlite3_bind_int64(insert, 3, row.at.time_since_epoch().count());
    BindText(insert, 4, row.kind);
    BindText(insert, 5, row.agent);
    BindText(insert, 6, row.queue);
    BindText(insert, 7, row.detail);
    if (const int step = sqlite3_step(insert); step != SQLITE_DONE) {
      return Failure(step, "writing a timeline");
    }
  }
  for (const InteractionRow& row : record.interactions) {
    sqlite3_stmt* insert = insert_interaction_;
    sqlite3_reset(insert);
    sqlite3_bind_int64(insert, 1, static_cast<sqlite3_int64>(row.contact));
    BindText(insert, 2, row.tenant);
    BindText(insert, 3, row.customer_id);
    BindText(insert, 4, row.external_id);
    sqlite3_bind_int(insert, 5, static_cast<int>(row.channel));
    BindText(insert, 6, row.queue);
    BindText(insert, 7, row.agent);
    sqlite3_bind_int(insert, 8, static_cast<int>(row.outcome));
    BindText(insert, 9, row.disposition);
    BindText(insert, 10, row.notes);
    sqlite3_bind_int64(insert, 11, row.started_at.time_since_epoch().count());
    sqlite3_bind_int64(insert, 12, row.ended_at.time_since_epoch().count());
    BindOptionalDuration(insert, 13, row.wait);
    BindOptionalDuration(insert, 14, row.talk);
    BindOptionalDuration(insert, 15, row.wrap_up);
    if (const int step = sqlite3_step(insert); step != SQLITE_DONE) {
      return Failure(step, "writing an interaction record");
    }
  }
  for (const SurveyRow& row : record.surveys) {
    sqlite3_stmt* insert = insert_survey_;
    sqlite3_reset(insert);
    sqlite3_bind_int64(insert, 1, static_cast<sqlite3_int64>(row.contact));
    BindText(insert, 2, row.tenant);
    sqlite3_bind_int64(insert, 3, row.at.time_since_epoch().count());
    sqlite3_bind_int(insert, 4, row.score);
    BindText(insert, 5, row.comment);
    if (const int step = sqlite3_step(insert); step != SQLITE_DONE) {
      return Failure(step, "writing a survey");
    }
  }
  return absl::OkStatus();
}

absl::Status SqliteStore::SaveSnapshot(std::uint64_t through, std::string_view snapshot) {
  if (absl::Status status = Execute("BEGIN IMMEDIATE", "starting a snapshot"); !status.ok()) {
    return status;
  }
  absl::Status saved = absl::OkStatus();
  for (const char* sql :
       {"INSERT OR REPLACE INTO snapshots (sequence, data) VALUES (?1, ?2)",
        "DELETE FROM snapshots WHERE sequence < ?1", "DELETE FROM journal WHERE sequence <= ?1"}) {
    sqlite3_stmt* raw = nullptr;
    saved = Prepare(sql, &raw, "saving a snapshot");
    if (!saved.ok()) break;
    Statement statement(raw);
    sqlite3_bind_int64(statement.get(), 1, static_cast<sqlite3_int64>(through));
    if (sqlite3_bind_parameter_count(statement.get()) == 2) {
      sqlite3_bind_blob(statement.get(), 2, snapshot.data(), static_cast<int>(snapshot.size()),
                        SQLITE_STATIC);
    }
    if (const int step = sqlite3_step(statement.get()); step != SQLITE_DONE) {
      saved = Failure(step, "saving a snapshot");
      break;
    }
  }
  if (saved.ok()) {
    const int committed = sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
    if (committed == SQLITE_OK) return absl::OkStatus();
    saved = Failure(committed, "committing a snapshot");
  }
  if (sqlite3_get_autocommit(db_) == 0) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  return saved;
}

absl::StatusOr<std::optional<std::pair<std::uint64_t, std::string>>> SqliteStore::LatestSnapshot() {
  sqlite3_stmt* raw = nullptr;
  if (absl::Status status =
          Prepare("SELECT sequence, data FROM snapshots ORDER BY sequence DESC LIMIT 1", &raw,
                  "reading the snapshot");
      !status.ok()) {
    return status;
  }
  Statement read(raw);
  const int step = sqlite3_step(read.get());
  if (step == SQLITE_DONE) return std::nullopt;
  if (step != SQLITE_ROW) return Failure(step, "reading the snapshot");
  const auto* bytes = static_cast<const char*>(sqlite3_column_blob(read.get(), 1));
  return std::make_pair(static_cast<std::uint64_t>(sqlite3_column_int64(read.get(), 0)),
                        std::string(bytes == nullptr ? "" : bytes,
                                    static_cast<std::size_t>(sqlite3_column_bytes(read.get(), 1))));
}

absl::StatusOr<int> SqliteStore::PruneRecords(routing::Timestamp before) {
  int pruned = 0;
  for (const char* sql :
       {"DELETE FROM interactions WHERE id IN "
        "(SELECT id FROM interactions WHERE ended_at_us < ? LIMIT ?)",
        "DELETE FROM timeline WHERE id IN (SELECT id FROM timeline WHERE at_us < ? LIMIT ?)",
        "DELETE FROM surveys WHERE contact_id IN "
        "(SELECT contact_id FROM surveys WHERE at_us < ? LIMIT ?)"}) {
    sqlite3_stmt* raw = nullptr;
    if (absl::Status status = Prepare(sql, &raw, "pruning interaction records"); !status.ok()) {
      return status;
    }
    Statement prune(raw);
    sqlite3_bind_int64(prune.get(), 1, before.time_since_epoch().count());
    sqlite3_bind_int(prune.get(), 2, kPruneChunk);
    if (const int step = sqlite3_step(prune.get()); step != SQLITE_DONE) {
      return Failure(step, "pruning interaction records");
    }
    pruned += sqlite3_changes(db_);
  }
  return pruned;
}

absl::StatusOr<std::vector<std::pair<std::int64_t, InteractionRow>>> SqliteStore::ReadInteractions(
    const InteractionQuery& query) {
  std::lock_guard lock(reader_mutex_);
  // Only the filters asked for go into the statement, so that SQLite can use the index that
  // fits (by customer, or by end time).
  std::string sql =
      "SELECT i.id, i.contact_id, i.tenant, i.customer_id, i.external_id, i.channel, i.queue_id, "
      "i.agent_id, i.outcome, i.disposition, i.notes, i.started_at_us, i.ended_at_us, i.wait_us, "
      "i.talk_us, i.wrap_up_us, s.score FROM interactions AS i "
      "LEFT JOIN surveys AS s ON s.contact_id = i.contact_id WHERE i.tenant = ? AND i.id < ?";
  if (query.customer_id) sql += " AND i.customer_id = ?";
  if (query.ended_from) sql += " AND i.ended_at_us >= ?";
  if (query.ended_before) sql += " AND i.ended_at_us < ?";
  if (query.queue) sql += " AND i.queue_id = ?";
  if (query.agent) sql += " AND i.agent_id = ?";
  if (query.disposition) sql += " AND i.disposition = ?";
  sql += " ORDER BY i.id DESC LIMIT ?";
  sqlite3_stmt* raw = nullptr;
  const int prepared = sqlite3_prepare_v2(reader_, sql.c_str(), -1, &raw, nullptr);
  if (prepared != SQLITE_OK) return Failure(reader_, prepared, "reading interaction records");
  Statement read(raw);
  int index = 0;
  BindText(read.get(), ++index, query.tenant);
  sqlite3_bind_int64(read.get(), ++index,
                     query.before_id.value_or(std::numeric_limits<std::int64_t>::max()));
  if (query.customer_id) BindText(read.get(), ++index, *query.customer_id);
  if (query.ended_from) {
    sqlite3_bind_int64(read.get(), ++index, query.ended_from->time_since_epoch().count());
  }
  if (query.ended_before) {
    sqlite3_bind_int64(read.get(), ++index, query.ended_before->time_since_epoch().count());
  }
  if (query.queue) BindText(read.get(), ++index, *query.queue);
  if (query.agent) BindText(read.get(), ++index, *query.agent);
  if (query.disposition) BindText(read.get(), ++index, *query.disposition);
  sqlite3_bind_int(read.get(), ++index, query.limit);
  std::vector<std::pair<std::int64_t, InteractionRow>> rows;
  while (true) {
    const int step = sqlite3_step(read.get());
    if (step == SQLITE_DONE) return rows;
    if (step != SQLITE_ROW) return Failure(reader_, step, "reading interaction records");
    const int channel = sqlite3_column_int(read.get(), 5);
    const int outcome = sqlite3_column_int(read.get(), 8);
    if (channel < 0 || channel >= static_cast<int>(routing::kChannelCount) || outcome < 0 ||
        outcome > static_cast<int>(Outcome::kEscalated)) {
      return absl::DataLossError(absl::StrCat("storage: interaction record ",
                                              sqlite3_column_int64(read.get(), 0), " in ",
                                              path_.string(), " is corrupt"));
    }
    InteractionRow row{
        .contact = static_cast<std::uint64_t>(sqlite3_column_int64(read.get(), 1)),
        .tenant = ColumnText(read.get(), 2),
        .customer_id = ColumnText(read.get(), 3),
        .external_id = ColumnText(read.get(), 4),
        .channel = static_cast<routing::Channel>(channel),
        .queue = ColumnText(read.get(), 6),
        .agent = ColumnText(read.get(), 7),
        .outcome = static_cast<Outcome>(outcome),
        .disposition = ColumnText(read.get(), 9),
        .notes = ColumnText(read.get(), 10),
        .started_at = routing::Timestamp(routing::Duration(sqlite3_column_int64(read.get(), 11))),
        .ended_at = routing::Timestamp(routing::Duration(sqlite3_column_int64(read.get(), 12))),
        .wait = ColumnDuration(read.get(), 13),
        .talk = ColumnDuration(read.get(), 14),
        .wrap_up = ColumnDuration(read.get(), 15),
        .csat = sqlite3_column_int(read.get(), 16)};
    rows.emplace_back(sqlite3_column_int64(read.get(), 0), std::move(row));
  }
}

}  // namespace acd::daemon
