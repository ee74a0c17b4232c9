#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <tuple>
#include <vector>

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

/// Distinct keys in order, stored as a list of sorted chunks of at most `kChunk` keys: a node
/// tree would cost a cache miss and an allocation per level on every insert and erase, while
/// contacts mostly join at the tail and leave from the head, which here is an append to one
/// chunk or a step of another's head. A key's rank counts whole chunks from the nearer end, so
/// the rank of a contact that has just joined is cheap however long the line.
///
/// Thread affinity: the router's.
class ChunkedLine {
 public:
  static constexpr std::size_t kChunk = 128;

  /// One sorted run of keys: those of `keys_` from `head_` on. The first key leaves by a step of
  /// `head_`, and a key near the front by moving the keys before it, so that no key behind it
  /// moves; the slots left before `head_` are reclaimed when the chunk runs out of room.
  class Chunk {
   public:
    Chunk() { keys_.reserve(kChunk); }

    const WaitingKey* begin() const { return keys_.data() + head_; }
    const WaitingKey* end() const { return keys_.data() + keys_.size(); }
    std::size_t size() const { return keys_.size() - head_; }
    const WaitingKey& operator[](std::size_t i) const { return keys_[head_ + i]; }
    const WaitingKey& back() const { return keys_.back(); }

    /// Puts `key` before the `at`-th key (`size()` to append). Precondition: size() < kChunk.
    void Insert(std::size_t at, const WaitingKey& key);
    void Erase(std::size_t at);
    /// Moves the keys from the `from`-th on into a new chunk.
    Chunk SplitAt(std::size_t from);
    /// Appends every key of `other`, which orders after this chunk's.
    void Append(const Chunk& other);

   private:
    /// Moves the live keys to the front of `keys_`.
    void Compact();

    std::vector<WaitingKey> keys_;
    std::size_t head_ = 0;
  };

  class const_iterator {
   public:
    using value_type = WaitingKey;
    using difference_type = std::ptrdiff_t;
    using reference = const WaitingKey&;
    using pointer = const WaitingKey*;
    using iterator_category = std::forward_iterator_tag;

    const_iterator() = default;
    reference operator*() const { return (*chunks_)[chunk_][offset_]; }
    pointer operator->() const { return &**this; }
    const_iterator& operator++() {
      if (++offset_ == (*chunks_)[chunk_].size()) {
        ++chunk_;
        offset_ = 0;
      }
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator before = *this;
      ++*this;
      return before;
    }
    friend bool operator==(const const_iterator& a, const const_iterator& b) {
      return a.chunk_ == b.chunk_ && a.offset_ == b.offset_;
    }

   private:
    friend class ChunkedLine;
    const_iterator(const std::vector<Chunk>* chunks, std::size_t chunk, std::size_t offset)
        : chunks_(chunks), chunk_(chunk), offset_(offset) {}

    const std::vector<Chunk>* chunks_ = nullptr;
    std::size_t chunk_ = 0;
    std::size_t offset_ = 0;
  };

  /// False when `key` is already in the line.
  bool Insert(const WaitingKey& key);
  /// False when `key` is not in the line.
  bool Erase(const WaitingKey& key);
  /// How many keys order before `key`.
  std::size_t CountBefore(const WaitingKey& key) const;

  const_iterator begin() const { return {&chunks_, 0, 0}; }
  const_iterator end() const { return {&chunks_, chunks_.size(), 0}; }
  /// The first key not before `key`.
  const_iterator lower_bound(const WaitingKey& key) const;
  std::size_t size() const { return size_; }

 private:
  /// The first chunk whose last key is not before `key`; chunks_.size() when none is.
  std::size_t ChunkFor(const WaitingKey& key) const;

  std::vector<Chunk> chunks_;  // Each non-empty.
  std::size_t size_ = 0;
};

/// One queue's waiting contacts: a line per channel, so that an agent with room on one channel
/// only looks at that line, and each contact's place across all channels.
///
/// Thread affinity: the router's.
class WaitingLine {
 public:
  using Line = ChunkedLine;

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
