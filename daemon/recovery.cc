#include "daemon/recovery.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "daemon/journal_codec.h"

namespace acd::daemon {

absl::StatusOr<Replayed> ReplayJournal(Store& store, routing::Router& router, EventSink& sink) {
  Replayed replayed;
  std::vector<routing::Event> events;
  absl::Status status = store.ReadJournal([&](const JournalRecord& record) -> absl::Status {
    if (record.sequence <= replayed.last_sequence) {
      return absl::DataLossError(absl::StrCat("journal entry ", record.sequence,
                                              " is out of order after ", replayed.last_sequence));
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
      if (absl::StatusOr<routing::CommandResult> result =
              router.Handle(*command, record.at, events);
          !result.ok()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "journal entry ", record.sequence, " no longer applies under this configuration (",
            result.status().message(),
            "); start with the configuration it was written under, or move the data directory "
            "aside to start empty"));
      }
    }
    if (!events.empty()) sink.Publish(events, router);
    ++replayed.entries;
    replayed.last_sequence = record.sequence;
    replayed.last_at = record.at;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return replayed;
}

}  // namespace acd::daemon
