// The interaction records a real router's events make, on the routing scenarios' fake clock.

#include "daemon/interaction_records.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/routing/router_fixture.h"

namespace acd::daemon {
namespace {

using routing::scenario::kAcme;
using routing::scenario::kAlice;
using routing::scenario::kBilling;
using routing::scenario::kSupport;
using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

class InteractionRecordsTest : public routing::scenario::RouterTest {
 protected:
  /// Records the events since the last call, as the core runner does after each command.
  void Record() {
    AddInteractionRecords(events_, *router_, record_);
    events_.clear();
  }

  routing::ContactId CreateFor(const std::string& customer) {
    const routing::ContactId id =
        Do(routing::CreateContact{.details = {.tenant = kAcme,
                                              .external_id = "call-" + customer,
                                              .origin = "gateway",
                                              .channel = routing::Channel::kVoice,
                                              .customer = {.id = customer}},
                                  .queue = kBilling})
            .contact;
    Record();
    return id;
  }

  routing::ContactId ConnectedToAlice(const std::string& customer) {
    const routing::ContactId id = CreateFor(customer);
    Ready(kAlice);
    Record();
    Advance(seconds(5));
    Do(routing::AcceptOffer{.agent = kAlice, .contact = id});
    Record();
    return id;
  }

  std::vector<std::string> Kinds() const {
    std::vector<std::string> kinds;
    for (const TimelineRow& row : record_.timeline) kinds.push_back(row.kind);
    return kinds;
  }

  JournalRecord record_;
};

TEST_F(InteractionRecordsTest, ACompletedContactHasItsTimelineTimesDispositionAndNotes) {
  const routing::ContactId id = ConnectedToAlice("cust-1");
  Advance(seconds(60));
  Do(routing::CompleteContact{.agent = kAlice, .contact = id});
  Record();
  Advance(seconds(20));
  Do(routing::SubmitWrapUp{
      .agent = kAlice, .contact = id, .disposition = "resolved", .notes = "refund issued"});
  Record();

  EXPECT_THAT(Kinds(), ElementsAre("queued", "offered", "assigned", "wrap-up", "completed"));
  for (const TimelineRow& row : record_.timeline) {
    EXPECT_EQ(row.contact, id.value());
    EXPECT_EQ(row.tenant, "acme");
    EXPECT_THAT(row.detail, Not(HasSubstr("refund"))) << "notes stay out of the timeline";
  }
  EXPECT_EQ(record_.timeline.back().detail, "disposition=resolved");
  ASSERT_EQ(record_.interactions.size(), 1u);
  const InteractionRow& row = record_.interactions[0];
  EXPECT_EQ(row.contact, id.value());
  EXPECT_EQ(row.customer_id, "cust-1");
  EXPECT_EQ(row.external_id, "call-cust-1");
  EXPECT_EQ(row.queue, "acme.billing");
  EXPECT_EQ(row.agent, "alice");
  EXPECT_EQ(row.outcome, Outcome::kCompleted);
  EXPECT_EQ(row.disposition, "resolved");
  EXPECT_EQ(row.notes, "refund issued");
  EXPECT_EQ(row.wait, seconds(5));
  EXPECT_EQ(row.talk, seconds(60));
  EXPECT_EQ(row.wrap_up, seconds(20));
  EXPECT_EQ(row.ended_at, now_);

  record_ = {};
  Do(routing::RecordSurvey{.tenant = kAcme, .contact = id, .score = 4, .comment = "kind agent"});
  Record();
  ASSERT_EQ(record_.surveys.size(), 1u);
  EXPECT_EQ(record_.surveys[0].contact, id.value());
  EXPECT_EQ(record_.surveys[0].score, 4);
  EXPECT_EQ(record_.surveys[0].comment, "kind agent");
  EXPECT_THAT(Kinds(), ElementsAre("surveyed"));
  EXPECT_EQ(record_.timeline[0].detail, "score=4") << "the customer's words stay out";
}

TEST_F(InteractionRecordsTest, ATransferEndsTheAgentsPartWithTheNotesHandedOver) {
  const routing::ContactId id = ConnectedToAlice("cust-2");
  Advance(seconds(30));
  Do(routing::TransferContact{.agent = kAlice,
                              .contact = id,
                              .target = kSupport,
                              .reason = "wrong-queue",
                              .notes = "wants a refund"});
  Record();
  ASSERT_EQ(record_.interactions.size(), 1u);
  const InteractionRow& row = record_.interactions[0];
  EXPECT_EQ(row.outcome, Outcome::kTransferred);
  EXPECT_EQ(row.queue, "acme.billing");
  EXPECT_EQ(row.agent, "alice");
  EXPECT_EQ(row.notes, "wants a refund");
  EXPECT_EQ(row.talk, seconds(30));
  EXPECT_EQ(row.wrap_up, std::nullopt);
  const TimelineRow& transferred = record_.timeline[record_.timeline.size() - 2];
  EXPECT_EQ(transferred.kind, "transferred");
  EXPECT_EQ(transferred.queue, "acme.billing");
  EXPECT_EQ(transferred.detail, "to_queue=acme.support reason=wrong-queue");
  EXPECT_EQ(record_.timeline.back().kind, "queued");
  EXPECT_EQ(record_.timeline.back().queue, "acme.support");
}

TEST_F(InteractionRecordsTest, AnEscalationIsInTheTimelineFromRaisedToResolved) {
  const routing::ContactId id = ConnectedToAlice("cust-3");
  const routing::EscalationId escalation =
      Do(routing::EscalateContact{
             .agent = kAlice, .contact = id, .reason = "angry", .notes = "threatens to leave"})
          .escalation;
  Record();
  Do(routing::ResolveEscalation{
      .tenant = kAcme, .escalation = escalation, .resolved_by = "lead", .resolution = "called"});
  Record();
  const std::string tag = "escalation=" + std::to_string(escalation.value());
  const TimelineRow& raised = record_.timeline[record_.timeline.size() - 2];
  EXPECT_EQ(raised.kind, "escalation-raised");
  EXPECT_EQ(raised.contact, id.value());
  EXPECT_EQ(raised.agent, "alice");
  EXPECT_THAT(raised.detail, HasSubstr(tag));
  EXPECT_THAT(raised.detail, HasSubstr("reason=angry"));
  EXPECT_THAT(raised.detail, Not(HasSubstr("threatens")));
  const TimelineRow& resolved = record_.timeline.back();
  EXPECT_EQ(resolved.kind, "escalation-resolved");
  EXPECT_THAT(resolved.detail, HasSubstr(tag));
  EXPECT_THAT(resolved.detail, HasSubstr("resolved_by=lead"));
  EXPECT_TRUE(record_.interactions.empty()) << "the contact stays with alice";
}

TEST_F(InteractionRecordsTest, AnAbandonedContactHasNoAgentAndNoTimes) {
  const routing::ContactId id = CreateFor("cust-4");
  Advance(seconds(40));
  Do(routing::CancelContact{.tenant = kAcme, .contact = id, .reason = "hang-up"});
  Record();
  ASSERT_EQ(record_.interactions.size(), 1u);
  const InteractionRow& row = record_.interactions[0];
  EXPECT_EQ(row.outcome, Outcome::kAbandoned);
  EXPECT_EQ(row.agent, "");
  EXPECT_EQ(row.wait, std::nullopt);
  EXPECT_EQ(row.talk, std::nullopt);
  EXPECT_EQ(record_.timeline.back().kind, "abandoned");
  EXPECT_EQ(record_.timeline.back().detail, "reason=hang-up");
}

TEST_F(InteractionRecordsTest, AgentStateChangesAreNotContactRecords) {
  Ready(kAlice);
  Record();
  EXPECT_TRUE(record_.timeline.empty());
  EXPECT_TRUE(record_.interactions.empty());
}

}  // namespace
}  // namespace acd::daemon
