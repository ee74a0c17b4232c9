// The Prometheus text exposition format writer: families, escaping, values, histograms.

#include "daemon/prometheus_text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <limits>
#include <string>

namespace acd::daemon {
namespace {

TEST(PrometheusTextTest, FamiliesHaveHelpAndTypeThenTheirSamples) {
  PrometheusText out;
  out.Family("acd_things_total", "counter", "Things counted.");
  out.Sample("acd_things_total", {{"kind", "a"}}, std::uint64_t{3});
  out.Sample("acd_things_total", {{"kind", "b"}, {"colour", "red"}}, std::uint64_t{0});
  out.Family("acd_level", "gauge", "A level.");
  out.Sample("acd_level", {}, 0.25);
  EXPECT_EQ(out.text(),
            "# HELP acd_things_total Things counted.\n"
            "# TYPE acd_things_total counter\n"
            "acd_things_total{kind=\"a\"} 3\n"
            "acd_things_total{kind=\"b\",colour=\"red\"} 0\n"
            "# HELP acd_level A level.\n"
            "# TYPE acd_level gauge\n"
            "acd_level 0.25\n");
}

TEST(PrometheusTextTest, LabelValuesAndHelpAreEscaped) {
  EXPECT_EQ(PrometheusText::EscapeLabelValue(R"(a\b"c)"
                                             "\n"
                                             "d"),
            R"(a\\b\"c\nd)");
  EXPECT_EQ(PrometheusText::EscapeLabelValue("acme.billing é"), "acme.billing é");
  PrometheusText out;
  out.Family("acd_x", "gauge", "Back\\slash and\nnew line, \"quotes\" kept.");
  out.Sample("acd_x", {{"queue", "q\"1\"\n"}}, 1.0);
  EXPECT_EQ(out.text(),
            "# HELP acd_x Back\\\\slash and\\nnew line, \"quotes\" kept.\n"
            "# TYPE acd_x gauge\n"
            "acd_x{queue=\"q\\\"1\\\"\\n\"} 1\n");
}

TEST(PrometheusTextTest, ValuesReadBackExactly) {
  EXPECT_EQ(PrometheusText::FormatValue(0.0), "0");
  EXPECT_EQ(PrometheusText::FormatValue(12.5), "12.5");
  EXPECT_EQ(PrometheusText::FormatValue(0.1), "0.1");
  EXPECT_EQ(PrometheusText::FormatValue(0.0005), "0.0005");
  EXPECT_EQ(PrometheusText::FormatValue(1234567.125), "1234567.125");
  EXPECT_EQ(PrometheusText::FormatValue(2.5e-9), "2.5e-09");
  EXPECT_EQ(PrometheusText::FormatValue(1e21), "1e+21");
  EXPECT_EQ(PrometheusText::FormatValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(PrometheusText::FormatValue(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(PrometheusText::FormatValue(std::numeric_limits<double>::quiet_NaN()), "NaN");
}

TEST(PrometheusTextTest, HistogramBucketsAreCumulativeAndEndWithInf) {
  PrometheusText out;
  const std::array<double, 3> bounds = {0.005, 0.1, 1};
  // 2 at or below 5 ms, none in (5 ms, 100 ms], 3 in (100 ms, 1 s], 1 above.
  const std::array<std::uint64_t, 4> counts = {2, 0, 3, 1};
  out.Family("acd_latency_seconds", "histogram", "Latency.");
  out.Histogram("acd_latency_seconds", {{"method", "M"}}, bounds, counts, 4.5);
  EXPECT_EQ(out.text(),
            "# HELP acd_latency_seconds Latency.\n"
            "# TYPE acd_latency_seconds histogram\n"
            "acd_latency_seconds_bucket{method=\"M\",le=\"0.005\"} 2\n"
            "acd_latency_seconds_bucket{method=\"M\",le=\"0.1\"} 2\n"
            "acd_latency_seconds_bucket{method=\"M\",le=\"1\"} 5\n"
            "acd_latency_seconds_bucket{method=\"M\",le=\"+Inf\"} 6\n"
            "acd_latency_seconds_sum{method=\"M\"} 4.5\n"
            "acd_latency_seconds_count{method=\"M\"} 6\n");
}

}  // namespace
}  // namespace acd::daemon
