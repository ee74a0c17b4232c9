// Which agent a queue picks: each selection strategy, and preferred agents first.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "routing/local_time.h"
#include "routing/router.h"
#include "tests/routing/router_fixture.h"

namespace acd::routing {
namespace {

using namespace acd::routing::scenario;  // NOLINT(google-build-using-namespace): the test world
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

const QueueId kChat("acme.chat");
const AgentId kCarol("carol");

/// One chat queue with the given strategy and three agents, alice, bob and carol, with the given
/// chat capacities and billing levels.
Catalog StrategyCatalog(SelectionStrategy strategy, std::array<int, 3> chat_capacity,
                        std::array<int, 3> billing_level = {5, 5, 5}) {
  Catalog catalog;
  catalog.tenants = {{.id = kAcme, .skills = {"billing"}}};
  catalog.queues = {{.id = kChat,
                     .tenant = kAcme,
                     .channels = {Channel::kChat},
                     .strategy = strategy,
                     .wrap_up = {.policy = WrapUpPolicy::kNone}}};
  const std::array<AgentId, 3> ids = {kAlice, kBob, kCarol};
  for (std::size_t i = 0; i < ids.size(); ++i) {
    AgentConfig agent{.id = ids[i],
                      .tenant = kAcme,
                      .skills = {{"billing", billing_level[i]}},
                      .queues = {kChat}};
    agent.capacity[static_cast<std::size_t>(Channel::kChat)] = chat_capacity[i];
    catalog.agents.push_back(agent);
  }
  return catalog;
}

class SelectionTest : public RouterTest {
 protected:
  explicit SelectionTest(const Catalog& catalog, Timestamp start = Timestamp(seconds(1'000'000)))
      : RouterTest(catalog, start) {}

  /// Makes alice, bob and carol ready in that order, a second apart: alice is the longest idle.
  void AllReady() {
    for (const AgentId& agent : {kAlice, kBob, kCarol}) {
      Ready(agent);
      Advance(seconds(1));
    }
    events_.clear();
  }

  /// Creates a chat contact and returns the agent it was offered to ("" for none).
  std::string Route(const std::string& external_id, std::vector<SkillLevel> skills = {}) {
    const ContactId contact = Create(external_id, kChat, std::move(skills), Channel::kChat);
    std::vector<OfferMade> offers = EventsOf<OfferMade>();
    events_.clear();
    last_ = contact;
    return offers.empty() ? "" : offers.back().agent.value();
  }

  /// Accepts, ends and so completes (no wrap-up) the last routed contact.
  void Handle(const AgentId& agent) {
    Do(AcceptOffer{.agent = agent, .contact = last_});
    Do(CompleteContact{.agent = agent, .contact = last_});
    Advance(seconds(1));
    events_.clear();
  }

  ContactId last_;
};

class LeastOccupiedTest : public SelectionTest {
 protected:
  LeastOccupiedTest()
      : SelectionTest(StrategyCatalog(SelectionStrategy::kLeastOccupied, {4, 2, 2})) {}
};

TEST_F(LeastOccupiedTest, PicksTheSmallestShareOfCapacityInUseThenTheLongestIdle) {
  AllReady();
  // All free: the longest idle. Then whoever uses the smallest share: alice holds 1 of 4 (25%)
  // while bob and carol hold 0, then 1 of 2 (50%) against alice's 25%.
  EXPECT_EQ(Route("c1"), "alice");
  EXPECT_EQ(Route("c2"), "bob");
  EXPECT_EQ(Route("c3"), "carol");
  EXPECT_EQ(Route("c4"), "alice");
  // 50% each now: the longest idle (alice became ready first and has not been free since).
  EXPECT_EQ(Route("c5"), "alice");
  EXPECT_EQ(Route("c6"), "bob");
}

class MostSkilledTest : public SelectionTest {
 protected:
  MostSkilledTest()
      : SelectionTest(StrategyCatalog(SelectionStrategy::kMostSkilled, {1, 1, 1}, {7, 3, 9})) {}
};

TEST_F(MostSkilledTest, PicksTheHighestProficiencyInTheRequiredSkills) {
  AllReady();
  EXPECT_EQ(Route("c1", {{"billing", 1}}), "carol");
  EXPECT_EQ(Route("c2", {{"billing", 1}}), "alice");
  // Only bob is left; his level 3 meets a minimum of 3.
  EXPECT_EQ(Route("c3", {{"billing", 3}}), "bob");
}

TEST_F(MostSkilledTest, WithoutRequiredSkillsTheLongestIdleWins) {
  AllReady();
  EXPECT_EQ(Route("c1"), "alice");
  EXPECT_EQ(Route("c2"), "bob");
}

TEST_F(MostSkilledTest, ExcludesAgentsBelowTheMinimumWhateverTheirRank) {
  AllReady();
  EXPECT_EQ(Route("c1", {{"billing", 8}}), "carol");
  EXPECT_EQ(Route("c2", {{"billing", 8}}), "") << "nobody else reaches level 8";
}

class RoundRobinTest : public SelectionTest {
 protected:
  RoundRobinTest() : SelectionTest(StrategyCatalog(SelectionStrategy::kRoundRobin, {2, 2, 2})) {}
};

TEST_F(RoundRobinTest, TakesTheMembersInTurnWhileTheyHaveRoom) {
  AllReady();
  // Longest idle would give alice both of her chats first; round robin goes round.
  std::vector<std::string> picks;
  for (const char* id : {"c0", "c1", "c2", "c3", "c4", "c5"}) picks.push_back(Route(id));
  EXPECT_THAT(picks, ElementsAre("alice", "bob", "carol", "alice", "bob", "carol"));
  EXPECT_EQ(Route("c6"), "") << "everyone is full";
}

TEST_F(RoundRobinTest, AnAgentComingBackIsNotServedOutOfTurn) {
  AllReady();
  EXPECT_EQ(Route("c1"), "alice");
  Handle(kAlice);
  EXPECT_EQ(Route("c2"), "bob");
  Handle(kBob);
  // Alice is free again and has been idle longest, but carol's turn comes first.
  EXPECT_EQ(Route("c3"), "carol");
  EXPECT_EQ(Route("c4"), "alice");
}

/// São Paulo: UTC-3, without daylight saving since 2019. Falls back to UTC without tzdata, which
/// the tests below notice.
absl::TimeZone SaoPaulo() {
  absl::TimeZone zone;
  absl::LoadTimeZone("America/Sao_Paulo", &zone);
  return zone;
}

Catalog FewestTodayCatalog() {
  Catalog catalog = StrategyCatalog(SelectionStrategy::kFewestToday, {1, 1, 1});
  catalog.tenants[0].time_zone = SaoPaulo();
  return catalog;
}

class FewestTodayTest : public SelectionTest {
 protected:
  // 22:00 in São Paulo, 01:00 UTC the next day: a UTC "today" would have begun already.
  FewestTodayTest()
      : SelectionTest(FewestTodayCatalog(),
                      FromLocal(absl::CivilSecond(2026, 11, 25, 22, 0, 0), SaoPaulo())) {}
};

TEST_F(FewestTodayTest, CountsAcceptedContactsAndStartsAgainAtTheTenantsMidnight) {
  ASSERT_EQ(SaoPaulo().name(), "America/Sao_Paulo") << "tzdata is not installed";
  AllReady();
  EXPECT_EQ(Route("c1"), "alice");
  Handle(kAlice);
  EXPECT_EQ(Route("c2"), "bob");
  Handle(kBob);
  EXPECT_EQ(Route("c3"), "carol");
  Handle(kCarol);
  // One each: the longest idle (alice); then bob, with one against alice's two.
  EXPECT_EQ(Route("c4"), "alice");
  Handle(kAlice);
  EXPECT_EQ(Route("c5"), "bob");
  Handle(kBob);
  EXPECT_EQ(router_->FindAgent(kAlice)->contacts_today, 2);

  Advance(hours(1) + minutes(58));  // 23:59 local: still today.
  EXPECT_EQ(router_->FindAgent(kAlice)->contacts_today, 2);
  EXPECT_EQ(Route("c6"), "carol");
  Handle(kCarol);
  Advance(minutes(2));  // Past local midnight: everyone starts from zero.
  EXPECT_EQ(router_->FindAgent(kAlice)->contacts_today, 0);
  EXPECT_EQ(router_->FindAgent(kCarol)->contacts_today, 0);
  EXPECT_EQ(Route("c7"), "alice") << "all equal again: the longest idle";
}

/// Preferred agents: a support queue that tries them for 30 seconds.
Catalog PreferredCatalog() {
  Catalog catalog = StrategyCatalog(SelectionStrategy::kLongestIdle, {1, 1, 1});
  catalog.queues[0].preferred_agent_timeout = seconds(30);
  catalog.queues.push_back({.id = kSupport, .tenant = kAcme, .channels = {Channel::kChat}});
  catalog.agents[2].queues = {kSupport};  // carol is not in the chat queue
  return catalog;
}

class PreferredAgentTest : public SelectionTest {
 protected:
  PreferredAgentTest() : SelectionTest(PreferredCatalog()) {}

  ContactId CreatePreferring(const std::string& external_id, std::vector<AgentId> preferred) {
    return Do(CreateContact{.details = {.tenant = kAcme,
                                        .external_id = external_id,
                                        .channel = Channel::kChat,
                                        .preferred_agents = std::move(preferred)},
                            .queue = kChat})
        .contact;
  }
};

TEST_F(PreferredAgentTest, APreferredAgentWithRoomGetsTheContactBeforeTheLongestIdle) {
  AllReady();
  const ContactId contact = CreatePreferring("c1", {kBob});
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kBob, contact)));
}

TEST_F(PreferredAgentTest, TheContactWaitsForItsPreferredAgentsUntilTheTimeRunsOut) {
  Ready(kAlice);
  events_.clear();
  const ContactId contact = CreatePreferring("c1", {kBob});
  EXPECT_THAT(TakeOffers(), IsEmpty()) << "alice is free but not preferred";
  Advance(seconds(29));
  EXPECT_THAT(TakeOffers(), IsEmpty());
  Advance(seconds(1));
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kAlice, contact)));
}

TEST_F(PreferredAgentTest, APreferredAgentBecomingReadyInTimeTakesIt) {
  Ready(kAlice);
  const ContactId contact = CreatePreferring("c1", {kBob});
  Advance(seconds(10));
  events_.clear();
  Ready(kBob);
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kBob, contact)));
  Do(AcceptOffer{.agent = kBob, .contact = contact});
  Advance(seconds(30));
  EXPECT_THAT(TakeOffers(), IsEmpty()) << "the window's end changes nothing for a taken contact";
  EXPECT_EQ(StateOf(contact), ContactState::kConnected);
}

TEST_F(PreferredAgentTest, PreferredAgentsOutsideTheQueueAreSkipped) {
  Ready(kCarol);
  Ready(kAlice);
  events_.clear();
  const ContactId contact = CreatePreferring("c1", {kCarol});
  EXPECT_THAT(TakeOffers(), IsEmpty()) << "carol does not take this queue's contacts";
  Advance(seconds(30));
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kAlice, contact)));
}

TEST_F(PreferredAgentTest, UnknownPreferredAgentsAreRefused) {
  absl::StatusOr<CommandResult> result =
      Try(CreateContact{.details = {.tenant = kAcme,
                                    .external_id = "c1",
                                    .channel = Channel::kChat,
                                    .preferred_agents = {AgentId("zed")}},
                        .queue = kChat});
  EXPECT_EQ(result.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(result.status().message(), ::testing::HasSubstr("preferred agent 'zed'"));
}

TEST_F(PreferredAgentTest, AnAbandonedContactLeavesNoPreferenceTimerBehind) {
  const ContactId contact = CreatePreferring("c1", {kBob});
  Do(CancelContact{.tenant = kAcme, .contact = contact, .reason = "hangup"});
  // What is left is the finished contact's retention.
  EXPECT_EQ(router_->NextDeadline(), now_ + Catalog().finished_contact_retention);
}

}  // namespace
}  // namespace acd::routing
