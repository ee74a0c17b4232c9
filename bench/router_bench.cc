// Throughput of the routing core alone: whole contact lifecycles (create, offer, accept, complete,
// wrap up) through Router::Handle on a simulated clock.

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <memory>
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

}  // namespace
}  // namespace acd::routing

BENCHMARK_MAIN();
