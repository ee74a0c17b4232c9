#include "tests/e2e/acdd_process.h"

#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace acd::e2e {
namespace {

/// The value of `key=` in a line of space-separated words; empty when absent.
std::string FieldOf(const std::string& line, const std::string& key) {
  const std::string prefix = key + "=";
  const std::size_t at = line.find(" " + prefix);
  if (at == std::string::npos) return "";
  const std::size_t start = at + 1 + prefix.size();
  return line.substr(start, line.find(' ', start) - start);
}

}  // namespace

absl::StatusOr<RunningAcdd> StartAcdd(const std::vector<std::string>& argv,
                                      const std::vector<std::string>& env, Deadline deadline) {
  absl::StatusOr<std::unique_ptr<ChildProcess>> process = ChildProcess::Start(argv, env);
  if (!process.ok()) return process.status();
  RunningAcdd acdd{.process = std::move(*process)};
  const std::optional<std::string> ready = acdd.process->WaitForLine(
      ChildProcess::Stream::kStdout,
      [](const std::string& line) { return line.starts_with("acdd ready "); }, deadline);
  if (!ready) {
    return absl::DeadlineExceededError(absl::StrCat(
        "no ready line; stderr:\n", acdd.process->Transcript(ChildProcess::Stream::kStderr)));
  }
  acdd.grpc_address = FieldOf(*ready, "grpc");
  acdd.http_address = FieldOf(*ready, "http");
  if (acdd.grpc_address.empty() || acdd.http_address.empty()) {
    return absl::InternalError(absl::StrCat("a ready line without addresses: ", *ready));
  }
  return acdd;
}

}  // namespace acd::e2e
