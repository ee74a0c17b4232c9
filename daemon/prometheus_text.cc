#include "daemon/prometheus_text.h"

#include <charconv>
#include <cmath>
#include <initializer_list>

#include "absl/strings/str_cat.h"

namespace acd::daemon {
namespace {

// Debian's abseil has its own string_view, which absl::StrCat does not take from std's.
void Append(std::string& out, std::initializer_list<std::string_view> pieces) {
  for (std::string_view piece : pieces) out.append(piece);
}

std::string Concat(std::string_view a, std::string_view b) {
  std::string joined(a);
  joined.append(b);
  return joined;
}

}  // namespace

std::string PrometheusText::EscapeLabelValue(std::string_view value) {
  std::string escaped;
  escaped.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\':
        escaped += "\\\\";
        break;
      case '"':
        escaped += "\\\"";
        break;
      case '\n':
        escaped += "\\n";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

std::string PrometheusText::FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  // Plain decimals (0.0005, not 5e-04) where they stay short, as bucket bounds are read by people.
  const double magnitude = std::fabs(value);
  const std::chars_format format = value == 0 || (magnitude >= 1e-6 && magnitude < 1e15)
                                       ? std::chars_format::fixed
                                       : std::chars_format::scientific;
  char buffer[64];
  const std::to_chars_result result = std::to_chars(buffer, buffer + sizeof(buffer), value, format);
  return {buffer, result.ptr};
}

void PrometheusText::Family(std::string_view name, std::string_view type, std::string_view help) {
  // In help text only backslash and line feed are escaped.
  std::string escaped_help;
  for (char c : help) {
    if (c == '\\') {
      escaped_help += "\\\\";
    } else if (c == '\n') {
      escaped_help += "\\n";
    } else {
      escaped_help += c;
    }
  }
  Append(out_, {"# HELP ", name, " ", escaped_help, "\n# TYPE ", name, " ", type, "\n"});
}

void PrometheusText::Series(std::string_view name, Labels labels, std::string_view extra_name,
                            std::string_view extra_value) {
  out_.append(name);
  if (labels.size() == 0 && extra_name.empty()) return;
  out_ += '{';
  bool first = true;
  for (const auto& [label, value] : labels) {
    if (!first) out_ += ',';
    first = false;
    Append(out_, {label, "=\"", EscapeLabelValue(value), "\""});
  }
  if (!extra_name.empty()) {
    if (!first) out_ += ',';
    Append(out_, {extra_name, "=\"", extra_value, "\""});
  }
  out_ += '}';
}

void PrometheusText::Sample(std::string_view name, Labels labels, double value) {
  Series(name, labels);
  Append(out_, {" ", FormatValue(value), "\n"});
}

void PrometheusText::Sample(std::string_view name, Labels labels, std::uint64_t value) {
  Series(name, labels);
  absl::StrAppend(&out_, " ", value, "\n");
}

void PrometheusText::Histogram(std::string_view name, Labels labels, std::span<const double> bounds,
                               std::span<const std::uint64_t> counts, double sum) {
  const std::string bucket = Concat(name, "_bucket");
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    if (i < counts.size()) cumulative += counts[i];
    Series(bucket, labels, "le", FormatValue(bounds[i]));
    absl::StrAppend(&out_, " ", cumulative, "\n");
  }
  if (bounds.size() < counts.size()) cumulative += counts[bounds.size()];
  Series(bucket, labels, "le", "+Inf");
  absl::StrAppend(&out_, " ", cumulative, "\n");
  Sample(Concat(name, "_sum"), labels, sum);
  Sample(Concat(name, "_count"), labels, cumulative);
}

}  // namespace acd::daemon
