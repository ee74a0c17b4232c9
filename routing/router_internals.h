#pragma once

// The router's private state, shared by the .cc files that implement `Router`. Only they include
// this header.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "routing/router.h"
#include "routing/waiting_line.h"

namespace acd::routing {

/// The external id of a contact the router holds, for the tenants' `by_external_id`.
struct Router::ExternalIdOfContact {
  std::string_view operator()(ContactId id) const;
  const SequentialTable<Contact>* contacts = nullptr;
};

struct Router::Tenant {
  TenantConfig config;
  std::vector<QueueIndex> queues;
  std::vector<AgentIndex> agents;
  /// The next local midnight: when "contacts today" starts again from zero.
  Timestamp day_ends_at;
  /// The gateway's external id of every known contact, for idempotent creates.
  KeyIndex<ContactId, ExternalIdOfContact> by_external_id;
};

struct Router::Queue {
  // Read on every count and every refiling: ahead of the configuration.
  std::uint32_t tenant = 0;
  /// Bit per accepted channel.
  std::uint8_t channel_mask = 0;
  QueueConfig config;
  std::vector<AgentIndex> members;
  WaitingLine waiting;
  /// Members with room for one more contact, per channel, in the order the queue's strategy
  /// picks them: (rank, idle since, agent), lowest first. See `Router::RankIn`.
  std::array<std::set<AvailableKey>, kChannelCount> available;
};

struct Router::Agent {
  /// One queue the agent takes contacts from.
  struct Membership {
    QueueIndex queue = 0;
    /// The queue's, copied here so that refiling the agent need not look at its queues.
    SelectionStrategy strategy = SelectionStrategy::kLongestIdle;
    /// The router's offer counter when this queue last offered the agent a contact.
    std::uint64_t last_turn = 0;
    /// The rank the agent is filed under in this queue's `available` indexes.
    std::int64_t indexed_rank = 0;
  };

  AgentConfig config;
  /// The tenant's.
  AgentPolicy policy;
  // Inline, as are `contacts`: each is read in every decision about the agent, and a separate
  // block would cost a cache miss of its own after the one on the agent.
  /// Proficiency by interned skill, sorted by skill.
  absl::InlinedVector<std::pair<SkillIndex, int>, 6> levels;
  absl::InlinedVector<Membership, 4> memberships;
  AgentPresence presence = AgentPresence::kLoggedOut;
  std::string reason;
  Timestamp state_since;
  /// Since when the agent has been free of contacts (or ready); the longest-idle key.
  Timestamp idle_since;
  std::array<int, kChannelCount> load{};
  /// Sum of the capacities on the channels its queues take, for the occupancy share.
  int total_capacity = 0;
  absl::InlinedVector<ContactId, 4> contacts;
  /// How many of `contacts` are offered, connected and in wrap-up.
  static constexpr std::size_t kHoldingOffered = 0;
  static constexpr std::size_t kHoldingConnected = 1;
  static constexpr std::size_t kHoldingWrapUp = 2;
  static std::size_t HoldingSlot(ContactState state) {
    switch (state) {
      case ContactState::kOffered:
        return kHoldingOffered;
      case ContactState::kConnected:
        return kHoldingConnected;
      default:
        return kHoldingWrapUp;
    }
  }
  std::array<int, 3> holding{};
  /// Waiting contacts pinned to this agent (they also wait in their queue's line, where nobody
  /// else may take them); a member or not, the agent is fed from here too.
  std::vector<ContactId> pinned_waiting;
  /// Follow-ups this agent scheduled that have not come due yet.
  int follow_ups_scheduled = 0;
  /// Contacts accepted since the tenant's last local midnight.
  int contacts_today = 0;
  std::uint32_t tenant = 0;
  /// For time in state: what it has been doing since when.
  Activity activity = Activity::kLoggedOut;
  Timestamp activity_since;
  int connections = 0;
  int consecutive_misses = 0;
  std::optional<Timestamp> offers_paused_until;
  std::optional<Timestamp> disconnect_grace_until;
  /// Where the agent is in its queues' `available` indexes: the channels and the key used.
  std::uint8_t indexed_channels = 0;
  Timestamp indexed_idle_since;
};

/// A routing decision as recorded on the hot path: indexes and numbers, made readable only when
/// asked for (see `Router::Explain`). Bounded, so recording never allocates but for the skills.
struct Router::TraceRecord {
  static constexpr std::size_t kMaxCandidates = 4;
  static constexpr std::size_t kMaxExclusions = 8;
  struct Candidate {
    AgentIndex agent = 0;
    /// The strategy's rank (most skilled: the skill score); lower first but for skill.
    std::int64_t key = 0;
    Timestamp idle_since;
  };
  struct Exclusion {
    AgentIndex agent = 0;
    ExclusionReason reason = ExclusionReason::kNotReady;
  };

  Timestamp at;
  DecisionTrigger trigger = DecisionTrigger::kContactArrived;
  QueueIndex queue = 0;
  std::uint8_t steps_done = 0;
  int priority = 0;
  Timestamp virtual_start;
  Requirements requirements;
  std::array<Candidate, kMaxCandidates> candidates{};
  std::uint8_t candidate_count = 0;
  std::array<Exclusion, kMaxExclusions> exclusions{};
  std::uint8_t exclusion_count = 0;
  int exclusions_omitted = 0;
  std::optional<AgentIndex> chosen;

  void AddCandidate(const Candidate& candidate) {
    if (candidate_count < kMaxCandidates) candidates[candidate_count++] = candidate;
  }
  void AddExclusion(AgentIndex agent, ExclusionReason reason) {
    if (exclusion_count < kMaxExclusions) {
      exclusions[exclusion_count++] = {agent, reason};
    } else {
      ++exclusions_omitted;
    }
  }
};

struct Router::Contact {
  // What deciding whether an agent may take it reads comes first, in its first
  // `kEligibilityBytes`. Then what offering it reads.
  static constexpr std::size_t kEligibilityBytes = 128;
  ContactId id;
  QueueIndex queue = 0;
  /// The effective priority (boosts included); `base_priority` as created.
  int priority = 0;
  std::int16_t base_priority = 0;
  ContactState state = ContactState::kQueued;
  /// Steps of its current queue applied so far, and when the next is due while it waits.
  std::uint8_t steps_done = 0;
  /// It became a callback by overflow: it waits for as long as it takes.
  bool overflowed_to_callback = false;
  std::optional<AgentIndex> agent;
  /// The only agent it is offered to (a transfer to a named agent, a pinned follow-up).
  std::optional<AgentIndex> pinned;
  Timestamp virtual_start;
  /// Interned required skills with their minimum levels, sorted by skill.
  Requirements requirements;
  /// Agents that declined or let this contact ring out: never offered it again.
  std::vector<AgentIndex> refused_by;
  /// Agents tried first, until a deadline (a window, rare enough to live outside the contact).
  struct Preference {
    Timestamp until;
    std::vector<AgentIndex> agents;
  };
  /// While set, only these agents are offered the contact.
  std::unique_ptr<Preference> preference;
  /// Queues whose agents may take it too (add-queue steps); it waits in their lines as well.
  std::vector<QueueIndex> widened;
  /// Every decision that offered it to an agent, oldest first.
  std::vector<TraceRecord> decisions;
  /// Armed while the contact waits in a queue with a max wait.
  std::optional<Timestamp> max_wait_at;
  std::optional<Timestamp> next_step_at;
  std::optional<Timestamp> offer_expires_at;
  std::optional<Timestamp> wrap_up_deadline;
  ContactDetails details;
  Timestamp created_at;
  /// When its current agent was connected, and when that interaction ended (wrap-up began); the
  /// epoch when not (yet). For talk and wrap-up times.
  Timestamp connected_at;
  Timestamp ended_at;
  /// What last made the router look for an agent for it.
  DecisionTrigger last_trigger = DecisionTrigger::kContactArrived;
  /// The agent who accepted it; kept after completion for the record.
  std::optional<AgentIndex> handled_by;
  /// What only some contacts have, kept out of line so that a plain waiting contact stays small.
  struct Extras {
    /// Scheduled contacts: when they start waiting.
    std::optional<Timestamp> not_before;
    /// The agent who scheduled this follow-up, counted against their limit while scheduled.
    std::optional<AgentIndex> scheduled_by;
    std::optional<ContactId> follow_up_of;
    int attempt = 0;
    /// When a pinned follow-up is released to anyone eligible.
    std::optional<Timestamp> pin_until;
    std::string handover_notes;
    /// The agent's wrap-up notes (never logged).
    std::string wrap_up_notes;
    /// The customer's survey score, 0 until one is recorded.
    int csat = 0;
  };
  std::unique_ptr<Extras> extras;
  Extras& MutableExtras() {
    if (!extras) extras = std::make_unique<Extras>();
    return *extras;
  }
  /// How it ended, once completed.
  std::string disposition;

  WaitingKey Key() const { return MakeWaitingKey(priority, virtual_start, id.value()); }
};

inline std::string_view Router::ExternalIdOfContact::operator()(ContactId id) const {
  return contacts->At(id.value()).details.external_id;
}

inline std::string_view Router::AgentIdOfIndex::operator()(AgentIndex index) const {
  return (*agents)[index].config.id.value();
}

/// Loads the cache lines holding the first `bytes` bytes at `address` now, without waiting for
/// them, so that their misses overlap the work until they are used. Plain loads rather than
/// prefetch instructions: on the machine this was measured on, prefetches of such far-off lines
/// made no difference, loads did (README, Performance).
inline void LoadEarly(const void* address, std::size_t bytes = 1) {
  const auto* first = static_cast<const volatile unsigned char*>(address);
  const auto start = reinterpret_cast<std::uintptr_t>(address);
  const std::uintptr_t line_of_start = start & ~std::uintptr_t{63};
  (void)first[0];
  for (std::uintptr_t line = line_of_start + 64; line < start + bytes; line += 64) {
    (void)first[line - start];
  }
}

/// The NOT_FOUND message for a contact unknown to the caller's tenant.
inline std::string ContactNotFound(ContactId id) {
  return "contact " + std::to_string(id.value()) + " not found";
}

/// A key that scopes a name (a skill, an external id) to its tenant.
inline std::string TenantKey(const TenantId& tenant, const std::string& name) {
  std::string key;
  key.reserve(tenant.value().size() + 1 + name.size());
  return key.append(tenant.value()).append(1, '\n').append(name);
}

inline constexpr std::uint8_t ChannelBit(Channel channel) {
  return static_cast<std::uint8_t>(1U << static_cast<unsigned>(channel));
}

inline constexpr std::array<Channel, kChannelCount> kAllChannels = {
    Channel::kVoice,     Channel::kChat,     Channel::kEmail,
    Channel::kMessaging, Channel::kCallback, Channel::kWorkItem};

template <typename Predicate>
void Router::ResolveEscalationsOf(ContactId contact, Predicate applies,
                                  std::string_view resolved_by, std::string_view resolution,
                                  Timestamp now, std::vector<Event>& events) {
  auto [first, last] = open_escalations_.equal_range(contact);
  std::vector<EscalationId> settled;
  for (auto it = first; it != last; ++it) {
    if (applies(escalations_.at(it->second.value()))) settled.push_back(it->second);
  }
  for (EscalationId id : settled) {
    Resolve(escalations_.at(id.value()), std::string(resolved_by), std::string(resolution), now,
            events);
  }
}

}  // namespace acd::routing
