#include "daemon/server.h"

#include <google/protobuf/descriptor.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "daemon/admin_service.h"
#include "daemon/agent_desk_service.h"
#include "daemon/authenticator.h"
#include "daemon/core_runner.h"
#include "daemon/core_ticker.h"
#include "daemon/customer_history.h"
#include "daemon/directory_lock.h"
#include "daemon/event_hub.h"
#include "daemon/http_server.h"
#include "daemon/intake_service.h"
#include "daemon/journal_writer.h"
#include "daemon/metrics_page.h"
#include "daemon/prometheus_text.h"
#include "daemon/record_reader.h"
#include "daemon/recovery.h"
#include "daemon/request_limits.h"
#include "daemon/rpc_metrics.h"
#include "daemon/supervision_service.h"
#include "daemon/unserved_rpc_guard.h"

namespace acd::daemon {
namespace {

/// How long shutdown lets RPCs in flight finish before cancelling them.
constexpr auto kShutdownGrace = std::chrono::seconds(3);
/// Keepalive pings on idle connections, so that a vanished desktop is noticed.
constexpr int kKeepaliveTimeMs = 10'000;
constexpr int kKeepaliveTimeoutMs = 10'000;

/// How long /metrics waits for the routing core's figures.
constexpr auto kMetricsCoreTimeout = std::chrono::seconds(2);

std::string HostOf(const std::string& address) { return address.substr(0, address.rfind(':')); }

/// Whether `host` (an address or a name, IPv6 possibly in brackets) can only be reached from this
/// machine.
bool IsLoopback(std::string host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host == "localhost") return true;
  boost::system::error_code error;
  const boost::asio::ip::address address = boost::asio::ip::make_address(host, error);
  return !error && address.is_loopback();
}

std::shared_ptr<grpc::ServerCredentials> GrpcCredentials(const std::optional<TlsConfig>& tls) {
  if (!tls) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions ssl(
      tls->client_ca_pem.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                                 : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  ssl.pem_root_certs = tls->client_ca_pem;
  ssl.pem_key_cert_pairs.push_back(
      {.private_key = tls->private_key_pem, .cert_chain = tls->cert_chain_pem});
  return grpc::SslServerCredentials(ssl);
}

/// Every method the gRPC server serves, for the RPC metrics' fixed label set.
std::vector<RpcMetrics::Method> ServedMethods() {
  std::vector<RpcMetrics::Method> methods;
  for (const char* name : {v1::Intake::service_full_name(), v1::AgentDesk::service_full_name(),
                           v1::Supervision::service_full_name(), v1::Admin::service_full_name()}) {
    const google::protobuf::ServiceDescriptor* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(name);
    if (service == nullptr) continue;
    for (int m = 0; m < service->method_count(); ++m) {
      const google::protobuf::MethodDescriptor& method = *service->method(m);
      methods.push_back({.path = absl::StrCat("/", name, "/", method.name()),
                         .streaming = method.client_streaming() || method.server_streaming()});
    }
  }
  // Served by gRPC itself: the health service and reflection.
  methods.push_back({.path = "/grpc.health.v1.Health/Check", .streaming = false});
  methods.push_back({.path = "/grpc.health.v1.Health/Watch", .streaming = true});
  methods.push_back({.path = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
                     .streaming = true});
  return methods;
}

}  // namespace

AcdServer::AcdServer() = default;

AcdServer::~AcdServer() { Shutdown(); }

absl::StatusOr<std::unique_ptr<AcdServer>> AcdServer::Start(const DaemonConfig& config,
                                                            const ServerOptions& options,
                                                            const Clock& clock) {
  if (options.data_dir.empty()) return absl::InvalidArgumentError("a data directory is required");
  std::error_code error;
  std::filesystem::create_directories(options.data_dir, error);
  if (error) {
    return absl::UnavailableError(absl::StrCat("cannot create data directory ",
                                               options.data_dir.string(), ": ", error.message()));
  }
  std::unique_ptr<AcdServer> server(new AcdServer());
  // TLS is checked first, before anything starts: the HTTP server's check of the certificates
  // and key gives a clearer message than gRPC's failure to start.
  server->http_ = std::make_unique<HttpServer>();
  if (options.tls) {
    if (absl::Status tls = server->http_->EnableTls(*options.tls); !tls.ok()) return tls;
  }
  absl::StatusOr<std::unique_ptr<DirectoryLock>> lock = DirectoryLock::Acquire(options.data_dir);
  if (!lock.ok()) return lock.status();
  server->lock_ = std::move(*lock);
  absl::StatusOr<std::unique_ptr<SqliteStore>> store =
      SqliteStore::Open(options.data_dir, options.storage);
  if (!store.ok()) return store.status();
  server->store_ = std::move(*store);

  // The snapshot and the journal after it rebuild the router's state exactly.
  // A resuming stream is handed what it missed at once: at most half its outbox, so that live
  // events still fit behind it.
  EventRetention retention = options.event_retention;
  for (Retention* kind : {&retention.agent, &retention.gateway, &retention.escalation}) {
    kind->events = std::min(kind->events, options.stream_outbox / 2);
  }
  server->customer_history_ = std::make_unique<CustomerHistory>(options.customer_history);
  server->hub_ = std::make_unique<EventHub>(retention, *server->customer_history_);
  absl::StatusOr<Recovered> recovered =
      Recover(*server->store_, config.catalog, *server->hub_, clock.Now());
  if (!recovered.ok()) return recovered.status();
  server->journal_ = std::make_unique<JournalWriter>(
      *server->store_, recovered->last_sequence + 1,
      JournalWriter::Options{.record_retention = config.record_retention});
  server->core_ =
      std::make_unique<CoreRunner>(std::move(recovered->router), clock, *server->hub_,
                                   *server->journal_, recovered->last_at, options.snapshot_every);
  server->core_->ObserveJournal([history = server->customer_history_.get()](
                                    const JournalRecord& record, const routing::Router& router) {
    history->Add(record, router);
  });
  const bool restarting = recovered->from_snapshot || recovered->entries > 0;
  if (restarting) {
    // Single-threaded still: nothing else runs on the core yet. The hub moves its sequences
    // on first, as a replay of this step will.
    server->hub_->Started();
    if (absl::StatusOr<routing::CommandResult> restarted =
            server->core_->Handle(routing::Restarted{});
        !restarted.ok()) {
      return restarted.status();
    }
    spdlog::info("recovered from {}{} and {} journal entries after it", options.data_dir.string(),
                 recovered->from_snapshot ? ": a snapshot" : "", recovered->entries);
  }
  server->journal_->Start();
  if (restarting) {
    // Serve once the start is journaled: were it lost in a crash, the next start would move
    // the sequences to the same floor and give numbers this run may have streamed.
    std::promise<absl::Status> journaled;
    std::future<absl::Status> done = journaled.get_future();
    server->journal_->WhenDurable(
        [&journaled](absl::Status status) { journaled.set_value(std::move(status)); });
    if (const absl::Status status = done.get(); !status.ok()) {
      spdlog::warn("the restart is not journaled yet ({}); serving anyway",
                   std::string(status.message()));
    }
  }
  server->records_ = std::make_unique<RecordReader>(*server->store_);
  // Before the core runs: the store's reads beside the journal writer are safe.
  WarmCustomerHistory(*server->customer_history_, *server->store_, server->core_->router(),
                      config.catalog);

  server->authenticator_ = std::make_unique<Authenticator>(config.tokens, clock);
  server->live_config_ = std::make_unique<LiveConfig>(
      options.config_path, std::make_shared<const DaemonConfig>(config), *server->authenticator_,
      *server->core_, *server->hub_);
  server->intake_ = std::make_unique<IntakeService>(
      *server->authenticator_, *server->core_, *server->hub_, *server->records_,
      *server->customer_history_, options.stream_outbox);
  server->agent_desk_ = std::make_unique<AgentDeskService>(
      *server->authenticator_, *server->core_, *server->hub_, *server->records_,
      *server->live_config_, options.stream_outbox);
  server->supervision_ =
      std::make_unique<SupervisionService>(*server->authenticator_, *server->core_, *server->hub_,
                                           *server->records_, options.stream_outbox);
  server->admin_ =
      std::make_unique<AdminService>(*server->authenticator_, *server->live_config_, clock);
  server->core_->Start();

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  server->rpc_metrics_ = std::make_unique<RpcMetrics>(ServedMethods());
  int bound_port = 0;
  builder.AddListeningPort(options.grpc_address, GrpcCredentials(options.tls), &bound_port);
  // gRPC would otherwise share the port (SO_REUSEPORT) with a second daemon started by mistake,
  // silently splitting the traffic between two routing states.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(kMaxRequestMessageBytes);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, kKeepaliveTimeMs);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, kKeepaliveTimeoutMs);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
                             kKeepaliveTimeMs / 2);
  builder.RegisterService(server->intake_.get());
  builder.RegisterService(server->agent_desk_.get());
  builder.RegisterService(server->supervision_.get());
  builder.RegisterService(server->admin_.get());
  // The guard first: the status it gives an unserved RPC is the one the metrics then count.
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<UnservedRpcGuard>(*server->authenticator_));
  interceptors.push_back(server->rpc_metrics_->InterceptorFactory());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  server->grpc_server_ = builder.BuildAndStart();
  if (server->grpc_server_ == nullptr || bound_port == 0) {
    server->core_->Stop();
    return absl::UnavailableError("cannot listen for gRPC on " + options.grpc_address);
  }
  server->grpc_address_ = HostOf(options.grpc_address) + ":" + std::to_string(bound_port);
  server->wait_updates_ =
      std::make_shared<CoreTicker>(*server->core_, options.wait_update_interval,
                                   [hub = server->hub_.get(), core = server->core_.get()] {
                                     hub->SendWaitUpdates(core->router(), core->Now());
                                   });
  server->core_->Post([ticker = server->wait_updates_](CoreRunner&) { ticker->Start(); });
  server->serving_ = true;

  server->metrics_page_ = std::make_unique<MetricsPage>(
      *server->core_, *server->hub_, *server->journal_, *server->rpc_metrics_, kMetricsCoreTimeout);
  // Unhealthy while the journal cannot be written: the daemon still answers reads, but takes no
  // changes, and a load balancer or an operator should know.
  server->http_->Handle("/healthz", [journal = server->journal_.get()] {
    if (absl::Status health = journal->health(); !health.ok()) {
      return HttpServer::Response{.status = 503, .body = absl::StrCat(health.message(), "\n")};
    }
    return HttpServer::Response{.body = "ok\n"};
  });
  // Liveness above, readiness here: a load balancer sends traffic only while this says 200.
  server->http_->Handle("/readyz", [self = server.get()] {
    if (absl::Status ready = self->Readiness(); !ready.ok()) {
      return HttpServer::Response{.status = 503, .body = absl::StrCat(ready.message(), "\n")};
    }
    return HttpServer::Response{.body = "ready\n"};
  });
  server->http_->Handle("/metrics", [page = server->metrics_page_.get()] {
    absl::StatusOr<std::string> text = page->Render();
    if (!text.ok()) {
      return HttpServer::Response{.status = 503,
                                  .body = absl::StrCat(text.status().message(), "\n")};
    }
    return HttpServer::Response{.content_type = std::string(PrometheusText::kContentType),
                                .body = std::move(*text)};
  });
  absl::StatusOr<std::uint16_t> http_port =
      server->http_->Start(options.http_host, options.http_port);
  if (!http_port.ok()) {
    server->Shutdown();
    return http_port.status();
  }
  server->http_address_ = options.http_host + ":" + std::to_string(*http_port);
  spdlog::info(
      "listening: grpc={} http={}{}", server->grpc_address_, server->http_address_,
      options.tls ? (options.tls->client_ca_pem.empty() ? " (TLS)" : " (mutual TLS)") : "");
  if (!options.tls &&
      (!IsLoopback(HostOf(options.grpc_address)) || !IsLoopback(options.http_host))) {
    spdlog::warn(
        "listening beyond loopback without TLS: bearer tokens and customer data cross the network "
        "in clear; configure --tls-cert and --tls-key");
  }
  return server;
}

absl::Status AcdServer::Readiness() const {
  if (stopping_) return absl::UnavailableError("shutting down");
  if (!serving_) return absl::UnavailableError("starting");
  if (absl::Status health = journal_->health(); !health.ok()) {
    return absl::UnavailableError(absl::StrCat("storage failing: ", health.message()));
  }
  return absl::OkStatus();
}

void AcdServer::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  stopping_ = true;
  if (grpc_server_) {
    EventHub& hub = *hub_;
    core_->Post([&hub](CoreRunner&) {
      hub.CloseAll(grpc::Status(grpc::StatusCode::UNAVAILABLE, "acdd is shutting down"));
    });
    grpc_server_->Shutdown(std::chrono::system_clock::now() + kShutdownGrace);
    grpc_server_->Wait();
  }
  // After gRPC, so that /readyz says "shutting down" while calls drain.
  if (http_) http_->Stop();
  if (records_) records_->Stop();
  if (core_) {
    // The ticker would keep the core's loop busy for ever.
    if (wait_updates_) core_->Post([ticker = wait_updates_](CoreRunner&) { ticker->Stop(); });
    core_->Stop();
    core_->TakeSnapshot();  // So that the next start reads a snapshot, not the whole journal.
  }
  if (journal_) journal_->Stop();
}

}  // namespace acd::daemon
