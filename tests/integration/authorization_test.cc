// Every RPC of the acd.v1 contract, called by every kind of caller: each is authenticated and
// authorised before anything else. The RPCs are found in the generated descriptors, so a new one
// is covered as soon as it exists; the role each service requires is the test's own table, read
// from the protos' comments.

#include <google/protobuf/descriptor.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "acd/v1/admin.grpc.pb.h"
#include "acd/v1/agent_desk.grpc.pb.h"
#include "acd/v1/intake.grpc.pb.h"
#include "acd/v1/supervision.grpc.pb.h"
#include "daemon/clock.h"
#include "daemon/config_loader.h"
#include "daemon/server.h"

namespace acd {
namespace {

/// How long a call may take before its answer counts as missing. A stream that authorised its
/// caller may stay open without a message: for those, the deadline ending it is an answer too.
constexpr auto kUnaryDeadline = std::chrono::seconds(20);
constexpr auto kStreamDeadline = std::chrono::seconds(1);

// The gateway's token is given hashed (printf %s authz-gateway | sha256sum), the others in clear:
// both forms authenticate.
constexpr char kConfig[] = R"(
tenants:
  - {id: acme, name: Acme, skills: [billing]}
queues:
  - {id: acme.billing, tenant: acme, name: Billing, channels: [voice, chat]}
agents:
  - {id: alice, tenant: acme, name: Alice, skills: {billing: 7}, queues: [acme.billing]}
tokens:
  - name: gateway
    token_sha256: 113a75f7fc22e659a0926a29f114ac8f390691933bcd56e092649f76fbb7b8b1
    role: gateway
    tenant: acme
  - {name: alice, token: authz-agent, role: agent, tenant: acme, agent: alice}
  - {name: lead, token: authz-supervisor, role: supervisor, tenant: acme}
  - {name: root, token: authz-admin, role: admin}
)";

enum class Caller { kGateway, kAgent, kSupervisor, kAdmin, kMissingToken, kWrongToken };

struct CallerCase {
  Caller caller;
  const char* name;
  /// The bearer token sent; empty sends no authorization metadata.
  const char* token;
};

const CallerCase kCallers[] = {
    {Caller::kGateway, "gateway", "authz-gateway"},
    {Caller::kAgent, "agent", "authz-agent"},
    {Caller::kSupervisor, "supervisor", "authz-supervisor"},
    {Caller::kAdmin, "admin", "authz-admin"},
    {Caller::kMissingToken, "no token", ""},
    {Caller::kWrongToken, "wrong token", "not-a-configured-token"},
};

/// The role each service requires, from the comments of the protos: every RPC of a service
/// requires the same role, with no exception today.
const std::map<std::string, Caller> kServiceRole = {
    {"acd.v1.Intake", Caller::kGateway},
    {"acd.v1.AgentDesk", Caller::kAgent},
    {"acd.v1.Supervision", Caller::kSupervisor},
    {"acd.v1.Admin", Caller::kAdmin},
};
/// RPCs whose role differs from their service's ("acd.v1.Service.Method"); none today.
const std::map<std::string, Caller> kMethodRole = {};

/// What one call answered: its status, or OK when a stream's first message arrived.
struct Answer {
  grpc::Status status;
  bool got_message = false;
};

/// Calls `method` ("/acd.v1.Intake/GetContact") with an empty request message, as any kind of
/// RPC: one request, a half-close, then the first response message or the status.
Answer CallWithEmptyRequest(grpc::GenericStub& stub, const std::string& method,
                            const std::string& token, std::chrono::seconds timeout) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + timeout);
  if (!token.empty()) context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  grpc::CompletionQueue queue;
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call =
      stub.PrepareCall(&context, method, &queue);
  // One operation at a time: each waits for its own completion (bounded by the deadline).
  int tags = 0;
  auto wait = [&queue, &tags] {
    void* tag = nullptr;
    bool ok = false;
    ++tags;
    EXPECT_TRUE(queue.Next(&tag, &ok));
    return ok;
  };
  Answer answer;
  call->StartCall(&tags);
  wait();
  grpc::Slice empty{std::string()};
  grpc::ByteBuffer request(&empty, 1);
  call->Write(request, &tags);
  wait();
  call->WritesDone(&tags);
  wait();
  grpc::ByteBuffer response;
  call->Read(&response, &tags);
  answer.got_message = wait();
  if (answer.got_message) context.TryCancel();
  call->Finish(&answer.status, &tags);
  wait();
  queue.Shutdown();
  void* tag = nullptr;
  bool ok = false;
  while (queue.Next(&tag, &ok)) {
  }
  return answer;
}

class AuthorizationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "acd-authorization-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    data_dir_ = pattern;
    absl::StatusOr<daemon::DaemonConfig> config = daemon::ParseConfig(kConfig, "test.yaml");
    ASSERT_TRUE(config.ok()) << config.status();
    absl::StatusOr<std::unique_ptr<daemon::AcdServer>> server =
        daemon::AcdServer::Start(*config, daemon::ServerOptions{.data_dir = data_dir_}, clock_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    stub_ = std::make_unique<grpc::GenericStub>(
        grpc::CreateChannel(server_->grpc_address(), grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    if (server_) server_->Shutdown();
    server_.reset();
    if (!data_dir_.empty()) std::filesystem::remove_all(data_dir_);
  }

  daemon::SystemClock clock_;
  std::filesystem::path data_dir_;
  std::unique_ptr<daemon::AcdServer> server_;
  std::unique_ptr<grpc::GenericStub> stub_;
};

/// Every service of every acd.v1 proto file, from the generated descriptors.
std::vector<const google::protobuf::ServiceDescriptor*> ContractServices() {
  // Referencing a message of each file links its descriptors into the generated pool.
  for (const google::protobuf::Descriptor* linked :
       {v1::CreateContactRequest::descriptor(), v1::SetStateRequest::descriptor(),
        v1::ListQueuesRequest::descriptor(), v1::UpsertTenantRequest::descriptor()}) {
    EXPECT_NE(linked, nullptr);
  }
  std::vector<const google::protobuf::ServiceDescriptor*> services;
  const std::filesystem::path protos = std::filesystem::path(ACD_SOURCE_DIR) / "proto/acd/v1";
  for (const auto& entry : std::filesystem::directory_iterator(protos)) {
    if (entry.path().extension() != ".proto") continue;
    const std::string name = absl::StrCat("acd/v1/", entry.path().filename().string());
    const google::protobuf::FileDescriptor* file =
        google::protobuf::DescriptorPool::generated_pool()->FindFileByName(name);
    EXPECT_NE(file, nullptr) << name << " is not linked into the test: reference one of its "
                             << "messages in ContractServices";
    if (file == nullptr) continue;
    for (int i = 0; i < file->service_count(); ++i) services.push_back(file->service(i));
  }
  return services;
}

TEST_F(AuthorizationTest, EveryRpcAuthenticatesAndAuthorisesEveryCaller) {
  const std::vector<const google::protobuf::ServiceDescriptor*> services = ContractServices();
  ASSERT_EQ(services.size(), kServiceRole.size());
  int calls = 0;
  for (const google::protobuf::ServiceDescriptor* service : services) {
    const auto service_role = kServiceRole.find(service->full_name());
    ASSERT_NE(service_role, kServiceRole.end())
        << service->full_name() << ": which role may call it? Add it to kServiceRole";
    for (int m = 0; m < service->method_count(); ++m) {
      const google::protobuf::MethodDescriptor* method = service->method(m);
      const auto exception = kMethodRole.find(method->full_name());
      const Caller allowed =
          exception != kMethodRole.end() ? exception->second : service_role->second;
      const std::string path = absl::StrCat("/", service->full_name(), "/", method->name());
      for (const CallerCase& caller : kCallers) {
        const bool streams = method->server_streaming() || method->client_streaming();
        const Answer answer = CallWithEmptyRequest(
            *stub_, path, caller.token,
            caller.caller == allowed && streams ? kStreamDeadline : kUnaryDeadline);
        ++calls;
        const grpc::StatusCode code =
            answer.got_message ? grpc::StatusCode::OK : answer.status.error_code();
        const std::string what = absl::StrCat(path, " called by ", caller.name, " answered ", code,
                                              ": ", answer.status.error_message());
        switch (caller.caller) {
          case Caller::kMissingToken:
          case Caller::kWrongToken:
            EXPECT_EQ(code, grpc::StatusCode::UNAUTHENTICATED) << what;
            break;
          default:
            if (caller.caller == allowed) {
              // Anything but an authorisation failure: OK, a validation error, NOT_FOUND, a
              // stream left open until the deadline, or UNIMPLEMENTED for RPCs not served yet.
              EXPECT_NE(code, grpc::StatusCode::UNAUTHENTICATED) << what;
              EXPECT_NE(code, grpc::StatusCode::PERMISSION_DENIED) << what;
            } else {
              EXPECT_EQ(code, grpc::StatusCode::PERMISSION_DENIED) << what;
            }
        }
      }
    }
  }
  // Four services of several RPCs each, six callers each.
  EXPECT_GT(calls, 6 * 40);
}

}  // namespace
}  // namespace acd
