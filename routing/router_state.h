#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "routing/agent.h"
#include "routing/catalog.h"
#include "routing/contact.h"
#include "routing/decision_trace.h"
#include "routing/escalation.h"
#include "routing/ids.h"
#include "routing/kpi.h"
#include "routing/statistics.h"
#include "routing/time.h"

namespace acd::routing {

/// Everything a router holds beyond its catalog, as plain values that name tenants, queues,
/// agents and skills by id: what `Router::Export` gives and `Router::Import` takes back, so that
/// the daemon can keep a snapshot and resume from it instead of replaying its whole journal.
/// Nothing here is derived from anything else here; the indexes built from it are rebuilt.
struct RouterState {
  /// A MinuteRing's content: the 60 one-minute buckets, the latest minute written, today.
  template <typename Tally>
  struct Ring {
    std::vector<Tally> minutes;
    std::int64_t latest = 0;
    Tally today;
  };

  struct TenantRecord {
    TenantId id;
    /// The next local midnight, when "today" starts again.
    Timestamp day_ends_at;
    Ring<ContactTally> tally;
  };

  struct QueueRecord {
    QueueId id;
    Ring<ContactTally> tally;
  };

  struct Membership {
    QueueId queue;
    std::uint64_t last_turn = 0;
    std::int64_t indexed_rank = 0;
  };

  struct AgentRecord {
    AgentId id;
    AgentPresence presence = AgentPresence::kLoggedOut;
    std::string reason;
    Timestamp state_since;
    Timestamp idle_since;
    /// Per channel.
    std::vector<int> load;
    std::vector<ContactId> contacts;
    /// Offered, connected, in wrap-up.
    std::vector<int> holding;
    std::vector<ContactId> pinned_waiting;
    int follow_ups_scheduled = 0;
    int contacts_today = 0;
    Activity activity = Activity::kLoggedOut;
    Timestamp activity_since;
    int connections = 0;
    int consecutive_misses = 0;
    std::optional<Timestamp> offers_paused_until;
    std::optional<Timestamp> disconnect_grace_until;
    std::vector<Membership> memberships;
    /// Where the agent is filed in its queues' availability indexes.
    int indexed_channels = 0;
    Timestamp indexed_idle_since;
    Ring<ContactTally> tally;
    Ring<TimeTally> time;
  };

  struct TraceCandidate {
    AgentId agent;
    std::int64_t key = 0;
    Timestamp idle_since;
  };
  struct TraceExclusion {
    AgentId agent;
    ExclusionReason reason = ExclusionReason::kNotReady;
  };
  struct Trace {
    Timestamp at;
    DecisionTrigger trigger = DecisionTrigger::kContactArrived;
    QueueId queue;
    int steps_done = 0;
    int priority = 0;
    Timestamp virtual_start;
    std::vector<SkillLevel> requirements;
    std::vector<TraceCandidate> candidates;
    std::vector<TraceExclusion> exclusions;
    int exclusions_omitted = 0;
    std::optional<AgentId> chosen;
  };

  struct ContactRecord {
    ContactId id;
    ContactDetails details;
    std::vector<SkillLevel> requirements;
    QueueId queue;
    int priority = 0;
    int base_priority = 0;
    ContactState state = ContactState::kQueued;
    std::optional<AgentId> agent;
    Timestamp created_at;
    Timestamp virtual_start;
    Timestamp connected_at;
    Timestamp ended_at;
    std::optional<Timestamp> offer_expires_at;
    std::optional<Timestamp> wrap_up_deadline;
    bool has_extras = false;
    std::optional<Timestamp> not_before;
    std::optional<AgentId> scheduled_by;
    std::optional<ContactId> follow_up_of;
    int attempt = 0;
    std::optional<Timestamp> pin_until;
    std::string handover_notes;
    std::string wrap_up_notes;
    int csat = 0;
    std::optional<AgentId> pinned;
    /// Set with its agents while the contact has preferred agents.
    std::optional<Timestamp> preferred_until;
    std::vector<AgentId> preferred_agents;
    std::optional<Timestamp> max_wait_at;
    int steps_done = 0;
    std::optional<Timestamp> next_step_at;
    std::vector<QueueId> widened;
    bool overflowed_to_callback = false;
    std::string disposition;
    DecisionTrigger last_trigger = DecisionTrigger::kContactArrived;
    std::optional<AgentId> handled_by;
    std::vector<AgentId> refused_by;
    std::vector<Trace> decisions;
  };

  /// A pending timer: `kind` is the router's own numbering; its subject is `agent` for the
  /// timers about an agent, `subject` (a contact or escalation id) for the others.
  struct Timer {
    Timestamp at;
    int kind = 0;
    std::uint64_t subject = 0;
    AgentId agent;
  };

  Timestamp now;
  std::uint64_t next_contact_id = 1;
  std::uint64_t next_escalation_id = 1;
  std::uint64_t offers_made = 0;
  std::vector<TenantRecord> tenants;
  std::vector<QueueRecord> queues;
  std::vector<AgentRecord> agents;
  /// In id order.
  std::vector<ContactRecord> contacts;
  std::vector<EscalationView> escalations;
  std::vector<std::pair<ContactId, EscalationId>> open_escalations;
  std::vector<Timer> timers;
  /// Timers that forget finished contacts and resolved escalations, in the order they come due.
  std::vector<Timer> forgetting;
};

}  // namespace acd::routing
