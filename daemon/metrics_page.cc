#include "daemon/metrics_page.h"

#include <unistd.h>

#include <fstream>
#include <future>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "daemon/core_runner.h"
#include "daemon/event_hub.h"
#include "daemon/rpc_metrics.h"

namespace acd::daemon {
namespace {

double Seconds(routing::Duration duration) {
  return std::chrono::duration<double>(duration).count();
}

std::uint64_t Count(int value) { return value < 0 ? 0 : static_cast<std::uint64_t>(value); }

/// One gauge family over every queue, `value` reading one summary.
template <typename Value>
void QueueGauge(PrometheusText& out, const CoreFigures& figures, std::string_view name,
                std::string_view help, Value value) {
  out.Family(name, "gauge", help);
  for (const routing::QueueSummary& queue : figures.queues) {
    if (std::optional<double> figure = value(queue)) {
      out.Sample(name, {{"tenant", queue.tenant.value()}, {"queue", queue.queue.value()}}, *figure);
    }
  }
}

/// One counter family over every queue.
template <typename Value>
void QueueCounter(PrometheusText& out, const CoreFigures& figures, std::string_view name,
                  std::string_view help, Value value) {
  out.Family(name, "counter", help);
  for (const routing::QueueSummary& queue : figures.queues) {
    out.Sample(name, {{"tenant", queue.tenant.value()}, {"queue", queue.queue.value()}},
               Count(value(queue)));
  }
}

}  // namespace

MetricsPage::MetricsPage(CoreRunner& core, const EventHub& hub, const JournalWriter& journal,
                         const RpcMetrics& rpcs, std::chrono::milliseconds core_timeout)
    : core_(core), hub_(hub), journal_(journal), rpcs_(rpcs), core_timeout_(core_timeout) {}

CoreFigures MetricsPage::TakeCoreFigures(CoreRunner& core, const EventHub& hub) {
  const routing::Router& router = core.router();
  return CoreFigures{.queues = router.QueueSummaries(core.Now()),
                     .tenants = router.TenantSummaries(),
                     .agent_streams = hub.AgentStreamCount(),
                     .contact_watches = hub.ContactWatchCount(),
                     .escalation_watches = hub.EscalationWatchCount(),
                     .queue_watches = hub.QueueWatchCount()};
}

absl::StatusOr<std::string> MetricsPage::Render() const {
  // Shared with the posted step, which may run after a timed-out wait has given up on it.
  auto answer = std::make_shared<std::promise<CoreFigures>>();
  std::future<CoreFigures> figures = answer->get_future();
  core_.Post([answer, &hub = hub_](CoreRunner& runner) {
    answer->set_value(TakeCoreFigures(runner, hub));
  });
  if (figures.wait_for(core_timeout_) != std::future_status::ready) {
    return absl::UnavailableError(
        absl::StrCat("the routing core did not answer within ", core_timeout_.count(), " ms"));
  }
  const CoreFigures core = figures.get();
  const ProcessFigures process{
      .journal = journal_.stats(),
      .storage_healthy = journal_.health().ok(),
      .other_streams = rpcs_.OpenStreamsExcept(
          {"/acd.v1.AgentDesk/StreamEvents", "/acd.v1.Intake/WatchContacts",
           "/acd.v1.Supervision/WatchEscalations", "/acd.v1.Supervision/WatchQueues"}),
      .resident_bytes = ResidentBytes()};
  PrometheusText out;
  WriteCore(core, out);
  WriteProcess(core, process, out);
  rpcs_.WriteTo(out);
  return out.Take();
}

void MetricsPage::WriteCore(const CoreFigures& figures, PrometheusText& out) {
  QueueGauge(out, figures, "acd_queue_waiting_contacts", "Contacts waiting in the queue.",
             [](const routing::QueueSummary& q) -> std::optional<double> { return q.waiting; });
  QueueGauge(out, figures, "acd_queue_longest_wait_seconds",
             "Age of the oldest waiting contact, from its virtual start; 0 when none waits.",
             [](const routing::QueueSummary& q) -> std::optional<double> {
               return Seconds(q.longest_wait);
             });
  out.Family("acd_queue_agents", "gauge",
             "The queue's members: busy (holding a contact), else ready or not-ready.");
  for (const routing::QueueSummary& queue : figures.queues) {
    const std::pair<std::string_view, int> states[] = {{"ready", queue.agents_ready},
                                                       {"busy", queue.agents_busy},
                                                       {"not-ready", queue.agents_not_ready}};
    for (const auto& [state, count] : states) {
      out.Sample(
          "acd_queue_agents",
          {{"tenant", queue.tenant.value()}, {"queue", queue.queue.value()}, {"state", state}},
          Count(count));
    }
  }
  QueueCounter(out, figures, "acd_queue_contacts_offered_total",
               "Contacts that started waiting in the queue today (since midnight in the tenant's "
               "time zone, when it starts again from 0).",
               [](const routing::QueueSummary& q) { return q.today.offered; });
  QueueCounter(out, figures, "acd_queue_contacts_answered_total",
               "Contacts of the queue assigned to an agent today.",
               [](const routing::QueueSummary& q) { return q.today.answered; });
  QueueCounter(out, figures, "acd_queue_contacts_abandoned_total",
               "Contacts that left the queue unanswered today, short abandons included.",
               [](const routing::QueueSummary& q) { return q.today.abandoned; });
  QueueGauge(out, figures, "acd_queue_service_level_ratio",
             "Today's answered within the service-level threshold over answered; absent before "
             "the first answer.",
             [](const routing::QueueSummary& q) { return q.today.service_level; });
  QueueGauge(out, figures, "acd_queue_average_speed_of_answer_seconds",
             "Today's mean wait to answer; absent before the first answer.",
             [](const routing::QueueSummary& q) -> std::optional<double> {
               if (!q.today.average_speed_of_answer) return std::nullopt;
               return Seconds(*q.today.average_speed_of_answer);
             });
  QueueGauge(out, figures, "acd_queue_average_handle_time_seconds",
             "Today's mean talk and wrap-up time per handled contact; absent before the first.",
             [](const routing::QueueSummary& q) -> std::optional<double> {
               if (!q.today.average_handle_time) return std::nullopt;
               return Seconds(*q.today.average_handle_time);
             });
  out.Family("acd_tenant_agents", "gauge", "The tenant's agents by what they are doing now.");
  for (const routing::TenantSummary& tenant : figures.tenants) {
    for (std::size_t a = 0; a < routing::kActivityCount; ++a) {
      out.Sample("acd_tenant_agents",
                 {{"tenant", tenant.tenant.value()},
                  {"state", routing::ActivityName(static_cast<routing::Activity>(a))}},
                 Count(tenant.agents[a]));
    }
  }
}

void MetricsPage::WriteProcess(const CoreFigures& core, const ProcessFigures& figures,
                               PrometheusText& out) {
  out.Family("acd_streams_open", "gauge",
             "Server streams open: agents' event streams, gateways' contact watches, "
             "supervisors' escalation and queue watches, others "
             "(health watches, reflection).");
  out.Sample("acd_streams_open", {{"kind", "agent_events"}},
             static_cast<std::uint64_t>(core.agent_streams));
  out.Sample("acd_streams_open", {{"kind", "contact_watches"}},
             static_cast<std::uint64_t>(core.contact_watches));
  out.Sample("acd_streams_open", {{"kind", "escalation_watches"}},
             static_cast<std::uint64_t>(core.escalation_watches));
  out.Sample("acd_streams_open", {{"kind", "queue_watches"}},
             static_cast<std::uint64_t>(core.queue_watches));
  out.Sample("acd_streams_open", {{"kind", "other"}},
             static_cast<std::uint64_t>(std::max<std::int64_t>(0, figures.other_streams)));

  const JournalWriter::Stats& journal = figures.journal;
  out.Family("acd_journal_pending_entries", "gauge", "Journal entries appended, not yet durable.");
  out.Sample("acd_journal_pending_entries", {}, journal.pending);
  out.Family("acd_journal_committed_entries_total", "counter",
             "Journal entries committed since the daemon started.");
  out.Sample("acd_journal_committed_entries_total", {}, journal.entries);
  out.Family("acd_journal_commits_total", "counter", "Journal transactions committed.");
  out.Sample("acd_journal_commits_total", {}, journal.commits);
  out.Family("acd_journal_largest_commit_entries", "gauge",
             "Most entries one journal transaction has taken since the daemon started.");
  out.Sample("acd_journal_largest_commit_entries", {},
             static_cast<std::uint64_t>(journal.largest_batch));
  out.Family("acd_journal_write_failures_total", "counter",
             "Journal commits that failed (each is retried).");
  out.Sample("acd_journal_write_failures_total", {}, journal.failures);
  out.Family("acd_snapshots_saved_total", "counter", "Snapshots of the state saved.");
  out.Sample("acd_snapshots_saved_total", {}, journal.snapshots);
  out.Family("acd_storage_healthy", "gauge",
             "1 while journal writes succeed, 0 while they fail (changes are refused).");
  out.Sample("acd_storage_healthy", {}, std::uint64_t{figures.storage_healthy ? 1u : 0u});
  if (figures.resident_bytes) {
    out.Family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
    out.Sample("process_resident_memory_bytes", {}, *figures.resident_bytes);
  }
}

std::optional<std::uint64_t> MetricsPage::ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  std::uint64_t size = 0;
  std::uint64_t resident = 0;
  if (!(statm >> size >> resident)) return std::nullopt;
  const long page = sysconf(_SC_PAGESIZE);
  if (page <= 0) return std::nullopt;
  return resident * static_cast<std::uint64_t>(page);
}

}  // namespace acd::daemon
