#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "daemon/authenticator.h"
#include "daemon/daemon_config.h"
#include "daemon/event_hub.h"

namespace acd::daemon {

class CoreRunner;

/// A problem found in a configuration document.
struct ConfigProblem {
  /// 1-based; 0 when it concerns the whole document.
  int line = 0;
  int column = 0;
  std::string message;
};

/// The problem a failed ParseConfig or LoadConfigFile reports ("SOURCE:LINE:COLUMN: what"), with
/// its place split out of the message when it has one.
ConfigProblem ProblemOf(const absl::Status& status, std::string_view source);

/// One entity that differs between two configurations.
struct ConfigChange {
  enum class Type { kAdded, kChanged, kRemoved };
  Type type = Type::kAdded;
  /// "tenant", "skill", "queue", "agent" or "token".
  std::string kind;
  /// Empty for tenants and global admin tokens.
  std::string tenant;
  std::string id;
};

/// What changes from `from` to `to`: tenants, skills, queues, agents, then tokens, each in the
/// order of the document that has them.
std::vector<ConfigChange> DiffConfigs(const DaemonConfig& from, const DaemonConfig& to);

/// OK when `config` holds together as a whole: its catalog (FAILED_PRECONDITION for a reference
/// to what it lacks, INVALID_ARGUMENT for anything else) and its tokens (unique names and
/// secrets, an existing tenant for all but global admins, an existing agent of that tenant for
/// agent tokens). A loaded file always does; an admin's change is checked with this.
absl::Status CheckConfig(const DaemonConfig& config);

/// What a reload did, or would do.
struct ReloadOutcome {
  /// Not OK when the reload could not be tried: FAILED_PRECONDITION (no configuration file, a
  /// reload already in progress) or UNAVAILABLE (the file cannot be read, storage failing).
  absl::Status status;
  bool applied = false;
  /// Why it was not applied: the file's first error, or what live state still needs.
  std::vector<ConfigProblem> problems;
  /// What it changed, or would have.
  std::vector<ConfigChange> changes;
  /// What the file defines, when it could be read.
  std::shared_ptr<const DaemonConfig> read;
};

/// The configuration in force, and its reload from the file (SIGHUP, Admin.ReloadConfig): the
/// file is read and checked whole, the routing core takes the new catalog with every contact
/// and agent state carried over (or refuses, naming what live state needs), and the tokens are
/// swapped. A file with an error changes nothing.
///
/// Thread affinity: any.
class LiveConfig {
 public:
  /// `path` is the file `initial` was read from, empty when there is none; `authenticator`,
  /// `core` and `hub` must outlive this. Streams opened with a token a change removes, or whose
  /// secret it changes, end with UNAUTHENTICATED.
  LiveConfig(std::string path, std::shared_ptr<const DaemonConfig> initial,
             Authenticator& authenticator, CoreRunner& core, EventHub& hub);

  const std::string& path() const { return path_; }
  std::shared_ptr<const DaemonConfig> Current() const;

  /// Re-reads the file (on the caller's thread) and applies it, or with `dry_run` only checks
  /// it; calls `done` with the outcome once an applied change is durable: on another thread, or
  /// at once on the caller's when the reload cannot be tried (no file, one in progress, the file
  /// unreadable or with an error). The outcome is logged.
  void Reload(bool dry_run, std::function<void(ReloadOutcome)> done);

  /// An admin's change: gets the configuration in force and returns the whole new one, or why
  /// the change is refused. Runs on the core strand, so that changes apply one at a time.
  using Edit = std::function<absl::StatusOr<DaemonConfig>(const DaemonConfig&)>;
  /// Applies `edit`'s configuration as a reload applies a file, once it holds together (see
  /// CheckConfig); the file is left as it is. `done` gets OK, or why it was refused, on another
  /// thread once the change is durable.
  void Change(Edit edit, std::function<void(absl::Status)> done);

 private:
  /// Routes over `next` from now on and lets its tokens in. Core strand only.
  absl::Status ApplyOnCore(CoreRunner& core, std::shared_ptr<const DaemonConfig> next);
  void Finish(ReloadOutcome outcome, bool dry_run, const std::function<void(ReloadOutcome)>& done);

  const std::string path_;
  Authenticator& authenticator_;
  CoreRunner& core_;
  EventHub& hub_;
  mutable std::mutex mutex_;
  std::shared_ptr<const DaemonConfig> current_;
  std::atomic<bool> reloading_{false};
};

}  // namespace acd::daemon
