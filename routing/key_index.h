#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"

namespace acd::routing {

/// Values by a string key that each value's own record holds: contacts by the gateway's
/// external id, agents by id. It keeps only each value and the hash of its key, 16 bytes an
/// entry where a map keyed by a copy of the string takes 40: a table that stays in cache, and an
/// insert that writes one small entry. The key itself is read from the record, through `KeyOf`
/// (a callable from Value to std::string_view), only when hashes match; a lookup that finds
/// one thus reads that record, as its caller usually does next. Every record filed must outlive
/// its entry with its key unchanged: erase the entry first.
///
/// Thread affinity: the router's.
template <typename Value, typename KeyOf>
class KeyIndex {
 public:
  explicit KeyIndex(KeyOf key_of) : entries_(0, Hash(), Equal{std::move(key_of)}) {}

  std::optional<Value> Find(std::string_view key) const {
    auto it = entries_.find(Lookup(key));
    if (it == entries_.end()) return std::nullopt;
    return it->value;
  }
  /// Files `value` under `key`; does nothing when that key is filed already.
  void Insert(std::string_view key, Value value) {
    const Key lookup = Lookup(key);
    if (entries_.contains(lookup)) return;
    entries_.insert(Entry{.hash = lookup.hash, .value = std::move(value)});
  }
  void Erase(std::string_view key) { entries_.erase(Lookup(key)); }
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::size_t hash = 0;
    Value value;
  };
  struct Key {
    std::string_view text;
    std::size_t hash = 0;
  };
  static Key Lookup(std::string_view text) {
    return Key{.text = text, .hash = absl::Hash<std::string_view>()(text)};
  }

  struct Hash {
    using is_transparent = void;
    std::size_t operator()(const Entry& entry) const { return entry.hash; }
    std::size_t operator()(const Key& key) const { return key.hash; }
  };
  struct Equal {
    using is_transparent = void;
    // Entries are only ever inserted after a lookup by key, so two entries are the same entry.
    bool operator()(const Entry& a, const Entry& b) const { return a.value == b.value; }
    bool operator()(const Entry& entry, const Key& key) const {
      return entry.hash == key.hash && key_of(entry.value) == key.text;
    }
    bool operator()(const Key& key, const Entry& entry) const { return (*this)(entry, key); }

    KeyOf key_of;
  };

  absl::flat_hash_set<Entry, Hash, Equal> entries_;
};

}  // namespace acd::routing
