#pragma once

#include <google/protobuf/repeated_ptr_field.h>
#include <grpcpp/support/server_callback.h>

#include <optional>
#include <string>

#include "acd/v1/common.pb.h"
#include "daemon/core_runner.h"
#include "daemon/record_reader.h"
#include "daemon/store.h"

namespace acd::daemon {

/// Where a page of interaction records goes: into a response message owned by gRPC until the
/// call finishes.
struct InteractionPage {
  google::protobuf::RepeatedPtrField<v1::InteractionSummary>* interactions;
  /// Set to the next page's token when there is one.
  std::string* next_page_token;
  /// Given to every summary when set (customer history: the one customer).
  std::optional<v1::Customer> customer;
};

/// Reads up to `page_size` records matching `query` on the reader's thread, adds them to `page`
/// with their agents' display names (from the core), and finishes the call: UNAVAILABLE when the
/// records cannot be read. Returns at once.
void ReadInteractionPage(RecordReader& records, CoreRunner& core, grpc::ServerUnaryReactor* reactor,
                         InteractionQuery query, int page_size, InteractionPage page);

}  // namespace acd::daemon
