#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tests/e2e/child_process.h"

namespace acd::e2e {

/// A running acdd and the addresses its ready line announced.
struct RunningAcdd {
  std::unique_ptr<ChildProcess> process;
  std::string grpc_address;
  std::string http_address;
};

/// Starts acdd (`argv[0]` is its path) and waits for its ready line, "acdd ready
/// grpc=HOST:PORT http=HOST:PORT". An error with acdd's stderr when the line does not come by
/// `deadline`.
absl::StatusOr<RunningAcdd> StartAcdd(const std::vector<std::string>& argv,
                                      const std::vector<std::string>& env, Deadline deadline);

}  // namespace acd::e2e
