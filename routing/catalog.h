#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "routing/ids.h"
#include "routing/time.h"

namespace acd::routing {

/// The media a contact arrives on. Capacity is counted per channel.
enum class Channel : std::uint8_t { kVoice, kChat, kEmail, kMessaging, kCallback, kWorkItem };
inline constexpr std::size_t kChannelCount = 6;

/// Lower-case configuration name of a channel ("voice", "work_item", ...).
std::string_view ChannelName(Channel channel);
/// Parses a configuration name; nullopt for anything else.
std::optional<Channel> ParseChannel(std::string_view name);

/// How a queue picks among the ready agents able to take a new contact.
enum class SelectionStrategy : std::uint8_t {
  kLongestIdle,  ///< The agent idle the longest since their last contact or becoming ready.
};
std::string_view StrategyName(SelectionStrategy strategy);
std::optional<SelectionStrategy> ParseStrategy(std::string_view name);

inline constexpr int kMinSkillLevel = 1;
inline constexpr int kMaxSkillLevel = 10;

/// One named skill at a proficiency (agents) or a minimum proficiency (contacts), 1-10.
struct SkillLevel {
  std::string skill;
  int level = kMinSkillLevel;
};

/// How the router treats a tenant's agents who do not answer, and those whose desktop goes away.
struct AgentPolicy {
  /// After a decline, no offer for this long (the contact itself never returns to that agent).
  Duration decline_cooldown = std::chrono::seconds(5);
  /// After an offer rings out unanswered, no offer for this long...
  Duration no_answer_cooldown = std::chrono::seconds(30);
  /// ...until the ring-out that makes this many in a row puts the agent not ready with reason
  /// "no-answer" (1: the first one does).
  int not_ready_after_misses = 2;
  /// When an agent's last event stream closes, how long before it is not ready "disconnected"
  /// and its pending offers return to the queue; a reconnect within it changes nothing.
  Duration disconnect_grace = std::chrono::seconds(30);
};

/// A BPO's client organisation. Every other entity belongs to exactly one tenant.
struct TenantConfig {
  TenantId id;
  std::string display_name;
  /// The skill names this tenant's queues, agents and contacts may use.
  std::vector<std::string> skills;
  AgentPolicy agent_policy;
};

/// What happens after an interaction ends, before the agent's capacity is free again.
enum class WrapUpPolicy : std::uint8_t {
  kNone,       ///< Nothing: the contact completes at once with a system disposition.
  kTimed,      ///< Until the agent submits, or `timeout` passes and a system disposition is set.
  kMandatory,  ///< Until the agent submits a disposition, however long it takes.
};
std::string_view WrapUpPolicyName(WrapUpPolicy policy);
std::optional<WrapUpPolicy> ParseWrapUpPolicy(std::string_view name);

struct WrapUpConfig {
  WrapUpPolicy policy = WrapUpPolicy::kMandatory;
  /// For kTimed only.
  Duration timeout = std::chrono::seconds(60);
};

struct QueueConfig {
  QueueId id;
  TenantId tenant;
  std::string display_name;
  /// Channels a contact may arrive on in this queue; never empty.
  std::vector<Channel> channels;
  /// Priority given to contacts that do not bring their own; higher routes first.
  int default_priority = 0;
  /// Share of contacts to answer within `service_level_threshold` (0..1].
  double service_level_target = 0.8;
  Duration service_level_threshold = std::chrono::seconds(20);
  SelectionStrategy strategy = SelectionStrategy::kLongestIdle;
  /// How long an offer waits for accept or decline before it counts as ring-no-answer.
  Duration offer_timeout = std::chrono::seconds(20);
  WrapUpConfig wrap_up;
};

struct AgentConfig {
  AgentId id;
  TenantId tenant;
  std::string display_name;
  std::string team;
  std::vector<SkillLevel> skills;
  /// Queues this agent takes contacts from; all of the agent's tenant.
  std::vector<QueueId> queues;
  /// Simultaneous contacts per channel, indexed by `Channel`.
  std::array<int, kChannelCount> capacity{1, 1, 1, 1, 1, 1};
  /// A voice contact is the only contact: nothing is offered beside a call, and no call is
  /// offered beside anything else.
  bool voice_exclusive = true;
  /// Channels whose offers the agent takes at once, without an accept, indexed by `Channel`.
  std::array<bool, kChannelCount> auto_accept{};
};

/// What is wrong with a catalog, naming the entity so that a config loader can point at its line.
struct CatalogProblem {
  std::string entity_kind;  ///< "tenant", "queue" or "agent".
  std::string entity_id;
  std::string message;
};

/// Everything the router routes over: the static part of the configuration.
struct Catalog {
  std::vector<TenantConfig> tenants;
  std::vector<QueueConfig> queues;
  std::vector<AgentConfig> agents;
  /// How long a completed or abandoned contact stays readable, and its external id stays
  /// claimed so that a gateway's late retry of the create is still answered with it.
  Duration finished_contact_retention = std::chrono::minutes(15);

  /// The first inconsistency (duplicate ids, dangling references, values out of range, entities
  /// crossing tenants), or nullopt when the catalog can be routed over.
  std::optional<CatalogProblem> FindProblem() const;
};

}  // namespace acd::routing
