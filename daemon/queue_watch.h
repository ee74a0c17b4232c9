#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "daemon/core_runner.h"
#include "daemon/core_ticker.h"
#include "daemon/event_hub.h"
#include "daemon/queue_pictures.h"

namespace acd::daemon {

/// One Supervision.WatchQueues stream: a complete snapshot of the selected queues at once, then,
/// every `interval`, one if anything in it changed; each taken on the core strand in one short
/// step. A wallboard that stops reading is cut off by its stream's small outbox, never slowing
/// routing.
///
/// Thread affinity: the core strand, but for construction.
class QueueWatch : public std::enable_shared_from_this<QueueWatch> {
 public:
  using Stream = EventHub::QueueSnapshotStream;
  /// Snapshots a watch may have waiting for its client before it is cut off.
  static constexpr std::size_t kOutbox = 8;

  QueueWatch(CoreRunner& core, std::shared_ptr<Stream> stream, QueueSelection selection,
             std::chrono::milliseconds interval, bool include_agents);

  /// Sends the first snapshot and the next ones every interval.
  void Start();
  /// Ends the snapshots and lets go of the stream (once it is done).
  void Stop();

 private:
  void Send();

  CoreRunner& core_;
  std::shared_ptr<Stream> stream_;
  const QueueSelection selection_;
  const std::chrono::milliseconds interval_;
  const bool include_agents_;
  std::shared_ptr<CoreTicker> ticker_;
  std::uint64_t sequence_ = 0;
  /// The last snapshot sent, serialized without its sequence and time.
  std::string last_picture_;
};

}  // namespace acd::daemon
