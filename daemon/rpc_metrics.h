#pragma once

#include <grpcpp/support/server_interceptor.h>

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "daemon/prometheus_text.h"

namespace acd::daemon {

/// Counts every RPC the gRPC server finishes, by method and status code, times unary ones, and
/// tracks streams open, through a server interceptor: one place sees every service (ours, health,
/// reflection) whatever way a handler finishes its call.
///
/// The methods are fixed at construction, so a call only looks its method up in a map that never
/// changes and bumps relaxed atomics: no lock per RPC. A method not in the list counts under
/// `other`, which keeps the label set bounded whatever names clients send.
///
/// Thread affinity: any thread. Must outlive the gRPC server it instruments.
class RpcMetrics {
 public:
  /// Upper bounds of the latency histogram's buckets, in seconds.
  static constexpr std::array<double, 14> kLatencyBounds = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  /// Canonical gRPC status codes, OK (0) to UNAUTHENTICATED (16).
  static constexpr std::size_t kCodeCount = 17;

  /// A method the server serves.
  struct Method {
    /// The full path, `/package.Service/Method`.
    std::string path;
    /// Client, server or both streaming.
    bool streaming = false;
  };

  explicit RpcMetrics(const std::vector<Method>& methods);
  RpcMetrics(const RpcMetrics&) = delete;
  RpcMetrics& operator=(const RpcMetrics&) = delete;

  /// An interceptor factory to hand the `grpc::ServerBuilder` (it refers to this object).
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> InterceptorFactory();

  /// Records a finished call of `method` (a full path) with `code`, after `seconds` (timed only
  /// when `unary`), as the interceptor does for each call: for tests.
  void Record(std::string_view method, int code, bool unary, double seconds);

  /// Streaming calls open now whose method is not one of `except` (full paths).
  std::int64_t OpenStreamsExcept(std::initializer_list<std::string_view> except) const;

  /// Appends the families `acd_grpc_server_handled_total` and
  /// `acd_grpc_server_handling_seconds`.
  void WriteTo(PrometheusText& out) const;

 private:
  class Interceptor;
  class Factory;

  struct MethodStats {
    std::string path;
    std::string service;
    std::string method;
    std::array<std::atomic<std::uint64_t>, kCodeCount> codes{};
    /// Per bucket, not cumulative; the last one is above every bound.
    std::array<std::atomic<std::uint64_t>, kLatencyBounds.size() + 1> latency{};
    std::atomic<std::uint64_t> latency_sum_ns{0};
    std::atomic<std::uint64_t> timed{0};
    std::atomic<std::int64_t> in_flight{0};
    /// Fixed for a known method; for `other`, set by its first streaming call.
    std::atomic<bool> streaming{false};
  };

  MethodStats& StatsOf(std::string_view method);
  static void Finish(MethodStats& stats, int code, bool unary, double seconds);

  std::vector<std::unique_ptr<MethodStats>> methods_;
  /// Path to index in `methods_`; the last entry of `methods_` is `other`.
  absl::flat_hash_map<std::string_view, std::size_t> index_;
};

}  // namespace acd::daemon
