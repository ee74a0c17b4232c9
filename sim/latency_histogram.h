#pragma once

#include <array>
#include <cstdint>

namespace acd::sim {

/// A log-linear histogram of non-negative integers (latencies in microseconds), in the manner of
/// HdrHistogram: exact below 128, then 64 buckets per power of two, so that every recorded value
/// is known within 1/64 (1.6 %) of itself, from 0 up to 2^63, in a fixed 30 KiB. Recording is a
/// few instructions and never allocates.
///
/// Not thread-safe: one per thread, merged for reading, or guarded by the caller.
class LatencyHistogram {
 public:
  void Record(std::uint64_t value);
  /// Adds every value recorded in `other`.
  void Merge(const LatencyHistogram& other);

  std::uint64_t Count() const { return count_; }
  /// 0 when empty.
  std::uint64_t Max() const { return max_; }
  double Mean() const;
  /// The smallest value v such that at least `percentile` % of the recorded values are <= v, as
  /// the highest value of its bucket (never below a recorded value, at most 1.6 % above it) and at
  /// most Max(); 0 when empty. `percentile` in [0, 100].
  std::uint64_t ValueAtPercentile(double percentile) const;

 private:
  static constexpr int kLinearBits = 7;  // values below 2^7 have a bucket each
  static constexpr int kSubBuckets = 1 << (kLinearBits - 1);
  static constexpr std::size_t kBucketCount = (64 - kLinearBits + 2) * kSubBuckets;

  static std::size_t BucketOf(std::uint64_t value);
  static std::uint64_t HighestIn(std::size_t bucket);

  std::array<std::uint64_t, kBucketCount> buckets_{};
  std::uint64_t count_ = 0;
  std::uint64_t max_ = 0;
  // Sum as a double: a mean needs no more precision, and it cannot overflow.
  double sum_ = 0.0;
};

}  // namespace acd::sim
