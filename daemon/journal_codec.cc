#include "daemon/journal_codec.h"

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace acd::daemon {
namespace {

/// Commands have kept their layout since the first version (new kinds are only appended).
constexpr std::uint8_t kCommandVersion = 1;
/// Snapshots: 2 added the escalation feeds' sequences, the daemon's start count and agents'
/// offer counters; 3 the tenants' contact feeds and each tracked contact's tenant and channel.
/// Older snapshots (an older acdd's) still read, with those empty.
constexpr std::uint8_t kSnapshotVersion = 3;
constexpr std::uint8_t kOldestSnapshotVersion = 1;

// The journal stores a command's variant index as its kind, so commands may only be appended to
// the variant: reordering or removing one would replay old journals as the wrong commands.
template <std::size_t kKind, typename T>
constexpr bool kKindIs = std::is_same_v<std::variant_alternative_t<kKind, routing::Command>, T>;
static_assert(std::variant_size_v<routing::Command> == 18,
              "a new command needs its Fields below and samples in journal_codec_test.cc, and "
              "goes after ForceAgentState so that the kinds already journaled keep their numbers");
static_assert(kKindIs<0, routing::CreateContact> && kKindIs<1, routing::CancelContact> &&
                  kKindIs<2, routing::SetAgentState> && kKindIs<3, routing::AcceptOffer> &&
                  kKindIs<4, routing::DeclineOffer> && kKindIs<5, routing::CompleteContact> &&
                  kKindIs<6, routing::SubmitWrapUp> && kKindIs<7, routing::AgentConnection> &&
                  kKindIs<8, routing::TransferContact> && kKindIs<9, routing::EscalateContact> &&
                  kKindIs<10, routing::ResolveEscalation> &&
                  kKindIs<11, routing::ScheduleFollowUp> && kKindIs<12, routing::Restarted> &&
                  kKindIs<13, routing::RecordSurvey> && kKindIs<14, routing::UpdateContact> &&
                  kKindIs<15, routing::MoveContact> && kKindIs<16, routing::AssignContact> &&
                  kKindIs<17, routing::ForceAgentState>,
              "journaled command kinds must keep their numbers");

// Matches T and const T, so that one list of fields serves both the writer and the reader.
template <typename S, typename T>
concept Of = std::same_as<std::remove_const_t<S>, T>;

// Every stored struct's fields in declaration order, each passed to `io`, a Writer or a Reader.
// A field left out here is silently lost on replay: the round-trip tests set every field.
void Fields(Of<routing::SkillLevel> auto& skill, auto& io) { io(skill.skill, skill.level); }
void Fields(Of<routing::Customer> auto& customer, auto& io) {
  io(customer.id, customer.tier, customer.verified, customer.display_name);
}
void Fields(Of<routing::ContactDetails> auto& details, auto& io) {
  io(details.tenant, details.external_id, details.origin, details.channel, details.required_skills,
     details.language, details.customer, details.attributes, details.preferred_agents);
}
void Fields(Of<routing::CreateContact> auto& command, auto& io) {
  io(command.details, command.queue, command.priority, command.not_before);
}
void Fields(Of<routing::CancelContact> auto& command, auto& io) {
  io(command.tenant, command.contact, command.reason);
}
void Fields(Of<routing::SetAgentState> auto& command, auto& io) {
  io(command.agent, command.presence, command.reason);
}
void Fields(Of<routing::AcceptOffer> auto& command, auto& io) {
  io(command.agent, command.contact);
}
void Fields(Of<routing::DeclineOffer> auto& command, auto& io) {
  io(command.agent, command.contact, command.reason);
}
void Fields(Of<routing::CompleteContact> auto& command, auto& io) {
  io(command.agent, command.contact);
}
void Fields(Of<routing::SubmitWrapUp> auto& command, auto& io) {
  io(command.agent, command.contact, command.disposition, command.notes);
}
void Fields(Of<routing::AgentConnection> auto& command, auto& io) {
  io(command.agent, command.connected);
}
void Fields(Of<routing::TransferContact> auto& command, auto& io) {
  io(command.agent, command.contact, command.target, command.reason, command.notes,
     command.required_skills);
}
void Fields(Of<routing::EscalateContact> auto& command, auto& io) {
  io(command.agent, command.contact, command.queue, command.supervisor, command.reason,
     command.notes);
}
void Fields(Of<routing::ResolveEscalation> auto& command, auto& io) {
  io(command.tenant, command.escalation, command.resolved_by, command.resolution);
}
void Fields(Of<routing::ScheduleFollowUp> auto& command, auto& io) {
  io(command.agent, command.contact, command.not_before, command.pinned, command.pin_timeout,
     command.queue, command.channel, command.notes);
}
void Fields(Of<routing::Restarted> auto&, auto& io) { io(); }
void Fields(Of<routing::RecordSurvey> auto& command, auto& io) {
  io(command.tenant, command.contact, command.score, command.comment);
}
void Fields(Of<routing::UpdateContact> auto& command, auto& io) {
  io(command.tenant, command.contact, command.priority, command.remove_attributes,
     command.set_attributes, command.by);
}
void Fields(Of<routing::MoveContact> auto& command, auto& io) {
  io(command.tenant, command.contact, command.queue, command.by);
}
void Fields(Of<routing::AssignContact> auto& command, auto& io) {
  io(command.tenant, command.contact, command.agent, command.by);
}
void Fields(Of<routing::ForceAgentState> auto& command, auto& io) {
  io(command.tenant, command.agent, command.presence, command.reason, command.supervisor,
     command.end_wrap_ups);
}

// Snapshots of the router's state (routing::RouterState), with the same rules.
void Fields(Of<routing::ContactTally> auto& tally, auto& io) {
  io(tally.offered, tally.answered, tally.answered_within_threshold, tally.abandoned,
     tally.short_abandoned, tally.handled, tally.expired, tally.surveys, tally.survey_score,
     tally.answer_wait, tally.talk, tally.wrap);
  if (io.version() >= 2) io(tally.offers, tally.declines, tally.misses);
}
void Fields(Of<routing::TimeTally> auto& tally, auto& io) { io(tally.in); }
void Fields(Of<routing::RouterState::Ring<routing::ContactTally>> auto& ring, auto& io) {
  io(ring.minutes, ring.latest, ring.today);
}
void Fields(Of<routing::RouterState::Ring<routing::TimeTally>> auto& ring, auto& io) {
  io(ring.minutes, ring.latest, ring.today);
}
void Fields(Of<routing::RouterState::TenantRecord> auto& tenant, auto& io) {
  io(tenant.id, tenant.day_ends_at, tenant.tally);
}
void Fields(Of<routing::RouterState::QueueRecord> auto& queue, auto& io) {
  io(queue.id, queue.tally);
}
void Fields(Of<routing::RouterState::Membership> auto& membership, auto& io) {
  io(membership.queue, membership.last_turn, membership.indexed_rank);
}
void Fields(Of<routing::RouterState::AgentRecord> auto& agent, auto& io) {
  io(agent.id, agent.presence, agent.reason, agent.state_since, agent.idle_since, agent.load,
     agent.contacts, agent.holding, agent.pinned_waiting, agent.follow_ups_scheduled,
     agent.contacts_today, agent.activity, agent.activity_since, agent.connections,
     agent.consecutive_misses, agent.offers_paused_until, agent.disconnect_grace_until,
     agent.memberships, agent.indexed_channels, agent.indexed_idle_since, agent.tally, agent.time);
}
void Fields(Of<routing::RouterState::TraceCandidate> auto& candidate, auto& io) {
  io(candidate.agent, candidate.key, candidate.idle_since);
}
void Fields(Of<routing::RouterState::TraceExclusion> auto& exclusion, auto& io) {
  io(exclusion.agent, exclusion.reason);
}
void Fields(Of<routing::RouterState::Trace> auto& trace, auto& io) {
  io(trace.at, trace.trigger, trace.queue, trace.steps_done, trace.priority, trace.virtual_start,
     trace.requirements, trace.candidates, trace.exclusions, trace.exclusions_omitted,
     trace.chosen);
}
void Fields(Of<routing::RouterState::ContactRecord> auto& contact, auto& io) {
  io(contact.id, contact.details, contact.requirements, contact.queue, contact.priority,
     contact.base_priority, contact.state, contact.agent, contact.created_at, contact.virtual_start,
     contact.connected_at, contact.ended_at, contact.offer_expires_at, contact.wrap_up_deadline,
     contact.has_extras, contact.not_before, contact.scheduled_by, contact.follow_up_of,
     contact.attempt, contact.pin_until, contact.handover_notes, contact.wrap_up_notes,
     contact.csat, contact.pinned, contact.preferred_until, contact.preferred_agents,
     contact.max_wait_at, contact.steps_done, contact.next_step_at, contact.widened,
     contact.overflowed_to_callback, contact.disposition, contact.last_trigger, contact.handled_by,
     contact.refused_by, contact.decisions);
}
void Fields(Of<routing::EscalationView> auto& escalation, auto& io) {
  io(escalation.id, escalation.tenant, escalation.contact, escalation.source, escalation.open,
     escalation.agent, escalation.team, escalation.queue, escalation.target_queue,
     escalation.target_supervisor, escalation.reason, escalation.notes, escalation.created_at,
     escalation.resolved_at, escalation.resolved_by, escalation.resolution);
}
void Fields(Of<routing::RouterState::Timer> auto& timer, auto& io) {
  io(timer.at, timer.kind, timer.subject, timer.agent);
}
void Fields(Of<SinkState::ContactOrigin> auto& contact, auto& io) {
  io(contact.contact, contact.origin, contact.external_id);
  if (io.version() >= 3) io(contact.tenant, contact.channel);
}
void Fields(Of<SinkState> auto& state, auto& io) {
  io(state.agent_sequences, state.gateway_sequences, state.contacts);
  if (io.version() >= 2) io(state.escalation_sequences, state.starts);
  if (io.version() >= 3) io(state.contact_feed_sequences);
}
void Fields(Of<Snapshot> auto& snapshot, auto& io) { io(snapshot.router, snapshot.sink); }
void Fields(Of<routing::RouterState> auto& state, auto& io) {
  io(state.now, state.next_contact_id, state.next_escalation_id, state.offers_made, state.tenants,
     state.queues, state.agents, state.contacts, state.escalations, state.open_escalations,
     state.timers, state.forgetting);
}

// The name and last enumerator of each enum a command holds: decoding refuses values past it.
struct EnumBounds {
  const char* name;
  std::uint64_t last;
};
constexpr EnumBounds Bounds(routing::Channel) { return {"channel", routing::kChannelCount - 1}; }
constexpr EnumBounds Bounds(routing::AgentPresence) {
  return {"agent presence", static_cast<std::uint64_t>(routing::AgentPresence::kReady)};
}
constexpr EnumBounds Bounds(routing::ContactState) {
  return {"contact state", static_cast<std::uint64_t>(routing::ContactState::kExpired)};
}
constexpr EnumBounds Bounds(routing::Activity) { return {"activity", routing::kActivityCount - 1}; }
constexpr EnumBounds Bounds(routing::DecisionTrigger) {
  return {"decision trigger",
          static_cast<std::uint64_t>(routing::DecisionTrigger::kSupervisorAssigned)};
}
constexpr EnumBounds Bounds(routing::ExclusionReason) {
  return {"exclusion reason", static_cast<std::uint64_t>(routing::ExclusionReason::kNotMember)};
}
constexpr EnumBounds Bounds(routing::EscalationSource) {
  return {"escalation source", static_cast<std::uint64_t>(routing::EscalationSource::kQueueStep)};
}

std::uint64_t ZigZag(std::int64_t value) {
  return (static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63);
}

std::int64_t UnZigZag(std::uint64_t value) {
  return static_cast<std::int64_t>((value >> 1) ^ (0 - (value & 1)));
}

class Writer {
 public:
  /// Writes `version`'s layout, after its byte.
  explicit Writer(std::uint8_t version) : version_(version) { Byte(version); }

  std::uint8_t version() const { return version_; }
  std::string Take() && { return std::move(bytes_); }

  void operator()(const auto&... fields) { (Put(fields), ...); }

  void Byte(std::uint8_t byte) { bytes_.push_back(static_cast<char>(byte)); }

  void Put(std::uint64_t value) {
    for (; value >= 0x80; value >>= 7) Byte(static_cast<std::uint8_t>(value | 0x80));
    Byte(static_cast<std::uint8_t>(value));
  }
  void Put(int value) { Put(ZigZag(value)); }
  void Put(std::int64_t value) { Put(ZigZag(value)); }
  void Put(std::uint32_t value) { Put(std::uint64_t{value}); }
  void Put(bool value) { Byte(value ? 1 : 0); }
  void Put(routing::Duration value) { Put(ZigZag(value.count())); }
  void Put(routing::Timestamp value) { Put(value.time_since_epoch()); }
  void Put(const std::string& value) {
    Put(std::uint64_t{value.size()});
    bytes_.append(value);
  }
  template <typename E>
  requires std::is_enum_v<E>
  void Put(const E& value) { Put(static_cast<std::uint64_t>(value)); }
  template <typename Tag, typename Rep>
  void Put(const routing::StrongId<Tag, Rep>& id) {
    Put(id.value());
  }
  template <typename T>
  void Put(const std::optional<T>& value) {
    Put(value.has_value());
    if (value.has_value()) Put(*value);
  }
  template <typename T>
  void Put(const std::vector<T>& items) {
    Put(std::uint64_t{items.size()});
    for (const T& item : items) Put(item);
  }
  template <typename T, std::size_t kSize>
  void Put(const std::array<T, kSize>& items) {
    for (const T& item : items) Put(item);
  }
  template <typename A, typename B>
  void Put(const std::pair<A, B>& entry) {
    Put(entry.first);
    Put(entry.second);
  }
  template <typename... Ts>
  void Put(const std::variant<Ts...>& value) {
    static_assert(sizeof...(Ts) <= 0x100, "the index is stored in one byte");
    Byte(static_cast<std::uint8_t>(value.index()));
    std::visit([this](const auto& alternative) { Put(alternative); }, value);
  }
  template <typename T>
  void Put(const T& record) {
    Fields(record, *this);
  }

 private:
  std::uint8_t version_;
  std::string bytes_;
};

// Reads what a Writer wrote, never past the end. After the first error every read returns a zero
// value without consuming anything, so callers read on and look at the status once at the end.
class Reader {
 public:
  /// `what` names the record in error messages ("command", "snapshot").
  Reader(std::string_view bytes, const char* what) : bytes_(bytes), what_(what) {}

  bool ok() const { return status_.ok(); }

  /// Reads the version byte, refusing one outside [oldest, newest]; later reads follow its layout.
  void Version(std::uint8_t oldest, std::uint8_t newest) {
    version_ = Byte();
    if (ok() && (version_ < oldest || version_ > newest)) {
      Fail(0, "unknown format version ", version_);
    }
  }
  std::uint8_t version() const { return version_; }

  // The first error, or trailing bytes when the whole input was not read.
  absl::Status Finish() && {
    if (ok() && offset_ != bytes_.size()) {
      Fail(offset_, "trailing bytes after the ", what_, ", ", bytes_.size() - offset_, " of them");
    }
    return std::move(status_);
  }

  template <typename... Parts>
  void Fail(std::size_t at, const Parts&... parts) {
    if (!ok()) return;
    std::string message = absl::StrCat("corrupt journal ", what_, " at byte ", at, ": ");
    (absl::StrAppend(&message, parts), ...);
    status_ = absl::DataLossError(message);
  }

  void operator()(auto&... fields) { (Get(fields), ...); }

  std::uint8_t Byte() {
    if (!ok()) return 0;
    if (offset_ == bytes_.size()) {
      Fail(offset_, "truncated");
      return 0;
    }
    return static_cast<std::uint8_t>(bytes_[offset_++]);
  }

  template <typename... Ts>
  void GetVariant(std::variant<Ts...>& out, const char* what) {
    const std::size_t at = offset_;
    const unsigned index = Byte();
    if (index >= sizeof...(Ts)) return Fail(at, "unknown ", what, " ", index);
    GetAlternative(out, index, std::index_sequence_for<Ts...>{});
  }

  void Get(std::uint64_t& out) {
    const std::size_t at = offset_;
    std::uint64_t value = 0;
    for (int shift = 0;; shift += 7) {
      const std::uint8_t byte = Byte();
      if (!ok()) return;
      // The tenth byte carries the 64th bit alone.
      if (shift == 63 && byte > 1) return Fail(at, "a varint longer than 64 bits");
      value |= std::uint64_t{byte & 0x7fu} << shift;
      if (byte < 0x80) {
        // Only the shortest form is accepted, so that whatever decodes is exactly what the writer
        // wrote, and more of a corruption shows.
        if (byte == 0 && shift > 0) return Fail(at, "a varint with a redundant zero byte");
        out = value;
        return;
      }
    }
  }
  void Get(int& out) {
    const std::size_t at = offset_;
    const std::int64_t value = Signed();
    if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max()) {
      return Fail(at, "an int of ", value, " out of range");
    }
    out = static_cast<int>(value);
  }
  void Get(std::int64_t& out) { out = Signed(); }
  void Get(std::uint32_t& out) {
    const std::size_t at = offset_;
    const std::uint64_t value = Varint();
    if (value > std::numeric_limits<std::uint32_t>::max()) {
      return Fail(at, "a count of ", value, " out of range");
    }
    out = static_cast<std::uint32_t>(value);
  }
  void Get(bool& out) {
    const std::size_t at = offset_;
    const unsigned byte = Byte();
    if (byte > 1) return Fail(at, "a flag byte of ", byte, ", neither 0 nor 1");
    out = byte == 1;
  }
  void Get(routing::Duration& out) { out = routing::Duration(Signed()); }
  void Get(routing::Timestamp& out) { out = routing::Timestamp(routing::Duration(Signed())); }
  void Get(std::string& out) {
    const std::size_t at = offset_;
    const std::uint64_t size = Varint();
    if (size > Left()) {
      return Fail(at, "a string of ", size, " bytes with only ", Left(), " bytes left");
    }
    out.assign(bytes_.substr(offset_, size));
    offset_ += size;
  }
  template <typename E>
  requires std::is_enum_v<E>
  void Get(E& out) {
    constexpr EnumBounds kBounds = Bounds(E{});
    const std::size_t at = offset_;
    const std::uint64_t value = Varint();
    if (value > kBounds.last) return Fail(at, kBounds.name, " value ", value, " out of range");
    out = static_cast<E>(value);
  }
  template <typename Tag, typename Rep>
  void Get(routing::StrongId<Tag, Rep>& out) {
    Rep value{};
    Get(value);
    out = routing::StrongId<Tag, Rep>(std::move(value));
  }
  template <typename T>
  void Get(std::optional<T>& out) {
    bool present = false;
    Get(present);
    if (present) Get(out.emplace());
  }
  template <typename T>
  void Get(std::vector<T>& out) {
    const std::size_t at = offset_;
    const std::uint64_t count = Varint();
    // Every item takes at least one byte: a larger count is corrupt, and refusing it keeps a
    // corrupt count from allocating.
    if (count > Left()) {
      return Fail(at, "a list of ", count, " items with only ", Left(), " bytes left");
    }
    out.resize(count);
    for (T& item : out) Get(item);
  }
  template <typename T, std::size_t kSize>
  void Get(std::array<T, kSize>& out) {
    for (T& item : out) Get(item);
  }
  template <typename A, typename B>
  void Get(std::pair<A, B>& out) {
    Get(out.first);
    Get(out.second);
  }
  template <typename... Ts>
  void Get(std::variant<Ts...>& out) {
    GetVariant(out, "variant index");
  }
  template <typename T>
  void Get(T& record) {
    Fields(record, *this);
  }

 private:
  std::size_t Left() const { return bytes_.size() - offset_; }

  std::uint64_t Varint() {
    std::uint64_t count = 0;
    Get(count);
    return count;
  }

  std::int64_t Signed() { return UnZigZag(Varint()); }

  template <typename... Ts, std::size_t... kIndex>
  void GetAlternative(std::variant<Ts...>& out, std::size_t index, std::index_sequence<kIndex...>) {
    ((index == kIndex ? Get(out.template emplace<kIndex>()) : void()), ...);
  }

  std::string_view bytes_;
  const char* what_;
  std::uint8_t version_ = 0;
  std::size_t offset_ = 0;
  absl::Status status_;
};

}  // namespace

std::string EncodeCommand(const routing::Command& command) {
  Writer writer(kCommandVersion);
  writer.Put(command);
  return std::move(writer).Take();
}

absl::StatusOr<routing::Command> DecodeCommand(std::string_view bytes) {
  Reader reader(bytes, "command");
  reader.Version(kCommandVersion, kCommandVersion);
  routing::Command command;
  reader.GetVariant(command, "command kind");
  if (absl::Status status = std::move(reader).Finish(); !status.ok()) return status;
  return command;
}

std::string EncodeSnapshot(const Snapshot& snapshot) {
  Writer writer(kSnapshotVersion);
  writer.Put(snapshot);
  return std::move(writer).Take();
}

absl::StatusOr<Snapshot> DecodeSnapshot(std::string_view bytes) {
  Reader reader(bytes, "snapshot");
  reader.Version(kOldestSnapshotVersion, kSnapshotVersion);
  Snapshot snapshot;
  reader.Get(snapshot);
  if (absl::Status status = std::move(reader).Finish(); !status.ok()) return status;
  return snapshot;
}

}  // namespace acd::daemon
