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

/// An agent's availability, set by the agent (or a supervisor, or a timer).
enum class AgentPresence : std::uint8_t { kLoggedOut, kNotReady, kReady };
std::string_view AgentPresenceName(AgentPresence presence);

/// Reason code the core itself uses when an offer rings out unanswered.
inline constexpr std::string_view kReasonNoAnswer = "no-answer";
/// Reason code used when an agent's last desktop stream has been gone for the grace period.
inline constexpr std::string_view kReasonDisconnected = "disconnected";
/// Reason code used when an agent asks for not-ready without naming one.
inline constexpr std::string_view kReasonDefaultNotReady = "not-ready";

/// A copy of one agent's state, for answering queries outside the core.
struct AgentView {
  AgentId id;
  TenantId tenant;
  std::string display_name;
  std::string team;
  AgentPresence presence = AgentPresence::kLoggedOut;
  /// The not-ready reason code; empty otherwise.
  std::string reason;
  Timestamp state_since;
  std::vector<QueueId> queues;
  std::vector<SkillLevel> skills;
  /// Contacts reserved for, connected to, or in wrap-up with this agent.
  std::vector<ContactId> contacts;
  /// Number of open event streams (agent desktops) of this agent.
  int connections = 0;
  /// Set while the agent gets no offers after a decline or a ring-no-answer.
  std::optional<Timestamp> offers_paused_until;
  /// Offers in a row that rang out unanswered.
  int consecutive_misses = 0;
  /// Contacts accepted since the tenant's last local midnight.
  int contacts_today = 0;
};

}  // namespace acd::routing
