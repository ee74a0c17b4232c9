#pragma once

#include <grpcpp/support/server_callback.h>

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "daemon/core_runner.h"
#include "daemon/status_convert.h"
#include "routing/command.h"

namespace acd::daemon {

/// Answers a unary call with `status` at once (bad input, failed authentication).
inline grpc::ServerUnaryReactor* Reject(grpc::CallbackServerContext* context,
                                        const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

/// Applies `command` on the core strand, then lets `fill(core, result)` write the response (it
/// returns the call's status) and finishes the call. Returns at once: nothing here blocks a gRPC
/// thread.
template <typename Fill>
grpc::ServerUnaryReactor* RunOnCore(grpc::CallbackServerContext* context, CoreRunner& core,
                                    routing::Command command, Fill fill) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  core.Post([reactor, command = std::move(command), fill = std::move(fill)](CoreRunner& runner) {
    absl::StatusOr<routing::CommandResult> result = runner.Handle(command);
    reactor->Finish(result.ok() ? fill(runner, *result) : ToGrpcStatus(result.status()));
  });
  return reactor;
}

/// Runs the read-only `query(core)` on the core strand and finishes the call with its status.
template <typename Query>
grpc::ServerUnaryReactor* QueryOnCore(grpc::CallbackServerContext* context, CoreRunner& core,
                                      Query query) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  core.Post(
      [reactor, query = std::move(query)](CoreRunner& runner) { reactor->Finish(query(runner)); });
  return reactor;
}

}  // namespace acd::daemon
