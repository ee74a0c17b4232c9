#pragma once

// The fixture of the integration tests: the daemon's services in-process on 127.0.0.1 port 0, over
// a real data directory, driven by real gRPC clients.

#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "acd/v1/agent_desk.grpc.pb.h"
#include "acd/v1/intake.grpc.pb.h"
#include "acd/v1/supervision.grpc.pb.h"
#include "daemon/clock.h"
#include "daemon/config_loader.h"
#include "daemon/server.h"

namespace acd::integration {

inline constexpr auto kDeadline = std::chrono::seconds(20);

inline constexpr char kConfig[] = R"(
tenants:
  - {id: acme, name: Acme, skills: [billing, support]}
  - {id: globex, name: Globex, skills: [sales]}
queues:
  - {id: acme.billing, tenant: acme, name: Billing, channels: [voice, chat]}
  - {id: globex.sales, tenant: globex, name: Sales, channels: [voice]}
  - {id: acme.email, tenant: acme, channels: [email, voice], max_size: 1}
  - id: acme.never
    tenant: acme
    channels: [voice]
    business_hours: {time_zone: UTC}
agents:
  - {id: alice, tenant: acme, name: Alice, team: red, skills: {billing: 7}, queues: [acme.billing]}
  - {id: bob, tenant: acme, name: Bob, team: red, skills: {billing: 2}, queues: [acme.billing]}
tokens:
  - {name: acme-gateway, token: t-gateway, role: gateway, tenant: acme}
  - {name: globex-gateway, token: t-globex, role: gateway, tenant: globex}
  - {name: acme-chat, token: t-chat, role: gateway, tenant: acme}
  - {name: alice, token: t-alice, role: agent, tenant: acme, agent: alice}
  - {name: bob, token: t-bob, role: agent, tenant: acme, agent: bob}
  - {name: acme-lead, token: t-lead, role: supervisor, tenant: acme}
)";

inline std::unique_ptr<grpc::ClientContext> Call(const std::string& token) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + kDeadline);
  if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
  return context;
}

/// An open server stream and its context.
template <typename Event>
struct OpenStream {
  std::unique_ptr<grpc::ClientContext> context;
  std::unique_ptr<grpc::ClientReader<Event>> reader;

  /// Reads until `wanted` matches (returning that event) or the stream ends (failing the test).
  Event ReadUntil(const std::function<bool(const Event&)>& wanted) {
    Event event;
    while (reader->Read(&event)) {
      if (wanted(event)) return event;
    }
    ADD_FAILURE() << "stream ended before the expected event: " << reader->Finish().error_message();
    return Event();
  }
};

class RoutingServicesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "acd-integration-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    data_dir_ = pattern;
    StartServer();
  }

  void StartServer() {
    absl::StatusOr<daemon::DaemonConfig> config = daemon::ParseConfig(kConfig, "test.yaml");
    ASSERT_TRUE(config.ok()) << config.status();
    // A lock held on the store (the storage fault test) fails a write soon.
    const daemon::ServerOptions options{
        .stream_outbox = stream_outbox_,
        .event_retention = retention_,
        .wait_update_interval = std::chrono::milliseconds(100),
        .data_dir = data_dir_,
        .storage = {.busy_timeout = std::chrono::milliseconds(100)}};
    absl::StatusOr<std::unique_ptr<daemon::AcdServer>> server =
        daemon::AcdServer::Start(*config, options, clock_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    auto channel = grpc::CreateChannel(server_->grpc_address(), grpc::InsecureChannelCredentials());
    intake_ = v1::Intake::NewStub(channel);
    desk_ = v1::AgentDesk::NewStub(channel);
    supervision_ = v1::Supervision::NewStub(channel);
  }

  /// Stops the daemon and starts another over the same data directory.
  void Restart() {
    server_->Shutdown();
    server_.reset();
    StartServer();
  }

  void TearDown() override {
    if (server_) server_->Shutdown();
    server_.reset();
    if (!data_dir_.empty()) std::filesystem::remove_all(data_dir_);
  }

  /// Opens an agent's event stream and waits until the daemon has registered it (or refused it).
  OpenStream<v1::AgentEvent> AgentStream(const std::string& token,
                                         std::optional<std::uint64_t> resume_after_sequence = {}) {
    OpenStream<v1::AgentEvent> stream{Call(token), nullptr};
    v1::StreamEventsRequest request;
    if (resume_after_sequence) request.set_resume_after_sequence(*resume_after_sequence);
    stream.reader = desk_->StreamEvents(stream.context.get(), request);
    stream.reader->WaitForInitialMetadata();
    return stream;
  }

  /// Opens a gateway's watch of all its contacts and waits until it is registered.
  OpenStream<v1::ContactEvent> GatewayWatch(
      const std::string& token, std::optional<std::uint64_t> resume_after_sequence = {}) {
    OpenStream<v1::ContactEvent> stream{Call(token), nullptr};
    v1::WatchContactsRequest request;
    if (resume_after_sequence) request.set_resume_after_sequence(*resume_after_sequence);
    stream.reader = intake_->WatchContacts(stream.context.get(), request);
    stream.reader->WaitForInitialMetadata();
    return stream;
  }

  grpc::Status SetReady(const std::string& token) {
    v1::SetStateRequest request;
    request.set_state(v1::AGENT_STATE_READY);
    v1::SetStateResponse response;
    return desk_->SetState(Call(token).get(), request, &response);
  }

  grpc::Status Create(const std::string& token, const std::string& external_id,
                      const std::string& queue, v1::CreateContactResponse& response,
                      int min_billing = 0) {
    v1::CreateContactRequest request;
    request.set_external_id(external_id);
    request.set_queue_id(queue);
    request.set_channel(v1::CHANNEL_VOICE);
    if (min_billing > 0) {
      v1::SkillRequirement& skill = *request.add_required_skills();
      skill.set_skill("billing");
      skill.set_min_level(min_billing);
    }
    return intake_->CreateContact(Call(token).get(), request, &response);
  }

  /// The agent of `token` accepts `contact_id`, ends it and wraps it up.
  void HandleThroughWrapUp(const std::string& token, const std::string& contact_id,
                           const std::string& disposition, const std::string& notes = "") {
    ASSERT_TRUE(Accept(token, contact_id).ok());
    v1::CompleteContactRequest complete;
    complete.set_contact_id(contact_id);
    v1::CompleteContactResponse completed;
    ASSERT_TRUE(desk_->CompleteContact(Call(token).get(), complete, &completed).ok());
    v1::SubmitWrapUpRequest wrap_up;
    wrap_up.set_contact_id(contact_id);
    wrap_up.set_disposition_code(disposition);
    wrap_up.set_notes(notes);
    v1::SubmitWrapUpResponse wrapped;
    ASSERT_TRUE(desk_->SubmitWrapUp(Call(token).get(), wrap_up, &wrapped).ok());
  }

  v1::Contact Get(const std::string& contact_id) {
    v1::GetContactRequest request;
    request.set_contact_id(contact_id);
    v1::GetContactResponse response;
    const grpc::Status status = intake_->GetContact(Call("t-gateway").get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.contact();
  }

  grpc::Status Accept(const std::string& token, const std::string& contact_id) {
    v1::AcceptOfferRequest request;
    request.set_contact_id(contact_id);
    v1::AcceptOfferResponse response;
    return desk_->AcceptOffer(Call(token).get(), request, &response);
  }

  daemon::SystemClock clock_;
  /// The daemon's stream limits, as a test sets them before (re)starting it.
  std::size_t stream_outbox_ = daemon::ServerOptions().stream_outbox;
  daemon::EventRetention retention_;
  std::filesystem::path data_dir_;
  std::unique_ptr<daemon::AcdServer> server_;
  std::unique_ptr<v1::Intake::Stub> intake_;
  std::unique_ptr<v1::AgentDesk::Stub> desk_;
  std::unique_ptr<v1::Supervision::Stub> supervision_;
};

}  // namespace acd::integration
