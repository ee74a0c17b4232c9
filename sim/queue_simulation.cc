#include "sim/queue_simulation.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <queue>
#include <string>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "routing/router.h"

// Returns the status of `expr` when it is an error.
#define ACD_SIM_RETURN_IF_ERROR(expr)                                 \
  do {                                                                \
    if (absl::Status status_ = (expr); !status_.ok()) return status_; \
  } while (false)

namespace acd::sim {
namespace {

using routing::AgentId;
using routing::ContactId;
using routing::Duration;
using routing::Timestamp;

const routing::TenantId kTenant("sim");
const routing::QueueId kQueue("sim.queue");
constexpr const char* kSkill = "skill";

absl::Status CheckConfig(const QueueSimulationConfig& config) {
  auto positive_distribution = [](const Distribution& distribution) {
    return distribution.mean_s > 0.0 &&
           (distribution.kind != Distribution::Kind::kLogNormal || distribution.cv > 0.0);
  };
  if (config.agents < 1) return absl::InvalidArgumentError("agents: must be at least 1");
  if (!(config.arrivals_per_s > 0.0)) {
    return absl::InvalidArgumentError("arrivals_per_s: must be positive");
  }
  if (!positive_distribution(config.handle)) {
    return absl::InvalidArgumentError("handle: mean (and cv) must be positive");
  }
  if (config.patience && !positive_distribution(*config.patience)) {
    return absl::InvalidArgumentError("patience: mean (and cv) must be positive");
  }
  if (config.service_level_threshold_s < 0.0) {
    return absl::InvalidArgumentError("service_level_threshold_s: must not be negative");
  }
  if (config.contacts < 1 || config.warm_up_contacts < 0) {
    return absl::InvalidArgumentError("contacts: must be at least 1, warm-up at least 0");
  }
  return absl::OkStatus();
}

Duration Seconds(double seconds) {
  return Duration(static_cast<std::int64_t>(std::llround(seconds * 1e6)));
}

routing::Catalog SimulationCatalog(const QueueSimulationConfig& config) {
  routing::Catalog catalog;
  catalog.tenants = {{.id = kTenant, .display_name = "Simulation", .skills = {kSkill}}};
  routing::QueueConfig queue{
      .id = kQueue, .tenant = kTenant, .channels = {routing::Channel::kVoice}};
  queue.service_level_threshold = Seconds(config.service_level_threshold_s);
  queue.short_abandon_threshold = Duration::zero();
  queue.offer_timeout = std::chrono::hours(24);
  queue.wrap_up.policy = routing::WrapUpPolicy::kNone;
  catalog.queues = {queue};
  for (int i = 0; i < config.agents; ++i) {
    routing::AgentConfig agent{.id = AgentId(absl::StrCat("agent-", i)),
                               .tenant = kTenant,
                               .skills = {{kSkill, 5}},
                               .queues = {kQueue}};
    agent.auto_accept[static_cast<std::size_t>(routing::Channel::kVoice)] = true;
    catalog.agents.push_back(std::move(agent));
  }
  // Forget finished contacts soon: the simulation keeps its own records.
  catalog.finished_contact_retention = std::chrono::seconds(1);
  return catalog;
}

struct Arrival {};
struct Completion {
  AgentId agent;
  ContactId contact;
};
struct Abandon {
  ContactId contact;
};
/// Something the simulated world does at a time; `order` breaks ties in the order of scheduling.
struct WorldEvent {
  Timestamp at;
  std::uint64_t order = 0;
  std::variant<Arrival, Completion, Abandon> what;
  bool operator>(const WorldEvent& other) const {
    return std::tie(at, order) > std::tie(other.at, other.order);
  }
};

/// A contact the router holds that has not reached an agent yet.
struct Waiting {
  Timestamp arrived;
  bool measured = false;
};

class Simulation {
 public:
  Simulation(const QueueSimulationConfig& config, std::unique_ptr<routing::Router> router,
             Timestamp start)
      : config_(config), router_(std::move(router)), random_(config.seed), now_(start) {}

  absl::StatusOr<QueueSimulationResult> Run() {
    const std::int64_t total = config_.warm_up_contacts + config_.contacts;
    for (int i = 0; i < config_.agents; ++i) {
      ACD_SIM_RETURN_IF_ERROR(
          Apply(routing::SetAgentState{.agent = AgentId(absl::StrCat("agent-", i)),
                                       .presence = routing::AgentPresence::kReady}));
    }
    Schedule(now_ + Seconds(random_.Exponential(1.0 / config_.arrivals_per_s)), Arrival{});
    while (!world_.empty() && (arrived_ < total || measured_pending_ > 0)) {
      WorldEvent next = world_.top();
      world_.pop();
      AccountBusyTime(next.at);
      now_ = next.at;
      router_->AdvanceTo(now_, events_);
      ACD_SIM_RETURN_IF_ERROR(Absorb());
      if (std::holds_alternative<Arrival>(next.what)) {
        ACD_SIM_RETURN_IF_ERROR(Arrive(total));
      } else if (const auto* completion = std::get_if<Completion>(&next.what)) {
        --busy_;
        ACD_SIM_RETURN_IF_ERROR(Apply(
            routing::CompleteContact{.agent = completion->agent, .contact = completion->contact}));
      } else if (const auto* abandon = std::get_if<Abandon>(&next.what)) {
        if (waiting_.contains(abandon->contact.value())) {
          ACD_SIM_RETURN_IF_ERROR(Apply(routing::CancelContact{
              .tenant = kTenant, .contact = abandon->contact, .reason = "patience"}));
        }
      }
    }
    return result_;
  }

 private:
  void Schedule(Timestamp at, std::variant<Arrival, Completion, Abandon> what) {
    world_.push(WorldEvent{.at = at, .order = next_order_++, .what = std::move(what)});
  }

  absl::Status Arrive(std::int64_t total) {
    const std::int64_t index = arrived_++;
    const bool measured = index >= config_.warm_up_contacts && index < total;
    if (index == config_.warm_up_contacts) window_start_ = now_;
    if (index == total - 1) window_end_ = now_;
    Schedule(now_ + Seconds(random_.Exponential(1.0 / config_.arrivals_per_s)), Arrival{});

    routing::CreateContact create{.details = {.tenant = kTenant,
                                              .external_id = absl::StrCat("c", index),
                                              .origin = "simulation",
                                              .channel = routing::Channel::kVoice,
                                              .required_skills = {{kSkill, 1}}},
                                  .queue = kQueue};
    absl::StatusOr<routing::CommandResult> created = router_->Handle(create, now_, events_);
    if (!created.ok()) return absl::InternalError("create refused: " + created.status().ToString());
    const ContactId contact = created->contact;
    waiting_[contact.value()] = Waiting{.arrived = now_, .measured = measured};
    if (measured) {
      ++result_.contacts;
      ++measured_pending_;
    }
    ACD_SIM_RETURN_IF_ERROR(Absorb());
    if (waiting_.contains(contact.value())) {
      // Nobody free took it at once: it waits.
      if (measured) ++result_.waited;
      if (config_.patience) {
        Schedule(now_ + Seconds(config_.patience->Sample(random_)), Abandon{contact});
      }
    }
    return absl::OkStatus();
  }

  absl::Status Apply(const routing::Command& command) {
    absl::StatusOr<routing::CommandResult> result = router_->Handle(command, now_, events_);
    if (!result.ok()) return absl::InternalError("command refused: " + result.status().ToString());
    return Absorb();
  }

  /// Reads what the router did since the last call.
  absl::Status Absorb() {
    for (const routing::Event& event : events_) {
      if (const auto* assigned = std::get_if<routing::ContactAssigned>(&event.body)) {
        auto found = waiting_.find(assigned->contact.value());
        if (found == waiting_.end()) return absl::InternalError("assigned an unknown contact");
        if (found->second.measured) {
          const double wait_s = std::chrono::duration<double>(now_ - found->second.arrived).count();
          ++result_.answered;
          result_.answered_wait_total_s += wait_s;
          if (wait_s <= config_.service_level_threshold_s) ++result_.answered_within_threshold;
          --measured_pending_;
        }
        waiting_.erase(found);
        ++busy_;
        Schedule(now_ + Seconds(config_.handle.Sample(random_)),
                 Completion{.agent = assigned->agent, .contact = assigned->contact});
      } else if (const auto* abandoned = std::get_if<routing::ContactAbandoned>(&event.body)) {
        auto found = waiting_.find(abandoned->contact.value());
        if (found == waiting_.end()) return absl::InternalError("abandoned an unknown contact");
        if (found->second.measured) {
          ++result_.abandoned;
          --measured_pending_;
        }
        waiting_.erase(found);
      }
    }
    events_.clear();
    return absl::OkStatus();
  }

  /// Adds the agents' busy time from the last event to `until`, within the measuring window.
  void AccountBusyTime(Timestamp until) {
    const Timestamp from = std::max(now_, window_start_.value_or(until));
    const Timestamp to = window_end_ ? std::min(until, *window_end_) : until;
    if (window_start_ && to > from) {
      const double span_s = std::chrono::duration<double>(to - from).count();
      result_.busy_agent_s += busy_ * span_s;
      result_.staffed_agent_s += config_.agents * span_s;
    }
  }

  const QueueSimulationConfig& config_;
  std::unique_ptr<routing::Router> router_;
  Random random_;
  Timestamp now_;
  std::vector<routing::Event> events_;
  std::priority_queue<WorldEvent, std::vector<WorldEvent>, std::greater<>> world_;
  std::uint64_t next_order_ = 0;
  absl::flat_hash_map<std::uint64_t, Waiting> waiting_;
  std::int64_t arrived_ = 0;
  std::int64_t measured_pending_ = 0;
  int busy_ = 0;
  std::optional<Timestamp> window_start_;
  std::optional<Timestamp> window_end_;
  QueueSimulationResult result_;
};

double Ratio(double numerator, double denominator) {
  return denominator > 0.0 ? numerator / denominator : 0.0;
}

}  // namespace

double QueueSimulationResult::WaitProbability() const {
  return Ratio(static_cast<double>(waited), static_cast<double>(contacts));
}
double QueueSimulationResult::AbandonRate() const {
  return Ratio(static_cast<double>(abandoned), static_cast<double>(contacts));
}
double QueueSimulationResult::AverageSpeedOfAnswer() const {
  return Ratio(answered_wait_total_s, static_cast<double>(answered));
}
double QueueSimulationResult::ServiceLevel() const {
  return Ratio(static_cast<double>(answered_within_threshold), static_cast<double>(answered));
}
double QueueSimulationResult::Occupancy() const { return Ratio(busy_agent_s, staffed_agent_s); }

absl::StatusOr<QueueSimulationResult> SimulateQueue(const QueueSimulationConfig& config) {
  if (absl::Status valid = CheckConfig(config); !valid.ok()) return valid;
  const Timestamp start{std::chrono::seconds(1'000'000)};
  absl::StatusOr<std::unique_ptr<routing::Router>> router =
      routing::Router::Create(SimulationCatalog(config), start);
  if (!router.ok()) return router.status();
  Simulation simulation(config, std::move(router).value(), start);
  return simulation.Run();
}

}  // namespace acd::sim

#undef ACD_SIM_RETURN_IF_ERROR
