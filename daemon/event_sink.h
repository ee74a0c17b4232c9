#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "routing/event.h"
#include "routing/router.h"

namespace acd::daemon {

/// What a sink remembers from the events it was given that must outlive a restart: the sequence
/// numbers it issued and where each live contact came from. Saved with the router's state in a
/// snapshot.
struct SinkState {
  struct ContactOrigin {
    routing::ContactId contact;
    /// The creating gateway's token name, and its id for the contact.
    std::string origin;
    std::string external_id;
    /// Since snapshot version 3; empty and voice in older ones.
    routing::TenantId tenant;
    routing::Channel channel = routing::Channel::kVoice;
  };
  std::vector<std::pair<routing::AgentId, std::uint64_t>> agent_sequences;
  std::vector<std::pair<std::string, std::uint64_t>> gateway_sequences;
  std::vector<ContactOrigin> contacts;
  std::vector<std::pair<routing::TenantId, std::uint64_t>> escalation_sequences;
  /// Tenants' contact feeds (watches including other gateways' contacts); since version 3.
  std::vector<std::pair<routing::TenantId, std::uint64_t>> contact_feed_sequences;
  /// Daemon starts so far: each one moves every sequence up to a new floor.
  std::uint64_t starts = 0;
};

/// Receives the domain events of each command or timer tick, in order, on the core strand, while
/// the router still holds the state right after them (so a sink may look details up).
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void Publish(const std::vector<routing::Event>& events,
                       const routing::Router& router) = 0;
  /// For a snapshot, and back from one; a sink that remembers nothing keeps the defaults.
  virtual SinkState Save() const { return {}; }
  virtual void Restore(const SinkState& /*state*/) {}
  /// A daemon start (the journal's `Restarted` step, run live or replayed), before its events.
  virtual void Started() {}
};

}  // namespace acd::daemon
