#include "daemon/core_runner.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <variant>

#include "absl/strings/str_cat.h"
#include "daemon/interaction_records.h"
#include "daemon/journal_codec.h"

namespace acd::daemon {

CoreRunner::CoreRunner(std::unique_ptr<routing::Router> router, const Clock& clock, EventSink& sink,
                       JournalWriter& journal, routing::Timestamp resume_at,
                       std::uint64_t snapshot_every)
    : router_(std::move(router)),
      clock_(clock),
      sink_(sink),
      journal_(journal),
      snapshot_every_(snapshot_every),
      strand_(boost::asio::make_strand(io_)),
      timer_(strand_),
      last_now_(resume_at) {}

CoreRunner::~CoreRunner() { Stop(); }

void CoreRunner::Start() {
  work_.emplace(io_.get_executor());
  thread_ = std::thread([this] {
    try {
      io_.run();
    } catch (const std::exception& e) {
      spdlog::critical("core runner stopped by an exception: {}", e.what());
      std::terminate();
    }
  });
}

void CoreRunner::Stop() {
  if (!thread_.joinable()) return;
  boost::asio::post(strand_, [this] { timer_.cancel(); });
  work_.reset();
  thread_.join();
}

routing::Timestamp CoreRunner::Now() {
  last_now_ = std::max(last_now_, clock_.Now());
  return last_now_;
}

absl::StatusOr<routing::CommandResult> CoreRunner::Handle(const routing::Command& command) {
  if (!std::holds_alternative<routing::AgentConnection>(command)) {
    if (absl::Status health = journal_.health(); !health.ok()) {
      return absl::UnavailableError(
          absl::StrCat("not taking changes while storage fails (", health.message(), ")"));
    }
  }
  events_.clear();
  const routing::Timestamp now = Now();
  absl::StatusOr<routing::CommandResult> result = router_->Handle(command, now, events_);
  // A create that found its external id changed nothing; neither did a refused command.
  if (result.ok() &&
      (result->created || !std::holds_alternative<routing::CreateContact>(command))) {
    Journal(now, EncodeCommand(command));
  }
  Publish();
  return result;
}

void CoreRunner::Journal(routing::Timestamp now, std::string command) {
  JournalRecord record{.at = now, .command = std::move(command)};
  AddInteractionRecords(events_, *router_, record);
  if (observe_journal_) observe_journal_(record, *router_);
  journal_.Append(std::move(record));
  ++journaled_since_snapshot_;
}

absl::Status CoreRunner::Reconfigure(const routing::Catalog& catalog) {
  events_.clear();
  const routing::Timestamp now = Now();
  absl::StatusOr<std::unique_ptr<routing::Router>> next =
      router_->Reconfigured(catalog, now, events_);
  if (!next.ok()) {
    events_.clear();
    return next.status();
  }
  router_ = std::move(*next);
  // The offers the new catalog made at once go to the journal's records with an entry a replay
  // reads as "timers up to now"; the snapshot after it holds the state.
  if (!events_.empty()) Journal(now, {});
  Publish();
  TakeSnapshot();
  return absl::OkStatus();
}

void CoreRunner::TakeSnapshot() {
  journaled_since_snapshot_ = 0;
  journal_.SaveSnapshot(std::make_shared<const Snapshot>(
      Snapshot{.router = router_->Export(), .sink = sink_.Save()}));
}

void CoreRunner::Publish() {
  if (!events_.empty()) sink_.Publish(events_, *router_);
  events_.clear();
  // Once the last entry's events are published, so that the sink's state goes with it.
  if (snapshot_every_ > 0 && journaled_since_snapshot_ >= snapshot_every_) TakeSnapshot();
  ArmTimer();
}

void CoreRunner::ArmTimer() {
  const std::optional<routing::Timestamp> deadline = router_->NextDeadline();
  if (deadline == armed_for_) return;
  armed_for_ = deadline;
  if (!deadline) {
    timer_.cancel();
    return;
  }
  timer_.expires_after(std::max(routing::Duration::zero(), *deadline - Now()));
  timer_.async_wait([this](const boost::system::error_code& error) {
    if (error != boost::asio::error::operation_aborted) OnTimer();
  });
}

void CoreRunner::OnTimer() {
  armed_for_.reset();
  events_.clear();
  const routing::Timestamp now = Now();
  router_->AdvanceTo(now, events_);
  Journal(now, {});
  Publish();
}

}  // namespace acd::daemon
