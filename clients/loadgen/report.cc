#include "clients/loadgen/report.h"

#include <cstdio>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"

namespace acd::clients::loadgen {
namespace {

constexpr std::pair<const char*, double> kPercentiles[] = {
    {"p50", 50.0}, {"p90", 90.0}, {"p99", 99.0}, {"p99.9", 99.9}};

double PerSecond(std::int64_t count, double seconds) {
  return seconds > 0 ? static_cast<double>(count) / seconds : 0.0;
}

std::string Number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

std::string Milliseconds(std::uint64_t microseconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", static_cast<double>(microseconds) / 1000.0);
  return text;
}

std::string LatencyLine(const char* name, const sim::LatencyHistogram& histogram) {
  std::string line = absl::StrCat("  ", name);
  line.resize(22, ' ');
  if (histogram.Count() == 0) return line + "(none measured)\n";
  for (const auto& [label, percentile] : kPercentiles) {
    absl::StrAppend(&line, label, " ", Milliseconds(histogram.ValueAtPercentile(percentile)), "  ");
  }
  absl::StrAppend(&line, "max ", Milliseconds(histogram.Max()), " ms  (", histogram.Count(), ")\n");
  return line;
}

std::string LatencyJson(const sim::LatencyHistogram& histogram) {
  std::string json = absl::StrCat("{\"count\":", histogram.Count());
  for (const auto& [label, percentile] : kPercentiles) {
    absl::StrAppend(&json, ",\"", label, "\":", histogram.ValueAtPercentile(percentile));
  }
  absl::StrAppend(&json, ",\"max\":", histogram.Max(), "}");
  return json;
}

}  // namespace

std::string SummaryText(const RunResult& result, const ReportContext& context) {
  const double seconds = result.duration_s;
  std::string text =
      absl::StrCat("acd-loadgen against ", context.target, ": ", Number(seconds),
                   " s of arrivals at ", Number(context.offered_rate_per_s), "/s (time scale ",
                   Number(context.time_scale), ", ", context.agents, " agents)\n");
  absl::StrAppend(&text, "throughput  offered ",
                  Number(PerSecond(result.offered_in_window, seconds)), "/s  acknowledged ",
                  Number(PerSecond(result.acknowledged_in_window, seconds)), "/s  assigned ",
                  Number(PerSecond(result.assigned_in_window, seconds)), "/s\n");
  absl::StrAppend(&text, "contacts    offered ", result.offered, "  acknowledged ",
                  result.acknowledged, "  failed ", result.create_failed, "  skipped ",
                  result.skipped, "  assigned ", result.assigned, "  abandoned ", result.abandoned,
                  "  completed ", result.completed, "  unresolved ", result.unresolved, "\n");
  for (const auto& [code, count] : result.create_errors) {
    absl::StrAppend(&text, "  create failed with ", code, ": ", count, "\n");
  }
  absl::StrAppend(&text, "latency (ms)\n", LatencyLine("create -> ack", result.create_to_ack),
                  LatencyLine("create -> offer", result.create_to_offer),
                  LatencyLine("accept -> gateway", result.accept_to_gateway),
                  LatencyLine("send lag", result.send_lag));
  char simulation[200];
  std::snprintf(simulation, sizeof simulation,
                "simulation  service level %.1f %%  ASA %.2f s  abandon rate %.1f %%  occupancy "
                "%.1f %%\n",
                100.0 * result.ServiceLevel(), result.AverageSpeedOfAnswer(),
                100.0 * result.AbandonRate(), 100.0 * result.Occupancy());
  text += simulation;
  return text;
}

std::string SummaryJson(const RunResult& result, const ReportContext& context) {
  const double seconds = result.duration_s;
  std::string json = absl::StrCat(
      "{\"target\":\"", context.target, "\",\"duration_s\":", Number(seconds),
      ",\"rate_per_s\":", Number(context.offered_rate_per_s),
      ",\"time_scale\":", Number(context.time_scale), ",\"agents\":", context.agents,
      ",\"offered_per_s\":", Number(PerSecond(result.offered_in_window, seconds)),
      ",\"acknowledged_per_s\":", Number(PerSecond(result.acknowledged_in_window, seconds)),
      ",\"assigned_per_s\":", Number(PerSecond(result.assigned_in_window, seconds)),
      ",\"latency_us\":{\"create_to_ack\":", LatencyJson(result.create_to_ack),
      ",\"create_to_offer\":", LatencyJson(result.create_to_offer),
      ",\"accept_to_gateway\":", LatencyJson(result.accept_to_gateway),
      ",\"send_lag\":", LatencyJson(result.send_lag), "}");
  absl::StrAppend(&json, ",\"service_level\":", Number(result.ServiceLevel()),
                  ",\"asa_s\":", Number(result.AverageSpeedOfAnswer()),
                  ",\"abandon_rate\":", Number(result.AbandonRate()),
                  ",\"occupancy\":", Number(result.Occupancy()));
  absl::StrAppend(&json, ",\"contacts\":{\"offered\":", result.offered,
                  ",\"acknowledged\":", result.acknowledged, ",\"failed\":", result.create_failed,
                  ",\"skipped\":", result.skipped, ",\"assigned\":", result.assigned,
                  ",\"abandoned\":", result.abandoned, ",\"completed\":", result.completed,
                  ",\"unresolved\":", result.unresolved,
                  ",\"accept_failed\":", result.accept_failed, "}");
  absl::StrAppend(&json, ",\"create_errors\":{");
  bool first = true;
  for (const auto& [code, count] : result.create_errors) {
    absl::StrAppend(&json, first ? "" : ",", "\"", code, "\":", count);
    first = false;
  }
  json += "}}";
  return json;
}

}  // namespace acd::clients::loadgen
