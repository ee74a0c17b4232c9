// acdctl: a supervisor's view of acdd through the Supervision service: queues and agents with
// their live state, as tables.

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "clients/acdctl/supervision_commands.h"
#include "clients/common/cli.h"
#include "clients/common/enum_names.h"
#include "clients/common/output.h"

namespace acd::clients::acdctl {
namespace {

constexpr char kProgram[] = "acdctl";

int Run(int argc, char** argv) {
  CLI::App app{
      "Shows a contact centre's live state from acdd: queues and agents, as tables.\n"
      "Needs a token with role supervisor; it shows the token's tenant.",
      kProgram};
  GlobalOptions global;
  AddGlobalOptions(app, global);
  CLI::App* queues_command = app.add_subcommand("queues", "List the queues with their live state");
  queues_command->footer(
      "Columns: QUEUE (id), NAME, WAITING (contacts not yet offered), LONGEST_WAIT (of the\n"
      "oldest waiting contact), READY (members ready and idle), BUSY (members holding a\n"
      "contact), NOT_READY (members not ready and idle).");

  std::vector<std::string> state_names;
  for (std::string_view name : AgentStateNames()) state_names.emplace_back(name);
  AgentFilter filter;
  CLI::App* agents_command = app.add_subcommand("agents", "List the agents with their live state");
  agents_command->footer(
      "Columns: AGENT (id), NAME, TEAM, STATE (ready, not-ready, logged-out), REASON (the\n"
      "not-ready reason), CONTACTS (ids of contacts held: offered, connected or in wrap-up),\n"
      "CONNECTED (whether a desktop has the agent's event stream open).");
  agents_command->add_option("--queue", filter.queue, "only members of this queue")
      ->type_name("QUEUE");
  agents_command->add_option("--team", filter.team, "only agents of this team")->type_name("TEAM");
  agents_command->add_option("--state", filter.state, "only agents in this state")
      ->type_name("ready|not-ready|logged-out")
      ->check(CLI::IsMember(state_names));

  // Set last: subcommands copy their parent's footer when they are added.
  app.footer(
      "The options above go before the subcommand; 'acdctl SUBCOMMAND --help' explains\n"
      "each subcommand.\n"
      "Errors print as 'acdctl: CODE: message' on stderr with exit status 1; usage errors exit\n"
      "with 2.\n\n"
      "Example:\n"
      "  acdctl --token demo-supervisor-acme agents --team red");

  if (const int exit_status = ParseCommandLine(app, argc, argv); exit_status >= 0) {
    return exit_status;
  }

  Output output(kProgram);
  if (*queues_command) return ListQueues(global, output);
  if (*agents_command) return ListAgents(global, filter, output);
  return kExitUsage;
}

}  // namespace
}  // namespace acd::clients::acdctl

int main(int argc, char** argv) {
  try {
    return acd::clients::acdctl::Run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "acdctl: fatal: " << e.what() << "\n";
    return acd::clients::kExitFailure;
  }
}
