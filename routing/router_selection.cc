// Which agent a queue picks for a contact: the availability indexes, kept in the order of each
// queue's selection strategy, and the eligibility rules.

#include <algorithm>

#include "routing/router_internals.h"

namespace acd::routing {
namespace {

// Occupancy is compared as parts per million of capacity: exact enough to tell any two loads
// apart, and an integer rank.
constexpr std::int64_t kOccupancyScale = 1'000'000;

}  // namespace

std::optional<ExclusionReason> Router::Disqualification(AgentIndex index,
                                                        const Contact& contact) const {
  if (contact.pinned && *contact.pinned != index) return ExclusionReason::kNotPinned;
  if (contact.preference &&
      std::find(contact.preference->agents.begin(), contact.preference->agents.end(), index) ==
          contact.preference->agents.end()) {
    return ExclusionReason::kNotPreferred;
  }
  if (std::find(contact.refused_by.begin(), contact.refused_by.end(), index) !=
      contact.refused_by.end()) {
    return ExclusionReason::kRefusedBefore;
  }
  const auto& levels = agents_[index].levels;
  for (const auto& [skill, minimum] : contact.requirements) {
    auto it = std::lower_bound(levels.begin(), levels.end(), std::make_pair(skill, 0));
    if (it == levels.end() || it->first != skill) return ExclusionReason::kMissingSkill;
    if (it->second < minimum) return ExclusionReason::kSkillTooLow;
  }
  return std::nullopt;
}

bool Router::IsAvailableIn(AgentIndex index, QueueIndex queue, Channel channel) const {
  const Agent& agent = agents_[index];
  if ((agent.indexed_channels & ChannelBit(channel)) == 0) return false;
  return std::any_of(agent.memberships.begin(), agent.memberships.end(),
                     [&](const Agent::Membership& m) { return m.queue == queue; });
}

std::int64_t Router::RankIn(const Agent& agent, std::size_t membership) const {
  switch (agent.memberships[membership].strategy) {
    case SelectionStrategy::kLongestIdle:
    case SelectionStrategy::kMostSkilled:  // Depends on the contact: ranked when routing it.
      return 0;
    case SelectionStrategy::kLeastOccupied: {
      if (agent.total_capacity == 0) return kOccupancyScale;
      std::int64_t load = 0;
      for (int on_channel : agent.load) load += on_channel;
      return load * kOccupancyScale / agent.total_capacity;
    }
    case SelectionStrategy::kFewestToday:
      return agent.contacts_today;
    case SelectionStrategy::kRoundRobin:
      return static_cast<std::int64_t>(agent.memberships[membership].last_turn);
  }
  return 0;
}

void Router::Reindex(AgentIndex index) {
  Agent& agent = agents_[index];
  const std::uint8_t channels = RoomOf(agent);
  bool ranks_changed = false;
  for (std::size_t m = 0; m < agent.memberships.size() && !ranks_changed; ++m) {
    ranks_changed = RankIn(agent, m) != agent.memberships[m].indexed_rank;
  }
  if (channels == agent.indexed_channels && agent.idle_since == agent.indexed_idle_since &&
      !ranks_changed) {
    return;
  }
  // Filed on no channel before or after (an agent busy throughout): only its keys change.
  const bool filed = (agent.indexed_channels | channels) != 0;
  for (std::size_t m = 0; m < agent.memberships.size(); ++m) {
    Agent::Membership& membership = agent.memberships[m];
    const std::int64_t rank = RankIn(agent, m);
    if (filed) {
      Queue& queue = queues_[membership.queue];
      for (Channel channel : kAllChannels) {
        if ((queue.channel_mask & ChannelBit(channel)) == 0) continue;
        auto& available = queue.available[static_cast<std::size_t>(channel)];
        if ((agent.indexed_channels & ChannelBit(channel)) != 0) {
          available.erase({membership.indexed_rank, agent.indexed_idle_since, index});
        }
        if ((channels & ChannelBit(channel)) != 0) {
          available.emplace(rank, agent.idle_since, index);
        }
      }
    }
    membership.indexed_rank = rank;
  }
  agent.indexed_channels = channels;
  agent.indexed_idle_since = agent.idle_since;
}

std::optional<Router::AgentIndex> Router::SelectAgent(const Contact& contact,
                                                      TraceRecord& trace) const {
  if (contact.pinned) {
    // Meant for one agent, a member of the queue or not.
    const AgentIndex agent = *contact.pinned;
    if ((agents_[agent].indexed_channels & ChannelBit(contact.details.channel)) != 0 &&
        Qualifies(agent, contact)) {
      trace.AddCandidate({.agent = agent, .idle_since = agents_[agent].idle_since});
      return agent;
    }
    return std::nullopt;
  }
  if (std::optional<AgentIndex> chosen = SelectAgentIn(contact, contact.queue, trace)) {
    return chosen;
  }
  if (contact.preference) return std::nullopt;  // Held for its preferred agents.
  for (QueueIndex widened : contact.widened) {
    if (std::optional<AgentIndex> chosen = SelectAgentIn(contact, widened, trace)) return chosen;
  }
  return std::nullopt;
}

std::optional<Router::AgentIndex> Router::SelectAgentIn(const Contact& contact,
                                                        QueueIndex queue_index,
                                                        TraceRecord& trace) const {
  const Channel channel = contact.details.channel;
  if (contact.preference) {
    // The contact's own order of preference, not the strategy's.
    for (AgentIndex candidate : contact.preference->agents) {
      if (IsAvailableIn(candidate, contact.queue, channel) && Qualifies(candidate, contact)) {
        trace.AddCandidate({.agent = candidate, .idle_since = agents_[candidate].idle_since});
        return candidate;
      }
    }
    return std::nullopt;
  }
  const Queue& queue = queues_[queue_index];
  const auto& available = queue.available[static_cast<std::size_t>(channel)];
  if (queue.config.strategy == SelectionStrategy::kMostSkilled && !contact.requirements.empty()) {
    // Ranked by this contact's skills; among equals, the index's order (longest idle) decides.
    std::optional<AgentIndex> best;
    int best_score = 0;
    std::vector<TraceRecord::Candidate> ranked;
    for (const auto& [rank, idle_since, candidate] : available) {
      if (std::optional<ExclusionReason> reason = Disqualification(candidate, contact)) {
        trace.AddExclusion(candidate, *reason);
        continue;
      }
      int score = 0;
      const auto& levels = agents_[candidate].levels;
      for (const auto& [skill, minimum] : contact.requirements) {
        score += std::lower_bound(levels.begin(), levels.end(), std::make_pair(skill, 0))->second;
      }
      ranked.push_back({.agent = candidate, .key = score, .idle_since = idle_since});
      if (!best || score > best_score) {
        best = candidate;
        best_score = score;
      }
    }
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.key > b.key; });
    for (const TraceRecord::Candidate& candidate : ranked) trace.AddCandidate(candidate);
    return best;
  }
  // The index is in the strategy's order: the first that qualifies is chosen; a few more are
  // walked for the record.
  std::optional<AgentIndex> chosen;
  for (const auto& [rank, idle_since, candidate] : available) {
    if (std::optional<ExclusionReason> reason = Disqualification(candidate, contact)) {
      trace.AddExclusion(candidate, *reason);
      continue;
    }
    trace.AddCandidate({.agent = candidate, .key = rank, .idle_since = idle_since});
    if (!chosen) chosen = candidate;
    if (trace.candidate_count == TraceRecord::kMaxCandidates) break;
  }
  return chosen;
}

Router::TraceRecord Router::StartTrace(const Contact& contact, DecisionTrigger trigger,
                                       Timestamp now) const {
  TraceRecord trace;
  trace.at = now;
  trace.trigger = trigger;
  trace.queue = contact.queue;
  trace.steps_done = contact.steps_done;
  trace.priority = contact.priority;
  trace.virtual_start = contact.virtual_start;
  return trace;
}

void Router::RecordDecision(Contact& contact, TraceRecord trace) {
  trace.requirements = contact.requirements;  // Copied only for a decision kept.
  contact.decisions.push_back(std::move(trace));
}

void Router::RouteContact(Contact& contact, DecisionTrigger trigger, Timestamp now,
                          std::vector<Event>& events) {
  contact.last_trigger = trigger;
  TraceRecord trace = StartTrace(contact, trigger, now);
  std::optional<AgentIndex> chosen = SelectAgent(contact, trace);
  if (!chosen) return;
  trace.chosen = chosen;
  RecordDecision(contact, std::move(trace));
  Dequeue(contact);
  Offer(contact, *chosen, now, events);
}

}  // namespace acd::routing
