#include "routing/router.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <vector>

#include "tests/routing/router_fixture.h"

namespace acd::routing {
namespace {

using namespace acd::routing::scenario;  // NOLINT(google-build-using-namespace): the test world
using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST_F(RouterTest, ContactWaitsWhenNoAgentIsReady) {
  const ContactId first = Create("ext-1");
  const ContactId second = Create("ext-2");
  EXPECT_THAT(TakeOffers(), IsEmpty());
  EXPECT_EQ(StateOf(first), ContactState::kQueued);
  EXPECT_EQ(router_->FindContact(first)->queue_position, 1);
  EXPECT_EQ(router_->FindContact(second)->queue_position, 2);
  Advance(seconds(5));
  std::vector<QueueView> queues = router_->ListQueues(kAcme, now_);
  ASSERT_EQ(queues.size(), 2u);
  EXPECT_EQ(queues[0].waiting, 2);
  EXPECT_EQ(queues[0].longest_wait, seconds(5));
}

TEST_F(RouterTest, QueuedEventsGiveThePlaceInLineEvenWhenAnOfferFollowsAtOnce) {
  Create("ext-1");
  Create("ext-2", kBilling, {}, Channel::kVoice, /*priority=*/5);
  Create("ext-3");
  EXPECT_THAT(EventsOf<ContactQueued>(),
              ElementsAre(::testing::Field(&ContactQueued::position, 1),
                          ::testing::Field(&ContactQueued::position, 1),
                          ::testing::Field(&ContactQueued::position, 3)));

  Ready(kDana);
  events_.clear();
  const ContactId offered = Create("sales-1", kSales, {}, Channel::kVoice, std::nullopt, kGlobex);
  EXPECT_THAT(EventsOf<ContactQueued>(),
              ElementsAre(::testing::Field(&ContactQueued::position, 1)));
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kDana, offered)));
}

TEST_F(RouterTest, LongestIdleReadyAgentGetsTheOffer) {
  Ready(kBob);
  Advance(seconds(1));
  Ready(kAlice);
  events_.clear();
  const ContactId contact = Create("ext-1");
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kBob, contact)));
  EXPECT_EQ(StateOf(contact), ContactState::kOffered);
  EXPECT_EQ(router_->FindContact(contact)->agent, kBob);
}

TEST_F(RouterTest, AcceptCompleteAndWrapUpFreeTheAgentForTheNextContact) {
  const ContactId first = Create("ext-1");
  const ContactId second = Create("ext-2");
  Ready(kAlice);
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kAlice, first)));

  Do(AcceptOffer{.agent = kAlice, .contact = first});
  EXPECT_THAT(EventsOf<ContactAssigned>(),
              ElementsAre(::testing::Field(&ContactAssigned::agent, kAlice)));
  EXPECT_EQ(StateOf(first), ContactState::kConnected);
  EXPECT_EQ(router_->NextDeadline(), std::nullopt);

  events_.clear();
  Do(CompleteContact{.agent = kAlice, .contact = first});
  EXPECT_EQ(StateOf(first), ContactState::kWrapUp);
  EXPECT_THAT(EventsOf<WrapUpStarted>(),
              ElementsAre(::testing::Field(&WrapUpStarted::ended_by, EndReason::kAgent)));
  EXPECT_THAT(TakeOffers(), IsEmpty()) << "capacity is held during wrap-up";

  Do(SubmitWrapUp{.agent = kAlice, .contact = first, .disposition = "resolved", .notes = "ok"});
  EXPECT_EQ(StateOf(first), ContactState::kCompleted);
  EXPECT_EQ(router_->FindContact(first)->agent, kAlice) << "who handled it stays on record";
  ASSERT_EQ(EventsOf<ContactCompleted>().size(), 1u);
  EXPECT_EQ(EventsOf<ContactCompleted>()[0].disposition, "resolved");
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kAlice, second)));
}

TEST_F(RouterTest, AgentsWithoutTheRequiredProficiencyAreSkipped) {
  Ready(kBob);  // billing 3, idle the longest
  Advance(seconds(1));
  Ready(kAlice);  // billing 7
  events_.clear();
  const ContactId contact = Create("ext-1", kBilling, {{"billing", 5}});
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kAlice, contact)));
}

TEST_F(RouterTest, FreedAgentTakesHighestPriorityThenOldestAcrossItsQueues) {
  const ContactId old_billing = Create("ext-1", kBilling);
  Advance(seconds(1));
  const ContactId old_support = Create("ext-2", kSupport);
  Advance(seconds(1));
  const ContactId urgent_support = Create("ext-3", kSupport, {}, Channel::kVoice, 9);
  Ready(kBob);
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kBob, urgent_support)));
  Do(DeclineOffer{.agent = kBob, .contact = urgent_support});
  Advance(seconds(5));  // The decline cooldown.
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kBob, old_billing)));
  Do(DeclineOffer{.agent = kBob, .contact = old_billing});
  Advance(seconds(5));
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kBob, old_support)));
}

TEST_F(RouterTest, CreateIsIdempotentOnTheExternalId) {
  const ContactId first = Create("ext-1");
  absl::StatusOr<CommandResult> again =
      Try(CreateContact{.details = {.tenant = kAcme, .external_id = "ext-1"}, .queue = kBilling});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->contact, first);
  EXPECT_FALSE(again->created);
  // The same external id in another tenant is another contact.
  const ContactId other = Create("ext-1", kSales, {}, Channel::kVoice, std::nullopt, kGlobex);
  EXPECT_NE(other, first);
}

TEST_F(RouterTest, FinishedContactsStayReadableAndIdempotentUntilTheirRetentionEnds) {
  const ContactId abandoned = Create("ext-1");
  Do(CancelContact{.tenant = kAcme, .contact = abandoned, .reason = "hang-up"});
  ASSERT_EQ(router_->NextDeadline(), now_ + TestCatalog().finished_contact_retention);

  Advance(TestCatalog().finished_contact_retention - seconds(1));
  EXPECT_EQ(StateOf(abandoned), ContactState::kAbandoned);
  absl::StatusOr<CommandResult> retry =
      Try(CreateContact{.details = {.tenant = kAcme, .external_id = "ext-1"}, .queue = kBilling});
  ASSERT_TRUE(retry.ok());
  EXPECT_EQ(retry->contact, abandoned) << "a late retry must not create a second contact";
  EXPECT_FALSE(retry->created);

  Advance(seconds(1));
  EXPECT_EQ(router_->FindContact(abandoned), std::nullopt);
  EXPECT_EQ(router_->NextDeadline(), std::nullopt);
  EXPECT_NE(Create("ext-1"), abandoned) << "after retention the external id is free again";
}

struct BadCreate {
  std::string name;
  CreateContact command;
  absl::StatusCode code;
  std::string message;
};

TEST_F(RouterTest, InvalidCreatesAreRefusedWithAReason) {
  const std::vector<BadCreate> cases = {
      {"no external id",
       {.details = {.tenant = kAcme}, .queue = kBilling},
       absl::StatusCode::kInvalidArgument,
       "external_id"},
      {"unknown queue",
       {.details = {.tenant = kAcme, .external_id = "x"}, .queue = QueueId("nope")},
       absl::StatusCode::kNotFound,
       "queue 'nope' not found"},
      {"queue of another tenant",
       {.details = {.tenant = kGlobex, .external_id = "x"}, .queue = kBilling},
       absl::StatusCode::kNotFound,
       "queue 'acme.billing' not found"},
      {"channel not accepted",
       {.details = {.tenant = kAcme, .external_id = "x", .channel = Channel::kEmail},
        .queue = kBilling},
       absl::StatusCode::kInvalidArgument,
       "does not accept channel 'email'"},
      {"unknown skill",
       {.details = {.tenant = kAcme, .external_id = "x", .required_skills = {{"sales", 1}}},
        .queue = kBilling},
       absl::StatusCode::kInvalidArgument,
       "skill 'sales' is not defined"},
      {"skill level out of range",
       {.details = {.tenant = kAcme, .external_id = "x", .required_skills = {{"billing", 11}}},
        .queue = kBilling},
       absl::StatusCode::kInvalidArgument,
       "1-10"},
      {"priority out of range",
       {.details = {.tenant = kAcme, .external_id = "x"}, .queue = kBilling, .priority = 101},
       absl::StatusCode::kInvalidArgument,
       "priority"},
  };
  for (const BadCreate& bad : cases) {
    absl::StatusOr<CommandResult> result = Try(bad.command);
    EXPECT_EQ(result.status().code(), bad.code) << bad.name;
    EXPECT_THAT(std::string(result.status().message()), HasSubstr(bad.message)) << bad.name;
  }
  EXPECT_THAT(events_, IsEmpty());
}

TEST_F(RouterTest, OnlyTheOfferedAgentCanActOnAnOffer) {
  Ready(kAlice);
  Ready(kBob);
  const ContactId contact = Create("ext-1");
  const AgentId holder = router_->FindContact(contact)->agent.value();
  const AgentId other = holder == kAlice ? kBob : kAlice;
  absl::StatusOr<CommandResult> stolen = Try(AcceptOffer{.agent = other, .contact = contact});
  EXPECT_EQ(stolen.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(stolen.status().message()), HasSubstr("not held by you"));
  EXPECT_EQ(Try(AcceptOffer{.agent = other, .contact = ContactId(999)}).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Try(AcceptOffer{.agent = kDana, .contact = contact}).status().code(),
            absl::StatusCode::kNotFound)
      << "another tenant's contact does not exist for dana";
  EXPECT_EQ(Try(AcceptOffer{.agent = AgentId("ghost"), .contact = contact}).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Try(CompleteContact{.agent = holder, .contact = contact}).status().code(),
            absl::StatusCode::kFailedPrecondition)
      << "an offer must be accepted before it can be completed";
  EXPECT_EQ(StateOf(contact), ContactState::kOffered);
}

TEST_F(RouterTest, DeclinedContactKeepsItsPlaceAndIsNeverOfferedToTheDeclinerAgain) {
  const ContactId first = Create("ext-1");
  Advance(seconds(1));
  const ContactId second = Create("ext-2");
  Ready(kBob);
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kBob, first)));
  Do(DeclineOffer{.agent = kBob, .contact = first});
  EXPECT_THAT(TakeOffers(), IsEmpty()) << "a short cooldown follows a decline";
  EXPECT_EQ(router_->FindAgent(kBob)->offers_paused_until, now_ + seconds(5));
  EXPECT_EQ(router_->FindAgent(kBob)->presence, AgentPresence::kReady);
  Advance(seconds(5));
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kBob, second)));
  EXPECT_EQ(router_->FindAgent(kBob)->offers_paused_until, std::nullopt);
  EXPECT_EQ(router_->FindContact(first)->queue_position, 1);
  EXPECT_EQ(router_->FindContact(first)->virtual_start, now_ - seconds(6));
  Ready(kAlice);
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kAlice, first)));
}

TEST_F(RouterTest, UnansweredOffersPauseTheAgentThenPutItNotReady) {
  Ready(kBob);
  const ContactId contact = Create("ext-1");
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kBob, contact)));
  EXPECT_EQ(router_->NextDeadline(), now_ + seconds(20));
  Advance(seconds(19));
  EXPECT_EQ(StateOf(contact), ContactState::kOffered);
  Ready(kAlice);
  events_.clear();

  // First miss: the contact goes to alice, bob keeps ready but gets nothing for a while.
  Advance(seconds(1));
  ASSERT_EQ(EventsOf<OfferRescinded>().size(), 1u);
  EXPECT_EQ(EventsOf<OfferRescinded>()[0].reason, RescindReason::kTimeout);
  EXPECT_THAT(EventsOf<AgentStateChanged>(), IsEmpty());
  EXPECT_EQ(router_->FindAgent(kBob)->presence, AgentPresence::kReady);
  EXPECT_EQ(router_->FindAgent(kBob)->consecutive_misses, 1);
  EXPECT_EQ(router_->FindAgent(kBob)->offers_paused_until, now_ + seconds(30));
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kAlice, contact)));
  Do(AcceptOffer{.agent = kAlice, .contact = contact});
  const ContactId next = Create("ext-2");
  EXPECT_THAT(TakeOffers(), IsEmpty()) << "bob is paused, alice busy";

  // Second miss in a row: not ready with reason no-answer.
  Advance(seconds(30));
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kBob, next)));
  Advance(seconds(20));
  ASSERT_EQ(EventsOf<AgentStateChanged>().size(), 1u);
  EXPECT_EQ(EventsOf<AgentStateChanged>()[0].reason, kReasonNoAnswer);
  EXPECT_EQ(router_->FindAgent(kBob)->presence, AgentPresence::kNotReady);
  EXPECT_EQ(StateOf(next), ContactState::kQueued);

  // Ready again starts the count afresh; an accepted offer resets it too.
  Ready(kBob);
  EXPECT_EQ(router_->FindAgent(kBob)->consecutive_misses, 0);
}

TEST_F(RouterTest, AFreedAgentTakesTheContactClosestToBreachingItsServiceLevel) {
  // Support's threshold is 60 s, billing's 20 s.
  const ContactId support = Create("ext-1", kSupport);
  Advance(seconds(15));
  const ContactId billing = Create("ext-2", kBilling);
  Advance(seconds(15));
  // Support waited 30 s of 60 (0.5), billing 15 s of 20 (0.75): billing is more urgent although
  // support is older.
  Ready(kBob);
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kBob, billing)));
  Do(AcceptOffer{.agent = kBob, .contact = billing});
  Do(CompleteContact{.agent = kBob, .contact = billing});
  Do(SubmitWrapUp{.agent = kBob, .contact = billing, .disposition = "done"});
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kBob, support)));
}

TEST_F(RouterTest, VoiceIsExclusiveUnlessTheAgentSaysOtherwise) {
  Ready(kAlice);  // voice 1, chat 2
  const ContactId chat = Create("chat-1", kBilling, {}, Channel::kChat);
  const ContactId call = Create("call-1", kBilling, {}, Channel::kVoice);
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kAlice, chat))) << "no call beside a chat";
  Do(DeclineOffer{.agent = kAlice, .contact = chat});
  Advance(seconds(5));
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kAlice, call)));
  const ContactId other_chat = Create("chat-2", kBilling, {}, Channel::kChat);
  EXPECT_THAT(TakeOffers(), IsEmpty()) << "no chat beside a call";
  EXPECT_EQ(StateOf(other_chat), ContactState::kQueued);
}

Catalog WithoutExclusiveVoice() {
  Catalog catalog = TestCatalog();
  catalog.agents[0].voice_exclusive = false;  // alice
  return catalog;
}

class SharedVoiceTest : public RouterTest {
 protected:
  SharedVoiceTest() : RouterTest(WithoutExclusiveVoice()) {}
};

TEST_F(SharedVoiceTest, AChatMayComeBesideACall) {
  Ready(kAlice);
  const ContactId call = Create("call-1", kBilling, {}, Channel::kVoice);
  const ContactId chat = Create("chat-1", kBilling, {}, Channel::kChat);
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kAlice, call), Offer(kAlice, chat)));
}

TEST_F(RouterTest, AutoAcceptedChannelsConnectWithoutAnOffer) {
  Catalog catalog = TestCatalog();
  catalog.agents[0].auto_accept[static_cast<std::size_t>(Channel::kChat)] = true;  // alice
  router_ = std::move(Router::Create(catalog, now_)).value();
  Ready(kAlice);
  events_.clear();
  const ContactId chat = Create("chat-1", kBilling, {}, Channel::kChat);
  EXPECT_THAT(TakeOffers(), IsEmpty()) << "nothing to answer";
  EXPECT_EQ(StateOf(chat), ContactState::kConnected);
  EXPECT_EQ(router_->NextDeadline(), std::nullopt) << "no offer timer left behind";
  events_.clear();
  Do(CompleteContact{.agent = kAlice, .contact = chat});
  Do(SubmitWrapUp{.agent = kAlice, .contact = chat, .disposition = "done"});
  const ContactId call = Create("call-1", kBilling, {}, Channel::kVoice);
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kAlice, call))) << "voice is still offered";
}

TEST_F(RouterTest, AnAutoAcceptedContactIsAssignedAndSaysSo) {
  Catalog catalog = TestCatalog();
  catalog.agents[1].auto_accept[static_cast<std::size_t>(Channel::kVoice)] = true;  // bob
  router_ = std::move(Router::Create(catalog, now_)).value();
  Ready(kBob);
  const ContactId call = Create("call-1");
  EXPECT_THAT(EventsOf<OfferMade>(), IsEmpty());
  EXPECT_THAT(
      EventsOf<ContactAssigned>(),
      ElementsAre(::testing::AllOf(::testing::Field(&ContactAssigned::contact, call),
                                   ::testing::Field(&ContactAssigned::agent, kBob),
                                   ::testing::Field(&ContactAssigned::auto_accepted, true))));
}

Catalog WithWrapUpPolicies() {
  Catalog catalog = TestCatalog();
  catalog.queues[1].wrap_up = {.policy = WrapUpPolicy::kTimed, .timeout = seconds(30)};  // support
  catalog.queues[2].wrap_up = {.policy = WrapUpPolicy::kNone};                           // sales
  return catalog;
}

class WrapUpPolicyTest : public RouterTest {
 protected:
  WrapUpPolicyTest() : RouterTest(WithWrapUpPolicies()) {}

  /// Routes a contact of `queue` to `agent` (ready, idle) and ends the interaction.
  ContactId HandleAndComplete(const AgentId& agent, const QueueId& queue, const TenantId& tenant) {
    Ready(agent);
    const ContactId contact = Create("ext-" + std::to_string(++created_), queue, {},
                                     Channel::kVoice, std::nullopt, tenant);
    Do(AcceptOffer{.agent = agent, .contact = contact});
    events_.clear();
    Do(CompleteContact{.agent = agent, .contact = contact});
    return contact;
  }

  int created_ = 0;
};

TEST_F(WrapUpPolicyTest, MandatoryWrapUpLastsUntilADispositionIsSubmitted) {
  const ContactId contact = HandleAndComplete(kBob, kBilling, kAcme);
  ASSERT_EQ(EventsOf<WrapUpStarted>().size(), 1u);
  EXPECT_EQ(EventsOf<WrapUpStarted>()[0].deadline, std::nullopt);
  Advance(std::chrono::hours(8));
  EXPECT_EQ(StateOf(contact), ContactState::kWrapUp);
}

TEST_F(WrapUpPolicyTest, TimedWrapUpEndsWithASystemDisposition) {
  const ContactId contact = HandleAndComplete(kBob, kSupport, kAcme);
  ASSERT_EQ(EventsOf<WrapUpStarted>().size(), 1u);
  EXPECT_EQ(EventsOf<WrapUpStarted>()[0].deadline, now_ + seconds(30));
  EXPECT_EQ(router_->FindContact(contact)->wrap_up_deadline, now_ + seconds(30));
  const ContactId next = Create("ext-next", kSupport);
  Advance(seconds(29));
  EXPECT_EQ(StateOf(contact), ContactState::kWrapUp);
  EXPECT_THAT(TakeOffers(), IsEmpty());
  Advance(seconds(1));
  EXPECT_EQ(StateOf(contact), ContactState::kCompleted);
  ASSERT_EQ(EventsOf<ContactCompleted>().size(), 1u);
  EXPECT_EQ(EventsOf<ContactCompleted>()[0].disposition, kDispositionWrapUpTimeout);
  EXPECT_TRUE(EventsOf<ContactCompleted>()[0].system_disposition);
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kBob, next)));
}

TEST_F(WrapUpPolicyTest, ASubmittedTimedWrapUpDoesNotTimeOutLater) {
  const ContactId contact = HandleAndComplete(kBob, kSupport, kAcme);
  Do(SubmitWrapUp{.agent = kBob, .contact = contact, .disposition = "sale"});
  Advance(seconds(60));
  ASSERT_EQ(EventsOf<ContactCompleted>().size(), 1u);
  EXPECT_EQ(EventsOf<ContactCompleted>()[0].disposition, "sale");
  EXPECT_FALSE(EventsOf<ContactCompleted>()[0].system_disposition);
}

TEST_F(WrapUpPolicyTest, WithoutWrapUpTheContactCompletesAtOnce) {
  const ContactId contact = HandleAndComplete(kDana, kSales, kGlobex);
  EXPECT_THAT(EventsOf<WrapUpStarted>(), IsEmpty());
  EXPECT_EQ(StateOf(contact), ContactState::kCompleted);
  ASSERT_EQ(EventsOf<ContactCompleted>().size(), 1u);
  EXPECT_EQ(EventsOf<ContactCompleted>()[0].disposition, kDispositionNoWrapUp);
  EXPECT_TRUE(EventsOf<ContactCompleted>()[0].system_disposition);
  EXPECT_TRUE(router_->FindAgent(kDana)->contacts.empty());
}

TEST_F(RouterTest, ALostDesktopPutsTheAgentNotReadyAfterTheGracePeriod) {
  Do(AgentConnection{.agent = kBob, .connected = true});
  Ready(kBob);
  const ContactId offered = Create("ext-1");
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kBob, offered)));
  Do(AgentConnection{.agent = kBob, .connected = false});
  Advance(seconds(9));
  EXPECT_EQ(router_->FindAgent(kBob)->presence, AgentPresence::kReady);
  EXPECT_EQ(StateOf(offered), ContactState::kOffered);
  Advance(seconds(1));
  EXPECT_EQ(router_->FindAgent(kBob)->presence, AgentPresence::kNotReady);
  EXPECT_EQ(router_->FindAgent(kBob)->reason, kReasonDisconnected);
  EXPECT_THAT(
      EventsOf<OfferRescinded>(),
      ElementsAre(::testing::Field(&OfferRescinded::reason, RescindReason::kAgentUnavailable)));
  EXPECT_EQ(StateOf(offered), ContactState::kQueued);
}

TEST_F(RouterTest, ARestartDropsEveryConnectionAndReturnsOffersInFlight) {
  Do(AgentConnection{.agent = kBob, .connected = true});
  Do(AgentConnection{.agent = kBob, .connected = true});
  Ready(kBob);
  const ContactId offered = Create("ext-1");
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kBob, offered)));
  Do(Restarted{});
  EXPECT_EQ(router_->FindAgent(kBob)->connections, 0);
  EXPECT_THAT(
      EventsOf<OfferRescinded>(),
      ElementsAre(::testing::Field(&OfferRescinded::reason, RescindReason::kAgentUnavailable)));
  // Back at its place, not held against Bob: offered again while his grace period runs.
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kBob, offered)));
  Advance(seconds(10));
  EXPECT_EQ(router_->FindAgent(kBob)->presence, AgentPresence::kNotReady);
  EXPECT_EQ(router_->FindAgent(kBob)->reason, kReasonDisconnected);
  EXPECT_EQ(StateOf(offered), ContactState::kQueued);
}

TEST_F(RouterTest, AReconnectWithinTheGracePeriodChangesNothing) {
  Do(AgentConnection{.agent = kBob, .connected = true});
  Ready(kBob);
  Do(AgentConnection{.agent = kBob, .connected = false});
  Advance(seconds(5));
  Do(AgentConnection{.agent = kBob, .connected = true});
  events_.clear();
  Advance(seconds(60));
  EXPECT_THAT(EventsOf<AgentStateChanged>(), IsEmpty());
  EXPECT_EQ(router_->FindAgent(kBob)->presence, AgentPresence::kReady);
  EXPECT_EQ(router_->NextDeadline(), std::nullopt);
}

TEST_F(RouterTest, CancelAbandonsWaitingAndOfferedContactsAndEndsConnectedOnes) {
  const ContactId waiting = Create("ext-1");
  Do(CancelContact{.tenant = kAcme, .contact = waiting, .reason = "hang-up"});
  EXPECT_EQ(StateOf(waiting), ContactState::kAbandoned);
  ASSERT_EQ(EventsOf<ContactAbandoned>().size(), 1u);
  EXPECT_EQ(EventsOf<ContactAbandoned>()[0].reason, "hang-up");
  events_.clear();
  Do(CancelContact{.tenant = kAcme, .contact = waiting, .reason = "hang-up"});
  EXPECT_THAT(events_, IsEmpty()) << "repeating a cancel changes nothing";

  Ready(kBob);
  const ContactId offered = Create("ext-2");
  const ContactId next = Create("ext-3");
  events_.clear();
  Do(CancelContact{.tenant = kAcme, .contact = offered});
  EXPECT_EQ(EventsOf<OfferRescinded>().at(0).reason, RescindReason::kAbandoned);
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kBob, next)));

  Do(AcceptOffer{.agent = kBob, .contact = next});
  events_.clear();
  Do(CancelContact{.tenant = kAcme, .contact = next});
  EXPECT_EQ(StateOf(next), ContactState::kWrapUp);
  EXPECT_THAT(EventsOf<WrapUpStarted>(),
              ElementsAre(::testing::Field(&WrapUpStarted::ended_by, EndReason::kCustomer)));

  EXPECT_EQ(Try(CancelContact{.tenant = kGlobex, .contact = next}).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(RouterTest, GoingNotReadyGivesPendingOffersBack) {
  Ready(kBob);
  const ContactId contact = Create("ext-1");
  Do(SetAgentState{.agent = kBob, .presence = AgentPresence::kNotReady, .reason = "break"});
  EXPECT_EQ(StateOf(contact), ContactState::kQueued);
  EXPECT_EQ(router_->FindAgent(kBob)->reason, "break");
  EXPECT_EQ(EventsOf<ContactRequeued>().at(0).reason, RescindReason::kAgentUnavailable);
}

TEST_F(RouterTest, LoggingOutWithAnActiveContactIsRefused) {
  Ready(kBob);
  const ContactId contact = Create("ext-1");
  Do(AcceptOffer{.agent = kBob, .contact = contact});
  absl::StatusOr<CommandResult> logout =
      Try(SetAgentState{.agent = kBob, .presence = AgentPresence::kLoggedOut});
  EXPECT_EQ(logout.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(router_->FindAgent(kBob)->presence, AgentPresence::kReady);
}

TEST_F(RouterTest, ChatCapacityAllowsSeveralConcurrentOffers) {
  Ready(kAlice);
  const ContactId one = Create("chat-1", kBilling, {}, Channel::kChat);
  const ContactId two = Create("chat-2", kBilling, {}, Channel::kChat);
  const ContactId three = Create("chat-3", kBilling, {}, Channel::kChat);
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kAlice, one), Offer(kAlice, two)));
  EXPECT_EQ(StateOf(three), ContactState::kQueued);
  EXPECT_EQ(router_->FindAgent(kAlice)->contacts.size(), 2u);
}

TEST_F(RouterTest, WrapUpNeedsADisposition) {
  Ready(kBob);
  const ContactId contact = Create("ext-1");
  Do(AcceptOffer{.agent = kBob, .contact = contact});
  Do(CompleteContact{.agent = kBob, .contact = contact});
  EXPECT_EQ(Try(SubmitWrapUp{.agent = kBob, .contact = contact}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(StateOf(contact), ContactState::kWrapUp);
}

TEST_F(RouterTest, TenantsNeverSeeEachOther) {
  Ready(kDana);
  const ContactId contact = Create("ext-1");
  EXPECT_THAT(TakeOffers(), IsEmpty());
  EXPECT_EQ(StateOf(contact), ContactState::kQueued);
  for (const QueueView& queue : router_->ListQueues(kGlobex, now_))
    EXPECT_EQ(queue.tenant, kGlobex);
  std::vector<AgentView> agents = router_->ListAgents(kGlobex);
  ASSERT_EQ(agents.size(), 1u);
  EXPECT_EQ(agents[0].id, kDana);
}

TEST_F(RouterTest, ConnectionsAreCounted) {
  Do(AgentConnection{.agent = kAlice, .connected = true});
  Do(AgentConnection{.agent = kAlice, .connected = true});
  Do(AgentConnection{.agent = kAlice, .connected = false});
  EXPECT_EQ(router_->FindAgent(kAlice)->connections, 1);
}

class ReasonCodesTest : public RouterTest {
 protected:
  static Catalog WithCodes() {
    Catalog catalog = TestCatalog();
    catalog.tenants[0].not_ready_reasons = {"break", "lunch"};
    catalog.tenants[0].disposition_codes = {"resolved", "follow-up"};
    return catalog;
  }
  ReasonCodesTest() : RouterTest(WithCodes()) {}
};

TEST_F(ReasonCodesTest, OnlyTheTenantsNotReadyReasonsAndTheCoresOwnAreAccepted) {
  absl::StatusOr<CommandResult> gaming =
      Try(SetAgentState{.agent = kAlice, .presence = AgentPresence::kNotReady, .reason = "gaming"});
  EXPECT_EQ(gaming.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(gaming.status().message(), HasSubstr("'gaming' is not one of: break, lunch"));
  EXPECT_TRUE(
      Try(SetAgentState{.agent = kAlice, .presence = AgentPresence::kNotReady, .reason = "lunch"})
          .ok());
  EXPECT_TRUE(Try(SetAgentState{.agent = kBob, .presence = AgentPresence::kNotReady}).ok())
      << "the default 'not-ready' always exists";
  EXPECT_EQ(router_->FindAgent(kBob)->reason, kReasonDefaultNotReady);
  // Globex defines none: anything goes.
  EXPECT_TRUE(
      Try(SetAgentState{.agent = kDana, .presence = AgentPresence::kNotReady, .reason = "gaming"})
          .ok());
}

TEST_F(ReasonCodesTest, WrapUpTakesOnlyTheTenantsDispositionsAndKeepsTheNotes) {
  Ready(kAlice);
  const ContactId contact = Create("c1");
  Do(AcceptOffer{.agent = kAlice, .contact = contact});
  Do(CompleteContact{.agent = kAlice, .contact = contact});
  EXPECT_EQ(
      Try(SubmitWrapUp{.agent = kAlice, .contact = contact, .disposition = "sold"}).status().code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(StateOf(contact), ContactState::kWrapUp);
  Do(SubmitWrapUp{.agent = kAlice,
                  .contact = contact,
                  .disposition = "follow-up",
                  .notes = "call back Tuesday"});
  const ContactView view = router_->FindContact(contact).value();
  EXPECT_EQ(view.disposition, "follow-up");
  EXPECT_EQ(view.wrap_up_notes, "call back Tuesday");
}

}  // namespace
}  // namespace acd::routing
