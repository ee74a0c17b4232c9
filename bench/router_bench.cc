// The routing core alone, on a simulated clock:
// - BM_ContactLifecycle: whole contact lifecycles (create, offer, accept, complete, wrap up).
// - BM_RoutingAtScale: routing decisions with 10,000 agents, 1,000 queues, 200 skills and
//   100,000 contacts waiting, with the latency of each decision and the memory per waiting
//   contact as counters.

#include <benchmark/benchmark.h>
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "routing/router.h"

namespace acd::routing {
namespace {

/// "prefix" followed by n. Built by appending: GCC 12 misreports `"literal" + std::string` under
/// -Wrestrict (GCC bug 105329).
std::string Numbered(std::string prefix, std::uint64_t n) {
  prefix += std::to_string(n);
  return prefix;
}

/// One tenant, `queues` queues, `agents` agents each in every queue, all skilled for "general".
Catalog BenchCatalog(int queues, int agents) {
  Catalog catalog;
  catalog.tenants.push_back({.id = TenantId("t"), .display_name = "T", .skills = {"general"}});
  std::vector<QueueId> queue_ids;
  for (int q = 0; q < queues; ++q) {
    queue_ids.emplace_back(Numbered("q", q));
    catalog.queues.push_back(
        {.id = queue_ids.back(), .tenant = TenantId("t"), .channels = {Channel::kVoice}});
  }
  for (int a = 0; a < agents; ++a) {
    catalog.agents.push_back({.id = AgentId(Numbered("a", a)),
                              .tenant = TenantId("t"),
                              .skills = {{"general", 5}},
                              .queues = queue_ids});
  }
  return catalog;
}

void BM_ContactLifecycle(benchmark::State& state) {
  const int agents = static_cast<int>(state.range(0));
  const int queues = static_cast<int>(state.range(1));
  Timestamp now{std::chrono::seconds(1'000'000)};
  std::unique_ptr<Router> router = Router::Create(BenchCatalog(queues, agents), now).value();
  std::vector<Event> events;
  for (int a = 0; a < agents; ++a) {
    (void)router->Handle(SetAgentState{.agent = AgentId(Numbered("a", a))}, now, events);
  }
  std::uint64_t next = 0;
  for (auto _ : state) {
    events.clear();
    now += std::chrono::milliseconds(1);
    const std::uint64_t n = next++;
    CreateContact create{.details = {.tenant = TenantId("t"),
                                     .external_id = std::to_string(n),
                                     .channel = Channel::kVoice,
                                     .required_skills = {{"general", 3}}},
                         .queue = QueueId(Numbered("q", n % queues))};
    const ContactId contact = router->Handle(create, now, events).value().contact;
    const AgentId agent = std::get<OfferMade>(events.back().body).agent;
    (void)router->Handle(AcceptOffer{.agent = agent, .contact = contact}, now, events);
    (void)router->Handle(CompleteContact{.agent = agent, .contact = contact}, now, events);
    (void)router->Handle(SubmitWrapUp{.agent = agent, .contact = contact, .disposition = "done"},
                         now, events);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["decisions_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ContactLifecycle)->Args({10, 1})->Args({100, 10})->Args({1000, 10});

constexpr int kScaleAgents = 10'000;
constexpr int kScaleQueues = 1'000;
constexpr int kScaleSkills = 200;
constexpr int kScaleWaiting = 100'000;
constexpr int kQueuesPerAgent = 3;

/// Queue q's contacts require skill q % kScaleSkills; each agent serves kQueuesPerAgent queues
/// with their skills and a few more.
Catalog ScaleCatalog(std::mt19937_64& random) {
  Catalog catalog;
  // Finished contacts are forgotten after a tenth of a second of the benchmark's clock (10,000
  // iterations), so that memory reaches a steady state as in a daemon that has run a while.
  catalog.finished_contact_retention = std::chrono::milliseconds(100);
  TenantConfig tenant{.id = TenantId("t"), .display_name = "T"};
  for (int k = 0; k < kScaleSkills; ++k) tenant.skills.push_back(Numbered("s", k));
  catalog.tenants.push_back(tenant);
  for (int q = 0; q < kScaleQueues; ++q) {
    catalog.queues.push_back({.id = QueueId(Numbered("q", q)),
                              .tenant = TenantId("t"),
                              .channels = {Channel::kVoice, Channel::kChat},
                              .service_level_threshold = std::chrono::seconds(10 + q % 50)});
  }
  std::uniform_int_distribution<int> queue_of(0, kScaleQueues - 1);
  std::uniform_int_distribution<int> skill_of(0, kScaleSkills - 1);
  std::uniform_int_distribution<int> level(5, 10);
  for (int a = 0; a < kScaleAgents; ++a) {
    AgentConfig agent{.id = AgentId(Numbered("a", a)), .tenant = TenantId("t")};
    std::vector<int> skills;
    for (int i = 0; i < kQueuesPerAgent; ++i) {
      const int q = queue_of(random);
      if (std::find(agent.queues.begin(), agent.queues.end(), catalog.queues[q].id) !=
          agent.queues.end()) {
        continue;
      }
      agent.queues.push_back(catalog.queues[q].id);
      skills.push_back(q % kScaleSkills);
    }
    for (int i = 0; i < 3; ++i) skills.push_back(skill_of(random));
    std::sort(skills.begin(), skills.end());
    skills.erase(std::unique(skills.begin(), skills.end()), skills.end());
    for (int k : skills) agent.skills.push_back({Numbered("s", k), level(random)});
    catalog.agents.push_back(agent);
  }
  return catalog;
}

CreateContact ScaleContact(std::uint64_t n, int queue) {
  return CreateContact{.details = {.tenant = TenantId("t"),
                                   .external_id = Numbered("c", n),
                                   .channel = Channel::kVoice,
                                   .required_skills = {{Numbered("s", queue % kScaleSkills), 5}}},
                       .queue = QueueId(Numbered("q", queue))};
}

/// Bytes allocated and not freed: from the heap's arenas and, for large blocks, mapped apart.
std::size_t HeapInUse() {
  const struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
}

double Percentile(std::vector<double>& samples, double fraction) {
  const auto rank = static_cast<std::size_t>(fraction * static_cast<double>(samples.size() - 1));
  std::nth_element(samples.begin(), samples.begin() + static_cast<std::ptrdiff_t>(rank),
                   samples.end());
  return samples[rank];
}

/// Every agent busy and 100,000 contacts waiting. Each iteration is two routing decisions: an
/// agent submits its wrap-up and is offered the next waiting contact of its queues, and a new
/// contact arrives (and waits, every agent being busy).
void BM_RoutingAtScale(benchmark::State& state) {
  std::mt19937_64 random(42);
  Timestamp now{std::chrono::seconds(1'000'000)};
  std::unique_ptr<Router> router = Router::Create(ScaleCatalog(random), now).value();
  std::vector<Event> events;
  std::uniform_int_distribution<int> queue_of(0, kScaleQueues - 1);
  std::uint64_t next = 0;

  const std::size_t heap_before = HeapInUse();
  for (int i = 0; i < kScaleWaiting + kScaleAgents; ++i) {
    now += std::chrono::microseconds(10);
    events.clear();  // As the daemon does once it has published them: only the router counts.
    (void)router->Handle(ScaleContact(next++, queue_of(random)), now, events).value();
  }
  const std::size_t heap_after = HeapInUse();

  // Agents go ready, take a contact each, and end it: all in wrap-up, 100,000 still waiting.
  std::vector<std::pair<AgentId, ContactId>> holding;
  for (int a = 0; a < kScaleAgents; ++a) {
    const AgentId agent(Numbered("a", a));
    events.clear();
    (void)router->Handle(SetAgentState{.agent = agent}, now, events);
    for (const Event& event : events) {
      if (const auto* offer = std::get_if<OfferMade>(&event.body)) {
        (void)router->Handle(AcceptOffer{.agent = agent, .contact = offer->contact}, now, events);
        (void)router->Handle(CompleteContact{.agent = agent, .contact = offer->contact}, now,
                             events);
        holding.emplace_back(agent, offer->contact);
        break;
      }
    }
  }

  std::vector<double> decision_ns;
  decision_ns.reserve(1 << 20);
  std::size_t turn = 0;
  for (auto _ : state) {
    now += std::chrono::microseconds(10);
    auto& [agent, contact] = holding[turn++ % holding.size()];
    events.clear();
    auto start = std::chrono::steady_clock::now();
    (void)router->Handle(SubmitWrapUp{.agent = agent, .contact = contact, .disposition = "done"},
                         now, events);
    auto stop = std::chrono::steady_clock::now();
    decision_ns.push_back(std::chrono::duration<double, std::nano>(stop - start).count());
    ContactId offered = contact;
    for (const Event& event : events) {
      if (const auto* offer = std::get_if<OfferMade>(&event.body)) offered = offer->contact;
    }
    (void)router->Handle(AcceptOffer{.agent = agent, .contact = offered}, now, events);
    (void)router->Handle(CompleteContact{.agent = agent, .contact = offered}, now, events);
    contact = offered;

    router->AdvanceTo(now, events);  // Timers, as the daemon's runner fires them (untimed).
    const CreateContact arrival = ScaleContact(next++, queue_of(random));
    start = std::chrono::steady_clock::now();
    (void)router->Handle(arrival, now, events);
    stop = std::chrono::steady_clock::now();
    decision_ns.push_back(std::chrono::duration<double, std::nano>(stop - start).count());
  }
  state.counters["decisions_per_s"] =
      benchmark::Counter(static_cast<double>(2 * state.iterations()), benchmark::Counter::kIsRate);
  if (!decision_ns.empty()) {
    // Decisions per second of time spent deciding: without the accepts, completions and timers
    // between them that the whole-cycle rate above includes.
    double deciding_ns = 0;
    for (double ns : decision_ns) deciding_ns += ns;
    state.counters["decisions_per_s_deciding"] =
        static_cast<double>(decision_ns.size()) * 1e9 / deciding_ns;
    state.counters["p50_us"] = Percentile(decision_ns, 0.5) / 1000;
    state.counters["p99_us"] = Percentile(decision_ns, 0.99) / 1000;
    state.counters["p999_us"] = Percentile(decision_ns, 0.999) / 1000;
  }
  state.counters["bytes_per_waiting_contact"] =
      static_cast<double>(heap_after - heap_before) / (kScaleWaiting + kScaleAgents);
}
BENCHMARK(BM_RoutingAtScale)->Unit(benchmark::kMicrosecond)->Iterations(200'000);

/// What a wallboard's tick asks the core for, in the tenant of BM_RoutingAtScale (1,000 queues,
/// 10,000 agents, all ready): `queues` queues' figures (1 or all 1,000) with the tenant's, and
/// with `members` their agents' figures too.
void BM_WallboardFigures(benchmark::State& state) {
  std::mt19937_64 random(42);
  Timestamp now{std::chrono::seconds(1'000'000)};
  const Catalog catalog = ScaleCatalog(random);
  std::unique_ptr<Router> router = Router::Create(catalog, now).value();
  std::vector<Event> events;
  for (const AgentConfig& agent : catalog.agents) {
    (void)router->Handle(SetAgentState{.agent = agent.id}, now, events);
  }
  const auto queues = static_cast<std::size_t>(state.range(0));
  const bool members = state.range(1) == 1;
  std::vector<QueueId> selection;
  for (std::size_t q = 0; q < queues; ++q) selection.push_back(catalog.queues[q].id);
  const TenantId tenant("t");
  for (auto _ : state) {
    now += std::chrono::seconds(1);
    benchmark::DoNotOptimize(router->QueueStatisticsOf(tenant, now, selection));
    benchmark::DoNotOptimize(router->TenantStatisticsOf(tenant, now));
    if (members) benchmark::DoNotOptimize(router->AgentStatisticsOf(tenant, now, selection));
  }
}
BENCHMARK(BM_WallboardFigures)
    ->ArgNames({"queues", "members"})
    ->Args({1, 0})
    ->Args({1000, 0})
    ->Args({1, 1})
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace acd::routing

BENCHMARK_MAIN();
