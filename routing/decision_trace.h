#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "routing/catalog.h"
#include "routing/ids.h"
#include "routing/time.h"

namespace acd::routing {

/// What prompted a routing decision.
enum class DecisionTrigger : std::uint8_t {
  kContactArrived,      ///< Created, or a scheduled contact came due.
  kAgentAvailable,      ///< An agent freed up and this was the most urgent contact it could take.
  kContactRequeued,     ///< Back to waiting: decline, timeout, transfer, escalation, overflow.
  kStepReached,         ///< A queue step took effect.
  kWindowEnded,         ///< Its preferred-agent time or its pin to one agent ran out.
  kSupervisorAssigned,  ///< A supervisor offered it to a chosen agent (AssignContact).
};
std::string_view DecisionTriggerName(DecisionTrigger trigger);

/// Why an agent was not a candidate for a contact.
enum class ExclusionReason : std::uint8_t {
  kLoggedOut,
  kNotReady,
  kNoCapacity,
  kVoiceExclusive,
  kMissingSkill,
  kSkillTooLow,
  kRefusedBefore,
  kCooldown,
  kNotPreferred,
  kNotPinned,
  kNotMember,
};
std::string_view ExclusionReasonName(ExclusionReason reason);

struct DecisionCandidate {
  AgentId agent;
  /// The strategy's key, readable: "idle 312s", "load 33%", "skill 9", "4 today", "turn 17".
  std::string strategy_key;
  /// 1-based; 1 is the agent chosen.
  int rank = 0;
  bool preferred = false;
};

struct DecisionExclusion {
  AgentId agent;
  ExclusionReason reason = ExclusionReason::kNotReady;
  /// Specifics: "billing 2 < 3", "chat 3/3", "until 12:00:05".
  std::string detail;
};

/// One routing decision about a contact, as the router saw it: recorded for every offer, and
/// worked out on request for a contact still waiting (with no agent chosen).
struct DecisionTrace {
  Timestamp at;
  DecisionTrigger trigger = DecisionTrigger::kContactArrived;
  QueueId queue;
  SelectionStrategy strategy = SelectionStrategy::kLongestIdle;
  /// 1-based index of the latest queue step in force; 0 for none.
  int active_step = 0;
  std::string active_step_description;
  int effective_priority = 0;
  std::vector<SkillLevel> effective_requirements;
  Duration waited{};
  /// Eligible agents, best first.
  std::vector<DecisionCandidate> candidates;
  std::vector<DecisionExclusion> exclusions;
  /// Exclusions left out to bound the trace's size.
  int exclusions_omitted = 0;
  std::optional<AgentId> chosen;
};

}  // namespace acd::routing
