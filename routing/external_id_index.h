#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "routing/ids.h"

namespace acd::routing {

/// Contacts by the gateway's external id, for idempotent creates. It keeps only each contact's id
/// and the hash of its external id, 16 bytes a contact where a map keyed by a copy of the string
/// takes 40: a table that stays in cache, and a create that writes one small entry. The external
/// id itself is read from the contact, through `ExternalIdOf` (a callable from ContactId to
/// std::string_view), only when the hashes match.
///
/// Thread affinity: the router's.
template <typename ExternalIdOf>
class ExternalIdIndex {
 public:
  explicit ExternalIdIndex(ExternalIdOf external_id_of)
      : entries_(0, Hash(), Equal{std::move(external_id_of)}) {}

  std::optional<ContactId> Find(std::string_view external_id) const {
    auto it = entries_.find(KeyOf(external_id));
    if (it == entries_.end()) return std::nullopt;
    return it->contact;
  }
  /// Files `contact` under `external_id`; does nothing when that id is filed already.
  void Insert(std::string_view external_id, ContactId contact) {
    const Key key = KeyOf(external_id);
    if (entries_.contains(key)) return;
    entries_.insert(Entry{.hash = key.hash, .contact = contact});
  }
  /// Precondition: the contact filed under `external_id` still answers `ExternalIdOf`.
  void Erase(std::string_view external_id) { entries_.erase(KeyOf(external_id)); }
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::size_t hash = 0;
    ContactId contact;
  };
  struct Key {
    std::string_view external_id;
    std::size_t hash = 0;
  };
  static Key KeyOf(std::string_view external_id) {
    return Key{.external_id = external_id, .hash = absl::Hash<std::string_view>()(external_id)};
  }

  struct Hash {
    using is_transparent = void;
    std::size_t operator()(const Entry& entry) const { return entry.hash; }
    std::size_t operator()(const Key& key) const { return key.hash; }
  };
  struct Equal {
    using is_transparent = void;
    // Entries are only ever inserted after a lookup by key, so two entries are the same entry.
    bool operator()(const Entry& a, const Entry& b) const { return a.contact == b.contact; }
    bool operator()(const Entry& entry, const Key& key) const {
      return entry.hash == key.hash && external_id_of(entry.contact) == key.external_id;
    }
    bool operator()(const Key& key, const Entry& entry) const { return (*this)(entry, key); }

    ExternalIdOf external_id_of;
  };

  absl::flat_hash_set<Entry, Hash, Equal> entries_;
};

}  // namespace acd::routing
