#pragma once

#include <chrono>
#include <set>
#include <string>

#include "acd/v1/agent_desk.grpc.pb.h"
#include "clients/agent/serial_queue.h"
#include "clients/common/connection.h"
#include "clients/common/output.h"

namespace acd::clients::agent {

/// A simulated agent: accepts every offer, ends each interaction after a fixed handling time and
/// submits wrap-up with a fixed disposition. It is driven by the agent's events, so contacts
/// that end differently (the customer hangs up, an offer is rescinded) are simply followed.
///
/// Its calls run on a SerialQueue of its own, so the thread reading the event stream never
/// waits for them; failures are printed and the agent carries on with its next contact.
class DeskAutomation {
 public:
  struct Options {
    /// Time between accepting a contact and ending the interaction.
    std::chrono::milliseconds handle_time{0};
    /// Disposition code and notes submitted with each wrap-up.
    std::string disposition = "resolved";
    std::string notes;
  };

  /// `desk`, `connection` and `output` must outlive the automation.
  DeskAutomation(v1::AgentDesk::Stub& desk, const Connection& connection, Output& output,
                 Options options);
  /// Calls Shutdown().
  ~DeskAutomation();

  DeskAutomation(const DeskAutomation&) = delete;
  DeskAutomation& operator=(const DeskAutomation&) = delete;

  /// Reacts to one of the agent's events: offer -> accept; assigned -> end the interaction
  /// after the handling time; wrap-up started -> submit wrap-up. Any thread; returns at once.
  void OnEvent(const v1::AgentEvent& event);

  /// Drops the work not started yet and waits for the call in flight (bounded by its
  /// deadline). Idempotent.
  void Shutdown() { queue_.Shutdown(); }

 private:
  // Each runs on queue_.
  void Accept(const std::string& contact_id);
  void Complete(const std::string& contact_id);
  void SubmitWrapUp(const std::string& contact_id);

  v1::AgentDesk::Stub& desk_;
  const Connection& connection_;
  Output& output_;
  const Options options_;
  /// Contacts connected to the agent that it has not ended yet. Touched on queue_ only.
  std::set<std::string> connected_;
  /// Last member: destroyed (its thread stopped) before the state its tasks use.
  SerialQueue queue_;
};

}  // namespace acd::clients::agent
