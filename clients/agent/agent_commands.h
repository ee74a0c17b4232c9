#pragma once

#include <string>

#include "clients/common/cli.h"
#include "clients/common/output.h"

namespace acd::clients::agent {

// The one-shot subcommands of acd-agent, acting as the token's agent. Each returns the program's
// exit status: 0, or kExitFailure after printing the error.

/// Sets the agent's state ("ready", "not-ready", "logged-out"); prints `state state=...
/// reason=...`.
int SetState(const GlobalOptions& global, const std::string& state, const std::string& reason,
             Output& output);

/// Accepts an offer; prints the contact, now connected.
int Accept(const GlobalOptions& global, const std::string& contact_id, Output& output);

/// Declines an offer; prints `declined contact=...`.
int Decline(const GlobalOptions& global, const std::string& contact_id, const std::string& reason,
            Output& output);

/// Ends a connected interaction; prints the contact, now in wrap-up (or completed).
int Complete(const GlobalOptions& global, const std::string& contact_id, Output& output);

/// Prints the past interactions of the customer of a contact the agent holds, newest first: one
/// `interaction ...` line each, then `history customer=... next_page_token=...`.
int History(const GlobalOptions& global, const std::string& contact_id, int page_size,
            const std::string& page_token, Output& output);

/// Finishes wrap-up; prints the contact, now completed.
int WrapUp(const GlobalOptions& global, const std::string& contact_id,
           const std::string& disposition, const std::string& notes, Output& output);

}  // namespace acd::clients::agent
