// acdctl: a supervisor's view of acdd through the Supervision service: queues and agents with
// their live state, as tables; and the supervisor's hands on the floor: moving, re-prioritising
// and assigning contacts, logging agents out, broadcasting to desktops. For the operator, through
// the Admin service: reloading the configuration file and checking one.

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "clients/acdctl/admin_commands.h"
#include "clients/acdctl/floor_commands.h"
#include "clients/acdctl/supervision_commands.h"
#include "clients/common/cli.h"
#include "clients/common/enum_names.h"
#include "clients/common/output.h"

namespace acd::clients::acdctl {
namespace {

constexpr char kProgram[] = "acdctl";

int Run(int argc, char** argv) {
  CLI::App app{
      "Shows a contact centre's live state from acdd (queues and agents, as tables) and\n"
      "changes it as a supervisor would. Needs a token with role supervisor; it acts on the\n"
      "token's tenant. 'reload' and 'validate' are the operator's, with a token with role admin.",
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

  std::string contact_id;
  std::string queue_id;
  CLI::App* move_command = app.add_subcommand("move", "Move a contact to another queue");
  move_command->footer(
      "The contact (scheduled, waiting or offered) keeps its virtual start time, so it loses no\n"
      "place for the time it waited; a pending offer is taken back. Prints 'contact ...'.");
  move_command->add_option("contact", contact_id, "the contact's id")->required();
  move_command->add_option("queue", queue_id, "the queue to move it to")->required();

  int priority = 0;
  CLI::App* priority_command =
      app.add_subcommand("priority", "Change a waiting contact's base priority");
  priority_command->footer("Re-orders the contact at once. Prints 'contact ...'.");
  priority_command->add_option("contact", contact_id, "the contact's id")->required();
  priority_command->add_option("priority", priority, "the new priority")
      ->required()
      ->check(CLI::Range(0, 100))
      ->type_name("0-100");

  std::string agent_id;
  CLI::App* assign_command = app.add_subcommand("assign", "Offer a contact to a chosen agent now");
  assign_command->footer(
      "Ahead of routing order and without a skill check; a decline or a timeout puts the\n"
      "contact back where it was. Prints 'contact ...' (state offered).");
  assign_command->add_option("contact", contact_id, "the contact's id")->required();
  assign_command->add_option("agent", agent_id, "the agent's id")->required();

  std::string logout_reason;
  CLI::App* logout_command = app.add_subcommand("logout", "Log an agent out");
  logout_command->footer(
      "For an agent who left without logging out: pending offers go back to their queues and\n"
      "wrap-ups end with the disposition 'logged-out'. Refused while the agent is connected to\n"
      "a customer. Prints 'agent id=... state=logged-out'.");
  logout_command->add_option("agent", agent_id, "the agent's id")->required();
  logout_command->add_option("--reason", logout_reason, "why, for the records")->type_name("TEXT");

  BroadcastOptions broadcast;
  CLI::App* broadcast_command =
      app.add_subcommand("broadcast", "Send a message to agents' desktops");
  broadcast_command->footer(
      "To a team, to chosen agents, or (neither given) to the whole tenant; only open desktops\n"
      "get it. Prints 'broadcast delivered=N not_connected=M'.");
  broadcast_command->add_option("text", broadcast.text, "the message, up to 2000 bytes")
      ->required();
  broadcast_command->add_option("--team", broadcast.team, "the team to message")->type_name("TEAM");
  broadcast_command->add_option("--agent", broadcast.agent_ids, "an agent to message (repeatable)")
      ->type_name("AGENT");
  broadcast_command->add_flag("--urgent", broadcast.urgent, "ask desktops to interrupt the agent");

  bool dry_run = false;
  CLI::App* reload_command =
      app.add_subcommand("reload", "Make acdd re-read its configuration file (admin token)");
  reload_command->footer(
      "As SIGHUP does. Contacts keep their place and agents stay logged in; a file with an\n"
      "error, or whose changes would strand live contacts or logged-in agents, changes nothing.\n"
      "Prints 'reload applied=... changes=N problems=M', then a 'change' line per entity added,\n"
      "changed or removed and a 'problem' line per problem; exits 1 when there are problems.");
  reload_command->add_flag("--dry-run", dry_run, "check the file and list the changes only");

  std::string config_file;
  CLI::App* validate_command =
      app.add_subcommand("validate", "Check a configuration file with acdd (admin token)");
  validate_command->footer(
      "Sends the file to acdd, which checks it without applying it. Prints 'config valid=...'\n"
      "with what it defines, and a 'problem' line (with its line and column) per problem;\n"
      "exits 1 when it is not valid.");
  validate_command->add_option("file", config_file, "the YAML configuration file")->required();

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
  if (*move_command) return MoveContact(global, contact_id, queue_id, output);
  if (*priority_command) return SetContactPriority(global, contact_id, priority, output);
  if (*assign_command) return AssignContact(global, contact_id, agent_id, output);
  if (*logout_command) return LogOutAgent(global, agent_id, logout_reason, output);
  if (*broadcast_command) return Broadcast(global, broadcast, output);
  if (*reload_command) return ReloadConfig(global, dry_run, output);
  if (*validate_command) return ValidateConfig(global, config_file, output);
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
