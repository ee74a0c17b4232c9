#include "daemon/catalog_convert.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <initializer_list>
#include <type_traits>
#include <variant>

#include "absl/strings/str_cat.h"
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
  if (token.expires_at) ToProto(*token.expires_at, *out.mutable_expires_at());
  out.set_disabled(token.disabled);
}

namespace {

/// The longest duration an admin may set (a year): longer is a mistake, and keeps clear of
/// overflow in time arithmetic.
constexpr std::int64_t kMaxDurationSeconds = 366LL * 24 * 3600;

absl::Status Invalid(const std::string& field, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(field, " ", std::string(what)));
}

/// `duration` as the core's, or `fallback` when unset; INVALID_ARGUMENT naming `field` when
/// negative or over a year.
absl::StatusOr<routing::Duration> DurationOf(bool has, const google::protobuf::Duration& duration,
                                             routing::Duration fallback, const std::string& field) {
  if (!has) return fallback;
  if (duration.seconds() < 0 || duration.nanos() < 0 || duration.nanos() >= 1'000'000'000 ||
      duration.seconds() > kMaxDurationSeconds) {
    return Invalid(field, "must be between 0 and 366 days");
  }
  return std::chrono::duration_cast<routing::Duration>(std::chrono::seconds(duration.seconds()) +
                                                       std::chrono::nanoseconds(duration.nanos()));
}

/// Minutes after midnight of "HH:MM" ("24:00" allowed when `end`).
std::optional<int> ClockMinutes(const std::string& text, bool end) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  int hours = 0;
  int minutes = 0;
  for (int i : {0, 1, 3, 4}) {
    if (text[static_cast<std::size_t>(i)] < '0' || text[static_cast<std::size_t>(i)] > '9') {
      return std::nullopt;
    }
  }
  hours = (text[0] - '0') * 10 + (text[1] - '0');
  minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (minutes > 59 || hours > 24 || (hours == 24 && (minutes != 0 || !end))) return std::nullopt;
  return hours * 60 + minutes;
}

absl::StatusOr<absl::TimeZone> TimeZoneOf(const std::string& name, const std::string& field) {
  absl::TimeZone zone = absl::UTCTimeZone();
  if (!name.empty() && !absl::LoadTimeZone(name, &zone)) {
    return Invalid(field, absl::StrCat("'", name, "' is not a known IANA time zone"));
  }
  return zone;
}

absl::StatusOr<routing::Overflow> OverflowOf(const v1::Overflow& overflow,
                                             const std::string& field) {
  routing::Overflow out;
  switch (overflow.action()) {
    case v1::OVERFLOW_ACTION_QUEUE:
      out.action = routing::OverflowAction::kQueue;
      break;
    case v1::OVERFLOW_ACTION_CALLBACK:
      out.action = routing::OverflowAction::kCallback;
      break;
    case v1::OVERFLOW_ACTION_REJECT:
      out.action = routing::OverflowAction::kReject;
      break;
    default:
      return Invalid(field + ".action", "is required and must be a known action");
  }
  out.queue = routing::QueueId(overflow.queue_id());
  return out;
}

std::optional<absl::Weekday> WeekdayOf(v1::Weekday day) {
  switch (day) {
    case v1::WEEKDAY_MONDAY:
      return absl::Weekday::monday;
    case v1::WEEKDAY_TUESDAY:
      return absl::Weekday::tuesday;
    case v1::WEEKDAY_WEDNESDAY:
      return absl::Weekday::wednesday;
    case v1::WEEKDAY_THURSDAY:
      return absl::Weekday::thursday;
    case v1::WEEKDAY_FRIDAY:
      return absl::Weekday::friday;
    case v1::WEEKDAY_SATURDAY:
      return absl::Weekday::saturday;
    case v1::WEEKDAY_SUNDAY:
      return absl::Weekday::sunday;
    default:
      return std::nullopt;
  }
}

absl::StatusOr<routing::BusinessHours> HoursOf(const v1::BusinessHours& hours) {
  routing::BusinessHours out;
  if (hours.time_zone().empty()) return Invalid("queue.business_hours.time_zone", "is required");
  absl::StatusOr<absl::TimeZone> zone =
      TimeZoneOf(hours.time_zone(), "queue.business_hours.time_zone");
  if (!zone.ok()) return zone.status();
  out.time_zone = *zone;
  for (int i = 0; i < hours.weekly_size(); ++i) {
    const v1::OpeningHours& period = hours.weekly(i);
    const std::string field = absl::StrCat("queue.business_hours.weekly[", i, "]");
    const std::optional<absl::Weekday> day = WeekdayOf(period.day());
    if (!day) return Invalid(field + ".day", "is required and must be a known weekday");
    const std::optional<int> open = ClockMinutes(period.open(), false);
    const std::optional<int> close = ClockMinutes(period.close(), true);
    if (!open || !close) return Invalid(field, "needs open and close as \"HH:MM\"");
    out.weekly.push_back({.day = *day, .open_minute = *open, .close_minute = *close});
  }
  for (int i = 0; i < hours.holidays_size(); ++i) {
    absl::CivilDay date;
    if (!absl::ParseCivilTime(hours.holidays(i).date(), &date)) {
      return Invalid(absl::StrCat("queue.business_hours.holidays[", i, "].date"),
                     "must be a date \"YYYY-MM-DD\"");
    }
    out.holidays.push_back({.date = date, .name = hours.holidays(i).name()});
  }
  return out;
}

absl::StatusOr<routing::QueueStep> StepOf(const v1::QueueStep& step, const std::string& field) {
  absl::StatusOr<routing::Duration> after =
      DurationOf(step.has_after(), step.after(), routing::Duration::zero(), field + ".after");
  if (!after.ok()) return after.status();
  routing::QueueStep out{.after = *after};
  switch (step.action_case()) {
    case v1::QueueStep::kRelaxSkill:
      out.action = routing::RelaxSkill{.skill = step.relax_skill().skill(),
                                       .min_level = step.relax_skill().min_level()};
      break;
    case v1::QueueStep::kDropSkill:
      out.action = routing::DropSkill{.skill = step.drop_skill().skill()};
      break;
    case v1::QueueStep::kBoostPriority:
      out.action = routing::BoostPriority{.by = step.boost_priority().by()};
      break;
    case v1::QueueStep::kAddQueue:
      out.action = routing::AddQueue{.queue = routing::QueueId(step.add_queue().queue_id())};
      break;
    case v1::QueueStep::kNotifySupervisors:
      out.action = routing::NotifySupervisors{.message = step.notify_supervisors().message()};
      break;
    case v1::QueueStep::kOverflow: {
      absl::StatusOr<routing::Overflow> overflow = OverflowOf(step.overflow(), field + ".overflow");
      if (!overflow.ok()) return overflow.status();
      out.action = *overflow;
      break;
    }
    default:
      return Invalid(field, "needs an action");
  }
  return out;
}

}  // namespace

bool IsValidId(const std::string& id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

absl::StatusOr<routing::TenantConfig> FromProto(const v1::Tenant& tenant,
                                                const routing::TenantConfig* existing) {
  if (!IsValidId(tenant.tenant_id())) {
    return Invalid("tenant.tenant_id", "must be 1-64 characters from [A-Za-z0-9._-]");
  }
  routing::TenantConfig out{.id = routing::TenantId(tenant.tenant_id()),
                            .display_name = tenant.display_name()};
  if (existing != nullptr) out.skills = existing->skills;
  absl::StatusOr<absl::TimeZone> zone = TimeZoneOf(tenant.time_zone(), "tenant.time_zone");
  if (!zone.ok()) return zone.status();
  out.time_zone = *zone;
  for (const v1::ReasonCode& reason : tenant.not_ready_reasons()) {
    if (!IsValidId(reason.code())) {
      return Invalid("tenant.not_ready_reasons",
                     "codes must be 1-64 characters from [A-Za-z0-9._-]");
    }
    out.not_ready_reasons.push_back(reason.code());
  }
  for (const v1::ReasonCode& code : tenant.disposition_codes()) {
    if (!IsValidId(code.code())) {
      return Invalid("tenant.disposition_codes",
                     "codes must be 1-64 characters from [A-Za-z0-9._-]");
    }
    out.disposition_codes.push_back(code.code());
  }
  const routing::AgentPolicy defaults;
  absl::StatusOr<routing::Duration> cooldown =
      DurationOf(tenant.rona().has_cooldown(), tenant.rona().cooldown(),
                 defaults.no_answer_cooldown, "tenant.rona.cooldown");
  absl::StatusOr<routing::Duration> decline =
      DurationOf(tenant.has_decline_cooldown(), tenant.decline_cooldown(),
                 defaults.decline_cooldown, "tenant.decline_cooldown");
  absl::StatusOr<routing::Duration> grace =
      DurationOf(tenant.has_disconnect_grace(), tenant.disconnect_grace(),
                 defaults.disconnect_grace, "tenant.disconnect_grace");
  for (const auto* duration : {&cooldown, &decline, &grace}) {
    if (!duration->ok()) return duration->status();
  }
  if (tenant.rona().not_ready_after_misses() < 0) {
    return Invalid("tenant.rona.not_ready_after_misses", "cannot be negative");
  }
  out.agent_policy = {.decline_cooldown = *decline,
                      .no_answer_cooldown = *cooldown,
                      .not_ready_after_misses = tenant.rona().not_ready_after_misses() == 0
                                                    ? defaults.not_ready_after_misses
                                                    : tenant.rona().not_ready_after_misses(),
                      .disconnect_grace = *grace};
  return out;
}

absl::StatusOr<routing::QueueConfig> FromProto(const v1::Queue& queue) {
  if (!IsValidId(queue.queue_id())) {
    return Invalid("queue.queue_id", "must be 1-64 characters from [A-Za-z0-9._-]");
  }
  routing::QueueConfig out{.id = routing::QueueId(queue.queue_id()),
                           .tenant = routing::TenantId(queue.tenant_id()),
                           .display_name = queue.display_name()};
  for (int channel : queue.channels()) {
    const std::optional<routing::Channel> known = FromProto(static_cast<v1::Channel>(channel));
    if (!known) return Invalid("queue.channels", "lists a channel that is not a known one");
    if (std::find(out.channels.begin(), out.channels.end(), *known) != out.channels.end()) {
      return Invalid("queue.channels", "lists a channel twice");
    }
    out.channels.push_back(*known);
  }
  if (out.channels.empty()) return Invalid("queue.channels", "needs at least one channel");
  if (queue.default_priority() < 0 || queue.default_priority() > 100) {
    return Invalid("queue.default_priority", "must be 0-100");
  }
  out.default_priority = queue.default_priority();
  const double target = queue.service_level_target() == 0 ? 0.8 : queue.service_level_target();
  if (!(target > 0 && target <= 1)) {
    return Invalid("queue.service_level_target", "must be in (0, 1]");
  }
  out.service_level_target = target;
  switch (queue.strategy()) {
    case v1::SELECTION_STRATEGY_UNSPECIFIED:
    case v1::SELECTION_STRATEGY_LONGEST_IDLE:
      out.strategy = routing::SelectionStrategy::kLongestIdle;
      break;
    case v1::SELECTION_STRATEGY_LEAST_OCCUPIED:
      out.strategy = routing::SelectionStrategy::kLeastOccupied;
      break;
    case v1::SELECTION_STRATEGY_MOST_SKILLED:
      out.strategy = routing::SelectionStrategy::kMostSkilled;
      break;
    case v1::SELECTION_STRATEGY_FEWEST_CONTACTS_TODAY:
      out.strategy = routing::SelectionStrategy::kFewestToday;
      break;
    case v1::SELECTION_STRATEGY_ROUND_ROBIN:
      out.strategy = routing::SelectionStrategy::kRoundRobin;
      break;
    default:
      return Invalid("queue.strategy", "is not a known strategy");
  }
  switch (queue.wrap_up_policy()) {
    case v1::WRAP_UP_POLICY_UNSPECIFIED:
    case v1::WRAP_UP_POLICY_TIMED:
      out.wrap_up.policy = routing::WrapUpPolicy::kTimed;
      break;
    case v1::WRAP_UP_POLICY_NONE:
      out.wrap_up.policy = routing::WrapUpPolicy::kNone;
      break;
    case v1::WRAP_UP_POLICY_MANDATORY:
      out.wrap_up.policy = routing::WrapUpPolicy::kMandatory;
      break;
    default:
      return Invalid("queue.wrap_up_policy", "is not a known policy");
  }
  const routing::QueueConfig defaults;
  struct Timing {
    bool has;
    const google::protobuf::Duration& value;
    routing::Duration* into;
    routing::Duration fallback;
    const char* field;
  };
  for (const Timing& timing : std::initializer_list<Timing>{
           {queue.has_service_level_threshold(), queue.service_level_threshold(),
            &out.service_level_threshold, defaults.service_level_threshold,
            "queue.service_level_threshold"},
           {queue.has_offer_timeout(), queue.offer_timeout(), &out.offer_timeout,
            defaults.offer_timeout, "queue.offer_timeout"},
           {queue.has_wrap_up_timeout(), queue.wrap_up_timeout(), &out.wrap_up.timeout,
            std::chrono::seconds(60), "queue.wrap_up_timeout"},
           {queue.has_preferred_agent_timeout(), queue.preferred_agent_timeout(),
            &out.preferred_agent_timeout, routing::Duration::zero(),
            "queue.preferred_agent_timeout"},
           {queue.has_short_abandon_threshold(), queue.short_abandon_threshold(),
            &out.short_abandon_threshold, defaults.short_abandon_threshold,
            "queue.short_abandon_threshold"}}) {
    absl::StatusOr<routing::Duration> duration =
        DurationOf(timing.has, timing.value, timing.fallback, timing.field);
    if (!duration.ok()) return duration.status();
    *timing.into = *duration;
  }
  if (queue.has_business_hours()) {
    absl::StatusOr<routing::BusinessHours> hours = HoursOf(queue.business_hours());
    if (!hours.ok()) return hours.status();
    out.business_hours = std::move(*hours);
  }
  if (queue.max_size() < 0) return Invalid("queue.max_size", "cannot be negative");
  out.max_size = queue.max_size();
  if (queue.has_max_wait()) {
    absl::StatusOr<routing::Duration> max_wait =
        DurationOf(true, queue.max_wait(), {}, "queue.max_wait");
    if (!max_wait.ok()) return max_wait.status();
    out.max_wait = *max_wait;
  }
  if (queue.has_overflow()) {
    absl::StatusOr<routing::Overflow> overflow = OverflowOf(queue.overflow(), "queue.overflow");
    if (!overflow.ok()) return overflow.status();
    out.overflow = *overflow;
  }
  if (queue.has_closed_overflow()) {
    absl::StatusOr<routing::Overflow> overflow =
        OverflowOf(queue.closed_overflow(), "queue.closed_overflow");
    if (!overflow.ok()) return overflow.status();
    out.closed_overflow = *overflow;
  }
  for (int i = 0; i < queue.steps_size(); ++i) {
    absl::StatusOr<routing::QueueStep> step =
        StepOf(queue.steps(i), absl::StrCat("queue.steps[", i, "]"));
    if (!step.ok()) return step.status();
    out.steps.push_back(std::move(*step));
  }
  return out;
}

absl::StatusOr<routing::AgentConfig> FromProto(const v1::Agent& agent) {
  if (!IsValidId(agent.agent_id())) {
    return Invalid("agent.agent_id", "must be 1-64 characters from [A-Za-z0-9._-]");
  }
  routing::AgentConfig out{.id = routing::AgentId(agent.agent_id()),
                           .tenant = routing::TenantId(agent.tenant_id()),
                           .display_name = agent.display_name(),
                           .team = agent.team(),
                           .voice_exclusive = agent.voice_exclusive()};
  for (const v1::SkillLevel& skill : agent.skills()) {
    if (skill.level() < routing::kMinSkillLevel || skill.level() > routing::kMaxSkillLevel) {
      return Invalid("agent.skills", absl::StrCat("'", skill.skill(), "' level must be 1-10"));
    }
    if (std::any_of(out.skills.begin(), out.skills.end(),
                    [&](const routing::SkillLevel& seen) { return seen.skill == skill.skill(); })) {
      return Invalid("agent.skills", absl::StrCat("lists '", skill.skill(), "' twice"));
    }
    out.skills.push_back({.skill = skill.skill(), .level = skill.level()});
  }
  for (const std::string& queue : agent.queue_ids()) {
    if (std::find(out.queues.begin(), out.queues.end(), routing::QueueId(queue)) !=
        out.queues.end()) {
      return Invalid("agent.queue_ids", absl::StrCat("lists '", queue, "' twice"));
    }
    out.queues.emplace_back(queue);
  }
  std::array<bool, routing::kChannelCount> listed{};
  for (const v1::ChannelCapacity& capacity : agent.capacity()) {
    const std::optional<routing::Channel> channel = FromProto(capacity.channel());
    if (!channel) return Invalid("agent.capacity", "lists a channel that is not a known one");
    const auto index = static_cast<std::size_t>(*channel);
    if (listed[index]) return Invalid("agent.capacity", "lists a channel twice");
    listed[index] = true;
    if (capacity.max_contacts() < 0 || capacity.max_contacts() > 20) {
      return Invalid("agent.capacity", "max_contacts must be 0-20");
    }
    out.capacity[index] = capacity.max_contacts();
  }
  return out;
}

std::optional<Role> FromProto(v1::Role role) {
  switch (role) {
    case v1::ROLE_GATEWAY:
      return Role::kGateway;
    case v1::ROLE_AGENT:
      return Role::kAgent;
    case v1::ROLE_SUPERVISOR:
      return Role::kSupervisor;
    case v1::ROLE_ADMIN:
      return Role::kAdmin;
    default:
      return std::nullopt;
  }
}

}  // namespace acd::daemon::convert
