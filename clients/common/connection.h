#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>

#include "clients/common/cli.h"

namespace acd::clients {

/// One channel to acdd plus what every call to it needs: the bearer token and the deadline of
/// unary calls. Thread-safe; create it after blocking signals (see SignalWatcher), since the
/// first channel starts gRPC's threads.
class Connection {
 public:
  /// Opens a channel to `options.target`, over TLS when `options.tls_ca` is set (with the client
  /// certificate when given); connecting happens on the first call.
  explicit Connection(const GlobalOptions& options);

  /// The channel, for creating service stubs.
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }

  /// A context for one unary call: the bearer token and a deadline `--timeout` from now.
  std::unique_ptr<grpc::ClientContext> NewCallContext() const;

  /// A context for a long-lived server stream: the bearer token and no deadline (the stream
  /// runs until the program cancels it).
  std::unique_ptr<grpc::ClientContext> NewStreamContext() const;

 private:
  std::shared_ptr<grpc::Channel> channel_;
  std::string authorization_;
  std::chrono::microseconds timeout_;
};

}  // namespace acd::clients
