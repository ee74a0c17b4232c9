#include "clients/gateway/gateway_commands.h"

#include <atomic>
#include <charconv>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "acd/v1/intake.grpc.pb.h"
#include "clients/common/connection.h"
#include "clients/common/contact_format.h"
#include "clients/common/enum_names.h"
#include "clients/common/signal_watcher.h"

namespace acd::clients::gateway {
namespace {

/// Splits NAME[:LEVEL]; the level is 1 when omitted, nullopt when it is not a number.
std::optional<std::pair<std::string, int>> SplitSkill(std::string_view text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::pair(std::string(text), 1);
  const std::string_view digits = text.substr(colon + 1);
  int level = 0;
  const char* end = digits.data() + digits.size();
  const auto [rest, error] = std::from_chars(digits.data(), end, level);
  if (colon == 0 || digits.empty() || error != std::errc() || rest != end) return std::nullopt;
  return std::pair(std::string(text.substr(0, colon)), level);
}

/// The `event ...` line of a contact event: seq, contact, external_id, kind (the name of the
/// event's oneof field) and the kind's own fields.
KeyValueLine EventLine(const v1::ContactEvent& event) {
  KeyValueLine line("event");
  line.AddNumber("seq", static_cast<std::int64_t>(event.sequence()))
      .Add("contact", event.contact_id())
      .Add("external_id", event.external_id());
  switch (event.kind_case()) {
    case v1::ContactEvent::kQueued:
      line.Add("kind", "queued")
          .Add("queue", event.queued().queue_id())
          .AddNumber("position", event.queued().queue_position());
      if (event.queued().has_estimated_wait()) {
        line.Add("estimated_wait", FormatDuration(event.queued().estimated_wait()));
      }
      break;
    case v1::ContactEvent::kOffered:
      line.Add("kind", "offered").Add("agent", event.offered().agent_id());
      break;
    case v1::ContactEvent::kAssigned:
      line.Add("kind", "assigned")
          .Add("agent", event.assigned().agent_id())
          .Add("agent_name", event.assigned().agent_display_name());
      break;
    case v1::ContactEvent::kWrapUpStarted:
      line.Add("kind", "wrap_up_started")
          .Add("agent", event.wrap_up_started().agent_id())
          .Add("end_reason", EndReasonName(event.wrap_up_started().end_reason()));
      break;
    case v1::ContactEvent::kCompleted:
      line.Add("kind", "completed")
          .Add("agent", event.completed().agent_id())
          .Add("disposition", event.completed().disposition_code());
      break;
    case v1::ContactEvent::kAbandoned:
      line.Add("kind", "abandoned")
          .Add("reason", event.abandoned().reason())
          .AddFlag("short", event.abandoned().short_abandon());
      break;
    case v1::ContactEvent::kRequeued:
      line.Add("kind", "requeued")
          .Add("reason", event.requeued().reason())
          .AddNumber("position", event.requeued().queue_position());
      break;
    case v1::ContactEvent::kTransferred:
      line.Add("kind", "transferred")
          .Add("from_agent", event.transferred().from_agent_id())
          .Add("to_queue", event.transferred().to_queue_id())
          .Add("to_agent", event.transferred().to_agent_id())
          .Add("reason", event.transferred().reason());
      break;
    case v1::ContactEvent::kEscalated:
      line.Add("kind", "escalated")
          .Add("escalation", event.escalated().escalation_id())
          .Add("from_agent", event.escalated().from_agent_id())
          .Add("to_queue", event.escalated().to_queue_id())
          .Add("reason", event.escalated().reason());
      break;
    case v1::ContactEvent::kOverflowed:
      line.Add("kind", "overflowed")
          .Add("from_queue", event.overflowed().from_queue_id())
          .Add("action", OverflowActionName(event.overflowed().action()))
          .Add("to_queue", event.overflowed().to_queue_id())
          .Add("channel", ChannelName(event.overflowed().channel()))
          .Add("reason", event.overflowed().reason());
      break;
    case v1::ContactEvent::kMoved:
      line.Add("kind", "moved")
          .Add("from_queue", event.moved().from_queue_id())
          .Add("to_queue", event.moved().to_queue_id())
          .Add("moved_by", event.moved().moved_by());
      break;
    case v1::ContactEvent::kExpired:
      line.Add("kind", "expired")
          .Add("queue", event.expired().queue_id())
          .Add("reason", event.expired().reason());
      break;
    case v1::ContactEvent::kWaitUpdated:
      line.Add("kind", "wait_updated").AddNumber("position", event.wait_updated().queue_position());
      if (event.wait_updated().has_estimated_wait()) {
        line.Add("estimated_wait", FormatDuration(event.wait_updated().estimated_wait()));
      }
      break;
    case v1::ContactEvent::kScheduled:
      line.Add("kind", "scheduled")
          .Add("queue", event.scheduled().queue_id())
          .AddNumber("not_before", event.scheduled().not_before().seconds())
          .Add("pinned_agent", event.scheduled().pinned_agent_id())
          .Add("follow_up_of", event.scheduled().follow_up_of_contact_id());
      break;
    case v1::ContactEvent::KIND_NOT_SET:
      line.Add("kind", "unknown");
      break;
  }
  return line;
}

/// Whether `event` ends its contact.
bool EndsContact(const v1::ContactEvent& event) {
  return event.has_completed() || event.has_abandoned() || event.has_expired();
}

}  // namespace

std::string CheckSkill(const std::string& text) {
  if (SplitSkill(text)) return {};
  return "expected NAME or NAME:LEVEL (e.g. billing:5), got '" + text + "'";
}

std::string CheckAttribute(const std::string& text) {
  const std::size_t equals = text.find('=');
  if (equals != std::string::npos && equals > 0) return {};
  return "expected KEY=VALUE, got '" + text + "'";
}

int Create(const GlobalOptions& global, const CreateOptions& options, Output& output) {
  v1::CreateContactRequest request;
  request.set_external_id(options.external_id);
  request.set_queue_id(options.queue);
  request.set_channel(ParseChannel(options.channel).value_or(v1::CHANNEL_UNSPECIFIED));
  if (options.priority) request.set_priority(*options.priority);
  for (const std::string& text : options.skills) {
    const auto [skill, level] = SplitSkill(text).value();
    v1::SkillRequirement& requirement = *request.add_required_skills();
    requirement.set_skill(skill);
    requirement.set_min_level(level);
  }
  request.set_language(options.language);
  v1::Customer& customer = *request.mutable_customer();
  customer.set_id(options.customer_id);
  customer.set_display_name(options.customer_name);
  customer.set_tier(options.customer_tier);
  for (const std::string& text : options.attributes) {
    const std::size_t equals = text.find('=');
    (*request.mutable_attributes())[text.substr(0, equals)] = text.substr(equals + 1);
  }
  for (const std::string& agent : options.preferred_agents) request.add_preferred_agent_ids(agent);

  const Connection connection(global);
  v1::CreateContactResponse response;
  const grpc::Status status =
      v1::Intake::NewStub(connection.channel())
          ->CreateContact(connection.NewCallContext().get(), request, &response);
  if (!status.ok()) {
    output.PrintStatus(status);
    return kExitFailure;
  }
  output.Print(ContactLine(response.contact()).AddFlag("created", response.created()));
  return 0;
}

int Cancel(const GlobalOptions& global, const std::string& contact_id, const std::string& reason,
           Output& output) {
  v1::CancelContactRequest request;
  request.set_contact_id(contact_id);
  request.set_reason(reason);
  const Connection connection(global);
  v1::CancelContactResponse response;
  const grpc::Status status =
      v1::Intake::NewStub(connection.channel())
          ->CancelContact(connection.NewCallContext().get(), request, &response);
  if (!status.ok()) {
    output.PrintStatus(status);
    return kExitFailure;
  }
  output.Print(ContactLine(response.contact()));
  return 0;
}

int Survey(const GlobalOptions& global, const std::string& contact_id, int score,
           const std::string& comment, Output& output) {
  v1::RecordSurveyRequest request;
  request.set_contact_id(contact_id);
  request.set_score(score);
  request.set_comment(comment);
  const Connection connection(global);
  v1::RecordSurveyResponse response;
  const grpc::Status status =
      v1::Intake::NewStub(connection.channel())
          ->RecordSurvey(connection.NewCallContext().get(), request, &response);
  if (!status.ok()) {
    output.PrintStatus(status);
    return kExitFailure;
  }
  output.Print(
      KeyValueLine("survey").Add("contact", response.contact_id()).AddNumber("score", score));
  return 0;
}

int Get(const GlobalOptions& global, const std::string& contact_id, Output& output) {
  v1::GetContactRequest request;
  request.set_contact_id(contact_id);
  const Connection connection(global);
  v1::GetContactResponse response;
  const grpc::Status status =
      v1::Intake::NewStub(connection.channel())
          ->GetContact(connection.NewCallContext().get(), request, &response);
  if (!status.ok()) {
    output.PrintStatus(status);
    return kExitFailure;
  }
  output.Print(ContactLine(response.contact()));
  return 0;
}

int Watch(const GlobalOptions& global, const WatchOptions& options, Output& output) {
  SignalWatcher signals;  // First: it must block the signals before gRPC starts its threads.
  const Connection connection(global);
  const std::unique_ptr<v1::Intake::Stub> intake = v1::Intake::NewStub(connection.channel());

  v1::WatchContactsRequest request;
  for (const std::string& id : options.contact_ids) request.add_contact_ids(id);
  if (options.resume_after) request.set_resume_after_sequence(*options.resume_after);
  request.set_wait_updates(options.wait_updates);

  const std::unique_ptr<grpc::ClientContext> context = connection.NewStreamContext();
  const SignalWatcher::HandlerScope on_signal =
      signals.OnSignal([target = context.get()] { target->TryCancel(); });
  std::unique_ptr<grpc::ClientReader<v1::ContactEvent>> reader =
      intake->WatchContacts(context.get(), request);
  // The daemon sends the response headers once the watch is registered: from then on no event
  // is missed, which is what `watching` tells whoever reads our output.
  reader->WaitForInitialMetadata();
  std::string watched;
  for (const std::string& id : options.contact_ids) {
    if (!watched.empty()) watched += ',';
    watched += id;
  }
  output.Print(KeyValueLine("watching").Add("contacts", watched.empty() ? "all" : watched));

  std::set<std::string> pending;
  bool done = false;
  if (options.until_done) {
    // Contacts already over send no more events: read their state once the watch is live.
    for (const std::string& id : options.contact_ids) {
      v1::GetContactRequest get;
      get.set_contact_id(id);
      v1::GetContactResponse contact;
      const grpc::Status status =
          intake->GetContact(connection.NewCallContext().get(), get, &contact);
      if (!status.ok()) {
        output.PrintStatus(status, "contact " + id);
        context->TryCancel();
        reader->Finish();
        return kExitFailure;
      }
      if (!IsTerminal(contact.contact().state())) pending.insert(id);
    }
    done = pending.empty();
  }

  v1::ContactEvent event;
  while (!done && reader->Read(&event)) {
    output.Print(EventLine(event));
    if (options.until_done && EndsContact(event)) {
      pending.erase(event.contact_id());
      done = pending.empty();
    }
  }
  if (done) context->TryCancel();
  const grpc::Status status = reader->Finish();
  if (done || signals.received()) return 0;
  if (!status.ok()) {
    output.PrintStatus(status);
    return kExitFailure;
  }
  output.PrintError("the daemon ended the watch");
  return kExitFailure;
}

}  // namespace acd::clients::gateway
