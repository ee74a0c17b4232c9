#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/status/statusor.h"
#include "routing/agent.h"
#include "routing/catalog.h"
#include "routing/command.h"
#include "routing/contact.h"
#include "routing/decision_trace.h"
#include "routing/escalation.h"
#include "routing/event.h"
#include "routing/ids.h"
#include "routing/key_index.h"
#include "routing/kpi.h"
#include "routing/queue.h"
#include "routing/router_state.h"
#include "routing/sequential_table.h"
#include "routing/statistics.h"
#include "routing/time.h"

namespace acd::routing {

/// The routing core: a single-threaded, deterministic state machine. Commands come in with the time
/// they happen at; domain events come out. Timers are driven by the caller through
/// `NextDeadline()` and `AdvanceTo()`. No I/O, no threads, no clock.
///
/// Thread affinity: one thread (the daemon's core strand) at a time.
class Router {
 public:
  /// Builds a router over `catalog` at `now`, every agent logged out; InvalidArgument when the
  /// catalog has a problem.
  static absl::StatusOr<std::unique_ptr<Router>> Create(const Catalog& catalog, Timestamp now);

  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;
  ~Router();

  /// Applies `command` at `now` (which must not go back in time), appending what happened to
  /// `events`. On error nothing changed and nothing was appended.
  absl::StatusOr<CommandResult> Handle(const Command& command, Timestamp now,
                                       std::vector<Event>& events);

  /// The earliest pending timer, or nullopt when none is armed.
  std::optional<Timestamp> NextDeadline() const;

  /// Fires every timer due at or before `now`, appending what happened to `events`.
  void AdvanceTo(Timestamp now, std::vector<Event>& events);

  /// Queries. Tenants only see their own entities; an unknown id is nullopt. Finished contacts
  /// stay visible for the catalog's `finished_contact_retention`.
  std::optional<ContactView> FindContact(ContactId id) const;
  /// The place and estimated wait of a waiting contact; nullopt when it is not waiting (or
  /// unknown).
  std::optional<WaitView> WaitOf(ContactId id) const;
  std::optional<AgentView> FindAgent(const AgentId& id) const;
  /// Queue state as of `now` (for wait ages).
  std::vector<QueueView> ListQueues(const TenantId& tenant, Timestamp now) const;
  /// The tenant's agents, or with `member_of` only those who are members of one of those queues.
  std::vector<AgentView> ListAgents(const TenantId& tenant,
                                    std::span<const QueueId> member_of = {}) const;
  /// How `contact` of `tenant` was routed: each recorded decision, oldest first, then, while it
  /// waits, why nobody takes it as of `now`. Nullopt for an unknown contact.
  std::optional<std::vector<DecisionTrace>> Explain(const TenantId& tenant, ContactId contact,
                                                    Timestamp now) const;
  /// KPIs as of `now` (which must not be before the last command or timer).
  /// With `only`, just those of the tenant's queues, in the tenant's order.
  std::vector<QueueStatistics> QueueStatisticsOf(const TenantId& tenant, Timestamp now,
                                                 std::span<const QueueId> only = {}) const;
  /// With `member_of`, just the agents ListAgents gives for it, in the same order.
  std::vector<AgentStatistics> AgentStatisticsOf(const TenantId& tenant, Timestamp now,
                                                 std::span<const QueueId> member_of = {}) const;
  std::optional<TenantStatistics> TenantStatisticsOf(const TenantId& tenant, Timestamp now) const;
  /// Every queue of every tenant, in catalog order, as of `now`: one pass over the queues and
  /// their members, for metrics.
  std::vector<QueueSummary> QueueSummaries(Timestamp now) const;
  /// Every tenant's agents by activity, in catalog order: one pass over the agents.
  std::vector<TenantSummary> TenantSummaries() const;
  /// The tenant's live contacts (scheduled, waiting, offered, connected, in wrap-up): the waiting
  /// ones first in routing order (priority, then virtual start), then the others by creation.
  std::vector<ContactView> ListContacts(const TenantId& tenant) const;
  /// One escalation, open or resolved (while retained); nullopt when unknown.
  std::optional<EscalationView> FindEscalation(EscalationId id) const;
  /// The tenant's escalations, open ones first, each group oldest first.
  std::vector<EscalationView> ListEscalations(const TenantId& tenant, bool open_only) const;
  /// The tenant of a known agent; nullopt otherwise.
  std::optional<TenantId> AgentTenant(const AgentId& id) const;

  /// Everything the router holds beyond its catalog, for a snapshot.
  RouterState Export() const;
  /// A router over `catalog` in `state`, as `Export` gave it: it then behaves exactly as the
  /// router that exported it would have. FAILED_PRECONDITION naming the tenant, queue, agent or
  /// skill the state refers to that `catalog` lacks; INVALID_ARGUMENT for a catalog problem or a
  /// state that does not hold together.
  static absl::StatusOr<std::unique_ptr<Router>> Import(const Catalog& catalog,
                                                        const RouterState& state);
  /// This router's state over `catalog` instead of its own, for a change of configuration: what
  /// `catalog` no longer has goes with the state nothing live needs (a logged-out agent's, a
  /// queue's KPIs, finished contacts and decision traces naming it). FAILED_PRECONDITION naming
  /// what live state still needs: a logged-in agent, or one holding or pinned contacts; a live
  /// contact's tenant, queue, channel in its queue, required skill or agent. INVALID_ARGUMENT for
  /// a catalog problem. This router is left as it was.
  /// At `now` (not before this router's last command), the queues' new limits and steps apply
  /// to the contacts waiting, and agents with room are offered what waits for them, appending
  /// what happened to `events`.
  absl::StatusOr<std::unique_ptr<Router>> Reconfigured(const Catalog& catalog, Timestamp now,
                                                       std::vector<Event>& events) const;
  /// Fits saved `state` to `catalog` as Reconfigured does, before an Import: for a start whose
  /// configuration changed since the state was saved.
  static absl::Status FitState(RouterState& state, const Catalog& catalog);

 private:
  struct Tenant;
  struct ExternalIdOfContact;
  struct TraceRecord;
  struct Queue;
  struct Agent;
  struct Contact;
  using SkillIndex = std::uint32_t;
  /// Interned skills a contact requires with their minimum levels, sorted by skill: inline, as a
  /// contact rarely needs more than two.
  using Requirements = absl::InlinedVector<std::pair<SkillIndex, int>, 2>;
  using QueueIndex = std::uint32_t;
  using AgentIndex = std::uint32_t;
  /// An agent's id by its index, for `agent_index_`.
  struct AgentIdOfIndex {
    std::string_view operator()(AgentIndex index) const;
    const std::vector<Agent>* agents = nullptr;
  };
  /// An agent's place in a queue's availability index: (rank by the queue's strategy, idle
  /// since, agent), lowest first.
  using AvailableKey = std::tuple<std::int64_t, Timestamp, AgentIndex>;

  enum class TimerKind : std::uint8_t {
    kOfferExpiry,       ///< subject: contact id
    kWrapUpExpiry,      ///< subject: contact id
    kOffersResume,      ///< subject: agent index
    kDisconnectGrace,   ///< subject: agent index
    kForgetContact,     ///< subject: contact id
    kPreferredExpiry,   ///< subject: contact id
    kMaxWait,           ///< subject: contact id
    kStep,              ///< subject: contact id
    kScheduledStart,    ///< subject: contact id
    kPinExpiry,         ///< subject: contact id
    kForgetEscalation,  ///< subject: escalation id
  };
  /// Every pending timer, earliest first. A timer is erased when what it guards ends early, so
  /// whatever fires is current.
  using Timer = std::tuple<Timestamp, TimerKind, std::uint64_t>;
  /// The tenant's agents in order, or only the members of `member_of`; empty for an unknown
  /// tenant.
  std::vector<AgentIndex> AgentsOf(const TenantId& tenant,
                                   std::span<const QueueId> member_of) const;
  /// After a change of catalog: waiting contacts get their queues' limits and steps afresh,
  /// and agents with room are offered what waits for them.
  void Refit(Timestamp now, std::vector<Event>& events);
  /// Puts `state` into a router just built over the catalog (see `Import`).
  absl::Status ImportState(const RouterState& state);
  /// The earliest timer due at `now`, taken off its list; nullopt when none is due.
  std::optional<Timer> TakeTimerDue(Timestamp now);
  /// Schedules forgetting a finished contact or a resolved escalation. The retention is the same
  /// for all and time does not go back, so these come due in the order they are made: a queue,
  /// rather than a tree node each.
  void ScheduleForget(Timestamp at, TimerKind kind, std::uint64_t subject);

  Router(const Catalog& catalog, Timestamp now);

  absl::StatusOr<CommandResult> Apply(const CreateContact& command, Timestamp now,
                                      std::vector<Event>& events);
  absl::StatusOr<CommandResult> Apply(const CancelContact& command, Timestamp now,
                                      std::vector<Event>& events);
  absl::StatusOr<CommandResult> Apply(const SetAgentState& command, Timestamp now,
                                      std::vector<Event>& events);
  absl::StatusOr<CommandResult> Apply(const AcceptOffer& command, Timestamp now,
                                      std::vector<Event>& events);
  absl::StatusOr<CommandResult> Apply(const DeclineOffer& command, Timestamp now,
                                      std::vector<Event>& events);
  absl::StatusOr<CommandResult> Apply(const CompleteContact& command, Timestamp now,
                                      std::vector<Event>& events);
  absl::StatusOr<CommandResult> Apply(const SubmitWrapUp& command, Timestamp now,
                                      std::vector<Event>& events);
  absl::StatusOr<CommandResult> Apply(const Restarted& command, Timestamp now,
                                      std::vector<Event>& events);
  absl::StatusOr<CommandResult> Apply(const RecordSurvey& command, Timestamp now,
                                      std::vector<Event>& events);
  absl::StatusOr<CommandResult> Apply(const AgentConnection& command, Timestamp now,
                                      std::vector<Event>& events);
  absl::StatusOr<CommandResult> Apply(const TransferContact& command, Timestamp now,
                                      std::vector<Event>& events);
  absl::StatusOr<CommandResult> Apply(const EscalateContact& command, Timestamp now,
                                      std::vector<Event>& events);
  absl::StatusOr<CommandResult> Apply(const ResolveEscalation& command, Timestamp now,
                                      std::vector<Event>& events);
  absl::StatusOr<CommandResult> Apply(const ScheduleFollowUp& command, Timestamp now,
                                      std::vector<Event>& events);
  absl::StatusOr<CommandResult> Apply(const UpdateContact& command, Timestamp now,
                                      std::vector<Event>& events);
  absl::StatusOr<CommandResult> Apply(const MoveContact& command, Timestamp now,
                                      std::vector<Event>& events);
  absl::StatusOr<CommandResult> Apply(const AssignContact& command, Timestamp now,
                                      std::vector<Event>& events);
  absl::StatusOr<CommandResult> Apply(const ForceAgentState& command, Timestamp now,
                                      std::vector<Event>& events);
  /// An agent's state change, by itself or by `changed_by`. Logging out is refused while it is
  /// connected, and with wrap-ups unless `end_wrap_ups` (they end with a system disposition).
  absl::StatusOr<CommandResult> ChangeState(AgentIndex index, AgentPresence presence,
                                            const std::string& requested_reason,
                                            std::string changed_by, bool end_wrap_ups,
                                            Timestamp now, std::vector<Event>& events);
  /// A contact of `tenant` a supervisor may still re-route (scheduled, waiting or offered), or the
  /// status saying why not.
  absl::StatusOr<Contact*> ReroutableContact(const TenantId& tenant, ContactId id,
                                             const char* action);
  void Fire(const Timer& timer, std::vector<Event>& events);

  absl::StatusOr<AgentIndex> LookUpAgent(const AgentId& id) const;
  /// Starts loading the contact an agent command names, so that its cache miss overlaps the
  /// lookup of the agent (see `LoadEarly`).
  void LoadHeldContact(ContactId id) const;
  /// The contact held by `agent` in `state`, or the status an agent should see when it is not.
  absl::StatusOr<Contact*> HeldContact(AgentIndex agent, ContactId id, ContactState state,
                                       const char* action);

  /// Starts a new day for tenants whose local midnight has passed.
  void RollDays(Timestamp now);

  /// Puts a contact in its queue's waiting line (arming its max wait).
  void Enqueue(Contact& contact, Timestamp now);
  void Dequeue(Contact& contact);
  /// Adds the contact to, or takes it from, the line of `queue` (its own or one it was widened
  /// to), keeping `line_heads_` up to date.
  void JoinLine(QueueIndex queue, Contact& contact);
  void LeaveLine(QueueIndex queue, const Contact& contact);
  /// Arms the timer of the next step of the contact's queue, if there is one.
  void ArmNextStep(Contact& contact, Timestamp now);
  /// Where a new contact for `queue` waits, after business hours and the size limit had their say
  /// (and the overflows they led to, appended to `overflows`); the error a gateway gets when it
  /// is refused.
  struct Placement {
    QueueIndex queue = 0;
    Channel channel = Channel::kVoice;
  };
  struct PlacementHop {
    QueueIndex from = 0;
    OverflowAction action = OverflowAction::kQueue;
    std::string_view reason;
  };
  absl::StatusOr<Placement> PlaceNewContact(QueueIndex queue, Channel channel, Timestamp now,
                                            std::vector<PlacementHop>& hops) const;
  /// Applies the next of its queue's steps to a waiting contact.
  void ApplyStep(Contact& contact, Timestamp now, std::vector<Event>& events);
  /// Applies `overflow` to a waiting contact (max wait reached, or a step).
  void OverflowWaiting(Contact& contact, const Overflow& overflow, std::string_view reason,
                       Timestamp now, std::vector<Event>& events);
  /// INVALID_ARGUMENT for a schedule live channels cannot have or too far ahead.
  static absl::Status CheckSchedule(Channel channel, Timestamp not_before, Timestamp now);
  /// Makes a new contact scheduled until `not_before`.
  void Schedule(Contact& contact, Timestamp not_before, Timestamp now, std::vector<Event>& events);
  /// Takes a scheduled contact off the schedule (it was cancelled).
  void Unschedule(Contact& contact);
  /// A scheduled contact came due: it starts waiting.
  void StartWaiting(Contact& contact, Timestamp now, std::vector<Event>& events);
  /// The contact waits for anyone eligible in its queue again.
  void Unpin(Contact& contact);
  /// Ends the holding agent's part of a connected contact without wrap-up (a transfer or an
  /// escalation to a queue): the agent's capacity is free, it is never offered the contact
  /// again, and the contact's preferred agents and pin no longer apply.
  void HandOver(Contact& contact, Timestamp now);
  /// Makes `to` the contact's queue: that queue's steps from the first, no widening.
  void Relocate(Contact& contact, QueueIndex to);
  /// Required skills as interned (skill, minimum) pairs, sorted; INVALID_ARGUMENT for a skill the
  /// tenant does not define or a level out of range.
  absl::StatusOr<Requirements> InternSkills(const TenantId& tenant,
                                            const std::vector<SkillLevel>& skills) const;
  /// The tenant's queue `id`; NOT_FOUND otherwise.
  absl::StatusOr<QueueIndex> TenantQueue(const TenantId& tenant, const QueueId& id) const;
  /// INVALID_ARGUMENT when `queue` does not take `channel`.
  absl::Status CheckAccepts(QueueIndex queue, Channel channel) const;
  /// RESOURCE_EXHAUSTED when `queue` is at its max size.
  absl::Status CheckRoom(QueueIndex queue) const;
  /// Settles the escalations of a contact that just ended: tier-2 ones and queue-step alerts are
  /// resolved by the system; those addressed to supervisors stay theirs.
  void SettleEscalations(const Contact& contact, Timestamp now, std::vector<Event>& events);
  EscalationView& RaiseEscalation(EscalationView escalation, Timestamp now,
                                  std::vector<Event>& events);
  /// Resolves the contact's open escalations that `applies` selects.
  template <typename Predicate>
  void ResolveEscalationsOf(ContactId contact, Predicate applies, std::string_view resolved_by,
                            std::string_view resolution, Timestamp now, std::vector<Event>& events);
  void Resolve(EscalationView& escalation, std::string resolved_by, std::string resolution,
               Timestamp now, std::vector<Event>& events);
  /// Emits the overflow, then queues the contact in `to` on `channel` and tries to route it.
  void OverflowTo(Contact& contact, QueueIndex to, Channel channel, OverflowAction action,
                  std::string_view reason, Timestamp now, std::vector<Event>& events);
  /// Ready, not paused, and capacity on `channel`.
  bool HasRoom(const Agent& agent, Channel channel) const;
  /// The channels the agent has room on, a bit each.
  std::uint8_t RoomOf(const Agent& agent) const;
  /// Room on `channel` by capacity and voice exclusivity, whatever the agent's state.
  bool HasCapacity(const Agent& agent, Channel channel) const;
  /// Why skills, history, a pin or preferred agents keep `agent` from `contact` (room aside);
  /// nullopt when they do not.
  std::optional<ExclusionReason> Disqualification(AgentIndex index, const Contact& contact) const;
  bool Qualifies(AgentIndex index, const Contact& contact) const {
    return !Disqualification(index, contact).has_value();
  }
  /// Why `agent` cannot take `contact` from `queue` now, or nullopt when it can.
  std::optional<ExclusionReason> Exclusion(AgentIndex index, const Contact& contact,
                                           QueueIndex queue) const;
  DecisionTrace ViewOf(const TraceRecord& record, const Contact& contact) const;
  /// The readable specifics of an exclusion.
  std::string ExclusionDetail(AgentIndex index, const Contact& contact, ExclusionReason reason,
                              const Requirements& requirements) const;
  static std::string StrategyKey(SelectionStrategy strategy, std::int64_t key, Timestamp idle_since,
                                 Timestamp at);
  /// Has room on `channel` as of the last reindex, and is a member of `queue`.
  bool IsAvailableIn(AgentIndex index, QueueIndex queue, Channel channel) const;
  /// The agent's rank in a queue by that queue's strategy (lower is picked first).
  std::int64_t RankIn(const Agent& agent, std::size_t membership) const;
  /// Brings the agent's entries in its queues' availability indexes up to date.
  void Reindex(AgentIndex index);
  /// The agent the contact's queue picks for it now, if any can take it; then the agents of the
  /// queues it was widened to, each by its own strategy.
  /// Fills `trace` with the candidates and exclusions it walked through.
  std::optional<AgentIndex> SelectAgent(const Contact& contact, TraceRecord& trace) const;
  std::optional<AgentIndex> SelectAgentIn(const Contact& contact, QueueIndex queue,
                                          TraceRecord& trace) const;
  /// Offers `contact` to the best available agent of its queue, if any, recording the decision.
  void RouteContact(Contact& contact, DecisionTrigger trigger, Timestamp now,
                    std::vector<Event>& events);
  TraceRecord StartTrace(const Contact& contact, DecisionTrigger trigger, Timestamp now) const;
  /// Keeps a decision that led to an offer with the contact, for Explain().
  void RecordDecision(Contact& contact, TraceRecord trace);
  /// The order of waiting contacts for a freed agent, across its queues: higher priority, then
  /// the more urgent (time waited over its queue's service-level threshold, so the contact
  /// closest to breaching goes first), then the earlier virtual start, then the older id.
  bool RoutesBefore(const Contact& a, const Contact& b, Timestamp now) const;
  /// Offers waiting contacts to `agent` while it has room for them, then refiles it in its
  /// queues' availability indexes.
  void FeedAgent(AgentIndex index, Timestamp now, std::vector<Event>& events);
  void Offer(Contact& contact, AgentIndex index, Timestamp now, std::vector<Event>& events);
  /// The offer is taken: the contact is connected to its agent.
  void Connect(Contact& contact, bool auto_accepted, Timestamp now, std::vector<Event>& events);
  /// Withdraws a pending offer; the caller decides where the contact goes next.
  void Rescind(Contact& contact, RescindReason reason, Timestamp now, std::vector<Event>& events);
  /// Puts a rescinded contact back at its virtual position and tries to route it again.
  void Requeue(Contact& contact, RescindReason reason, Timestamp now, std::vector<Event>& events);
  /// The interaction ended: wrap-up by the queue's policy, or completion when it has none.
  void EndInteraction(Contact& contact, EndReason reason, Timestamp now,
                      std::vector<Event>& events);
  void CompleteWrapUp(Contact& contact, std::string disposition, bool system_disposition,
                      Timestamp now, std::vector<Event>& events);
  /// Loads what the end of `contact` and the feeding of its freed `agent` read from far-off
  /// memory: the contacts at the heads of the agent's lines and the KPI rings counted in. Each
  /// costs a cache miss; loaded together up front, the misses overlap instead of coming one
  /// after another.
  void LoadForFreedAgent(const Contact& contact, AgentIndex agent) const;
  /// Frees what `contact` held of its agent. The agent's availability indexes are the caller's
  /// to bring up to date: `Reindex`, or `FeedAgent` (which does) when it is fed next.
  void ReleaseCapacity(Contact& contact, Timestamp now);
  /// Holds offers back from `agent` until `now + pause` (a later pause wins).
  void PauseOffers(AgentIndex index, Duration pause, Timestamp now);
  void SetPresence(AgentIndex index, AgentPresence presence, std::string reason,
                   std::string changed_by, Timestamp now, std::vector<Event>& events);
  /// Ends a contact for good; it stays readable for the retention time.
  void Finish(Contact& contact, ContactState final_state, Timestamp now);
  /// Drops a finished contact whose retention ran out.
  void Forget(ContactId id);

  ContactView ViewOf(const Contact& contact) const;
  std::optional<WaitView> WaitOf(const Contact& contact) const;
  AgentView ViewOf(const Agent& agent) const;
  /// 1-based place of a waiting contact in its queue's line.
  int PositionOf(const Contact& contact) const;
  /// Appends an event and counts it in the KPIs.
  void Emit(std::vector<Event>& events, Timestamp now, const TenantId& tenant, EventBody body);
  /// The KPI tallies an event adds to.
  void Count(const Event& event);
  /// What the agent is doing now, from its presence and the contacts it holds.
  Activity ActivityOf(const Agent& agent) const;
  /// Accounts the agent's time up to `now` and notes a change of activity.
  void NoteActivity(AgentIndex index, Timestamp now);
  void AccountTime(AgentIndex index, Timestamp from, Timestamp to, Activity activity);
  static PeriodFigures Figures(const ContactTally& contacts, const TimeTally& time);
  /// The queue's average handle time over the last hour, or today when the hour has none.
  std::optional<Duration> RecentHandleTime(QueueIndex queue, Timestamp now) const;
  /// How long the contact at `position` (1-based) of `queue` may wait still; nullopt without a
  /// handle time to go by or an agent logged in.
  std::optional<Duration> EstimatedWait(QueueIndex queue, int position, Timestamp now) const;
  /// A scope's contact tally and its agents' time over `period` as of `now`, the agents' current
  /// activity included.
  TimeTally TimeOver(const std::vector<AgentIndex>& agents, Period period, Timestamp now) const;
  template <typename Tally>
  static Tally Over(const MinuteRing<Tally>& ring, const Tenant& tenant, Period period,
                    Timestamp now);

  Duration finished_contact_retention_;
  std::vector<Tenant> tenants_;
  std::vector<Queue> queues_;
  std::vector<Agent> agents_;
  /// The first contact of each queue's line per channel (null when none waits), apart from the
  /// queues: what a freed agent looks at first, a line or two of memory for all its queues.
  std::vector<std::array<Contact*, kChannelCount>> line_heads_;
  /// Each queue's service-level threshold, by which contacts of different queues are ordered.
  std::vector<Duration> sl_thresholds_;
  absl::flat_hash_map<QueueId, QueueIndex> queue_index_;
  KeyIndex<AgentIndex, AgentIdOfIndex> agent_index_{AgentIdOfIndex{.agents = &agents_}};
  /// Interned skills: "tenant\nskill" to a small integer, and back to the skill's name.
  absl::flat_hash_map<std::string, SkillIndex> skill_index_;
  std::vector<std::string> skill_names_;
  SequentialTable<Contact> contacts_;
  /// Index of each tenant in `tenants_`.
  absl::flat_hash_map<TenantId, std::size_t> tenant_slot_;
  std::set<Timer> timers_;
  /// kForgetContact and kForgetEscalation timers, in the order they come due.
  std::deque<Timer> forgetting_;
  std::uint64_t next_contact_id_ = 1;
  std::map<std::uint64_t, EscalationView> escalations_;
  /// KPI tallies, indexed like `queues_`, `tenants_` and `agents_`.
  std::vector<MinuteRing<ContactTally>> queue_tallies_;
  std::vector<MinuteRing<ContactTally>> tenant_tallies_;
  std::vector<MinuteRing<ContactTally>> agent_tallies_;
  std::vector<MinuteRing<TimeTally>> agent_time_;
  /// The time of the latest command or timer.
  Timestamp now_;
  /// The earliest of the tenants' `day_ends_at`: until then, no day to roll.
  Timestamp first_day_end_ = Timestamp::min();
  /// Open escalations by contact.
  std::multimap<ContactId, EscalationId> open_escalations_;
  std::uint64_t next_escalation_id_ = 1;
  /// Counts offers, for round robin.
  std::uint64_t offers_made_ = 0;
};

}  // namespace acd::routing
