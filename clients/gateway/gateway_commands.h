#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "clients/common/cli.h"
#include "clients/common/output.h"

namespace acd::clients::gateway {

// The subcommands of acd-gateway. Each returns the program's exit status: 0, or kExitFailure
// after printing the error.

/// What `create` sends. `skills` are NAME[:LEVEL] and `attributes` KEY=VALUE, both already
/// checked by the command line's validators.
struct CreateOptions {
  std::string queue;
  std::string channel;
  std::string external_id;
  std::vector<std::string> skills;
  std::optional<int> priority;
  std::string customer_id;
  std::string customer_name;
  std::string customer_tier;
  std::string language;
  std::vector<std::string> attributes;
  std::vector<std::string> preferred_agents;
};

/// Creates a contact and prints it with `created=true|false`.
int Create(const GlobalOptions& global, const CreateOptions& options, Output& output);

/// Cancels (abandons) a contact and prints it as it is afterwards.
int Cancel(const GlobalOptions& global, const std::string& contact_id, const std::string& reason,
           Output& output);

/// Records a customer's survey of a contact; prints `survey contact=... score=...`.
int Survey(const GlobalOptions& global, const std::string& contact_id, int score,
           const std::string& comment, Output& output);

/// Prints a contact.
int Get(const GlobalOptions& global, const std::string& contact_id, Output& output);

/// What `watch` watches.
struct WatchOptions {
  /// Empty: every contact created with this token.
  std::vector<std::string> contact_ids;
  /// Exit once every contact in `contact_ids` is over.
  bool until_done = false;
  bool wait_updates = false;
  std::optional<std::uint64_t> resume_after;
};

/// Prints `watching ...` once the stream is registered, then one `event ...` line per contact
/// event, until SIGINT or SIGTERM (exit 0), until the watched contacts are over with
/// `until_done` (exit 0), or until the stream fails (exit 1). Blocks SIGINT and SIGTERM: call
/// it before anything starts a thread.
int Watch(const GlobalOptions& global, const WatchOptions& options, Output& output);

/// Checks a --skill value, NAME or NAME:LEVEL; returns an error message, empty when valid.
std::string CheckSkill(const std::string& text);
/// Checks an --attr value, KEY=VALUE with a non-empty key; returns an error message, empty when
/// valid.
std::string CheckAttribute(const std::string& text);

}  // namespace acd::clients::gateway
