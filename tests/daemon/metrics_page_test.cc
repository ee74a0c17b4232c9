// The /metrics page's routing families, formatted from the core's figures.

#include "daemon/metrics_page.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "daemon/prometheus_text.h"

namespace acd::daemon {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(MetricsPageTest, EveryQueueHasItsSeriesAndMissingKpisAreLeftOut) {
  CoreFigures figures;
  routing::QueueSummary billing{.tenant = routing::TenantId("acme"),
                                .queue = routing::QueueId("acme.billing"),
                                .waiting = 4,
                                .longest_wait = std::chrono::milliseconds(12'500),
                                .agents_ready = 1,
                                .agents_busy = 2,
                                .agents_not_ready = 3};
  billing.today.offered = 9;
  billing.today.answered = 5;
  billing.today.abandoned = 1;
  billing.today.service_level = 0.8;
  billing.today.average_speed_of_answer = std::chrono::seconds(7);
  billing.today.average_handle_time = std::chrono::seconds(200);
  figures.queues.push_back(billing);
  figures.queues.push_back(
      {.tenant = routing::TenantId("acme"), .queue = routing::QueueId("acme.\"quoted\"")});
  routing::TenantSummary acme{.tenant = routing::TenantId("acme")};
  acme.agents[static_cast<std::size_t>(routing::Activity::kIdle)] = 1;
  figures.tenants.push_back(acme);
  PrometheusText out;
  MetricsPage::WriteCore(figures, out);
  const std::string& text = out.text();
  const std::string labels = "tenant=\"acme\",queue=\"acme.billing\"";
  EXPECT_THAT(text, HasSubstr(absl::StrCat("acd_queue_waiting_contacts{", labels, "} 4\n")));
  EXPECT_THAT(text, HasSubstr(absl::StrCat("acd_queue_longest_wait_seconds{", labels, "} 12.5\n")));
  EXPECT_THAT(text,
              HasSubstr(absl::StrCat("acd_queue_agents{", labels, ",state=\"not-ready\"} 3\n")));
  EXPECT_THAT(text, HasSubstr(absl::StrCat("acd_queue_contacts_offered_total{", labels, "} 9\n")));
  EXPECT_THAT(text, HasSubstr(absl::StrCat("acd_queue_contacts_answered_total{", labels, "} 5\n")));
  EXPECT_THAT(text,
              HasSubstr(absl::StrCat("acd_queue_contacts_abandoned_total{", labels, "} 1\n")));
  EXPECT_THAT(text, HasSubstr(absl::StrCat("acd_queue_service_level_ratio{", labels, "} 0.8\n")));
  EXPECT_THAT(
      text, HasSubstr(absl::StrCat("acd_queue_average_speed_of_answer_seconds{", labels, "} 7\n")));
  EXPECT_THAT(text,
              HasSubstr(absl::StrCat("acd_queue_average_handle_time_seconds{", labels, "} 200\n")));
  EXPECT_THAT(text, HasSubstr("acd_tenant_agents{tenant=\"acme\",state=\"idle\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("acd_tenant_agents{tenant=\"acme\",state=\"logged-out\"} 0\n"));
  // The second queue: counted, but with no answers it has no service level, ASA or AHT.
  const std::string quoted = R"(tenant="acme",queue="acme.\"quoted\"")";
  EXPECT_THAT(text, HasSubstr(absl::StrCat("acd_queue_waiting_contacts{", quoted, "} 0\n")));
  EXPECT_THAT(text, Not(HasSubstr(absl::StrCat("acd_queue_service_level_ratio{", quoted))));

  // Each family's HELP and TYPE come once, before its samples.
  int types = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StartsWith(line, "# TYPE acd_queue_waiting_contacts ")) ++types;
  }
  EXPECT_EQ(types, 1);
}

TEST(MetricsPageTest, AThousandQueuesMakeOneSeriesEachPerFamily) {
  CoreFigures figures;
  for (int q = 0; q < 1000; ++q) {
    figures.queues.push_back({.tenant = routing::TenantId(absl::StrCat("t", q % 10)),
                              .queue = routing::QueueId(absl::StrCat("q", q)),
                              .waiting = q});
  }
  PrometheusText out;
  MetricsPage::WriteCore(figures, out);
  int waiting_lines = 0;
  for (absl::string_view line : absl::StrSplit(out.text(), '\n')) {
    if (absl::StartsWith(line, "acd_queue_waiting_contacts{")) ++waiting_lines;
  }
  EXPECT_EQ(waiting_lines, 1000);
  EXPECT_THAT(out.text(),
              HasSubstr("acd_queue_waiting_contacts{tenant=\"t9\",queue=\"q999\"} 999\n"));
}

}  // namespace
}  // namespace acd::daemon
