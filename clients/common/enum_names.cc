#include "clients/common/enum_names.h"

#include <array>
#include <string_view>
#include <utility>
#include <vector>

namespace acd::clients {
namespace {

constexpr std::string_view kUnspecified = "unspecified";

constexpr std::array<std::pair<v1::Channel, std::string_view>, 6> kChannels = {{
    {v1::CHANNEL_VOICE, "voice"},
    {v1::CHANNEL_CHAT, "chat"},
    {v1::CHANNEL_EMAIL, "email"},
    {v1::CHANNEL_MESSAGING, "messaging"},
    {v1::CHANNEL_CALLBACK, "callback"},
    {v1::CHANNEL_WORK_ITEM, "work_item"},
}};

constexpr std::array<std::pair<v1::AgentState, std::string_view>, 3> kAgentStates = {{
    {v1::AGENT_STATE_LOGGED_OUT, "logged-out"},
    {v1::AGENT_STATE_NOT_READY, "not-ready"},
    {v1::AGENT_STATE_READY, "ready"},
}};

/// The name of `value` in `table`; kUnspecified when it has none.
template <typename Enum, std::size_t kSize>
std::string_view NameIn(const std::array<std::pair<Enum, std::string_view>, kSize>& table,
                        Enum value) {
  for (const auto& [candidate, name] : table) {
    if (candidate == value) return name;
  }
  return kUnspecified;
}

template <typename Enum, std::size_t kSize>
std::optional<Enum> ValueIn(const std::array<std::pair<Enum, std::string_view>, kSize>& table,
                            std::string_view name) {
  for (const auto& [value, candidate] : table) {
    if (candidate == name) return value;
  }
  return std::nullopt;
}

template <typename Enum, std::size_t kSize>
std::vector<std::string_view> NamesIn(
    const std::array<std::pair<Enum, std::string_view>, kSize>& table) {
  std::vector<std::string_view> names;
  names.reserve(kSize);
  for (const auto& entry : table) names.push_back(entry.second);
  return names;
}

}  // namespace

std::string_view StatusCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return "UNKNOWN";
  }
}

std::string_view ChannelName(v1::Channel channel) { return NameIn(kChannels, channel); }

std::optional<v1::Channel> ParseChannel(std::string_view name) { return ValueIn(kChannels, name); }

std::vector<std::string_view> ChannelNames() { return NamesIn(kChannels); }

std::string_view AgentStateName(v1::AgentState state) { return NameIn(kAgentStates, state); }

std::optional<v1::AgentState> ParseAgentState(std::string_view name) {
  return ValueIn(kAgentStates, name);
}

std::vector<std::string_view> AgentStateNames() { return NamesIn(kAgentStates); }

std::string_view ContactStateName(v1::ContactState state) {
  switch (state) {
    case v1::CONTACT_STATE_QUEUED:
      return "queued";
    case v1::CONTACT_STATE_OFFERED:
      return "offered";
    case v1::CONTACT_STATE_CONNECTED:
      return "connected";
    case v1::CONTACT_STATE_WRAP_UP:
      return "wrap-up";
    case v1::CONTACT_STATE_COMPLETED:
      return "completed";
    case v1::CONTACT_STATE_ABANDONED:
      return "abandoned";
    case v1::CONTACT_STATE_EXPIRED:
      return "expired";
    case v1::CONTACT_STATE_TRANSFERRED:
      return "transferred";
    case v1::CONTACT_STATE_ESCALATED:
      return "escalated";
    case v1::CONTACT_STATE_SCHEDULED:
      return "scheduled";
    default:
      return kUnspecified;
  }
}

bool IsTerminal(v1::ContactState state) {
  return state == v1::CONTACT_STATE_COMPLETED || state == v1::CONTACT_STATE_ABANDONED ||
         state == v1::CONTACT_STATE_EXPIRED;
}

std::string_view RescindReasonName(v1::OfferRescindReason reason) {
  switch (reason) {
    case v1::OFFER_RESCIND_REASON_ABANDONED:
      return "abandoned";
    case v1::OFFER_RESCIND_REASON_TIMEOUT:
      return "timeout";
    case v1::OFFER_RESCIND_REASON_DECLINED:
      return "declined";
    case v1::OFFER_RESCIND_REASON_AGENT_NOT_READY:
      return "agent-not-ready";
    case v1::OFFER_RESCIND_REASON_SUPERVISOR:
      return "supervisor";
    default:
      return kUnspecified;
  }
}

std::string_view EndReasonName(v1::EndReason reason) {
  switch (reason) {
    case v1::END_REASON_AGENT:
      return "agent";
    case v1::END_REASON_CUSTOMER:
      return "customer";
    default:
      return kUnspecified;
  }
}

std::string_view OverflowActionName(v1::OverflowAction action) {
  switch (action) {
    case v1::OVERFLOW_ACTION_QUEUE:
      return "queue";
    case v1::OVERFLOW_ACTION_CALLBACK:
      return "callback";
    case v1::OVERFLOW_ACTION_REJECT:
      return "reject";
    default:
      return kUnspecified;
  }
}

std::string_view EscalationStatusName(v1::EscalationStatus status) {
  switch (status) {
    case v1::ESCALATION_STATUS_OPEN:
      return "open";
    case v1::ESCALATION_STATUS_RESOLVED:
      return "resolved";
    default:
      return kUnspecified;
  }
}

std::string_view HandoverKindName(v1::HandoverKind kind) {
  switch (kind) {
    case v1::HANDOVER_KIND_TRANSFER:
      return "transfer";
    case v1::HANDOVER_KIND_ESCALATION:
      return "escalation";
    case v1::HANDOVER_KIND_FOLLOW_UP:
      return "follow-up";
    case v1::HANDOVER_KIND_SUPERVISOR:
      return "supervisor";
    default:
      return kUnspecified;
  }
}

}  // namespace acd::clients
