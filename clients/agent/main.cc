// acd-agent: acts as one agent's desktop against acdd's AgentDesk service: prints the agent's
// events, changes its state, accepts, declines, completes and wraps up contacts, and can run as
// a simulated agent that handles every offer by itself.

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "clients/agent/agent_commands.h"
#include "clients/agent/desk_session.h"
#include "clients/common/cli.h"
#include "clients/common/enum_names.h"
#include "clients/common/output.h"

namespace acd::clients::agent {
namespace {

constexpr char kProgram[] = "acd-agent";

/// Adds the CONTACT_ID positional every contact subcommand takes.
void AddContactId(CLI::App& command, std::string& contact_id) {
  command.add_option("contact_id", contact_id, "the contact")->required()->type_name("CONTACT_ID");
}

int Run(int argc, char** argv) {
  CLI::App app{
      "Acts as an agent's desktop against acdd: prints the agent's events (offers,\n"
      "assignments, wrap-ups, state changes), sets its state and handles contacts through\n"
      "the AgentDesk service. The token decides which agent you are (role agent).",
      kProgram};
  GlobalOptions global;
  AddGlobalOptions(app, global);
  SessionOptions run;
  CLI::App* run_command =
      app.add_subcommand("run", "Print the agent's events; optionally act as a simulated agent");
  run_command->footer(
      "Opens the agent's event stream and prints 'connected' once the daemon has registered it\n"
      "(the agent then counts as connected and no event is missed), then with --ready sets the\n"
      "agent READY and prints 'state state=ready ...', then prints one line per event until\n"
      "SIGINT or SIGTERM (exit 0). With --auto-accept it accepts each offer, ends the contact\n"
      "--handle-seconds later and submits wrap-up with --disposition; failures are printed on\n"
      "stderr and it carries on. With --reconnect, a broken stream (the daemon restarted, the\n"
      "network dropped) is opened again after 'reconnecting resume_after=N retry_in_ms=M',\n"
      "resuming after the last event printed: 'connected resume_after=N' once back, then the\n"
      "events missed meanwhile, each once. When they are no longer kept it prints 'resynced\n"
      "sequence=N offers=... assignments=... wrap_ups=...' from the agent's desk and goes on.");
  run_command->add_flag("--ready", run.set_ready, "set the agent READY once the stream is open");
  run_command->add_flag("--auto-accept", run.auto_accept,
                        "accept each offer, end it after --handle-seconds, then submit wrap-up");
  run_command
      ->add_option("--handle-seconds", run.handle_seconds,
                   "with --auto-accept: time between accepting and ending each contact")
      ->type_name("N")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  run_command
      ->add_option("--disposition", run.disposition,
                   "with --auto-accept: disposition code submitted at wrap-up")
      ->type_name("CODE")
      ->capture_default_str();
  run_command->add_option("--notes", run.notes, "with --auto-accept: wrap-up notes")
      ->type_name("TEXT");
  run_command->add_flag("--reconnect", run.reconnect,
                        "when the stream breaks, reconnect and resume after the last event");

  CLI::App* watch_command = app.add_subcommand("watch", "Print the agent's events");
  watch_command->footer(
      "The same as 'run' without --ready and --auto-accept: prints 'connected' once the stream\n"
      "is open, then one line per event until SIGINT or SIGTERM (exit 0). Event kinds: offer,\n"
      "offer_rescinded, assigned, wrap_up_started, completed, state_changed, escalation_notice,\n"
      "supervisor_message, contact_updated.");
  SessionOptions watch;
  watch_command->add_flag("--reconnect", watch.reconnect,
                          "when the stream breaks, reconnect and resume after the last event");

  std::vector<std::string> state_names;
  for (std::string_view name : AgentStateNames()) state_names.emplace_back(name);
  std::string state;
  std::string state_reason;
  CLI::App* state_command = app.add_subcommand("state", "Set the agent's state");
  state_command->footer(
      "Prints 'state state=... reason=...'. A new contact is offered only to READY agents;\n"
      "leaving READY withdraws pending offers.");
  state_command->add_option("state", state, "the new state")
      ->required()
      ->type_name("ready|not-ready|logged-out")
      ->check(CLI::IsMember(state_names));
  state_command
      ->add_option("--reason", state_reason,
                   "not-ready reason code (e.g. lunch); the default 'not-ready' if none")
      ->type_name("CODE");

  std::string accept_id;
  CLI::App* accept_command = app.add_subcommand("accept", "Accept an offer");
  accept_command->footer("Prints the contact, now connected to the agent.");
  AddContactId(*accept_command, accept_id);

  std::string decline_id;
  std::string decline_reason;
  CLI::App* decline_command = app.add_subcommand("decline", "Decline an offer");
  decline_command->footer(
      "Prints 'declined contact=ID'. The contact goes back to its place in line and is not\n"
      "offered to this agent again.");
  AddContactId(*decline_command, decline_id);
  decline_command->add_option("--reason", decline_reason, "why, for reports")->type_name("R");

  std::string complete_id;
  CLI::App* complete_command = app.add_subcommand("complete", "End a connected interaction");
  complete_command->footer("Prints the contact, now in wrap-up (finish it with wrap-up).");
  AddContactId(*complete_command, complete_id);

  std::string wrap_up_id;
  std::string disposition;
  std::string notes;
  CLI::App* wrap_up_command =
      app.add_subcommand("wrap-up", "Finish wrap-up with a disposition code");
  wrap_up_command->footer("Prints the contact, now completed; the agent's capacity is free.");
  AddContactId(*wrap_up_command, wrap_up_id);
  wrap_up_command->add_option("--disposition", disposition, "disposition code, e.g. resolved")
      ->required()
      ->type_name("CODE");
  wrap_up_command->add_option("--notes", notes, "free-text notes")->type_name("TEXT");

  std::string history_id;
  int history_page_size = 0;
  std::string history_page_token;
  CLI::App* history_command =
      app.add_subcommand("history", "Print the past interactions of a held contact's customer");
  history_command->footer(
      "Prints one 'interaction contact=... outcome=... agent=... disposition=... csat=...' line\n"
      "per past interaction, newest first, then 'history customer=... next_page_token=...';\n"
      "pass that token with --page-token for the next page.");
  AddContactId(*history_command, history_id);
  history_command->add_option("--page-size", history_page_size, "interactions per page, 1-100")
      ->check(CLI::Range(1, 100))
      ->type_name("N");
  history_command->add_option("--page-token", history_page_token, "the next page's token")
      ->type_name("TOKEN");

  // Set last: subcommands copy their parent's footer when they are added.
  app.footer(
      "The options above go before the subcommand; 'acd-agent SUBCOMMAND --help' explains\n"
      "each subcommand.\n"
      "Events print one per line, the event's kind first, e.g.\n"
      "  offer seq=2 contact=1 external_id=call-1 queue=acme.billing channel=voice ...\n"
      "Errors print as 'acd-agent: CODE: message' on stderr with exit status 1; usage errors\n"
      "exit with 2.\n\n"
      "Example: a simulated agent handling each contact for 5 seconds:\n"
      "  acd-agent --token demo-agent-alice run --ready --auto-accept --handle-seconds 5");

  if (const int exit_status = ParseCommandLine(app, argc, argv); exit_status >= 0) {
    return exit_status;
  }

  Output output(kProgram);
  if (*run_command) return RunDeskSession(global, run, output);
  if (*watch_command) return RunDeskSession(global, watch, output);
  if (*state_command) return SetState(global, state, state_reason, output);
  if (*accept_command) return Accept(global, accept_id, output);
  if (*decline_command) return Decline(global, decline_id, decline_reason, output);
  if (*complete_command) return Complete(global, complete_id, output);
  if (*wrap_up_command) return WrapUp(global, wrap_up_id, disposition, notes, output);
  if (*history_command) {
    return History(global, history_id, history_page_size, history_page_token, output);
  }
  return kExitUsage;
}

}  // namespace
}  // namespace acd::clients::agent

int main(int argc, char** argv) {
  try {
    return acd::clients::agent::Run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "acd-agent: fatal: " << e.what() << "\n";
    return acd::clients::kExitFailure;
  }
}
