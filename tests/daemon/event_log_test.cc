// EventLog: numbering, retention by count and by age, and what a resume is given.

#include "daemon/event_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <vector>

#include "acd/v1/agent_desk.pb.h"

namespace acd::daemon {
namespace {

using std::chrono::seconds;
using ::testing::HasSubstr;

constexpr Retention kRetention{.events = 3, .window = seconds(60)};
const routing::Timestamp kStart{seconds(1'000'000)};

/// Appends one event at each of `times`, as the hub would.
void AppendAt(EventLog<v1::AgentEvent>& log, const std::vector<routing::Timestamp>& times) {
  for (routing::Timestamp at : times) {
    v1::AgentEvent event;
    event.mutable_state_changed()->set_state(v1::AGENT_STATE_READY);
    log.Append(event, at, kRetention);
  }
}

std::vector<std::uint64_t> Sequences(const std::vector<v1::AgentEvent>& events) {
  std::vector<std::uint64_t> sequences;
  for (const v1::AgentEvent& event : events) sequences.push_back(event.sequence());
  return sequences;
}

const auto kAll = [](const v1::AgentEvent&) { return true; };

TEST(EventLogTest, NumbersEventsAndHandsBackThoseAfterAResumePoint) {
  EventLog<v1::AgentEvent> log;
  v1::AgentEvent event;
  log.Append(event, kStart, kRetention);
  EXPECT_EQ(event.sequence(), 1u) << "the caller's message carries its number";
  AppendAt(log, {kStart, kStart});
  EXPECT_EQ(log.last(), 3u);

  auto missed = log.After(1, kStart, kRetention, kAll);
  ASSERT_TRUE(missed.ok()) << missed.status();
  EXPECT_EQ(Sequences(*missed), (std::vector<std::uint64_t>{2, 3}));
  EXPECT_TRUE(log.After(3, kStart, kRetention, kAll)->empty()) << "already current";
  EXPECT_TRUE(log.After(std::nullopt, kStart, kRetention, kAll)->empty())
      << "no resume point: live events only";
  EXPECT_EQ(Sequences(*log.After(0, kStart, kRetention, kAll)),
            (std::vector<std::uint64_t>{1, 2, 3}))
      << "0: everything, for a client that has seen nothing yet";
  const auto filtered = log.After(1, kStart, kRetention,
                                  [](const v1::AgentEvent& kept) { return kept.sequence() != 2; });
  EXPECT_EQ(Sequences(*filtered), (std::vector<std::uint64_t>{3})) << "the filter applies";
}

TEST(EventLogTest, AResumePointNeverIssuedIsOutOfRange) {
  EventLog<v1::AgentEvent> log;
  AppendAt(log, {kStart});
  const auto future = log.After(2, kStart, kRetention, kAll);
  EXPECT_EQ(future.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_THAT(future.status().message(), HasSubstr("never issued"));
}

TEST(EventLogTest, KeepsAtMostItsCountOfEvents) {
  EventLog<v1::AgentEvent> log;
  AppendAt(log, {kStart, kStart, kStart, kStart, kStart});
  EXPECT_EQ(log.After(1, kStart, kRetention, kAll).status().code(), absl::StatusCode::kOutOfRange)
      << "event 2 was dropped";
  auto missed = log.After(2, kStart, kRetention, kAll);
  ASSERT_TRUE(missed.ok()) << missed.status();
  EXPECT_EQ(Sequences(*missed), (std::vector<std::uint64_t>{3, 4, 5}));
}

TEST(EventLogTest, ForgetsEventsOlderThanItsWindow) {
  EventLog<v1::AgentEvent> log;
  AppendAt(log, {kStart, kStart + seconds(30)});
  EXPECT_TRUE(log.After(1, kStart + seconds(30), kRetention, kAll).ok());
  // At 70 s the first event is past the window, though nothing newer pushed it out.
  EXPECT_EQ(log.After(0, kStart + seconds(70), kRetention, kAll).status().code(),
            absl::StatusCode::kOutOfRange);
  auto from_first = log.After(1, kStart + seconds(70), kRetention, kAll);
  ASSERT_TRUE(from_first.ok()) << "event 2 is within the window";
  EXPECT_EQ(Sequences(*from_first), (std::vector<std::uint64_t>{2}));
  EventLog<v1::AgentEvent> older;
  AppendAt(older, {kStart, kStart + seconds(30)});
  const auto gone = older.After(1, kStart + seconds(100), kRetention, kAll);
  EXPECT_EQ(gone.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_THAT(gone.status().message(), HasSubstr("no longer retained"));
}

TEST(EventLogTest, NumbersSkippedAtAStartAreNeverGivenAndNeverResumedFrom) {
  EventLog<v1::AgentEvent> log;
  AppendAt(log, {kStart, kStart});  // 1 and 2 journaled; a crash lost what came after.
  log.SkipTo(100);
  EXPECT_EQ(log.last(), 100u);
  // A client current as of the last journaled event is current still.
  EXPECT_TRUE(log.After(2, kStart, kRetention, kAll)->empty());
  AppendAt(log, {kStart});
  EXPECT_EQ(log.last(), 101u);
  auto missed = log.After(2, kStart, kRetention, kAll);
  ASSERT_TRUE(missed.ok()) << missed.status();
  EXPECT_EQ(Sequences(*missed), (std::vector<std::uint64_t>{101}));
  // A client that saw an event the crash took (3) must re-read its state.
  const auto lost = log.After(3, kStart, kRetention, kAll);
  EXPECT_EQ(lost.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_THAT(lost.status().message(), HasSubstr("never issued"));
  log.SkipTo(50);
  EXPECT_EQ(log.last(), 101u) << "never back";
}

TEST(EventLogTest, ARestoredLogGoesOnFromItsLastNumberWithNothingToReplay) {
  EventLog<v1::AgentEvent> log;
  log.Restore(41);
  EXPECT_EQ(log.After(40, kStart, kRetention, kAll).status().code(), absl::StatusCode::kOutOfRange);
  AppendAt(log, {kStart});
  EXPECT_EQ(log.last(), 42u);
  EXPECT_EQ(Sequences(*log.After(41, kStart, kRetention, kAll)), (std::vector<std::uint64_t>{42}));
}

}  // namespace
}  // namespace acd::daemon
