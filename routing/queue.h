#pragma once

#include <string>
#include <vector>

#include "routing/catalog.h"
#include "routing/ids.h"
#include "routing/time.h"

namespace acd::routing {

/// A copy of one queue's live state, for answering queries outside the core.
struct QueueView {
  QueueId id;
  TenantId tenant;
  std::string display_name;
  std::vector<Channel> channels;
  double service_level_target = 0.0;
  Duration service_level_threshold{};
  int waiting = 0;
  /// Age (from the virtual start) of the oldest waiting contact; zero when none waits.
  Duration longest_wait{};
  int agents_ready = 0;
  /// Members holding at least one contact.
  int agents_busy = 0;
  int agents_not_ready = 0;
};

}  // namespace acd::routing
