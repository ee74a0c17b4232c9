#pragma once

#include <chrono>

namespace acd::routing {

/// Durations in the core are microseconds.
using Duration = std::chrono::microseconds;

/// Wall-clock instants (business hours and reports need the calendar). The core never reads a
/// clock: every instant comes in as an argument.
using Timestamp = std::chrono::sys_time<Duration>;

}  // namespace acd::routing
