#include "routing/catalog.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <ostream>
#include <string>

namespace acd::routing {
namespace {

using ::testing::HasSubstr;

const TenantId kAcme("acme");
const TenantId kGlobex("globex");
const QueueId kBilling("acme.billing");
const QueueId kSales("globex.sales");
const AgentId kAlice("alice");
const AgentId kDana("dana");

/// A small catalog with nothing wrong in it; each case below breaks one thing.
Catalog ValidCatalog() {
  Catalog catalog;
  catalog.tenants = {{.id = kAcme, .display_name = "Acme", .skills = {"billing", "support"}},
                     {.id = kGlobex, .display_name = "Globex", .skills = {"sales"}}};
  catalog.queues = {
      {.id = kBilling, .tenant = kAcme, .channels = {Channel::kVoice, Channel::kChat}},
      {.id = kSales, .tenant = kGlobex, .channels = {Channel::kVoice}}};
  catalog.agents = {{.id = kAlice,
                     .tenant = kAcme,
                     .skills = {{"billing", kMinSkillLevel}, {"support", kMaxSkillLevel}},
                     .queues = {kBilling}},
                    {.id = kDana, .tenant = kGlobex, .skills = {{"sales", 5}}, .queues = {kSales}}};
  return catalog;
}

TEST(CatalogTest, ValidCatalogHasNoProblem) {
  std::optional<CatalogProblem> problem = ValidCatalog().FindProblem();
  EXPECT_FALSE(problem.has_value())
      << problem->entity_kind << " " << problem->entity_id << ": " << problem->message;
}

TEST(CatalogTest, EmptyCatalogHasNoProblem) { EXPECT_FALSE(Catalog{}.FindProblem().has_value()); }

/// One way to break the valid catalog, and the problem it must produce.
struct ProblemCase {
  const char* name;
  std::function<void(Catalog&)> breaks;
  std::string kind;
  std::string id;
  std::string message_part;
};

void PrintTo(const ProblemCase& test, std::ostream* out) { *out << test.name; }

class CatalogProblemTest : public ::testing::TestWithParam<ProblemCase> {};

TEST_P(CatalogProblemTest, NamesTheEntity) {
  const ProblemCase& test = GetParam();
  Catalog catalog = ValidCatalog();
  test.breaks(catalog);

  std::optional<CatalogProblem> problem = catalog.FindProblem();

  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->entity_kind, test.kind);
  EXPECT_EQ(problem->entity_id, test.id);
  EXPECT_THAT(problem->message, HasSubstr(test.message_part));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CatalogProblemTest,
    ::testing::Values(
        ProblemCase{"DuplicateTenant", [](Catalog& c) { c.tenants.push_back({.id = kAcme}); },
                    "tenant", "acme", "duplicate tenant id"},
        ProblemCase{"DuplicateSkill",
                    [](Catalog& c) { c.tenants[0].skills.emplace_back("billing"); }, "tenant",
                    "acme", "duplicate skill 'billing'"},
        ProblemCase{"DuplicateQueue",
                    [](Catalog& c) {
                      c.queues.push_back(
                          {.id = kBilling, .tenant = kAcme, .channels = {Channel::kEmail}});
                    },
                    "queue", "acme.billing", "duplicate queue id"},
        ProblemCase{"DuplicateAgent",
                    [](Catalog& c) { c.agents.push_back({.id = kAlice, .tenant = kAcme}); },
                    "agent", "alice", "duplicate agent id"},
        ProblemCase{"QueueOfUnknownTenant",
                    [](Catalog& c) { c.queues[1].tenant = TenantId("initech"); }, "queue",
                    "globex.sales", "unknown tenant 'initech'"},
        ProblemCase{"AgentOfUnknownTenant",
                    [](Catalog& c) { c.agents[0].tenant = TenantId("initech"); }, "agent", "alice",
                    "unknown tenant 'initech'"},
        ProblemCase{"QueueWithoutChannels", [](Catalog& c) { c.queues[0].channels.clear(); },
                    "queue", "acme.billing", "at least one channel"},
        ProblemCase{"ServiceLevelTargetZero",
                    [](Catalog& c) { c.queues[0].service_level_target = 0.0; }, "queue",
                    "acme.billing", "service level target"},
        ProblemCase{"ServiceLevelTargetAboveOne",
                    [](Catalog& c) { c.queues[0].service_level_target = 1.01; }, "queue",
                    "acme.billing", "service level target"},
        ProblemCase{"ServiceLevelThresholdZero",
                    [](Catalog& c) { c.queues[0].service_level_threshold = Duration::zero(); },
                    "queue", "acme.billing", "service level threshold"},
        ProblemCase{"OfferTimeoutNegative",
                    [](Catalog& c) { c.queues[1].offer_timeout = std::chrono::seconds(-1); },
                    "queue", "globex.sales", "offer timeout"},
        ProblemCase{"TimedWrapUpWithoutTimeout",
                    [](Catalog& c) {
                      c.queues[0].wrap_up = {.policy = WrapUpPolicy::kTimed,
                                             .timeout = Duration::zero()};
                    },
                    "queue", "acme.billing", "timed wrap-up needs a positive timeout"},
        ProblemCase{"NegativeDeclineCooldown",
                    [](Catalog& c) {
                      c.tenants[0].agent_policy.decline_cooldown = std::chrono::seconds(-1);
                    },
                    "tenant", "acme", "cannot be negative"},
        ProblemCase{"NotReadyAfterNoMisses",
                    [](Catalog& c) { c.tenants[1].agent_policy.not_ready_after_misses = 0; },
                    "tenant", "globex", "not_ready_after_misses must be at least 1"},
        ProblemCase{"SkillNotInTenant",
                    [](Catalog& c) {
                      c.agents[0].skills.push_back({"sales", 5});
                    },
                    "agent", "alice", "skill 'sales' is not defined in tenant 'acme'"},
        ProblemCase{"SkillLevelBelowRange",
                    [](Catalog& c) { c.agents[0].skills[0].level = kMinSkillLevel - 1; }, "agent",
                    "alice", "level must be 1-10"},
        ProblemCase{"SkillLevelAboveRange",
                    [](Catalog& c) { c.agents[1].skills[0].level = kMaxSkillLevel + 1; }, "agent",
                    "dana", "level must be 1-10"},
        ProblemCase{"UnknownQueue",
                    [](Catalog& c) { c.agents[0].queues.emplace_back("acme.sales"); }, "agent",
                    "alice", "unknown queue 'acme.sales'"},
        ProblemCase{"QueueOfAnotherTenant",
                    [](Catalog& c) { c.agents[0].queues.push_back(kSales); }, "agent", "alice",
                    "queue 'globex.sales' belongs to another tenant"},
        ProblemCase{
            "NegativeCapacity",
            [](Catalog& c) { c.agents[0].capacity[static_cast<std::size_t>(Channel::kChat)] = -1; },
            "agent", "alice", "capacity"},
        ProblemCase{"CapacityAboveLimit",
                    [](Catalog& c) {
                      c.agents[1].capacity[static_cast<std::size_t>(Channel::kEmail)] = 101;
                    },
                    "agent", "dana", "capacity"}),
    [](const ::testing::TestParamInfo<ProblemCase>& param) {
      return std::string(param.param.name);
    });

TEST(CatalogTest, ZeroCapacityIsAllowed) {
  Catalog catalog = ValidCatalog();
  catalog.agents[0].capacity[static_cast<std::size_t>(Channel::kVoice)] = 0;
  EXPECT_FALSE(catalog.FindProblem().has_value());
}

TEST(CatalogTest, ChannelNamesRoundTrip) {
  for (std::size_t i = 0; i < kChannelCount; ++i) {
    const auto channel = static_cast<Channel>(i);
    EXPECT_EQ(ParseChannel(ChannelName(channel)), channel) << ChannelName(channel);
  }
  EXPECT_EQ(ChannelName(Channel::kWorkItem), "work_item");
  EXPECT_EQ(ParseChannel("voice"), Channel::kVoice);
  EXPECT_EQ(ParseChannel("Voice"), std::nullopt);
  EXPECT_EQ(ParseChannel("fax"), std::nullopt);
  EXPECT_EQ(ParseChannel(""), std::nullopt);
}

TEST(CatalogTest, StrategyNamesRoundTrip) {
  for (std::size_t i = 0; i < kStrategyCount; ++i) {
    const auto strategy = static_cast<SelectionStrategy>(i);
    EXPECT_EQ(ParseStrategy(StrategyName(strategy)), strategy);
  }
  EXPECT_EQ(StrategyName(SelectionStrategy::kFewestToday), "fewest_contacts_today");
  EXPECT_EQ(ParseStrategy("random"), std::nullopt);
  EXPECT_EQ(ParseStrategy(""), std::nullopt);
}

TEST(CatalogTest, WrapUpPolicyNamesRoundTrip) {
  for (WrapUpPolicy policy :
       {WrapUpPolicy::kNone, WrapUpPolicy::kTimed, WrapUpPolicy::kMandatory}) {
    EXPECT_EQ(ParseWrapUpPolicy(WrapUpPolicyName(policy)), policy);
  }
  EXPECT_EQ(ParseWrapUpPolicy("optional"), std::nullopt);
}

}  // namespace
}  // namespace acd::routing
