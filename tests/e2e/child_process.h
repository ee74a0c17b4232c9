#pragma once

#include <sys/types.h>

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace acd::e2e {

/// Every wait in the end-to-end tests ends at a deadline on this clock.
using Deadline = std::chrono::steady_clock::time_point;

/// How a child process ended.
struct ExitStatus {
  /// The exit code when it exited; -1 when a signal killed it.
  int code = -1;
  /// The signal that killed it; 0 when it exited.
  int signal = 0;
};

/// A program started as a user would, with its stdout and stderr on pipes read by the test and
/// its stdin on /dev/null. Waiting is done with poll() against a deadline: for a line of output
/// or for the process to exit, never by sleeping.
///
/// While waiting on one stream, the other one is drained too, so a chatty child never blocks on
/// a full pipe. The destructor kills (SIGKILL) and reaps a child still running; a child is also
/// killed if the test process dies first. Not thread-safe: use from one thread.
class ChildProcess {
 public:
  enum class Stream { kStdout = 0, kStderr = 1 };

  /// Starts `argv[0]` (a path) with `argv` and the environment `env` (NAME=VALUE entries).
  static absl::StatusOr<std::unique_ptr<ChildProcess>> Start(const std::vector<std::string>& argv,
                                                             const std::vector<std::string>& env);

  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }

  /// The next complete line of `stream`, without its newline (a last line without one counts
  /// once the stream ends). nullopt when the deadline passes or the stream ends first.
  std::optional<std::string> ReadLine(Stream stream, Deadline deadline);

  /// Reads lines of `stream` until one satisfies `matches` and returns it; lines before it are
  /// consumed. nullopt when the deadline passes or the stream ends first.
  std::optional<std::string> WaitForLine(Stream stream,
                                         const std::function<bool(const std::string&)>& matches,
                                         Deadline deadline);

  /// Everything read from `stream` so far, consumed lines included: for failure messages.
  const std::string& Transcript(Stream stream) const {
    return streams_[static_cast<int>(stream)].transcript;
  }

  /// Sends `signal` to the child, unless it has been reaped already.
  void Signal(int signal);

  /// Waits until the child exits and returns how; nullopt when the deadline passes first.
  /// Output arriving meanwhile, and what the child wrote before exiting, is kept for ReadLine
  /// and Transcript (output of processes it left behind may come later).
  std::optional<ExitStatus> Wait(Deadline deadline);

  /// Waits until the child exits and both of its streams end (all output read); nullopt when
  /// the deadline passes first.
  std::optional<ExitStatus> WaitAndDrain(Deadline deadline);

 private:
  struct Output {
    int fd = -1;             // Our read end; -1 once the stream ended.
    std::string unread;      // Read but not yet returned by ReadLine.
    std::string transcript;  // Everything read.
  };

  ChildProcess(pid_t pid, int pidfd, int stdout_fd, int stderr_fd);

  /// Waits until there is news (output, an ended stream, the child exiting) or the deadline
  /// passes, and takes in what output there is. False when the deadline passed with no news.
  bool Pump(Deadline deadline);
  /// Takes in the output there is, without waiting.
  void ReadAvailable();
  /// Reaps the child if it has exited; true once reaped.
  bool TryReap();

  pid_t pid_;
  int pidfd_;  // -1 once the child is reaped.
  std::array<Output, 2> streams_;
  std::optional<ExitStatus> exit_status_;
};

/// The environment of the test process without the variables named in `drop`, as NAME=VALUE
/// entries for ChildProcess::Start.
std::vector<std::string> EnvironmentWithout(const std::vector<std::string_view>& drop);

/// What a program run to completion did.
struct CommandResult {
  /// How it ended; nullopt when it had not ended by the deadline (it was killed).
  std::optional<ExitStatus> status;
  std::string out;
  std::string err;
};

/// Runs `argv` to completion, up to `deadline`.
CommandResult RunCommand(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                         Deadline deadline);

}  // namespace acd::e2e
