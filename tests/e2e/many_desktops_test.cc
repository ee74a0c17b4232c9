// A contact centre's floor at once: the real acdd with 2,000 agents, every agent's desktop
// streaming at the same time over a handful of connections, every agent ready, and as many
// contacts as agents; every desktop receives its offer.

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "acd/v1/agent_desk.grpc.pb.h"
#include "acd/v1/intake.grpc.pb.h"
#include "tests/e2e/acdd_process.h"
#include "tests/e2e/child_process.h"

namespace acd::e2e {
namespace {

constexpr char kAcdd[] = ACD_ACDD_PATH;
constexpr int kAgents = 2000;
/// Client connections the desktops share, as several gateways' worth of desktops would.
constexpr int kConnections = 8;
constexpr int kCreators = 8;
constexpr auto kPatience = std::chrono::seconds(120);

std::string AgentId(int n) {
  char id[16];
  std::snprintf(id, sizeof id, "a%04d", n);
  return id;
}

std::string AgentToken(int n) { return "many-" + AgentId(n); }

/// One tenant, one voice queue, `kAgents` agents, each with its token.
std::string Config() {
  std::string config = R"(
tenants:
  - {id: t, name: T, skills: [general]}
queues:
  - {id: q, tenant: t, name: Q, channels: [voice], offer_timeout: 10m}
agents:
)";
  for (int n = 0; n < kAgents; ++n) {
    config += "  - {id: " + AgentId(n) + ", tenant: t, skills: {general: 5}, queues: [q]}\n";
  }
  config += "tokens:\n  - {name: gw, token: many-gateway, role: gateway, tenant: t}\n";
  for (int n = 0; n < kAgents; ++n) {
    config += "  - {name: " + AgentId(n) + ", token: " + AgentToken(n) +
              ", role: agent, tenant: t, agent: " + AgentId(n) + "}\n";
  }
  return config;
}

/// What the desktops have seen so far, counted under one lock.
class Floor {
 public:
  void Registered() { Count(registered_); }
  void Ended() { Count(ended_); }
  void Offered(int agent) {
    std::lock_guard lock(mu_);
    if (offers_[agent]++ == 0) ++agents_offered_;
    changed_.notify_all();
  }

  /// Waits until `count` of the desktops' streams are registered (or the deadline passes).
  int WaitRegistered(int count) { return WaitFor(registered_, count); }
  int WaitAgentsOffered(int count) { return WaitFor(agents_offered_, count); }
  int WaitEnded(int count) { return WaitFor(ended_, count); }

 private:
  void Count(int& counter) {
    std::lock_guard lock(mu_);
    ++counter;
    changed_.notify_all();
  }
  int WaitFor(const int& counter, int count) {
    std::unique_lock lock(mu_);
    changed_.wait_until(lock, std::chrono::steady_clock::now() + kPatience,
                        [&] { return counter >= count; });
    return counter;
  }

  std::mutex mu_;
  std::condition_variable changed_;
  int registered_ = 0;
  int ended_ = 0;
  int agents_offered_ = 0;
  std::vector<int> offers_ = std::vector<int>(kAgents, 0);
};

/// One agent's desktop: its event stream, read as events come, on gRPC's threads.
class Desktop final : public grpc::ClientReadReactor<v1::AgentEvent> {
 public:
  Desktop(v1::AgentDesk::Stub& stub, int agent, Floor& floor) : agent_(agent), floor_(floor) {
    context_.AddMetadata("authorization", "Bearer " + AgentToken(agent));
    stub.async()->StreamEvents(&context_, &request_, this);
    StartRead(&event_);
    StartCall();
  }

  void Hang() { context_.TryCancel(); }

  void OnReadInitialMetadataDone(bool ok) override {
    if (ok) floor_.Registered();
  }
  void OnReadDone(bool ok) override {
    if (!ok) return;
    if (event_.has_offer()) floor_.Offered(agent_);
    StartRead(&event_);
  }
  void OnDone(const grpc::Status& /*status*/) override { floor_.Ended(); }

 private:
  const int agent_;
  Floor& floor_;
  grpc::ClientContext context_;
  v1::StreamEventsRequest request_;
  v1::AgentEvent event_;
};

std::unique_ptr<grpc::ClientContext> Call(const std::string& token) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  context->AddMetadata("authorization", "Bearer " + token);
  return context;
}

/// Runs `work(n)` for n in [0, count) on `threads` threads.
template <typename Work>
void InParallel(int count, int threads, Work work) {
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int n = t; n < count; n += threads) work(n);
    });
  }
  for (std::thread& worker : workers) worker.join();
}

/// Ends every desktop's stream and waits for gRPC to be done with them, however the test ends.
struct HangUpAll {
  std::vector<std::unique_ptr<Desktop>>& desktops;
  Floor& floor;
  ~HangUpAll() {
    for (const auto& desktop : desktops) desktop->Hang();
    EXPECT_EQ(floor.WaitEnded(static_cast<int>(desktops.size())),
              static_cast<int>(desktops.size()));
  }
};

class ManyDesktopsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "acd-many-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    std::ofstream(dir_ / "acd.yaml") << Config();
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::filesystem::path dir_;
};

TEST_F(ManyDesktopsTest, TwoThousandDesktopsStreamAtOnceAndEachGetsItsOffer) {
  absl::StatusOr<RunningAcdd> acdd = StartAcdd(
      {kAcdd, "--config", (dir_ / "acd.yaml").string(), "--listen", "127.0.0.1:0", "--http",
       "127.0.0.1:0", "--data-dir", (dir_ / "data").string(), "--log-level", "error"},
      {}, std::chrono::steady_clock::now() + kPatience);
  ASSERT_TRUE(acdd.ok()) << acdd.status();

  // Separate connections: a channel argument of its own keeps each channel off the others'.
  std::vector<std::unique_ptr<v1::AgentDesk::Stub>> desks;
  for (int c = 0; c < kConnections; ++c) {
    grpc::ChannelArguments arguments;
    arguments.SetInt("acd.test.connection", c);
    desks.push_back(v1::AgentDesk::NewStub(grpc::CreateCustomChannel(
        acdd->grpc_address, grpc::InsecureChannelCredentials(), arguments)));
  }
  Floor floor;
  std::vector<std::unique_ptr<Desktop>> desktops;
  const HangUpAll hang_up{desktops, floor};
  for (int n = 0; n < kAgents; ++n) {
    desktops.push_back(std::make_unique<Desktop>(*desks[n % kConnections], n, floor));
  }
  ASSERT_EQ(floor.WaitRegistered(kAgents), kAgents) << "every stream registered";

  InParallel(kAgents, kCreators, [&](int n) {
    v1::SetStateRequest ready;
    ready.set_state(v1::AGENT_STATE_READY);
    v1::SetStateResponse response;
    const grpc::Status status =
        desks[n % kConnections]->SetState(Call(AgentToken(n)).get(), ready, &response);
    EXPECT_TRUE(status.ok()) << AgentId(n) << ": " << status.error_message();
  });
  const auto intake = v1::Intake::NewStub(
      grpc::CreateChannel(acdd->grpc_address, grpc::InsecureChannelCredentials()));
  InParallel(kAgents, kCreators, [&](int n) {
    v1::CreateContactRequest request;
    request.set_external_id("call-" + std::to_string(n));
    request.set_queue_id("q");
    request.set_channel(v1::CHANNEL_VOICE);
    v1::CreateContactResponse response;
    const grpc::Status status =
        intake->CreateContact(Call("many-gateway").get(), request, &response);
    EXPECT_TRUE(status.ok()) << "call-" << n << ": " << status.error_message();
  });

  // One call each: every agent is offered exactly the one its capacity allows.
  EXPECT_EQ(floor.WaitAgentsOffered(kAgents), kAgents) << "agents whose desktop got an offer";
}

}  // namespace
}  // namespace acd::e2e
