#include "daemon/tls_config.h"

#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace acd::daemon {
namespace {

absl::Status ReadPem(const std::string& path, const char* what, std::string& pem) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  if (file) text << file.rdbuf();
  if (!file || file.bad()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": cannot read the ", what));
  }
  pem = text.str();
  if (pem.empty())
    return absl::InvalidArgumentError(absl::StrCat(path, ": the ", what, " is empty"));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<TlsConfig> LoadTlsFiles(const std::string& cert_chain_path,
                                       const std::string& private_key_path,
                                       const std::string& client_ca_path) {
  TlsConfig tls;
  if (absl::Status read = ReadPem(cert_chain_path, "certificate chain", tls.cert_chain_pem);
      !read.ok()) {
    return read;
  }
  if (absl::Status read = ReadPem(private_key_path, "private key", tls.private_key_pem);
      !read.ok()) {
    return read;
  }
  if (!client_ca_path.empty()) {
    if (absl::Status read = ReadPem(client_ca_path, "client CA certificates", tls.client_ca_pem);
        !read.ok()) {
      return read;
    }
  }
  return tls;
}

}  // namespace acd::daemon
