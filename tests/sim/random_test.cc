#include "sim/random.h"

#include <gtest/gtest.h>

#include <cmath>

#include "sim/distribution.h"

namespace acd::sim {
namespace {

TEST(RandomTest, SameSeedSameDraws) {
  Random first(42);
  Random second(42);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(first.Uniform(), second.Uniform());
}

TEST(RandomTest, UniformStaysInsideTheOpenInterval) {
  Random random(7);
  for (int i = 0; i < 100'000; ++i) {
    const double draw = random.Uniform();
    ASSERT_GT(draw, 0.0);
    ASSERT_LT(draw, 1.0);
  }
}

TEST(RandomTest, BelowCoversTheRange) {
  Random random(3);
  int seen[5] = {};
  for (int i = 0; i < 10'000; ++i) ++seen[random.Below(5)];
  for (int count : seen) EXPECT_NEAR(count, 2'000, 200);
}

// Sample means and coefficients of variation of 200,000 draws, within a few standard errors.
void ExpectMoments(const Distribution& distribution, double mean, double cv) {
  Random random(11);
  constexpr int kDraws = 200'000;
  double sum = 0.0;
  double sum_squares = 0.0;
  for (int i = 0; i < kDraws; ++i) {
    const double draw = distribution.Sample(random);
    ASSERT_GE(draw, 0.0);
    sum += draw;
    sum_squares += draw * draw;
  }
  const double sample_mean = sum / kDraws;
  const double sample_sd = std::sqrt(sum_squares / kDraws - sample_mean * sample_mean);
  EXPECT_NEAR(sample_mean, mean, 0.01 * mean) << distribution.Describe();
  EXPECT_NEAR(sample_sd / sample_mean, cv, 0.03 * (cv + 0.01)) << distribution.Describe();
}

TEST(DistributionTest, MomentsMatchTheParameters) {
  ExpectMoments({.kind = Distribution::Kind::kFixed, .mean_s = 3.0}, 3.0, 0.0);
  ExpectMoments({.kind = Distribution::Kind::kExponential, .mean_s = 180.0}, 180.0, 1.0);
  ExpectMoments({.kind = Distribution::Kind::kLogNormal, .mean_s = 240.0, .cv = 0.6}, 240.0, 0.6);
}

TEST(DistributionTest, KindNamesRoundTrip) {
  for (auto kind : {Distribution::Kind::kFixed, Distribution::Kind::kExponential,
                    Distribution::Kind::kLogNormal}) {
    EXPECT_EQ(ParseDistributionKind(DistributionKindName(kind)), kind);
  }
  EXPECT_FALSE(ParseDistributionKind("gaussian"));
}

}  // namespace
}  // namespace acd::sim
