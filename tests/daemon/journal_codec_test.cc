#include "daemon/journal_codec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"

namespace acd::daemon {
namespace {

using routing::AgentId;
using routing::Channel;
using routing::Command;
using routing::ContactId;
using routing::Duration;
using routing::QueueId;
using routing::TenantId;
using routing::Timestamp;
using ::testing::HasSubstr;

std::string Bytes(std::initializer_list<std::uint8_t> bytes) {
  std::string out;
  for (const std::uint8_t byte : bytes) out.push_back(static_cast<char>(byte));
  return out;
}

// Past one byte of length prefix, and bytes that are not text.
std::string LongText() { return std::string(300, 'n'); }
std::string BinaryText() { return std::string("a\0\xff\x80z", 5); }

routing::ContactDetails FullDetails() {
  routing::ContactDetails details;
  details.tenant = TenantId("acme");
  details.external_id = "gw-42";
  details.origin = "voice-gateway";
  details.channel = Channel::kWorkItem;
  details.required_skills = {{"billing", 7}, {"french", 3}};
  details.language = "fr";
  details.customer = {.id = "cust-9", .tier = "gold", .verified = true, .display_name = "Zoë"};
  details.attributes = {{"account", "A-17"}, {"", BinaryText()}};
  details.preferred_agents = {AgentId("alice"), AgentId("bob")};
  return details;
}

// Every kind with every field away from its default, each field distinct from its neighbours so
// that a swap shows.
std::vector<Command> FullSamples() {
  return {
      routing::CreateContact{.details = FullDetails(),
                             .queue = QueueId("billing-fr"),
                             .priority = 42,
                             .not_before = Timestamp(Duration(1'700'000'000'123'456))},
      routing::CancelContact{
          .tenant = TenantId("acme"), .contact = ContactId(1'099'511'627'779), .reason = "hung up"},
      routing::SetAgentState{.agent = AgentId("alice"),
                             .presence = routing::AgentPresence::kNotReady,
                             .reason = "lunch"},
      routing::AcceptOffer{.agent = AgentId("alice"), .contact = ContactId(7)},
      routing::DeclineOffer{.agent = AgentId("bob"), .contact = ContactId(8), .reason = "busy"},
      routing::CompleteContact{.agent = AgentId("carol"), .contact = ContactId(9)},
      routing::SubmitWrapUp{.agent = AgentId("dave"),
                            .contact = ContactId(10),
                            .disposition = "resolved",
                            .notes = LongText()},
      routing::AgentConnection{.agent = AgentId("erin"), .connected = false},
      routing::TransferContact{.agent = AgentId("frank"),
                               .contact = ContactId(11),
                               .target = AgentId("grace"),
                               .reason = "expert",
                               .notes = BinaryText(),
                               .required_skills = {{"legal", 9}}},
      routing::EscalateContact{.agent = AgentId("heidi"),
                               .contact = ContactId(12),
                               .queue = QueueId("tier-2"),
                               .supervisor = "ivan",
                               .reason = "angry",
                               .notes = "wants a refund"},
      routing::ResolveEscalation{.tenant = TenantId("acme"),
                                 .escalation = routing::EscalationId(99),
                                 .resolved_by = "judy",
                                 .resolution = "refunded"},
      routing::ScheduleFollowUp{.agent = AgentId("mallory"),
                                .contact = ContactId(13),
                                .not_before = Timestamp(Duration(1'800'000'000'000'001)),
                                .pinned = true,
                                .pin_timeout = std::chrono::minutes(90),
                                .queue = QueueId("callbacks"),
                                .channel = Channel::kEmail,
                                .notes = "call back"},
      routing::Restarted{},
      routing::RecordSurvey{.tenant = TenantId("niaj"),
                            .contact = ContactId(14),
                            .score = 4,
                            .comment = "quick and kind"},
      routing::UpdateContact{.tenant = TenantId("olga"),
                             .contact = ContactId(15),
                             .priority = 60,
                             .remove_attributes = {"order", "intent"},
                             .set_attributes = {{"intent", "refund"}, {"vip", "yes"}},
                             .by = "ivr-1"},
      routing::MoveContact{.tenant = TenantId("pat"),
                           .contact = ContactId(16),
                           .queue = QueueId("retention"),
                           .by = "sup-anna"},
      routing::AssignContact{.tenant = TenantId("quinn"),
                             .contact = ContactId(17),
                             .agent = AgentId("rita"),
                             .by = "sup-ben"},
      routing::ForceAgentState{.tenant = TenantId("sam"),
                               .agent = AgentId("tom"),
                               .presence = routing::AgentPresence::kNotReady,
                               .reason = "coaching",
                               .supervisor = "sup-cleo",
                               .end_wrap_ups = true},
  };
}

// Every kind default-constructed: optionals absent, lists and strings empty.
template <std::size_t... kKind>
std::vector<Command> DefaultSamples(std::index_sequence<kKind...>) {
  return {Command(std::in_place_index<kKind>)...};
}
std::vector<Command> DefaultSamples() {
  return DefaultSamples(std::make_index_sequence<std::variant_size_v<Command>>());
}

// The ends of each number's range.
std::vector<Command> ExtremeSamples() {
  constexpr std::uint64_t kMaxId = std::numeric_limits<std::uint64_t>::max();
  routing::ContactDetails details;
  details.required_skills = {{"", std::numeric_limits<int>::max()}, {"", -1}};
  return {
      routing::CreateContact{.details = details,
                             .priority = std::numeric_limits<int>::min(),
                             .not_before = Timestamp(Duration::min())},
      routing::CancelContact{.contact = ContactId(kMaxId)},
      routing::ResolveEscalation{.escalation = routing::EscalationId(kMaxId)},
      routing::ScheduleFollowUp{.not_before = Timestamp(Duration(-1)),
                                .pin_timeout = Duration::max(),
                                .channel = Channel::kVoice},
  };
}

std::vector<Command> AllSamples() {
  std::vector<Command> samples = FullSamples();
  for (std::vector<Command> more : {DefaultSamples(), ExtremeSamples()}) {
    samples.insert(samples.end(), more.begin(), more.end());
  }
  return samples;
}

std::vector<std::string> Values(const std::vector<AgentId>& ids) {
  std::vector<std::string> values;
  for (const AgentId& id : ids) values.push_back(id.value());
  return values;
}

std::optional<std::string> Value(const std::optional<QueueId>& id) {
  if (!id.has_value()) return std::nullopt;
  return id->value();
}

std::optional<std::int64_t> Micros(const std::optional<Duration>& duration) {
  if (!duration.has_value()) return std::nullopt;
  return duration->count();
}

std::optional<std::int64_t> Micros(const std::optional<Timestamp>& time) {
  if (!time.has_value()) return std::nullopt;
  return time->time_since_epoch().count();
}

std::vector<std::pair<std::string, int>> Levels(const std::vector<routing::SkillLevel>& skills) {
  std::vector<std::pair<std::string, int>> levels;
  for (const routing::SkillLevel& skill : skills) levels.emplace_back(skill.skill, skill.level);
  return levels;
}

std::pair<std::size_t, std::string> Target(const std::variant<QueueId, AgentId>& target) {
  return {target.index(), std::visit([](const auto& id) { return id.value(); }, target)};
}

void ExpectSame(const routing::ContactDetails& actual, const routing::ContactDetails& expected) {
  EXPECT_EQ(actual.tenant.value(), expected.tenant.value());
  EXPECT_EQ(actual.external_id, expected.external_id);
  EXPECT_EQ(actual.origin, expected.origin);
  EXPECT_EQ(actual.channel, expected.channel);
  EXPECT_EQ(Levels(actual.required_skills), Levels(expected.required_skills));
  EXPECT_EQ(actual.language, expected.language);
  EXPECT_EQ(actual.customer.id, expected.customer.id);
  EXPECT_EQ(actual.customer.tier, expected.customer.tier);
  EXPECT_EQ(actual.customer.verified, expected.customer.verified);
  EXPECT_EQ(actual.customer.display_name, expected.customer.display_name);
  EXPECT_EQ(actual.attributes, expected.attributes);
  EXPECT_EQ(Values(actual.preferred_agents), Values(expected.preferred_agents));
}

void ExpectSame(const routing::CreateContact& actual, const routing::CreateContact& expected) {
  ExpectSame(actual.details, expected.details);
  EXPECT_EQ(actual.queue.value(), expected.queue.value());
  EXPECT_EQ(actual.priority, expected.priority);
  EXPECT_EQ(Micros(actual.not_before), Micros(expected.not_before));
}

void ExpectSame(const routing::CancelContact& actual, const routing::CancelContact& expected) {
  EXPECT_EQ(actual.tenant.value(), expected.tenant.value());
  EXPECT_EQ(actual.contact.value(), expected.contact.value());
  EXPECT_EQ(actual.reason, expected.reason);
}

void ExpectSame(const routing::SetAgentState& actual, const routing::SetAgentState& expected) {
  EXPECT_EQ(actual.agent.value(), expected.agent.value());
  EXPECT_EQ(actual.presence, expected.presence);
  EXPECT_EQ(actual.reason, expected.reason);
}

void ExpectSame(const routing::AcceptOffer& actual, const routing::AcceptOffer& expected) {
  EXPECT_EQ(actual.agent.value(), expected.agent.value());
  EXPECT_EQ(actual.contact.value(), expected.contact.value());
}

void ExpectSame(const routing::DeclineOffer& actual, const routing::DeclineOffer& expected) {
  EXPECT_EQ(actual.agent.value(), expected.agent.value());
  EXPECT_EQ(actual.contact.value(), expected.contact.value());
  EXPECT_EQ(actual.reason, expected.reason);
}

void ExpectSame(const routing::CompleteContact& actual, const routing::CompleteContact& expected) {
  EXPECT_EQ(actual.agent.value(), expected.agent.value());
  EXPECT_EQ(actual.contact.value(), expected.contact.value());
}

void ExpectSame(const routing::SubmitWrapUp& actual, const routing::SubmitWrapUp& expected) {
  EXPECT_EQ(actual.agent.value(), expected.agent.value());
  EXPECT_EQ(actual.contact.value(), expected.contact.value());
  EXPECT_EQ(actual.disposition, expected.disposition);
  EXPECT_EQ(actual.notes, expected.notes);
}

void ExpectSame(const routing::AgentConnection& actual, const routing::AgentConnection& expected) {
  EXPECT_EQ(actual.agent.value(), expected.agent.value());
  EXPECT_EQ(actual.connected, expected.connected);
}

void ExpectSame(const routing::TransferContact& actual, const routing::TransferContact& expected) {
  EXPECT_EQ(actual.agent.value(), expected.agent.value());
  EXPECT_EQ(actual.contact.value(), expected.contact.value());
  EXPECT_EQ(Target(actual.target), Target(expected.target));
  EXPECT_EQ(actual.reason, expected.reason);
  EXPECT_EQ(actual.notes, expected.notes);
  EXPECT_EQ(Levels(actual.required_skills), Levels(expected.required_skills));
}

void ExpectSame(const routing::EscalateContact& actual, const routing::EscalateContact& expected) {
  EXPECT_EQ(actual.agent.value(), expected.agent.value());
  EXPECT_EQ(actual.contact.value(), expected.contact.value());
  EXPECT_EQ(Value(actual.queue), Value(expected.queue));
  EXPECT_EQ(actual.supervisor, expected.supervisor);
  EXPECT_EQ(actual.reason, expected.reason);
  EXPECT_EQ(actual.notes, expected.notes);
}

void ExpectSame(const routing::ResolveEscalation& actual,
                const routing::ResolveEscalation& expected) {
  EXPECT_EQ(actual.tenant.value(), expected.tenant.value());
  EXPECT_EQ(actual.escalation.value(), expected.escalation.value());
  EXPECT_EQ(actual.resolved_by, expected.resolved_by);
  EXPECT_EQ(actual.resolution, expected.resolution);
}

void ExpectSame(const routing::ScheduleFollowUp& actual,
                const routing::ScheduleFollowUp& expected) {
  EXPECT_EQ(actual.agent.value(), expected.agent.value());
  EXPECT_EQ(actual.contact.value(), expected.contact.value());
  EXPECT_EQ(actual.not_before.time_since_epoch().count(),
            expected.not_before.time_since_epoch().count());
  EXPECT_EQ(actual.pinned, expected.pinned);
  EXPECT_EQ(Micros(actual.pin_timeout), Micros(expected.pin_timeout));
  EXPECT_EQ(Value(actual.queue), Value(expected.queue));
  EXPECT_EQ(actual.channel, expected.channel);
  EXPECT_EQ(actual.notes, expected.notes);
}

// Nothing to compare, but a kind without an overload here must not compile.
void ExpectSame(const routing::Restarted&, const routing::Restarted&) {}

void ExpectSame(const routing::RecordSurvey& actual, const routing::RecordSurvey& expected) {
  EXPECT_EQ(actual.tenant.value(), expected.tenant.value());
  EXPECT_EQ(actual.contact.value(), expected.contact.value());
  EXPECT_EQ(actual.score, expected.score);
  EXPECT_EQ(actual.comment, expected.comment);
}

void ExpectSame(const routing::UpdateContact& actual, const routing::UpdateContact& expected) {
  EXPECT_EQ(actual.tenant.value(), expected.tenant.value());
  EXPECT_EQ(actual.contact.value(), expected.contact.value());
  EXPECT_EQ(actual.priority, expected.priority);
  EXPECT_EQ(actual.remove_attributes, expected.remove_attributes);
  EXPECT_EQ(actual.set_attributes, expected.set_attributes);
  EXPECT_EQ(actual.by, expected.by);
}

void ExpectSame(const routing::MoveContact& actual, const routing::MoveContact& expected) {
  EXPECT_EQ(actual.tenant.value(), expected.tenant.value());
  EXPECT_EQ(actual.contact.value(), expected.contact.value());
  EXPECT_EQ(actual.queue.value(), expected.queue.value());
  EXPECT_EQ(actual.by, expected.by);
}

void ExpectSame(const routing::AssignContact& actual, const routing::AssignContact& expected) {
  EXPECT_EQ(actual.tenant.value(), expected.tenant.value());
  EXPECT_EQ(actual.contact.value(), expected.contact.value());
  EXPECT_EQ(actual.agent.value(), expected.agent.value());
  EXPECT_EQ(actual.by, expected.by);
}

void ExpectSame(const routing::ForceAgentState& actual, const routing::ForceAgentState& expected) {
  EXPECT_EQ(actual.tenant.value(), expected.tenant.value());
  EXPECT_EQ(actual.agent.value(), expected.agent.value());
  EXPECT_EQ(actual.presence, expected.presence);
  EXPECT_EQ(actual.reason, expected.reason);
  EXPECT_EQ(actual.supervisor, expected.supervisor);
  EXPECT_EQ(actual.end_wrap_ups, expected.end_wrap_ups);
}

void ExpectRoundTrip(const Command& original) {
  SCOPED_TRACE(absl::StrCat("kind ", original.index()));
  const std::string bytes = EncodeCommand(original);
  const absl::StatusOr<Command> decoded = DecodeCommand(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ASSERT_EQ(decoded->index(), original.index());
  std::visit(
      [&decoded](const auto& expected) {
        ExpectSame(std::get<std::decay_t<decltype(expected)>>(*decoded), expected);
      },
      original);
  // Decoding is exact both ways: what decodes encodes back to the same bytes.
  EXPECT_EQ(EncodeCommand(*decoded), bytes);
}

void ExpectDataLoss(std::string_view bytes, std::string_view reason) {
  const absl::StatusOr<Command> decoded = DecodeCommand(bytes);
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss) << decoded.status();
  EXPECT_THAT(std::string(decoded.status().message()), HasSubstr(reason));
}

TEST(JournalCodecTest, RoundTripsEveryKindWithEveryFieldSet) {
  std::set<std::size_t> kinds;
  for (const Command& command : FullSamples()) {
    kinds.insert(command.index());
    ExpectRoundTrip(command);
  }
  EXPECT_EQ(kinds.size(), std::variant_size_v<Command>) << "a kind without a full sample";
}

TEST(JournalCodecTest, RoundTripsEveryKindWithOptionalsAbsentAndListsEmpty) {
  for (const Command& command : DefaultSamples()) ExpectRoundTrip(command);
}

TEST(JournalCodecTest, RoundTripsTheEndsOfEachNumbersRange) {
  for (const Command& command : ExtremeSamples()) ExpectRoundTrip(command);
}

// The bytes are stored: a change to them breaks old journals and needs a new format version. A
// reordering of fields would still round-trip, so every kind's layout is written out, with each
// field distinct; the shorter ones are those the corruption tests below alter.
TEST(JournalCodecTest, KeepsItsByteLayout) {
  routing::ContactDetails details;
  details.tenant = TenantId("t");
  details.external_id = "x";
  details.origin = "o";
  details.channel = Channel::kChat;
  details.required_skills = {{"s", 2}};
  details.language = "l";
  details.customer = {.id = "i", .tier = "r", .verified = true, .display_name = "d"};
  details.attributes = {{"k", "v"}};
  details.preferred_agents = {AgentId("p")};
  const std::vector<std::pair<Command, std::string>> layouts = {
      {routing::CreateContact{.details = details,
                              .queue = QueueId("q"),
                              .priority = 5,
                              .not_before = Timestamp(Duration(3))},
       Bytes({1,   0, 1, 't', 1, 'x', 1,   'o', 1,   1, 1, 's', 4, 1,   'l', 1,  'i', 1,
              'r', 1, 1, 'd', 1, 1,   'k', 1,   'v', 1, 1, 'p', 1, 'q', 1,   10, 1,   6})},
      {routing::CancelContact{.tenant = TenantId("t"), .contact = ContactId(300), .reason = "r"},
       Bytes({1, 1, 1, 't', 0xac, 0x02, 1, 'r'})},
      {routing::SetAgentState{
           .agent = AgentId("a"), .presence = routing::AgentPresence::kNotReady, .reason = "r"},
       Bytes({1, 2, 1, 'a', 1, 1, 'r'})},
      {routing::AcceptOffer{.agent = AgentId("a"), .contact = ContactId(4)},
       Bytes({1, 3, 1, 'a', 4})},
      {routing::DeclineOffer{.agent = AgentId("a"), .contact = ContactId(5), .reason = "r"},
       Bytes({1, 4, 1, 'a', 5, 1, 'r'})},
      {routing::CompleteContact{.agent = AgentId("a"), .contact = ContactId(6)},
       Bytes({1, 5, 1, 'a', 6})},
      {routing::SubmitWrapUp{
           .agent = AgentId("a"), .contact = ContactId(7), .disposition = "d", .notes = "n"},
       Bytes({1, 6, 1, 'a', 7, 1, 'd', 1, 'n'})},
      {routing::AgentConnection{.agent = AgentId("a"), .connected = false},
       Bytes({1, 7, 1, 'a', 0})},
      {routing::TransferContact{.agent = AgentId("a"),
                                .contact = ContactId(8),
                                .target = QueueId("q"),
                                .reason = "r",
                                .notes = "n",
                                .required_skills = {{"s", 3}}},
       Bytes({1, 8, 1, 'a', 8, 0, 1, 'q', 1, 'r', 1, 'n', 1, 1, 's', 6})},
      {routing::EscalateContact{.agent = AgentId("a"),
                                .contact = ContactId(9),
                                .queue = QueueId("q"),
                                .supervisor = "s",
                                .reason = "r",
                                .notes = "n"},
       Bytes({1, 9, 1, 'a', 9, 1, 1, 'q', 1, 's', 1, 'r', 1, 'n'})},
      {routing::ResolveEscalation{.tenant = TenantId("t"),
                                  .escalation = routing::EscalationId(10),
                                  .resolved_by = "b",
                                  .resolution = "r"},
       Bytes({1, 10, 1, 't', 10, 1, 'b', 1, 'r'})},
      {routing::ScheduleFollowUp{.agent = AgentId("a"),
                                 .contact = ContactId(11),
                                 .not_before = Timestamp(Duration(-1)),
                                 .pinned = true,
                                 .pin_timeout = Duration(1),
                                 .queue = QueueId("q"),
                                 .channel = Channel::kEmail,
                                 .notes = "n"},
       Bytes({1, 11, 1, 'a', 11, 1, 1, 1, 2, 1, 1, 'q', 2, 1, 'n'})},
      {routing::Restarted{}, Bytes({1, 12})},
      {routing::RecordSurvey{
           .tenant = TenantId("t"), .contact = ContactId(12), .score = 5, .comment = "c"},
       Bytes({1, 13, 1, 't', 12, 10, 1, 'c'})},
      {routing::UpdateContact{.tenant = TenantId("t"),
                              .contact = ContactId(1),
                              .priority = 7,
                              .remove_attributes = {"k"},
                              .set_attributes = {{"a", "b"}},
                              .by = "g"},
       Bytes({1, 14, 1, 't', 1, 1, 14, 1, 1, 'k', 1, 1, 'a', 1, 'b', 1, 'g'})},
      {routing::MoveContact{
           .tenant = TenantId("t"), .contact = ContactId(2), .queue = QueueId("q"), .by = "g"},
       Bytes({1, 15, 1, 't', 2, 1, 'q', 1, 'g'})},
      {routing::AssignContact{
           .tenant = TenantId("t"), .contact = ContactId(3), .agent = AgentId("a"), .by = "g"},
       Bytes({1, 16, 1, 't', 3, 1, 'a', 1, 'g'})},
      {routing::ForceAgentState{.tenant = TenantId("t"),
                                .agent = AgentId("a"),
                                .presence = routing::AgentPresence::kNotReady,
                                .reason = "r",
                                .supervisor = "s",
                                .end_wrap_ups = true},
       Bytes({1, 17, 1, 't', 1, 'a', 1, 1, 'r', 1, 's', 1})},
      {routing::SetAgentState{
           .agent = AgentId("a"), .presence = routing::AgentPresence::kReady, .reason = "r"},
       Bytes({1, 2, 1, 'a', 2, 1, 'r'})},
      {routing::AgentConnection{.agent = AgentId("ab"), .connected = true},
       Bytes({1, 7, 2, 'a', 'b', 1})},
      {routing::CancelContact{.tenant = TenantId("t"), .contact = ContactId(300)},
       Bytes({1, 1, 1, 't', 0xac, 0x02, 0})},
      {routing::ScheduleFollowUp{.not_before = Timestamp(Duration(-1)), .pin_timeout = Duration(1)},
       Bytes({1, 11, 0, 0, 1, 0, 1, 2, 0, 4, 0})},
      {routing::TransferContact{.target = AgentId("b")}, Bytes({1, 8, 0, 0, 1, 1, 'b', 0, 0, 0})},
  };
  std::set<std::size_t> kinds;
  for (const auto& [command, bytes] : layouts) {
    SCOPED_TRACE(absl::StrCat("kind ", command.index()));
    kinds.insert(command.index());
    EXPECT_EQ(EncodeCommand(command), bytes);
  }
  EXPECT_EQ(kinds.size(), std::variant_size_v<Command>) << "a kind without a layout";
}

TEST(JournalCodecTest, EveryStrictPrefixIsDataLoss) {
  for (const Command& command : AllSamples()) {
    const std::string bytes = EncodeCommand(command);
    for (std::size_t size = 0; size < bytes.size(); ++size) {
      SCOPED_TRACE(absl::StrCat("kind ", command.index(), ", first ", size, " bytes"));
      // A cut inside a string or a list may show as a length past the end instead.
      const absl::StatusOr<Command> decoded =
          DecodeCommand(std::string_view(bytes).substr(0, size));
      EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss) << decoded.status();
    }
  }
}

TEST(JournalCodecTest, TrailingBytesAreDataLoss) {
  for (const Command& command : AllSamples()) {
    SCOPED_TRACE(absl::StrCat("kind ", command.index()));
    ExpectDataLoss(EncodeCommand(command) + Bytes({0}), "trailing bytes after the command, 1 of");
  }
}

TEST(JournalCodecTest, UnknownVersionIsDataLoss) {
  for (const int version : {0, 2, 0xff}) {
    ExpectDataLoss(Bytes({static_cast<std::uint8_t>(version), 12}),
                   absl::StrCat("unknown format version ", version));
  }
}

TEST(JournalCodecTest, UnknownKindIsDataLoss) {
  static_assert(std::variant_size_v<Command> == 18, "the first unknown kind below moves on");
  for (const int kind : {18, 0x80, 0xff}) {
    ExpectDataLoss(Bytes({1, static_cast<std::uint8_t>(kind)}),
                   absl::StrCat("unknown command kind ", kind));
  }
}

TEST(JournalCodecTest, OutOfRangeEnumIsDataLoss) {
  ExpectDataLoss(Bytes({1, 2, 1, 'a', 3, 1, 'r'}), "agent presence value 3 out of range");
  ExpectDataLoss(Bytes({1, 11, 0, 0, 1, 0, 1, 2, 0, 6, 0}), "channel value 6 out of range");
  ExpectDataLoss(Bytes({1, 11, 0, 0, 1, 0, 1, 2, 0, 0x80, 0x01, 0}),
                 "channel value 128 out of range");
}

TEST(JournalCodecTest, FlagOtherThanZeroOrOneIsDataLoss) {
  ExpectDataLoss(Bytes({1, 7, 2, 'a', 'b', 2}), "flag byte of 2");
  // An optional's presence byte.
  ExpectDataLoss(Bytes({1, 11, 0, 0, 1, 0, 0xff, 2, 0, 4, 0}), "flag byte of 255");
}

TEST(JournalCodecTest, StringLongerThanTheRestIsDataLoss) {
  ExpectDataLoss(Bytes({1, 2, 5, 'a', 2, 1, 'r'}), "a string of 5 bytes with only 4 bytes left");
  ExpectDataLoss(Bytes({1, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}),
                 "a string of 18446744073709551615 bytes");
}

TEST(JournalCodecTest, ListLongerThanTheRestIsDataLoss) {
  ExpectDataLoss(Bytes({1, 8, 0, 0, 1, 1, 'b', 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f}),
                 "a list of 4294967295 items with only 0 bytes left");
}

TEST(JournalCodecTest, UnknownVariantIndexIsDataLoss) {
  ExpectDataLoss(Bytes({1, 8, 0, 0, 2, 1, 'b', 0, 0, 0}), "unknown variant index 2");
}

TEST(JournalCodecTest, MalformedVarintIsDataLoss) {
  ExpectDataLoss(Bytes({1, 1, 1, 't', 0x80, 0x00, 0}), "redundant zero byte");
  ExpectDataLoss(Bytes({1, 1, 1, 't', 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02}),
                 "longer than 64 bits");
  ExpectDataLoss(
      Bytes({1, 1, 1, 't', 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x81, 0x01}),
      "longer than 64 bits");
}

TEST(JournalCodecTest, IntOutOfRangeIsDataLoss) {
  // CreateContact{} with a priority: twelve empty fields of details, an empty queue, then it.
  const std::string before = Bytes({1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
  ASSERT_EQ(EncodeCommand(routing::CreateContact{.priority = std::numeric_limits<int>::max()}),
            before + Bytes({0xfe, 0xff, 0xff, 0xff, 0x0f, 0}));
  ExpectDataLoss(before + Bytes({0x80, 0x80, 0x80, 0x80, 0x10, 0}), "an int of 2147483648");
  ExpectDataLoss(before + Bytes({0x81, 0x80, 0x80, 0x80, 0x10, 0}), "an int of -2147483649");
}

// A journal row damaged anywhere either is refused or decodes to exactly the command its bytes
// spell (which is what the writer would write), and never crashes the reader.
TEST(JournalCodecTest, DamagedBytesAreRefusedOrDecodeExactly) {
  for (const Command& command : AllSamples()) {
    const std::string bytes = EncodeCommand(command);
    for (std::size_t at = 0; at < bytes.size(); ++at) {
      for (const int value : {0x00, 0x01, 0x02, 0x7f, 0x80, 0xff}) {
        std::string damaged = bytes;
        damaged[at] = static_cast<char>(value);
        SCOPED_TRACE(absl::StrCat("kind ", command.index(), ", byte ", at, " set to ", value));
        const absl::StatusOr<Command> decoded = DecodeCommand(damaged);
        if (decoded.ok()) {
          EXPECT_EQ(EncodeCommand(*decoded), damaged);
        } else {
          EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss) << decoded.status();
        }
      }
    }
  }
}

}  // namespace
}  // namespace acd::daemon
