#include "routing/waiting_line.h"

#include <algorithm>
#include <iterator>
#include <limits>

#include "routing/check.h"

namespace acd::routing {

void ChunkedLine::Chunk::Compact() {
  keys_.erase(keys_.begin(), keys_.begin() + static_cast<std::ptrdiff_t>(head_));
  head_ = 0;
}

void ChunkedLine::Chunk::Insert(std::size_t at, const WaitingKey& key) {
  ACD_CHECK(size() < kChunk);
  if (keys_.size() == kChunk) Compact();
  keys_.insert(keys_.begin() + static_cast<std::ptrdiff_t>(head_ + at), key);
}

void ChunkedLine::Chunk::Erase(std::size_t at) {
  const auto place = keys_.begin() + static_cast<std::ptrdiff_t>(head_ + at);
  if (at < size() / 2) {
    // Nearer the front: the keys before it move up one.
    std::move_backward(keys_.begin() + static_cast<std::ptrdiff_t>(head_), place, place + 1);
    ++head_;
  } else {
    keys_.erase(place);
  }
  if (head_ == keys_.size()) {
    keys_.clear();
    head_ = 0;
  }
}

ChunkedLine::Chunk ChunkedLine::Chunk::SplitAt(std::size_t from) {
  Chunk upper;
  const auto first = keys_.begin() + static_cast<std::ptrdiff_t>(head_ + from);
  upper.keys_.assign(first, keys_.end());
  keys_.erase(first, keys_.end());
  return upper;
}

void ChunkedLine::Chunk::Append(const Chunk& other) {
  if (keys_.size() + other.size() > kChunk) Compact();
  keys_.insert(keys_.end(), other.begin(), other.end());
}

std::size_t ChunkedLine::ChunkFor(const WaitingKey& key) const {
  // Most keys join at the tail: try the last chunk before searching.
  if (chunks_.empty() || chunks_.back().back() < key) return chunks_.size();
  if (chunks_.size() == 1 || chunks_[chunks_.size() - 2].back() < key) return chunks_.size() - 1;
  const auto it = std::partition_point(chunks_.begin(), chunks_.end(),
                                       [&key](const Chunk& chunk) { return chunk.back() < key; });
  return static_cast<std::size_t>(it - chunks_.begin());
}

bool ChunkedLine::Insert(const WaitingKey& key) {
  std::size_t c = ChunkFor(key);
  if (c == chunks_.size()) {
    // After every key: onto the last chunk, or a new one when it is full.
    if (chunks_.empty() || chunks_.back().size() == kChunk) chunks_.emplace_back();
    chunks_.back().Insert(chunks_.back().size(), key);
    ++size_;
    return true;
  }
  Chunk* chunk = &chunks_[c];
  const WaitingKey* at = std::lower_bound(chunk->begin(), chunk->end(), key);
  if (*at == key) return false;
  if (chunk->size() == kChunk) {
    // Split the full chunk in halves and insert into the half that holds the key's place.
    Chunk upper = chunk->SplitAt(kChunk / 2);
    chunks_.insert(chunks_.begin() + static_cast<std::ptrdiff_t>(c) + 1, std::move(upper));
    chunk = &chunks_[c];
    if (chunk->back() < key) chunk = &chunks_[c + 1];
    at = std::lower_bound(chunk->begin(), chunk->end(), key);
  }
  chunk->Insert(static_cast<std::size_t>(at - chunk->begin()), key);
  ++size_;
  return true;
}

bool ChunkedLine::Erase(const WaitingKey& key) {
  // Most keys leave from the head: a look at the first key before searching.
  const bool at_head = !chunks_.empty() && chunks_.front()[0] == key;
  const std::size_t c = at_head ? 0 : ChunkFor(key);
  if (c == chunks_.size()) return false;
  Chunk& chunk = chunks_[c];
  const WaitingKey* at = chunk.begin();
  if (!at_head) {
    at = std::lower_bound(chunk.begin(), chunk.end(), key);
    if (at == chunk.end() || *at != key) return false;
  }
  chunk.Erase(static_cast<std::size_t>(at - chunk.begin()));
  --size_;
  if (chunk.size() == 0) {
    chunks_.erase(chunks_.begin() + static_cast<std::ptrdiff_t>(c));
  } else if (chunk.size() < kChunk / 4) {
    // Keep chunks from thinning out: fold a small one into a neighbour with room for it.
    for (const std::size_t neighbour : {c + 1, c - 1}) {
      if (neighbour >= chunks_.size() || chunks_[neighbour].size() + chunk.size() > kChunk) {
        continue;
      }
      const std::size_t first = std::min(c, neighbour);
      chunks_[first].Append(chunks_[first + 1]);
      chunks_.erase(chunks_.begin() + static_cast<std::ptrdiff_t>(first) + 1);
      break;
    }
  }
  return true;
}

std::size_t ChunkedLine::CountBefore(const WaitingKey& key) const {
  // A contact that has just joined at the tail, most often.
  if (size_ > 0 && chunks_.back().back() == key) return size_ - 1;
  const std::size_t c = ChunkFor(key);
  if (c == chunks_.size()) return size_;
  const Chunk& chunk = chunks_[c];
  const auto within =
      static_cast<std::size_t>(std::lower_bound(chunk.begin(), chunk.end(), key) - chunk.begin());
  // Count whole chunks from whichever end of the line is nearer.
  std::size_t count = 0;
  if (c <= chunks_.size() / 2) {
    for (std::size_t i = 0; i < c; ++i) count += chunks_[i].size();
    return count + within;
  }
  for (std::size_t i = c; i < chunks_.size(); ++i) count += chunks_[i].size();
  return size_ - count + within;
}

ChunkedLine::const_iterator ChunkedLine::lower_bound(const WaitingKey& key) const {
  const std::size_t c = ChunkFor(key);
  if (c == chunks_.size()) return end();
  const Chunk& chunk = chunks_[c];
  return {
      &chunks_, c,
      static_cast<std::size_t>(std::lower_bound(chunk.begin(), chunk.end(), key) - chunk.begin())};
}

void WaitingLine::Insert(Channel channel, const WaitingKey& key) {
  ACD_CHECK(lines_[static_cast<std::size_t>(channel)].Insert(key));
  ++size_;
}

void WaitingLine::Erase(Channel channel, const WaitingKey& key) {
  ACD_CHECK(lines_[static_cast<std::size_t>(channel)].Erase(key));
  --size_;
}

int WaitingLine::Position(const WaitingKey& key) const {
  std::size_t ahead = 0;
  for (const Line& line : lines_) ahead += line.CountBefore(key);
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
