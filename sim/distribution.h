#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sim/random.h"

namespace acd::sim {

/// A distribution of durations in seconds: handle times, think times, patience, breaks.
struct Distribution {
  enum class Kind { kFixed, kExponential, kLogNormal };
  Kind kind = Kind::kExponential;
  /// Mean in seconds (>= 0; > 0 for exponential and log-normal).
  double mean_s = 0.0;
  /// Log-normal only: standard deviation over mean (> 0).
  double cv = 1.0;

  /// One draw, in seconds.
  double Sample(Random& random) const;
  /// "exponential(mean 180 s)" and the like, for summaries.
  std::string Describe() const;
};

/// The name of a kind as scenario files spell it: "fixed", "exponential", "lognormal".
std::string_view DistributionKindName(Distribution::Kind kind);
std::optional<Distribution::Kind> ParseDistributionKind(std::string_view name);

}  // namespace acd::sim
