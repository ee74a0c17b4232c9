#pragma once

#include <string>
#include <vector>

#include "clients/common/cli.h"
#include "clients/common/output.h"

namespace acd::clients::acdctl {

// The subcommands that change the floor: each calls one Supervision RPC and prints what it
// changed as one line (`contact ...`, `agent ...`, `broadcast ...`). Each returns the program's
// exit status: 0, or kExitFailure after printing the error.

/// MoveContact: the contact to `queue_id`, keeping its place in time.
int MoveContact(const GlobalOptions& global, const std::string& contact_id,
                const std::string& queue_id, Output& output);

/// SetContactPriority.
int SetContactPriority(const GlobalOptions& global, const std::string& contact_id, int priority,
                       Output& output);

/// AssignContact: offers the contact to `agent_id` now.
int AssignContact(const GlobalOptions& global, const std::string& contact_id,
                  const std::string& agent_id, Output& output);

/// LogOutAgent.
int LogOutAgent(const GlobalOptions& global, const std::string& agent_id, const std::string& reason,
                Output& output);

/// Who a broadcast is for: a team, chosen agents, or (both empty) the whole tenant.
struct BroadcastOptions {
  std::string text;
  std::string team;
  std::vector<std::string> agent_ids;
  bool urgent = false;
};

/// BroadcastMessage; prints `broadcast delivered=N not_connected=M`.
int Broadcast(const GlobalOptions& global, const BroadcastOptions& options, Output& output);

}  // namespace acd::clients::acdctl
