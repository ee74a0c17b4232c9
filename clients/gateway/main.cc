// acd-gateway: acts as a telephony, chat or e-mail gateway against acdd's Intake service:
// creates, cancels, reads and watches contacts.

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "clients/common/cli.h"
#include "clients/common/enum_names.h"
#include "clients/common/output.h"
#include "clients/gateway/gateway_commands.h"

namespace acd::clients::gateway {
namespace {

constexpr char kProgram[] = "acd-gateway";

int Run(int argc, char** argv) {
  CLI::App app{
      "Acts as a contact-centre gateway (telephony, chat, e-mail) against acdd: creates,\n"
      "cancels, reads and watches contacts through the Intake service. Needs a token with\n"
      "role gateway.",
      kProgram};
  GlobalOptions global;
  AddGlobalOptions(app, global);
  std::vector<std::string> channel_names;
  for (std::string_view name : ChannelNames()) channel_names.emplace_back(name);

  CreateOptions create;
  CLI::App* create_command = app.add_subcommand("create", "Create a contact and queue it");
  create_command->footer(
      "Prints the contact, e.g.\n"
      "  contact id=1 external_id=call-1 queue=acme.billing channel=voice state=queued ... "
      "created=true\n"
      "Repeating a create with the same --external-id returns the existing contact with\n"
      "created=false, so a create that timed out can safely be retried.");
  create_command->add_option("--queue", create.queue, "queue to wait in")
      ->required()
      ->type_name("QUEUE");
  create_command->add_option("--channel", create.channel, "medium the contact arrives on")
      ->required()
      ->type_name("CHANNEL")
      ->check(CLI::IsMember(channel_names));
  create_command
      ->add_option("--external-id", create.external_id,
                   "your own id for the contact (call id, chat session id); the idempotency key")
      ->required()
      ->type_name("ID");
  create_command
      ->add_option("--skill", create.skills,
                   "required skill at a minimum level 1-10 (level 1 when omitted); repeatable")
      ->type_name("NAME[:LEVEL]")
      ->check(CLI::Validator(CheckSkill, ""));
  create_command
      ->add_option("--priority", create.priority,
                   "priority 0-100, higher routes first (default: the queue's)")
      ->type_name("N");
  create_command
      ->add_option("--customer-id", create.customer_id,
                   "the customer's id in your system (links their history)")
      ->type_name("ID");
  create_command->add_option("--customer-name", create.customer_name, "name shown to agents")
      ->type_name("NAME");
  create_command->add_option("--customer-tier", create.customer_tier, "service tier, e.g. gold")
      ->type_name("TIER");
  create_command
      ->add_option("--language", create.language, "language the agent must speak (BCP 47)")
      ->type_name("TAG");
  create_command
      ->add_option("--attr", create.attributes, "attribute shown to the agent; repeatable")
      ->type_name("KEY=VALUE")
      ->check(CLI::Validator(CheckAttribute, ""));
  create_command
      ->add_option("--preferred-agent", create.preferred_agents, "agent to try first; repeatable")
      ->type_name("AGENT");

  std::string cancel_id;
  std::string cancel_reason;
  CLI::App* cancel_command =
      app.add_subcommand("cancel", "Withdraw a contact because the customer left");
  cancel_command->footer(
      "Prints the contact afterwards: abandoned if it was waiting or offered, in wrap-up if it\n"
      "was connected, unchanged if it was over already (repeating a cancel is harmless).");
  cancel_command->add_option("contact_id", cancel_id, "the contact")
      ->required()
      ->type_name("CONTACT_ID");
  cancel_command->add_option("--reason", cancel_reason, "why, for reports, e.g. caller-hangup")
      ->type_name("R");

  std::string get_id;
  CLI::App* get_command = app.add_subcommand("get", "Print a contact's current state");
  get_command->footer(
      "Prints 'contact id=... state=... agent=... position=...'; position is the contact's\n"
      "1-based place in its queue while it waits, 0 otherwise.");
  get_command->add_option("contact_id", get_id, "the contact")->required()->type_name("CONTACT_ID");

  std::string survey_id;
  int survey_score = 0;
  std::string survey_comment;
  CLI::App* survey_command =
      app.add_subcommand("survey", "Record a customer's satisfaction survey of a contact");
  survey_command->footer(
      "Prints 'survey contact=... score=...'. One survey per contact, once it reached an agent;\n"
      "the score feeds the CSAT figures and the customer's history.");
  survey_command->add_option("contact_id", survey_id, "the contact")
      ->required()
      ->type_name("CONTACT_ID");
  survey_command->add_option("--score", survey_score, "1 (very dissatisfied) to 5 (very satisfied)")
      ->required()
      ->check(CLI::Range(1, 5))
      ->type_name("N");
  survey_command->add_option("--comment", survey_comment, "the customer's words")
      ->type_name("TEXT");

  WatchOptions watch;
  CLI::App* watch_command = app.add_subcommand("watch", "Print what happens to contacts");
  watch_command->footer(
      "Prints 'watching contacts=all|ID,...' once the daemon has registered the watch (no event\n"
      "is missed from then on), then one line per event until SIGINT or SIGTERM (exit 0), e.g.\n"
      "  event seq=4 contact=1 external_id=call-1 kind=assigned agent=alice ...\n"
      "kind is queued, offered, assigned, wrap_up_started, completed, abandoned, requeued,\n"
      "transferred, escalated, overflowed, expired, wait_updated or scheduled.\n"
      "Without CONTACT_IDs it watches every contact created with this token, new ones included.\n"
      "With --until-done it exits (status 0) once every listed contact is over.");
  CLI::Option* ids_option =
      watch_command->add_option("contact_ids", watch.contact_ids, "contacts to watch")
          ->type_name("CONTACT_ID");
  watch_command
      ->add_flag("--until-done", watch.until_done,
                 "exit once every listed contact is completed, abandoned or expired")
      ->needs(ids_option);
  watch_command->add_flag("--wait-updates", watch.wait_updates,
                          "also print queue position changes of waiting contacts");
  watch_command
      ->add_option("--resume-after", watch.resume_after,
                   "start with the events after this sequence (after a reconnect)")
      ->type_name("SEQ");

  // Set last: subcommands copy their parent's footer when they are added.
  app.footer(
      "The options above go before the subcommand; 'acd-gateway SUBCOMMAND --help' explains\n"
      "each subcommand.\n"
      "Output is one line per contact or event, as key=value pairs. Errors print as\n"
      "'acd-gateway: CODE: message' on stderr with exit status 1; usage errors exit with 2.\n\n"
      "Example:\n"
      "  acd-gateway --token demo-gateway-acme create --queue acme.billing --channel voice \\\n"
      "      --external-id call-1 --skill billing:5");

  if (const int exit_status = ParseCommandLine(app, argc, argv); exit_status >= 0) {
    return exit_status;
  }

  Output output(kProgram);
  if (*create_command) return Create(global, create, output);
  if (*cancel_command) return Cancel(global, cancel_id, cancel_reason, output);
  if (*get_command) return Get(global, get_id, output);
  if (*survey_command) return Survey(global, survey_id, survey_score, survey_comment, output);
  if (*watch_command) return Watch(global, watch, output);
  return kExitUsage;
}

}  // namespace
}  // namespace acd::clients::gateway

int main(int argc, char** argv) {
  try {
    return acd::clients::gateway::Run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "acd-gateway: fatal: " << e.what() << "\n";
    return acd::clients::kExitFailure;
  }
}
