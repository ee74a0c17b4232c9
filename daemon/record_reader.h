#pragma once

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <utility>

#include "daemon/store.h"

namespace acd::daemon {

/// Runs reads of the interaction records on a thread of their own, so that neither the core
/// strand nor a gRPC thread waits on the disk.
///
/// Thread affinity: any.
class RecordReader {
 public:
  /// `store` must outlive the reader.
  explicit RecordReader(Store& store) : store_(store) {}
  ~RecordReader() { Stop(); }
  RecordReader(const RecordReader&) = delete;
  RecordReader& operator=(const RecordReader&) = delete;

  /// Runs `read(store)` on the reader's thread.
  template <typename Read>
  void Post(Read read) {
    boost::asio::post(pool_, [this, read = std::move(read)]() mutable { read(store_); });
  }

  /// Runs what was posted, then joins the thread. Idempotent.
  void Stop() { pool_.join(); }

 private:
  Store& store_;
  boost::asio::thread_pool pool_{1};
};

}  // namespace acd::daemon
