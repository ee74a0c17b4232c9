#pragma once

#include <grpcpp/support/server_callback.h>

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "daemon/core_runner.h"
#include "daemon/status_convert.h"
#include "routing/command.h"

namespace acd::daemon {

/// Answers a unary call with `status` at once (bad input, failed authentication; or OK, the
/// response written).
inline grpc::ServerUnaryReactor* Answer(grpc::CallbackServerContext* context,
                                        const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

/// Answers a unary call with error `status` at once.
inline grpc::ServerUnaryReactor* Reject(grpc::CallbackServerContext* context,
                                        const absl::Status& status) {
  return Answer(context, status);
}

/// Finishes a call that changed the core with `status` once the change is durable. Core strand
/// only.
inline void FinishWhenDurable(grpc::ServerUnaryReactor* reactor, CoreRunner& core,
                              grpc::Status status) {
  // UNAVAILABLE (storage failing) promises nothing, so it goes out at once. Any other answer,
  // a refusal too, may rest on a change not yet durable (a command repeated before the first
  // one was written), so it waits.
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    reactor->Finish(status);
    return;
  }
  core.WhenDurable([reactor, status = std::move(status)](const absl::Status& durable) {
    reactor->Finish(durable.ok() ? status : ToGrpcStatus(durable));
  });
}

/// Runs `change(core)` on the core strand (it handles commands and writes the response, and
/// returns the call's status), then finishes the call once what it changed is durable: a
/// caller is never told of a change a crash could undo. Returns at once: nothing here blocks a
/// gRPC thread.
template <typename Change>
grpc::ServerUnaryReactor* ChangeOnCore(grpc::CallbackServerContext* context, CoreRunner& core,
                                       Change change) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  core.Post([reactor, change = std::move(change)](CoreRunner& runner) mutable {
    FinishWhenDurable(reactor, runner, change(runner));
  });
  return reactor;
}

/// Applies `command` on the core strand, lets `fill(core, result)` write the response (it returns
/// the call's status), and finishes the call once the change is durable.
template <typename Fill>
grpc::ServerUnaryReactor* RunOnCore(grpc::CallbackServerContext* context, CoreRunner& core,
                                    routing::Command command, Fill fill) {
  return ChangeOnCore(context, core,
                      [command = std::move(command), fill = std::move(fill)](CoreRunner& runner) {
                        absl::StatusOr<routing::CommandResult> result = runner.Handle(command);
                        return result.ok() ? fill(runner, *result) : ToGrpcStatus(result.status());
                      });
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
