#include "clients/agent/serial_queue.h"

#include <utility>

namespace acd::clients::agent {

SerialQueue::SerialQueue() : thread_([this] { Loop(); }) {}

SerialQueue::~SerialQueue() { Shutdown(); }

void SerialQueue::PostAfter(Clock::duration delay, Task task) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    tasks_.emplace(std::pair(Clock::now() + delay, next_order_++), std::move(task));
  }
  wake_.notify_one();
}

void SerialQueue::Shutdown() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    tasks_.clear();
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void SerialQueue::Loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (tasks_.empty()) {
      wake_.wait(lock);
      continue;
    }
    const auto next = tasks_.begin();
    if (next->first.first > Clock::now()) {
      wake_.wait_until(lock, next->first.first);
      continue;
    }
    Task task = std::move(next->second);
    tasks_.erase(next);
    lock.unlock();
    task();
    lock.lock();
  }
}

}  // namespace acd::clients::agent
