// The Admin service over real gRPC: what the configuration in force holds, checking a document,
// and reloading the file without dropping a contact or logging an agent out.

#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "acd/v1/admin.grpc.pb.h"
#include "acd/v1/agent_desk.grpc.pb.h"
#include "acd/v1/intake.grpc.pb.h"
#include "daemon/clock.h"
#include "daemon/config_loader.h"
#include "daemon/server.h"
#include "tests/integration/services_fixture.h"

namespace acd::integration {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kTenantsAndQueues[] = R"(
tenants:
  - {id: acme, name: Acme, skills: [billing, support]}
  - {id: globex, name: Globex, skills: [sales]}
queues:
  - {id: acme.billing, tenant: acme, name: Billing, channels: [voice]}
  - {id: acme.support, tenant: acme, name: Support, channels: [voice, email]}
  - {id: globex.sales, tenant: globex, channels: [voice]}
)";

constexpr char kAgents[] = R"(
agents:
  - {id: alice, tenant: acme, name: Alice, skills: {billing: 7}, queues: [acme.billing]}
)";
constexpr char kTokens[] = R"(
tokens:
  - {name: root, token: t-root, role: admin}
  - {name: acme-admin, token: t-acme-admin, role: admin, tenant: acme}
  - {name: acme-gateway, token: t-gateway, role: gateway, tenant: acme}
  - {name: alice, token: t-alice, role: agent, tenant: acme, agent: alice}
)";

/// Carol joins, with her token.
constexpr char kCarolJoins[] =
    R"(  - {id: carol, tenant: acme, name: Carol, skills: {billing: 5}, queues: [acme.billing]}
)";
constexpr char kCarolsToken[] =
    R"(  - {name: carol, token: t-carol, role: agent, tenant: acme, agent: carol}
)";

class AdminServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "acd-admin-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    config_path_ = dir_ / "acd.yaml";
    WriteConfig(std::string(kTenantsAndQueues) + kAgents + kTokens);
    Start();
  }

  void TearDown() override {
    if (server_) server_->Shutdown();
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  void WriteConfig(const std::string& yaml) { std::ofstream(config_path_) << yaml; }

  void Start() {
    absl::StatusOr<daemon::DaemonConfig> config = daemon::LoadConfigFile(config_path_.string());
    ASSERT_TRUE(config.ok()) << config.status();
    absl::StatusOr<std::unique_ptr<daemon::AcdServer>> server = daemon::AcdServer::Start(
        *config, {.config_path = config_path_.string(), .data_dir = dir_ / "data"}, clock_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    auto channel = grpc::CreateChannel(server_->grpc_address(), grpc::InsecureChannelCredentials());
    admin_ = v1::Admin::NewStub(channel);
    intake_ = v1::Intake::NewStub(channel);
    desk_ = v1::AgentDesk::NewStub(channel);
  }

  void Restart() {
    server_->Shutdown();
    server_.reset();
    Start();
  }

  v1::ReloadConfigResponse Reload(bool dry_run = false, const std::string& token = "t-root") {
    v1::ReloadConfigRequest request;
    request.set_dry_run(dry_run);
    v1::ReloadConfigResponse response;
    const grpc::Status status = admin_->ReloadConfig(Call(token).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  std::string Create(const std::string& external_id, const std::string& queue) {
    v1::CreateContactRequest request;
    request.set_external_id(external_id);
    request.set_queue_id(queue);
    request.set_channel(v1::CHANNEL_VOICE);
    v1::CreateContactResponse response;
    const grpc::Status status = intake_->CreateContact(Call("t-gateway").get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.contact().contact_id();
  }

  grpc::Status SetReady(const std::string& token) {
    v1::SetStateRequest request;
    request.set_state(v1::AGENT_STATE_READY);
    v1::SetStateResponse response;
    return desk_->SetState(Call(token).get(), request, &response);
  }

  v1::Contact Get(const std::string& contact_id) {
    v1::GetContactRequest request;
    request.set_contact_id(contact_id);
    v1::GetContactResponse response;
    EXPECT_TRUE(intake_->GetContact(Call("t-gateway").get(), request, &response).ok());
    return response.contact();
  }

  static std::vector<std::string> Changes(const v1::ReloadConfigResponse& response) {
    std::vector<std::string> changes;
    for (const v1::ConfigChange& change : response.changes()) {
      changes.push_back(std::string(v1::ConfigChangeType_Name(change.type())) + " " +
                        change.kind() + " " + change.tenant_id() + "/" + change.id());
    }
    return changes;
  }

  daemon::SystemClock clock_;
  std::filesystem::path dir_;
  std::filesystem::path config_path_;
  std::unique_ptr<daemon::AcdServer> server_;
  std::unique_ptr<v1::Admin::Stub> admin_;
  std::unique_ptr<v1::Intake::Stub> intake_;
  std::unique_ptr<v1::AgentDesk::Stub> desk_;
};

TEST_F(AdminServiceTest, AReloadKeepsContactsAndAgentsAndLetsANewAgentIn) {
  ASSERT_TRUE(SetReady("t-alice").ok());
  const std::string held = Create("call-1", "acme.billing");
  const std::string waiting = Create("call-2", "acme.billing");
  ASSERT_EQ(Get(held).state(), v1::CONTACT_STATE_OFFERED);
  v1::SetStateResponse state;
  EXPECT_EQ(SetReady("t-carol").error_code(), grpc::StatusCode::UNAUTHENTICATED);

  WriteConfig(std::string(kTenantsAndQueues) + kAgents + kTokens + kCarolsToken);
  // The token names an agent the file does not define: refused whole, nothing changes.
  v1::ReloadConfigResponse refused = Reload();
  EXPECT_FALSE(refused.applied());
  ASSERT_EQ(refused.problems_size(), 1);
  EXPECT_GT(refused.problems(0).line(), 0);
  EXPECT_THAT(refused.problems(0).message(), HasSubstr("carol"));
  EXPECT_EQ(SetReady("t-carol").error_code(), grpc::StatusCode::UNAUTHENTICATED);

  WriteConfig(std::string(kTenantsAndQueues) + kAgents + kCarolJoins + kTokens + kCarolsToken);
  const v1::ReloadConfigResponse dry = Reload(/*dry_run=*/true);
  EXPECT_FALSE(dry.applied());
  EXPECT_EQ(dry.problems_size(), 0);
  EXPECT_THAT(Changes(dry), ElementsAre("CONFIG_CHANGE_TYPE_ADDED agent acme/carol",
                                        "CONFIG_CHANGE_TYPE_ADDED token acme/carol"));
  EXPECT_EQ(SetReady("t-carol").error_code(), grpc::StatusCode::UNAUTHENTICATED);

  const v1::ReloadConfigResponse applied = Reload();
  EXPECT_TRUE(applied.applied()) << (applied.problems().empty() ? ""
                                                                : applied.problems(0).message());
  EXPECT_EQ(applied.summary().agents(), 2);
  EXPECT_EQ(applied.config_path(), config_path_.string());
  // Alice is still logged in with her offer; Carol logs in and takes the waiting call.
  EXPECT_EQ(Get(held).state(), v1::CONTACT_STATE_OFFERED);
  EXPECT_EQ(Get(held).agent_id(), "alice");
  ASSERT_TRUE(SetReady("t-carol").ok());
  EXPECT_EQ(Get(waiting).agent_id(), "carol");

  // The state and the new catalog go on across a restart.
  Restart();
  EXPECT_EQ(Get(waiting).agent_id(), "carol");
  EXPECT_EQ(Get(held).agent_id(), "alice");
}

TEST_F(AdminServiceTest, AReloadThatWouldStrandLiveContactsIsRefused) {
  Create("mail-1", "acme.support");
  const std::string without_support = R"(
tenants:
  - {id: acme, name: Acme, skills: [billing, support]}
  - {id: globex, name: Globex, skills: [sales]}
queues:
  - {id: acme.billing, tenant: acme, name: Billing, channels: [voice]}
  - {id: globex.sales, tenant: globex, channels: [voice]}
)";
  WriteConfig(without_support + kAgents + kTokens);
  const v1::ReloadConfigResponse refused = Reload();
  EXPECT_FALSE(refused.applied());
  ASSERT_EQ(refused.problems_size(), 1);
  EXPECT_THAT(refused.problems(0).message(), HasSubstr("queue 'acme.support' has live contact"));
  EXPECT_THAT(Changes(refused), ElementsAre("CONFIG_CHANGE_TYPE_REMOVED queue acme/acme.support"));
  v1::ListQueueConfigsRequest list;
  list.set_tenant_id("acme");
  v1::ListQueueConfigsResponse queues;
  ASSERT_TRUE(admin_->ListQueueConfigs(Call("t-root").get(), list, &queues).ok());
  EXPECT_EQ(queues.queues_size(), 2) << "nothing was applied";
}

TEST_F(AdminServiceTest, AnAdminAddsAQueueAnAgentAndItsTokenWhileContactsWait) {
  const std::string waiting = Create("call-1", "acme.billing");

  v1::UpsertQueueRequest queue;
  queue.mutable_queue()->set_tenant_id("acme");
  queue.mutable_queue()->set_queue_id("acme.sales");
  queue.mutable_queue()->add_channels(v1::CHANNEL_VOICE);
  queue.mutable_queue()->mutable_offer_timeout()->set_seconds(15);
  v1::UpsertQueueResponse queued;
  ASSERT_TRUE(admin_->UpsertQueue(Call("t-acme-admin").get(), queue, &queued).ok());
  EXPECT_TRUE(queued.created());
  EXPECT_EQ(queued.queue().offer_timeout().seconds(), 15);

  v1::UpsertAgentRequest agent;
  agent.mutable_agent()->set_tenant_id("acme");
  agent.mutable_agent()->set_agent_id("dave");
  agent.mutable_agent()->set_display_name("Dave");
  v1::SkillLevel& skill = *agent.mutable_agent()->add_skills();
  skill.set_skill("billing");
  skill.set_level(4);
  agent.mutable_agent()->add_queue_ids("acme.billing");
  agent.mutable_agent()->add_queue_ids("acme.sales");
  v1::UpsertAgentResponse added;
  ASSERT_TRUE(admin_->UpsertAgent(Call("t-acme-admin").get(), agent, &added).ok());
  EXPECT_TRUE(added.created());

  v1::UpsertTokenRequest token;
  token.mutable_token()->set_name("dave");
  token.mutable_token()->set_role(v1::ROLE_AGENT);
  token.mutable_token()->set_tenant_id("acme");
  token.mutable_token()->set_agent_id("dave");
  v1::UpsertTokenResponse issued;
  ASSERT_TRUE(admin_->UpsertToken(Call("t-acme-admin").get(), token, &issued).ok());
  ASSERT_FALSE(issued.secret().empty());
  // The new agent logs in with the new secret and takes the call that was waiting.
  ASSERT_TRUE(SetReady(issued.secret()).ok());
  EXPECT_EQ(Get(waiting).agent_id(), "dave");

  v1::ListTokensRequest list;
  list.set_tenant_id("acme");
  v1::ListTokensResponse tokens;
  ASSERT_TRUE(admin_->ListTokens(Call("t-root").get(), list, &tokens).ok());
  EXPECT_EQ(tokens.tokens_size(), 4);
  // A rotated secret replaces the old one at once.
  token.set_rotate_secret(true);
  v1::UpsertTokenResponse rotated;
  ASSERT_TRUE(admin_->UpsertToken(Call("t-root").get(), token, &rotated).ok());
  EXPECT_FALSE(rotated.created());
  EXPECT_EQ(SetReady(issued.secret()).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(SetReady(rotated.secret()).ok());
  // Disabled, it is refused but kept; an expiry must lie ahead.
  token.set_rotate_secret(false);
  token.mutable_token()->set_disabled(true);
  token.mutable_token()->mutable_expires_at()->set_seconds(
      std::chrono::duration_cast<std::chrono::seconds>(
          std::chrono::system_clock::now().time_since_epoch() + std::chrono::hours(24))
          .count());
  v1::UpsertTokenResponse disabled;
  ASSERT_TRUE(admin_->UpsertToken(Call("t-root").get(), token, &disabled).ok());
  EXPECT_TRUE(disabled.token().disabled());
  EXPECT_TRUE(disabled.token().has_expires_at());
  const grpc::Status refused = SetReady(rotated.secret());
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(refused.error_message(), HasSubstr("disabled"));
  token.mutable_token()->set_disabled(false);
  token.mutable_token()->mutable_expires_at()->set_seconds(1'000'000);
  EXPECT_EQ(admin_->UpsertToken(Call("t-root").get(), token, &disabled).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  token.mutable_token()->clear_expires_at();
  ASSERT_TRUE(admin_->UpsertToken(Call("t-root").get(), token, &disabled).ok());
  EXPECT_TRUE(SetReady(rotated.secret()).ok());

  // A reload goes back to the file: Dave is logged in, so it is refused rather than strand him.
  const v1::ReloadConfigResponse reload = Reload();
  EXPECT_FALSE(reload.applied());
  ASSERT_EQ(reload.problems_size(), 1);
  EXPECT_THAT(reload.problems(0).message(), HasSubstr("agent 'dave'"));
}

TEST_F(AdminServiceTest, ChangesThatDoNotHoldTogetherAreRefusedNamingWhy) {
  Create("call-1", "acme.billing");
  v1::RemoveQueueRequest remove_queue;
  remove_queue.set_tenant_id("acme");
  remove_queue.set_queue_id("acme.billing");
  v1::RemoveQueueResponse removed_queue;
  grpc::Status status = admin_->RemoveQueue(Call("t-root").get(), remove_queue, &removed_queue);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("live contact"));

  v1::RemoveSkillRequest remove_skill;
  remove_skill.set_tenant_id("acme");
  remove_skill.set_skill("billing");
  v1::RemoveSkillResponse removed_skill;
  status = admin_->RemoveSkill(Call("t-root").get(), remove_skill, &removed_skill);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("billing"));
  remove_skill.set_skill("support");  // Nobody uses it.
  EXPECT_TRUE(admin_->RemoveSkill(Call("t-root").get(), remove_skill, &removed_skill).ok());

  v1::UpsertQueueRequest no_channels;
  no_channels.mutable_queue()->set_tenant_id("acme");
  no_channels.mutable_queue()->set_queue_id("acme.empty");
  v1::UpsertQueueResponse queued;
  status = admin_->UpsertQueue(Call("t-root").get(), no_channels, &queued);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("queue.channels"));

  v1::RemoveTenantRequest remove_tenant;
  remove_tenant.set_tenant_id("globex");
  v1::RemoveTenantResponse removed_tenant;
  EXPECT_EQ(
      admin_->RemoveTenant(Call("t-acme-admin").get(), remove_tenant, &removed_tenant).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(admin_->RemoveTenant(Call("t-root").get(), remove_tenant, &removed_tenant).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  v1::UpsertTenantRequest tenant;
  tenant.mutable_tenant()->set_tenant_id("initech");
  v1::UpsertTenantResponse upserted;
  EXPECT_EQ(admin_->UpsertTenant(Call("t-acme-admin").get(), tenant, &upserted).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  tenant.mutable_tenant()->set_time_zone("Mars/Olympus");
  EXPECT_EQ(admin_->UpsertTenant(Call("t-root").get(), tenant, &upserted).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  tenant.mutable_tenant()->set_time_zone("Europe/Lisbon");
  ASSERT_TRUE(admin_->UpsertTenant(Call("t-root").get(), tenant, &upserted).ok());
  EXPECT_TRUE(upserted.created());

  v1::RemoveTokenRequest self;
  self.set_name("root");
  v1::RemoveTokenResponse removed_token;
  EXPECT_EQ(admin_->RemoveToken(Call("t-root").get(), self, &removed_token).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::RemoveTokenRequest alice;
  alice.set_tenant_id("acme");
  alice.set_name("alice");
  ASSERT_TRUE(admin_->RemoveToken(Call("t-acme-admin").get(), alice, &removed_token).ok());
  EXPECT_EQ(SetReady("t-alice").error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AdminServiceTest, StreamsOpenedWithARemovedOrRotatedTokenEnd) {
  auto desk_context = Call("t-alice");
  std::unique_ptr<grpc::ClientReader<v1::AgentEvent>> desk =
      desk_->StreamEvents(desk_context.get(), v1::StreamEventsRequest());
  desk->WaitForInitialMetadata();
  auto watch_context = Call("t-gateway");
  std::unique_ptr<grpc::ClientReader<v1::ContactEvent>> watch =
      intake_->WatchContacts(watch_context.get(), v1::WatchContactsRequest());
  watch->WaitForInitialMetadata();

  v1::RemoveTokenRequest remove;
  remove.set_tenant_id("acme");
  remove.set_name("alice");
  v1::RemoveTokenResponse removed;
  ASSERT_TRUE(admin_->RemoveToken(Call("t-root").get(), remove, &removed).ok());
  v1::AgentEvent agent_event;
  while (desk->Read(&agent_event)) {
  }
  EXPECT_EQ(desk->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);

  v1::UpsertTokenRequest rotate;
  rotate.mutable_token()->set_name("acme-gateway");
  rotate.mutable_token()->set_role(v1::ROLE_GATEWAY);
  rotate.mutable_token()->set_tenant_id("acme");
  rotate.set_rotate_secret(true);
  v1::UpsertTokenResponse rotated;
  ASSERT_TRUE(admin_->UpsertToken(Call("t-root").get(), rotate, &rotated).ok());
  v1::ContactEvent contact_event;
  while (watch->Read(&contact_event)) {
  }
  EXPECT_EQ(watch->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AdminServiceTest, OnlyAGlobalAdminReloads) {
  v1::ReloadConfigResponse response;
  EXPECT_EQ(admin_->ReloadConfig(Call("t-acme-admin").get(), {}, &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(admin_->ReloadConfig(Call("t-gateway").get(), {}, &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(AdminServiceTest, ADocumentIsCheckedWithoutBeingApplied) {
  v1::ValidateConfigRequest request;
  request.set_yaml(std::string(kTenantsAndQueues) + kAgents + kTokens);
  v1::ValidateConfigResponse valid;
  ASSERT_TRUE(admin_->ValidateConfig(Call("t-acme-admin").get(), request, &valid).ok());
  EXPECT_TRUE(valid.valid());
  EXPECT_EQ(valid.summary().tenants(), 2);
  EXPECT_EQ(valid.summary().skills(), 3);
  EXPECT_EQ(valid.summary().queues(), 3);
  EXPECT_EQ(valid.summary().agents(), 1);
  EXPECT_EQ(valid.summary().tokens(), 4);

  request.set_yaml(
      "tenants:\n  - {id: acme, name: Acme}\nqueues:\n  - {id: q, tenant: nobody, "
      "channels: [voice]}\n");
  v1::ValidateConfigResponse invalid;
  ASSERT_TRUE(admin_->ValidateConfig(Call("t-root").get(), request, &invalid).ok());
  EXPECT_FALSE(invalid.valid());
  ASSERT_EQ(invalid.problems_size(), 1);
  EXPECT_EQ(invalid.problems(0).line(), 4);
  EXPECT_GT(invalid.problems(0).column(), 0);
  EXPECT_THAT(invalid.problems(0).message(), HasSubstr("nobody"));
  EXPECT_EQ(invalid.problems(0).severity(), v1::CONFIG_PROBLEM_SEVERITY_ERROR);

  request.set_yaml(std::string(4 * 1024 * 1024 + 1, '#'));
  EXPECT_EQ(admin_->ValidateConfig(Call("t-root").get(), request, &invalid).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(AdminServiceTest, ListingsShowTheConfigurationInForceToThoseWhoManageIt) {
  v1::ListTenantsResponse all;
  ASSERT_TRUE(admin_->ListTenants(Call("t-root").get(), {}, &all).ok());
  ASSERT_EQ(all.tenants_size(), 2);
  EXPECT_EQ(all.tenants(0).tenant_id(), "acme");
  v1::ListTenantsResponse own;
  ASSERT_TRUE(admin_->ListTenants(Call("t-acme-admin").get(), {}, &own).ok());
  ASSERT_EQ(own.tenants_size(), 1);

  v1::ListAgentConfigsRequest agents_request;
  agents_request.set_tenant_id("acme");
  v1::ListAgentConfigsResponse agents;
  ASSERT_TRUE(admin_->ListAgentConfigs(Call("t-acme-admin").get(), agents_request, &agents).ok());
  ASSERT_EQ(agents.agents_size(), 1);
  EXPECT_EQ(agents.agents(0).display_name(), "Alice");
  EXPECT_EQ(agents.agents(0).skills(0).level(), 7);
  agents_request.set_tenant_id("globex");
  EXPECT_EQ(
      admin_->ListAgentConfigs(Call("t-acme-admin").get(), agents_request, &agents).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  agents_request.set_tenant_id("initech");
  EXPECT_EQ(admin_->ListAgentConfigs(Call("t-root").get(), agents_request, &agents).error_code(),
            grpc::StatusCode::NOT_FOUND);
  agents_request.clear_tenant_id();
  EXPECT_EQ(admin_->ListAgentConfigs(Call("t-root").get(), agents_request, &agents).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  v1::ListSkillsRequest skills_request;
  skills_request.set_tenant_id("acme");
  v1::ListSkillsResponse skills;
  ASSERT_TRUE(admin_->ListSkills(Call("t-root").get(), skills_request, &skills).ok());
  ASSERT_EQ(skills.skills_size(), 2);
  EXPECT_EQ(skills.skills(1).skill(), "support");

  v1::ListQueueConfigsRequest queues_request;
  queues_request.set_tenant_id("acme");
  v1::ListQueueConfigsResponse queues;
  ASSERT_TRUE(admin_->ListQueueConfigs(Call("t-root").get(), queues_request, &queues).ok());
  ASSERT_EQ(queues.queues_size(), 2);
  EXPECT_EQ(queues.queues(1).queue_id(), "acme.support");
  EXPECT_EQ(queues.queues(1).channels_size(), 2);

  v1::ListTokensRequest tokens_request;
  tokens_request.set_tenant_id("acme");
  v1::ListTokensResponse tokens;
  ASSERT_TRUE(admin_->ListTokens(Call("t-acme-admin").get(), tokens_request, &tokens).ok());
  std::vector<std::string> names;
  for (const v1::Token& token : tokens.tokens()) names.push_back(token.name());
  EXPECT_THAT(names, ElementsAre("acme-admin", "acme-gateway", "alice"));
  EXPECT_EQ(tokens.tokens(2).agent_id(), "alice");
  tokens_request.clear_tenant_id();
  EXPECT_EQ(admin_->ListTokens(Call("t-acme-admin").get(), tokens_request, &tokens).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(admin_->ListTokens(Call("t-root").get(), tokens_request, &tokens).ok());
  ASSERT_EQ(tokens.tokens_size(), 1);
  EXPECT_EQ(tokens.tokens(0).name(), "root");
}

}  // namespace
}  // namespace acd::integration
