#pragma once

#include <string>

#include "clients/common/cli.h"
#include "clients/common/output.h"

namespace acd::clients::acdctl {

// The subcommands of acdctl, for supervisors. Each returns the program's exit status: 0, or
// kExitFailure after printing the error.

/// Prints the tenant's queues as a table: id, name, waiting, longest wait, agents ready, busy
/// and not ready.
int ListQueues(const GlobalOptions& global, Output& output);

/// Which agents `agents` lists; empty fields match every agent.
struct AgentFilter {
  std::string queue;
  std::string team;
  std::string state;
};

/// Prints the tenant's agents as a table: id, name, team, state, reason, contacts held and
/// whether a desktop is connected.
int ListAgents(const GlobalOptions& global, const AgentFilter& filter, Output& output);

}  // namespace acd::clients::acdctl
