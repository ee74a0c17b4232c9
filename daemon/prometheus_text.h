#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace acd::daemon {

/// Writes metrics in the Prometheus text exposition format, version 0.0.4: each family once,
/// its `# HELP` and `# TYPE` lines, then its samples, contiguous. Label values and help text
/// are escaped here; metric and label names are the caller's constants and must already be
/// valid (`[a-zA-Z_:][a-zA-Z0-9_:]*`).
///
/// Not thread-safe: one writer per scrape.
class PrometheusText {
 public:
  /// The media type a scraper expects for this format.
  static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

  using Labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

  /// Starts a family: `type` is `counter`, `gauge` or `histogram`. A counter's name ends in
  /// `_total`.
  void Family(std::string_view name, std::string_view type, std::string_view help);
  /// One sample of the current family (or of its `_bucket`, `_sum`, `_count` series).
  void Sample(std::string_view name, Labels labels, double value);
  void Sample(std::string_view name, Labels labels, std::uint64_t value);
  /// A histogram's series under `name` with `labels`: `counts[i]` observations fell at or below
  /// `bounds[i]` and above the bound before (not cumulative: that is done here), and
  /// `counts[bounds.size()]` above the last bound. Writes `_bucket` (cumulative, ending with
  /// `le="+Inf"`), `_sum` and `_count`. `counts` has `bounds.size() + 1` elements.
  void Histogram(std::string_view name, Labels labels, std::span<const double> bounds,
                 std::span<const std::uint64_t> counts, double sum);

  /// The text so far.
  const std::string& text() const { return out_; }
  std::string Take() { return std::move(out_); }

  /// A label value as the format wants it: backslash, double quote and line feed escaped.
  static std::string EscapeLabelValue(std::string_view value);
  /// A float as the format wants it: the shortest text that reads back the same, `+Inf`,
  /// `-Inf` or `NaN`.
  static std::string FormatValue(double value);

 private:
  void Series(std::string_view name, Labels labels, std::string_view extra_name = {},
              std::string_view extra_value = {});

  std::string out_;
};

}  // namespace acd::daemon
