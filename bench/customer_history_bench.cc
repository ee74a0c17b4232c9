// What carrying the customer's history costs an offer, with the cache full (20,000 customers,
// 3 interactions each, notes of 200 characters):
// - BM_OfferWithHistory: an agent's Offer event built as the event hub builds it, with the
//   customer's kept interactions copied in.
// - BM_OfferWithoutHistory: the same Offer without them (the cost before the cache).
// - BM_JournalInteraction: one ended interaction added to the cache, as each journal entry does.

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "acd/v1/agent_desk.pb.h"
#include "daemon/customer_history.h"
#include "daemon/proto_convert.h"

namespace acd::daemon {
namespace {

constexpr int kCustomers = 20'000;

routing::Catalog BenchCatalog() {
  routing::Catalog catalog;
  catalog.tenants.push_back({.id = routing::TenantId("t"), .display_name = "T"});
  catalog.queues.push_back({.id = routing::QueueId("q"),
                            .tenant = routing::TenantId("t"),
                            .channels = {routing::Channel::kVoice}});
  catalog.agents.push_back({.id = routing::AgentId("a"),
                            .tenant = routing::TenantId("t"),
                            .display_name = "Agent",
                            .queues = {routing::QueueId("q")}});
  return catalog;
}

std::string Customer(std::uint64_t n) {
  std::string id = "customer-";
  id += std::to_string(n % kCustomers);
  return id;
}

InteractionRow Row(std::uint64_t n) {
  return {.contact = n,
          .tenant = "t",
          .customer_id = Customer(n),
          .queue = "q",
          .agent = "a",
          .disposition = "resolved",
          .notes = std::string(200, 'n'),
          .started_at = routing::Timestamp(std::chrono::seconds(n)),
          .ended_at = routing::Timestamp(std::chrono::seconds(n + 60))};
}

struct Fixture {
  Fixture()
      : router(routing::Router::Create(BenchCatalog(), routing::Timestamp()).value()),
        history({.customers = kCustomers, .per_customer = 3}) {
    for (std::uint64_t n = 0; n < 3 * kCustomers; ++n) {
      history.Add(JournalRecord{.interactions = {Row(n)}}, *router);
    }
  }
  std::unique_ptr<routing::Router> router;
  CustomerHistory history;
};

v1::AgentEvent Offer(std::uint64_t n) {
  v1::AgentEvent event;
  v1::Offer& offer = *event.mutable_offer();
  offer.mutable_contact()->set_contact_id(std::to_string(n));
  offer.mutable_contact()->mutable_customer()->set_id(Customer(n));
  convert::ToProto(routing::Timestamp(std::chrono::seconds(n)), *offer.mutable_expires_at());
  return event;
}

void BM_OfferWithHistory(benchmark::State& state) {
  Fixture fixture;
  std::uint64_t n = 0;
  for (auto _ : state) {
    v1::AgentEvent event = Offer(n);
    fixture.history.CopyTo("t", Customer(n), *event.mutable_offer()->mutable_customer_history());
    benchmark::DoNotOptimize(event);
    n += 7919;  // Spread over the customers, as callers are.
  }
}
BENCHMARK(BM_OfferWithHistory);

void BM_OfferWithoutHistory(benchmark::State& state) {
  std::uint64_t n = 0;
  for (auto _ : state) {
    v1::AgentEvent event = Offer(n);
    benchmark::DoNotOptimize(event);
    n += 7919;
  }
}
BENCHMARK(BM_OfferWithoutHistory);

void BM_JournalInteraction(benchmark::State& state) {
  Fixture fixture;
  std::uint64_t n = 3 * kCustomers;
  for (auto _ : state) {
    state.PauseTiming();
    JournalRecord record{.interactions = {Row(n)}};
    state.ResumeTiming();
    fixture.history.Add(record, *fixture.router);
    n += 7919;
  }
}
BENCHMARK(BM_JournalInteraction);

}  // namespace
}  // namespace acd::daemon

BENCHMARK_MAIN();
