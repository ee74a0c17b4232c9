#include "daemon/interaction_pages.h"

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "daemon/proto_convert.h"
#include "daemon/status_convert.h"

namespace acd::daemon {

void ReadInteractionPage(RecordReader& records, CoreRunner& core, grpc::ServerUnaryReactor* reactor,
                         InteractionQuery query, int page_size, InteractionPage page) {
  query.limit = page_size + 1;  // One more says whether there is a next page.
  records.Post(
      [reactor, &core, query = std::move(query), page_size, page = std::move(page)](Store& store) {
        absl::StatusOr<std::vector<std::pair<std::int64_t, InteractionRow>>> rows =
            store.ReadInteractions(query);
        if (!rows.ok()) {
          reactor->Finish(ToGrpcStatus(absl::UnavailableError(rows.status().message())));
          return;
        }
        if (rows->size() > static_cast<std::size_t>(page_size)) {
          rows->resize(static_cast<std::size_t>(page_size));
          *page.next_page_token = std::to_string(rows->back().first);
        }
        for (const auto& [id, row] : *rows) {
          v1::InteractionSummary& summary = *page.interactions->Add();
          convert::ToProto(row, summary);
          if (page.customer) {
            *summary.mutable_customer() = *page.customer;
          } else {
            summary.mutable_customer()->set_id(row.customer_id);
          }
        }
        // Display names are the router's to know.
        core.Post([reactor, interactions = page.interactions](CoreRunner& naming) {
          for (v1::InteractionSummary& summary : *interactions) {
            if (summary.agent_id().empty()) continue;
            if (const std::optional<routing::AgentView> agent =
                    naming.router().FindAgent(routing::AgentId(summary.agent_id()))) {
              summary.set_agent_display_name(agent->display_name);
            }
          }
          reactor->Finish(grpc::Status::OK);
        });
      });
}

}  // namespace acd::daemon
