#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "daemon/journal_writer.h"
#include "daemon/prometheus_text.h"
#include "routing/kpi.h"

namespace acd::daemon {

class CoreRunner;
class EventHub;
class RpcMetrics;

/// What /metrics reads from the routing core, copied in one step on its strand.
struct CoreFigures {
  std::vector<routing::QueueSummary> queues;
  std::vector<routing::TenantSummary> tenants;
  std::size_t agent_streams = 0;
  std::size_t contact_watches = 0;
  std::size_t escalation_watches = 0;
  std::size_t queue_watches = 0;
};

/// Everything else /metrics shows, read off the core's strand.
struct ProcessFigures {
  JournalWriter::Stats journal;
  bool storage_healthy = true;
  /// Streaming RPCs open other than those the event hub counts.
  std::int64_t other_streams = 0;
  std::optional<std::uint64_t> resident_bytes;
};

/// The /metrics page: takes the routing figures on the core's strand in one short step (one
/// pass over queues and agents, copying numbers and ids) while the HTTP thread waits for them
/// with a timeout, then formats them on the HTTP thread, so that formatting never holds routing.
///
/// Thread affinity: `Render` from one thread at a time (the HTTP thread).
class MetricsPage {
 public:
  /// Everything must outlive the page. `core_timeout` bounds the wait for the core.
  MetricsPage(CoreRunner& core, const EventHub& hub, const JournalWriter& journal,
              const RpcMetrics& rpcs, std::chrono::milliseconds core_timeout);

  /// The page. UNAVAILABLE when the core does not answer within the timeout (stopped, or busy
  /// with a long step such as a snapshot of a very large state).
  absl::StatusOr<std::string> Render() const;

  /// The routing families, for `figures`.
  static void WriteCore(const CoreFigures& figures, PrometheusText& out);
  /// The journal, storage, stream and process families.
  static void WriteProcess(const CoreFigures& core, const ProcessFigures& figures,
                           PrometheusText& out);
  /// Takes the routing figures. Core strand only.
  static CoreFigures TakeCoreFigures(CoreRunner& core, const EventHub& hub);
  /// This process's resident memory, from /proc; nullopt where that cannot be read.
  static std::optional<std::uint64_t> ResidentBytes();

 private:
  CoreRunner& core_;
  const EventHub& hub_;
  const JournalWriter& journal_;
  const RpcMetrics& rpcs_;
  const std::chrono::milliseconds core_timeout_;
};

}  // namespace acd::daemon
