// Router::Reconfigured: a configuration change carries every live contact and agent over, drops
// what is gone where nothing live needs it, and refuses what would strand live state.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "tests/routing/router_fixture.h"

namespace acd::routing::scenario {
namespace {

using ::testing::HasSubstr;

class ReconfigureTest : public RouterTest {
 protected:
  /// Replaces the router with its reconfiguration over `catalog`, which must succeed.
  void Reconfigure(const Catalog& catalog) {
    absl::StatusOr<std::unique_ptr<Router>> next = router_->Reconfigured(catalog, now_, events_);
    ASSERT_TRUE(next.ok()) << next.status();
    router_ = std::move(*next);
  }

  absl::Status Refusal(const Catalog& catalog) {
    std::vector<Event> discarded;
    return router_->Reconfigured(catalog, now_, discarded).status();
  }

  static Catalog Without(Catalog catalog, const AgentId& agent) {
    std::erase_if(catalog.agents, [&](const AgentConfig& config) { return config.id == agent; });
    return catalog;
  }
};

TEST_F(ReconfigureTest, WaitingContactsKeepTheirPlaceAndAgentsTheirState) {
  Ready(kAlice);
  const ContactId held = Create("call-1");
  const ContactId first = Create("call-2");
  const ContactId second = Create("call-3");
  ASSERT_EQ(TakeOffers(), std::vector<std::string>{Offer(kAlice, held)});

  Catalog catalog = TestCatalog();
  catalog.queues[0].default_priority = 10;  // A setting changes.
  AgentConfig carol{.id = AgentId("carol"),
                    .tenant = kAcme,
                    .display_name = "Carol",
                    .skills = {{"billing", 5}},
                    .queues = {kBilling}};
  catalog.agents.push_back(carol);  // An agent joins.
  Reconfigure(catalog);

  EXPECT_EQ(StateOf(held), ContactState::kOffered);
  EXPECT_EQ(router_->FindAgent(kAlice)->presence, AgentPresence::kReady);
  // The new agent logs in and takes the first in line, then the next.
  Ready(AgentId("carol"));
  EXPECT_EQ(TakeOffers(), std::vector<std::string>{Offer(AgentId("carol"), first)});
  Ready(kBob);
  EXPECT_EQ(TakeOffers(), std::vector<std::string>{Offer(kBob, second)});
}

TEST_F(ReconfigureTest, ALoggedOutAgentGoes) {
  Ready(kBob);
  const ContactId contact = Create("call-1");
  Do(AcceptOffer{.agent = kBob, .contact = contact});
  Do(CompleteContact{.agent = kBob, .contact = contact});
  Do(SubmitWrapUp{.agent = kBob, .contact = contact, .disposition = "resolved"});
  EXPECT_THAT(Refusal(Without(TestCatalog(), kBob)).message(), HasSubstr("agent 'bob'"));

  Do(SetAgentState{.agent = kBob, .presence = AgentPresence::kLoggedOut});
  Reconfigure(Without(TestCatalog(), kBob));
  EXPECT_FALSE(router_->FindAgent(kBob).has_value());
  // The finished contact bob handled stays readable, without him.
  EXPECT_EQ(StateOf(contact), ContactState::kCompleted);
  events_.clear();
  Ready(kAlice);
  const ContactId next = Create("call-2");
  EXPECT_EQ(TakeOffers(), std::vector<std::string>{Offer(kAlice, next)});
  // Its timers went too: time passes without touching it.
  Advance(std::chrono::hours(1));
}

TEST_F(ReconfigureTest, WhatLiveContactsNeedIsRefused) {
  Create("call-1", kSupport, {{"support", 2}}, Channel::kEmail);

  Catalog no_queue = TestCatalog();
  std::erase_if(no_queue.queues, [](const QueueConfig& queue) { return queue.id == kSupport; });
  for (AgentConfig& agent : no_queue.agents) std::erase(agent.queues, kSupport);
  const absl::Status queue = Refusal(no_queue);
  EXPECT_EQ(queue.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(queue.message(), HasSubstr("queue 'acme.support' has live contact"));

  Catalog no_email = TestCatalog();
  no_email.queues[1].channels = {Channel::kVoice};
  EXPECT_THAT(Refusal(no_email).message(), HasSubstr("on channel email"));

  Catalog no_skill = TestCatalog();
  no_skill.tenants[0].skills = {"billing"};
  std::erase_if(no_skill.agents[0].skills,
                [](const SkillLevel& skill) { return skill.skill == "support"; });
  EXPECT_THAT(Refusal(no_skill).message(), HasSubstr("skill 'support' is required"));

  Catalog broken = TestCatalog();
  broken.agents[0].queues.push_back(QueueId("nowhere"));
  EXPECT_EQ(Refusal(broken).code(), absl::StatusCode::kInvalidArgument);

  // Refusals left the router as it was.
  Ready(kAlice);
  EXPECT_EQ(TakeOffers().size(), 1u);
}

TEST_F(ReconfigureTest, AQueueNobodyWaitsInGoesWithItsKpis) {
  const ContactId contact = Create("call-1", kSupport);
  Do(CancelContact{.tenant = kAcme, .contact = contact});
  Catalog catalog = TestCatalog();
  std::erase_if(catalog.queues, [](const QueueConfig& queue) { return queue.id == kSupport; });
  for (AgentConfig& agent : catalog.agents) std::erase(agent.queues, kSupport);
  Reconfigure(catalog);
  EXPECT_EQ(router_->ListQueues(kAcme, now_).size(), 1u);
  Advance(std::chrono::hours(1));
}

TEST_F(ReconfigureTest, WaitingContactsTakeTheQueuesNewLimitsAndSteps) {
  Catalog before = TestCatalog();
  before.queues[0].max_wait = seconds(60);
  before.queues[0].steps = {{.after = seconds(10), .action = BoostPriority{.by = 5}},
                            {.after = seconds(20), .action = BoostPriority{.by = 5}},
                            {.after = seconds(30), .action = BoostPriority{.by = 5}}};
  Reconfigure(before);
  const ContactId contact = Create("call-1");
  Advance(seconds(15));  // One step done, the next armed for 20 s.
  ASSERT_EQ(router_->FindContact(contact)->priority, 5);

  // Fewer steps than the contact has armed, and no maximum wait any more.
  Catalog after = TestCatalog();
  after.queues[0].steps = {{.after = seconds(10), .action = BoostPriority{.by = 5}}};
  Reconfigure(after);
  Advance(std::chrono::hours(1));
  EXPECT_EQ(StateOf(contact), ContactState::kQueued) << "no max wait, no step left: it waits";
  EXPECT_EQ(router_->FindContact(contact)->priority, 5);
}

TEST_F(ReconfigureTest, AgentsAreFiledAndOfferedUnderTheNewSettingsAtOnce) {
  Ready(kAlice);
  Ready(kBob);
  Catalog no_room = TestCatalog();
  no_room.agents[0].capacity = {0, 0, 0, 0, 0, 0};  // Alice takes nothing any more.
  std::erase(no_room.agents[1].queues, kBilling);   // Bob leaves billing.
  Reconfigure(no_room);
  events_.clear();
  const ContactId contact = Create("call-1");
  EXPECT_EQ(TakeOffers(), std::vector<std::string>{}) << "neither may take a billing call now";

  // Bob joins billing again: the reconfiguration itself offers him the waiting call.
  Catalog back = no_room;
  back.agents[1].queues.push_back(kBilling);
  Reconfigure(back);
  EXPECT_EQ(TakeOffers(), std::vector<std::string>{Offer(kBob, contact)});
}

TEST_F(ReconfigureTest, AQueueOrAgentMovedToAnotherTenantWithLiveContactsIsRefused) {
  Ready(kAlice);
  Create("call-1");  // Offered to alice, in acme.billing.
  Catalog moved_queue = TestCatalog();
  moved_queue.queues[0].tenant = kGlobex;
  moved_queue.tenants[1].skills.push_back("billing");
  for (AgentConfig& agent : moved_queue.agents) std::erase(agent.queues, kBilling);
  EXPECT_THAT(Refusal(moved_queue).message(), HasSubstr("queue 'acme.billing' has live contact"));

  Catalog moved_agent = TestCatalog();
  moved_agent.agents[0].tenant = kGlobex;
  moved_agent.agents[0].queues = {kSales};
  moved_agent.agents[0].skills = {};
  EXPECT_THAT(Refusal(moved_agent).message(), HasSubstr("agent 'alice' holds live contact"));
}

}  // namespace
}  // namespace acd::routing::scenario
