#pragma once

#include <chrono>

#include "routing/time.h"

namespace acd::daemon {

/// The one source of "now" for the daemon; tests substitute their own.
class Clock {
 public:
  virtual ~Clock() = default;
  /// Current wall-clock time. Any thread.
  virtual routing::Timestamp Now() const = 0;
};

/// The system's real-time clock.
class SystemClock final : public Clock {
 public:
  routing::Timestamp Now() const override {
    return std::chrono::time_point_cast<routing::Duration>(std::chrono::system_clock::now());
  }
};

}  // namespace acd::daemon
