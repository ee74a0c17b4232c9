#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "routing/ids.h"
#include "routing/time.h"

namespace acd::routing {

/// Who raised an escalation.
enum class EscalationSource : std::uint8_t {
  kAgent,      ///< An agent, to a tier-2 queue or to supervisors.
  kQueueStep,  ///< A queue's notify-supervisors step, about a contact waiting too long.
};
std::string_view EscalationSourceName(EscalationSource source);

/// A contact that needs someone else's attention, tracked until it is resolved: by a supervisor;
/// for a tier-2 escalation, by the tier-2 agent completing the contact; for a queue step's
/// alert, by the contact being answered or ending. Resolved escalations stay readable for the
/// catalog's retention time.
struct EscalationView {
  EscalationId id;
  TenantId tenant;
  ContactId contact;
  EscalationSource source = EscalationSource::kAgent;
  bool open = true;
  /// The escalating agent and team (source kAgent).
  std::optional<AgentId> agent;
  std::string team;
  /// The queue the contact was in when escalated.
  QueueId queue;
  /// The tier-2 queue it went to; nullopt when addressed to supervisors.
  std::optional<QueueId> target_queue;
  /// A particular supervisor (token name); empty for any of the tenant's.
  std::string target_supervisor;
  /// The agent's reason code, or the step's message.
  std::string reason;
  /// The agent's notes; never logged.
  std::string notes;
  Timestamp created_at;
  std::optional<Timestamp> resolved_at;
  /// A supervisor's name, the tier-2 agent's id, or "system".
  std::string resolved_by;
  /// The supervisor's notes, the tier-2 disposition, or what ended it ("answered", ...).
  std::string resolution;
};

/// `resolved_by` when the core resolves an escalation itself.
inline constexpr std::string_view kResolvedBySystem = "system";

}  // namespace acd::routing
