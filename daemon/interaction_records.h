#pragma once

#include <vector>

#include "daemon/store.h"
#include "routing/event.h"
#include "routing/router.h"

namespace acd::daemon {

/// Adds to `record` the interaction records `events` make: a timeline row for every event about a
/// contact (the escalation chain included), and an interaction row for every part of a contact
/// that ended (completed, abandoned, expired, transferred, escalated), and a survey row for every
/// survey recorded. `router` holds the state
/// right after the events. Notes go to interaction rows only, never to the timeline's details.
void AddInteractionRecords(const std::vector<routing::Event>& events, const routing::Router& router,
                           JournalRecord& record);

}  // namespace acd::daemon
