#include "clients/common/contact_format.h"

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>

#include "clients/common/enum_names.h"

namespace acd::clients {

KeyValueLine ContactLine(const v1::Contact& contact) {
  KeyValueLine line("contact");
  line.Add("id", contact.contact_id())
      .Add("external_id", contact.external_id())
      .Add("queue", contact.queue_id())
      .Add("channel", ChannelName(contact.channel()))
      .Add("state", ContactStateName(contact.state()))
      .Add("agent", contact.agent_id())
      .AddNumber("position", contact.queue_position())
      .AddNumber("priority", contact.priority())
      .Add("skills", FormatSkills(contact.required_skills()))
      .Add("customer", contact.customer().id());
  // Protobuf maps have no stable order; sorting keeps the output reproducible.
  const std::map<std::string, std::string> attributes(contact.attributes().begin(),
                                                      contact.attributes().end());
  for (const auto& [key, value] : attributes) line.Add("attr." + key, value);
  return line;
}

std::string FormatDuration(const google::protobuf::Duration& duration) {
  std::int64_t seconds = duration.seconds();
  const char* sign = "";
  if (seconds < 0) {
    sign = "-";
    seconds = -seconds;
  }
  const std::int64_t hours = seconds / 3600;
  const std::int64_t minutes = seconds / 60 % 60;
  const std::int64_t rest = seconds % 60;
  char text[64];
  if (hours > 0) {
    std::snprintf(text, sizeof(text), "%s%lldh%02lldm%02llds", sign, static_cast<long long>(hours),
                  static_cast<long long>(minutes), static_cast<long long>(rest));
  } else if (minutes > 0) {
    std::snprintf(text, sizeof(text), "%s%lldm%02llds", sign, static_cast<long long>(minutes),
                  static_cast<long long>(rest));
  } else {
    std::snprintf(text, sizeof(text), "%s%llds", sign, static_cast<long long>(rest));
  }
  return text;
}

std::string FormatSkills(const google::protobuf::RepeatedPtrField<v1::SkillRequirement>& skills) {
  std::string text;
  for (const v1::SkillRequirement& skill : skills) {
    if (!text.empty()) text += ',';
    text += skill.skill() + ":" + std::to_string(skill.min_level());
  }
  return text;
}

}  // namespace acd::clients
