#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "routing/time.h"

namespace acd::daemon {

/// The sequence a stream request resumes after: none when the field is unset (live events only).
template <typename Request>
std::optional<std::uint64_t> ResumePoint(const Request& request) {
  if (!request.has_resume_after_sequence()) return std::nullopt;
  return request.resume_after_sequence();
}

/// How much of an event sequence is kept for clients that resume: at most `events` events, none
/// older than `window`.
struct Retention {
  std::size_t events = 0;
  routing::Duration window{};
};

/// One numbered event sequence (an agent's, a gateway's, a tenant's escalation feed): gives each
/// event the next number and keeps the recent ones, so that a client whose stream broke can ask
/// for what it missed. Only the last number is durable (it travels in snapshots); the events
/// themselves live in memory, refilled after a restart by the journal's replay.
///
/// `Message` is a proto with a `sequence` field.
template <typename Message>
class EventLog {
 public:
  std::uint64_t last() const { return last_; }

  /// Starts again after `last`, as restored from a snapshot, with nothing retained.
  void Restore(std::uint64_t last) {
    last_ = last;
    recent_.clear();
    skipped_.reset();
  }

  /// At a daemon start, jumps the numbering up to `floor` when below it. Events may reach a
  /// client a moment before they are journaled, so after a crash the numbers just above the
  /// journaled ones may have been seen for events that are gone: they are never given again,
  /// and a resume after one of them is refused.
  void SkipTo(std::uint64_t floor) {
    if (last_ >= floor) return;
    skipped_ = Skipped{.from = last_, .to = floor};
    last_ = floor;
  }

  /// Numbers `message` with the next sequence and keeps a copy, dropping what `retention` no
  /// longer covers as of `at` (older events are only dropped here, but never served: see After).
  void Append(Message& message, routing::Timestamp at, const Retention& retention) {
    message.set_sequence(++last_);
    recent_.push_back({at, message});
    while (!recent_.empty() &&
           (recent_.size() > retention.events || recent_.front().at < at - retention.window)) {
      recent_.pop_front();
    }
  }

  /// The events after `resume_after` that `wanted` accepts, oldest first: nothing without one (a
  /// client starting with live events). OUT_OF_RANGE when that sequence was never issued, or
  /// when some event after it is no longer retained as of `now`.
  template <typename Filter>
  absl::StatusOr<std::vector<Message>> After(std::optional<std::uint64_t> resume,
                                             routing::Timestamp now, const Retention& retention,
                                             Filter wanted) const {
    std::vector<Message> missed;
    if (!resume || *resume == last_) return missed;
    const std::uint64_t resume_after = *resume;
    if (resume_after > last_ ||
        (skipped_ && resume_after > skipped_->from && resume_after <= skipped_->to)) {
      return absl::OutOfRangeError(absl::StrCat(
          "resume_after_sequence ", resume_after, " was never issued by this daemon (the last is ",
          last_, "); read the current state and stream again from its sequence"));
    }
    // The first number given after `resume_after`: skipped numbers were never given.
    const std::uint64_t next =
        skipped_ && resume_after == skipped_->from ? skipped_->to + 1 : resume_after + 1;
    if (next > last_) return missed;
    auto first = recent_.begin();
    while (first != recent_.end() && first->at < now - retention.window) ++first;
    if (first == recent_.end() || first->message.sequence() > next) {
      return absl::OutOfRangeError(absl::StrCat(
          "the events after sequence ", resume_after, " are no longer retained (the last is ",
          last_, "); read the current state and stream again from its sequence"));
    }
    for (auto entry = first; entry != recent_.end(); ++entry) {
      if (entry->message.sequence() > resume_after && wanted(entry->message)) {
        missed.push_back(entry->message);
      }
    }
    return missed;
  }

 private:
  struct Entry {
    routing::Timestamp at;
    Message message;
  };
  /// Numbers (from, to] jumped over at the last start.
  struct Skipped {
    std::uint64_t from = 0;
    std::uint64_t to = 0;
  };

  std::uint64_t last_ = 0;
  /// Sequences ending at `last_`, oldest first: consecutive but for the skipped ones.
  std::deque<Entry> recent_;
  std::optional<Skipped> skipped_;
};

}  // namespace acd::daemon
