#include "clients/common/connection.h"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <memory>

namespace acd::clients {

Connection::Connection(const GlobalOptions& options)
    : channel_(grpc::CreateChannel(options.target, grpc::InsecureChannelCredentials())),
      authorization_("Bearer " + options.token),
      timeout_(static_cast<std::int64_t>(std::llround(options.timeout_seconds * 1e6))) {}

std::unique_ptr<grpc::ClientContext> Connection::NewCallContext() const {
  auto context = NewStreamContext();
  context->set_deadline(std::chrono::system_clock::now() + timeout_);
  return context;
}

std::unique_ptr<grpc::ClientContext> Connection::NewStreamContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", authorization_);
  return context;
}

}  // namespace acd::clients
