#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "acd/v1/agent_desk.pb.h"
#include "acd/v1/intake.pb.h"
#include "acd/v1/supervision.pb.h"
#include "daemon/customer_history.h"
#include "daemon/event_log.h"
#include "daemon/event_sink.h"
#include "daemon/event_stream.h"
#include "routing/ids.h"
#include "routing/time.h"

namespace acd::daemon {

/// How much of each event sequence the hub keeps for clients that resume (the server keeps each
/// to at most half a stream's outbox).
struct EventRetention {
  /// An agent's events: a desktop that lost its connection for up to two minutes.
  Retention agent{.events = 256, .window = std::chrono::minutes(2)};
  /// A gateway's events, for all its contacts.
  Retention gateway{.events = 2048, .window = std::chrono::minutes(2)};
  /// A tenant's escalation feed: rarer events, a wallboard may be away longer.
  Retention escalation{.events = 1024, .window = std::chrono::hours(1)};
};

/// Fans the core's domain events out to the open streams: agent desktops get their offers,
/// assignments and state changes; gateways get the life of the contacts they created;
/// supervisors get their tenant's escalations. Each agent, each gateway (token name) and each
/// tenant's escalation feed has its own increasing sequence number, and its recent events are
/// kept (see EventRetention) so that a client can resume after a broken stream.
///
/// Thread affinity: the core strand, for every method.
class EventHub final : public EventSink {
 public:
  /// Offers carry the customer's history from `history`, which must outlive the hub.
  EventHub(EventRetention retention, CustomerHistory& history)
      : retention_(retention), history_(history) {}

  using AgentStream = EventStream<v1::AgentEvent>;
  using ContactStream = EventStream<v1::ContactEvent>;
  using EscalationStream = EventStream<v1::EscalationEvent>;
  using QueueSnapshotStream = EventStream<v1::QueueSnapshot>;

  /// Supervisor streams one tenant may have open of each kind (escalation feeds, queue watches).
  static constexpr std::size_t kMaxWatchesPerTenant = 64;

  void AddAgentStream(const routing::AgentId& agent, std::shared_ptr<AgentStream> stream);
  /// False when `stream` was not registered (it was refused before going live).
  bool RemoveAgentStream(const routing::AgentId& agent, const AgentStream* stream);

  /// What a gateway's watch sees.
  struct ContactScope {
    /// The gateway's token name: its own contacts are those created with it.
    std::string origin;
    routing::TenantId tenant;
    /// Only these of its own contacts; empty for all of them.
    std::vector<routing::ContactId> contact_ids;
    /// With `contact_ids` empty: also the tenant's contacts on these channels (bits by
    /// `routing::Channel`), whoever created them. Such a watch is numbered in the tenant's
    /// contact feed rather than in the gateway's own sequence.
    std::uint32_t include_channels = 0;

    bool UsesFeed() const { return contact_ids.empty() && include_channels != 0; }
  };

  /// Watches the contacts `scope` covers; with `wait_updates`, SendWaitUpdates tells it where
  /// its waiting contacts stand.
  void AddContactWatch(ContactScope scope, bool wait_updates, std::shared_ptr<ContactStream> stream,
                       const routing::Router& router);
  void RemoveContactWatch(const ContactStream* stream);
  /// Sends a `wait_updated` event (sequence 0: live only) for each waiting contact of a watch
  /// that asked for them whose place or estimated wait (in whole seconds) changed since the last
  /// one, or that has had none yet.
  void SendWaitUpdates(const routing::Router& router, routing::Timestamp now);

  /// Feeds the escalations of `tenant` raised and resolved from now on to `stream`: with a
  /// `team`, those its agents raised and every queue-step alert. RESOURCE_EXHAUSTED when the
  /// tenant has too many feeds open.
  absl::Status AddEscalationWatch(const routing::TenantId& tenant, std::string team,
                                  std::string token, std::shared_ptr<EscalationStream> stream);
  void RemoveEscalationWatch(const EscalationStream* stream);
  /// Whether a feed with `team` (empty: every team) gets `escalation`.
  static bool Wanted(const std::string& team, const v1::Escalation& escalation);
  std::uint64_t LastEscalationSequence(const routing::TenantId& tenant) const;

  /// Registers a queue watch (its snapshots are QueueWatch's), so that the tenant's limit and
  /// shutdown apply to it; RESOURCE_EXHAUSTED when the tenant has too many open.
  absl::Status AddQueueWatch(const routing::TenantId& tenant, std::string token,
                             std::shared_ptr<QueueSnapshotStream> stream);
  void RemoveQueueWatch(const QueueSnapshotStream* stream);

  /// The last sequence of the agent's events, for a desktop's picture to be current as of.
  std::uint64_t LastAgentSequence(const routing::AgentId& agent) const;
  /// What a stream resuming after `resume_after` missed, oldest first (nothing without one: live
  /// events only). OUT_OF_RANGE when that sequence was never issued or the events after it are
  /// no longer retained: the client re-reads the state and streams from 0.
  absl::StatusOr<std::vector<v1::AgentEvent>> MissedAgentEvents(
      const routing::AgentId& agent, std::optional<std::uint64_t> resume_after,
      routing::Timestamp now) const;
  /// As above, for a gateway's watch of `scope`: from the gateway's own sequence, or the
  /// tenant's contact feed for a watch that uses it.
  absl::StatusOr<std::vector<v1::ContactEvent>> MissedContactEvents(
      const ContactScope& scope, std::optional<std::uint64_t> resume_after,
      routing::Timestamp now) const;
  /// As above, for a tenant's escalation feed seen by `team` (empty: every team).
  absl::StatusOr<std::vector<v1::EscalationEvent>> MissedEscalationEvents(
      const routing::TenantId& tenant, const std::string& team,
      std::optional<std::uint64_t> resume_after, routing::Timestamp now) const;

  /// How many agents a message reached.
  struct Delivery {
    int delivered = 0;
    int not_connected = 0;
  };
  /// Sends a supervisor's message to the open streams of `agents`, outside their sequences.
  Delivery SendMessage(const std::vector<routing::AgentId>& agents,
                       const v1::SupervisorMessage& message, routing::Timestamp at);

  /// Streams open now, for metrics: agents' event streams, gateways' contact watches and
  /// supervisors' escalation and queue watches.
  std::size_t AgentStreamCount() const;
  std::size_t ContactWatchCount() const { return contact_watches_.size(); }
  std::size_t EscalationWatchCount() const { return escalation_watches_.size(); }
  std::size_t QueueWatchCount() const { return queue_watches_.size(); }

  /// Ends every stream, for shutdown.
  void CloseAll(const grpc::Status& status);
  /// Ends the streams opened with the tokens named `tokens` (gateways' watches, supervisors'
  /// feeds and wallboards) and the desktops of `agents` with `status`: their tokens were removed
  /// or their secrets rotated.
  void CloseStreamsOf(const std::vector<std::string>& tokens,
                      const std::vector<routing::AgentId>& agents, const grpc::Status& status);

  void Publish(const std::vector<routing::Event>& events, const routing::Router& router) override;
  /// Sequences and contact origins, sorted so that equal hubs save equal states.
  SinkState Save() const override;
  void Restore(const SinkState& state) override;
  /// Moves every sequence up to the next floor (a multiple of 2^32), and starts sequences
  /// created from now on there: see EventLog::SkipTo.
  void Started() override;

 private:
  /// What the hub remembers of a live contact, for events after it left the router.
  struct ContactOrigin {
    std::string origin;
    std::string external_id;
    routing::TenantId tenant;
    routing::Channel channel = routing::Channel::kVoice;
  };
  /// One event of a tenant's contact feed, with what decides who sees it.
  struct FeedEntry {
    v1::ContactEvent event;
    /// Its contact's creating gateway and channel when it happened.
    std::string origin;
    routing::Channel channel = routing::Channel::kVoice;

    std::uint64_t sequence() const { return event.sequence(); }
    void set_sequence(std::uint64_t sequence) { event.set_sequence(sequence); }
  };
  struct AgentChannel {
    EventLog<v1::AgentEvent> events;
    std::vector<std::shared_ptr<AgentStream>> streams;
  };
  struct ContactWatch {
    std::string origin;
    routing::TenantId tenant;
    /// Empty: every contact of `origin`.
    std::unordered_set<routing::ContactId> contact_ids;
    /// As ContactScope::include_channels.
    std::uint32_t include_channels = 0;
    std::shared_ptr<ContactStream> stream;
    bool wait_updates = false;
    /// With `wait_updates`: the contacts that may be waiting, and what was last told of each.
    std::unordered_set<routing::ContactId> maybe_waiting;
    std::unordered_map<routing::ContactId, routing::WaitView> told;
  };
  struct EscalationWatch {
    routing::TenantId tenant;
    std::string team;
    /// The token's name the feed was opened with.
    std::string token;
    std::shared_ptr<EscalationStream> stream;
  };
  struct QueueWatchEntry {
    routing::TenantId tenant;
    std::string token;
    std::shared_ptr<QueueSnapshotStream> stream;
  };

  void Dispatch(const routing::Event& event, const routing::Router& router);
  /// Remembers which gateway created `contact`, so that its events reach that gateway.
  void Track(routing::ContactId contact, const routing::Router& router);
  void ToAgent(const routing::AgentId& agent, const routing::Event& event, v1::AgentEvent message);
  void ToGateways(routing::ContactId contact, const routing::Event& event,
                  v1::ContactEvent message);
  void ToSupervisors(const routing::EscalationView& escalation, const routing::Event& event);

  std::unordered_map<routing::AgentId, AgentChannel> agents_;
  std::unordered_map<routing::ContactId, ContactOrigin> contacts_;
  /// Where a sequence starts (or jumps to) after the latest start.
  std::uint64_t Floor() const { return starts_ << 32; }
  AgentChannel& ChannelOf(const routing::AgentId& agent);
  EventLog<v1::ContactEvent>& GatewayLog(const std::string& origin);
  EventLog<FeedEntry>& ContactFeed(const routing::TenantId& tenant);
  /// Whether a feed watch by gateway `watcher` including `include_channels` sees an event of a
  /// contact created by `origin` on `channel`.
  static bool FeedWanted(const std::string& watcher, std::uint32_t include_channels,
                         const std::string& origin, routing::Channel channel);
  EventLog<v1::EscalationEvent>& EscalationLog(const routing::TenantId& tenant);

  const EventRetention retention_;
  CustomerHistory& history_;
  std::uint64_t starts_ = 0;
  /// The events sent per gateway origin.
  std::unordered_map<std::string, EventLog<v1::ContactEvent>> gateway_events_;
  /// Every contact event per tenant, for watches that include other gateways' contacts.
  std::unordered_map<routing::TenantId, EventLog<FeedEntry>> contact_feeds_;
  std::vector<ContactWatch> contact_watches_;
  /// Each tenant's escalation feed.
  std::unordered_map<routing::TenantId, EventLog<v1::EscalationEvent>> escalation_events_;
  std::vector<EscalationWatch> escalation_watches_;
  std::vector<QueueWatchEntry> queue_watches_;
};

}  // namespace acd::daemon
