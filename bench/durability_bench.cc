// The cost of durability, on real SQLite files in a temporary directory:
// - BM_DurableCreates/SYNC/IN_FLIGHT: contact creates through the core runner, each counted once
//   its journal entry is durable, with IN_FLIGHT creates outstanding at a time (as many gateway
//   calls in flight); SYNC 1 is synchronous=FULL, 0 NORMAL. Counters give the group commits' mean
//   and largest batch.
// - BM_Restart/waiting:100000/snapshot:0|1: a daemon's start with 100,000 contacts waiting, from
//   a journal of 100,000 creates (0) or from a snapshot of them (1): open the store, rebuild,
//   return offers in flight.
// - BM_SnapshotExport/waiting:100000: the pause a snapshot costs the core strand (Export), with
//   the encoding time (on the writer's thread) and the snapshot's size as counters.

#include <benchmark/benchmark.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "daemon/clock.h"
#include "daemon/core_runner.h"
#include "daemon/journal_codec.h"
#include "daemon/journal_writer.h"
#include "daemon/recovery.h"
#include "daemon/sqlite_store.h"

namespace acd::daemon {
namespace {

constexpr int kQueues = 10;

routing::Catalog BenchCatalog() {
  routing::Catalog catalog;
  catalog.tenants.push_back({.id = routing::TenantId("t"), .display_name = "T"});
  for (int q = 0; q < kQueues; ++q) {
    std::string id = "q";
    id += std::to_string(q);
    catalog.queues.push_back({.id = routing::QueueId(id),
                              .tenant = routing::TenantId("t"),
                              .channels = {routing::Channel::kChat}});
  }
  return catalog;
}

routing::CreateContact Create(std::uint64_t n) {
  std::string external_id = "c";
  external_id += std::to_string(n);
  std::string queue = "q";
  queue += std::to_string(n % kQueues);
  return {.details = {.tenant = routing::TenantId("t"),
                      .external_id = std::move(external_id),
                      .origin = "gateway",
                      .channel = routing::Channel::kChat},
          .queue = routing::QueueId(std::move(queue))};
}

/// A fresh directory under the system's temporary one, removed with the object.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "acd-bench-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    path_ = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class NullSink final : public EventSink {
 public:
  void Publish(const std::vector<routing::Event>&, const routing::Router&) override {}
};

void BM_DurableCreates(benchmark::State& state) {
  const SqliteStoreOptions options{.synchronous = state.range(0) == 1 ? Synchronous::kFull
                                                                      : Synchronous::kNormal};
  const auto in_flight = static_cast<int>(state.range(1));
  TempDir dir;
  std::unique_ptr<SqliteStore> store = SqliteStore::Open(dir.path(), options).value();
  const SystemClock clock;
  NullSink sink;
  JournalWriter journal(*store, 1);
  CoreRunner core(routing::Router::Create(BenchCatalog(), clock.Now()).value(), clock, sink,
                  journal);
  journal.Start();
  core.Start();

  std::mutex mutex;
  std::condition_variable done;
  int outstanding = 0;
  std::uint64_t next = 0;
  for (auto _ : state) {
    {
      std::unique_lock lock(mutex);
      done.wait(lock, [&] { return outstanding < in_flight; });
      ++outstanding;
    }
    core.Post([&, command = Create(next++)](CoreRunner& runner) {
      if (!runner.Handle(command).ok()) std::abort();
      runner.WhenDurable([&](const absl::Status& durable) {
        if (!durable.ok()) std::abort();
        std::lock_guard lock(mutex);
        --outstanding;
        done.notify_one();
      });
    });
  }
  {
    std::unique_lock lock(mutex);
    done.wait(lock, [&] { return outstanding == 0; });
  }
  core.Stop();
  journal.Stop();
  const JournalWriter::Stats stats = journal.stats();
  state.SetItemsProcessed(state.iterations());
  state.counters["durable_creates_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["mean_batch"] = static_cast<double>(stats.entries) /
                                 static_cast<double>(std::max<std::uint64_t>(1, stats.commits));
  state.counters["largest_batch"] = static_cast<double>(stats.largest_batch);
}
BENCHMARK(BM_DurableCreates)
    ->ArgNames({"full", "in_flight"})
    ->Args({1, 1})
    ->Args({1, 64})
    ->Args({1, 512})
    ->Args({0, 1})
    ->Args({0, 512})
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

/// A store holding 100,000 creates (as many contacts waiting): in the journal alone, or (with
/// `snapshot`) in a snapshot taken after them.
void FillStore(const std::filesystem::path& dir, std::uint64_t waiting, routing::Timestamp origin,
               bool snapshot) {
  std::unique_ptr<SqliteStore> store = SqliteStore::Open(dir).value();
  if (!store->SetOrigin(origin).ok()) std::abort();
  std::vector<JournalRecord> records;
  for (std::uint64_t n = 0; n < waiting; ++n) {
    records.push_back({.sequence = n + 1,
                       .at = origin + std::chrono::milliseconds(n),
                       .command = EncodeCommand(Create(n))});
  }
  if (!store->Append(records).ok()) std::abort();
  if (!snapshot) return;
  NullSink sink;
  const Recovered recovered = Recover(*store, BenchCatalog(), sink, origin).value();
  const std::string bytes = EncodeSnapshot({.router = recovered.router->Export()});
  if (!store->SaveSnapshot(recovered.last_sequence, bytes).ok()) std::abort();
}

void BM_Restart(benchmark::State& state) {
  const auto waiting = static_cast<std::uint64_t>(state.range(0));
  const bool snapshot = state.range(1) == 1;
  TempDir dir;
  const routing::Timestamp origin = SystemClock().Now();
  FillStore(dir.path(), waiting, origin, snapshot);
  const routing::Catalog catalog = BenchCatalog();
  NullSink sink;
  for (auto _ : state) {
    std::unique_ptr<SqliteStore> store = SqliteStore::Open(dir.path()).value();
    Recovered recovered = Recover(*store, catalog, sink, origin).value();
    std::vector<routing::Event> events;
    if (!recovered.router->Handle(routing::Restarted{}, recovered.last_at, events).ok()) {
      std::abort();
    }
    if (recovered.router->ListQueues(routing::TenantId("t"), recovered.last_at).front().waiting ==
        0) {
      std::abort();
    }
    state.PauseTiming();
    recovered.router.reset();  // Freeing is not part of a start.
    state.ResumeTiming();
  }
}
BENCHMARK(BM_Restart)
    ->ArgNames({"waiting", "snapshot"})
    ->Args({100'000, 0})
    ->Args({100'000, 1})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

/// What a snapshot costs the core strand: exporting the state of 100,000 waiting contacts (the
/// encoding happens on the journal writer's thread, given as a counter with the size).
void BM_SnapshotExport(benchmark::State& state) {
  TempDir dir;
  const routing::Timestamp origin = SystemClock().Now();
  FillStore(dir.path(), static_cast<std::uint64_t>(state.range(0)), origin, /*snapshot=*/false);
  std::unique_ptr<SqliteStore> store = SqliteStore::Open(dir.path()).value();
  NullSink sink;
  const Recovered recovered = Recover(*store, BenchCatalog(), sink, origin).value();
  for (auto _ : state) {
    routing::RouterState exported = recovered.router->Export();
    benchmark::DoNotOptimize(exported);
  }
  const auto encode_start = std::chrono::steady_clock::now();
  const std::string bytes = EncodeSnapshot({.router = recovered.router->Export()});
  state.counters["encode_ms"] =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - encode_start)
          .count();
  state.counters["snapshot_mb"] = static_cast<double>(bytes.size()) / 1e6;
}
BENCHMARK(BM_SnapshotExport)
    ->ArgName("waiting")
    ->Arg(100'000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

}  // namespace
}  // namespace acd::daemon

BENCHMARK_MAIN();
