#include "clients/common/connection.h"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

namespace acd::clients {

namespace {

/// The whole file; empty when it cannot be read (the TLS handshake then fails, saying why).
std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

std::shared_ptr<grpc::ChannelCredentials> Credentials(const GlobalOptions& options) {
  if (options.tls_ca.empty()) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions tls{.pem_root_certs = ReadFile(options.tls_ca)};
  if (!options.tls_cert.empty()) {
    tls.pem_private_key = ReadFile(options.tls_key);
    tls.pem_cert_chain = ReadFile(options.tls_cert);
  }
  return grpc::SslCredentials(tls);
}

}  // namespace

Connection::Connection(const GlobalOptions& options)
    : channel_(grpc::CreateChannel(options.target, Credentials(options))),
      authorization_("Bearer " + options.token),
      timeout_(static_cast<std::int64_t>(std::llround(options.timeout_seconds * 1e6))) {}

std::unique_ptr<grpc::ClientContext> Connection::NewCallContext() const {
  auto context = NewStreamContext();
  context->set_deadline(std::chrono::system_clock::now() + timeout_);
  return context;
}

std::unique_ptr<grpc::ClientContext> Connection::NewStreamContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", authorization_);
  return context;
}

}  // namespace acd::clients
