// KPIs: the tallies events add to, agents' time in each activity, and the figures made of them.

#include <algorithm>
#include <chrono>

#include "absl/container/flat_hash_set.h"
#include "routing/erlang_c.h"
#include "routing/local_time.h"
#include "routing/router_internals.h"

namespace acd::routing {
namespace {

constexpr Timestamp kUnset{};

int MinutesOf(Period period) {
  switch (period) {
    case Period::kToday:
      return 0;
    case Period::kLast15Minutes:
      return 15;
    case Period::kLast30Minutes:
      return 30;
    case Period::kLast60Minutes:
      return 60;
  }
  return 0;
}

std::optional<double> Ratio(double part, double whole) {
  if (whole <= 0) return std::nullopt;
  return part / whole;
}

std::optional<Duration> Average(Duration total, std::uint32_t count) {
  if (count == 0) return std::nullopt;
  return total / count;
}

double Seconds(Duration duration) { return std::chrono::duration<double>(duration).count(); }

}  // namespace

/// Where `period` begins as of `now` for a tenant in `zone`.
Timestamp PeriodStart(Period period, Timestamp now, const absl::TimeZone& zone) {
  if (period == Period::kToday) {
    return FromLocal(absl::CivilSecond(absl::CivilDay(ToLocal(now, zone))), zone);
  }
  return std::chrono::floor<std::chrono::minutes>(now) -
         std::chrono::minutes(MinutesOf(period) - 1);
}

std::string_view ActivityName(Activity activity) {
  switch (activity) {
    case Activity::kLoggedOut:
      return "logged-out";
    case Activity::kNotReady:
      return "not-ready";
    case Activity::kIdle:
      return "idle";
    case Activity::kReserved:
      return "reserved";
    case Activity::kBusy:
      return "busy";
    case Activity::kWrapUp:
      return "wrap-up";
  }
  return "unknown";
}

std::string_view PeriodName(Period period) {
  switch (period) {
    case Period::kToday:
      return "today";
    case Period::kLast15Minutes:
      return "15m";
    case Period::kLast30Minutes:
      return "30m";
    case Period::kLast60Minutes:
      return "60m";
  }
  return "unknown";
}

void Router::Count(const Event& event) {
  std::visit(
      [&](const auto& body) {
        using T = std::decay_t<decltype(body)>;
        constexpr bool kAboutAContact =
            std::is_same_v<T, ContactQueued> || std::is_same_v<T, ContactAssigned> ||
            std::is_same_v<T, WrapUpStarted> || std::is_same_v<T, ContactCompleted> ||
            std::is_same_v<T, ContactAbandoned> || std::is_same_v<T, ContactExpired> ||
            std::is_same_v<T, ContactTransferred> || std::is_same_v<T, ContactEscalated> ||
            std::is_same_v<T, SurveyRecorded>;
        if constexpr (kAboutAContact) {
          Contact& contact = contacts_.At(body.contact.value());
          const Queue& queue = queues_[contact.queue];
          ContactTally delta;
          std::optional<AgentIndex> agent;
          if constexpr (std::is_same_v<T, ContactQueued>) {
            delta.offered = 1;
          } else if constexpr (std::is_same_v<T, ContactAssigned>) {
            const Duration waited = event.at - contact.virtual_start;
            delta.answered = 1;
            delta.answered_within_threshold = waited <= sl_thresholds_[contact.queue] ? 1 : 0;
            delta.answer_wait = waited;
            agent = contact.agent;
            contact.connected_at = event.at;
            contact.ended_at = kUnset;
          } else if constexpr (std::is_same_v<T, WrapUpStarted>) {
            delta.talk = event.at - contact.connected_at;
            agent = contact.agent;
            contact.ended_at = event.at;
          } else if constexpr (std::is_same_v<T, ContactCompleted>) {
            delta.handled = 1;
            if (contact.ended_at == kUnset) {
              delta.talk = event.at - contact.connected_at;  // No wrap-up in this queue.
            } else {
              delta.wrap = event.at - contact.ended_at;
            }
            agent = contact.handled_by;
          } else if constexpr (std::is_same_v<T, ContactTransferred> ||
                               std::is_same_v<T, ContactEscalated>) {
            // The agent's part ends here, without wrap-up.
            delta.handled = 1;
            delta.talk = event.at - contact.connected_at;
            agent = contact.handled_by;
          } else if constexpr (std::is_same_v<T, SurveyRecorded>) {
            delta.surveys = 1;
            delta.survey_score = static_cast<std::uint32_t>(body.score);
            agent = contact.handled_by;
          } else if constexpr (std::is_same_v<T, ContactAbandoned>) {
            delta.abandoned = 1;
            delta.short_abandoned = body.short_abandon ? 1 : 0;
          } else {
            delta.expired = 1;
          }
          queue_tallies_[contact.queue].Add(event.at, delta);
          tenant_tallies_[queue.tenant].Add(event.at, delta);
          if (agent) agent_tallies_[*agent].Add(event.at, delta);
          if constexpr (std::is_same_v<T, ContactAssigned>) {
            // Connected at once, without an offer event: still an offer the agent was made.
            if (body.auto_accepted && agent) {
              agent_tallies_[*agent].Add(event.at, ContactTally{.offers = 1});
            }
          }
        } else if constexpr (std::is_same_v<T, OfferMade> || std::is_same_v<T, OfferRescinded>) {
          ContactTally delta;
          if constexpr (std::is_same_v<T, OfferMade>) {
            delta.offers = 1;
          } else if (body.reason == RescindReason::kDeclined) {
            delta.declines = 1;
          } else if (body.reason == RescindReason::kTimeout) {
            delta.misses = 1;
          } else {
            return;  // Taken back for the contact's sake (abandoned, moved): not the agent's.
          }
          // Emitted while the agent holds the offer.
          agent_tallies_[*contacts_.At(body.contact.value()).agent].Add(event.at, delta);
        }
      },
      event.body);
}

Activity Router::ActivityOf(const Agent& agent) const {
  if (agent.holding[Agent::kHoldingConnected] > 0) return Activity::kBusy;
  if (agent.holding[Agent::kHoldingWrapUp] > 0) return Activity::kWrapUp;
  if (agent.holding[Agent::kHoldingOffered] > 0) return Activity::kReserved;
  switch (agent.presence) {
    case AgentPresence::kLoggedOut:
      return Activity::kLoggedOut;
    case AgentPresence::kNotReady:
      return Activity::kNotReady;
    case AgentPresence::kReady:
      return Activity::kIdle;
  }
  return Activity::kLoggedOut;
}

void Router::NoteActivity(AgentIndex index, Timestamp now) {
  Agent& agent = agents_[index];
  const Activity activity = ActivityOf(agent);
  if (activity == agent.activity) return;
  AccountTime(index, agent.activity_since, now, agent.activity);
  agent.activity = activity;
  agent.activity_since = now;
}

void Router::AccountTime(AgentIndex index, Timestamp from, Timestamp to, Activity activity) {
  if (to <= from) return;
  MinuteRing<TimeTally>& ring = agent_time_[index];
  const auto slot = static_cast<std::size_t>(activity);
  // Minute by minute as far back as the ring reaches; what is older, to today alone.
  Timestamp start = std::max(from, to - std::chrono::minutes(MinuteRing<TimeTally>::kMinutes));
  if (from < start) {
    TimeTally older;
    older.in[slot] = start - from;
    ring.AddToToday(older);
  }
  while (start < to) {
    const Timestamp minute_end =
        std::chrono::floor<std::chrono::minutes>(start) + std::chrono::minutes(1);
    const Timestamp end = std::min(to, minute_end);
    TimeTally part;
    part.in[slot] = end - start;
    ring.Add(start, part);
    start = end;
  }
}

template <typename Tally>
Tally Router::Over(const MinuteRing<Tally>& ring, const Tenant& tenant, Period period,
                   Timestamp now) {
  if (period == Period::kToday) {
    // Past midnight with no command since, the tallies still hold yesterday.
    return now < tenant.day_ends_at ? ring.today() : Tally();
  }
  return ring.Window(now, MinutesOf(period));
}

TimeTally Router::TimeOver(const std::vector<AgentIndex>& agents, Period period,
                           Timestamp now) const {
  TimeTally sum;
  for (AgentIndex index : agents) {
    const Agent& agent = agents_[index];
    const Tenant& tenant = tenants_[agent.tenant];
    sum += Over(agent_time_[index], tenant, period, now);
    // The activity still going on counts up to now, within the period.
    Timestamp since = agent.activity_since;
    if (period == Period::kToday && now >= tenant.day_ends_at) {
      since = std::max(since, tenant.day_ends_at);
    } else if (period != Period::kToday) {
      const Timestamp window_start = std::chrono::floor<std::chrono::minutes>(now) -
                                     std::chrono::minutes(MinutesOf(period) - 1);
      since = std::max(since, window_start);
    }
    if (now > since) sum.in[static_cast<std::size_t>(agent.activity)] += now - since;
  }
  return sum;
}

PeriodFigures Router::Figures(const ContactTally& contacts, const TimeTally& time) {
  PeriodFigures figures{
      .offered = static_cast<int>(contacts.offered),
      .answered = static_cast<int>(contacts.answered),
      .answered_within_threshold = static_cast<int>(contacts.answered_within_threshold),
      .abandoned = static_cast<int>(contacts.abandoned),
      .short_abandoned = static_cast<int>(contacts.short_abandoned),
      .handled = static_cast<int>(contacts.handled),
      .expired = static_cast<int>(contacts.expired),
      .offers = static_cast<int>(contacts.offers),
      .declines = static_cast<int>(contacts.declines),
      .misses = static_cast<int>(contacts.misses),
      .time_in = time.in};
  const double counted_abandons = contacts.abandoned - contacts.short_abandoned;
  figures.service_level = Ratio(contacts.answered_within_threshold, contacts.answered);
  figures.service_level_counting_abandons =
      Ratio(contacts.answered_within_threshold, contacts.answered + counted_abandons);
  figures.abandon_rate = Ratio(counted_abandons, contacts.answered + counted_abandons);
  figures.average_speed_of_answer = Average(contacts.answer_wait, contacts.answered);
  figures.average_handle_time = Average(contacts.talk + contacts.wrap, contacts.handled);
  figures.average_after_contact_work = Average(contacts.wrap, contacts.handled);
  figures.surveys = static_cast<int>(contacts.surveys);
  figures.csat = Ratio(contacts.survey_score, contacts.surveys);
  auto in = [&](Activity activity) { return Seconds(time.in[static_cast<std::size_t>(activity)]); };
  const double working = in(Activity::kReserved) + in(Activity::kBusy) + in(Activity::kWrapUp);
  figures.occupancy = Ratio(working, working + in(Activity::kIdle));
  return figures;
}

std::vector<QueueStatistics> Router::QueueStatisticsOf(const TenantId& tenant, Timestamp now,
                                                       std::span<const QueueId> only) const {
  std::vector<QueueStatistics> result;
  auto slot = tenant_slot_.find(tenant);
  if (slot == tenant_slot_.end()) return result;
  const absl::flat_hash_set<QueueId> wanted(only.begin(), only.end());
  for (QueueIndex q : tenants_[slot->second].queues) {
    const Queue& queue = queues_[q];
    if (!wanted.empty() && !wanted.contains(queue.config.id)) continue;
    QueueStatistics stats{.queue = queue.config.id, .waiting = queue.waiting.size()};
    if (std::optional<Timestamp> oldest = queue.waiting.OldestStart()) {
      stats.longest_wait = now - *oldest;
    }
    for (AgentIndex member : queue.members) {
      ++stats.agents[static_cast<std::size_t>(agents_[member].activity)];
    }
    for (std::size_t p = 0; p < kPeriodCount; ++p) {
      const auto period = static_cast<Period>(p);
      stats.periods[p] = Figures(Over(queue_tallies_[q], tenants_[queue.tenant], period, now),
                                 TimeOver(queue.members, period, now));
      stats.periods[p].start = PeriodStart(period, now, tenants_[queue.tenant].config.time_zone);
    }
    // Staffing by Erlang C: the last 15 minutes' arrivals, the last hour's handle time.
    stats.arrivals_per_hour =
        stats.periods[static_cast<std::size_t>(Period::kLast15Minutes)].offered * 4.0;
    if (std::optional<Duration> aht = RecentHandleTime(static_cast<QueueIndex>(q), now)) {
      const double aht_s = Seconds(*aht);
      const double load = stats.arrivals_per_hour / 3600.0 * aht_s;
      stats.agents_needed =
          ErlangCAgentsNeeded(load, aht_s, Seconds(queue.config.service_level_threshold),
                              queue.config.service_level_target);
    }
    stats.estimated_wait = EstimatedWait(static_cast<QueueIndex>(q), stats.waiting + 1, now);
    result.push_back(std::move(stats));
  }
  return result;
}

std::optional<Duration> Router::RecentHandleTime(QueueIndex queue, Timestamp now) const {
  const MinuteRing<ContactTally>& tallies = queue_tallies_[queue];
  ContactTally recent = tallies.Window(now, 60);
  if (recent.handled == 0)
    recent = Over(tallies, tenants_[queues_[queue].tenant], Period::kToday, now);
  if (recent.handled == 0) return std::nullopt;
  const Duration aht = (recent.talk + recent.wrap) / recent.handled;
  if (aht <= Duration::zero()) return std::nullopt;
  return aht;
}

std::optional<Duration> Router::EstimatedWait(QueueIndex queue, int position, Timestamp now) const {
  std::optional<Duration> aht = RecentHandleTime(queue, now);
  if (!aht) return std::nullopt;
  int staffed = 0;
  for (AgentIndex member : queues_[queue].members) {
    const Activity activity = agents_[member].activity;
    if (activity != Activity::kLoggedOut && activity != Activity::kNotReady) ++staffed;
  }
  if (staffed == 0) return std::nullopt;
  // Everyone ahead, and this one, served by the agents there are, a handle time each; the
  // first of them as soon as an agent frees up, on average halfway through a handle time.
  return std::max(Duration::zero(), *aht * position / staffed - *aht / 2);
}

std::vector<AgentStatistics> Router::AgentStatisticsOf(const TenantId& tenant, Timestamp now,
                                                       std::span<const QueueId> member_of) const {
  std::vector<AgentStatistics> result;
  for (AgentIndex a : AgentsOf(tenant, member_of)) {
    const Agent& agent = agents_[a];
    AgentStatistics stats{.agent = agent.config.id,
                          .activity = agent.activity,
                          .activity_since = agent.activity_since};
    const std::vector<AgentIndex> self{static_cast<AgentIndex>(a)};
    for (std::size_t p = 0; p < kPeriodCount; ++p) {
      const auto period = static_cast<Period>(p);
      stats.periods[p] = Figures(Over(agent_tallies_[a], tenants_[agent.tenant], period, now),
                                 TimeOver(self, period, now));
      stats.periods[p].start = PeriodStart(period, now, tenants_[agent.tenant].config.time_zone);
    }
    result.push_back(std::move(stats));
  }
  return result;
}

std::optional<TenantStatistics> Router::TenantStatisticsOf(const TenantId& tenant,
                                                           Timestamp now) const {
  auto slot = tenant_slot_.find(tenant);
  if (slot == tenant_slot_.end()) return std::nullopt;
  const Tenant& config = tenants_[slot->second];
  TenantStatistics stats{.tenant = tenant};
  for (QueueIndex q : config.queues) {
    stats.waiting += queues_[q].waiting.size();
    if (std::optional<Timestamp> oldest = queues_[q].waiting.OldestStart()) {
      stats.longest_wait = std::max(stats.longest_wait, now - *oldest);
    }
  }
  for (AgentIndex agent : config.agents) {
    ++stats.agents[static_cast<std::size_t>(agents_[agent].activity)];
  }
  for (std::size_t p = 0; p < kPeriodCount; ++p) {
    const auto period = static_cast<Period>(p);
    stats.periods[p] = Figures(Over(tenant_tallies_[slot->second], config, period, now),
                               TimeOver(config.agents, period, now));
    stats.periods[p].start = PeriodStart(period, now, config.config.time_zone);
  }
  return stats;
}

std::vector<QueueSummary> Router::QueueSummaries(Timestamp now) const {
  std::vector<QueueSummary> result;
  result.reserve(queues_.size());
  for (std::size_t q = 0; q < queues_.size(); ++q) {
    const Queue& queue = queues_[q];
    QueueSummary summary{
        .tenant = queue.config.tenant, .queue = queue.config.id, .waiting = queue.waiting.size()};
    if (std::optional<Timestamp> oldest = queue.waiting.OldestStart()) {
      summary.longest_wait = now - *oldest;
    }
    for (AgentIndex member : queue.members) {
      const Agent& agent = agents_[member];
      if (!agent.contacts.empty()) {
        ++summary.agents_busy;
      } else if (agent.presence == AgentPresence::kReady) {
        ++summary.agents_ready;
      } else if (agent.presence == AgentPresence::kNotReady) {
        ++summary.agents_not_ready;
      }
    }
    const Tenant& tenant = tenants_[queue.tenant];
    summary.today = Figures(Over(queue_tallies_[q], tenant, Period::kToday, now), TimeTally());
    summary.today.occupancy.reset();
    result.push_back(std::move(summary));
  }
  return result;
}

std::vector<TenantSummary> Router::TenantSummaries() const {
  std::vector<TenantSummary> result;
  result.reserve(tenants_.size());
  for (const Tenant& tenant : tenants_) {
    TenantSummary summary{.tenant = tenant.config.id};
    for (AgentIndex agent : tenant.agents) {
      ++summary.agents[static_cast<std::size_t>(agents_[agent].activity)];
    }
    result.push_back(std::move(summary));
  }
  return result;
}

}  // namespace acd::routing
