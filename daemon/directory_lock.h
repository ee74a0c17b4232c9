#pragma once

#include <filesystem>
#include <memory>

#include "absl/status/statusor.h"

namespace acd::daemon {

/// An exclusive lock on a data directory for the life of the object, so that two daemons never
/// journal into one store (their routing states would interleave). The lock is the kernel's
/// (flock on `acdd.lock`): a daemon killed with SIGKILL releases it with its process.
class DirectoryLock {
 public:
  /// FAILED_PRECONDITION when another process holds it; UNAVAILABLE when the lock file cannot be
  /// opened.
  static absl::StatusOr<std::unique_ptr<DirectoryLock>> Acquire(
      const std::filesystem::path& directory);
  ~DirectoryLock();
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

 private:
  explicit DirectoryLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace acd::daemon
