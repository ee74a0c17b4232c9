#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <memory>
#include <unordered_map>
#include <vector>

#include "routing/check.h"

namespace acd::routing {

/// Objects keyed by ids issued in increasing order and mostly dropped in about that order (the
/// router's contacts): a deque of slots from the oldest id still held, so that a lookup is an
/// index rather than a hash. Objects that outlive many younger ones (a follow-up scheduled for
/// next month) move to a side map, so that dead slots never outnumber live ones by much.
///
/// Thread affinity: the router's.
template <typename T>
class SequentialTable {
 public:
  /// The object of `id`, or null.
  T* Find(std::uint64_t id) const {
    if (id >= base_ && id - base_ < slots_.size()) return slots_[id - base_].get();
    auto it = survivors_.find(id);
    return it == survivors_.end() ? nullptr : it->second.get();
  }

  /// Precondition: `id` is held.
  T& At(std::uint64_t id) const {
    T* found = Find(id);
    ACD_CHECK(found != nullptr);
    return *found;
  }

  /// Precondition: `id` is greater than every id inserted before.
  T& Insert(std::uint64_t id, std::unique_ptr<T> value) {
    if (slots_.empty()) base_ = id;
    ACD_CHECK(id >= base_ + slots_.size());
    slots_.resize(id - base_);  // Ids never issued, if any, as empty slots.
    slots_.push_back(std::move(value));
    ++in_slots_;
    return *slots_.back();
  }

  void Erase(std::uint64_t id) {
    if (id >= base_ && id - base_ < slots_.size() && slots_[id - base_]) {
      slots_[id - base_].reset();
      --in_slots_;
    } else {
      survivors_.erase(id);
    }
    while (!slots_.empty() && !slots_.front()) {
      slots_.pop_front();
      ++base_;
    }
    // Too many dead slots behind a long-lived object: move the oldest live ones aside.
    while (slots_.size() > 2 * in_slots_ + kSlack) {
      if (slots_.front()) {
        survivors_.emplace(base_, std::move(slots_.front()));
        --in_slots_;
      }
      slots_.pop_front();
      ++base_;
    }
  }

  std::size_t size() const { return in_slots_ + survivors_.size(); }

  /// The ids held, in increasing order.
  std::vector<std::uint64_t> Ids() const {
    std::vector<std::uint64_t> ids;
    ids.reserve(size());
    for (const auto& [id, value] : survivors_) ids.push_back(id);
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      if (slots_[i]) ids.push_back(base_ + i);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  }

 private:
  static constexpr std::size_t kSlack = 1024;

  std::deque<std::unique_ptr<T>> slots_;
  /// The id of `slots_.front()`.
  std::uint64_t base_ = 0;
  std::size_t in_slots_ = 0;
  std::unordered_map<std::uint64_t, std::unique_ptr<T>> survivors_;
};

}  // namespace acd::routing
