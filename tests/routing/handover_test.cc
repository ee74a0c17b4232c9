// Contacts changing hands: transfers, escalations, follow-ups and scheduled contacts.

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
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const QueueId kTier2("acme.tier2");
const AgentId kCarol("carol");

/// acme.billing (alice, bob; preferred agents for a minute) and acme.support (bob) take voice
/// and callbacks; acme.tier2 (carol) takes voice, at most two waiting.
Catalog HandoverCatalog() {
  Catalog catalog;
  catalog.tenants = {{.id = kAcme, .skills = {"billing", "support"}},
                     {.id = kGlobex, .skills = {"sales"}}};
  catalog.queues = {
      {.id = kBilling, .tenant = kAcme, .channels = {Channel::kVoice, Channel::kCallback}},
      {.id = kSupport,
       .tenant = kAcme,
       .channels = {Channel::kVoice, Channel::kCallback, Channel::kEmail}},
      {.id = kTier2, .tenant = kAcme, .channels = {Channel::kVoice}, .max_size = 2},
      {.id = kSales, .tenant = kGlobex, .channels = {Channel::kVoice}}};
  for (QueueConfig& queue : catalog.queues) queue.wrap_up = {.policy = WrapUpPolicy::kMandatory};
  catalog.queues[0].preferred_agent_timeout = seconds(60);
  catalog.agents = {
      {.id = kAlice, .tenant = kAcme, .team = "red", .queues = {kBilling}},
      {.id = kBob, .tenant = kAcme, .skills = {{"support", 5}}, .queues = {kBilling, kSupport}},
      {.id = kCarol, .tenant = kAcme, .queues = {kTier2}},
      {.id = kDana, .tenant = kGlobex, .queues = {kSales}}};
  return catalog;
}

class HandoverTest : public RouterTest {
 protected:
  HandoverTest() : RouterTest(HandoverCatalog()) {}

  /// A billing call connected to alice (the only one ready).
  ContactId ConnectedToAlice(const std::string& external_id = "c1") {
    Ready(kAlice);
    const ContactId contact = Create(external_id, kBilling);
    Do(AcceptOffer{.agent = kAlice, .contact = contact});
    events_.clear();
    return contact;
  }

  absl::StatusOr<CommandResult> Transfer(const AgentId& from, ContactId contact,
                                         std::variant<QueueId, AgentId> to) {
    return Try(TransferContact{
        .agent = from, .contact = contact, .target = std::move(to), .reason = "wrong-queue"});
  }
};

// --- transfers -------------------------------------------------------------------------------

TEST_F(HandoverTest, ATransferToAQueueFreesTheAgentAndKeepsTheVirtualStart) {
  const Timestamp arrived = now_;
  const ContactId contact = ConnectedToAlice();
  Advance(minutes(3));
  ASSERT_TRUE(Transfer(kAlice, contact, kSupport).ok());
  std::vector<ContactTransferred> transferred = EventsOf<ContactTransferred>();
  ASSERT_EQ(transferred.size(), 1u);
  EXPECT_EQ(transferred[0].from_agent, kAlice);
  EXPECT_EQ(transferred[0].from_queue, kBilling);
  EXPECT_EQ(std::get<QueueId>(transferred[0].to), kSupport);
  EXPECT_EQ(transferred[0].reason, "wrong-queue");
  const ContactView view = router_->FindContact(contact).value();
  EXPECT_EQ(view.state, ContactState::kQueued);
  EXPECT_EQ(view.queue, kSupport);
  EXPECT_EQ(view.virtual_start, arrived);
  EXPECT_THAT(router_->FindAgent(kAlice)->contacts, IsEmpty()) << "no wrap-up for alice";
  Ready(kBob);
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kBob, contact)));
}

TEST_F(HandoverTest, ATransferredContactIsNeverOfferedBackToItsAgent) {
  const ContactId contact = ConnectedToAlice();
  // To billing, which alice takes from herself: she is ready with room, and is skipped.
  ASSERT_TRUE(Transfer(kAlice, contact, kBilling).ok());
  EXPECT_THAT(TakeOffers(), IsEmpty());
  Ready(kBob);
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kBob, contact)));
}

TEST_F(HandoverTest, ATransferToANamedAgentWaitsForThatAgentOnly) {
  const ContactId contact = ConnectedToAlice();
  Do(SetAgentState{.agent = kCarol, .presence = AgentPresence::kNotReady});
  ASSERT_TRUE(Transfer(kAlice, contact, kCarol).ok());
  EXPECT_EQ(router_->FindContact(contact)->pinned_agent, kCarol);
  EXPECT_EQ(router_->FindContact(contact)->queue, kBilling) << "it waits in its own queue";
  Ready(kBob);
  EXPECT_THAT(TakeOffers(), IsEmpty()) << "bob may not take it";
  Ready(kCarol);
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kCarol, contact)))
      << "carol takes it though she is not in acme.billing";
}

TEST_F(HandoverTest, WhenTheNamedAgentDeclinesTheContactGoesToItsQueue) {
  const ContactId contact = ConnectedToAlice();
  Ready(kCarol);
  ASSERT_TRUE(Transfer(kAlice, contact, kCarol).ok());
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kCarol, contact)));
  Ready(kBob);
  EXPECT_THAT(TakeOffers(), IsEmpty());
  Do(DeclineOffer{.agent = kCarol, .contact = contact});
  EXPECT_EQ(router_->FindContact(contact)->pinned_agent, std::nullopt);
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kBob, contact)));
}

TEST_F(HandoverTest, ATransferEndsTheContactsPreferenceForItsFirstAgents) {
  Ready(kAlice);
  const ContactId contact =
      Do(CreateContact{
             .details = {.tenant = kAcme, .external_id = "c1", .preferred_agents = {kAlice}},
             .queue = kBilling})
          .contact;
  Do(AcceptOffer{.agent = kAlice, .contact = contact});
  events_.clear();
  ASSERT_TRUE(Transfer(kAlice, contact, kSupport).ok());
  EXPECT_EQ(router_->FindContact(contact)->preferred_until, std::nullopt);
  Ready(kBob);
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kBob, contact)));
}

TEST_F(HandoverTest, ATransferCanReplaceTheRequiredSkills) {
  const ContactId contact = ConnectedToAlice();
  ASSERT_TRUE(Try(TransferContact{.agent = kAlice,
                                  .contact = contact,
                                  .target = kSupport,
                                  .notes = "customer wants a technician",
                                  .required_skills = {{"support", 6}}})
                  .ok());
  EXPECT_EQ(router_->FindContact(contact)->handover_notes, "customer wants a technician");
  Ready(kBob);
  EXPECT_THAT(TakeOffers(), IsEmpty()) << "bob's support 5 is below 6";
  // The explanation names the skills in force, not those the contact arrived with.
  const DecisionTrace now = router_->Explain(kAcme, contact, now_).value().back();
  ASSERT_EQ(now.effective_requirements.size(), 1u);
  EXPECT_EQ(now.effective_requirements[0].skill, "support");
  ASSERT_EQ(now.exclusions.size(), 1u);
  EXPECT_EQ(now.exclusions[0].agent, kBob);
  EXPECT_EQ(now.exclusions[0].detail, "support 5 < 6");
}

TEST_F(HandoverTest, TransfersThatCannotHappenChangeNothing) {
  const ContactId contact = ConnectedToAlice();
  struct Case {
    std::variant<QueueId, AgentId> target;
    absl::StatusCode code;
    const char* message;
  };
  Do(SetAgentState{.agent = kCarol, .presence = AgentPresence::kLoggedOut});
  for (const Case& bad : std::vector<Case>{
           {kAlice, absl::StatusCode::kInvalidArgument, "to yourself"},
           {kCarol, absl::StatusCode::kFailedPrecondition, "'carol' is logged out"},
           {kDana, absl::StatusCode::kNotFound, "agent 'dana' not found"},
           {kSales, absl::StatusCode::kNotFound, "queue 'globex.sales' not found"},
           {QueueId("nowhere"), absl::StatusCode::kNotFound, "queue 'nowhere' not found"}}) {
    absl::StatusOr<CommandResult> result = Transfer(kAlice, contact, bad.target);
    EXPECT_EQ(result.status().code(), bad.code) << bad.message;
    EXPECT_THAT(result.status().message(), HasSubstr(bad.message));
  }
  EXPECT_EQ(Transfer(kBob, contact, kSupport).status().code(),
            absl::StatusCode::kFailedPrecondition)
      << "not bob's contact";
  EXPECT_THAT(events_, IsEmpty());
  EXPECT_EQ(StateOf(contact), ContactState::kConnected);
}

TEST_F(HandoverTest, ATransferToAFullQueueIsRefused) {
  Create("w1", kTier2);
  Create("w2", kTier2);
  const ContactId contact = ConnectedToAlice();
  EXPECT_EQ(Transfer(kAlice, contact, kTier2).status().code(),
            absl::StatusCode::kResourceExhausted);
}

// --- escalations -------------------------------------------------------------------------------

TEST_F(HandoverTest, ATier2EscalationIsResolvedByTheTier2AgentCompletingTheContact) {
  const ContactId contact = ConnectedToAlice();
  const CommandResult result = Do(EscalateContact{.agent = kAlice,
                                                  .contact = contact,
                                                  .queue = kTier2,
                                                  .reason = "refund-approval",
                                                  .notes = "charged twice"});
  std::vector<EscalationRaised> raised = EventsOf<EscalationRaised>();
  ASSERT_EQ(raised.size(), 1u);
  const EscalationView& escalation = *raised[0].escalation;
  EXPECT_EQ(escalation.id, result.escalation);
  EXPECT_TRUE(escalation.open);
  EXPECT_EQ(escalation.source, EscalationSource::kAgent);
  EXPECT_EQ(escalation.agent, kAlice);
  EXPECT_EQ(escalation.team, "red");
  EXPECT_EQ(escalation.queue, kBilling);
  EXPECT_EQ(escalation.target_queue, kTier2);
  EXPECT_EQ(escalation.notes, "charged twice");
  ASSERT_EQ(EventsOf<ContactEscalated>().size(), 1u);
  EXPECT_EQ(EventsOf<ContactEscalated>()[0].from_queue, kBilling);
  EXPECT_EQ(router_->FindContact(contact)->queue, kTier2);

  Ready(kCarol);
  Do(AcceptOffer{.agent = kCarol, .contact = contact});
  Do(CompleteContact{.agent = kCarol, .contact = contact});
  events_.clear();
  Do(SubmitWrapUp{.agent = kCarol, .contact = contact, .disposition = "refund-approved"});
  std::vector<EscalationResolved> resolved = EventsOf<EscalationResolved>();
  ASSERT_EQ(resolved.size(), 1u);
  EXPECT_FALSE(resolved[0].escalation->open);
  EXPECT_EQ(resolved[0].escalation->resolved_by, "carol");
  EXPECT_EQ(resolved[0].escalation->resolution, "refund-approved");
  EXPECT_EQ(resolved[0].escalation->agent, kAlice) << "whom to tell";
  EXPECT_THAT(router_->ListEscalations(kAcme, /*open_only=*/true), IsEmpty());
  EXPECT_EQ(router_->ListEscalations(kAcme, /*open_only=*/false).size(), 1u);
}

TEST_F(HandoverTest, ASupervisorEscalationLeavesTheContactWithItsAgentUntilResolved) {
  const ContactId contact = ConnectedToAlice();
  const EscalationId id =
      Do(EscalateContact{.agent = kAlice, .contact = contact, .reason = "abusive-caller"})
          .escalation;
  EXPECT_EQ(StateOf(contact), ContactState::kConnected);
  EXPECT_EQ(router_->FindContact(contact)->agent, kAlice);
  EXPECT_EQ(
      Try(EscalateContact{.agent = kAlice, .contact = contact, .reason = "again"}).status().code(),
      absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(router_->ListEscalations(kAcme, true).size(), 1u);
  EXPECT_EQ(Try(ResolveEscalation{.tenant = kGlobex, .escalation = id}).status().code(),
            absl::StatusCode::kNotFound)
      << "another tenant's";
  Do(ResolveEscalation{.tenant = kAcme,
                       .escalation = id,
                       .resolved_by = "sam-supervisor",
                       .resolution = "call ended politely"});
  ASSERT_EQ(EventsOf<EscalationResolved>().size(), 1u);
  EXPECT_EQ(EventsOf<EscalationResolved>()[0].escalation->resolved_by, "sam-supervisor");
  EXPECT_EQ(Try(ResolveEscalation{.tenant = kAcme, .escalation = id}).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(HandoverTest, EscalationsNeedAReasonAndAContactTheAgentHolds) {
  const ContactId contact = ConnectedToAlice();
  EXPECT_EQ(Try(EscalateContact{.agent = kAlice, .contact = contact}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Try(EscalateContact{.agent = kBob, .contact = contact, .reason = "x"}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  Do(CompleteContact{.agent = kAlice, .contact = contact});
  EXPECT_EQ(
      Try(EscalateContact{.agent = kAlice, .contact = contact, .queue = kTier2, .reason = "x"})
          .status()
          .code(),
      absl::StatusCode::kFailedPrecondition)
      << "a tier-2 escalation needs a connected contact";
  EXPECT_TRUE(Try(EscalateContact{.agent = kAlice, .contact = contact, .reason = "x"}).ok())
      << "supervisors may be asked during wrap-up";
}

TEST(HandoverStepAlert, ANotifyStepRaisesAnEscalationResolvedWhenTheContactIsAnswered) {
  Catalog catalog = HandoverCatalog();
  catalog.queues[0].steps = {
      {.after = seconds(60), .action = NotifySupervisors{.message = "waiting over a minute"}}};
  std::vector<Event> events;
  Timestamp now(seconds(1'000'000));
  std::unique_ptr<Router> router = std::move(Router::Create(catalog, now)).value();
  const ContactId contact =
      router
          ->Handle(
              CreateContact{.details = {.tenant = kAcme, .external_id = "c1"}, .queue = kBilling},
              now, events)
          ->contact;
  now += seconds(60);
  router->AdvanceTo(now, events);
  std::vector<EscalationView> open = router->ListEscalations(kAcme, true);
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].source, EscalationSource::kQueueStep);
  EXPECT_EQ(open[0].reason, "waiting over a minute");
  EXPECT_EQ(open[0].contact, contact);
  ASSERT_TRUE(router->Handle(SetAgentState{.agent = kAlice}, now, events).ok());
  ASSERT_TRUE(router->Handle(AcceptOffer{.agent = kAlice, .contact = contact}, now, events).ok());
  EXPECT_THAT(router->ListEscalations(kAcme, true), IsEmpty());
  const EscalationView settled = router->ListEscalations(kAcme, false).at(0);
  EXPECT_EQ(settled.resolved_by, kResolvedBySystem);
  EXPECT_EQ(settled.resolution, "answered");
}

// --- follow-ups and scheduled contacts
// ------------------------------------------------------------

TEST_F(HandoverTest, AFollowUpIsScheduledThenWaitsPinnedToItsAgent) {
  const ContactId original = ConnectedToAlice();
  const ContactId follow_up = Do(ScheduleFollowUp{.agent = kAlice,
                                                  .contact = original,
                                                  .not_before = now_ + hours(2),
                                                  .pinned = true,
                                                  .notes = "call back with the refund status"})
                                  .contact;
  std::vector<ContactScheduled> scheduled = EventsOf<ContactScheduled>();
  ASSERT_EQ(scheduled.size(), 1u);
  EXPECT_EQ(scheduled[0].not_before, now_ + hours(2));
  EXPECT_EQ(scheduled[0].pinned_agent, kAlice);
  EXPECT_EQ(scheduled[0].follow_up_of, original);
  ContactView view = router_->FindContact(follow_up).value();
  EXPECT_EQ(view.state, ContactState::kScheduled);
  EXPECT_EQ(view.details.channel, Channel::kCallback);
  EXPECT_EQ(view.attempt, 1);
  EXPECT_EQ(view.handover_notes, "call back with the refund status");

  Do(CompleteContact{.agent = kAlice, .contact = original});
  Do(SubmitWrapUp{.agent = kAlice, .contact = original, .disposition = "follow-up"});
  Ready(kBob);
  events_.clear();
  Advance(hours(2) - seconds(1));
  EXPECT_THAT(EventsOf<ContactQueued>(), IsEmpty());
  Advance(seconds(1));
  EXPECT_EQ(StateOf(follow_up), ContactState::kOffered);
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kAlice, follow_up))) << "pinned: never bob";
}

TEST_F(HandoverTest, APinnedFollowUpGoesToAnyoneAfterItsPinTimeout) {
  const ContactId original = ConnectedToAlice();
  const ContactId follow_up = Do(ScheduleFollowUp{.agent = kAlice,
                                                  .contact = original,
                                                  .not_before = now_ + minutes(10),
                                                  .pinned = true,
                                                  .pin_timeout = minutes(5)})
                                  .contact;
  Ready(kBob);
  events_.clear();
  Advance(minutes(10));
  EXPECT_THAT(TakeOffers(), IsEmpty()) << "alice is busy; bob may not take it yet";
  Advance(minutes(5));
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kBob, follow_up)));
}

TEST_F(HandoverTest, AFollowUpOfAFollowUpIsTheNextAttempt) {
  const ContactId original = ConnectedToAlice();
  const ContactId first =
      Do(ScheduleFollowUp{.agent = kAlice, .contact = original, .not_before = now_}).contact;
  Do(CompleteContact{.agent = kAlice, .contact = original});
  Do(SubmitWrapUp{.agent = kAlice, .contact = original, .disposition = "callback-booked"});
  Advance(Duration::zero());
  Do(AcceptOffer{.agent = kAlice, .contact = first});
  const ContactId second =
      Do(ScheduleFollowUp{.agent = kAlice, .contact = first, .not_before = now_ + hours(1)})
          .contact;
  EXPECT_EQ(router_->FindContact(second)->attempt, 2);
  EXPECT_EQ(router_->FindContact(second)->follow_up_of, first);
}

TEST_F(HandoverTest, FollowUpsThatCannotBeScheduled) {
  const ContactId contact = ConnectedToAlice();
  auto code = [&](ScheduleFollowUp follow_up) {
    follow_up.agent = follow_up.agent.value().empty() ? kAlice : follow_up.agent;
    follow_up.contact = contact;
    return Try(follow_up).status().code();
  };
  EXPECT_EQ(code({.not_before = now_ + hours(1), .channel = Channel::kVoice}),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code({.not_before = now_ + hours(24 * 91)}), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code({.not_before = now_, .queue = kTier2}), absl::StatusCode::kInvalidArgument)
      << "acme.tier2 takes no callbacks";
  EXPECT_EQ(code({.not_before = now_, .pinned = true, .queue = kSupport}),
            absl::StatusCode::kFailedPrecondition)
      << "alice is not in acme.support";
  EXPECT_EQ(code({.agent = kBob, .not_before = now_}), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(events_, IsEmpty());
}

TEST_F(HandoverTest, AGatewayMayScheduleAContactForLater) {
  absl::StatusOr<CommandResult> call =
      Try(CreateContact{.details = {.tenant = kAcme, .external_id = "v1"},
                        .queue = kSupport,
                        .not_before = now_ + hours(1)});
  EXPECT_EQ(call.status().code(), absl::StatusCode::kInvalidArgument) << "voice cannot wait";

  const ContactId email =
      Do(CreateContact{
             .details = {.tenant = kAcme, .external_id = "e1", .channel = Channel::kEmail},
             .queue = kSupport,
             .not_before = now_ + hours(1)})
          .contact;
  EXPECT_EQ(StateOf(email), ContactState::kScheduled);
  EXPECT_EQ(router_->FindContact(email)->virtual_start, now_ + hours(1));
  Ready(kBob);
  EXPECT_THAT(TakeOffers(), IsEmpty());
  Advance(hours(1));
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kBob, email)));
}

TEST_F(HandoverTest, CancellingAScheduledContactAbandonsItAndDisarmsItsTimer) {
  const ContactId email =
      Do(CreateContact{
             .details = {.tenant = kAcme, .external_id = "e1", .channel = Channel::kEmail},
             .queue = kSupport,
             .not_before = now_ + hours(1)})
          .contact;
  Do(CancelContact{.tenant = kAcme, .contact = email, .reason = "customer-called-in"});
  EXPECT_EQ(StateOf(email), ContactState::kAbandoned);
  EXPECT_EQ(router_->NextDeadline(), now_ + Catalog().finished_contact_retention);
}

}  // namespace
}  // namespace acd::routing
