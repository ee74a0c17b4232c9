#include "daemon/recovery.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "daemon/journal_codec.h"

namespace acd::daemon {
namespace {

constexpr absl::string_view kWayOut =
    "; start with the configuration it was written under, or move the data directory aside to "
    "start empty";

/// The router the journal's entries after `snapshot` (if any) apply to.
absl::StatusOr<Recovered> StartingPoint(Store& store, const routing::Catalog& catalog,
                                        EventSink& sink, routing::Timestamp now) {
  absl::StatusOr<std::optional<std::pair<std::uint64_t, std::string>>> saved =
      store.LatestSnapshot();
  if (!saved.ok()) return saved.status();
  Recovered recovered;
  if (*saved) {
    absl::StatusOr<Snapshot> snapshot = DecodeSnapshot((*saved)->second);
    if (!snapshot.ok()) {
      return absl::DataLossError(absl::StrCat("the snapshot after journal entry ", (*saved)->first,
                                              " cannot be read: ", snapshot.status().message()));
    }
    // The configuration may have changed since (a reload, or a restart with an edited file).
    absl::Status fits = routing::Router::FitState(snapshot->router, catalog);
    absl::StatusOr<std::unique_ptr<routing::Router>> router =
        fits.ok() ? routing::Router::Import(catalog, snapshot->router) : fits;
    if (!router.ok()) {
      return absl::Status(
          router.status().code(),
          absl::StrCat("the snapshot after journal entry ", (*saved)->first,
                       " does not fit this configuration: ", router.status().message(), kWayOut));
    }
    sink.Restore(snapshot->sink);
    recovered.router = std::move(*router);
    recovered.from_snapshot = true;
    recovered.last_sequence = (*saved)->first;
    recovered.last_at = snapshot->router.now;
    return recovered;
  }
  absl::StatusOr<std::optional<routing::Timestamp>> origin = store.Origin();
  if (!origin.ok()) return origin.status();
  if (!*origin) {
    *origin = now;
    if (absl::Status status = store.SetOrigin(now); !status.ok()) return status;
  }
  absl::StatusOr<std::unique_ptr<routing::Router>> router =
      routing::Router::Create(catalog, **origin);
  if (!router.ok()) return router.status();
  recovered.router = std::move(*router);
  recovered.last_at = **origin;
  return recovered;
}

}  // namespace

absl::StatusOr<Recovered> Recover(Store& store, const routing::Catalog& catalog, EventSink& sink,
                                  routing::Timestamp now) {
  absl::StatusOr<Recovered> recovered = StartingPoint(store, catalog, sink, now);
  if (!recovered.ok()) return recovered.status();
  routing::Router& router = *recovered->router;
  std::vector<routing::Event> events;
  absl::Status status = store.ReadJournal([&](const JournalRecord& record) -> absl::Status {
    if (record.sequence <= recovered->last_sequence) {
      if (recovered->from_snapshot) return absl::OkStatus();  // Covered by the snapshot.
      return absl::DataLossError(absl::StrCat("journal entry ", record.sequence,
                                              " is out of order after ", recovered->last_sequence));
    }
    events.clear();
    if (record.command.empty()) {
      router.AdvanceTo(record.at, events);
    } else {
      absl::StatusOr<routing::Command> command = DecodeCommand(record.command);
      if (!command.ok()) {
        return absl::DataLossError(absl::StrCat("journal entry ", record.sequence,
                                                " cannot be read: ", command.status().message()));
      }
      if (std::holds_alternative<routing::Restarted>(*command)) sink.Started();
      if (absl::StatusOr<routing::CommandResult> result =
              router.Handle(*command, record.at, events);
          !result.ok()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "journal entry ", record.sequence, " no longer applies under this configuration (",
            result.status().message(), ")", kWayOut));
      }
    }
    if (!events.empty()) sink.Publish(events, router);
    ++recovered->entries;
    recovered->last_sequence = record.sequence;
    recovered->last_at = record.at;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return recovered;
}

}  // namespace acd::daemon
