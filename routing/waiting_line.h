#pragma once

// libstdc++'s policy-based tree gives order statistics (a contact's place in line) in O(log n);
// the standard containers would need a walk from the head.
#include <array>
#include <cstdint>
#include <ext/pb_ds/assoc_container.hpp>
#include <ext/pb_ds/tree_policy.hpp>
#include <functional>
#include <optional>
#include <tuple>

#include "routing/catalog.h"
#include "routing/time.h"

namespace acd::routing {

/// A waiting contact's place in routing order: higher priority first (the priority is stored
/// negated), then earlier virtual start, then the contact id (creation order).
using WaitingKey = std::tuple<int, Timestamp, std::uint64_t>;

inline WaitingKey MakeWaitingKey(int priority, Timestamp virtual_start, std::uint64_t contact) {
  return {-priority, virtual_start, contact};
}
inline int PriorityOf(const WaitingKey& key) { return -std::get<0>(key); }
inline Timestamp VirtualStartOf(const WaitingKey& key) { return std::get<1>(key); }
inline std::uint64_t ContactOf(const WaitingKey& key) { return std::get<2>(key); }

/// One queue's waiting contacts: a line per channel, so that an agent with room on one channel
/// only looks at that line, and each contact's place across all channels in O(log n).
///
/// Thread affinity: the router's.
class WaitingLine {
 public:
  using Line =
      __gnu_pbds::tree<WaitingKey, __gnu_pbds::null_type, std::less<WaitingKey>,
                       __gnu_pbds::rb_tree_tag, __gnu_pbds::tree_order_statistics_node_update>;

  void Insert(Channel channel, const WaitingKey& key);
  /// Precondition: `key` waits on `channel`.
  void Erase(Channel channel, const WaitingKey& key);

  /// 1-based place among every contact waiting in the queue, whatever its channel.
  int Position(const WaitingKey& key) const;
  int size() const { return size_; }
  bool empty() const { return size_ == 0; }

  /// The contacts waiting on `channel`, in routing order.
  const Line& line(Channel channel) const { return lines_[static_cast<std::size_t>(channel)]; }

  /// The earliest virtual start among the waiting contacts; nullopt when none waits. Costs a
  /// lookup per distinct priority, not a walk of the line.
  std::optional<Timestamp> OldestStart() const;

 private:
  std::array<Line, kChannelCount> lines_;
  int size_ = 0;
};

}  // namespace acd::routing
