// The durability promise, end to end: the real acdd under load from real gRPC clients, killed
// with SIGKILL at random moments and started again over the same data directory, many times.
// After every restart, everything the daemon acknowledged is there, in at least the state it was
// acknowledged in, and nothing exists twice.

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "acd/v1/agent_desk.grpc.pb.h"
#include "acd/v1/intake.grpc.pb.h"
#include "acd/v1/supervision.grpc.pb.h"
#include "tests/e2e/acdd_process.h"
#include "tests/e2e/child_process.h"

namespace acd::e2e {
namespace {

constexpr char kAcdd[] = ACD_ACDD_PATH;
constexpr auto kPatience = std::chrono::seconds(20);
constexpr int kRounds = 12;
const std::vector<std::string> kAgents = {"ann", "ben", "cid"};

Deadline Soon() { return std::chrono::steady_clock::now() + kPatience; }

constexpr char kConfig[] = R"(
tenants:
  - id: t
    name: T
    skills: [general]
queues:
  - id: q
    tenant: t
    name: Q
    channels: [voice, chat]
    wrap_up: {policy: mandatory}
agents:
  - {id: ann, tenant: t, name: Ann, skills: {general: 5}, queues: [q], capacity: {voice: 1, chat: 2}}
  - {id: ben, tenant: t, name: Ben, skills: {general: 5}, queues: [q], capacity: {voice: 1, chat: 2}}
  - {id: cid, tenant: t, name: Cid, skills: {general: 5}, queues: [q], capacity: {voice: 1, chat: 2}}
tokens:
  - {name: gw, token: crash-gateway, role: gateway, tenant: t}
  - {name: lead, token: crash-lead, role: supervisor, tenant: t}
  - {name: ann, token: crash-ann, role: agent, tenant: t, agent: ann}
  - {name: ben, token: crash-ben, role: agent, tenant: t, agent: ben}
  - {name: cid, token: crash-cid, role: agent, tenant: t, agent: cid}
)";

/// How far a contact got, in the order a contact goes.
enum class Stage { kCreated = 0, kAccepted = 1, kCompleted = 2, kWrappedUp = 3 };

int StageOf(v1::ContactState state) {
  switch (state) {
    case v1::CONTACT_STATE_CONNECTED:
      return static_cast<int>(Stage::kAccepted);
    case v1::CONTACT_STATE_WRAP_UP:
      return static_cast<int>(Stage::kCompleted);
    case v1::CONTACT_STATE_COMPLETED:
      return static_cast<int>(Stage::kWrappedUp);
    default:
      return static_cast<int>(Stage::kCreated);
  }
}

/// What the daemon acknowledged, per contact: its external id, and the furthest stage an RPC
/// that returned OK took it to (with the agent that took it).
struct Acknowledged {
  std::string external_id;
  Stage stage = Stage::kCreated;
  std::string agent;
};

class Ledger {
 public:
  void Created(const std::string& id, const std::string& external_id) {
    std::lock_guard lock(mutex_);
    contacts_[id].external_id = external_id;
    ++created_;
    changed_.notify_all();
  }
  void Reached(const std::string& id, Stage stage, const std::string& agent) {
    std::lock_guard lock(mutex_);
    Acknowledged& contact = contacts_[id];
    if (stage > contact.stage) contact.stage = stage;
    contact.agent = agent;
  }
  /// Waits until `count` more creates have been acknowledged than `since`.
  bool WaitForCreates(int since, int count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_until(lock, Soon(), [&] { return created_ >= since + count; });
  }
  int created() {
    std::lock_guard lock(mutex_);
    return created_;
  }
  std::map<std::string, Acknowledged> Snapshot() {
    std::lock_guard lock(mutex_);
    return contacts_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, Acknowledged> contacts_;
  int created_ = 0;
};

std::unique_ptr<grpc::ClientContext> Call(const std::string& token,
                                          std::chrono::seconds timeout = std::chrono::seconds(5)) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + timeout);
  context->AddMetadata("authorization", "Bearer " + token);
  return context;
}

class CrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "acd-crash-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    std::ofstream(dir_ / "acd.yaml") << kConfig;
  }
  void TearDown() override {
    acdd_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  /// Starts acdd over the test's data directory and connects the stubs.
  void StartDaemon() {
    absl::StatusOr<RunningAcdd> acdd = StartAcdd(
        {kAcdd, "--config", (dir_ / "acd.yaml").string(), "--listen", "127.0.0.1:0", "--http",
         "127.0.0.1:0", "--data-dir", (dir_ / "data").string(), "--log-level", "warn",
         // Snapshots often, so that kills land before, during and after them.
         "--snapshot-every", "40"},
        {}, Soon());
    ASSERT_TRUE(acdd.ok()) << acdd.status();
    acdd_ = std::move(acdd->process);
    channel_ = grpc::CreateChannel(acdd->grpc_address, grpc::InsecureChannelCredentials());
    intake_ = v1::Intake::NewStub(channel_);
    desk_ = v1::AgentDesk::NewStub(channel_);
    supervision_ = v1::Supervision::NewStub(channel_);
  }

  /// The gateway: creates contacts with fresh external ids until `stop`.
  void CreateUntil(const std::atomic<bool>& stop, int round) {
    for (int n = 0; !stop; ++n) {
      v1::CreateContactRequest request;
      std::string external_id = "r";
      external_id += std::to_string(round);
      external_id += '-';
      external_id += std::to_string(n);
      request.set_external_id(external_id);
      request.set_queue_id("q");
      request.set_channel(n % 3 == 0 ? v1::CHANNEL_VOICE : v1::CHANNEL_CHAT);
      v1::CreateContactResponse response;
      if (intake_->CreateContact(Call("crash-gateway").get(), request, &response).ok()) {
        ledger_.Created(response.contact().contact_id(), request.external_id());
      }
    }
  }

  /// An agent: goes ready, and takes every offer through accept, complete and wrap-up, until its
  /// stream ends (the daemon is gone).
  void Work(const std::string& agent) {
    std::string token = "crash-";
    token += agent;
    std::unique_ptr<grpc::ClientContext> stream_context = Call(token, std::chrono::seconds(120));
    std::unique_ptr<grpc::ClientReader<v1::AgentEvent>> events =
        desk_->StreamEvents(stream_context.get(), v1::StreamEventsRequest());
    v1::SetStateRequest ready;
    ready.set_state(v1::AGENT_STATE_READY);
    v1::SetStateResponse state;
    if (!desk_->SetState(Call(token).get(), ready, &state).ok()) return;
    v1::AgentEvent event;
    while (events->Read(&event)) {
      if (!event.has_offer()) continue;
      const std::string id = event.offer().contact().contact_id();
      v1::AcceptOfferRequest accept;
      accept.set_contact_id(id);
      v1::AcceptOfferResponse accepted;
      if (!desk_->AcceptOffer(Call(token).get(), accept, &accepted).ok()) continue;
      ledger_.Reached(id, Stage::kAccepted, agent);
      v1::CompleteContactRequest complete;
      complete.set_contact_id(id);
      v1::CompleteContactResponse completed;
      if (!desk_->CompleteContact(Call(token).get(), complete, &completed).ok()) continue;
      ledger_.Reached(id, Stage::kCompleted, agent);
      v1::SubmitWrapUpRequest wrap_up;
      wrap_up.set_contact_id(id);
      wrap_up.set_disposition_code("done");
      v1::SubmitWrapUpResponse wrapped;
      if (!desk_->SubmitWrapUp(Call(token).get(), wrap_up, &wrapped).ok()) continue;
      ledger_.Reached(id, Stage::kWrappedUp, agent);
    }
  }

  /// Every acknowledged contact exists, at least as far along as acknowledged, with the agent
  /// that took it; retrying its create finds it rather than making a second; no contact is held
  /// by two agents.
  void CheckEverythingAcknowledged() {
    std::map<std::string, int> holders;
    v1::ListAgentsResponse agents;
    ASSERT_TRUE(
        supervision_->ListAgents(Call("crash-lead").get(), v1::ListAgentsRequest(), &agents).ok());
    for (const v1::AgentStatus& agent : agents.agents()) {
      std::set<std::string> own(agent.contact_ids().begin(), agent.contact_ids().end());
      EXPECT_EQ(own.size(), static_cast<std::size_t>(agent.contact_ids_size()))
          << agent.agent_id() << " holds a contact twice";
      for (const std::string& id : own) ++holders[id];
    }
    for (const auto& [id, count] : holders) EXPECT_EQ(count, 1) << "contact " << id;

    for (const auto& [id, acknowledged] : ledger_.Snapshot()) {
      v1::GetContactRequest get;
      get.set_contact_id(id);
      v1::GetContactResponse found;
      const grpc::Status status = intake_->GetContact(Call("crash-gateway").get(), get, &found);
      ASSERT_TRUE(status.ok()) << "acknowledged contact " << id << " (" << acknowledged.external_id
                               << ") lost: " << status.error_message();
      EXPECT_GE(StageOf(found.contact().state()), static_cast<int>(acknowledged.stage))
          << "contact " << id << " went back from stage " << static_cast<int>(acknowledged.stage);
      if (acknowledged.stage >= Stage::kAccepted) {
        EXPECT_EQ(found.contact().agent_id(), acknowledged.agent) << "contact " << id;
      }
      if (acknowledged.external_id.empty()) continue;  // Its create's answer was lost.
      v1::CreateContactRequest again;
      again.set_external_id(acknowledged.external_id);
      again.set_queue_id("q");
      again.set_channel(v1::CHANNEL_CHAT);
      v1::CreateContactResponse retried;
      ASSERT_TRUE(intake_->CreateContact(Call("crash-gateway").get(), again, &retried).ok());
      EXPECT_FALSE(retried.created()) << acknowledged.external_id << " was created twice";
      EXPECT_EQ(retried.contact().contact_id(), id);
    }
  }

  std::filesystem::path dir_;
  std::unique_ptr<ChildProcess> acdd_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::Intake::Stub> intake_;
  std::unique_ptr<v1::AgentDesk::Stub> desk_;
  std::unique_ptr<v1::Supervision::Stub> supervision_;
  Ledger ledger_;
};

TEST_F(CrashTest, NothingAcknowledgedIsLostOrDoubledAcrossKills) {
  std::mt19937 random(std::random_device{}());
  const unsigned seed = random();
  random.seed(seed);
  SCOPED_TRACE(::testing::Message() << "seed " << seed);
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE(::testing::Message() << "round " << round);
    ASSERT_NO_FATAL_FAILURE(StartDaemon());
    if (round > 0) {
      ASSERT_NO_FATAL_FAILURE(CheckEverythingAcknowledged());
    }
    std::atomic<bool> stop = false;
    std::vector<std::thread> clients;
    clients.emplace_back([&] { CreateUntil(stop, round); });
    for (const std::string& agent : kAgents) clients.emplace_back([&, agent] { Work(agent); });
    // Kill it at a random moment: after some creates, mid-flight of whatever else is going on.
    const int before = ledger_.created();
    EXPECT_TRUE(ledger_.WaitForCreates(before, std::uniform_int_distribution(5, 200)(random)));
    acdd_->Signal(SIGKILL);
    const std::optional<ExitStatus> killed = acdd_->Wait(Soon());
    stop = true;
    for (std::thread& client : clients) client.join();
    ASSERT_TRUE(killed);
    EXPECT_EQ(killed->signal, SIGKILL);
  }
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  CheckEverythingAcknowledged();
  EXPECT_GT(ledger_.created(), kRounds * 5);

  // The restarts went through snapshots: one is kept, and the journal behind it is gone.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2((dir_ / "data" / "acd.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
            SQLITE_OK);
  sqlite3_stmt* query = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "SELECT (SELECT COUNT(*) FROM snapshots), "
                               "(SELECT COALESCE(MIN(sequence), 0) FROM journal), "
                               "(SELECT MAX(sequence) FROM snapshots)",
                               -1, &query, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(query), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int64(query, 0), 1);
  const std::int64_t oldest_entry = sqlite3_column_int64(query, 1);
  if (oldest_entry != 0) {
    EXPECT_GT(oldest_entry, sqlite3_column_int64(query, 2));
  }
  sqlite3_finalize(query);
  sqlite3_close(db);
}

}  // namespace
}  // namespace acd::e2e
