#pragma once

#include <google/protobuf/duration.pb.h>
#include <google/protobuf/repeated_field.h>

#include <string>

#include "acd/v1/common.pb.h"
#include "clients/common/output.h"

namespace acd::clients {

/// The `contact ...` line of a contact: id, external_id, queue, channel, state, agent,
/// position, priority, skills, customer and one `attr.KEY=VALUE` per attribute (sorted by key).
KeyValueLine ContactLine(const v1::Contact& contact);

/// A duration for people and scripts alike: "0s", "45s", "2m05s", "1h02m03s"; fractions of a
/// second are dropped.
std::string FormatDuration(const google::protobuf::Duration& duration);

/// Skill requirements as "billing:5,support:3"; empty when there are none.
std::string FormatSkills(const google::protobuf::RepeatedPtrField<v1::SkillRequirement>& skills);

}  // namespace acd::clients
