#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "daemon/clock.h"
#include "daemon/event_sink.h"
#include "daemon/journal_writer.h"
#include "routing/command.h"
#include "routing/router.h"

namespace acd::daemon {

/// Owns the routing core and runs it on one Asio strand with one timer. Everything that touches
/// the router goes through `Post`; gRPC reactions post and return, they never wait. Every change
/// the router accepts, and every firing of its timers, goes to the journal.
class CoreRunner {
 public:
  /// `clock`, `sink` and `journal` must outlive the runner. `resume_at` is the time of the last
  /// journaled change, which the core's time never goes back behind. Every `snapshot_every`
  /// journal entries (0: never) the runner hands the journal a snapshot.
  CoreRunner(std::unique_ptr<routing::Router> router, const Clock& clock, EventSink& sink,
             JournalWriter& journal, routing::Timestamp resume_at = {},
             std::uint64_t snapshot_every = 0);
  ~CoreRunner();

  CoreRunner(const CoreRunner&) = delete;
  CoreRunner& operator=(const CoreRunner&) = delete;

  /// Calls `observe(record, router)` with every journal entry as it is handed to the journal,
  /// `router` in the state right after it. Call before `Start`.
  void ObserveJournal(std::function<void(const JournalRecord&, const routing::Router&)> observe) {
    observe_journal_ = std::move(observe);
  }

  /// Starts the core thread. Call once.
  void Start();
  /// Runs what was already posted, then stops the core thread. Idempotent.
  void Stop();

  /// Runs `work(*this)` on the core strand. Any thread; never blocks.
  template <typename Work>
  void Post(Work work) {
    boost::asio::post(strand_, [this, work = std::move(work)]() mutable { work(*this); });
  }

  /// Applies a command now, journals it, publishes its events and re-arms the timer. UNAVAILABLE
  /// without applying it while the journal cannot be written (but for a desktop's stream coming
  /// or going, which no caller waits on). Core strand only.
  absl::StatusOr<routing::CommandResult> Handle(const routing::Command& command);
  /// Routes over `catalog` from now on, every contact and agent state carried over (see
  /// Router::Reconfigured, whose refusals this returns), and hands the journal a snapshot, so
  /// that a restart resumes over the new catalog rather than replaying entries written under the
  /// old one. Core strand only.
  absl::Status Reconfigure(const routing::Catalog& catalog);
  /// Hands the journal a snapshot of the state now. Core strand, or after `Stop`.
  void TakeSnapshot();
  /// Calls `done` once every change handled so far is durable, or could not be made so
  /// (UNAVAILABLE). Core strand only; `done` may run on another thread.
  void WhenDurable(std::function<void(absl::Status)> done) {
    journal_.WhenDurable(std::move(done));
  }

  /// The core strand, for timers whose handlers touch the router.
  boost::asio::strand<boost::asio::io_context::executor_type>& executor() { return strand_; }

  /// Read access for queries. Core strand only.
  const routing::Router& router() const { return *router_; }
  /// The time the core runs at: the clock, never going backwards. Core strand only.
  routing::Timestamp Now();

 private:
  void ArmTimer();
  void OnTimer();
  /// Journals a change made at `now` (`command` encoded, or empty for timers) with the
  /// interaction records of the events it made.
  void Journal(routing::Timestamp now, std::string command);
  void Publish();

  std::unique_ptr<routing::Router> router_;
  const Clock& clock_;
  EventSink& sink_;
  JournalWriter& journal_;
  std::function<void(const JournalRecord&, const routing::Router&)> observe_journal_;
  const std::uint64_t snapshot_every_;
  std::uint64_t journaled_since_snapshot_ = 0;
  boost::asio::io_context io_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::steady_timer timer_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  /// The deadline the timer is armed for, if any.
  std::optional<routing::Timestamp> armed_for_;
  routing::Timestamp last_now_{};
  /// Reused buffer for the events of one command.
  std::vector<routing::Event> events_;
  std::thread thread_;
};

}  // namespace acd::daemon
