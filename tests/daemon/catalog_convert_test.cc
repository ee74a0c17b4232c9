// The Admin service's messages and the catalog: every tenant, queue and agent of the example
// configuration survives the round trip, and values of the wrong shape are refused naming the
// field.

#include "daemon/catalog_convert.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "daemon/config_loader.h"

namespace acd::daemon {
namespace {

using ::testing::HasSubstr;

DaemonConfig ExampleConfig() {
  absl::StatusOr<DaemonConfig> config =
      LoadConfigFile(std::string(ACD_SOURCE_DIR) + "/config/example.yaml");
  EXPECT_TRUE(config.ok()) << config.status();
  return config.value_or(DaemonConfig{});
}

TEST(CatalogConvertTest, TheExampleConfigurationSurvivesTheRoundTrip) {
  const DaemonConfig config = ExampleConfig();
  ASSERT_FALSE(config.catalog.queues.empty());
  for (const routing::TenantConfig& tenant : config.catalog.tenants) {
    v1::Tenant message;
    convert::ToProto(tenant, message);
    absl::StatusOr<routing::TenantConfig> back = convert::FromProto(message, &tenant);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_TRUE(*back == tenant) << tenant.id.value();
  }
  for (const routing::QueueConfig& queue : config.catalog.queues) {
    v1::Queue message;
    convert::ToProto(queue, message);
    absl::StatusOr<routing::QueueConfig> back = convert::FromProto(message);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_TRUE(*back == queue) << queue.id.value() << "\n" << message.DebugString();
  }
  for (const routing::AgentConfig& agent : config.catalog.agents) {
    v1::Agent message;
    convert::ToProto(agent, message);
    absl::StatusOr<routing::AgentConfig> back = convert::FromProto(message);
    ASSERT_TRUE(back.ok()) << back.status();
    back->auto_accept = agent.auto_accept;  // Not in the message.
    EXPECT_TRUE(*back == agent) << agent.id.value();
  }
}

TEST(CatalogConvertTest, ValuesOfTheWrongShapeAreRefusedNamingTheField) {
  v1::Queue queue;
  queue.set_tenant_id("acme");
  queue.set_queue_id("has space");
  EXPECT_THAT(convert::FromProto(queue).status().message(), HasSubstr("queue.queue_id"));
  queue.set_queue_id("acme.q");
  queue.add_channels(v1::CHANNEL_VOICE);
  queue.mutable_offer_timeout()->set_seconds(-1);
  EXPECT_THAT(convert::FromProto(queue).status().message(), HasSubstr("queue.offer_timeout"));
  queue.clear_offer_timeout();
  v1::OpeningHours& hours = *queue.mutable_business_hours()->add_weekly();
  queue.mutable_business_hours()->set_time_zone("Europe/Lisbon");
  hours.set_day(v1::WEEKDAY_MONDAY);
  hours.set_open("9:00");
  hours.set_close("17:00");
  EXPECT_THAT(convert::FromProto(queue).status().message(),
              HasSubstr("queue.business_hours.weekly[0]"));
  hours.set_open("09:00");
  EXPECT_TRUE(convert::FromProto(queue).ok());
  queue.add_steps();
  EXPECT_THAT(convert::FromProto(queue).status().message(), HasSubstr("queue.steps[0]"));

  v1::Agent agent;
  agent.set_tenant_id("acme");
  agent.set_agent_id("zoe");
  v1::ChannelCapacity& capacity = *agent.add_capacity();
  capacity.set_channel(v1::CHANNEL_CHAT);
  capacity.set_max_contacts(21);
  EXPECT_THAT(convert::FromProto(agent).status().message(), HasSubstr("agent.capacity"));

  v1::Tenant tenant;
  tenant.set_tenant_id("initech");
  tenant.set_time_zone("Nowhere/Special");
  EXPECT_EQ(convert::FromProto(tenant, nullptr).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace acd::daemon
