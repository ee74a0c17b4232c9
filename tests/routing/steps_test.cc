// Queue steps: rules that change a waiting contact's routing as it ages.

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

const QueueId kFront("acme.front");
const QueueId kExperts("acme.experts");

/// acme.front (alice, billing 3) with the given steps; acme.experts (bob, billing 9, spanish 9).
Catalog StepsCatalog(std::vector<QueueStep> steps) {
  Catalog catalog;
  catalog.tenants = {{.id = kAcme, .skills = {"billing", "spanish"}}};
  catalog.queues = {{.id = kFront, .tenant = kAcme, .channels = {Channel::kVoice}},
                    {.id = kExperts, .tenant = kAcme, .channels = {Channel::kVoice}}};
  catalog.queues[0].steps = std::move(steps);
  catalog.queues[0].offer_timeout = seconds(60);
  catalog.agents = {{.id = kAlice, .tenant = kAcme, .skills = {{"billing", 3}}, .queues = {kFront}},
                    {.id = kBob,
                     .tenant = kAcme,
                     .skills = {{"billing", 9}, {"spanish", 9}},
                     .queues = {kExperts}}};
  return catalog;
}

class StepsTest : public RouterTest {
 protected:
  explicit StepsTest(std::vector<QueueStep> steps) : RouterTest(StepsCatalog(std::move(steps))) {}

  ContactId CreateIn(const QueueId& queue, const std::string& external_id,
                     std::vector<SkillLevel> skills = {}) {
    return Create(external_id, queue, std::move(skills));
  }

  std::vector<std::string> StepsApplied() {
    std::vector<std::string> applied;
    for (const StepApplied& step : EventsOf<StepApplied>()) {
      applied.push_back(std::string(StepKindName(step.kind)) + "#" + std::to_string(step.step));
    }
    return applied;
  }
};

class RelaxSkillTest : public StepsTest {
 protected:
  RelaxSkillTest()
      : StepsTest(
            {{.after = seconds(30), .action = RelaxSkill{.skill = "billing", .min_level = 3}}}) {}
};

TEST_F(RelaxSkillTest, ALoweredMinimumLetsALessSkilledAgentTakeTheContact) {
  Ready(kAlice);
  const ContactId contact = CreateIn(kFront, "c1", {{"billing", 8}});
  Advance(seconds(29));
  EXPECT_THAT(TakeOffers(), IsEmpty()) << "alice's billing 3 is below 8";
  Advance(seconds(1));
  EXPECT_THAT(StepsApplied(), ElementsAre("relax_skill#0"));
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kAlice, contact)));
}

class DropSkillTest : public StepsTest {
 protected:
  DropSkillTest() : StepsTest({{.after = seconds(20), .action = DropSkill{.skill = "spanish"}}}) {}
};

TEST_F(DropSkillTest, ADroppedRequirementNoLongerExcludesAnyone) {
  Ready(kAlice);
  const ContactId contact = CreateIn(kFront, "c1", {{"spanish", 5}, {"billing", 2}});
  Advance(seconds(20));
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kAlice, contact)))
      << "spanish dropped; billing 2 still met";
}

class BoostPriorityTest : public StepsTest {
 protected:
  BoostPriorityTest() : StepsTest({{.after = seconds(30), .action = BoostPriority{.by = 10}}}) {}
};

TEST_F(BoostPriorityTest, EachContactIsBoostedAtItsOwnAge) {
  Do(SetAgentState{.agent = kBob, .presence = AgentPresence::kNotReady});
  const ContactId older = CreateIn(kFront, "c1");
  Advance(seconds(10));
  const ContactId newer = CreateIn(kFront, "c2");
  Advance(seconds(20));  // c1 is 30 s old: boosted.
  EXPECT_EQ(router_->FindContact(older)->priority, 10);
  EXPECT_EQ(router_->FindContact(newer)->priority, 0);
  Advance(seconds(10));  // c2 too: both at 10, the older first again.
  EXPECT_EQ(router_->FindContact(newer)->priority, 10);
  EXPECT_EQ(router_->FindContact(older)->queue_position, 1);
  EXPECT_THAT(StepsApplied(), ElementsAre("boost_priority#0", "boost_priority#0"));
}

TEST_F(BoostPriorityTest, TheBoostedContactOvertakesAnUnboostedOneInTheLine) {
  const ContactId first = CreateIn(kFront, "c1");
  Advance(seconds(1));
  Create("c2", kFront, {}, Channel::kVoice, /*priority=*/5);
  EXPECT_EQ(router_->FindContact(first)->queue_position, 2);
  Advance(seconds(29));  // c1 boosted to 10, above c2's 5.
  EXPECT_EQ(router_->FindContact(first)->queue_position, 1);
  Ready(kAlice);
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kAlice, first)));
}

class AddQueueTest : public StepsTest {
 protected:
  AddQueueTest() : StepsTest({{.after = seconds(30), .action = AddQueue{.queue = kExperts}}}) {}
};

TEST_F(AddQueueTest, TheAddedQueuesAgentsMayTakeTheContact) {
  Ready(kBob);
  const ContactId contact = CreateIn(kFront, "c1");
  Advance(seconds(29));
  EXPECT_THAT(TakeOffers(), IsEmpty()) << "bob is not in acme.front";
  Advance(seconds(1));
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kBob, contact)));
}

TEST_F(AddQueueTest, AnAgentOfTheAddedQueueFreeingUpLaterFindsTheContact) {
  const ContactId contact = CreateIn(kFront, "c1");
  Advance(seconds(30));
  EXPECT_EQ(router_->ListQueues(kAcme, now_)[1].waiting, 1) << "it waits in acme.experts too";
  EXPECT_EQ(router_->FindContact(contact)->queue, kFront);
  Ready(kBob);
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kBob, contact)));
  EXPECT_EQ(router_->ListQueues(kAcme, now_)[0].waiting, 0);
  EXPECT_EQ(router_->ListQueues(kAcme, now_)[1].waiting, 0) << "gone from both lines";
}

class NotifyAndOverflowStepsTest : public StepsTest {
 protected:
  NotifyAndOverflowStepsTest()
      : StepsTest({{.after = seconds(60),
                    .action = NotifySupervisors{.message = "waiting over a minute"}},
                   {.after = seconds(120),
                    .action = Overflow{.action = OverflowAction::kQueue, .queue = kExperts}}}) {}
};

TEST_F(NotifyAndOverflowStepsTest, SupervisorsAreAlertedOnceThenTheContactOverflows) {
  const ContactId contact = CreateIn(kFront, "c1");
  Advance(seconds(60));
  std::vector<StepApplied> applied = EventsOf<StepApplied>();
  ASSERT_EQ(applied.size(), 1u);
  EXPECT_EQ(applied[0].kind, StepKind::kNotifySupervisors);
  EXPECT_EQ(applied[0].queue, kFront);
  EXPECT_EQ(applied[0].contact, contact);
  events_.clear();
  Advance(seconds(60));
  EXPECT_THAT(StepsApplied(), ElementsAre("overflow#1"));
  std::vector<ContactOverflowed> overflowed = EventsOf<ContactOverflowed>();
  ASSERT_EQ(overflowed.size(), 1u);
  EXPECT_EQ(overflowed[0].reason, kOverflowStep);
  EXPECT_EQ(router_->FindContact(contact)->queue, kExperts);
  events_.clear();
  Advance(seconds(600));
  EXPECT_THAT(StepsApplied(), IsEmpty()) << "acme.experts has no steps; nothing repeats";
}

TEST_F(NotifyAndOverflowStepsTest, StepsWaitWhileTheContactIsOfferedAndApplyWhenItReturns) {
  Ready(kAlice);
  const ContactId contact = CreateIn(kFront, "c1");
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kAlice, contact)));
  Advance(seconds(59));
  Do(SetAgentState{.agent = kAlice, .presence = AgentPresence::kNotReady});
  Advance(seconds(5));  // 64 s old and offered no more: the 60 s step is applied now.
  EXPECT_THAT(StepsApplied(), ElementsAre("notify_supervisors#0"));
}

TEST(StepsCatalog, StepsAreCheckedAgainstTheTenantAndTheQueues) {
  auto problem = [](std::vector<QueueStep> steps) {
    std::optional<CatalogProblem> found = StepsCatalog(std::move(steps)).FindProblem();
    return found ? found->message : std::string("none");
  };
  EXPECT_THAT(problem({{.after = seconds(30), .action = BoostPriority{.by = 5}},
                       {.after = seconds(10), .action = BoostPriority{.by = 5}}}),
              HasSubstr("in order of 'after'"));
  EXPECT_THAT(problem({{.after = seconds(10), .action = DropSkill{.skill = "french"}}}),
              HasSubstr("step 1: skill 'french' is not defined"));
  EXPECT_THAT(problem({{.after = seconds(10), .action = RelaxSkill{.skill = "billing"}},
                       {.after = seconds(10), .action = AddQueue{.queue = kFront}}}),
              HasSubstr("step 2: a queue cannot add itself"));
  EXPECT_THAT(problem({{.after = seconds(10), .action = BoostPriority{.by = 0}}}),
              HasSubstr("a priority boost must be 1-100"));
  EXPECT_THAT(problem({{.after = seconds(10), .action = NotifySupervisors{}}}),
              HasSubstr("needs a message"));

  Catalog circle =
      StepsCatalog({{.after = seconds(10),
                     .action = Overflow{.action = OverflowAction::kQueue, .queue = kExperts}}});
  circle.queues[1].overflow = {.action = OverflowAction::kQueue, .queue = kFront};
  circle.queues[1].max_wait = seconds(30);
  ASSERT_TRUE(circle.FindProblem().has_value());
  EXPECT_THAT(circle.FindProblem()->message,
              HasSubstr("goes round in a circle (acme.front -> acme.experts -> acme.front)"));
}

}  // namespace
}  // namespace acd::routing
