#pragma once

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace acd::daemon {

/// The one conversion from the core's status to gRPC's: same canonical code, same message.
inline grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

}  // namespace acd::daemon
