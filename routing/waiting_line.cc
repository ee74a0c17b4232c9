#include "routing/waiting_line.h"

#include <algorithm>
#include <iterator>
#include <limits>

#include "routing/check.h"

namespace acd::routing {

std::size_t ChunkedLine::ChunkFor(const WaitingKey& key) const {
  // Most keys join at the tail: try the last chunk before searching.
  if (chunks_.empty() || chunks_.back().back() < key) return chunks_.size();
  if (chunks_.size() == 1 || chunks_[chunks_.size() - 2].back() < key) return chunks_.size() - 1;
  const auto it = std::partition_point(
      chunks_.begin(), chunks_.end(),
      [&key](const std::vector<WaitingKey>& chunk) { return chunk.back() < key; });
  return static_cast<std::size_t>(it - chunks_.begin());
}

bool ChunkedLine::Insert(const WaitingKey& key) {
  std::size_t c = ChunkFor(key);
  if (c == chunks_.size()) {
    // After every key: onto the last chunk, or a new one when it is full.
    if (chunks_.empty() || chunks_.back().size() == kChunk) {
      chunks_.emplace_back().reserve(kChunk);
    }
    chunks_.back().push_back(key);
    ++size_;
    return true;
  }
  std::vector<WaitingKey>* chunk = &chunks_[c];
  auto at = std::lower_bound(chunk->begin(), chunk->end(), key);
  if (*at == key) return false;
  if (chunk->size() == kChunk) {
    // Split the full chunk in halves and insert into the half that holds the key's place.
    std::vector<WaitingKey> upper;
    upper.reserve(kChunk);
    const auto middle = chunk->begin() + kChunk / 2;
    upper.assign(middle, chunk->end());
    chunk->erase(middle, chunk->end());
    chunks_.insert(chunks_.begin() + static_cast<std::ptrdiff_t>(c) + 1, std::move(upper));
    chunk = &chunks_[c];
    if (chunk->back() < key) chunk = &chunks_[c + 1];
    at = std::lower_bound(chunk->begin(), chunk->end(), key);
  }
  chunk->insert(at, key);
  ++size_;
  return true;
}

bool ChunkedLine::Erase(const WaitingKey& key) {
  const std::size_t c = ChunkFor(key);
  if (c == chunks_.size()) return false;
  std::vector<WaitingKey>& chunk = chunks_[c];
  const auto at = std::lower_bound(chunk.begin(), chunk.end(), key);
  if (at == chunk.end() || *at != key) return false;
  chunk.erase(at);
  --size_;
  if (chunk.empty()) {
    chunks_.erase(chunks_.begin() + static_cast<std::ptrdiff_t>(c));
  } else if (chunk.size() < kChunk / 4) {
    // Keep chunks from thinning out: fold a small one into a neighbour with room for it.
    for (const std::size_t neighbour : {c + 1, c - 1}) {
      if (neighbour >= chunks_.size() || chunks_[neighbour].size() + chunk.size() > kChunk) {
        continue;
      }
      const std::size_t first = std::min(c, neighbour);
      std::vector<WaitingKey>& into = chunks_[first];
      std::vector<WaitingKey>& from = chunks_[first + 1];
      into.insert(into.end(), from.begin(), from.end());
      chunks_.erase(chunks_.begin() + static_cast<std::ptrdiff_t>(first) + 1);
      break;
    }
  }
  return true;
}

std::size_t ChunkedLine::CountBefore(const WaitingKey& key) const {
  const std::size_t c = ChunkFor(key);
  if (c == chunks_.size()) return size_;
  const std::vector<WaitingKey>& chunk = chunks_[c];
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
  const std::vector<WaitingKey>& chunk = chunks_[c];
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
