#pragma once

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "routing/time.h"

namespace acd::routing {

/// Conversions between the core's instants and a time zone's calendar. Pure: the zone's rules come
/// in with the `absl::TimeZone`, loaded by whoever built the catalog.

absl::Time ToAbslTime(Timestamp at);
Timestamp FromAbslTime(absl::Time at);

/// The local date and time of `at` in `zone`.
absl::CivilSecond ToLocal(Timestamp at, const absl::TimeZone& zone);

/// The instant a local time first happens in `zone`. A local time skipped by a daylight-saving
/// jump maps to the instant of the jump (an opening at 02:30 on a day that skips 02:00-03:00
/// happens at 03:00).
Timestamp FromLocal(absl::CivilSecond local, const absl::TimeZone& zone);

/// The first local midnight in `zone` strictly after `at`.
Timestamp NextLocalMidnight(Timestamp at, const absl::TimeZone& zone);

}  // namespace acd::routing
