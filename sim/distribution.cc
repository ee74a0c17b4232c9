#include "sim/distribution.h"

#include <cmath>
#include <cstdio>

namespace acd::sim {

double Distribution::Sample(Random& random) const {
  switch (kind) {
    case Kind::kFixed:
      return mean_s;
    case Kind::kExponential:
      return random.Exponential(mean_s);
    case Kind::kLogNormal: {
      // Parameters of the underlying normal that give this mean and coefficient of variation.
      const double sigma_squared = std::log1p(cv * cv);
      const double mu = std::log(mean_s) - sigma_squared / 2.0;
      return std::exp(mu + std::sqrt(sigma_squared) * random.Normal());
    }
  }
  return mean_s;
}

std::string Distribution::Describe() const {
  char text[96];
  if (kind == Kind::kLogNormal) {
    std::snprintf(text, sizeof text, "lognormal(mean %.4g s, cv %.3g)", mean_s, cv);
  } else {
    std::snprintf(text, sizeof text, "%s(mean %.4g s)",
                  std::string(DistributionKindName(kind)).c_str(), mean_s);
  }
  return text;
}

std::string_view DistributionKindName(Distribution::Kind kind) {
  switch (kind) {
    case Distribution::Kind::kFixed:
      return "fixed";
    case Distribution::Kind::kExponential:
      return "exponential";
    case Distribution::Kind::kLogNormal:
      return "lognormal";
  }
  return "?";
}

std::optional<Distribution::Kind> ParseDistributionKind(std::string_view name) {
  for (Distribution::Kind kind : {Distribution::Kind::kFixed, Distribution::Kind::kExponential,
                                  Distribution::Kind::kLogNormal}) {
    if (name == DistributionKindName(kind)) return kind;
  }
  return std::nullopt;
}

}  // namespace acd::sim
