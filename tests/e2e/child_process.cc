#include "tests/e2e/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace acd::e2e {
namespace {

/// Milliseconds from now until `deadline`, rounded up, for poll(); 0 once it has passed.
int MillisUntil(Deadline deadline) {
  const auto left = deadline - std::chrono::steady_clock::now();
  if (left <= std::chrono::steady_clock::duration::zero()) return 0;
  const auto millis = std::chrono::ceil<std::chrono::milliseconds>(left).count();
  return static_cast<int>(std::min<decltype(millis)>(millis, 60'000));
}

void CloseFd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

/// Tells the parent why the child cannot run: `error` (an errno) on the exec pipe. Child side,
/// async-signal-safe.
[[noreturn]] void FailInChild(int exec_pipe, int error) {
  const ssize_t written = write(exec_pipe, &error, sizeof(error));
  (void)written;  // Nobody to tell if even this fails; the parent then sees exit status 127.
  _exit(127);
}

/// NULL-terminated pointers into `strings`, for execve.
std::vector<char*> CStrings(const std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (const std::string& text : strings) pointers.push_back(const_cast<char*>(text.c_str()));
  pointers.push_back(nullptr);
  return pointers;
}

absl::Status ErrnoStatus(const char* what) {
  return absl::InternalError(absl::StrCat(what, ": ", std::strerror(errno)));
}

}  // namespace

absl::StatusOr<std::unique_ptr<ChildProcess>> ChildProcess::Start(
    const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  if (argv.empty()) return absl::InvalidArgumentError("no program to start");
  int out_pipe[2];
  int err_pipe[2];
  int exec_pipe[2];  // Carries errno from a failed exec; closed by a successful one.
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return ErrnoStatus("pipe");
  if (pipe2(err_pipe, O_CLOEXEC) != 0) return ErrnoStatus("pipe");
  if (pipe2(exec_pipe, O_CLOEXEC) != 0) return ErrnoStatus("pipe");
  std::vector<char*> args = CStrings(argv);
  std::vector<char*> envp = CStrings(env);
  const pid_t parent = getpid();

  const pid_t pid = fork();
  if (pid < 0) return ErrnoStatus("fork");
  if (pid == 0) {
    // The child: only async-signal-safe calls until exec.
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // Never outlive a crashed test.
    if (getppid() != parent) _exit(127);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    for (const int sig : {SIGINT, SIGTERM, SIGPIPE, SIGHUP}) signal(sig, SIG_DFL);
    const int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 || dup2(out_pipe[1], STDOUT_FILENO) < 0 ||
        dup2(err_pipe[1], STDERR_FILENO) < 0) {
      FailInChild(exec_pipe[1], errno);
    }
    execve(args[0], args.data(), envp.data());
    FailInChild(exec_pipe[1], errno);
  }

  close(out_pipe[1]);
  close(err_pipe[1]);
  close(exec_pipe[1]);
  int exec_error = 0;
  ssize_t got = 0;
  do {
    got = read(exec_pipe[0], &exec_error, sizeof(exec_error));
  } while (got < 0 && errno == EINTR);
  close(exec_pipe[0]);
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  auto child =
      std::unique_ptr<ChildProcess>(new ChildProcess(pid, pidfd, out_pipe[0], err_pipe[0]));
  if (got > 0) {
    child->WaitAndDrain(std::chrono::steady_clock::now() + std::chrono::seconds(10));
    return absl::InternalError(
        absl::StrCat("cannot run ", argv[0], ": ", std::strerror(exec_error)));
  }
  if (pidfd < 0) return ErrnoStatus("pidfd_open");
  return child;
}

ChildProcess::ChildProcess(pid_t pid, int pidfd, int stdout_fd, int stderr_fd)
    : pid_(pid), pidfd_(pidfd) {
  streams_[0].fd = stdout_fd;
  streams_[1].fd = stderr_fd;
  for (const Output& output : streams_) fcntl(output.fd, F_SETFL, O_NONBLOCK);
}

ChildProcess::~ChildProcess() {
  if (!exit_status_) {
    kill(pid_, SIGKILL);
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  CloseFd(pidfd_);
  for (Output& output : streams_) CloseFd(output.fd);
}

bool ChildProcess::TryReap() {
  if (exit_status_) return true;
  int status = 0;
  const pid_t reaped = waitpid(pid_, &status, WNOHANG);
  if (reaped != pid_) return false;
  ExitStatus exit;
  if (WIFEXITED(status)) {
    exit.code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    exit.signal = WTERMSIG(status);
  }
  exit_status_ = exit;
  CloseFd(pidfd_);
  return true;
}

bool ChildProcess::Pump(Deadline deadline) {
  std::vector<pollfd> fds;
  for (const Output& output : streams_) {
    if (output.fd >= 0) fds.push_back({.fd = output.fd, .events = POLLIN});
  }
  if (pidfd_ >= 0) fds.push_back({.fd = pidfd_, .events = POLLIN});
  if (fds.empty()) return false;
  int ready = 0;
  do {
    ready = poll(fds.data(), fds.size(), MillisUntil(deadline));
  } while (ready < 0 && errno == EINTR);
  if (ready <= 0) return false;
  ReadAvailable();
  TryReap();
  return true;
}

void ChildProcess::ReadAvailable() {
  for (Output& output : streams_) {
    if (output.fd < 0) continue;
    char buffer[4096];
    while (true) {
      const ssize_t got = read(output.fd, buffer, sizeof(buffer));
      if (got > 0) {
        output.unread.append(buffer, static_cast<std::size_t>(got));
        output.transcript.append(buffer, static_cast<std::size_t>(got));
        continue;
      }
      if (got < 0 && errno == EINTR) continue;
      if (got == 0 || errno != EAGAIN) CloseFd(output.fd);  // The stream ended.
      break;
    }
  }
}

std::optional<std::string> ChildProcess::ReadLine(Stream stream, Deadline deadline) {
  Output& output = streams_[static_cast<int>(stream)];
  while (true) {
    const std::size_t newline = output.unread.find('\n');
    if (newline != std::string::npos) {
      std::string line = output.unread.substr(0, newline);
      output.unread.erase(0, newline + 1);
      return line;
    }
    if (output.fd < 0) {
      if (output.unread.empty()) return std::nullopt;
      return std::exchange(output.unread, {});
    }
    if (!Pump(deadline)) return std::nullopt;
  }
}

std::optional<std::string> ChildProcess::WaitForLine(
    Stream stream, const std::function<bool(const std::string&)>& matches, Deadline deadline) {
  while (std::optional<std::string> line = ReadLine(stream, deadline)) {
    if (matches(*line)) return line;
  }
  return std::nullopt;
}

void ChildProcess::Signal(int signal) {
  if (!exit_status_) kill(pid_, signal);
}

std::optional<ExitStatus> ChildProcess::Wait(Deadline deadline) {
  while (!TryReap()) {
    if (!Pump(deadline)) return std::nullopt;
  }
  // What the child wrote before it exited is in the pipes by now.
  ReadAvailable();
  return exit_status_;
}

std::optional<ExitStatus> ChildProcess::WaitAndDrain(Deadline deadline) {
  while (!TryReap() || streams_[0].fd >= 0 || streams_[1].fd >= 0) {
    if (!Pump(deadline)) return std::nullopt;
  }
  return exit_status_;
}

std::vector<std::string> EnvironmentWithout(const std::vector<std::string_view>& drop) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const std::string_view name = text.substr(0, text.find('='));
    if (std::find(drop.begin(), drop.end(), name) == drop.end()) env.emplace_back(text);
  }
  return env;
}

CommandResult RunCommand(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                         Deadline deadline) {
  CommandResult result;
  absl::StatusOr<std::unique_ptr<ChildProcess>> child = ChildProcess::Start(argv, env);
  if (!child.ok()) {
    result.err = std::string(child.status().message());
    return result;
  }
  result.status = (*child)->WaitAndDrain(deadline);
  result.out = (*child)->Transcript(ChildProcess::Stream::kStdout);
  result.err = (*child)->Transcript(ChildProcess::Stream::kStderr);
  return result;
}

}  // namespace acd::e2e
