#include "routing/waiting_line.h"

#include <algorithm>
#include <limits>

#include "routing/check.h"

namespace acd::routing {

void WaitingLine::Insert(Channel channel, const WaitingKey& key) {
  ACD_CHECK(lines_[static_cast<std::size_t>(channel)].insert(key).second);
  ++size_;
}

void WaitingLine::Erase(Channel channel, const WaitingKey& key) {
  ACD_CHECK(lines_[static_cast<std::size_t>(channel)].erase(key) == 1);
  --size_;
}

int WaitingLine::Position(const WaitingKey& key) const {
  std::size_t ahead = 0;
  for (const Line& line : lines_) ahead += line.order_of_key(key);
  return static_cast<int>(ahead) + 1;
}

std::optional<Timestamp> WaitingLine::OldestStart() const {
  std::optional<Timestamp> oldest;
  for (const Line& line : lines_) {
    // Within one priority the head is the oldest, so visit the head of each priority band.
    for (auto it = line.begin(); it != line.end();
         it = line.lower_bound({std::get<0>(*it) + 1, Timestamp::min(), 0})) {
      oldest = oldest ? std::min(*oldest, VirtualStartOf(*it)) : VirtualStartOf(*it);
      if (std::get<0>(*it) == std::numeric_limits<int>::max()) break;
    }
  }
  return oldest;
}

}  // namespace acd::routing
