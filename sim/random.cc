#include "sim/random.h"

#include <cmath>
#include <numbers>

namespace acd::sim {

double Random::Uniform() {
  // 53 random bits, shifted by half a step so that neither 0 nor 1 comes out.
  const std::uint64_t bits = engine_() >> 11;
  return (static_cast<double>(bits) + 0.5) * 0x1.0p-53;
}

double Random::Exponential(double mean) { return -mean * std::log(Uniform()); }

double Random::Normal() {
  const double radius = std::sqrt(-2.0 * std::log(Uniform()));
  return radius * std::cos(2.0 * std::numbers::pi * Uniform());
}

std::uint64_t Random::Below(std::uint64_t n) {
  // Rejection keeps every value equally likely.
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  std::uint64_t draw = engine_();
  while (draw >= limit) draw = engine_();
  return draw % n;
}

}  // namespace acd::sim
