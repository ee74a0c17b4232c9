// acdd: the ACD routing daemon. Builds everything from the command line and the configuration
// file, prints one ready line, reloads the file on SIGHUP, and serves until SIGTERM or SIGINT.

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <iostream>
#include <iterator>
#include <string>
#include <utility>

#include "daemon/clock.h"
#include "daemon/config_loader.h"
#include "daemon/server.h"
#include "daemon/tls_config.h"
#include "daemon/token_digest.h"

namespace {

constexpr int kExitBadUsage = 2;
constexpr int kExitCannotStart = 1;

/// Splits HOST:PORT; false when it is not of that shape.
bool SplitHostPort(const std::string& address, std::string& host, std::uint16_t& port) {
  const auto colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  try {
    std::size_t used = 0;
    const int value = std::stoi(address.substr(colon + 1), &used);
    if (used != address.size() - colon - 1 || value < 0 || value > 65535) return false;
    port = static_cast<std::uint16_t>(value);
  } catch (const std::exception&) {
    return false;
  }
  host = address.substr(0, colon);
  return true;
}

/// `acdd --hash-token`: the SHA-256 of the secret on stdin, for `token_sha256:` in the
/// configuration. One trailing newline is not part of the secret (as `echo` adds one).
int HashToken() {
  std::string secret(std::istreambuf_iterator<char>(std::cin), {});
  if (secret.ends_with('\n')) secret.pop_back();
  if (secret.ends_with('\r')) secret.pop_back();
  if (secret.empty()) {
    std::cerr << "acdd: --hash-token reads the secret on stdin, and it was empty\n";
    return kExitBadUsage;
  }
  std::cout << acd::daemon::TokenDigestHex(acd::daemon::DigestToken(secret)) << "\n";
  return 0;
}

int Run(int argc, char** argv) {
  CLI::App app{"acdd: real-time interaction routing daemon for contact centres"};
  std::string config_path;
  std::string listen = "127.0.0.1:50051";
  std::string http = "127.0.0.1:8080";
  std::string data_dir = "./var";
  std::string log_level = "info";
  std::string synchronous = "full";
  std::uint64_t snapshot_every = acd::daemon::ServerOptions{}.snapshot_every;
  std::string tls_cert;
  std::string tls_key;
  std::string tls_client_ca;
  bool hash_token = false;
  app.add_flag("--hash-token", hash_token,
               "print the SHA-256 of the secret read on stdin (for token_sha256 in the "
               "configuration) and exit");
  app.add_option("--config", config_path,
                 "YAML configuration file (tenants, queues, agents, tokens)");
  app.add_option("--listen", listen, "gRPC listen address HOST:PORT (port 0 picks a free port)")
      ->capture_default_str();
  app.add_option("--http", http, "HTTP listen address HOST:PORT for /healthz (port 0: free port)")
      ->capture_default_str();
  app.add_option("--data-dir", data_dir, "directory for the daemon's store (one daemon each)")
      ->capture_default_str();
  app.add_option("--synchronous", synchronous,
                 "full: every acknowledged change survives a power cut; normal: it survives the "
                 "process being killed, the last ones may not survive a power cut")
      ->check(CLI::IsMember({"full", "normal"}))
      ->capture_default_str();
  app.add_option("--snapshot-every", snapshot_every,
                 "journal entries between snapshots of the state; a restart replays at most this "
                 "many")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{100'000'000}))
      ->capture_default_str();
  app.add_option("--tls-cert", tls_cert,
                 "PEM certificate chain: serve gRPC and HTTP over TLS only (needs --tls-key)");
  app.add_option("--tls-key", tls_key, "PEM private key of --tls-cert");
  app.add_option("--tls-client-ca", tls_client_ca,
                 "PEM CA certificates: require clients to present a certificate they signed "
                 "(mutual TLS; bearer tokens are still required)");
  app.add_option("--log-level", log_level, "how much to log")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (hash_token) return HashToken();
  if (config_path.empty()) {
    std::cerr << "acdd: --config is required\n" << app.help();
    return kExitBadUsage;
  }
  if (tls_cert.empty() != tls_key.empty() || (!tls_client_ca.empty() && tls_cert.empty())) {
    std::cerr << "acdd: TLS needs both --tls-cert and --tls-key (and --tls-client-ca needs them)\n";
    return kExitBadUsage;
  }

  spdlog::set_default_logger(spdlog::stderr_color_mt("acdd"));
  spdlog::set_level(spdlog::level::from_str(log_level));

  acd::daemon::ServerOptions options;
  options.grpc_address = listen;
  std::string grpc_host;
  std::uint16_t grpc_port = 0;
  if (!SplitHostPort(listen, grpc_host, grpc_port) ||
      !SplitHostPort(http, options.http_host, options.http_port)) {
    std::cerr << "acdd: --listen and --http take HOST:PORT\n";
    return kExitBadUsage;
  }

  absl::StatusOr<acd::daemon::DaemonConfig> config = acd::daemon::LoadConfigFile(config_path);
  if (!config.ok()) {
    std::cerr << "acdd: refusing to start: " << config.status().message() << "\n";
    return kExitBadUsage;
  }
  if (!tls_cert.empty()) {
    absl::StatusOr<acd::daemon::TlsConfig> tls =
        acd::daemon::LoadTlsFiles(tls_cert, tls_key, tls_client_ca);
    if (!tls.ok()) {
      std::cerr << "acdd: refusing to start: " << tls.status().message() << "\n";
      return kExitBadUsage;
    }
    options.tls = std::move(*tls);
  }
  if (tls_client_ca.empty() &&
      std::any_of(config->tokens.begin(), config->tokens.end(),
                  [](const auto& token) { return !token.client_certificate.empty(); })) {
    spdlog::warn(
        "tokens name client certificates, but without --tls-client-ca no client presents one: "
        "those tokens authenticate nobody");
  }
  if (const auto in_clear = std::count_if(config->tokens.begin(), config->tokens.end(),
                                          [](const auto& token) { return token.given_in_clear; });
      in_clear > 0) {
    spdlog::warn(
        "{} of {} tokens are given in clear ('token:'), a convenience for demos and tests: give "
        "'token_sha256:' instead (acdd --hash-token)",
        in_clear, config->tokens.size());
  }
  options.data_dir = data_dir;
  options.snapshot_every = snapshot_every;
  options.storage.synchronous =
      synchronous == "full" ? acd::daemon::Synchronous::kFull : acd::daemon::Synchronous::kNormal;

  options.config_path = config_path;
  // Block the signals before any thread starts, so that only sigwait sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const acd::daemon::SystemClock clock;
  absl::StatusOr<std::unique_ptr<acd::daemon::AcdServer>> server =
      acd::daemon::AcdServer::Start(*config, options, clock);
  if (!server.ok()) {
    std::cerr << "acdd: cannot start: " << server.status().message() << "\n";
    return kExitCannotStart;
  }
  spdlog::info("serving {} tenants, {} queues, {} agents", config->catalog.tenants.size(),
               config->catalog.queues.size(), config->catalog.agents.size());
  std::cout << "acdd ready grpc=" << (*server)->grpc_address()
            << " http=" << (*server)->http_address() << std::endl;

  int received = 0;
  while (sigwait(&signals, &received) == 0 && received == SIGHUP) {
    // The outcome is logged; a file with errors leaves everything as it was.
    spdlog::info("received SIGHUP, reloading {}", config_path);
    (*server)->config().Reload(/*dry_run=*/false, [](const acd::daemon::ReloadOutcome&) {});
  }
  spdlog::info("received {}, shutting down", received == SIGTERM ? "SIGTERM" : "SIGINT");
  (*server)->Shutdown();
  spdlog::info("stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "acdd: fatal: " << e.what() << "\n";
    return kExitCannotStart;
  }
}
