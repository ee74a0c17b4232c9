// Contacts and agents reshaped in flight by gateways and supervisors: priority and attribute
// updates, moves, direct assignments, forced states and log-outs.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "routing/router.h"
#include "tests/routing/router_fixture.h"

namespace acd::routing {
namespace {

using namespace acd::routing::scenario;  // NOLINT(google-build-using-namespace): the test world
using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

/// The scenario world with mandatory wrap-up in acme.billing.
Catalog ReshapingCatalog() {
  Catalog catalog = TestCatalog();
  catalog.queues[0].wrap_up = {.policy = WrapUpPolicy::kMandatory};
  return catalog;
}

class ReshapingTest : public RouterTest {
 protected:
  ReshapingTest() : RouterTest(ReshapingCatalog()) {}

  absl::StatusOr<CommandResult> SetPriority(ContactId contact, int priority,
                                            const TenantId& tenant = kAcme) {
    return Try(UpdateContact{
        .tenant = tenant, .contact = contact, .priority = priority, .by = "sup-anna"});
  }
  absl::StatusOr<CommandResult> Move(ContactId contact, const QueueId& queue) {
    return Try(MoveContact{.tenant = kAcme, .contact = contact, .queue = queue, .by = "sup-anna"});
  }
  absl::StatusOr<CommandResult> Assign(ContactId contact, const AgentId& agent,
                                       const TenantId& tenant = kAcme) {
    return Try(
        AssignContact{.tenant = tenant, .contact = contact, .agent = agent, .by = "sup-anna"});
  }
  void NotReady(const AgentId& agent) {
    Do(SetAgentState{.agent = agent, .presence = AgentPresence::kNotReady});
  }
  /// A billing call connected to alice (the only one ready).
  ContactId ConnectedToAlice(const std::string& external_id) {
    Ready(kAlice);
    const ContactId contact = Create(external_id);
    Do(AcceptOffer{.agent = kAlice, .contact = contact});
    events_.clear();
    return contact;
  }
};

// --- priority and attributes -----------------------------------------------------------------

TEST_F(ReshapingTest, ARaisedPriorityRoutesAContactFirstAndKeepsItsVirtualStart) {
  const ContactId first = Create("c1");
  Advance(seconds(30));
  const Timestamp second_arrived = now_;
  const ContactId second = Create("c2");
  ASSERT_TRUE(SetPriority(second, 40).ok());
  const ContactView view = router_->FindContact(second).value();
  EXPECT_EQ(view.base_priority, 40);
  EXPECT_EQ(view.priority, 40);
  EXPECT_EQ(view.virtual_start, second_arrived);
  EXPECT_EQ(view.queue_position, 1);
  EXPECT_EQ(router_->FindContact(first)->queue_position, 2);
  events_.clear();
  Ready(kAlice);
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kAlice, second)));
}

TEST_F(ReshapingTest, APriorityChangeIsRefusedOnceTheContactNoLongerWaits) {
  const ContactId connected = ConnectedToAlice("c1");
  absl::StatusOr<CommandResult> refused = SetPriority(connected, 10);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("no longer waits"));

  const ContactId waiting = Create("c2");
  EXPECT_EQ(SetPriority(waiting, 101).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SetPriority(waiting, 10, kGlobex).status().code(), absl::StatusCode::kNotFound);
  Do(CancelContact{.tenant = kAcme, .contact = waiting, .reason = "hang-up"});
  EXPECT_EQ(SetPriority(waiting, 10).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(EventsOf<ContactUpdated>(), IsEmpty()) << "refusals change nothing";
}

TEST_F(ReshapingTest, AttributesAreRemovedThenSetAndTheHolderIsTold) {
  const ContactId contact = ConnectedToAlice("c1");
  Do(UpdateContact{.tenant = kAcme,
                   .contact = contact,
                   .remove_attributes = {"absent"},
                   .set_attributes = {{"intent", "refund"}, {"order", "A-1"}},
                   .by = "ivr"});
  Do(UpdateContact{.tenant = kAcme,
                   .contact = contact,
                   .remove_attributes = {"order"},
                   .set_attributes = {{"intent", "complaint"}},
                   .by = "ivr"});
  EXPECT_THAT(router_->FindContact(contact)->details.attributes,
              ElementsAre(Pair("intent", "complaint")));
  const std::vector<ContactUpdated> updates = EventsOf<ContactUpdated>();
  ASSERT_EQ(updates.size(), 2u);
  EXPECT_EQ(updates[1].agent, kAlice);
  EXPECT_EQ(updates[1].by, "ivr");

  UpdateContact too_many{.tenant = kAcme, .contact = contact};
  for (std::size_t i = 0; i < kMaxContactAttributes; ++i) {
    too_many.set_attributes.emplace_back("key" + std::to_string(i), "value");
  }
  EXPECT_EQ(Try(too_many).status().code(), absl::StatusCode::kInvalidArgument)
      << "one already there, 32 more";
}

// --- moves -----------------------------------------------------------------------------------

TEST_F(ReshapingTest, AMovedContactWaitsInTheNewQueueWithItsVirtualStart) {
  const Timestamp arrived = now_;
  const ContactId contact = Create("c1");
  Advance(seconds(40));
  events_.clear();
  ASSERT_TRUE(Move(contact, kSupport).ok());
  const std::vector<ContactMoved> moves = EventsOf<ContactMoved>();
  ASSERT_EQ(moves.size(), 1u);
  EXPECT_EQ(moves[0].from_queue, kBilling);
  EXPECT_EQ(moves[0].to_queue, kSupport);
  EXPECT_EQ(moves[0].by, "sup-anna");
  EXPECT_EQ(EventsOf<ContactQueued>().size(), 1u);
  const ContactView view = router_->FindContact(contact).value();
  EXPECT_EQ(view.queue, kSupport);
  EXPECT_EQ(view.virtual_start, arrived);
  EXPECT_EQ(view.state, ContactState::kQueued);
}

TEST_F(ReshapingTest, MovingAnOfferedContactRescindsTheOfferAndFeedsTheAgent) {
  Ready(kAlice);
  const ContactId offered = Create("c1");
  const ContactId waiting = Create("c2");
  events_.clear();

  ASSERT_TRUE(Move(offered, kSupport).ok());
  const std::vector<OfferRescinded> rescinded = EventsOf<OfferRescinded>();
  ASSERT_EQ(rescinded.size(), 1u);
  EXPECT_EQ(rescinded[0].reason, RescindReason::kSupervisor);
  // Alice (in both queues) is free for a call again, and the moved contact is the older.
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kAlice, offered)));
  EXPECT_EQ(StateOf(waiting), ContactState::kQueued);
}

TEST_F(ReshapingTest, AMoveIsRefusedForConnectedContactsAndQueuesWithoutTheChannel) {
  const ContactId connected = ConnectedToAlice("c1");
  EXPECT_EQ(Move(connected, kSupport).status().code(), absl::StatusCode::kFailedPrecondition);
  const ContactId chat = Create("c2", kBilling, {}, Channel::kChat);
  absl::StatusOr<CommandResult> refused = Move(chat, kSupport);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.status().message(), HasSubstr("does not accept channel"));
  EXPECT_EQ(Move(chat, kSales).status().code(), absl::StatusCode::kNotFound)
      << "another tenant's queue";
  EXPECT_THAT(EventsOf<ContactMoved>(), IsEmpty());
}

// --- direct assignment -----------------------------------------------------------------------

TEST_F(ReshapingTest, AnAssignedContactIsOfferedToTheChosenAgentEvenNotReady) {
  NotReady(kBob);
  const ContactId contact = Create("c1");
  events_.clear();
  ASSERT_TRUE(Assign(contact, kBob).ok());
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kBob, contact)));
  const std::vector<DecisionTrace> traces = router_->Explain(kAcme, contact, now_).value();
  ASSERT_FALSE(traces.empty());
  EXPECT_EQ(traces.back().trigger, DecisionTrigger::kSupervisorAssigned);
  EXPECT_EQ(traces.back().chosen, kBob);
}

TEST_F(ReshapingTest, AssigningAnOfferedContactTakesItFromTheOtherAgent) {
  Ready(kAlice);
  const ContactId contact = Create("c1");
  NotReady(kBob);
  events_.clear();
  ASSERT_TRUE(Assign(contact, kBob).ok());
  const std::vector<OfferRescinded> rescinded = EventsOf<OfferRescinded>();
  ASSERT_EQ(rescinded.size(), 1u);
  EXPECT_EQ(rescinded[0].agent, kAlice);
  EXPECT_EQ(rescinded[0].reason, RescindReason::kSupervisor);
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kBob, contact)));
  EXPECT_TRUE(Assign(contact, kBob).ok()) << "offered to bob already: nothing to do";
  EXPECT_THAT(TakeOffers(), IsEmpty());
  // Bob declines: it goes back to waiting, and alice (not refused) takes it.
  Do(DeclineOffer{.agent = kBob, .contact = contact});
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kAlice, contact)));
}

TEST_F(ReshapingTest, AnAssignmentNeedsALoggedInAgentWithRoomWhoNeverRefusedIt) {
  ConnectedToAlice("c0");
  const ContactId contact = Create("c1");
  absl::StatusOr<CommandResult> logged_out = Assign(contact, kBob);
  EXPECT_EQ(logged_out.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(logged_out.status().message(), HasSubstr("logged out"));
  EXPECT_EQ(Assign(contact, kDana).status().code(), absl::StatusCode::kNotFound);

  absl::StatusOr<CommandResult> busy = Assign(contact, kAlice);
  EXPECT_EQ(busy.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(busy.status().message(), HasSubstr("no free capacity"));

  Ready(kBob);
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kBob, contact)));
  Do(DeclineOffer{.agent = kBob, .contact = contact});
  absl::StatusOr<CommandResult> refused = Assign(contact, kBob);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("declined or missed"));
}

// --- forced states and log-outs --------------------------------------------------------------

TEST_F(ReshapingTest, AForcedStateNamesTheSupervisor) {
  Do(ForceAgentState{.tenant = kAcme,
                     .agent = kBob,
                     .presence = AgentPresence::kNotReady,
                     .reason = "coaching",
                     .supervisor = "sup-anna"});
  const std::vector<AgentStateChanged> changes = EventsOf<AgentStateChanged>();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].changed_by, "sup-anna");
  EXPECT_EQ(changes[0].reason, "coaching");
  EXPECT_EQ(Try(ForceAgentState{.tenant = kGlobex, .agent = kBob}).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ReshapingTest, ASupervisorsLogOutEndsWrapUpsButNotConnectedContacts) {
  const ContactId contact = ConnectedToAlice("c1");
  const ForceAgentState log_out{.tenant = kAcme,
                                .agent = kAlice,
                                .presence = AgentPresence::kLoggedOut,
                                .supervisor = "sup-anna",
                                .end_wrap_ups = true};
  absl::StatusOr<CommandResult> refused = Try(log_out);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("connected"));

  Do(CompleteContact{.agent = kAlice, .contact = contact});
  EXPECT_EQ(StateOf(contact), ContactState::kWrapUp);
  EXPECT_EQ(
      Try(SetAgentState{.agent = kAlice, .presence = AgentPresence::kLoggedOut}).status().code(),
      absl::StatusCode::kFailedPrecondition)
      << "the agent itself submits its wrap-ups first";
  events_.clear();
  Do(log_out);
  const std::vector<ContactCompleted> completed = EventsOf<ContactCompleted>();
  ASSERT_EQ(completed.size(), 1u);
  EXPECT_EQ(completed[0].disposition, kDispositionLoggedOut);
  EXPECT_TRUE(completed[0].system_disposition);
  EXPECT_EQ(router_->FindAgent(kAlice)->presence, AgentPresence::kLoggedOut);
  EXPECT_THAT(router_->FindAgent(kAlice)->contacts, IsEmpty());
}

}  // namespace
}  // namespace acd::routing
