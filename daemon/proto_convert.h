#pragma once

#include <google/protobuf/duration.pb.h>
#include <google/protobuf/timestamp.pb.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "acd/v1/common.pb.h"
#include "acd/v1/supervision.pb.h"
#include "daemon/store.h"
#include "routing/agent.h"
#include "routing/catalog.h"
#include "routing/contact.h"
#include "routing/decision_trace.h"
#include "routing/event.h"
#include "routing/ids.h"
#include "routing/kpi.h"
#include "routing/queue.h"
#include "routing/time.h"

/// The one place where the core's domain types and the v1 protobuf messages meet.
namespace acd::daemon::convert {

void ToProto(routing::Timestamp time, google::protobuf::Timestamp& out);
/// INVALID_ARGUMENT (naming `field`) for a time out of 1970-9999 or with bad nanoseconds.
absl::StatusOr<routing::Timestamp> FromProto(const google::protobuf::Timestamp& time,
                                             const std::string& field);
void ToProto(routing::Duration duration, google::protobuf::Duration& out);

v1::Channel ToProto(routing::Channel channel);
/// nullopt for CHANNEL_UNSPECIFIED and unknown values.
std::optional<routing::Channel> FromProto(v1::Channel channel);

v1::AgentState ToProto(routing::AgentPresence presence);
/// nullopt for AGENT_STATE_UNSPECIFIED and unknown values.
std::optional<routing::AgentPresence> FromProto(v1::AgentState state);

v1::ContactState ToProto(routing::ContactState state);

v1::EndReason ToProto(routing::EndReason reason);
v1::OverflowAction ToProto(routing::OverflowAction action);

/// Required skills from a request, each skill name checked; INVALID_ARGUMENT naming `field`.
absl::StatusOr<std::vector<routing::SkillLevel>> FromProto(
    const google::protobuf::RepeatedPtrField<v1::SkillRequirement>& skills,
    const std::string& field);

/// Contact ids travel as decimal strings.
std::string ContactIdString(routing::ContactId id);
/// A server-assigned id (contact, escalation, page token): INVALID_ARGUMENT naming `field` and
/// saying it is not `kind` when `text` is not a positive decimal number.
absl::StatusOr<std::uint64_t> ParseId(const std::string& text, const std::string& field,
                                      const std::string& kind);
/// INVALID_ARGUMENT naming `field` when `text` is not a contact id.
absl::StatusOr<routing::ContactId> ParseContactId(const std::string& text,
                                                  const std::string& field = "contact_id");

void ToProto(const routing::Customer& customer, v1::Customer& out);
void ToProto(const routing::ContactView& view, v1::Contact& out);
/// Without the agent's display name and the customer, which the record does not hold.
void ToProto(const InteractionRow& row, v1::InteractionSummary& out);
void ToProto(const routing::EscalationView& view, v1::Escalation& out);
void ToProto(const routing::PeriodFigures& figures, v1::KpiWindow window, v1::QueueKpis& out);
void ToProto(const routing::PeriodFigures& figures, v1::KpiWindow window, v1::AgentKpis& out);
/// The router's period for a requested KPI window (today when unspecified); nullopt for an
/// unknown value.
std::optional<routing::Period> FromProto(v1::KpiWindow window);
void ToProto(const routing::QueueView& view, v1::QueueStatus& out);
v1::SelectionStrategy ToProto(routing::SelectionStrategy strategy);
void ToProto(const routing::DecisionTrace& trace, v1::DecisionTrace& out);
void ToProto(const std::vector<routing::SkillLevel>& skills,
             google::protobuf::RepeatedPtrField<v1::SkillLevel>& out);
void ToProto(const routing::AgentView& view, v1::AgentStatus& out);

}  // namespace acd::daemon::convert
