#pragma once

#include <grpcpp/server.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "daemon/clock.h"
#include "daemon/config_loader.h"
#include "daemon/customer_history.h"
#include "daemon/event_hub.h"
#include "daemon/live_config.h"
#include "daemon/sqlite_store.h"
#include "daemon/tls_config.h"

namespace acd::daemon {

class AdminService;
class AgentDeskService;
class Authenticator;
class CoreRunner;
class DirectoryLock;
class JournalWriter;
class MetricsPage;
class RecordReader;
class HttpServer;
class IntakeService;
class CoreTicker;
class RpcMetrics;
class SupervisionService;
class UnservedRpcGuard;

/// How and where the daemon listens.
struct ServerOptions {
  /// gRPC listen address, HOST:PORT; port 0 picks a free port.
  std::string grpc_address = "127.0.0.1:0";
  /// HTTP listen host and port; port 0 picks a free port.
  std::string http_host = "127.0.0.1";
  std::uint16_t http_port = 0;
  /// When set, both ports speak TLS only (gRPC and HTTPS), with mutual TLS if it names a client
  /// CA. Without it, both are plaintext: keep them on loopback.
  std::optional<TlsConfig> tls;
  /// Events a stream may have queued for a slow client before it is cut off.
  std::size_t stream_outbox = 4096;
  /// How many recent events are kept for streams that resume.
  EventRetention event_retention;
  /// How often gateways that asked for them are told where their waiting contacts stand.
  std::chrono::milliseconds wait_update_interval = std::chrono::seconds(5);
  /// The configuration file the daemon's configuration was read from, which a reload reads
  /// again; empty when there is none (reloads are then refused).
  std::string config_path;
  /// Where the store lives (created if missing); one daemon per directory.
  std::filesystem::path data_dir;
  SqliteStoreOptions storage;
  /// How many customers' recent interactions are kept for offers, and how many each.
  CustomerHistory::Options customer_history;
  /// A snapshot of the state every this many journal entries (and at shutdown), after which the
  /// journal behind it is deleted: a restart reads the snapshot and replays at most this many.
  std::uint64_t snapshot_every = 1'000'000;
};

/// The whole daemon behind its ports: routing core, gRPC services, HTTP. `main` and the
/// integration tests build it the same way.
class AcdServer {
 public:
  /// Recovers the state journaled in the data directory and starts serving `config`; `clock` must
  /// outlive the server. UNAVAILABLE when a port cannot be bound or the store cannot be opened,
  /// INVALID_ARGUMENT when the configuration or an address is unusable, FAILED_PRECONDITION when
  /// another daemon holds the data directory or the journal does not apply to `config`,
  /// DATA_LOSS when the journal cannot be read.
  static absl::StatusOr<std::unique_ptr<AcdServer>> Start(const DaemonConfig& config,
                                                          const ServerOptions& options,
                                                          const Clock& clock);
  ~AcdServer();
  AcdServer(const AcdServer&) = delete;
  AcdServer& operator=(const AcdServer&) = delete;

  /// The gRPC address actually bound, HOST:PORT.
  const std::string& grpc_address() const { return grpc_address_; }
  /// The HTTP address actually bound, HOST:PORT.
  const std::string& http_address() const { return http_address_; }

  /// Whether the daemon takes traffic now (what /readyz answers): OK once recovery is done and
  /// gRPC accepts calls, while storage is healthy and until shutdown begins; otherwise
  /// UNAVAILABLE saying why. Any thread.
  absl::Status Readiness() const;

  /// The configuration in force, and its reload (SIGHUP). Any thread.
  LiveConfig& config() { return *live_config_; }

  /// Ends every stream, finishes the RPCs in flight, stops the core. /readyz answers 503 from
  /// the start; HTTP stops once gRPC has. Idempotent; any thread but a gRPC or core one.
  void Shutdown();

 private:
  AcdServer();

  std::string grpc_address_;
  std::string http_address_;
  std::unique_ptr<DirectoryLock> lock_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<JournalWriter> journal_;
  std::unique_ptr<RecordReader> records_;
  std::unique_ptr<Authenticator> authenticator_;
  std::unique_ptr<CustomerHistory> customer_history_;
  std::unique_ptr<EventHub> hub_;
  std::unique_ptr<CoreRunner> core_;
  std::unique_ptr<IntakeService> intake_;
  std::unique_ptr<AgentDeskService> agent_desk_;
  std::unique_ptr<SupervisionService> supervision_;
  std::unique_ptr<LiveConfig> live_config_;
  std::unique_ptr<AdminService> admin_;
  /// Counts the gRPC server's calls: must outlive it.
  std::unique_ptr<RpcMetrics> rpc_metrics_;
  /// Sends gateways' wait updates every `wait_update_interval`.
  std::shared_ptr<CoreTicker> wait_updates_;
  std::unique_ptr<grpc::Server> grpc_server_;
  /// Serves /metrics: must outlive the HTTP server.
  std::unique_ptr<MetricsPage> metrics_page_;
  /// Created before the gRPC server, so that a TLS problem stops the start before anything runs.
  std::unique_ptr<HttpServer> http_;
  /// Set once gRPC accepts calls (recovery done); `stopping_` as shutdown begins.
  std::atomic<bool> serving_{false};
  std::atomic<bool> stopping_{false};
  bool shut_down_ = false;
};

}  // namespace acd::daemon
