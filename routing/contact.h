#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "routing/catalog.h"
#include "routing/ids.h"
#include "routing/time.h"

namespace acd::routing {

/// Where a contact is in its life. Terminal contacts stay in the router's memory for the
/// catalog's retention time; interaction records keep them longer.
enum class ContactState : std::uint8_t {
  /// Waiting for its not-before time; not routed until then.
  kScheduled,
  kQueued,
  kOffered,
  kConnected,
  kWrapUp,
  kCompleted,
  kAbandoned,
  /// Refused by its queue's overflow action after waiting too long.
  kExpired,
};
std::string_view ContactStateName(ContactState state);

inline constexpr int kMinPriority = 0;
inline constexpr int kMaxPriority = 100;
inline constexpr int kMinSurveyScore = 1;
inline constexpr int kMaxSurveyScore = 5;
/// Attributes one contact may carry.
inline constexpr std::size_t kMaxContactAttributes = 32;

/// The customer behind a contact, as the gateway identified them.
struct Customer {
  std::string id;
  std::string tier;
  bool verified = false;
  std::string display_name;
};

/// What a gateway says about a contact when it creates it; fixed for the contact's life, but for
/// the channel, which an overflow to a callback changes.
struct ContactDetails {
  TenantId tenant;
  /// The gateway's own id for the contact: creating twice with the same one is idempotent.
  std::string external_id;
  /// Who created it (the gateway's token name), so that its events reach that gateway.
  std::string origin;
  Channel channel = Channel::kVoice;
  std::vector<SkillLevel> required_skills;
  std::string language;
  Customer customer;
  std::vector<std::pair<std::string, std::string>> attributes;
  std::vector<AgentId> preferred_agents;
};

/// Where a waiting contact stands: cheap to read for many contacts at once.
struct WaitView {
  /// 1-based place among the queue's waiting contacts.
  int position = 0;
  /// How much longer, by the queue's recent handle time and staffed agents.
  std::optional<Duration> estimated_wait;

  bool operator==(const WaitView&) const = default;
};

/// A copy of one contact's state, for answering queries outside the core.
struct ContactView {
  ContactId id;
  ContactDetails details;
  QueueId queue;
  /// The priority it was created with...
  int base_priority = 0;
  /// ...and the one it routes by, after queue steps' boosts.
  int priority = 0;
  ContactState state = ContactState::kQueued;
  /// The agent holding the contact (offered, connected or in wrap-up), or the one who handled
  /// a completed contact.
  std::optional<AgentId> agent;
  Timestamp created_at;
  /// When the contact first entered the system; re-queues keep it.
  Timestamp virtual_start;
  /// 1-based place among the queue's waiting contacts; 0 when not waiting.
  int queue_position = 0;
  /// While waiting: how much longer, by the queue's recent handle time and staffed agents.
  std::optional<Duration> estimated_wait;
  /// Set while an offer is pending.
  std::optional<Timestamp> offer_expires_at;
  /// Set during a timed wrap-up.
  std::optional<Timestamp> wrap_up_deadline;
  /// Until then only its preferred agents (those in its queue) are offered it.
  std::optional<Timestamp> preferred_until;
  /// The only agent it is offered to (a transfer to a named agent, a pinned follow-up).
  std::optional<AgentId> pinned_agent;
  /// For a scheduled contact: when it starts waiting.
  std::optional<Timestamp> not_before;
  /// For a follow-up: the contact it follows up, and which attempt it is (1 for the first).
  std::optional<ContactId> follow_up_of;
  int attempt = 0;
  /// Notes handed over by a transfer, an escalation or a follow-up; never logged.
  std::string handover_notes;
  /// Its latest time with an agent: when the agent was connected, and when that interaction
  /// ended (wrap-up began); unset before.
  std::optional<Timestamp> connected_at;
  std::optional<Timestamp> ended_at;
  /// Once completed: the disposition code (the agent's, or a system one) and wrap-up notes.
  std::string disposition;
  std::string wrap_up_notes;
  /// The customer's survey score 1-5; 0 when none was recorded.
  int csat = 0;
};

}  // namespace acd::routing
