#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

namespace acd::clients::agent {

/// Runs tasks one at a time on a thread of its own, in the order they fall due (and, at equal
/// times, in the order they were posted). State touched only by its tasks needs no lock.
class SerialQueue {
 public:
  using Task = std::function<void()>;
  using Clock = std::chrono::steady_clock;

  /// Starts the thread.
  SerialQueue();
  /// Calls Shutdown().
  ~SerialQueue();

  SerialQueue(const SerialQueue&) = delete;
  SerialQueue& operator=(const SerialQueue&) = delete;

  /// Runs `task` once the tasks due before it are done. Any thread; dropped after Shutdown.
  void Post(Task task) { PostAfter(Clock::duration::zero(), std::move(task)); }

  /// Runs `task` no earlier than `delay` from now. Any thread; dropped after Shutdown.
  void PostAfter(Clock::duration delay, Task task);

  /// Drops the tasks not started yet, waits for the one running and stops the thread. Any
  /// thread but the queue's own; idempotent.
  void Shutdown();

 private:
  void Loop();

  std::mutex mu_;  // Guards the fields below.
  std::condition_variable wake_;
  /// Pending tasks by (due time, post order).
  std::map<std::pair<Clock::time_point, std::uint64_t>, Task> tasks_;
  std::uint64_t next_order_ = 0;
  bool stopping_ = false;

  std::thread thread_;  // Last: it starts once the fields above exist.
};

}  // namespace acd::clients::agent
