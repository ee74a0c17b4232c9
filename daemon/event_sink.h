#pragma once

#include <vector>

#include "routing/event.h"
#include "routing/router.h"

namespace acd::daemon {

/// Receives the domain events of each command or timer tick, in order, on the core strand, while
/// the router still holds the state right after them (so a sink may look details up).
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void Publish(const std::vector<routing::Event>& events,
                       const routing::Router& router) = 0;
};

}  // namespace acd::daemon
