#include "clients/acdctl/admin_commands.h"

#include <fstream>
#include <memory>
#include <sstream>

#include "acd/v1/admin.grpc.pb.h"
#include "clients/common/connection.h"

namespace acd::clients::acdctl {
namespace {

std::string_view ChangeName(v1::ConfigChangeType type) {
  switch (type) {
    case v1::CONFIG_CHANGE_TYPE_ADDED:
      return "added";
    case v1::CONFIG_CHANGE_TYPE_CHANGED:
      return "changed";
    case v1::CONFIG_CHANGE_TYPE_REMOVED:
      return "removed";
    default:
      return "unspecified";
  }
}

void PrintProblems(const google::protobuf::RepeatedPtrField<v1::ConfigProblem>& problems,
                   Output& output) {
  for (const v1::ConfigProblem& problem : problems) {
    output.Print(KeyValueLine("problem")
                     .AddNumber("line", problem.line())
                     .AddNumber("column", problem.column())
                     .Add("message", problem.message()));
  }
}

}  // namespace

int ReloadConfig(const GlobalOptions& global, bool dry_run, Output& output) {
  const Connection connection(global);
  const std::unique_ptr<v1::Admin::Stub> stub = v1::Admin::NewStub(connection.channel());
  v1::ReloadConfigRequest request;
  request.set_dry_run(dry_run);
  v1::ReloadConfigResponse response;
  const grpc::Status status =
      stub->ReloadConfig(connection.NewCallContext().get(), request, &response);
  if (!status.ok()) {
    output.PrintStatus(status);
    return kExitFailure;
  }
  output.Print(KeyValueLine("reload")
                   .AddFlag("applied", response.applied())
                   .AddFlag("dry_run", dry_run)
                   .Add("file", response.config_path())
                   .AddNumber("changes", response.changes_size())
                   .AddNumber("problems", response.problems_size()));
  for (const v1::ConfigChange& change : response.changes()) {
    output.Print(KeyValueLine("change")
                     .Add("type", ChangeName(change.type()))
                     .Add("kind", change.kind())
                     .Add("tenant", change.tenant_id())
                     .Add("id", change.id()));
  }
  PrintProblems(response.problems(), output);
  return response.problems().empty() ? 0 : kExitFailure;
}

int ValidateConfig(const GlobalOptions& global, const std::string& path, Output& output) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  if (file) text << file.rdbuf();
  if (!file || file.bad()) {
    output.PrintError("cannot read " + path);
    return kExitFailure;
  }
  const Connection connection(global);
  const std::unique_ptr<v1::Admin::Stub> stub = v1::Admin::NewStub(connection.channel());
  v1::ValidateConfigRequest request;
  request.set_yaml(text.str());
  v1::ValidateConfigResponse response;
  const grpc::Status status =
      stub->ValidateConfig(connection.NewCallContext().get(), request, &response);
  if (!status.ok()) {
    output.PrintStatus(status);
    return kExitFailure;
  }
  const v1::ConfigSummary& summary = response.summary();
  output.Print(KeyValueLine("config")
                   .AddFlag("valid", response.valid())
                   .AddNumber("tenants", summary.tenants())
                   .AddNumber("skills", summary.skills())
                   .AddNumber("queues", summary.queues())
                   .AddNumber("agents", summary.agents())
                   .AddNumber("tokens", summary.tokens()));
  PrintProblems(response.problems(), output);
  return response.valid() ? 0 : kExitFailure;
}

}  // namespace acd::clients::acdctl
