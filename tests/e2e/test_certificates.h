#pragma once

#include <filesystem>
#include <string>

#include "absl/status/statusor.h"
#include "tests/e2e/child_process.h"

namespace acd::e2e {

/// A throw-away PKI made at test time with the `openssl` command: a CA, a server certificate for
/// 127.0.0.1 and localhost, and a client certificate, all signed by the CA. File paths, and the
/// PEM text for in-process clients.
struct TestCertificates {
  std::filesystem::path ca_file;
  std::filesystem::path server_cert_file;
  std::filesystem::path server_key_file;
  std::filesystem::path client_cert_file;
  std::filesystem::path client_key_file;
  std::string ca_pem;
  std::string client_cert_pem;
  std::string client_key_pem;
};

/// Makes the certificates in `dir` (which must exist) by running `openssl` (a path). An error
/// with openssl's output when a step fails or does not finish by `deadline`.
absl::StatusOr<TestCertificates> MakeTestCertificates(const std::string& openssl,
                                                      const std::filesystem::path& dir,
                                                      Deadline deadline);

}  // namespace acd::e2e
