#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "routing/agent.h"
#include "routing/escalation.h"
#include "routing/ids.h"
#include "routing/time.h"

namespace acd::routing {

/// A contact entered its queue's waiting line (also after a re-queue, see ContactRequeued).
struct ContactQueued {
  ContactId contact;
  QueueId queue;
  /// 1-based place in the waiting line when it entered, before any offer.
  int position = 0;
};

/// A contact is reserved for an agent until accepted, declined or timed out.
struct OfferMade {
  ContactId contact;
  AgentId agent;
  Timestamp expires_at;
};

enum class RescindReason : std::uint8_t {
  kAbandoned,
  kTimeout,
  kDeclined,
  kAgentUnavailable,
  /// A supervisor moved the contact or assigned it to someone else.
  kSupervisor,
};
std::string_view RescindReasonName(RescindReason reason);

/// A pending offer was withdrawn from an agent.
struct OfferRescinded {
  ContactId contact;
  AgentId agent;
  RescindReason reason;
};

/// A contact went back to waiting, keeping its virtual start time.
struct ContactRequeued {
  ContactId contact;
  QueueId queue;
  RescindReason reason;
  /// 1-based place in the waiting line when it re-entered, before any offer.
  int position = 0;
};

/// The agent accepted: the gateway bridges the customer to this agent.
struct ContactAssigned {
  ContactId contact;
  AgentId agent;
  /// The agent auto-accepts this channel: the offer was taken without asking.
  bool auto_accepted = false;
};

/// Who ended a connected interaction.
enum class EndReason : std::uint8_t { kAgent, kCustomer };

/// The interaction ended; the agent's capacity is held until wrap-up is submitted.
struct WrapUpStarted {
  ContactId contact;
  AgentId agent;
  EndReason ended_by;
  /// When a timed wrap-up ends with a system disposition; nullopt when it is mandatory.
  std::optional<Timestamp> deadline;
};

/// Disposition the core records when a timed wrap-up runs out.
inline constexpr std::string_view kDispositionWrapUpTimeout = "wrap-up-timeout";
/// Disposition the core records for queues without wrap-up.
inline constexpr std::string_view kDispositionNoWrapUp = "no-wrap-up";
/// Disposition the core records for wrap-ups a supervisor's log-out ended.
inline constexpr std::string_view kDispositionLoggedOut = "logged-out";

/// The contact is over and the agent's capacity is free.
struct ContactCompleted {
  ContactId contact;
  AgentId agent;
  std::string disposition;
  /// The core chose the disposition (wrap-up timed out, or the queue has none).
  bool system_disposition = false;
};

/// The customer left before being connected.
struct ContactAbandoned {
  ContactId contact;
  QueueId queue;
  std::string reason;
  /// Within the queue's short-abandon threshold of arriving: kept out of service level.
  bool short_abandon = false;
};

/// Why a contact overflowed or expired.
inline constexpr std::string_view kOverflowMaxWait = "max-wait";
inline constexpr std::string_view kOverflowMaxSize = "max-size";
inline constexpr std::string_view kOverflowClosed = "closed";

/// A contact left its queue for another one, or became a callback; ContactQueued follows.
struct ContactOverflowed {
  ContactId contact;
  QueueId from_queue;
  OverflowAction action = OverflowAction::kQueue;
  QueueId to_queue;
  /// The channel it now has (callback after a callback overflow).
  Channel channel = Channel::kVoice;
  std::string_view reason;
};

inline constexpr std::string_view kOverflowStep = "step";

/// A queue step took effect on a waiting contact. For kNotifySupervisors this is the alert.
struct StepApplied {
  ContactId contact;
  QueueId queue;
  /// 0-based index into the queue's steps.
  std::size_t step = 0;
  StepKind kind = StepKind::kRelaxSkill;
};

/// A waiting contact was refused by its queue's overflow action; it is over.
struct ContactExpired {
  ContactId contact;
  QueueId queue;
  std::string_view reason;
};

/// An agent transferred a connected contact; ContactQueued follows (in the target queue, or in
/// its own queue waiting for the named agent).
struct ContactTransferred {
  ContactId contact;
  AgentId from_agent;
  /// The queue the agent had it from.
  QueueId from_queue;
  /// A queue, or the named agent it waits for.
  std::variant<QueueId, AgentId> to;
  std::string reason;
};

/// An agent escalated a contact to a tier-2 queue; ContactQueued follows.
struct ContactEscalated {
  ContactId contact;
  EscalationId escalation;
  AgentId from_agent;
  QueueId from_queue;
  QueueId to_queue;
  std::string reason;
};

/// An escalation was raised (by an agent or a queue step) or resolved. Shared, immutable
/// copies: escalations are rare, and events stay small.
struct EscalationRaised {
  std::shared_ptr<const EscalationView> escalation;
};
struct EscalationResolved {
  std::shared_ptr<const EscalationView> escalation;
};

/// A contact will start waiting at `not_before` (a follow-up, a booked callback).
struct ContactScheduled {
  ContactId contact;
  QueueId queue;
  Timestamp not_before;
  std::optional<AgentId> pinned_agent;
  std::optional<ContactId> follow_up_of;
};

/// A customer's satisfaction survey was recorded for a contact (counted for the agent who
/// handled it, and that contact's queue).
struct SurveyRecorded {
  ContactId contact;
  AgentId agent;
  int score = 0;
  std::string comment;
};

struct AgentStateChanged {
  AgentId agent;
  AgentPresence presence;
  std::string reason;
  /// Empty when the agent changed it; a supervisor's name, or kChangedBySystem.
  std::string changed_by;
};

/// Who changed an agent's state when the router did (ring-no-answer, lost connection).
inline constexpr std::string_view kChangedBySystem = "system";

/// A live contact's priority or attributes changed (UpdateContact).
struct ContactUpdated {
  ContactId contact;
  /// The agent holding it, whose desktop shows it.
  std::optional<AgentId> agent;
  std::string by;
};

/// A supervisor moved a contact to another queue; `ContactQueued` follows unless it is scheduled.
struct ContactMoved {
  ContactId contact;
  QueueId from_queue;
  QueueId to_queue;
  std::string by;
};

using EventBody =
    std::variant<ContactQueued, OfferMade, OfferRescinded, ContactRequeued, ContactAssigned,
                 WrapUpStarted, ContactCompleted, ContactAbandoned, ContactOverflowed,
                 ContactExpired, StepApplied, ContactTransferred, ContactEscalated,
                 EscalationRaised, EscalationResolved, ContactScheduled, SurveyRecorded,
                 AgentStateChanged, ContactUpdated, ContactMoved>;

/// A domain event: something that happened, in the order it happened.
struct Event {
  Timestamp at;
  TenantId tenant;
  EventBody body;
};

}  // namespace acd::routing
