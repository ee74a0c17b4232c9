#include "clients/agent/agent_event_format.h"

#include <cstdint>

#include "clients/common/contact_format.h"
#include "clients/common/enum_names.h"

namespace acd::clients::agent {
namespace {

/// Adds what an agent needs to know about an offered or assigned contact.
void AddContact(const v1::Contact& contact, KeyValueLine& line) {
  line.Add("contact", contact.contact_id())
      .Add("external_id", contact.external_id())
      .Add("queue", contact.queue_id())
      .Add("channel", ChannelName(contact.channel()))
      .AddNumber("priority", contact.priority())
      .Add("skills", FormatSkills(contact.required_skills()))
      .Add("customer", contact.customer().id())
      .Add("customer_name", contact.customer().display_name());
}

}  // namespace

KeyValueLine AgentEventLine(const v1::AgentEvent& event) {
  const auto sequence = static_cast<std::int64_t>(event.sequence());
  switch (event.kind_case()) {
    case v1::AgentEvent::kOffer: {
      KeyValueLine line("offer");
      line.AddNumber("seq", sequence);
      AddContact(event.offer().contact(), line);
      if (event.offer().handover().kind() != v1::HANDOVER_KIND_UNSPECIFIED) {
        line.Add("handover", HandoverKindName(event.offer().handover().kind()))
            .Add("handover_from", event.offer().handover().from_agent_id());
      }
      return line;
    }
    case v1::AgentEvent::kOfferRescinded:
      return KeyValueLine("offer_rescinded")
          .AddNumber("seq", sequence)
          .Add("contact", event.offer_rescinded().contact_id())
          .Add("reason", RescindReasonName(event.offer_rescinded().reason()));
    case v1::AgentEvent::kAssigned: {
      KeyValueLine line("assigned");
      line.AddNumber("seq", sequence);
      AddContact(event.assigned().contact(), line);
      line.AddFlag("auto_accepted", event.assigned().auto_accepted());
      return line;
    }
    case v1::AgentEvent::kWrapUpStarted:
      return KeyValueLine("wrap_up_started")
          .AddNumber("seq", sequence)
          .Add("contact", event.wrap_up_started().contact_id())
          .Add("end_reason", EndReasonName(event.wrap_up_started().end_reason()));
    case v1::AgentEvent::kCompleted:
      return KeyValueLine("completed")
          .AddNumber("seq", sequence)
          .Add("contact", event.completed().contact_id())
          .Add("disposition", event.completed().disposition_code())
          .AddFlag("system_disposition", event.completed().system_disposition());
    case v1::AgentEvent::kStateChanged:
      return KeyValueLine("state_changed")
          .AddNumber("seq", sequence)
          .Add("state", AgentStateName(event.state_changed().state()))
          .Add("reason", event.state_changed().reason_code())
          .Add("by", event.state_changed().changed_by());
    case v1::AgentEvent::kEscalationNotice:
      return KeyValueLine("escalation_notice")
          .AddNumber("seq", sequence)
          .Add("escalation", event.escalation_notice().escalation().escalation_id())
          .Add("contact", event.escalation_notice().escalation().contact_id())
          .Add("status", EscalationStatusName(event.escalation_notice().escalation().status()))
          .Add("resolved_by", event.escalation_notice().escalation().resolved_by())
          .Add("resolution", event.escalation_notice().escalation().resolution());
    case v1::AgentEvent::kSupervisorMessage:
      return KeyValueLine("supervisor_message")
          .AddNumber("seq", sequence)
          .Add("from", event.supervisor_message().sender())
          .AddFlag("urgent", event.supervisor_message().urgent())
          .Add("text", event.supervisor_message().text());
    case v1::AgentEvent::kContactUpdated: {
      KeyValueLine line("contact_updated");
      line.AddNumber("seq", sequence);
      AddContact(event.contact_updated().contact(), line);
      return line;
    }
    case v1::AgentEvent::KIND_NOT_SET:
      break;
  }
  return KeyValueLine("unknown_event").AddNumber("seq", sequence);
}

KeyValueLine StateLine(const v1::SetStateResponse& response) {
  return KeyValueLine("state")
      .Add("state", AgentStateName(response.state()))
      .Add("reason", response.reason_code());
}

}  // namespace acd::clients::agent
