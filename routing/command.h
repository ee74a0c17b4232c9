#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "routing/agent.h"
#include "routing/contact.h"
#include "routing/ids.h"
#include "routing/time.h"

namespace acd::routing {

/// A gateway brings a new contact (idempotent on tenant + external id).
struct CreateContact {
  ContactDetails details;
  QueueId queue;
  /// The queue's default priority when absent.
  std::optional<int> priority;
  /// For a contact to handle later (a booked callback, a work item due tomorrow): it stays
  /// scheduled until then, and business hours and max size do not refuse it. Not for voice or
  /// chat.
  std::optional<Timestamp> not_before;
};

/// The customer left (gateway hang-up): a waiting or offered contact is abandoned; a connected one
/// ends and its agent goes to wrap-up.
struct CancelContact {
  TenantId tenant;
  ContactId contact;
  std::string reason;
};

/// An agent (or a supervisor on their behalf) changes availability.
struct SetAgentState {
  AgentId agent;
  AgentPresence presence = AgentPresence::kReady;
  /// Not-ready reason code; ignored for other states.
  std::string reason;
};

struct AcceptOffer {
  AgentId agent;
  ContactId contact;
};

struct DeclineOffer {
  AgentId agent;
  ContactId contact;
  std::string reason;
};

/// The interaction ended on the agent's side; wrap-up starts.
struct CompleteContact {
  AgentId agent;
  ContactId contact;
};

struct SubmitWrapUp {
  AgentId agent;
  ContactId contact;
  std::string disposition;
  /// Free text; stored, never logged.
  std::string notes;
};

/// An agent desktop opened (`connected` true) or lost (false) its event stream.
struct AgentConnection {
  AgentId agent;
  bool connected = true;
};

/// An agent hands a connected contact on: its part ends at once (no wrap-up) and the contact waits
/// again, keeping its virtual start, in another queue or for a named agent.
struct TransferContact {
  AgentId agent;
  ContactId contact;
  std::variant<QueueId, AgentId> target;
  std::string reason;
  /// For the next agent; never logged.
  std::string notes;
  /// Replaces the contact's required skills when not empty.
  std::vector<SkillLevel> required_skills;
};

/// An agent escalates a contact: to a tier-2 queue (the contact moves there, as with a transfer)
/// or to the tenant's supervisors (it stays with the agent).
struct EscalateContact {
  AgentId agent;
  ContactId contact;
  /// The tier-2 queue; nullopt for supervisors.
  std::optional<QueueId> queue;
  /// With `queue` nullopt: a particular supervisor's name, or empty for any.
  std::string supervisor;
  std::string reason;
  std::string notes;
};

/// A supervisor resolves an open escalation.
struct ResolveEscalation {
  TenantId tenant;
  EscalationId escalation;
  std::string resolved_by;
  std::string resolution;
};

/// An agent schedules a follow-up of a contact it holds: a new contact, scheduled until
/// `not_before`, then waiting in its queue like any other.
struct ScheduleFollowUp {
  AgentId agent;
  ContactId contact;
  Timestamp not_before;
  /// Offered only to this agent (who must be a member of the queue)...
  bool pinned = false;
  /// ...until this long after `not_before`, when anyone eligible may take it; nullopt: always.
  std::optional<Duration> pin_timeout;
  /// The contact's own queue when nullopt.
  std::optional<QueueId> queue;
  Channel channel = Channel::kCallback;
  std::string notes;
};

/// A gateway reports a customer satisfaction survey for a contact that reached an agent.
struct RecordSurvey {
  TenantId tenant;
  ContactId contact;
  /// 1 (very dissatisfied) to 5 (very satisfied).
  int score = 0;
  /// The customer's words; stored, never logged.
  std::string comment;
};

/// The daemon started again over its journal: no desktop stream survived, so every agent's
/// connections are lost (ready agents get the disconnect grace period), and offers in flight go
/// back to their queues at their virtual places, not counted against the agents.
struct Restarted {};

/// A gateway or a supervisor changes a live contact: its base priority (scheduled, waiting or
/// offered contacts only; a waiting one is re-ordered, keeping its virtual start) and attributes.
struct UpdateContact {
  TenantId tenant;
  ContactId contact;
  std::optional<int> priority;
  /// Keys to remove, applied before `set_attributes`.
  std::vector<std::string> remove_attributes;
  /// Attributes to add or overwrite.
  std::vector<std::pair<std::string, std::string>> set_attributes;
  /// Who changed it (a gateway's or supervisor's token name), for its holder's desktop.
  std::string by;
};

/// A supervisor moves a scheduled, waiting or offered contact to another queue, keeping its
/// virtual start: a pending offer is rescinded, a pin dropped, the target's size limit ignored.
struct MoveContact {
  TenantId tenant;
  ContactId contact;
  QueueId queue;
  std::string by;
};

/// A supervisor offers a scheduled, waiting or offered contact to a chosen agent now, ahead of
/// routing order and skills; the agent must be logged in with room for it on its channel.
struct AssignContact {
  TenantId tenant;
  ContactId contact;
  AgentId agent;
  std::string by;
};

/// A supervisor sets an agent's state, as SetAgentState does, in the supervisor's name. With
/// `end_wrap_ups` (a log-out by a supervisor), wrap-ups end with the system disposition first.
struct ForceAgentState {
  TenantId tenant;
  AgentId agent;
  AgentPresence presence = AgentPresence::kReady;
  std::string reason;
  std::string supervisor;
  bool end_wrap_ups = false;
};

using Command =
    std::variant<CreateContact, CancelContact, SetAgentState, AcceptOffer, DeclineOffer,
                 CompleteContact, SubmitWrapUp, AgentConnection, TransferContact, EscalateContact,
                 ResolveEscalation, ScheduleFollowUp, Restarted, RecordSurvey, UpdateContact,
                 MoveContact, AssignContact, ForceAgentState>;

/// What a successful command tells its caller beyond the events it produced.
struct CommandResult {
  /// The contact the command created or acted on; empty for agent-only commands.
  ContactId contact;
  /// For CreateContact: false when the external id was known and the existing contact returned.
  bool created = false;
  /// For EscalateContact: the escalation raised.
  EscalationId escalation;
};

}  // namespace acd::routing
