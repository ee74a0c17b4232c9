#pragma once

#include <cstddef>
#include <string>

#include "absl/status/status.h"

namespace acd::daemon {

/// Bounds on what one request may carry, so that no client can make the daemon hold unbounded
/// data per contact.
inline constexpr std::size_t kMaxIdBytes = 128;
inline constexpr std::size_t kMaxTextBytes = 4096;
inline constexpr std::size_t kMaxNotesBytes = 4000;
inline constexpr std::size_t kMaxSurveyCommentBytes = 2000;
inline constexpr std::size_t kMaxMessageBytes = 2000;
inline constexpr int kMaxListEntries = 32;
/// The largest configuration document Admin.ValidateConfig reads.
inline constexpr std::size_t kMaxConfigDocumentBytes = 4 << 20;
/// The largest request message gRPC takes: a configuration document and room around it, so that
/// a larger document gets ValidateConfig's own answer, not a transport error.
inline constexpr int kMaxRequestMessageBytes = (4 << 20) + (64 << 10);

/// INVALID_ARGUMENT naming `field` when `value` is longer than `limit` bytes.
inline absl::Status CheckLength(const std::string& field, const std::string& value,
                                std::size_t limit) {
  if (value.size() <= limit) return absl::OkStatus();
  return absl::InvalidArgumentError(field + " is longer than " + std::to_string(limit) + " bytes");
}

/// INVALID_ARGUMENT naming `field` when it has more than kMaxListEntries entries.
inline absl::Status CheckCount(const std::string& field, int count) {
  if (count <= kMaxListEntries) return absl::OkStatus();
  return absl::InvalidArgumentError(field + " has more than " + std::to_string(kMaxListEntries) +
                                    " entries");
}

}  // namespace acd::daemon
