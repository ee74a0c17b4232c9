#include "daemon/catalog_convert.h"

#include <type_traits>
#include <variant>

#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "daemon/proto_convert.h"

namespace acd::daemon::convert {
namespace {

// The overloads below would otherwise hide those of proto_convert.h.
using convert::ToProto;

void ToProto(const routing::Overflow& overflow, v1::Overflow& out) {
  out.set_action(ToProto(overflow.action));
  out.set_queue_id(overflow.queue.value());
}

v1::Weekday ToProto(absl::Weekday day) {
  switch (day) {
    case absl::Weekday::monday:
      return v1::WEEKDAY_MONDAY;
    case absl::Weekday::tuesday:
      return v1::WEEKDAY_TUESDAY;
    case absl::Weekday::wednesday:
      return v1::WEEKDAY_WEDNESDAY;
    case absl::Weekday::thursday:
      return v1::WEEKDAY_THURSDAY;
    case absl::Weekday::friday:
      return v1::WEEKDAY_FRIDAY;
    case absl::Weekday::saturday:
      return v1::WEEKDAY_SATURDAY;
    case absl::Weekday::sunday:
      return v1::WEEKDAY_SUNDAY;
  }
  return v1::WEEKDAY_UNSPECIFIED;
}

/// "HH:MM" of minutes after midnight ("24:00" for midnight at the end of the day).
std::string ClockTime(int minutes) {
  return absl::StrFormat("%02d:%02d", minutes / 60, minutes % 60);
}

v1::WrapUpPolicy ToProto(routing::WrapUpPolicy policy) {
  switch (policy) {
    case routing::WrapUpPolicy::kNone:
      return v1::WRAP_UP_POLICY_NONE;
    case routing::WrapUpPolicy::kTimed:
      return v1::WRAP_UP_POLICY_TIMED;
    case routing::WrapUpPolicy::kMandatory:
      return v1::WRAP_UP_POLICY_MANDATORY;
  }
  return v1::WRAP_UP_POLICY_UNSPECIFIED;
}

void ToProto(const routing::QueueStep& step, v1::QueueStep& out) {
  ToProto(step.after, *out.mutable_after());
  std::visit(
      [&](const auto& action) {
        using T = std::decay_t<decltype(action)>;
        if constexpr (std::is_same_v<T, routing::RelaxSkill>) {
          out.mutable_relax_skill()->set_skill(action.skill);
          out.mutable_relax_skill()->set_min_level(action.min_level);
        } else if constexpr (std::is_same_v<T, routing::DropSkill>) {
          out.mutable_drop_skill()->set_skill(action.skill);
        } else if constexpr (std::is_same_v<T, routing::BoostPriority>) {
          out.mutable_boost_priority()->set_by(action.by);
        } else if constexpr (std::is_same_v<T, routing::AddQueue>) {
          out.mutable_add_queue()->set_queue_id(action.queue.value());
        } else if constexpr (std::is_same_v<T, routing::NotifySupervisors>) {
          out.mutable_notify_supervisors()->set_message(action.message);
        } else {
          ToProto(action, *out.mutable_overflow());
        }
      },
      step.action);
}

}  // namespace

void ToProto(const routing::TenantConfig& tenant, v1::Tenant& out) {
  out.set_tenant_id(tenant.id.value());
  out.set_display_name(tenant.display_name);
  out.set_time_zone(tenant.time_zone.name());
  for (const std::string& code : tenant.not_ready_reasons) {
    out.add_not_ready_reasons()->set_code(code);
  }
  for (const std::string& code : tenant.disposition_codes) {
    out.add_disposition_codes()->set_code(code);
  }
  const routing::AgentPolicy& policy = tenant.agent_policy;
  ToProto(policy.no_answer_cooldown, *out.mutable_rona()->mutable_cooldown());
  out.mutable_rona()->set_not_ready_after_misses(policy.not_ready_after_misses);
  ToProto(policy.decline_cooldown, *out.mutable_decline_cooldown());
  ToProto(policy.disconnect_grace, *out.mutable_disconnect_grace());
}

void ToProto(const routing::QueueConfig& queue, v1::Queue& out) {
  out.set_tenant_id(queue.tenant.value());
  out.set_queue_id(queue.id.value());
  out.set_display_name(queue.display_name);
  for (routing::Channel channel : queue.channels) out.add_channels(ToProto(channel));
  out.set_default_priority(queue.default_priority);
  out.set_service_level_target(queue.service_level_target);
  ToProto(queue.service_level_threshold, *out.mutable_service_level_threshold());
  out.set_strategy(ToProto(queue.strategy));
  ToProto(queue.offer_timeout, *out.mutable_offer_timeout());
  out.set_wrap_up_policy(ToProto(queue.wrap_up.policy));
  if (queue.wrap_up.policy == routing::WrapUpPolicy::kTimed) {
    ToProto(queue.wrap_up.timeout, *out.mutable_wrap_up_timeout());
  }
  if (queue.business_hours) {
    v1::BusinessHours& hours = *out.mutable_business_hours();
    hours.set_time_zone(queue.business_hours->time_zone.name());
    for (const routing::OpeningPeriod& period : queue.business_hours->weekly) {
      v1::OpeningHours& opening = *hours.add_weekly();
      opening.set_day(ToProto(period.day));
      opening.set_open(ClockTime(period.open_minute));
      opening.set_close(ClockTime(period.close_minute));
    }
    for (const routing::Holiday& holiday : queue.business_hours->holidays) {
      v1::Holiday& day = *hours.add_holidays();
      day.set_date(absl::FormatCivilTime(holiday.date));
      day.set_name(holiday.name);
    }
  }
  out.set_max_size(queue.max_size);
  if (queue.max_wait) ToProto(*queue.max_wait, *out.mutable_max_wait());
  ToProto(queue.overflow, *out.mutable_overflow());
  for (const routing::QueueStep& step : queue.steps) ToProto(step, *out.add_steps());
  ToProto(queue.preferred_agent_timeout, *out.mutable_preferred_agent_timeout());
  ToProto(queue.short_abandon_threshold, *out.mutable_short_abandon_threshold());
  if (queue.closed_overflow) ToProto(*queue.closed_overflow, *out.mutable_closed_overflow());
}

void ToProto(const routing::AgentConfig& agent, v1::Agent& out) {
  out.set_tenant_id(agent.tenant.value());
  out.set_agent_id(agent.id.value());
  out.set_display_name(agent.display_name);
  out.set_team(agent.team);
  ToProto(agent.skills, *out.mutable_skills());
  for (const routing::QueueId& queue : agent.queues) out.add_queue_ids(queue.value());
  for (std::size_t channel = 0; channel < routing::kChannelCount; ++channel) {
    v1::ChannelCapacity& capacity = *out.add_capacity();
    capacity.set_channel(ToProto(static_cast<routing::Channel>(channel)));
    capacity.set_max_contacts(agent.capacity[channel]);
  }
  out.set_voice_exclusive(agent.voice_exclusive);
}

v1::Role ToProto(Role role) {
  switch (role) {
    case Role::kGateway:
      return v1::ROLE_GATEWAY;
    case Role::kAgent:
      return v1::ROLE_AGENT;
    case Role::kSupervisor:
      return v1::ROLE_SUPERVISOR;
    case Role::kAdmin:
      return v1::ROLE_ADMIN;
  }
  return v1::ROLE_UNSPECIFIED;
}

void ToProto(const TokenConfig& token, v1::Token& out) {
  out.set_name(token.name);
  out.set_role(ToProto(token.role));
  out.set_tenant_id(token.tenant.value());
  out.set_agent_id(token.agent.value());
}

}  // namespace acd::daemon::convert
