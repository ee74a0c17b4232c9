// /metrics, /readyz and /healthz of the real daemon, in-process on 127.0.0.1 port 0, read over
// real HTTP connections while real gRPC clients use it.

#include <gmock/gmock.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "acd/v1/admin.grpc.pb.h"
#include "acd/v1/agent_desk.grpc.pb.h"
#include "acd/v1/intake.grpc.pb.h"
#include "acd/v1/supervision.grpc.pb.h"
#include "daemon/clock.h"
#include "daemon/config_loader.h"
#include "daemon/server.h"
#include "daemon/sqlite_store.h"

namespace acd {
namespace {

using tcp = boost::asio::ip::tcp;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr auto kDeadline = std::chrono::seconds(20);

constexpr char kConfig[] = R"(
tenants:
  - {id: acme, name: Acme, skills: [billing]}
queues:
  - {id: acme.billing, tenant: acme, name: Billing, channels: [voice]}
  - {id: acme.sales, tenant: acme, channels: [voice]}
agents:
  - {id: alice, tenant: acme, name: Alice, skills: {billing: 7}, queues: [acme.billing]}
tokens:
  - {name: acme-gateway, token: t-gateway, role: gateway, tenant: acme}
  - {name: alice, token: t-alice, role: agent, tenant: acme, agent: alice}
  - {name: acme-lead, token: t-lead, role: supervisor, tenant: acme}
)";

struct HttpAnswer {
  unsigned status = 0;
  std::string content_type;
  std::string body;
};

/// GET `path` from `address` (HOST:PORT) over a new connection, read to its close. (Beast's
/// response parser trips GCC 12's maybe-uninitialized warning under the sanitizers, so the
/// answer is split by hand.)
HttpAnswer Get(const std::string& address, const std::string& path) {
  const std::size_t colon = address.rfind(':');
  boost::asio::io_context io;
  tcp::socket socket(io);
  tcp::resolver resolver(io);
  boost::asio::connect(socket,
                       resolver.resolve(address.substr(0, colon), address.substr(colon + 1)));
  const std::string request =
      absl::StrCat("GET ", path, " HTTP/1.1\r\nHost: ", address, "\r\nConnection: close\r\n\r\n");
  boost::asio::write(socket, boost::asio::buffer(request));
  std::string raw;
  boost::system::error_code error;
  boost::asio::read(socket, boost::asio::dynamic_buffer(raw), error);
  EXPECT_EQ(error, boost::asio::error::eof) << error.message();

  HttpAnswer answer;
  const std::size_t head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos || !raw.starts_with("HTTP/1.1 ")) {
    ADD_FAILURE() << "not an HTTP answer: " << raw;
    return answer;
  }
  answer.status = static_cast<unsigned>(std::stoi(raw.substr(9, 3)));
  answer.body = raw.substr(head_end + 4);
  const std::string head = raw.substr(0, head_end);
  const std::string content_type = "\r\nContent-Type: ";
  if (const std::size_t at = head.find(content_type); at != std::string::npos) {
    const std::size_t from = at + content_type.size();
    answer.content_type = head.substr(from, head.find("\r\n", from) - from);
  }
  return answer;
}

/// GETs `path` until `wanted` holds for the answer, or the deadline passes (returning the last).
HttpAnswer GetUntil(const std::string& address, const std::string& path,
                    const std::function<bool(const HttpAnswer&)>& wanted) {
  const auto deadline = std::chrono::steady_clock::now() + kDeadline;
  HttpAnswer answer = Get(address, path);
  while (!wanted(answer) && std::chrono::steady_clock::now() < deadline) {
    answer = Get(address, path);
  }
  return answer;
}

std::unique_ptr<grpc::ClientContext> Call(const std::string& token) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + kDeadline);
  if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
  return context;
}

class HttpEndpointsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "acd-http-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    data_dir_ = pattern;
    absl::StatusOr<daemon::DaemonConfig> config = daemon::ParseConfig(kConfig, "test.yaml");
    ASSERT_TRUE(config.ok()) << config.status();
    // A lock held on the store fails a write soon.
    const daemon::ServerOptions options{
        .data_dir = data_dir_, .storage = {.busy_timeout = std::chrono::milliseconds(100)}};
    absl::StatusOr<std::unique_ptr<daemon::AcdServer>> server =
        daemon::AcdServer::Start(*config, options, clock_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    channel_ = grpc::CreateChannel(server_->grpc_address(), grpc::InsecureChannelCredentials());
    intake_ = v1::Intake::NewStub(channel_);
    desk_ = v1::AgentDesk::NewStub(channel_);
    supervision_ = v1::Supervision::NewStub(channel_);
  }

  void TearDown() override {
    if (server_) server_->Shutdown();
    server_.reset();
    if (!data_dir_.empty()) std::filesystem::remove_all(data_dir_);
  }

  grpc::Status Create(const std::string& external_id, const std::string& queue) {
    v1::CreateContactRequest request;
    request.set_external_id(external_id);
    request.set_queue_id(queue);
    request.set_channel(v1::CHANNEL_VOICE);
    v1::CreateContactResponse response;
    return intake_->CreateContact(Call("t-gateway").get(), request, &response);
  }

  daemon::SystemClock clock_;
  std::filesystem::path data_dir_;
  std::unique_ptr<daemon::AcdServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::Intake::Stub> intake_;
  std::unique_ptr<v1::AgentDesk::Stub> desk_;
  std::unique_ptr<v1::Supervision::Stub> supervision_;
};

TEST_F(HttpEndpointsTest, MetricsShowQueuesRpcsStreamsAndTheJournal) {
  // Alice's desktop, a gateway's watch and a supervisor's escalation watch are open; the daemon
  // has registered each once its headers arrive. A wallboard is registered once its first
  // picture arrives.
  grpc::ClientContext alice_context;
  alice_context.AddMetadata("authorization", "Bearer t-alice");
  std::unique_ptr<grpc::ClientReader<v1::AgentEvent>> alice =
      desk_->StreamEvents(&alice_context, v1::StreamEventsRequest());
  alice->WaitForInitialMetadata();
  grpc::ClientContext watch_context;
  watch_context.AddMetadata("authorization", "Bearer t-gateway");
  std::unique_ptr<grpc::ClientReader<v1::ContactEvent>> watch =
      intake_->WatchContacts(&watch_context, v1::WatchContactsRequest());
  watch->WaitForInitialMetadata();
  grpc::ClientContext escalations_context;
  escalations_context.AddMetadata("authorization", "Bearer t-lead");
  std::unique_ptr<grpc::ClientReader<v1::EscalationEvent>> escalations =
      supervision_->WatchEscalations(&escalations_context, v1::WatchEscalationsRequest());
  escalations->WaitForInitialMetadata();
  grpc::ClientContext wallboard_context;
  wallboard_context.AddMetadata("authorization", "Bearer t-lead");
  std::unique_ptr<grpc::ClientReader<v1::QueueSnapshot>> wallboard =
      supervision_->WatchQueues(&wallboard_context, v1::WatchQueuesRequest());
  v1::QueueSnapshot first_picture;
  ASSERT_TRUE(wallboard->Read(&first_picture));

  // Alice is not ready: all three contacts wait. One create names a queue that does not exist.
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(Create(absl::StrCat("call-", i), "acme.billing").ok());
  }
  EXPECT_EQ(Create("call-4", "acme.nowhere").error_code(), grpc::StatusCode::NOT_FOUND);
  // An RPC not served yet, called by a role that may not call it anyway: counted as answered.
  v1::ListTenantsResponse tenants;
  EXPECT_EQ(v1::Admin::NewStub(channel_)
                ->ListTenants(Call("t-lead").get(), v1::ListTenantsRequest(), &tenants)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  const HttpAnswer metrics = Get(server_->http_address(), "/metrics");
  ASSERT_EQ(metrics.status, 200u) << metrics.body;
  EXPECT_THAT(metrics.content_type, StartsWith("text/plain; version=0.0.4"));
  const std::string& text = metrics.body;
  const std::string billing = R"(tenant="acme",queue="acme.billing")";
  EXPECT_THAT(text, HasSubstr("# TYPE acd_queue_waiting_contacts gauge\n"));
  EXPECT_THAT(text, HasSubstr(absl::StrCat("acd_queue_waiting_contacts{", billing, "} 3\n")));
  EXPECT_THAT(text, HasSubstr(R"(acd_queue_waiting_contacts{tenant="acme",queue="acme.sales"} 0)"
                              "\n"));
  EXPECT_THAT(text, HasSubstr(absl::StrCat("acd_queue_contacts_offered_total{", billing, "} 3\n")));
  EXPECT_THAT(text,
              HasSubstr(absl::StrCat("acd_queue_contacts_answered_total{", billing, "} 0\n")));
  EXPECT_THAT(text, HasSubstr(absl::StrCat("acd_queue_agents{", billing, R"(,state="ready"} 0)")));
  // A desktop's stream alone does not log the agent in.
  EXPECT_THAT(text, HasSubstr(R"(acd_tenant_agents{tenant="acme",state="logged-out"} 1)"));

  const std::string create = R"(grpc_service="acd.v1.Intake",grpc_method="CreateContact")";
  EXPECT_THAT(text, HasSubstr(absl::StrCat("acd_grpc_server_handled_total{", create,
                                           R"(,grpc_code="OK"} 3)", "\n")));
  EXPECT_THAT(text, HasSubstr(absl::StrCat("acd_grpc_server_handled_total{", create,
                                           R"(,grpc_code="NOT_FOUND"} 1)", "\n")));
  EXPECT_THAT(text,
              HasSubstr(absl::StrCat("acd_grpc_server_handling_seconds_count{", create, "} 4\n")));
  EXPECT_THAT(text, HasSubstr("acd_grpc_server_handled_total{grpc_service=\"acd.v1.Admin\","
                              "grpc_method=\"ListTenants\",grpc_code=\"PERMISSION_DENIED\"} 1\n"));
  EXPECT_THAT(text, HasSubstr(absl::StrCat("acd_grpc_server_handling_seconds_bucket{", create,
                                           R"(,le="+Inf"} 4)", "\n")));

  EXPECT_THAT(text, HasSubstr("acd_streams_open{kind=\"agent_events\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("acd_streams_open{kind=\"contact_watches\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("acd_streams_open{kind=\"escalation_watches\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("acd_streams_open{kind=\"queue_watches\"} 1\n"));
  // Three creates are acknowledged, so their entries are durable.
  EXPECT_THAT(text, HasSubstr("acd_storage_healthy 1\n"));
  EXPECT_THAT(text, HasSubstr("acd_journal_write_failures_total 0\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE acd_journal_committed_entries_total counter\n"));

  alice_context.TryCancel();
  watch_context.TryCancel();
  escalations_context.TryCancel();
  wallboard_context.TryCancel();
}

TEST_F(HttpEndpointsTest, ReadyWhileServingNotWhileStorageFails) {
  const HttpAnswer ready = Get(server_->http_address(), "/readyz");
  EXPECT_EQ(ready.status, 200u);
  EXPECT_EQ(ready.body, "ready\n");

  // Another process takes the store's write lock: the daemon's next write fails.
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open((data_dir_ / daemon::SqliteStore::kFileName).c_str(), &other), SQLITE_OK);
  // The daemon may hold the file for a moment (a commit, a checkpoint): wait for it rather
  // than fail.
  ASSERT_EQ(sqlite3_busy_timeout(other, 20'000), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_EQ(Create("call-1", "acme.billing").error_code(), grpc::StatusCode::UNAVAILABLE);

  const HttpAnswer failing = Get(server_->http_address(), "/readyz");
  EXPECT_EQ(failing.status, 503u);
  EXPECT_THAT(failing.body, StartsWith("storage failing: "));
  // Liveness: the process is alive but unhealthy too (its meaning is unchanged).
  EXPECT_EQ(Get(server_->http_address(), "/healthz").status, 503u);
  const HttpAnswer metrics = Get(server_->http_address(), "/metrics");
  ASSERT_EQ(metrics.status, 200u);
  EXPECT_THAT(metrics.body, HasSubstr("acd_storage_healthy 0\n"));
  EXPECT_THAT(metrics.body, Not(HasSubstr("acd_journal_write_failures_total 0\n")));

  // The lock goes; a retry gets through and the daemon is ready again.
  ASSERT_EQ(sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);
  const HttpAnswer recovered = GetUntil(server_->http_address(), "/readyz",
                                        [](const HttpAnswer& got) { return got.status == 200; });
  EXPECT_EQ(recovered.status, 200u) << recovered.body;
}

TEST_F(HttpEndpointsTest, NotReadyOnceShutdownBegins) {
  // A reflection stream left open holds the gRPC shutdown (up to its grace period), and HTTP is
  // stopped only after gRPC: /readyz can be read while the daemon drains.
  grpc::GenericStub generic(channel_);
  grpc::CompletionQueue queue;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kDeadline);
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call = generic.PrepareCall(
      &context, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &queue);
  void* tag = nullptr;
  bool ok = false;
  const auto step = [&](int id) {
    ASSERT_TRUE(queue.Next(&tag, &ok));
    ASSERT_EQ(tag, reinterpret_cast<void*>(id));
    ASSERT_TRUE(ok);
  };
  call->StartCall(reinterpret_cast<void*>(1));
  step(1);
  // ServerReflectionRequest{list_services: ""}: field 7, length-delimited, empty. Its answer
  // proves the server is inside the call.
  const char list_services[] = {0x3a, 0x00};
  grpc::Slice slice(list_services, sizeof(list_services));
  call->Write(grpc::ByteBuffer(&slice, 1), reinterpret_cast<void*>(2));
  step(2);
  grpc::ByteBuffer answer;
  call->Read(&answer, reinterpret_cast<void*>(3));
  step(3);
  EXPECT_THAT(Get(server_->http_address(), "/metrics").body,
              HasSubstr("acd_streams_open{kind=\"other\"} 1\n"));
  EXPECT_EQ(Get(server_->http_address(), "/readyz").status, 200u);

  std::thread shutdown([this] { server_->Shutdown(); });
  const HttpAnswer draining = GetUntil(server_->http_address(), "/readyz",
                                       [](const HttpAnswer& got) { return got.status != 200; });
  EXPECT_EQ(draining.status, 503u);
  EXPECT_EQ(draining.body, "shutting down\n");

  call->WritesDone(reinterpret_cast<void*>(4));
  step(4);
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(5));
  ASSERT_TRUE(queue.Next(&tag, &ok));
  shutdown.join();
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }
}

}  // namespace
}  // namespace acd
