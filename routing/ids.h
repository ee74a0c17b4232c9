#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>

namespace acd::routing {

/// A value of `Rep` that only compares with ids of the same `Tag`, so that a queue id can never be
/// passed where an agent id is expected.
template <typename Tag, typename Rep>
class StrongId {
 public:
  StrongId() = default;
  explicit StrongId(Rep value) : value_(std::move(value)) {}

  /// The raw value, for conversion at the edges (protobuf, logs, storage).
  const Rep& value() const { return value_; }

  friend auto operator<=>(const StrongId&, const StrongId&) = default;
  friend bool operator==(const StrongId&, const StrongId&) = default;
  template <typename H>
  friend H AbslHashValue(H state, const StrongId& id) {
    return H::combine(std::move(state), id.value_);
  }

 private:
  Rep value_{};
};

using TenantId = StrongId<struct TenantTag, std::string>;
using QueueId = StrongId<struct QueueTag, std::string>;
using AgentId = StrongId<struct AgentTag, std::string>;
/// Server-assigned, never reused within one data directory.
using ContactId = StrongId<struct ContactTag, std::uint64_t>;
/// Server-assigned, never reused within one data directory.
using EscalationId = StrongId<struct EscalationTag, std::uint64_t>;

}  // namespace acd::routing

template <typename Tag, typename Rep>
struct std::hash<acd::routing::StrongId<Tag, Rep>> {
  std::size_t operator()(const acd::routing::StrongId<Tag, Rep>& id) const noexcept {
    return std::hash<Rep>{}(id.value());
  }
};
