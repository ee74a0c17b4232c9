#include "tests/e2e/test_certificates.h"

#include <fstream>
#include <sstream>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace acd::e2e {
namespace {

/// Our own openssl configuration, so that the system's defaults do not matter.
constexpr char kOpensslConfig[] = R"([req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
authorityKeyIdentifier = keyid
[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
)";

absl::StatusOr<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  if (file) text << file.rdbuf();
  if (!file) return absl::NotFoundError(absl::StrCat("cannot read ", path.string()));
  return text.str();
}

}  // namespace

absl::StatusOr<TestCertificates> MakeTestCertificates(const std::string& openssl,
                                                      const std::filesystem::path& dir,
                                                      Deadline deadline) {
  const std::string config = (dir / "openssl.cnf").string();
  std::ofstream(config) << kOpensslConfig;
  TestCertificates certs{.ca_file = dir / "ca.pem",
                         .server_cert_file = dir / "server.pem",
                         .server_key_file = dir / "server.key",
                         .client_cert_file = dir / "client.pem",
                         .client_key_file = dir / "client.key"};
  const std::string ca_key = (dir / "ca.key").string();
  // P-256 keys: quick to make, and every TLS stack takes them.
  const std::vector<std::string> new_key = {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                                            "-nodes"};
  std::vector<std::vector<std::string>> steps;
  std::vector<std::string> ca = {
      openssl, "req",   "-x509",           "-config", config, "-extensions",
      "ca",    "-subj", "/CN=acd-test-ca", "-days",   "2"};
  ca.insert(ca.end(), new_key.begin(), new_key.end());
  ca.insert(ca.end(), {"-keyout", ca_key, "-out", certs.ca_file.string()});
  steps.push_back(ca);
  int serial = 1;
  for (const auto& [kind, cert, key, subject] :
       {std::tuple{"server", certs.server_cert_file, certs.server_key_file, "/CN=localhost"},
        std::tuple{"client", certs.client_cert_file, certs.client_key_file,
                   "/CN=acd-test-client"}}) {
    const std::string request = (dir / absl::StrCat(kind, ".csr")).string();
    std::vector<std::string> make_request = {openssl, "req",   "-new", "-config",
                                             config,  "-subj", subject};
    make_request.insert(make_request.end(), new_key.begin(), new_key.end());
    make_request.insert(make_request.end(), {"-keyout", key.string(), "-out", request});
    steps.push_back(make_request);
    steps.push_back({openssl, "x509", "-req", "-in", request, "-CA", certs.ca_file.string(),
                     "-CAkey", ca_key, "-set_serial", std::to_string(++serial), "-days", "2",
                     "-extfile", config, "-extensions", kind, "-out", cert.string()});
  }
  for (const std::vector<std::string>& step : steps) {
    const CommandResult result = RunCommand(step, {}, deadline);
    if (!result.status || result.status->code != 0) {
      return absl::InternalError(
          absl::StrCat("`", absl::StrJoin(step, " "), "` failed:\n", result.out, result.err));
    }
  }
  for (auto [path, pem] : {std::pair{certs.ca_file, &certs.ca_pem},
                           std::pair{certs.client_cert_file, &certs.client_cert_pem},
                           std::pair{certs.client_key_file, &certs.client_key_pem}}) {
    absl::StatusOr<std::string> text = ReadFile(path);
    if (!text.ok()) return text.status();
    *pem = std::move(*text);
  }
  return certs;
}

}  // namespace acd::e2e
