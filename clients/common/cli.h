#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace acd::clients {

/// Exit status of a command that ran but failed (an RPC error, a stream that broke).
inline constexpr int kExitFailure = 1;
/// Exit status of a command line that could not be parsed (unknown option, missing argument).
inline constexpr int kExitUsage = 2;

/// Options every client program takes before its subcommand.
struct GlobalOptions {
  /// acdd's gRPC address, HOST:PORT.
  std::string target = "127.0.0.1:50051";
  /// The bearer token sent with every call; it decides tenant, role and (for agents) who we are.
  std::string token;
  /// Deadline of each unary call, in seconds.
  double timeout_seconds = 10;
  /// When set, connect over TLS, trusting the CA certificates of this PEM file.
  std::string tls_ca;
  /// With tls_ca: the client certificate chain and its key (PEM files), for mutual TLS.
  std::string tls_cert;
  std::string tls_key;
};

/// Adds `--target`, `--token`, `--timeout` and the TLS options (with their ACD_TARGET,
/// ACD_TOKEN, ACD_TLS_CA, ACD_TLS_CERT and ACD_TLS_KEY environment fallbacks) to `app`, writing
/// into `options`, which must outlive parsing. Also makes parse errors print as `PROGRAM: message`.
/// Call before adding subcommands.
void AddGlobalOptions(CLI::App& app, GlobalOptions& options);

/// Parses the command line into `app`. Returns -1 when the program should go on; otherwise the
/// exit status to return at once: 0 after printing --help, kExitUsage after printing a usage
/// error to stderr.
int ParseCommandLine(CLI::App& app, int argc, char** argv);

}  // namespace acd::clients
