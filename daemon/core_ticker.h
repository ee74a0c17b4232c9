#pragma once

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <utility>

#include "daemon/core_runner.h"

namespace acd::daemon {

/// Runs a step on the core strand at once and then every `interval`, until stopped: the clock
/// behind wallboards and gateways' wait updates.
///
/// Thread affinity: the core strand, but for construction.
class CoreTicker : public std::enable_shared_from_this<CoreTicker> {
 public:
  CoreTicker(CoreRunner& core, std::chrono::milliseconds interval, std::function<void()> step)
      : interval_(interval), step_(std::move(step)), timer_(core.executor()) {}

  /// Runs the step now and arms the timer for the next time.
  void Start() {
    step_();
    Arm();
  }

  /// No step after this; lets go of the step and what it holds.
  void Stop() {
    step_ = nullptr;
    timer_.cancel();
  }

 private:
  void Arm() {
    timer_.expires_after(interval_);
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
      if (error || !self->step_) return;
      self->step_();
      self->Arm();
    });
  }

  const std::chrono::milliseconds interval_;
  std::function<void()> step_;
  boost::asio::steady_timer timer_;
};

}  // namespace acd::daemon
