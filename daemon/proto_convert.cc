#include "daemon/proto_convert.h"

#include <charconv>
#include <chrono>

#include "absl/status/status.h"
#include "daemon/request_limits.h"

namespace acd::daemon::convert {

void ToProto(routing::Timestamp time, google::protobuf::Timestamp& out) {
  const auto micros = time.time_since_epoch().count();
  out.set_seconds(micros / 1'000'000);
  out.set_nanos(static_cast<std::int32_t>(micros % 1'000'000) * 1000);
  if (out.nanos() < 0) {
    out.set_seconds(out.seconds() - 1);
    out.set_nanos(out.nanos() + 1'000'000'000);
  }
}

void ToProto(routing::Duration duration, google::protobuf::Duration& out) {
  const auto micros = duration.count();
  out.set_seconds(micros / 1'000'000);
  out.set_nanos(static_cast<std::int32_t>(micros % 1'000'000) * 1000);
}

v1::Channel ToProto(routing::Channel channel) {
  switch (channel) {
    case routing::Channel::kVoice:
      return v1::CHANNEL_VOICE;
    case routing::Channel::kChat:
      return v1::CHANNEL_CHAT;
    case routing::Channel::kEmail:
      return v1::CHANNEL_EMAIL;
    case routing::Channel::kMessaging:
      return v1::CHANNEL_MESSAGING;
    case routing::Channel::kCallback:
      return v1::CHANNEL_CALLBACK;
    case routing::Channel::kWorkItem:
      return v1::CHANNEL_WORK_ITEM;
  }
  return v1::CHANNEL_UNSPECIFIED;
}

std::optional<routing::Channel> FromProto(v1::Channel channel) {
  switch (channel) {
    case v1::CHANNEL_VOICE:
      return routing::Channel::kVoice;
    case v1::CHANNEL_CHAT:
      return routing::Channel::kChat;
    case v1::CHANNEL_EMAIL:
      return routing::Channel::kEmail;
    case v1::CHANNEL_MESSAGING:
      return routing::Channel::kMessaging;
    case v1::CHANNEL_CALLBACK:
      return routing::Channel::kCallback;
    case v1::CHANNEL_WORK_ITEM:
      return routing::Channel::kWorkItem;
    default:
      return std::nullopt;
  }
}

v1::AgentState ToProto(routing::AgentPresence presence) {
  switch (presence) {
    case routing::AgentPresence::kLoggedOut:
      return v1::AGENT_STATE_LOGGED_OUT;
    case routing::AgentPresence::kNotReady:
      return v1::AGENT_STATE_NOT_READY;
    case routing::AgentPresence::kReady:
      return v1::AGENT_STATE_READY;
  }
  return v1::AGENT_STATE_UNSPECIFIED;
}

std::optional<routing::AgentPresence> FromProto(v1::AgentState state) {
  switch (state) {
    case v1::AGENT_STATE_LOGGED_OUT:
      return routing::AgentPresence::kLoggedOut;
    case v1::AGENT_STATE_NOT_READY:
      return routing::AgentPresence::kNotReady;
    case v1::AGENT_STATE_READY:
      return routing::AgentPresence::kReady;
    default:
      return std::nullopt;
  }
}

v1::ContactState ToProto(routing::ContactState state) {
  switch (state) {
    case routing::ContactState::kScheduled:
      return v1::CONTACT_STATE_SCHEDULED;
    case routing::ContactState::kQueued:
      return v1::CONTACT_STATE_QUEUED;
    case routing::ContactState::kOffered:
      return v1::CONTACT_STATE_OFFERED;
    case routing::ContactState::kConnected:
      return v1::CONTACT_STATE_CONNECTED;
    case routing::ContactState::kWrapUp:
      return v1::CONTACT_STATE_WRAP_UP;
    case routing::ContactState::kCompleted:
      return v1::CONTACT_STATE_COMPLETED;
    case routing::ContactState::kAbandoned:
      return v1::CONTACT_STATE_ABANDONED;
    case routing::ContactState::kExpired:
      return v1::CONTACT_STATE_EXPIRED;
  }
  return v1::CONTACT_STATE_UNSPECIFIED;
}

absl::StatusOr<routing::Timestamp> FromProto(const google::protobuf::Timestamp& time,
                                             const std::string& field) {
  // 9999-12-31T23:59:59Z, the end of what RFC 3339 (and google.protobuf.Timestamp) can say.
  constexpr std::int64_t kMaxSeconds = 253'402'300'799;
  if (time.seconds() < 0 || time.seconds() > kMaxSeconds || time.nanos() < 0 ||
      time.nanos() > 999'999'999) {
    return absl::InvalidArgumentError(field + " must be a time between 1970 and 9999");
  }
  return routing::Timestamp(
      std::chrono::seconds(time.seconds()) +
      std::chrono::duration_cast<routing::Duration>(std::chrono::nanoseconds(time.nanos())));
}

v1::OverflowAction ToProto(routing::OverflowAction action) {
  switch (action) {
    case routing::OverflowAction::kQueue:
      return v1::OVERFLOW_ACTION_QUEUE;
    case routing::OverflowAction::kCallback:
      return v1::OVERFLOW_ACTION_CALLBACK;
    case routing::OverflowAction::kReject:
      return v1::OVERFLOW_ACTION_REJECT;
  }
  return v1::OVERFLOW_ACTION_UNSPECIFIED;
}

v1::EndReason ToProto(routing::EndReason reason) {
  switch (reason) {
    case routing::EndReason::kAgent:
      return v1::END_REASON_AGENT;
    case routing::EndReason::kCustomer:
      return v1::END_REASON_CUSTOMER;
  }
  return v1::END_REASON_UNSPECIFIED;
}

absl::StatusOr<std::vector<routing::SkillLevel>> FromProto(
    const google::protobuf::RepeatedPtrField<v1::SkillRequirement>& skills,
    const std::string& field) {
  if (absl::Status status = CheckCount(field, skills.size()); !status.ok()) return status;
  std::vector<routing::SkillLevel> levels;
  for (const v1::SkillRequirement& skill : skills) {
    if (absl::Status status = CheckLength(field + ".skill", skill.skill(), kMaxIdBytes);
        !status.ok()) {
      return status;
    }
    levels.push_back({.skill = skill.skill(), .level = skill.min_level()});
  }
  return levels;
}

std::string ContactIdString(routing::ContactId id) { return std::to_string(id.value()); }

absl::StatusOr<std::uint64_t> ParseId(const std::string& text, const std::string& field,
                                      const std::string& kind) {
  if (text.empty()) return absl::InvalidArgumentError(field + " is required");
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || ptr != end || value == 0) {
    return absl::InvalidArgumentError(field + " '" + text + "' is not " + kind +
                                      " (a positive decimal number)");
  }
  return value;
}

absl::StatusOr<routing::ContactId> ParseContactId(const std::string& text,
                                                  const std::string& field) {
  absl::StatusOr<std::uint64_t> id = ParseId(text, field, "a contact id");
  if (!id.ok()) return id.status();
  return routing::ContactId(*id);
}

void ToProto(const routing::Customer& customer, v1::Customer& out) {
  out.set_id(customer.id);
  out.set_tier(customer.tier);
  out.set_verified(customer.verified);
  out.set_display_name(customer.display_name);
}

void ToProto(const InteractionRow& row, v1::InteractionSummary& out) {
  out.set_contact_id(ContactIdString(routing::ContactId(row.contact)));
  out.set_channel(ToProto(row.channel));
  out.set_queue_id(row.queue);
  out.set_agent_id(row.agent);
  switch (row.outcome) {
    case Outcome::kCompleted:
      out.set_outcome(v1::CONTACT_STATE_COMPLETED);
      break;
    case Outcome::kAbandoned:
      out.set_outcome(v1::CONTACT_STATE_ABANDONED);
      break;
    case Outcome::kExpired:
      out.set_outcome(v1::CONTACT_STATE_EXPIRED);
      break;
    case Outcome::kTransferred:
      out.set_outcome(v1::CONTACT_STATE_TRANSFERRED);
      break;
    case Outcome::kEscalated:
      out.set_outcome(v1::CONTACT_STATE_ESCALATED);
      break;
  }
  out.set_disposition_code(row.disposition);
  out.set_notes(row.notes);
  ToProto(row.started_at, *out.mutable_started_at());
  ToProto(row.ended_at, *out.mutable_ended_at());
  if (row.wait) ToProto(*row.wait, *out.mutable_wait_time());
  if (row.talk) ToProto(*row.talk, *out.mutable_talk_time());
  if (row.wrap_up) ToProto(*row.wrap_up, *out.mutable_wrap_up_time());
  out.set_csat_score(row.csat);
  out.set_external_id(row.external_id);
}

void ToProto(const routing::ContactView& view, v1::Contact& out) {
  const routing::ContactDetails& details = view.details;
  out.set_contact_id(ContactIdString(view.id));
  out.set_external_id(details.external_id);
  out.set_queue_id(view.queue.value());
  out.set_channel(ToProto(details.channel));
  out.set_priority(view.base_priority);
  out.set_effective_priority(view.priority);
  for (const routing::SkillLevel& skill : details.required_skills) {
    v1::SkillRequirement& requirement = *out.add_required_skills();
    requirement.set_skill(skill.skill);
    requirement.set_min_level(skill.level);
  }
  out.set_language(details.language);
  ToProto(details.customer, *out.mutable_customer());
  for (const auto& [key, value] : details.attributes) (*out.mutable_attributes())[key] = value;
  for (const routing::AgentId& agent : details.preferred_agents) {
    out.add_preferred_agent_ids(agent.value());
  }
  out.set_state(ToProto(view.state));
  if (view.agent) out.set_agent_id(view.agent->value());
  ToProto(view.created_at, *out.mutable_created_at());
  ToProto(view.virtual_start, *out.mutable_virtual_start_at());
  out.set_queue_position(view.queue_position);
  if (view.estimated_wait) ToProto(*view.estimated_wait, *out.mutable_estimated_wait());
  if (view.offer_expires_at) ToProto(*view.offer_expires_at, *out.mutable_offer_expires_at());
  if (view.not_before) ToProto(*view.not_before, *out.mutable_not_before());
  if (view.pinned_agent) out.set_pinned_agent_id(view.pinned_agent->value());
  if (view.follow_up_of) out.set_follow_up_of_contact_id(ContactIdString(*view.follow_up_of));
}

void ToProto(const routing::EscalationView& view, v1::Escalation& out) {
  out.set_escalation_id(std::to_string(view.id.value()));
  out.set_contact_id(ContactIdString(view.contact));
  out.set_source(view.source == routing::EscalationSource::kAgent
                     ? v1::ESCALATION_SOURCE_AGENT
                     : v1::ESCALATION_SOURCE_QUEUE_STEP);
  out.set_status(view.open ? v1::ESCALATION_STATUS_OPEN : v1::ESCALATION_STATUS_RESOLVED);
  if (view.agent) out.set_agent_id(view.agent->value());
  out.set_team(view.team);
  out.set_queue_id(view.queue.value());
  if (view.target_queue) out.set_target_queue_id(view.target_queue->value());
  out.set_target_supervisor(view.target_supervisor);
  out.set_reason(view.reason);
  out.set_notes(view.notes);
  ToProto(view.created_at, *out.mutable_created_at());
  if (view.resolved_at) ToProto(*view.resolved_at, *out.mutable_resolved_at());
  out.set_resolved_by(view.resolved_by);
  out.set_resolution(view.resolution);
}

std::optional<routing::Period> FromProto(v1::KpiWindow window) {
  switch (window) {
    case v1::KPI_WINDOW_UNSPECIFIED:
    case v1::KPI_WINDOW_TODAY:
      return routing::Period::kToday;
    case v1::KPI_WINDOW_LAST_15_MINUTES:
      return routing::Period::kLast15Minutes;
    case v1::KPI_WINDOW_LAST_30_MINUTES:
      return routing::Period::kLast30Minutes;
    case v1::KPI_WINDOW_LAST_60_MINUTES:
      return routing::Period::kLast60Minutes;
    default:
      return std::nullopt;
  }
}

void ToProto(const routing::PeriodFigures& figures, v1::KpiWindow window, v1::QueueKpis& out) {
  out.set_window(window == v1::KPI_WINDOW_UNSPECIFIED ? v1::KPI_WINDOW_TODAY : window);
  ToProto(figures.start, *out.mutable_window_start());
  out.set_offered(figures.offered);
  out.set_answered(figures.answered);
  out.set_answered_within_threshold(figures.answered_within_threshold);
  out.set_abandoned(figures.abandoned);
  out.set_short_abandoned(figures.short_abandoned);
  out.set_completed(figures.handled);
  out.set_expired(figures.expired);
  // Ratios and averages are left unset (zero) when there is nothing to measure them on.
  if (figures.service_level) out.set_service_level(*figures.service_level);
  if (figures.service_level_counting_abandons) {
    out.set_service_level_with_abandons(*figures.service_level_counting_abandons);
  }
  if (figures.abandon_rate) out.set_abandon_rate(*figures.abandon_rate);
  if (figures.occupancy) out.set_occupancy(*figures.occupancy);
  if (figures.csat) out.set_csat(*figures.csat);
  out.set_csat_responses(figures.surveys);
  if (figures.average_speed_of_answer)
    ToProto(*figures.average_speed_of_answer, *out.mutable_asa());
  if (figures.average_handle_time) ToProto(*figures.average_handle_time, *out.mutable_aht());
  if (figures.average_after_contact_work) {
    ToProto(*figures.average_after_contact_work, *out.mutable_acw());
  }
}

void ToProto(const routing::PeriodFigures& figures, v1::KpiWindow window, v1::AgentKpis& out) {
  out.set_window(window == v1::KPI_WINDOW_UNSPECIFIED ? v1::KPI_WINDOW_TODAY : window);
  out.set_offered(figures.offers);
  out.set_accepted(figures.answered);
  out.set_declined(figures.declines);
  out.set_missed(figures.misses);
  out.set_completed(figures.handled);
  // Averages and ratios are left unset (zero) when there is nothing to measure them on.
  if (figures.average_handle_time) ToProto(*figures.average_handle_time, *out.mutable_aht());
  if (figures.average_after_contact_work) {
    ToProto(*figures.average_after_contact_work, *out.mutable_acw());
  }
  if (figures.occupancy) out.set_occupancy(*figures.occupancy);
  if (figures.csat) out.set_csat(*figures.csat);
  ToProto(figures.time_in[static_cast<std::size_t>(routing::Activity::kNotReady)],
          *out.mutable_not_ready_time());
}

void ToProto(const routing::QueueView& view, v1::QueueStatus& out) {
  out.set_queue_id(view.id.value());
  out.set_display_name(view.display_name);
  for (routing::Channel channel : view.channels) out.add_channels(ToProto(channel));
  out.set_waiting(view.waiting);
  ToProto(view.longest_wait, *out.mutable_longest_wait());
  out.set_agents_ready(view.agents_ready);
  out.set_agents_busy(view.agents_busy);
  out.set_agents_not_ready(view.agents_not_ready);
  out.set_service_level_target(view.service_level_target);
  ToProto(view.service_level_threshold, *out.mutable_service_level_threshold());
  out.set_open(true);  // Business hours arrive with the full routing core.
}

void ToProto(const std::vector<routing::SkillLevel>& skills,
             google::protobuf::RepeatedPtrField<v1::SkillLevel>& out) {
  for (const routing::SkillLevel& skill : skills) {
    v1::SkillLevel& level = *out.Add();
    level.set_skill(skill.skill);
    level.set_level(skill.level);
  }
}

void ToProto(const routing::AgentView& view, v1::AgentStatus& out) {
  out.set_agent_id(view.id.value());
  out.set_display_name(view.display_name);
  out.set_team(view.team);
  out.set_state(ToProto(view.presence));
  out.set_reason_code(view.reason);
  ToProto(view.state_since, *out.mutable_state_since());
  for (const routing::QueueId& queue : view.queues) out.add_queue_ids(queue.value());
  ToProto(view.skills, *out.mutable_skills());
  for (routing::ContactId contact : view.contacts) out.add_contact_ids(ContactIdString(contact));
  out.set_connected(view.connections > 0);
}

v1::SelectionStrategy ToProto(routing::SelectionStrategy strategy) {
  switch (strategy) {
    case routing::SelectionStrategy::kLongestIdle:
      return v1::SELECTION_STRATEGY_LONGEST_IDLE;
    case routing::SelectionStrategy::kLeastOccupied:
      return v1::SELECTION_STRATEGY_LEAST_OCCUPIED;
    case routing::SelectionStrategy::kMostSkilled:
      return v1::SELECTION_STRATEGY_MOST_SKILLED;
    case routing::SelectionStrategy::kFewestToday:
      return v1::SELECTION_STRATEGY_FEWEST_CONTACTS_TODAY;
    case routing::SelectionStrategy::kRoundRobin:
      return v1::SELECTION_STRATEGY_ROUND_ROBIN;
  }
  return v1::SELECTION_STRATEGY_UNSPECIFIED;
}

namespace {

v1::DecisionTrigger ToProto(routing::DecisionTrigger trigger) {
  switch (trigger) {
    case routing::DecisionTrigger::kContactArrived:
      return v1::DECISION_TRIGGER_CONTACT_ARRIVED;
    case routing::DecisionTrigger::kAgentAvailable:
      return v1::DECISION_TRIGGER_AGENT_AVAILABLE;
    case routing::DecisionTrigger::kContactRequeued:
      return v1::DECISION_TRIGGER_CONTACT_REQUEUED;
    case routing::DecisionTrigger::kStepReached:
      return v1::DECISION_TRIGGER_STEP_REACHED;
    case routing::DecisionTrigger::kWindowEnded:
      return v1::DECISION_TRIGGER_WINDOW_ENDED;
    case routing::DecisionTrigger::kSupervisorAssigned:
      return v1::DECISION_TRIGGER_SUPERVISOR_ASSIGNED;
  }
  return v1::DECISION_TRIGGER_UNSPECIFIED;
}

v1::ExclusionReason ToProto(routing::ExclusionReason reason) {
  switch (reason) {
    case routing::ExclusionReason::kLoggedOut:
      return v1::EXCLUSION_REASON_LOGGED_OUT;
    case routing::ExclusionReason::kNotReady:
      return v1::EXCLUSION_REASON_NOT_READY;
    case routing::ExclusionReason::kNoCapacity:
      return v1::EXCLUSION_REASON_NO_CAPACITY;
    case routing::ExclusionReason::kVoiceExclusive:
      return v1::EXCLUSION_REASON_VOICE_EXCLUSIVE;
    case routing::ExclusionReason::kMissingSkill:
      return v1::EXCLUSION_REASON_MISSING_SKILL;
    case routing::ExclusionReason::kSkillTooLow:
      return v1::EXCLUSION_REASON_SKILL_TOO_LOW;
    case routing::ExclusionReason::kRefusedBefore:
      return v1::EXCLUSION_REASON_REFUSED_BEFORE;
    case routing::ExclusionReason::kCooldown:
      return v1::EXCLUSION_REASON_COOLDOWN;
    case routing::ExclusionReason::kNotPreferred:
      return v1::EXCLUSION_REASON_NOT_PREFERRED;
    case routing::ExclusionReason::kNotPinned:
      return v1::EXCLUSION_REASON_NOT_PINNED;
    case routing::ExclusionReason::kNotMember:
      return v1::EXCLUSION_REASON_NOT_MEMBER;
  }
  return v1::EXCLUSION_REASON_UNSPECIFIED;
}

}  // namespace

void ToProto(const routing::DecisionTrace& trace, v1::DecisionTrace& out) {
  ToProto(trace.at, *out.mutable_time());
  out.set_trigger(ToProto(trace.trigger));
  out.set_queue_id(trace.queue.value());
  out.set_strategy(ToProto(trace.strategy));
  out.set_active_step(trace.active_step);
  out.set_active_step_description(trace.active_step_description);
  out.set_effective_priority(trace.effective_priority);
  for (const routing::SkillLevel& skill : trace.effective_requirements) {
    v1::SkillRequirement& requirement = *out.add_effective_requirements();
    requirement.set_skill(skill.skill);
    requirement.set_min_level(skill.level);
  }
  ToProto(trace.waited, *out.mutable_waited());
  for (const routing::DecisionCandidate& candidate : trace.candidates) {
    v1::DecisionCandidate& added = *out.add_candidates();
    added.set_agent_id(candidate.agent.value());
    added.set_strategy_key(candidate.strategy_key);
    added.set_rank(candidate.rank);
    added.set_preferred(candidate.preferred);
  }
  for (const routing::DecisionExclusion& exclusion : trace.exclusions) {
    v1::DecisionExclusion& added = *out.add_exclusions();
    added.set_agent_id(exclusion.agent.value());
    added.set_reason(ToProto(exclusion.reason));
    added.set_detail(exclusion.detail);
  }
  if (trace.chosen) out.set_chosen_agent_id(trace.chosen->value());
  out.set_exclusions_omitted(trace.exclusions_omitted);
}

}  // namespace acd::daemon::convert
