#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "acd/v1/agent_desk.pb.h"
#include "acd/v1/intake.pb.h"
#include "daemon/event_stream.h"

namespace acd::clients::relay {

/// The whole state of the bare relay: the open streams and, for each contact between its create
/// and its end, which gateway token created it and which agent stream it was pushed to. No
/// routing (offers go round-robin to the agent streams open, whatever the agents are doing), no
/// storage, no validation beyond what the messages need.
///
/// Thread-safe: every method may be called from any gRPC thread; one mutex guards the state and
/// is held while pushing to streams (pushes never block).
class RelayHub {
 public:
  using AgentStream = daemon::EventStream<v1::AgentEvent>;
  using GatewayStream = daemon::EventStream<v1::ContactEvent>;

  /// Registers a desktop's stream; offers go to it in turn with the others.
  void AddAgent(const std::shared_ptr<AgentStream>& stream, std::string agent_id);
  /// Registers a gateway's stream: it gets the events of contacts created with `token`.
  void AddGateway(const std::shared_ptr<GatewayStream>& stream, std::string token);
  /// Forgets a stream (its call is over), at the hub's next operation: it may be called from a
  /// stream's reaction run inline while the hub pushes to it.
  void Remove(const AgentStream* stream);
  void Remove(const GatewayStream* stream);

  /// Takes a contact: fills `contact` (id, external id, queue, channel, skills, state OFFERED
  /// when an agent stream is open, QUEUED otherwise), tells the creating gateway it was queued
  /// and offered, and pushes the offer onto the next agent stream.
  void Create(const std::string& token, const v1::CreateContactRequest& request,
              v1::Contact& contact);
  /// The accept of an offer: fills `contact` (CONNECTED to the agent), tells the gateway which
  /// agent took it and the agent its assignment. False for an unknown contact.
  bool Accept(const std::string& contact_id, v1::Contact& contact);
  /// The end of an interaction (no wrap-up): the agent's stream and the gateway are told it is
  /// completed, and the contact is forgotten. False for an unknown contact.
  bool Complete(const std::string& contact_id, v1::Contact& contact);
  /// A hang-up: the gateway is told it was abandoned, the agent that the offer was rescinded.
  /// False for an unknown contact.
  bool Cancel(const std::string& contact_id, v1::Contact& contact);

 private:
  struct Agent {
    std::shared_ptr<AgentStream> stream;
    std::string id;
  };
  struct Gateway {
    std::shared_ptr<GatewayStream> stream;
    std::string token;
  };
  struct Contact {
    v1::Contact contact;
    std::string token;
    /// The agent stream it was offered to, or null.
    std::shared_ptr<AgentStream> agent;
  };

  /// Drops the streams Remove named. Called with `mu_` held.
  void Reap();
  void ToGateways(const std::string& token, v1::ContactEvent event);
  static void Push(AgentStream& stream, v1::AgentEvent event);

  std::mutex mu_;  // Guards everything below.
  std::vector<Agent> agents_;
  std::size_t next_agent_ = 0;
  std::vector<Gateway> gateways_;
  absl::flat_hash_map<std::string, Contact> contacts_;
  std::uint64_t next_contact_ = 0;
  std::uint64_t gateway_sequence_ = 0;
  std::uint64_t agent_sequence_ = 0;

  std::mutex dead_mu_;  // Guards the two lists below; taken after `mu_`, never before.
  std::vector<const AgentStream*> dead_agents_;
  std::vector<const GatewayStream*> dead_gateways_;
};

}  // namespace acd::clients::relay
