#pragma once

#include <cstdio>
#include <cstdlib>

/// Crashes loudly when an internal invariant does not hold. Never used on external input: that is
/// validated and answered with a status instead.
#define ACD_CHECK(condition)                                                                   \
  do {                                                                                         \
    if (!(condition)) {                                                                        \
      std::fprintf(stderr, "%s:%d: invariant violated: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                            \
    }                                                                                          \
  } while (false)
