#pragma once

#include <grpcpp/support/status.h>

#include <optional>
#include <string_view>
#include <vector>

#include "acd/v1/agent_desk.pb.h"
#include "acd/v1/common.pb.h"

namespace acd::clients {

// Short names of the API's enums, as the command lines accept them and the programs print them:
// lower case, without the enum's prefix ("voice", "not-ready", "wrap-up"). Unknown or unset
// values print as "unspecified".

/// The canonical code's name as gRPC spells it ("NOT_FOUND").
std::string_view StatusCodeName(grpc::StatusCode code);

/// "voice", "chat", "email", "messaging", "callback", "work_item".
std::string_view ChannelName(v1::Channel channel);
/// The channel named `name` (as ChannelName spells it); nullopt for anything else.
std::optional<v1::Channel> ParseChannel(std::string_view name);
/// Every name ParseChannel accepts, for validators and help texts.
std::vector<std::string_view> ChannelNames();

/// "logged-out", "not-ready", "ready".
std::string_view AgentStateName(v1::AgentState state);
/// The state named `name` (as AgentStateName spells it); nullopt for anything else.
std::optional<v1::AgentState> ParseAgentState(std::string_view name);
/// Every name ParseAgentState accepts.
std::vector<std::string_view> AgentStateNames();

/// "queued", "offered", "connected", "wrap-up", "completed", "abandoned", "expired",
/// "transferred", "escalated", "scheduled".
std::string_view ContactStateName(v1::ContactState state);
/// Whether a contact in `state` is over: completed, abandoned or expired.
bool IsTerminal(v1::ContactState state);

/// "abandoned", "timeout", "declined", "agent-not-ready", "supervisor".
std::string_view RescindReasonName(v1::OfferRescindReason reason);
/// "agent", "customer".
std::string_view EndReasonName(v1::EndReason reason);
/// "queue", "callback", "reject".
std::string_view OverflowActionName(v1::OverflowAction action);
/// "open", "resolved".
std::string_view EscalationStatusName(v1::EscalationStatus status);
/// "transfer", "escalation", "follow-up", "supervisor".
std::string_view HandoverKindName(v1::HandoverKind kind);

}  // namespace acd::clients
