#pragma once

#include "acd/v1/agent_desk.pb.h"
#include "clients/common/output.h"

namespace acd::clients::agent {

/// The line of an agent event: the name of the event's oneof field ("offer", "offer_rescinded",
/// "assigned", "wrap_up_started", "completed", "state_changed", "escalation_notice",
/// "supervisor_message", "contact_updated"), then `seq=...` and the event's own fields, e.g.
/// `offer seq=2 contact=1 external_id=call-1 queue=acme.billing channel=voice ...`.
KeyValueLine AgentEventLine(const v1::AgentEvent& event);

/// `state state=ready reason=` for a SetState answer.
KeyValueLine StateLine(const v1::SetStateResponse& response);

}  // namespace acd::clients::agent
