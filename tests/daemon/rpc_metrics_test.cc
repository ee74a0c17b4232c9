// The RPC counters and latency histograms the gRPC interceptor feeds.

#include "daemon/rpc_metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "daemon/prometheus_text.h"

namespace acd::daemon {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(RpcMetricsTest, CountsByMethodAndCodeAndTimesUnaryCallsOnly) {
  RpcMetrics metrics({{.path = "/acd.v1.Intake/CreateContact", .streaming = false},
                      {.path = "/acd.v1.Intake/WatchContacts", .streaming = true}});
  metrics.Record("/acd.v1.Intake/CreateContact", 0, true, 0.0002);
  metrics.Record("/acd.v1.Intake/CreateContact", 0, true, 0.03);
  metrics.Record("/acd.v1.Intake/CreateContact", 3, true, 20);
  metrics.Record("/acd.v1.Intake/WatchContacts", 14, false, 100);
  metrics.Record("/nobody.Knows/This", 12, false, 0.001);
  PrometheusText out;
  metrics.WriteTo(out);
  const std::string& text = out.text();
  EXPECT_THAT(text, HasSubstr("# TYPE acd_grpc_server_handled_total counter\n"));
  EXPECT_THAT(text, HasSubstr("acd_grpc_server_handled_total{grpc_service=\"acd.v1.Intake\","
                              "grpc_method=\"CreateContact\",grpc_code=\"OK\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("acd_grpc_server_handled_total{grpc_service=\"acd.v1.Intake\","
                              "grpc_method=\"CreateContact\",grpc_code=\"INVALID_ARGUMENT\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("grpc_method=\"WatchContacts\",grpc_code=\"OK\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("grpc_method=\"WatchContacts\",grpc_code=\"UNAVAILABLE\"} 1\n"));
  // Codes that never occurred are left out, but for OK.
  EXPECT_THAT(text, Not(HasSubstr("grpc_method=\"CreateContact\",grpc_code=\"NOT_FOUND\"")));
  // Unknown methods share one series, so clients cannot grow the label set.
  EXPECT_THAT(text, HasSubstr("acd_grpc_server_handled_total{grpc_service=\"other\","
                              "grpc_method=\"other\",grpc_code=\"UNIMPLEMENTED\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE acd_grpc_server_handling_seconds histogram\n"));
  const std::string create = "grpc_service=\"acd.v1.Intake\",grpc_method=\"CreateContact\"";
  EXPECT_THAT(text, HasSubstr(absl::StrCat("acd_grpc_server_handling_seconds_bucket{", create,
                                           ",le=\"0.0005\"} 1\n")));
  EXPECT_THAT(text, HasSubstr(absl::StrCat("acd_grpc_server_handling_seconds_bucket{", create,
                                           ",le=\"0.05\"} 2\n")));
  EXPECT_THAT(text, HasSubstr(absl::StrCat("acd_grpc_server_handling_seconds_bucket{", create,
                                           ",le=\"10\"} 2\n")));
  EXPECT_THAT(text, HasSubstr(absl::StrCat("acd_grpc_server_handling_seconds_bucket{", create,
                                           ",le=\"+Inf\"} 3\n")));
  EXPECT_THAT(text,
              HasSubstr(absl::StrCat("acd_grpc_server_handling_seconds_count{", create, "} 3\n")));
  // Never called: no histogram. A stream's lifetime is not a latency.
  EXPECT_THAT(text,
              Not(HasSubstr("acd_grpc_server_handling_seconds_count{grpc_service=\"other\"")));
  EXPECT_THAT(text, Not(HasSubstr("acd_grpc_server_handling_seconds_count{grpc_service=\"acd.v1."
                                  "Intake\",grpc_method=\"WatchContacts\"")));
}

}  // namespace
}  // namespace acd::daemon
