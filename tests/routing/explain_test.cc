// Decision traces: what the router considered for each offer, and why a waiting contact waits.

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
using ::testing::Field;
using ::testing::IsEmpty;

const AgentId kChen("chen");

/// acme.billing (voice): alice billing 7, bob billing 3, chen billing 9; a relax step at 60 s.
Catalog ExplainCatalog() {
  Catalog catalog;
  catalog.tenants = {{.id = kAcme, .skills = {"billing"}}, {.id = kGlobex}};
  catalog.queues = {{.id = kBilling, .tenant = kAcme, .channels = {Channel::kVoice}}};
  catalog.queues[0].steps = {
      {.after = seconds(60), .action = RelaxSkill{.skill = "billing", .min_level = 2}}};
  catalog.agents = {
      {.id = kAlice, .tenant = kAcme, .skills = {{"billing", 7}}, .queues = {kBilling}},
      {.id = kBob, .tenant = kAcme, .skills = {{"billing", 3}}, .queues = {kBilling}},
      {.id = kChen, .tenant = kAcme, .skills = {{"billing", 9}}, .queues = {kBilling}}};
  return catalog;
}

class ExplainTest : public RouterTest {
 protected:
  ExplainTest() : RouterTest(ExplainCatalog()) {}

  std::vector<DecisionTrace> Explain(ContactId contact) {
    return router_->Explain(kAcme, contact, now_).value();
  }
};

TEST_F(ExplainTest, AnOfferRecordsTheCandidatesInOrderAndWhoWasExcluded) {
  for (const AgentId& agent : {kAlice, kBob, kChen}) {
    Ready(agent);
    Advance(seconds(10));
  }
  const ContactId contact = Create("c1", kBilling, {{"billing", 5}});
  std::vector<DecisionTrace> decisions = Explain(contact);
  ASSERT_EQ(decisions.size(), 1u);
  const DecisionTrace& decision = decisions[0];
  EXPECT_EQ(decision.trigger, DecisionTrigger::kContactArrived);
  EXPECT_EQ(decision.queue, kBilling);
  EXPECT_EQ(decision.strategy, SelectionStrategy::kLongestIdle);
  EXPECT_EQ(decision.active_step, 0);
  EXPECT_EQ(decision.chosen, kAlice);
  EXPECT_THAT(decision.candidates,
              ElementsAre(AllOf(Field(&DecisionCandidate::agent, kAlice),
                                Field(&DecisionCandidate::strategy_key, "idle 30s"),
                                Field(&DecisionCandidate::rank, 1)),
                          AllOf(Field(&DecisionCandidate::agent, kChen),
                                Field(&DecisionCandidate::rank, 2))));
  ASSERT_EQ(decision.exclusions.size(), 1u);
  EXPECT_EQ(decision.exclusions[0].agent, kBob);
  EXPECT_EQ(decision.exclusions[0].reason, ExclusionReason::kSkillTooLow);
  EXPECT_EQ(decision.exclusions[0].detail, "billing 3 < 5");
  ASSERT_EQ(decision.effective_requirements.size(), 1u);
  EXPECT_EQ(decision.effective_requirements[0].level, 5);
}

TEST_F(ExplainTest, AWaitingContactShowsWhyNobodyTakesIt) {
  Do(SetAgentState{.agent = kAlice, .presence = AgentPresence::kNotReady, .reason = "lunch"});
  Ready(kBob);
  const ContactId contact = Create("c1", kBilling, {{"billing", 5}});
  Advance(seconds(30));
  std::vector<DecisionTrace> decisions = Explain(contact);
  ASSERT_EQ(decisions.size(), 1u) << "no offer yet: only the explanation as of now";
  const DecisionTrace& now = decisions[0];
  EXPECT_EQ(now.chosen, std::nullopt);
  EXPECT_EQ(now.waited, seconds(30));
  EXPECT_THAT(now.candidates, IsEmpty());
  EXPECT_THAT(now.exclusions,
              ElementsAre(AllOf(Field(&DecisionExclusion::agent, kAlice),
                                Field(&DecisionExclusion::reason, ExclusionReason::kNotReady),
                                Field(&DecisionExclusion::detail, "lunch")),
                          AllOf(Field(&DecisionExclusion::agent, kBob),
                                Field(&DecisionExclusion::reason, ExclusionReason::kSkillTooLow)),
                          AllOf(Field(&DecisionExclusion::agent, kChen),
                                Field(&DecisionExclusion::reason, ExclusionReason::kLoggedOut))));
}

TEST_F(ExplainTest, TheStepInForceAndTheTriggerAreRecorded) {
  Ready(kBob);
  const ContactId contact = Create("c1", kBilling, {{"billing", 5}});
  Advance(seconds(60));  // The relax step lets bob (billing 3) take it.
  std::vector<DecisionTrace> decisions = Explain(contact);
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_EQ(decisions[0].trigger, DecisionTrigger::kStepReached);
  EXPECT_EQ(decisions[0].active_step, 1);
  EXPECT_EQ(decisions[0].active_step_description, "after 60s: relax skill billing to level 2");
  EXPECT_EQ(decisions[0].effective_requirements[0].level, 2);
  EXPECT_EQ(decisions[0].chosen, kBob);
}

TEST_F(ExplainTest, AnAgentFreeingUpRecordsItsDecisionAndADeclineAddsAnother) {
  const ContactId contact = Create("c1");
  Ready(kChen);
  Do(DeclineOffer{.agent = kChen, .contact = contact});
  Ready(kAlice);
  std::vector<DecisionTrace> decisions = Explain(contact);
  ASSERT_EQ(decisions.size(), 2u);
  EXPECT_EQ(decisions[0].trigger, DecisionTrigger::kAgentAvailable);
  EXPECT_EQ(decisions[0].chosen, kChen);
  EXPECT_EQ(decisions[1].trigger, DecisionTrigger::kAgentAvailable);
  EXPECT_EQ(decisions[1].chosen, kAlice);
}

TEST_F(ExplainTest, OtherTenantsAndUnknownContactsHaveNothingToExplain) {
  const ContactId contact = Create("c1");
  EXPECT_EQ(router_->Explain(kGlobex, contact, now_), std::nullopt);
  EXPECT_EQ(router_->Explain(kAcme, ContactId(424242), now_), std::nullopt);
}

}  // namespace
}  // namespace acd::routing
