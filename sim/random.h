#pragma once

#include <cstdint>
#include <random>

namespace acd::sim {

/// A seeded source of random draws. The engine's sequence is fixed by the C++ standard and the
/// transformations are our own (not `std::*_distribution`, whose algorithms each library picks),
/// so a seed gives the same draws with every compiler and standard library.
///
/// Not thread-safe: one per thread or simulation.
class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}

  /// Uniform in the open interval (0, 1).
  double Uniform();
  /// Exponential with the given mean (> 0).
  double Exponential(double mean);
  /// Standard normal (Box-Muller).
  double Normal();
  /// Uniform integer in [0, n), n > 0.
  std::uint64_t Below(std::uint64_t n);
  /// A new seed for an independent stream (one per simulated agent, say).
  std::uint64_t Fork() { return engine_(); }

 private:
  std::mt19937_64 engine_;
};

}  // namespace acd::sim
