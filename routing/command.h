#pragma once

#include <optional>
#include <string>
#include <variant>

#include "routing/agent.h"
#include "routing/contact.h"
#include "routing/ids.h"

namespace acd::routing {

/// A gateway brings a new contact (idempotent on tenant + external id).
struct CreateContact {
  ContactDetails details;
  QueueId queue;
  /// The queue's default priority when absent.
  std::optional<int> priority;
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

using Command = std::variant<CreateContact, CancelContact, SetAgentState, AcceptOffer, DeclineOffer,
                             CompleteContact, SubmitWrapUp, AgentConnection>;

/// What a successful command tells its caller beyond the events it produced.
struct CommandResult {
  /// The contact the command created or acted on; empty for agent-only commands.
  ContactId contact;
  /// For CreateContact: false when the external id was known and the existing contact returned.
  bool created = false;
};

}  // namespace acd::routing
