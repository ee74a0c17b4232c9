#pragma once

#include <string>

#include "clients/common/cli.h"
#include "clients/common/output.h"

namespace acd::clients::agent {

/// What `run` (and `watch`, with everything off) does besides printing events.
struct SessionOptions {
  /// Set the agent READY once the event stream is open.
  bool set_ready = false;
  /// Accept every offer, end it after `handle_seconds` and wrap it up with `disposition`.
  bool auto_accept = false;
  double handle_seconds = 0;
  std::string disposition = "resolved";
  std::string notes;
  /// When the stream breaks (the daemon restarted, the network dropped, the desktop fell
  /// behind), open it again, resuming after the last event printed, instead of exiting.
  bool reconnect = false;
};

/// Opens the agent's event stream and prints `connected` once the daemon has registered it,
/// then (with `set_ready`) `state state=ready ...`, then one line per event until SIGINT or
/// SIGTERM (exit 0) or until the stream fails (exit 1; with `reconnect`, it prints the error,
/// `reconnecting resume_after=N retry_in_ms=M` and tries again, printing `connected
/// resume_after=N` once back). Blocks SIGINT and SIGTERM: call it before anything starts a
/// thread.
int RunDeskSession(const GlobalOptions& global, const SessionOptions& options, Output& output);

}  // namespace acd::clients::agent
