#include "daemon/config_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <fstream>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "daemon/token_digest.h"

namespace acd::daemon {
namespace {

using routing::Channel;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kExamplePath[] = ACD_SOURCE_DIR "/config/example.yaml";

const routing::TenantConfig* FindTenant(const DaemonConfig& config, const std::string& id) {
  for (const auto& tenant : config.catalog.tenants) {
    if (tenant.id.value() == id) return &tenant;
  }
  return nullptr;
}

const routing::QueueConfig* FindQueue(const DaemonConfig& config, const std::string& id) {
  for (const auto& queue : config.catalog.queues) {
    if (queue.id.value() == id) return &queue;
  }
  return nullptr;
}

const routing::AgentConfig* FindAgent(const DaemonConfig& config, const std::string& id) {
  for (const auto& agent : config.catalog.agents) {
    if (agent.id.value() == id) return &agent;
  }
  return nullptr;
}

const TokenConfig* FindToken(const DaemonConfig& config, const std::string& token) {
  for (const TokenConfig& candidate : config.tokens) {
    if (candidate.token_sha256 == DigestToken(token)) return &candidate;
  }
  return nullptr;
}

int Capacity(const routing::AgentConfig& agent, Channel channel) {
  return agent.capacity[static_cast<std::size_t>(channel)];
}

TEST(ConfigLoaderTest, ExampleFileLoads) {
  absl::StatusOr<DaemonConfig> config = LoadConfigFile(kExamplePath);
  ASSERT_TRUE(config.ok()) << config.status();

  EXPECT_EQ(config->catalog.tenants.size(), 2u);
  EXPECT_EQ(config->catalog.queues.size(), 4u);
  EXPECT_EQ(config->catalog.agents.size(), 4u);
  EXPECT_EQ(config->tokens.size(), 9u);
  EXPECT_FALSE(config->catalog.FindProblem().has_value());

  const routing::TenantConfig* acme = FindTenant(*config, "acme");
  ASSERT_NE(acme, nullptr);
  EXPECT_EQ(acme->display_name, "Acme Telecom");
  EXPECT_THAT(acme->skills, ElementsAre("billing", "support", "spanish"));
  const routing::TenantConfig* globex = FindTenant(*config, "globex");
  ASSERT_NE(globex, nullptr);
  EXPECT_THAT(globex->skills, ElementsAre("sales"));

  const routing::QueueConfig* billing = FindQueue(*config, "acme.billing");
  ASSERT_NE(billing, nullptr);
  EXPECT_EQ(billing->tenant, routing::TenantId("acme"));
  EXPECT_EQ(billing->display_name, "Billing");
  EXPECT_THAT(billing->channels, ElementsAre(Channel::kVoice, Channel::kChat));
  EXPECT_EQ(billing->default_priority, 0);
  EXPECT_DOUBLE_EQ(billing->service_level_target, 0.8);
  EXPECT_EQ(billing->service_level_threshold, std::chrono::seconds(20));
  EXPECT_EQ(billing->strategy, routing::SelectionStrategy::kLongestIdle);
  EXPECT_EQ(billing->offer_timeout, std::chrono::seconds(20));
  const routing::QueueConfig* support = FindQueue(*config, "acme.support");
  ASSERT_NE(support, nullptr);
  EXPECT_THAT(support->channels, ElementsAre(Channel::kVoice, Channel::kChat, Channel::kEmail));
  const routing::QueueConfig* sales = FindQueue(*config, "globex.sales");
  ASSERT_NE(sales, nullptr);
  EXPECT_EQ(sales->tenant, routing::TenantId("globex"));

  const routing::AgentConfig* alice = FindAgent(*config, "alice");
  ASSERT_NE(alice, nullptr);
  EXPECT_EQ(alice->tenant, routing::TenantId("acme"));
  EXPECT_EQ(alice->team, "red");
  ASSERT_EQ(alice->skills.size(), 2u);
  EXPECT_EQ(alice->skills[0].skill, "billing");
  EXPECT_EQ(alice->skills[0].level, 7);
  EXPECT_EQ(alice->skills[1].skill, "support");
  EXPECT_EQ(alice->skills[1].level, 4);
  EXPECT_THAT(alice->queues,
              ElementsAre(routing::QueueId("acme.billing"), routing::QueueId("acme.support")));
  EXPECT_EQ(Capacity(*alice, Channel::kVoice), 1);
  EXPECT_EQ(Capacity(*alice, Channel::kChat), 3);
  EXPECT_EQ(Capacity(*alice, Channel::kEmail), 5);
  EXPECT_EQ(Capacity(*alice, Channel::kMessaging), 1);  // not listed: the default
  EXPECT_THAT(FindAgent(*config, "bob")->queues,
              ElementsAre(routing::QueueId("acme.billing"), routing::QueueId("acme.support")));
  EXPECT_THAT(FindAgent(*config, "chen")->queues,
              ElementsAre(routing::QueueId("acme.billing"), routing::QueueId("acme.support"),
                          routing::QueueId("acme.callbacks")));
  EXPECT_EQ(support->overflow.action, routing::OverflowAction::kCallback);
  const routing::QueueConfig* callbacks = FindQueue(*config, "acme.callbacks");
  ASSERT_NE(callbacks, nullptr);
  ASSERT_TRUE(callbacks->business_hours.has_value());
  EXPECT_EQ(callbacks->business_hours->holidays.size(), 2u);
  const routing::AgentConfig* dana = FindAgent(*config, "dana");
  ASSERT_NE(dana, nullptr);
  EXPECT_EQ(dana->tenant, routing::TenantId("globex"));

  const TokenConfig* gateway = FindToken(*config, "demo-gateway-acme");
  ASSERT_NE(gateway, nullptr);
  EXPECT_EQ(gateway->role, Role::kGateway);
  EXPECT_EQ(gateway->tenant, routing::TenantId("acme"));
  const TokenConfig* agent = FindToken(*config, "demo-agent-alice");
  ASSERT_NE(agent, nullptr);
  EXPECT_EQ(agent->role, Role::kAgent);
  EXPECT_EQ(agent->tenant, routing::TenantId("acme"));
  EXPECT_EQ(agent->agent, routing::AgentId("alice"));
  for (const char* token : {"demo-agent-bob", "demo-agent-chen", "demo-agent-dana"}) {
    ASSERT_NE(FindToken(*config, token), nullptr) << token;
    EXPECT_EQ(FindToken(*config, token)->role, Role::kAgent) << token;
  }
  const TokenConfig* supervisor = FindToken(*config, "demo-supervisor-globex");
  ASSERT_NE(supervisor, nullptr);
  EXPECT_EQ(supervisor->role, Role::kSupervisor);
  EXPECT_EQ(supervisor->tenant, routing::TenantId("globex"));
  ASSERT_NE(FindToken(*config, "demo-supervisor-acme"), nullptr);
  ASSERT_NE(FindToken(*config, "demo-gateway-globex"), nullptr);
  const TokenConfig* admin = FindToken(*config, "demo-admin");
  ASSERT_NE(admin, nullptr);
  EXPECT_EQ(admin->role, Role::kAdmin);
  EXPECT_EQ(admin->tenant, routing::TenantId());
  EXPECT_EQ(admin->agent, routing::AgentId());
}

TEST(ConfigLoaderTest, RoleNamesRoundTrip) {
  for (Role role : {Role::kGateway, Role::kAgent, Role::kSupervisor, Role::kAdmin}) {
    EXPECT_EQ(ParseRole(RoleName(role)), role);
  }
  EXPECT_EQ(RoleName(Role::kSupervisor), "supervisor");
  EXPECT_EQ(ParseRole("Admin"), std::nullopt);
  EXPECT_EQ(ParseRole(""), std::nullopt);
}

// Tenants every test configuration starts with; cases add the other sections.
constexpr char kTenants[] = R"(tenants:
  - id: acme
    skills: [billing, support]
  - id: globex
    skills: [sales]
)";

constexpr char kQueues[] = R"(queues:
  - id: acme.billing
    tenant: acme
    channels: [voice, chat]
  - id: globex.sales
    tenant: globex
    channels: [voice]
)";

TEST(ConfigLoaderTest, DefaultsAndDurationUnits) {
  const std::string text = absl::StrCat(kTenants, R"(queues:
  - id: acme.billing
    tenant: acme
    channels: [email]
    service_level: {threshold: 2m}
    offer_timeout: 500ms
  - id: acme.support
    tenant: acme
    channels: [work_item]
    service_level: {target: 1, threshold: 1h}
    offer_timeout: 250us
agents:
  - id: alice
    tenant: acme
)");
  absl::StatusOr<DaemonConfig> config = ParseConfig(text, "test.yaml");
  ASSERT_TRUE(config.ok()) << config.status();
  const routing::QueueConfig* billing = FindQueue(*config, "acme.billing");
  ASSERT_NE(billing, nullptr);
  EXPECT_EQ(billing->display_name, "acme.billing");
  EXPECT_DOUBLE_EQ(billing->service_level_target, 0.8);
  EXPECT_EQ(billing->service_level_threshold, std::chrono::minutes(2));
  EXPECT_EQ(billing->offer_timeout, std::chrono::milliseconds(500));
  const routing::QueueConfig* support = FindQueue(*config, "acme.support");
  ASSERT_NE(support, nullptr);
  EXPECT_DOUBLE_EQ(support->service_level_target, 1.0);
  EXPECT_EQ(support->service_level_threshold, std::chrono::hours(1));
  EXPECT_EQ(support->offer_timeout, std::chrono::microseconds(250));
  const routing::AgentConfig* alice = FindAgent(*config, "alice");
  ASSERT_NE(alice, nullptr);
  EXPECT_TRUE(alice->skills.empty());
  EXPECT_TRUE(alice->queues.empty());
  EXPECT_EQ(Capacity(*alice, Channel::kVoice), 1);
  EXPECT_TRUE(config->tokens.empty());
  EXPECT_EQ(config->record_retention, std::chrono::days(90));
}

TEST(ConfigLoaderTest, RecordRetentionInDays) {
  absl::StatusOr<DaemonConfig> config =
      ParseConfig(absl::StrCat(kTenants, "records: {retention: 400d}\n"), "test.yaml");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->record_retention, std::chrono::days(400));
}

TEST(ConfigLoaderTest, PoliciesForWrapUpOffersAndVoice) {
  const std::string text = R"(tenants:
  - id: acme
    skills: [billing]
    agent_policy:
      decline_cooldown: 2s
      no_answer_cooldown: 1m
      not_ready_after_misses: 3
      disconnect_grace: 45s
queues:
  - {id: acme.none, tenant: acme, channels: [chat], wrap_up: {policy: none}}
  - {id: acme.timed, tenant: acme, channels: [chat], wrap_up: {policy: timed, timeout: 90s}}
  - {id: acme.default, tenant: acme, channels: [chat]}
agents:
  - {id: alice, tenant: acme, voice_exclusive: false, auto_accept: [chat, email]}
  - {id: bob, tenant: acme}
)";
  absl::StatusOr<DaemonConfig> config = ParseConfig(text, "test.yaml");
  ASSERT_TRUE(config.ok()) << config.status();
  const routing::AgentPolicy& policy = FindTenant(*config, "acme")->agent_policy;
  EXPECT_EQ(policy.decline_cooldown, std::chrono::seconds(2));
  EXPECT_EQ(policy.no_answer_cooldown, std::chrono::minutes(1));
  EXPECT_EQ(policy.not_ready_after_misses, 3);
  EXPECT_EQ(policy.disconnect_grace, std::chrono::seconds(45));
  EXPECT_EQ(FindQueue(*config, "acme.none")->wrap_up.policy, routing::WrapUpPolicy::kNone);
  EXPECT_EQ(FindQueue(*config, "acme.timed")->wrap_up.policy, routing::WrapUpPolicy::kTimed);
  EXPECT_EQ(FindQueue(*config, "acme.timed")->wrap_up.timeout, std::chrono::seconds(90));
  EXPECT_EQ(FindQueue(*config, "acme.default")->wrap_up.policy, routing::WrapUpPolicy::kMandatory);
  EXPECT_FALSE(FindAgent(*config, "alice")->voice_exclusive);
  const auto& auto_accept = FindAgent(*config, "alice")->auto_accept;
  EXPECT_TRUE(auto_accept[static_cast<std::size_t>(Channel::kChat)]);
  EXPECT_TRUE(auto_accept[static_cast<std::size_t>(Channel::kEmail)]);
  EXPECT_FALSE(auto_accept[static_cast<std::size_t>(Channel::kVoice)]);
  EXPECT_TRUE(FindAgent(*config, "bob")->voice_exclusive);
}

TEST(ConfigLoaderTest, StrategiesHoursLimitsAndOverflows) {
  const std::string text = R"(tenants:
  - id: acme
    time_zone: America/Sao_Paulo
    skills: [billing]
    not_ready_reasons: [break, lunch]
    disposition_codes: [resolved]
queues:
  - id: acme.front
    tenant: acme
    channels: [voice]
    strategy: round_robin
    preferred_agent_timeout: 20s
    short_abandon_threshold: 8s
    business_hours:
      time_zone: America/Sao_Paulo
      weekly:
        monday: ["08:00-12:00", "13:00-18:00"]
        saturday: ["09:00-24:00"]
      holidays:
        - {date: 2026-12-25, name: Christmas Day}
    closed_overflow: {action: callback, queue: acme.callbacks}
    max_size: 50
    max_wait: 10m
    overflow: {action: queue, queue: acme.overflow}
    steps:
      - {after: 30s, relax_skill: {skill: billing, min_level: 3}}
      - {after: 1m, drop_skill: billing}
      - {after: 90s, boost_priority: 10}
      - {after: 2m, add_queue: acme.overflow}
      - {after: 5m, notify_supervisors: "waiting over 5 minutes"}
      - {after: 8m, overflow: {action: callback, queue: acme.callbacks}}
  - {id: acme.overflow, tenant: acme, channels: [voice], strategy: least_occupied}
  - {id: acme.callbacks, tenant: acme, channels: [callback]}
)";
  absl::StatusOr<DaemonConfig> config = ParseConfig(text, "test.yaml");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(FindTenant(*config, "acme")->time_zone.name(), "America/Sao_Paulo");
  EXPECT_THAT(FindTenant(*config, "acme")->not_ready_reasons, ElementsAre("break", "lunch"));
  EXPECT_THAT(FindTenant(*config, "acme")->disposition_codes, ElementsAre("resolved"));
  const routing::QueueConfig& front = *FindQueue(*config, "acme.front");
  EXPECT_EQ(front.strategy, routing::SelectionStrategy::kRoundRobin);
  EXPECT_EQ(front.preferred_agent_timeout, std::chrono::seconds(20));
  EXPECT_EQ(front.short_abandon_threshold, std::chrono::seconds(8));
  ASSERT_TRUE(front.business_hours.has_value());
  EXPECT_EQ(front.business_hours->time_zone.name(), "America/Sao_Paulo");
  ASSERT_EQ(front.business_hours->weekly.size(), 3u);
  EXPECT_EQ(front.business_hours->weekly[1].day, absl::Weekday::monday);
  EXPECT_EQ(front.business_hours->weekly[1].open_minute, 13 * 60);
  EXPECT_EQ(front.business_hours->weekly[1].close_minute, 18 * 60);
  EXPECT_EQ(front.business_hours->weekly[2].close_minute, routing::kMinutesPerDay);
  ASSERT_EQ(front.business_hours->holidays.size(), 1u);
  EXPECT_EQ(front.business_hours->holidays[0].date, absl::CivilDay(2026, 12, 25));
  ASSERT_TRUE(front.closed_overflow.has_value());
  EXPECT_EQ(front.closed_overflow->action, routing::OverflowAction::kCallback);
  EXPECT_EQ(front.closed_overflow->queue, routing::QueueId("acme.callbacks"));
  EXPECT_EQ(front.max_size, 50);
  EXPECT_EQ(front.max_wait, std::chrono::minutes(10));
  EXPECT_EQ(front.overflow.action, routing::OverflowAction::kQueue);
  ASSERT_EQ(front.steps.size(), 6u);
  EXPECT_EQ(front.steps[0].after, std::chrono::seconds(30));
  EXPECT_EQ(std::get<routing::RelaxSkill>(front.steps[0].action).min_level, 3);
  EXPECT_EQ(std::get<routing::DropSkill>(front.steps[1].action).skill, "billing");
  EXPECT_EQ(std::get<routing::BoostPriority>(front.steps[2].action).by, 10);
  EXPECT_EQ(std::get<routing::AddQueue>(front.steps[3].action).queue,
            routing::QueueId("acme.overflow"));
  EXPECT_EQ(std::get<routing::NotifySupervisors>(front.steps[4].action).message,
            "waiting over 5 minutes");
  EXPECT_EQ(std::get<routing::Overflow>(front.steps[5].action).action,
            routing::OverflowAction::kCallback);
  EXPECT_EQ(FindQueue(*config, "acme.overflow")->strategy,
            routing::SelectionStrategy::kLeastOccupied);
  EXPECT_FALSE(FindQueue(*config, "acme.overflow")->business_hours.has_value());
  EXPECT_EQ(FindQueue(*config, "acme.overflow")->max_wait, std::nullopt);
}

TEST(ConfigLoaderTest, MissingFileIsNotFound) {
  absl::StatusOr<DaemonConfig> config = LoadConfigFile("/nonexistent/acd/config.yaml");
  EXPECT_EQ(config.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(config.status().message()), HasSubstr("/nonexistent/acd/config.yaml"));
}

TEST(ConfigLoaderTest, FileErrorsNameThePath) {
  const std::string path = ::testing::TempDir() + "config_loader_test_bad.yaml";
  {
    std::ofstream file(path);
    file << kTenants << "queus: []\n";
  }
  absl::StatusOr<DaemonConfig> config = LoadConfigFile(path);
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(config.status().message()), StartsWith(path + ":6:1: "));
  EXPECT_THAT(std::string(config.status().message()),
              HasSubstr("unknown key 'queus' (did you mean 'queues'?)"));
}

/// One invalid configuration. The line the error must point at carries the comment `# <-`.
struct ErrorCase {
  const char* name;
  std::string yaml;
  /// Each must appear in the message.
  std::vector<std::string> mentions;
};

void PrintTo(const ErrorCase& test, std::ostream* out) { *out << test.name; }

/// The 1-based line of the `# <-` marker, or 0 when there is none.
int MarkedLine(const std::string& text) {
  int line = 1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 4, "# <-") == 0) return line;
    if (text[i] == '\n') ++line;
  }
  return 0;
}

class ConfigErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ConfigErrorTest, PointsAtTheMistake) {
  const ErrorCase& test = GetParam();
  const int line = MarkedLine(test.yaml);
  ASSERT_GT(line, 0) << "the case lacks a '# <-' marker";

  absl::StatusOr<DaemonConfig> config = ParseConfig(test.yaml, "test.yaml");

  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument) << config.status();
  EXPECT_THAT(std::string(config.status().message()),
              StartsWith(absl::StrCat("test.yaml:", line, ":")));
  for (const std::string& mention : test.mentions) {
    EXPECT_THAT(std::string(config.status().message()), HasSubstr(mention));
  }
}

std::string WithTenants(const std::string& rest) { return absl::StrCat(kTenants, rest); }
std::string WithQueues(const std::string& rest) { return absl::StrCat(kTenants, kQueues, rest); }

INSTANTIATE_TEST_SUITE_P(
    Cases, ConfigErrorTest,
    ::testing::Values(
        ErrorCase{"YamlSyntax",
                  WithTenants(R"(queues:
  - id: acme.billing
    tenant: acme: billing  # <-
)"),
                  {"YAML error", "illegal map value"}},
        ErrorCase{"Empty", "# <- nothing but a comment\n", {"empty"}},
        ErrorCase{"RecordRetentionNotADuration",
                  WithTenants("records:\n  retention: forever  # <-\n"),
                  {"'retention' must be a duration", "'forever'"}},
        ErrorCase{"TwoDocuments", WithTenants("---\nqueues: []  # <-\n"), {"one YAML document"}},
        ErrorCase{"NotAMapping", "- tenants  # <-\n", {"mapping"}},
        ErrorCase{"UnknownTopLevelKey",
                  WithTenants("agentz: []  # <-\n"),
                  {"unknown key 'agentz'", "did you mean 'agents'"}},
        ErrorCase{
            "UnknownKey",
            WithTenants(R"(queues:
  - id: acme.billing
    tenant: acme
    channels: [voice]
    ofer_timeout: 20s  # <-
)"),
            {"queue 'acme.billing'", "unknown key 'ofer_timeout'", "did you mean 'offer_timeout'"}},
        ErrorCase{"UnknownWrapUpPolicy",
                  WithTenants(R"(queues:
  - id: acme.billing
    tenant: acme
    channels: [voice]
    wrap_up: {policy: optional}  # <-
)"),
                  {"queue 'acme.billing' wrap_up", "unknown wrap-up policy 'optional'"}},
        ErrorCase{"AutoAcceptUnknownChannel",
                  WithTenants(R"(agents:
  - id: alice
    tenant: acme
    auto_accept: [fax]  # <-
)"),
                  {"agent 'alice'", "unknown channel 'fax'"}},
        ErrorCase{"VoiceExclusiveNotABoolean",
                  WithTenants(R"(agents:
  - id: alice
    tenant: acme
    voice_exclusive: sometimes  # <-
)"),
                  {"agent 'alice'", "'voice_exclusive' must be true or false"}},
        ErrorCase{"UnknownTimeZone",
                  R"(tenants:
  - id: acme
    time_zone: Mars/Olympus_Mons  # <-
)",
                  {"tenant 'acme'", "unknown time zone 'Mars/Olympus_Mons'"}},
        ErrorCase{"BadOpeningPeriod",
                  WithTenants(R"(queues:
  - id: acme.billing
    tenant: acme
    channels: [voice]
    business_hours:
      time_zone: UTC
      weekly:
        monday: ["18:00-08:00"]  # <-
)"),
                  {"queue 'acme.billing' business_hours weekly", "must be HH:MM-HH:MM"}},
        ErrorCase{"UnknownWeekday",
                  WithTenants(R"(queues:
  - id: acme.billing
    tenant: acme
    channels: [voice]
    business_hours:
      time_zone: UTC
      weekly:
        mondays: ["08:00-18:00"]  # <-
)"),
                  {"unknown weekday 'mondays'"}},
        ErrorCase{"BadHolidayDate",
                  WithTenants(R"(queues:
  - id: acme.billing
    tenant: acme
    channels: [voice]
    business_hours:
      time_zone: UTC
      holidays:
        - {date: 25/12/2026, name: Christmas}  # <-
)"),
                  {"date '25/12/2026' must be YYYY-MM-DD"}},
        ErrorCase{"UnknownOverflowAction",
                  WithTenants(R"(queues:
  - id: acme.billing
    tenant: acme
    channels: [voice]
    overflow: {action: voicemail}  # <-
)"),
                  {"queue 'acme.billing' overflow", "unknown overflow action 'voicemail'"}},
        ErrorCase{"StepWithTwoActions",
                  WithTenants(R"(queues:
  - id: acme.billing
    tenant: acme
    channels: [voice]
    steps:
      - {after: 30s, boost_priority: 5, drop_skill: billing}  # <-
)"),
                  {"queue 'acme.billing' step 1", "exactly one action"}},
        ErrorCase{"StepWithUnknownSkill",
                  WithTenants(R"(queues:
  - id: acme.billing  # <-
    tenant: acme
    channels: [voice]
    steps:
      - {after: 30s, drop_skill: french}
)"),
                  {"queue 'acme.billing'", "step 1: skill 'french' is not defined"}},
        ErrorCase{"OverflowInACircle",
                  WithTenants(R"(queues:
  - id: acme.billing  # <-
    tenant: acme
    channels: [voice]
    overflow: {action: queue, queue: acme.support}
  - id: acme.support
    tenant: acme
    channels: [voice]
    overflow: {action: queue, queue: acme.billing}
)"),
                  {"queue 'acme.billing'", "goes round in a circle"}},
        ErrorCase{"NotReadyAfterZeroMisses",
                  R"(tenants:
  - id: acme  # <-
    agent_policy: {not_ready_after_misses: 0}
)",
                  {"tenant 'acme'", "not_ready_after_misses must be at least 1"}},
        ErrorCase{"UnknownKeyInServiceLevel",
                  WithTenants(R"(queues:
  - id: acme.billing
    tenant: acme
    channels: [voice]
    service_level:
      traget: 0.9  # <-
)"),
                  {"queue 'acme.billing' service_level", "unknown key 'traget'"}},
        ErrorCase{"DuplicateKey",
                  WithTenants(R"(queues:
  - id: acme.billing
    tenant: acme
    channels: [voice]
    tenant: globex  # <-
)"),
                  {"queue 'acme.billing'", "key 'tenant' appears twice"}},
        ErrorCase{"RepeatedSection",
                  WithTenants(R"(queues: []
tenants: []  # <-
)"),
                  {"key 'tenants' appears twice (first on line 1)"}},
        ErrorCase{"RepeatedSkillOnAgent",
                  WithQueues(R"(agents:
  - id: alice
    tenant: acme
    skills:
      billing: 7
      billing: 3  # <-
)"),
                  {"agent 'alice' skills", "key 'billing' appears twice"}},
        ErrorCase{"MissingRequiredKey",
                  WithTenants(R"(queues:
  - id: acme.billing  # <-
    channels: [voice]
)"),
                  {"queue 'acme.billing'", "missing required key 'tenant'"}},
        ErrorCase{"MissingId",
                  WithTenants(R"(queues:
  - tenant: acme  # <-
    channels: [voice]
)"),
                  {"queues[0]", "missing required key 'id'"}},
        ErrorCase{"TypoInIdKey",
                  WithTenants(R"(queues:
  - idd: acme.billing  # <-
    tenant: acme
    channels: [voice]
)"),
                  {"queues[0]", "unknown key 'idd'", "did you mean 'id'"}},
        ErrorCase{"ListExpected",
                  WithTenants(R"(queues:
  - id: acme.billing
    tenant: acme
    channels: voice  # <-
)"),
                  {"queue 'acme.billing'", "'channels' must be a list"}},
        ErrorCase{"UnknownChannel",
                  WithTenants(R"(queues:
  - id: acme.billing
    tenant: acme
    channels:
      - voice
      - fax  # <-
)"),
                  {"queue 'acme.billing'", "unknown channel 'fax'"}},
        ErrorCase{"UnknownStrategy",
                  WithTenants(R"(queues:
  - id: acme.billing
    tenant: acme
    channels: [voice]
    strategy: random  # <-
)"),
                  {"queue 'acme.billing'", "unknown strategy 'random'"}},
        ErrorCase{"BadDuration",
                  WithTenants(R"(queues:
  - id: acme.billing
    tenant: acme
    channels: [voice]
    offer_timeout: 20 seconds  # <-
)"),
                  {"queue 'acme.billing'", "'offer_timeout'", "'20 seconds'"}},
        ErrorCase{"DurationWithoutUnit",
                  WithTenants(R"(queues:
  - id: acme.billing
    tenant: acme
    channels: [voice]
    service_level: {target: 0.8, threshold: 20}  # <-
)"),
                  {"'threshold'", "'20'"}},
        ErrorCase{"NegativeDuration",
                  WithTenants(R"(queues:
  - id: acme.billing
    tenant: acme
    channels: [voice]
    offer_timeout: -5s  # <-
)"),
                  {"'offer_timeout'", "'-5s'"}},
        ErrorCase{"FractionalDuration",
                  WithTenants(R"(queues:
  - id: acme.billing
    tenant: acme
    channels: [voice]
    offer_timeout: 1.5s  # <-
)"),
                  {"'offer_timeout'", "'1.5s'"}},
        ErrorCase{"NotANumber",
                  WithTenants(R"(queues:
  - id: acme.billing
    tenant: acme
    channels: [voice]
    service_level: {target: .nan, threshold: 20s}  # <-
)"),
                  {"'target' must be a number"}},
        ErrorCase{"ZeroDurationRejectedByCatalog",
                  WithTenants(R"(queues:
  - id: acme.billing  # <-
    tenant: acme
    channels: [voice]
    offer_timeout: 0s
)"),
                  {"queue 'acme.billing'", "offer timeout must be positive"}},
        ErrorCase{"DuplicateQueueId",
                  WithTenants(R"(queues:
  - id: acme.billing
    tenant: acme
    channels: [voice]
  - id: acme.billing  # <-
    tenant: acme
    channels: [chat]
)"),
                  {"queue 'acme.billing'", "duplicate queue id", "line 7"}},
        ErrorCase{"QueueOfUnknownTenant",
                  WithTenants(R"(queues:
  - id: initech.sales  # <-
    tenant: initech
    channels: [voice]
)"),
                  {"queue 'initech.sales'", "unknown tenant 'initech'"}},
        ErrorCase{"UnknownSkillOnAgent",
                  WithQueues(R"(agents:
  - id: bob
    tenant: acme
  - id: alice  # <-
    tenant: acme
    skills: {biling: 7}
)"),
                  {"agent 'alice': skill 'biling' is not defined in tenant 'acme'"}},
        ErrorCase{"SkillLevelNotANumber",
                  WithQueues(R"(agents:
  - id: alice
    tenant: acme
    skills: {billing: high}  # <-
)"),
                  {"agent 'alice' skills", "'billing' must be a whole number"}},
        ErrorCase{"SkillLevelOutOfRange",
                  WithQueues(R"(agents:
  - id: alice  # <-
    tenant: acme
    skills: {billing: 11}
)"),
                  {"agent 'alice'", "level must be 1-10"}},
        ErrorCase{"UnknownQueueOnAgent",
                  WithQueues(R"(agents:
  - id: alice  # <-
    tenant: acme
    queues: [acme.billing, acme.biling]
)"),
                  {"agent 'alice'", "unknown queue 'acme.biling'"}},
        ErrorCase{"AgentQueueOfAnotherTenant",
                  WithQueues(R"(agents:
  - id: alice  # <-
    tenant: acme
    queues: [acme.billing, globex.sales]
)"),
                  {"agent 'alice'", "queue 'globex.sales' belongs to another tenant"}},
        ErrorCase{"AgentQueueListedTwice",
                  WithQueues(R"(agents:
  - id: alice
    tenant: acme
    queues:
      - acme.billing
      - acme.billing  # <-
)"),
                  {"agent 'alice'", "lists 'acme.billing' twice"}},
        ErrorCase{"CapacityOfUnknownChannel",
                  WithQueues(R"(agents:
  - id: alice
    tenant: acme
    capacity:
      voice: 1
      fax: 2  # <-
)"),
                  {"agent 'alice' capacity", "unknown channel 'fax'"}},
        ErrorCase{"CapacityOutOfRange",
                  WithQueues(R"(agents:
  - id: alice  # <-
    tenant: acme
    capacity: {chat: 101}
)"),
                  {"agent 'alice'", "capacity"}},
        ErrorCase{"DuplicateAgentId",
                  WithQueues(R"(agents:
  - id: alice
    tenant: acme
  - id: alice  # <-
    tenant: globex
)"),
                  {"agent 'alice'", "duplicate agent id"}},
        ErrorCase{"DuplicateToken",
                  WithQueues(R"(tokens:
  - name: acme-gateway
    token: same-secret
    role: gateway
    tenant: acme
  - name: acme-supervisor
    token: same-secret  # <-
    role: supervisor
    tenant: acme
)"),
                  {"token 'acme-supervisor'", "already used by token 'acme-gateway'"}},
        ErrorCase{"DuplicateTokenOnceHashed",
                  WithQueues(R"(tokens:
  - name: acme-gateway
    token: same-secret
    role: gateway
    tenant: acme
  - name: acme-supervisor
    # printf %s same-secret | sha256sum
    token_sha256: 52c8ef4dea8c6f356a6622c0d0918543994ab7f2e5dd238312d65ffa2121a2eb  # <-
    role: supervisor
    tenant: acme
)"),
                  {"token 'acme-supervisor'", "already used by token 'acme-gateway'"}},
        ErrorCase{"TokenHashNotHex",
                  WithQueues(R"(tokens:
  - name: gw
    token_sha256: not-a-hash  # <-
    role: gateway
    tenant: acme
)"),
                  {"token 'gw'", "64 hexadecimal digits", "acdd --hash-token"}},
        ErrorCase{"TokenHashTooShort",
                  WithQueues(R"(tokens:
  - name: gw
    token_sha256: 2e3b1fcdc0bd8a4b  # <-
    role: gateway
    tenant: acme
)"),
                  {"token 'gw'", "64 hexadecimal digits"}},
        ErrorCase{"TokenInClearAndHashed",
                  WithQueues(R"(tokens:
  - name: gw
    token_sha256: 52c8ef4dea8c6f356a6622c0d0918543994ab7f2e5dd238312d65ffa2121a2eb
    token: same-secret  # <-
    role: gateway
    tenant: acme
)"),
                  {"token 'gw'", "either 'token_sha256' or 'token'"}},
        ErrorCase{"TokenWithoutSecret",
                  WithQueues(R"(tokens:
  - name: gw  # <-
    role: gateway
    tenant: acme
)"),
                  {"token 'gw'", "missing 'token_sha256'"}},
        ErrorCase{"ClientCertificateNamedTwice",
                  WithQueues(R"(tokens:
  - {name: gw, client_certificate: gw.acme.example, role: gateway, tenant: acme}
  - name: lead
    client_certificate: gw.acme.example  # <-
    role: supervisor
    tenant: acme
)"),
                  {"token 'lead'",
                   "client certificate 'gw.acme.example' already authenticates "
                   "token 'gw'"}},
        ErrorCase{"DuplicateTokenName",
                  WithQueues(R"(tokens:
  - name: gw
    token: secret-1
    role: gateway
    tenant: acme
  - name: gw  # <-
    token: secret-2
    role: gateway
    tenant: globex
)"),
                  {"token 'gw'", "duplicate token name"}},
        ErrorCase{"AgentTokenOfMissingAgent",
                  WithQueues(R"(agents:
  - id: alice
    tenant: acme
tokens:
  - name: zoe
    token: demo-agent-zoe
    role: agent
    tenant: acme
    agent: zoe  # <-
)"),
                  {"token 'zoe'", "agent 'zoe' is not defined in tenant 'acme'"}},
        ErrorCase{"AgentTokenOfAnotherTenantsAgent",
                  WithQueues(R"(agents:
  - id: dana
    tenant: globex
tokens:
  - name: dana
    token: demo-agent-dana
    role: agent
    tenant: acme
    agent: dana  # <-
)"),
                  {"token 'dana'", "agent 'dana' is not defined in tenant 'acme'"}},
        ErrorCase{"AgentTokenWithoutAgent",
                  WithQueues(R"(tokens:
  - name: alice  # <-
    token: demo-agent-alice
    role: agent
    tenant: acme
)"),
                  {"token 'alice'", "needs an 'agent'"}},
        ErrorCase{"AgentOnNonAgentToken",
                  WithQueues(R"(agents:
  - id: alice
    tenant: acme
tokens:
  - name: sup
    token: demo-supervisor
    role: supervisor
    tenant: acme
    agent: alice  # <-
)"),
                  {"token 'sup'", "only role 'agent' takes an 'agent'"}},
        ErrorCase{"TokenOfUnknownTenant",
                  WithQueues(R"(tokens:
  - name: gw
    token: demo-gateway
    role: gateway
    tenant: initech  # <-
)"),
                  {"token 'gw'", "unknown tenant 'initech'"}},
        ErrorCase{"NonAdminTokenWithoutTenant",
                  WithQueues(R"(tokens:
  - name: gw  # <-
    token: demo-gateway
    role: gateway
)"),
                  {"token 'gw'", "role 'gateway' needs a 'tenant'"}},
        ErrorCase{"UnknownRole",
                  WithQueues(R"(tokens:
  - name: root
    token: demo-root
    role: root  # <-
)"),
                  {"token 'root'", "unknown role 'root'"}},
        ErrorCase{"EmptyToken",
                  WithQueues(R"(tokens:
  - name: gw
    token: ""  # <-
    role: gateway
    tenant: acme
)"),
                  {"token 'gw'", "'token' must not be empty"}}),
    [](const ::testing::TestParamInfo<ErrorCase>& param) { return std::string(param.param.name); });

TEST(ConfigLoaderTest, ErrorsNeverShowTokenSecrets) {
  absl::StatusOr<DaemonConfig> config = ParseConfig(WithQueues(R"(tokens:
  - name: a
    token: s3cret-value
    role: gateway
    tenant: acme
  - name: b
    token: s3cret-value
    role: gateway
    tenant: acme
)"),
                                                    "test.yaml");
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(std::string(config.status().message()), Not(HasSubstr("s3cret-value")));
}

TEST(TokenDigestTest, IsSha256InHex) {
  // The FIPS 180-2 test vector.
  EXPECT_EQ(TokenDigestHex(DigestToken("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const std::optional<TokenDigest> parsed =
      ParseTokenDigest("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_TRUE(TokenDigestsEqual(*parsed, DigestToken("abc")));
  EXPECT_FALSE(TokenDigestsEqual(*parsed, DigestToken("abd")));
  EXPECT_FALSE(ParseTokenDigest("ba7816bf").has_value());
  EXPECT_FALSE(ParseTokenDigest(std::string(64, 'g')).has_value());
}

TEST(ConfigLoaderTest, TokensAreKeptAsDigestsOnly) {
  absl::StatusOr<DaemonConfig> config = ParseConfig(absl::StrCat(kTenants, kQueues, R"(tokens:
  - {name: hashed, token_sha256: ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad,
     role: gateway, tenant: acme}
  - {name: clear, token: abd, role: gateway, tenant: acme}
)"),
                                                    "test.yaml");
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_EQ(config->tokens.size(), 2u);
  EXPECT_EQ(config->tokens[0].token_sha256, DigestToken("abc"));
  EXPECT_FALSE(config->tokens[0].given_in_clear);
  EXPECT_EQ(config->tokens[1].token_sha256, DigestToken("abd"));
  EXPECT_TRUE(config->tokens[1].given_in_clear);
}

TEST(ConfigLoaderTest, ATokenMayBeAClientCertificateInsteadOfASecret) {
  absl::StatusOr<DaemonConfig> config = ParseConfig(absl::StrCat(kTenants, kQueues, R"(tokens:
  - {name: gw, client_certificate: gw.acme.example, role: gateway, tenant: acme}
  - {name: both, client_certificate: lead.acme.example, token: abc, role: supervisor, tenant: acme}
)"),
                                                    "test.yaml");
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_EQ(config->tokens.size(), 2u);
  EXPECT_EQ(config->tokens[0].client_certificate, "gw.acme.example");
  EXPECT_FALSE(config->tokens[0].token_sha256.has_value());
  EXPECT_EQ(config->tokens[1].client_certificate, "lead.acme.example");
  EXPECT_EQ(config->tokens[1].token_sha256, DigestToken("abc"));
}

}  // namespace
}  // namespace acd::daemon
