#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/time/time.h"
#include "routing/business_hours.h"
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
  kLongestIdle,    ///< The agent idle the longest since their last contact or becoming ready.
  kLeastOccupied,  ///< The lowest share of the agent's capacity in use, over all channels.
  kMostSkilled,    ///< The highest sum of proficiencies in the contact's required skills.
  kFewestToday,    ///< The fewest contacts accepted since midnight in the tenant's time zone.
  kRoundRobin,     ///< The member offered a contact of this queue the longest ago.
};
inline constexpr std::size_t kStrategyCount = 5;
std::string_view StrategyName(SelectionStrategy strategy);
std::optional<SelectionStrategy> ParseStrategy(std::string_view name);

inline constexpr int kMinSkillLevel = 1;
inline constexpr int kMaxSkillLevel = 10;

/// One named skill at a proficiency (agents) or a minimum proficiency (contacts), 1-10.
struct SkillLevel {
  std::string skill;
  int level = kMinSkillLevel;

  bool operator==(const SkillLevel&) const = default;
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

  bool operator==(const AgentPolicy&) const = default;
};

/// A BPO's client organisation. Every other entity belongs to exactly one tenant.
struct TenantConfig {
  TenantId id;
  std::string display_name;
  /// The skill names this tenant's queues, agents and contacts may use.
  std::vector<std::string> skills;
  AgentPolicy agent_policy;
  /// Not-ready reason codes agents may give; empty allows any. The core's own codes
  /// ("not-ready", "no-answer", "disconnected") always exist.
  std::vector<std::string> not_ready_reasons;
  /// Disposition codes wrap-up may record; empty allows any.
  std::vector<std::string> disposition_codes;
  /// Where "today" starts and ends for this tenant's figures (fewest-contacts-today).
  absl::TimeZone time_zone = absl::UTCTimeZone();

  bool operator==(const TenantConfig&) const = default;
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

  bool operator==(const WrapUpConfig&) const = default;
};

/// What a queue does with a contact it cannot keep.
enum class OverflowAction : std::uint8_t {
  kQueue,     ///< Move it to another queue, keeping its virtual start.
  kCallback,  ///< Make it a callback (channel callback), waiting in place or in another queue.
  kReject,    ///< Refuse a new contact; end a waiting one as expired.
};
std::string_view OverflowActionName(OverflowAction action);
std::optional<OverflowAction> ParseOverflowAction(std::string_view name);

struct Overflow {
  OverflowAction action = OverflowAction::kReject;
  /// For kQueue, the target (same tenant, required); for kCallback, where the callback waits
  /// (empty: the same queue). The target must accept the channel the contact will have.
  QueueId queue;

  bool operator==(const Overflow&) const = default;
};

/// Step actions: what happens to a waiting contact once it is old enough.
struct RelaxSkill {
  std::string skill;
  /// The new minimum level; never raises one.
  int min_level = kMinSkillLevel;

  bool operator==(const RelaxSkill&) const = default;
};
struct DropSkill {
  std::string skill;

  bool operator==(const DropSkill&) const = default;
};
struct BoostPriority {
  /// Added to the contact's priority, which stays within 0-100.
  int by = 0;

  bool operator==(const BoostPriority&) const = default;
};
/// The agents of another queue of the tenant may take the contact too.
struct AddQueue {
  QueueId queue;

  bool operator==(const AddQueue&) const = default;
};
/// An alert for the tenant's supervisors.
struct NotifySupervisors {
  std::string message;

  bool operator==(const NotifySupervisors&) const = default;
};
using StepAction =
    std::variant<RelaxSkill, DropSkill, BoostPriority, AddQueue, NotifySupervisors, Overflow>;

/// The kind of a step, by the index of its action in StepAction.
enum class StepKind : std::uint8_t {
  kRelaxSkill,
  kDropSkill,
  kBoostPriority,
  kAddQueue,
  kNotifySupervisors,
  kOverflow
};
std::string_view StepKindName(StepKind kind);

/// A rule applied to a contact waiting in the queue once `after` has passed since its virtual
/// start (so a contact that arrives late, by overflow, gets the steps it is old enough for at
/// once). Effects accumulate.
struct QueueStep {
  Duration after{};
  StepAction action;

  bool operator==(const QueueStep&) const = default;
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
  /// Contacts abandoned sooner than this after arriving are short abandons: the customer hung up
  /// at once, and service level leaves them out.
  Duration short_abandon_threshold = std::chrono::seconds(5);
  SelectionStrategy strategy = SelectionStrategy::kLongestIdle;
  /// How long an offer waits for accept or decline before it counts as ring-no-answer.
  Duration offer_timeout = std::chrono::seconds(20);
  WrapUpConfig wrap_up;
  /// For this long from a contact's virtual start, only its preferred agents (those of them who
  /// are members here) are offered it; then anyone eligible.
  Duration preferred_agent_timeout{};
  /// When the queue takes new contacts; nullopt for always. Contacts already waiting at closing
  /// time are still served.
  std::optional<BusinessHours> business_hours;
  /// What happens to a contact arriving while closed; nullopt refuses it.
  std::optional<Overflow> closed_overflow;
  /// Most contacts waiting at once (0: no limit); a new contact beyond it gets `overflow`.
  int max_size = 0;
  /// Longest a contact may wait from its virtual start; a waiting contact reaching it gets
  /// `overflow` (callbacks made by an overflow wait as long as it takes).
  std::optional<Duration> max_wait;
  Overflow overflow;
  /// In order of `after`.
  std::vector<QueueStep> steps;

  bool operator==(const QueueConfig&) const = default;
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

  bool operator==(const AgentConfig&) const = default;
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
