#include "sim/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace acd::sim {

std::size_t LatencyHistogram::BucketOf(std::uint64_t value) {
  if (value < (std::uint64_t{1} << kLinearBits)) return static_cast<std::size_t>(value);
  // Keep the top kLinearBits - 1 bits below the leading one: value >> shift is in [64, 128).
  const int shift = std::bit_width(value) - kLinearBits;
  return static_cast<std::size_t>(kSubBuckets * shift + (value >> shift));
}

std::uint64_t LatencyHistogram::HighestIn(std::size_t bucket) {
  if (bucket < (std::size_t{1} << kLinearBits)) return bucket;
  const std::size_t shift = bucket / kSubBuckets - 1;
  const std::uint64_t mantissa = bucket - kSubBuckets * shift;
  return ((mantissa + 1) << shift) - 1;
}

void LatencyHistogram::Record(std::uint64_t value) {
  ++buckets_[BucketOf(value)];
  ++count_;
  max_ = std::max(max_, value);
  sum_ += static_cast<double>(value);
}

void LatencyHistogram::Merge(const LatencyHistogram& other) {
  for (std::size_t i = 0; i < kBucketCount; ++i) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  max_ = std::max(max_, other.max_);
  sum_ += other.sum_;
}

double LatencyHistogram::Mean() const {
  return count_ == 0 ? 0.0 : sum_ / static_cast<double>(count_);
}

std::uint64_t LatencyHistogram::ValueAtPercentile(double percentile) const {
  if (count_ == 0) return 0;
  const double clamped = std::clamp(percentile, 0.0, 100.0);
  const auto rank = std::max<std::uint64_t>(
      1, static_cast<std::uint64_t>(std::ceil(clamped / 100.0 * static_cast<double>(count_))));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < kBucketCount; ++i) {
    seen += buckets_[i];
    if (seen >= rank) return std::min(HighestIn(i), max_);
  }
  return max_;
}

}  // namespace acd::sim
