#include "sim/latency_histogram.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace acd::sim {
namespace {

TEST(LatencyHistogramTest, EmptyReadsZero) {
  const LatencyHistogram histogram;
  EXPECT_EQ(histogram.Count(), 0u);
  EXPECT_EQ(histogram.ValueAtPercentile(50), 0u);
  EXPECT_EQ(histogram.Max(), 0u);
  EXPECT_EQ(histogram.Mean(), 0.0);
}

TEST(LatencyHistogramTest, SmallValuesAreExact) {
  LatencyHistogram histogram;
  for (std::uint64_t value = 1; value <= 100; ++value) histogram.Record(value);
  EXPECT_EQ(histogram.ValueAtPercentile(50), 50u);
  EXPECT_EQ(histogram.ValueAtPercentile(99), 99u);
  EXPECT_EQ(histogram.ValueAtPercentile(100), 100u);
  EXPECT_EQ(histogram.ValueAtPercentile(0), 1u);
  EXPECT_DOUBLE_EQ(histogram.Mean(), 50.5);
}

TEST(LatencyHistogramTest, LargeValuesWithinOneSixtyFourth) {
  for (std::uint64_t value :
       {128ull, 1'000ull, 12'345ull, 999'999ull, 1ull << 40, (1ull << 63) + 12345ull}) {
    LatencyHistogram histogram;
    histogram.Record(value);
    histogram.Record(1);
    const std::uint64_t reported = histogram.ValueAtPercentile(100);
    EXPECT_EQ(reported, value) << "the maximum caps the bucket's highest value";
    LatencyHistogram two;
    two.Record(value);
    two.Record(value + value / 32);
    const std::uint64_t median = two.ValueAtPercentile(50);
    EXPECT_GE(median, value);
    EXPECT_LE(median, value + value / 64) << value;
  }
}

TEST(LatencyHistogramTest, PercentilesOfAUniformSpread) {
  LatencyHistogram histogram;
  for (std::uint64_t value = 1; value <= 100'000; ++value) histogram.Record(value);
  for (double percentile : {50.0, 90.0, 99.0, 99.9}) {
    const double exact = percentile * 1'000.0;
    const double reported = static_cast<double>(histogram.ValueAtPercentile(percentile));
    EXPECT_GE(reported, exact) << percentile;
    EXPECT_LE(reported, exact * (1.0 + 1.0 / 64)) << percentile;
  }
  EXPECT_EQ(histogram.Max(), 100'000u);
}

TEST(LatencyHistogramTest, MergeAddsCounts) {
  LatencyHistogram first;
  LatencyHistogram second;
  for (int i = 0; i < 10; ++i) first.Record(10);
  for (int i = 0; i < 30; ++i) second.Record(5'000);
  first.Merge(second);
  EXPECT_EQ(first.Count(), 40u);
  EXPECT_EQ(first.ValueAtPercentile(25), 10u);
  EXPECT_GE(first.ValueAtPercentile(26), 5'000u);
  EXPECT_EQ(first.Max(), 5'000u);
}

}  // namespace
}  // namespace acd::sim
