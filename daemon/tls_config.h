#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace acd::daemon {

/// Certificates for TLS on the gRPC and HTTP ports, as PEM text.
struct TlsConfig {
  /// The server's certificate, then any intermediates.
  std::string cert_chain_pem;
  /// The private key of the certificate.
  std::string private_key_pem;
  /// When set (mutual TLS), every client must present a certificate this CA signed; the
  /// connection is refused otherwise. Bearer tokens are still required on every RPC.
  std::string client_ca_pem;
};

/// Reads the PEM files of a TlsConfig; `client_ca_path` may be empty (no mutual TLS).
/// INVALID_ARGUMENT naming the file that cannot be read or is empty.
absl::StatusOr<TlsConfig> LoadTlsFiles(const std::string& cert_chain_path,
                                       const std::string& private_key_path,
                                       const std::string& client_ca_path);

}  // namespace acd::daemon
