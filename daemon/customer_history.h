#pragma once

#include <google/protobuf/repeated_ptr_field.h>

#include <cstddef>
#include <functional>
#include <list>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "acd/v1/common.pb.h"
#include "daemon/store.h"
#include "routing/router.h"

namespace acd::daemon {

class CoreRunner;
class RecordReader;

/// The last few interactions of recently seen customers, so that an offer carries the customer's
/// history without a read from the store on the offer's path.
///
/// Fed with interaction records as they are journaled (`Add`) and with what the store holds of a
/// customer before their first contact since the start (`Fill`, see `LoadCustomerHistory`).
/// A customer is "loaded" once the store's part is in; only then is the history complete.
/// Bounded: the customers least recently used go first.
///
/// Thread affinity: the core strand.
class CustomerHistory {
 public:
  struct Options {
    /// Customers kept.
    std::size_t customers = 20'000;
    /// Interactions kept per customer, newest first.
    std::size_t per_customer = 3;
  };

  explicit CustomerHistory(Options options);

  /// Adds the records of one journal entry: its interactions (agents named from `router`) and
  /// the survey scores of interactions already kept.
  void Add(const JournalRecord& record, const routing::Router& router);
  /// Merges `rows`, the customer's newest interactions as the store holds them, and marks the
  /// customer loaded.
  void Fill(const std::string& tenant, const std::string& customer,
            const std::vector<InteractionRow>& rows, const routing::Router& router);
  /// Whether the customer's history is complete here.
  bool Loaded(const std::string& tenant, const std::string& customer) const;
  /// Appends the customer's kept interactions, newest first, to `out`.
  void CopyTo(const std::string& tenant, const std::string& customer,
              google::protobuf::RepeatedPtrField<v1::InteractionSummary>& out);

  /// Customers kept now.
  std::size_t size() const { return entries_.size(); }
  std::size_t capacity() const { return options_.customers; }
  std::size_t per_customer() const { return options_.per_customer; }

 private:
  using Key = std::pair<std::string, std::string>;  // tenant, customer
  struct Entry {
    /// Newest first, at most `per_customer`.
    std::vector<v1::InteractionSummary> interactions;
    bool loaded = false;
    /// Its place in `recency_`.
    std::list<Key>::iterator recency;
  };

  /// The customer's entry, created if missing (evicting the least recently used), made the most
  /// recently used.
  Entry& Touch(const std::string& tenant, const std::string& customer);
  void Merge(Entry& entry, const InteractionRow& row, const routing::Router& router);

  Options options_;
  absl::flat_hash_map<Key, Entry> entries_;
  /// Most recently used first.
  std::list<Key> recency_;
};

/// Runs `then(core)` on the core strand once `customer`'s history is loaded in `history`: at once
/// when it is (or `customer` is empty), else after reading it from the store on the reader's
/// thread. A failed read is logged and `then` runs anyway (the offer goes without history).
/// Core strand only.
void LoadCustomerHistory(CustomerHistory& history, RecordReader& records, CoreRunner& core,
                         const std::string& tenant, const std::string& customer,
                         std::function<void(CoreRunner&)> then);

/// Loads the history of every customer with a live contact in `router` (up to the cache's size)
/// from `store`, so that offers of contacts recovered at a start carry it. For the start, before
/// the core runs; reads failing are logged and skipped.
void WarmCustomerHistory(CustomerHistory& history, Store& store, const routing::Router& router,
                         const routing::Catalog& catalog);

}  // namespace acd::daemon
