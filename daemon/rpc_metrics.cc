#include "daemon/rpc_metrics.h"

#include <algorithm>
#include <chrono>

#include "absl/strings/str_cat.h"

namespace acd::daemon {
namespace {

constexpr std::array<std::string_view, RpcMetrics::kCodeCount> kCodeNames = {
    "OK",
    "CANCELLED",
    "UNKNOWN",
    "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED",
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION",
    "ABORTED",
    "OUT_OF_RANGE",
    "UNIMPLEMENTED",
    "INTERNAL",
    "UNAVAILABLE",
    "DATA_LOSS",
    "UNAUTHENTICATED",
};

constexpr std::string_view kOther = "other";

}  // namespace

/// Lives as long as one call: notes when it started, and records it when its status goes out (or,
/// for a call that ends without one, when it is destroyed, as CANCELLED).
class RpcMetrics::Interceptor final : public grpc::experimental::Interceptor {
 public:
  Interceptor(MethodStats& stats, bool unary)
      : stats_(stats), unary_(unary), start_(std::chrono::steady_clock::now()) {
    if (!unary_ && !stats_.streaming.load(std::memory_order_relaxed)) {
      stats_.streaming.store(true, std::memory_order_relaxed);
    }
    stats_.in_flight.fetch_add(1, std::memory_order_relaxed);
  }
  ~Interceptor() override {
    if (!finished_) Done(grpc::StatusCode::CANCELLED);
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    // Counted before the status is sent, so that a client that has its answer finds it counted.
    if (!finished_ && methods->QueryInterceptionHookPoint(
                          grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      Done(methods->GetSendStatus().error_code());
    }
    methods->Proceed();
  }

 private:
  void Done(grpc::StatusCode code) {
    finished_ = true;
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
    RpcMetrics::Finish(stats_, static_cast<int>(code), unary_, elapsed.count());
    stats_.in_flight.fetch_sub(1, std::memory_order_relaxed);
  }

  MethodStats& stats_;
  const bool unary_;
  const std::chrono::steady_clock::time_point start_;
  bool finished_ = false;
};

class RpcMetrics::Factory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit Factory(RpcMetrics& metrics) : metrics_(metrics) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new Interceptor(metrics_.StatsOf(info->method()),
                           info->type() == grpc::experimental::ServerRpcInfo::Type::UNARY);
  }

 private:
  RpcMetrics& metrics_;
};

RpcMetrics::RpcMetrics(const std::vector<Method>& methods) {
  for (const Method& method : methods) {
    if (index_.contains(method.path)) continue;
    auto stats = std::make_unique<MethodStats>();
    stats->path = method.path;
    std::string_view path = method.path;
    if (path.starts_with('/')) path.remove_prefix(1);
    const std::size_t slash = path.find('/');
    stats->service = path.substr(0, slash);
    stats->method = slash == std::string_view::npos ? kOther : path.substr(slash + 1);
    stats->streaming.store(method.streaming, std::memory_order_relaxed);
    methods_.push_back(std::move(stats));
    index_.emplace(methods_.back()->path, methods_.size() - 1);
  }
  auto other = std::make_unique<MethodStats>();
  other->service = kOther;
  other->method = kOther;
  methods_.push_back(std::move(other));
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
RpcMetrics::InterceptorFactory() {
  return std::make_unique<Factory>(*this);
}

RpcMetrics::MethodStats& RpcMetrics::StatsOf(std::string_view method) {
  auto found = index_.find(method);
  return *methods_[found == index_.end() ? methods_.size() - 1 : found->second];
}

void RpcMetrics::Record(std::string_view method, int code, bool unary, double seconds) {
  Finish(StatsOf(method), code, unary, seconds);
}

void RpcMetrics::Finish(MethodStats& stats, int code, bool unary, double seconds) {
  const auto slot = static_cast<std::size_t>(code >= 0 && code < static_cast<int>(kCodeCount)
                                                 ? code
                                                 : static_cast<int>(grpc::StatusCode::UNKNOWN));
  stats.codes[slot].fetch_add(1, std::memory_order_relaxed);
  // A stream's duration is its lifetime, not a latency: only unary calls are timed.
  if (!unary) return;
  const auto bucket = static_cast<std::size_t>(
      std::lower_bound(kLatencyBounds.begin(), kLatencyBounds.end(), seconds) -
      kLatencyBounds.begin());
  stats.latency[bucket].fetch_add(1, std::memory_order_relaxed);
  stats.latency_sum_ns.fetch_add(static_cast<std::uint64_t>(std::max(0.0, seconds) * 1e9),
                                 std::memory_order_relaxed);
  stats.timed.fetch_add(1, std::memory_order_relaxed);
}

std::int64_t RpcMetrics::OpenStreamsExcept(std::initializer_list<std::string_view> except) const {
  std::int64_t open = 0;
  for (const auto& stats : methods_) {
    if (!stats->streaming.load(std::memory_order_relaxed)) continue;
    if (std::find(except.begin(), except.end(), stats->path) != except.end()) continue;
    open += stats->in_flight.load(std::memory_order_relaxed);
  }
  return open;
}

void RpcMetrics::WriteTo(PrometheusText& out) const {
  out.Family("acd_grpc_server_handled_total", "counter",
             "RPCs finished, by service, method and status code. OK is listed for every method; "
             "other codes once they occur.");
  for (const auto& stats : methods_) {
    for (std::size_t code = 0; code < kCodeCount; ++code) {
      const std::uint64_t count = stats->codes[code].load(std::memory_order_relaxed);
      if (count == 0 && code != 0) continue;
      out.Sample("acd_grpc_server_handled_total",
                 {{"grpc_service", stats->service},
                  {"grpc_method", stats->method},
                  {"grpc_code", kCodeNames[code]}},
                 count);
    }
  }
  out.Family("acd_grpc_server_handling_seconds", "histogram",
             "Time from a unary RPC's arrival to its status being sent, by method (once called).");
  for (const auto& stats : methods_) {
    // Methods never called are left out: most of the contract is rarely used, and 17 lines of
    // zeros for each would be most of the page.
    if (stats->streaming.load(std::memory_order_relaxed) ||
        stats->timed.load(std::memory_order_relaxed) == 0) {
      continue;
    }
    std::array<std::uint64_t, kLatencyBounds.size() + 1> counts{};
    for (std::size_t i = 0; i < counts.size(); ++i) {
      counts[i] = stats->latency[i].load(std::memory_order_relaxed);
    }
    out.Histogram("acd_grpc_server_handling_seconds",
                  {{"grpc_service", stats->service}, {"grpc_method", stats->method}},
                  kLatencyBounds, counts,
                  static_cast<double>(stats->latency_sum_ns.load(std::memory_order_relaxed)) / 1e9);
  }
}

}  // namespace acd::daemon
