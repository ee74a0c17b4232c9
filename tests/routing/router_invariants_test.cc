// Randomized command sequences against the router, with its invariants checked after every step.
// A failure names its seed; ACD_ROUTER_SEED=<seed> replays that one sequence alone.

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "routing/router.h"

namespace acd::routing {
namespace {

using std::chrono::seconds;

constexpr int kSeeds = 200;
constexpr int kStepsPerSeed = 400;

Catalog RandomCatalog(std::mt19937_64& random) {
  Catalog catalog;
  catalog.tenants = {{.id = TenantId("acme"), .skills = {"billing", "support", "spanish"}},
                     {.id = TenantId("globex"), .skills = {"sales"}}};
  catalog.tenants[0].agent_policy = {.decline_cooldown = seconds(3),
                                     .no_answer_cooldown = seconds(10),
                                     .not_ready_after_misses = 2,
                                     .disconnect_grace = seconds(15)};
  catalog.tenants[1].agent_policy = {.decline_cooldown = Duration::zero(),
                                     .no_answer_cooldown = Duration::zero(),
                                     .not_ready_after_misses = 1,
                                     .disconnect_grace = Duration::zero()};
  catalog.queues = {
      {.id = QueueId("acme.billing"),
       .tenant = TenantId("acme"),
       .channels = {Channel::kVoice, Channel::kChat},
       .service_level_threshold = seconds(20),
       .offer_timeout = seconds(15),
       .wrap_up = {.policy = WrapUpPolicy::kTimed, .timeout = seconds(20)}},
      {.id = QueueId("acme.support"),
       .tenant = TenantId("acme"),
       .channels = {Channel::kVoice, Channel::kChat, Channel::kEmail, Channel::kCallback},
       .service_level_threshold = seconds(60),
       .offer_timeout = seconds(25),
       .wrap_up = {.policy = WrapUpPolicy::kMandatory}},
      {.id = QueueId("globex.sales"),
       .tenant = TenantId("globex"),
       .channels = {Channel::kVoice, Channel::kChat},
       .offer_timeout = seconds(10),
       .wrap_up = {.policy = WrapUpPolicy::kNone}}};
  // Every strategy, limits that overflow and expire, preferred agents.
  for (QueueConfig& queue : catalog.queues) {
    queue.strategy = static_cast<SelectionStrategy>(
        std::uniform_int_distribution<std::size_t>(0, kStrategyCount - 1)(random));
  }
  catalog.queues[0].preferred_agent_timeout = seconds(10);
  catalog.queues[0].max_size = 4;
  catalog.queues[0].max_wait = seconds(60);
  catalog.queues[0].overflow = {.action = OverflowAction::kQueue, .queue = QueueId("acme.support")};
  catalog.queues[0].steps = {
      {.after = seconds(20), .action = RelaxSkill{.skill = "billing", .min_level = 2}},
      {.after = seconds(30), .action = DropSkill{.skill = "spanish"}},
      {.after = seconds(40), .action = AddQueue{.queue = QueueId("acme.support")}},
      {.after = seconds(50), .action = BoostPriority{.by = 10}},
      {.after = seconds(55), .action = NotifySupervisors{.message = "waiting long"}}};
  catalog.queues[1].steps = {
      {.after = seconds(30), .action = BoostPriority{.by = 5}},
      {.after = seconds(90), .action = Overflow{.action = OverflowAction::kReject}}};
  catalog.queues[2].max_size = 3;
  catalog.queues[2].max_wait = seconds(45);
  std::uniform_int_distribution<int> level(1, 10);
  std::uniform_int_distribution<int> capacity(0, 3);
  for (int i = 0; i < 6; ++i) {
    AgentConfig agent{.id = AgentId("acme-" + std::to_string(i)),
                      .tenant = TenantId("acme"),
                      .skills = {{"billing", level(random)}, {"support", level(random)}},
                      .queues = {QueueId("acme.billing"), QueueId("acme.support")}};
    if (i % 2 == 0) agent.skills.push_back({"spanish", level(random)});
    if (i == 5) agent.queues.pop_back();
    for (int& slot : agent.capacity) slot = capacity(random);
    agent.capacity[0] = 1;  // voice
    agent.voice_exclusive = i % 3 != 0;
    agent.auto_accept[static_cast<std::size_t>(Channel::kChat)] = i == 4;
    catalog.agents.push_back(agent);
  }
  for (int i = 0; i < 3; ++i) {
    AgentConfig agent{.id = AgentId("globex-" + std::to_string(i)),
                      .tenant = TenantId("globex"),
                      .skills = {{"sales", level(random)}},
                      .queues = {QueueId("globex.sales")}};
    agent.capacity = {1, 2, 1, 1, 1, 1};
    agent.auto_accept[static_cast<std::size_t>(Channel::kVoice)] = i == 2;
    catalog.agents.push_back(agent);
  }
  return catalog;
}

/// Drives one random sequence and checks the invariants after each step.
class Simulation {
 public:
  explicit Simulation(std::uint64_t seed) : random_(seed) {
    catalog_ = RandomCatalog(random_);
    router_ = std::move(Router::Create(catalog_, now_)).value();
    for (const AgentConfig& agent : catalog_.agents) connections_[agent.id] = 0;
  }

  /// Runs `steps` random steps; stops at the first broken invariant (a gtest failure).
  void Run(int steps) {
    for (step_ = 0; step_ < steps; ++step_) {
      waiting_before_ = Waiting();
      offers_this_step_.clear();
      touched_this_step_.clear();
      RandomStep();
      CheckInvariants();
      CheckOrdering();
      if (::testing::Test::HasFailure()) return;
    }
  }

  /// Which kinds of event (EventBody alternatives) the sequence produced.
  const std::set<std::size_t>& kinds_seen() const { return kinds_seen_; }
  /// How many (taken, still waiting) pairs the ordering check compared.
  int ordering_checks() const { return ordering_checks_; }

 private:
  template <typename T>
  T Pick(const std::vector<T>& from) {
    return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(random_)];
  }
  int Roll(int below) { return std::uniform_int_distribution<int>(0, below - 1)(random_); }

  const AgentConfig& RandomAgent() { return catalog_.agents[Roll(catalog_.agents.size())]; }

  /// A known contact, or one that never existed, now and then.
  ContactId RandomContact() {
    if (contacts_.empty() || Roll(20) == 0) return ContactId(999'999);
    return Pick(contacts_);
  }

  void Apply(const Command& command) {
    std::vector<Event> events;
    absl::StatusOr<CommandResult> result = router_->Handle(command, now_, events);
    if (!result.ok()) {
      EXPECT_TRUE(events.empty()) << "a refused command must change nothing";
      return;
    }
    if (result->created) contacts_.push_back(result->contact);  // A create or a follow-up.
    Record(events);
  }

  void RandomStep() {
    const AgentConfig& agent = RandomAgent();
    const ContactId contact = RandomContact();
    switch (Roll(18)) {
      case 0:
      case 1: {
        const QueueConfig& queue = catalog_.queues[Roll(catalog_.queues.size())];
        CreateContact create{.details = {.tenant = queue.tenant,
                                         .external_id = "ext-" + std::to_string(Roll(400)),
                                         .origin = "gateway",
                                         .channel = Pick(queue.channels)},
                             .queue = queue.id};
        if (queue.tenant.value() == "acme" && Roll(2) == 0) {
          create.details.required_skills.push_back(
              {.skill = Roll(2) == 0 ? "billing" : "spanish", .level = 1 + Roll(10)});
        }
        if (Roll(4) == 0) create.priority = Roll(3);
        if (Roll(3) == 0) {
          const AgentConfig& preferred = RandomAgent();
          if (preferred.tenant == queue.tenant) create.details.preferred_agents = {preferred.id};
        }
        if (Roll(6) == 0) create.not_before = now_ + seconds(Roll(90));
        Apply(create);
        return;
      }
      case 2:
        if (Roll(3) == 0) {  // The post-call survey, for any contact, reached an agent or not.
          Apply(RecordSurvey{.tenant = agent.tenant, .contact = contact, .score = Roll(7)});
          return;
        }
        Apply(CancelContact{.tenant = agent.tenant, .contact = contact, .reason = "hang-up"});
        return;
      case 3: {
        const std::array<AgentPresence, 3> states = {
            AgentPresence::kReady, AgentPresence::kNotReady, AgentPresence::kLoggedOut};
        Apply(SetAgentState{
            .agent = agent.id, .presence = states[Roll(Roll(2) == 0 ? 1 : 3)], .reason = "break"});
        return;
      }
      case 4:
      case 5:
        Apply(AcceptOffer{.agent = HolderOr(contact, agent.id), .contact = contact});
        return;
      case 6:
        Apply(DeclineOffer{.agent = HolderOr(contact, agent.id), .contact = contact});
        return;
      case 7:
        Apply(CompleteContact{.agent = HolderOr(contact, agent.id), .contact = contact});
        return;
      case 8:
        Apply(SubmitWrapUp{.agent = HolderOr(contact, agent.id),
                           .contact = contact,
                           .disposition = Roll(10) == 0 ? "" : "resolved"});
        return;
      case 9:
        if (Roll(40) == 0) {  // The daemon restarted: every stream is gone.
          connections_.clear();
          Apply(Restarted{});
        } else if (connections_[agent.id] > 0 && Roll(2) == 0) {
          --connections_[agent.id];
          Apply(AgentConnection{.agent = agent.id, .connected = false});
        } else {
          ++connections_[agent.id];
          Apply(AgentConnection{.agent = agent.id, .connected = true});
        }
        return;
      case 10: {
        TransferContact transfer{
            .agent = HolderOr(contact, agent.id), .contact = contact, .reason = "wrong-queue"};
        if (Roll(2) == 0) {
          transfer.target = catalog_.queues[Roll(catalog_.queues.size())].id;
        } else {
          transfer.target = RandomAgent().id;
        }
        Apply(transfer);
        return;
      }
      case 11: {
        EscalateContact escalate{.agent = HolderOr(contact, agent.id),
                                 .contact = contact,
                                 .reason = Roll(10) == 0 ? "" : "complaint"};
        if (Roll(2) == 0) escalate.queue = catalog_.queues[Roll(catalog_.queues.size())].id;
        Apply(escalate);
        return;
      }
      case 12:
        Apply(ResolveEscalation{.tenant = agent.tenant,
                                .escalation = EscalationId(1 + Roll(40)),
                                .resolved_by = "supervisor",
                                .resolution = "sorted"});
        return;
      case 13: {
        ScheduleFollowUp follow_up{.agent = HolderOr(contact, agent.id),
                                   .contact = contact,
                                   .not_before = now_ + seconds(Roll(120)),
                                   .pinned = Roll(2) == 0,
                                   .channel = Roll(2) == 0 ? Channel::kEmail : Channel::kCallback};
        if (Roll(2) == 0) follow_up.pin_timeout = seconds(Roll(60));
        if (Roll(2) == 0) follow_up.queue = QueueId("acme.support");
        Apply(follow_up);
        return;
      }
      case 14: {
        const std::array<AgentPresence, 3> states = {
            AgentPresence::kReady, AgentPresence::kNotReady, AgentPresence::kLoggedOut};
        switch (Roll(4)) {
          case 0:
            Apply(UpdateContact{.tenant = agent.tenant,
                                .contact = contact,
                                .priority = Roll(4) == 0 ? 101 : Roll(5),
                                .set_attributes = {{"intent", "refund"}},
                                .by = "gateway"});
            return;
          case 1:
            Apply(MoveContact{.tenant = agent.tenant,
                              .contact = contact,
                              .queue = catalog_.queues[Roll(catalog_.queues.size())].id,
                              .by = "supervisor"});
            return;
          case 2:
            Apply(AssignContact{
                .tenant = agent.tenant, .contact = contact, .agent = agent.id, .by = "supervisor"});
            return;
          default:
            Apply(ForceAgentState{.tenant = agent.tenant,
                                  .agent = agent.id,
                                  .presence = states[Roll(3)],
                                  .reason = "coaching",
                                  .supervisor = "supervisor",
                                  .end_wrap_ups = Roll(2) == 0});
            return;
        }
      }
      default: {
        now_ += seconds(Roll(30));
        std::vector<Event> events;
        router_->AdvanceTo(now_, events);
        Record(events);
        return;
      }
    }
  }

  /// Mostly the agent the contact is with, so that actions succeed; sometimes `other`.
  AgentId HolderOr(ContactId contact, const AgentId& other) {
    std::optional<ContactView> view = router_->FindContact(contact);
    if (view && view->agent && Roll(5) != 0) return *view->agent;
    return other;
  }

  /// Today's events of each tenant, by kind, as the KPIs must count them (both tenants are on
  /// UTC, so today starts at UTC midnight).
  struct DayCounts {
    int offered = 0;
    int answered = 0;
    int abandoned = 0;
    int short_abandoned = 0;
    int handled = 0;
    int expired = 0;
    int surveys = 0;
  };

  void StartDayIfNeeded(Timestamp at) {
    const auto day = std::chrono::floor<std::chrono::days>(at);
    if (day == counting_day_) return;
    counting_day_ = day;
    day_counts_.clear();
  }

  void CountForKpis(const Event& event) {
    StartDayIfNeeded(event.at);
    DayCounts& counts = day_counts_[event.tenant];
    std::visit(
        [&](const auto& body) {
          using T = std::decay_t<decltype(body)>;
          if constexpr (std::is_same_v<T, ContactQueued>) {
            ++counts.offered;
          } else if constexpr (std::is_same_v<T, ContactAssigned>) {
            ++counts.answered;
          } else if constexpr (std::is_same_v<T, ContactAbandoned>) {
            ++counts.abandoned;
            if (body.short_abandon) ++counts.short_abandoned;
          } else if constexpr (std::is_same_v<T, ContactCompleted> ||
                               std::is_same_v<T, ContactTransferred> ||
                               std::is_same_v<T, ContactEscalated>) {
            ++counts.handled;
          } else if constexpr (std::is_same_v<T, ContactExpired>) {
            ++counts.expired;
          } else if constexpr (std::is_same_v<T, SurveyRecorded>) {
            ++counts.surveys;
          }
        },
        event.body);
  }

  /// What an agent is doing, from its presence and the states of the contacts it holds.
  Activity ExpectedActivity(const AgentView& agent) const {
    bool offered = false;
    bool wrap_up = false;
    for (ContactId id : agent.contacts) {
      const ContactState state = router_->FindContact(id)->state;
      if (state == ContactState::kConnected) return Activity::kBusy;
      wrap_up = wrap_up || state == ContactState::kWrapUp;
      offered = offered || state == ContactState::kOffered;
    }
    if (wrap_up) return Activity::kWrapUp;
    if (offered) return Activity::kReserved;
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

  void CheckKpis() {
    StartDayIfNeeded(now_);
    for (const TenantConfig& tenant : catalog_.tenants) {
      SCOPED_TRACE("tenant " + tenant.id.value());
      const DayCounts& expected = day_counts_[tenant.id];
      const PeriodFigures today = router_->TenantStatisticsOf(tenant.id, now_)->periods[0];
      EXPECT_EQ(today.offered, expected.offered);
      EXPECT_EQ(today.answered, expected.answered);
      EXPECT_EQ(today.abandoned, expected.abandoned);
      EXPECT_EQ(today.short_abandoned, expected.short_abandoned);
      EXPECT_EQ(today.handled, expected.handled);
      EXPECT_EQ(today.expired, expected.expired);
      EXPECT_EQ(today.surveys, expected.surveys);
      // The tenant's figures are its queues' and (for answers) its agents'.
      int queue_offered = 0;
      for (const QueueStatistics& queue : router_->QueueStatisticsOf(tenant.id, now_)) {
        queue_offered += queue.periods[0].offered;
      }
      EXPECT_EQ(queue_offered, expected.offered);
      int agent_answered = 0;
      for (const AgentStatistics& agent : router_->AgentStatisticsOf(tenant.id, now_)) {
        agent_answered += agent.periods[0].answered;
        EXPECT_EQ(agent.activity, ExpectedActivity(router_->FindAgent(agent.agent).value()))
            << agent.agent.value();
        Duration accounted{};
        for (Duration in : agent.periods[0].time_in) accounted += in;
        EXPECT_LE(accounted, now_ - std::chrono::floor<std::chrono::days>(now_))
            << agent.agent.value() << " has more time today than today has";
      }
      EXPECT_EQ(agent_answered, expected.answered);
    }
  }

  void Record(const std::vector<Event>& events) {
    for (const Event& event : events) {
      kinds_seen_.insert(event.body.index());
      std::visit(
          [&](const auto& body) {
            if constexpr (requires { body.contact; }) touched_this_step_.insert(body.contact);
          },
          event.body);
      CountForKpis(event);
      // Timers fire at their own time, never in the future and never out of order.
      EXPECT_LE(event.at, now_);
      EXPECT_GE(event.at, last_event_at_);
      last_event_at_ = event.at;
      if (const auto* assigned = std::get_if<ContactAssigned>(&event.body);
          assigned && assigned->auto_accepted) {
        offers_this_step_.emplace_back(assigned->contact, assigned->agent);
      }
      if (const auto* offer = std::get_if<OfferMade>(&event.body)) {
        offers_this_step_.emplace_back(offer->contact, offer->agent);
        EXPECT_FALSE(refused_[offer->contact].contains(offer->agent))
            << "contact " << offer->contact.value() << " offered again to " << offer->agent.value();
      } else if (const auto* rescinded = std::get_if<OfferRescinded>(&event.body)) {
        if (rescinded->reason == RescindReason::kDeclined ||
            rescinded->reason == RescindReason::kTimeout) {
          refused_[rescinded->contact].insert(rescinded->agent);
        }
      } else if (const auto* transferred = std::get_if<ContactTransferred>(&event.body)) {
        refused_[transferred->contact].insert(transferred->from_agent);
      } else if (const auto* escalated = std::get_if<ContactEscalated>(&event.body)) {
        refused_[escalated->contact].insert(escalated->from_agent);
      } else if (const auto* scheduled = std::get_if<ContactScheduled>(&event.body)) {
        scheduled_contacts_.insert(scheduled->contact);
      } else if (const auto* queued = std::get_if<ContactQueued>(&event.body)) {
        queued_contacts_.insert(queued->contact);
        moving_.erase(queued->contact);
      } else if (const auto* overflowed = std::get_if<ContactOverflowed>(&event.body)) {
        EXPECT_TRUE(moving_.insert(overflowed->contact).second);
      } else if (std::holds_alternative<ContactCompleted>(event.body) ||
                 std::holds_alternative<ContactAbandoned>(event.body) ||
                 std::holds_alternative<ContactExpired>(event.body)) {
        ++finished_;
      }
    }
  }

  const AgentConfig& ConfigOf(const AgentId& id) const {
    for (const AgentConfig& agent : catalog_.agents) {
      if (agent.id == id) return agent;
    }
    ADD_FAILURE() << "unknown agent " << id.value();
    return catalog_.agents.front();
  }

  static bool Qualifies(const AgentConfig& agent, const ContactView& contact) {
    for (const SkillLevel& need : contact.details.required_skills) {
      bool found = false;
      for (const SkillLevel& have : agent.skills) {
        found = found || (have.skill == need.skill && have.level >= need.level);
      }
      if (!found) return false;
    }
    return true;
  }

  void CheckInvariants() {
    SCOPED_TRACE("step " + std::to_string(step_));
    CheckKpis();
    std::map<AgentId, std::array<int, kChannelCount>> load;
    std::map<AgentId, std::set<std::uint64_t>> held;
    int live = 0;
    int finished = 0;
    for (ContactId id : contacts_) {
      std::optional<ContactView> view = router_->FindContact(id);
      if (!view) continue;  // Retention ran out; it finished long ago.
      switch (view->state) {
        case ContactState::kScheduled:
          ++live;
          EXPECT_FALSE(view->agent.has_value());
          EXPECT_EQ(view->queue_position, 0);
          EXPECT_TRUE(view->not_before.has_value());
          break;
        case ContactState::kQueued:
          ++live;
          EXPECT_FALSE(view->agent.has_value());
          EXPECT_GE(view->queue_position, 1);
          break;
        case ContactState::kOffered:
        case ContactState::kConnected:
        case ContactState::kWrapUp:
          ++live;
          ASSERT_TRUE(view->agent.has_value()) << "contact " << id.value();
          ++load[*view->agent][static_cast<std::size_t>(view->details.channel)];
          held[*view->agent].insert(id.value());
          EXPECT_EQ(view->offer_expires_at.has_value(), view->state == ContactState::kOffered);
          break;
        case ContactState::kCompleted:
        case ContactState::kAbandoned:
        case ContactState::kExpired:
          ++finished;
          break;
      }
    }
    EXPECT_LE(finished, finished_);
    std::set<ContactId> announced = queued_contacts_;
    announced.insert(scheduled_contacts_.begin(), scheduled_contacts_.end());
    EXPECT_EQ(announced.size(), contacts_.size())
        << "every created contact was queued or scheduled";
    EXPECT_TRUE(moving_.empty()) << "an overflow is followed by the contact's queued event";

    for (const AgentConfig& config : catalog_.agents) {
      const AgentView agent = router_->FindAgent(config.id).value();
      EXPECT_EQ(HeldIds(agent), held[config.id])
          << config.id.value() << " and its contacts disagree";
      int total = 0;
      for (std::size_t channel = 0; channel < kChannelCount; ++channel) {
        EXPECT_LE(load[config.id][channel], config.capacity[channel])
            << config.id.value() << " above capacity on channel " << channel;
        total += load[config.id][channel];
      }
      if (config.voice_exclusive && load[config.id][0] > 0) {
        EXPECT_EQ(total, load[config.id][0]) << config.id.value() << " has something beside a call";
      }
      EXPECT_EQ(agent.connections, connections_[config.id]);
      CheckNoEligibleContactWaits(config, agent, load[config.id]);
    }
  }

  static std::set<std::uint64_t> HeldIds(const AgentView& agent) {
    std::set<std::uint64_t> ids;
    for (ContactId id : agent.contacts) ids.insert(id.value());
    return ids;
  }

  /// The waiting contacts, by id.
  std::map<ContactId, ContactView> Waiting() const {
    std::map<ContactId, ContactView> waiting;
    for (ContactId id : contacts_) {
      std::optional<ContactView> view = router_->FindContact(id);
      if (view && view->state == ContactState::kQueued) waiting.emplace(id, *view);
    }
    return waiting;
  }

  Duration ThresholdOf(const QueueId& queue) const {
    for (const QueueConfig& config : catalog_.queues) {
      if (config.id == queue) return config.service_level_threshold;
    }
    ADD_FAILURE() << "unknown queue " << queue.value();
    return seconds(1);
  }

  /// The ordering rule for a freed agent: priority, then urgency (waited over the queue's
  /// threshold), then virtual start, then id.
  bool RoutesBefore(const ContactView& a, const ContactView& b, Timestamp at) const {
    if (a.priority != b.priority) return a.priority > b.priority;
    const long double urgency_a = static_cast<long double>((at - a.virtual_start).count()) *
                                  static_cast<long double>(ThresholdOf(b.queue).count());
    const long double urgency_b = static_cast<long double>((at - b.virtual_start).count()) *
                                  static_cast<long double>(ThresholdOf(a.queue).count());
    if (urgency_a != urgency_b) return urgency_a > urgency_b;
    if (a.virtual_start != b.virtual_start) return a.virtual_start < b.virtual_start;
    return a.id.value() < b.id.value();
  }

  /// An agent that freed up took the contact that routes first among those it could take: no
  /// contact that waited all through the step, on the same channel, for that agent, goes first.
  void CheckOrdering() {
    for (const auto& [contact, agent_id] : offers_this_step_) {
      const AgentConfig& agent = ConfigOf(agent_id);
      std::optional<std::vector<DecisionTrace>> decisions =
          router_->Explain(agent.tenant, contact, now_);
      ASSERT_TRUE(decisions.has_value());
      auto decision = std::find_if(decisions->rbegin(), decisions->rend(),
                                   [&](const DecisionTrace& d) { return d.chosen == agent_id; });
      ASSERT_NE(decision, decisions->rend()) << "an offer without its decision";
      if (decision->trigger != DecisionTrigger::kAgentAvailable) continue;
      auto before_step = waiting_before_.find(contact);
      if (before_step == waiting_before_.end()) continue;
      // As it was when taken: a step may have boosted it or moved it since the step began.
      ContactView taken = before_step->second;
      taken.priority = decision->effective_priority;
      taken.queue = decision->queue;
      for (const auto& [id, before] : waiting_before_) {
        // A contact something happened to in the step may not have been waiting at the time.
        if (id == contact || touched_this_step_.contains(id)) continue;
        std::optional<ContactView> after = router_->FindContact(id);
        if (!after || after->state != ContactState::kQueued) continue;
        const bool unchanged = after->priority == before.priority && after->queue == before.queue &&
                               after->details.channel == before.details.channel;
        if (!unchanged || before.details.channel != taken.details.channel) continue;
        if (std::find(agent.queues.begin(), agent.queues.end(), before.queue) ==
                agent.queues.end() ||
            !Qualifies(agent, before) || refused_[id].contains(agent_id)) {
          continue;
        }
        if (after->pinned_agent && *after->pinned_agent != agent_id) continue;
        const std::vector<AgentId>& preferred = before.details.preferred_agents;
        if ((before.preferred_until || after->preferred_until) &&
            std::find(preferred.begin(), preferred.end(), agent_id) == preferred.end()) {
          continue;
        }
        ++ordering_checks_;
        EXPECT_FALSE(RoutesBefore(before, taken, decision->at))
            << agent_id.value() << " took contact " << contact.value() << " while contact "
            << id.value() << " routes before it";
      }
    }
  }

  /// Work conservation: a ready agent with room never idles while a contact it may take waits.
  void CheckNoEligibleContactWaits(const AgentConfig& config, const AgentView& agent,
                                   const std::array<int, kChannelCount>& load) {
    if (agent.presence != AgentPresence::kReady || agent.offers_paused_until) return;
    int total = 0;
    for (int count : load) total += count;
    for (ContactId id : contacts_) {
      std::optional<ContactView> contact = router_->FindContact(id);
      if (!contact || contact->state != ContactState::kQueued) continue;
      if (std::find(config.queues.begin(), config.queues.end(), contact->queue) ==
          config.queues.end()) {
        continue;
      }
      const auto channel = static_cast<std::size_t>(contact->details.channel);
      bool room = load[channel] < config.capacity[channel];
      if (config.voice_exclusive) {
        room = room && (contact->details.channel == Channel::kVoice ? total == 0 : load[0] == 0);
      }
      if (!room || !Qualifies(config, *contact) || refused_[id].contains(config.id)) continue;
      if (contact->pinned_agent && *contact->pinned_agent != config.id) continue;
      const std::vector<AgentId>& preferred = contact->details.preferred_agents;
      if (contact->preferred_until &&
          std::find(preferred.begin(), preferred.end(), config.id) == preferred.end()) {
        continue;  // Held for its preferred agents a little longer.
      }
      ADD_FAILURE() << config.id.value() << " is ready with room while contact " << id.value()
                    << " it may take waits";
    }
  }

  std::mt19937_64 random_;
  Catalog catalog_;
  // 23:55 UTC: every sequence crosses midnight, when today's figures start again.
  Timestamp now_{seconds(1'700'006'100)};
  std::unique_ptr<Router> router_;
  std::vector<ContactId> contacts_;
  std::map<AgentId, int> connections_;
  std::map<ContactId, std::set<AgentId>> refused_;
  Timestamp last_event_at_{};
  std::set<ContactId> queued_contacts_;
  std::set<ContactId> scheduled_contacts_;
  /// Contacts that overflowed and have not been queued since.
  std::set<ContactId> moving_;
  std::int64_t finished_ = 0;
  int step_ = 0;
  std::set<std::size_t> kinds_seen_;
  std::map<ContactId, ContactView> waiting_before_;
  std::vector<std::pair<ContactId, AgentId>> offers_this_step_;
  std::set<ContactId> touched_this_step_;
  int ordering_checks_ = 0;
  std::chrono::sys_days counting_day_{};
  std::map<TenantId, DayCounts> day_counts_;
};

TEST(RouterInvariantsTest, RandomCommandSequencesKeepEveryInvariant) {
  std::vector<std::uint64_t> seeds;
  if (const char* chosen = std::getenv("ACD_ROUTER_SEED")) {
    seeds.push_back(std::strtoull(chosen, nullptr, 10));
  } else {
    for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) seeds.push_back(seed);
  }
  std::set<std::size_t> kinds_seen;
  int ordering_checks = 0;
  for (std::uint64_t seed : seeds) {
    SCOPED_TRACE("seed " + std::to_string(seed) +
                 " (replay: ACD_ROUTER_SEED=" + std::to_string(seed) + ")");
    Simulation simulation(seed);
    simulation.Run(kStepsPerSeed);
    if (::testing::Test::HasFailure()) return;
    kinds_seen.insert(simulation.kinds_seen().begin(), simulation.kinds_seen().end());
    ordering_checks += simulation.ordering_checks();
  }
  if (seeds.size() == kSeeds) {
    // The sequences reach every rule: each kind of event happened somewhere.
    EXPECT_EQ(kinds_seen.size(), std::variant_size_v<EventBody>);
    EXPECT_GT(ordering_checks, 200) << "the ordering check hardly ever had a pair to compare";
  }
}

}  // namespace
}  // namespace acd::routing
