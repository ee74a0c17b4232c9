// KPIs: contact counts and averages per queue, tenant and agent over today and sliding windows,
// time in each activity, and Erlang C staffing.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include "routing/erlang_c.h"
#include "routing/local_time.h"
#include "routing/router.h"
#include "tests/routing/router_fixture.h"

namespace acd::routing {
namespace {

using namespace acd::routing::scenario;  // NOLINT(google-build-using-namespace): the test world
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using ::testing::DoubleNear;
using ::testing::Optional;

constexpr std::size_t kToday = static_cast<std::size_t>(Period::kToday);
constexpr std::size_t k15 = static_cast<std::size_t>(Period::kLast15Minutes);
constexpr std::size_t k30 = static_cast<std::size_t>(Period::kLast30Minutes);
constexpr std::size_t k60 = static_cast<std::size_t>(Period::kLast60Minutes);

// Reference values from an independent Erlang C implementation (M/M/c, FIFO).
TEST(ErlangCTest, MatchesTheReferenceTable) {
  // 0.05 contacts/s, 180 s handle time: 9 Erlangs.
  EXPECT_NEAR(ErlangCWaitProbability(9.0, 10), 0.6687, 1e-4);
  EXPECT_NEAR(ErlangCServiceLevel(9.0, 10, 180, 20), 0.4016, 1e-4);
  EXPECT_THAT(ErlangCAverageSpeedOfAnswer(9.0, 10, 180), Optional(DoubleNear(120.3717, 1e-3)));
  EXPECT_NEAR(ErlangCServiceLevel(9.0, 12, 180, 20), 0.8094, 1e-4);
  // 0.5 contacts/s, 300 s: 150 Erlangs on 160 agents.
  EXPECT_NEAR(ErlangCWaitProbability(150.0, 160), 0.3174, 1e-4);
  EXPECT_NEAR(ErlangCServiceLevel(150.0, 160, 300, 30), 0.8832, 1e-4);
  EXPECT_THAT(ErlangCAverageSpeedOfAnswer(150.0, 160, 300), Optional(DoubleNear(9.5233, 1e-3)));
}

TEST(ErlangCTest, AgentsNeededIsTheFewestMeetingTheTarget) {
  // 9 Erlangs: 11 agents give 65.5% within 20 s, 12 give 80.9%.
  EXPECT_EQ(ErlangCAgentsNeeded(9.0, 180, 20, 0.8), 12);
  EXPECT_EQ(ErlangCAgentsNeeded(9.0, 180, 20, 0.65), 11);
  EXPECT_EQ(ErlangCAgentsNeeded(0.0, 180, 20, 0.8), 0);
  EXPECT_EQ(ErlangCWaitProbability(10.0, 10), 1.0) << "a load the agents cannot carry";
  EXPECT_EQ(ErlangCAverageSpeedOfAnswer(10.0, 10, 180), std::nullopt);
}

TEST(ErlangCTest, StaffingEstimateAtNineErlangs) {
  // 180 contacts an hour of 180 s: 9 Erlangs; 12 agents reach 80% in 20 s (80.9%). The figures
  // match an independent Erlang C reference.
  const StaffingEstimate estimate = EstimateStaffing({.arrivals_per_hour = 180,
                                                      .aht = seconds(180),
                                                      .target = 0.8,
                                                      .threshold = seconds(20),
                                                      .shrinkage = 0.25,
                                                      .agents_working = 11});
  ASSERT_TRUE(estimate.available);
  EXPECT_NEAR(estimate.traffic_erlangs, 9.0, 1e-9);
  EXPECT_EQ(estimate.agents_required, 12);
  EXPECT_EQ(estimate.agents_required_with_shrinkage, 16);  // 12 / 0.75
  EXPECT_NEAR(estimate.predicted_service_level, 0.8094, 1e-4);
  EXPECT_NEAR(estimate.predicted_occupancy, 0.75, 1e-9);
  ASSERT_TRUE(estimate.predicted_asa.has_value());
  EXPECT_NEAR(std::chrono::duration<double>(*estimate.predicted_asa).count(), 15.9621, 1e-3);
  EXPECT_NEAR(estimate.current_service_level, 0.6553, 1e-4);  // With 11.
  EXPECT_FALSE(EstimateStaffing({.arrivals_per_hour = 0, .aht = seconds(180)}).available);
}

/// acme.billing (voice, SL 80% in 20 s, short abandons under 5 s, timed wrap-up): alice.
Catalog KpiCatalog() {
  Catalog catalog;
  catalog.tenants = {{.id = kAcme}};
  catalog.queues = {{.id = kBilling, .tenant = kAcme, .channels = {Channel::kVoice}}};
  catalog.queues[0].wrap_up = {.policy = WrapUpPolicy::kMandatory};
  catalog.agents = {{.id = kAlice, .tenant = kAcme, .queues = {kBilling}}};
  return catalog;
}

class StatisticsTest : public RouterTest {
 protected:
  // Noon UTC, so that "today" holds the whole scenario.
  StatisticsTest() : RouterTest(KpiCatalog(), Timestamp(hours(24 * 20000 + 12))) {}

  QueueStatistics Queue() { return router_->QueueStatisticsOf(kAcme, now_).at(0); }
  AgentStatistics Alice() { return router_->AgentStatisticsOf(kAcme, now_).at(0); }

  /// Alice answers `contact` after it waited `wait`, talks `talk`, wraps up for `wrap`.
  void Handle(ContactId contact, Duration wait, Duration talk, Duration wrap) {
    Advance(wait);
    Ready(kAlice);
    Do(AcceptOffer{.agent = kAlice, .contact = contact});
    Advance(talk);
    Do(CompleteContact{.agent = kAlice, .contact = contact});
    Advance(wrap);
    Do(SubmitWrapUp{.agent = kAlice, .contact = contact, .disposition = "done"});
    Do(SetAgentState{.agent = kAlice, .presence = AgentPresence::kNotReady});
  }
};

TEST_F(StatisticsTest, AnAgentsOffersDeclinesAndMissesAreCountedAsTheirs) {
  Ready(kAlice);
  // Taken back because the customer hung up: not counted against the agent.
  Do(CancelContact{.tenant = kAcme, .contact = Create("c1"), .reason = "hangup"});
  Do(DeclineOffer{.agent = kAlice, .contact = Create("c2")});
  // After the decline cooldown (5 s) the next contact rings out unanswered (20 s).
  Advance(seconds(5));
  Create("c3");
  Advance(seconds(20));

  const PeriodFigures today = Alice().periods[kToday];
  EXPECT_EQ(today.offers, 3);
  EXPECT_EQ(today.declines, 1);
  EXPECT_EQ(today.misses, 1);
  EXPECT_EQ(today.answered, 0);
  EXPECT_EQ(Queue().periods[kToday].offers, 0) << "offers are an agent's figure";
}

class AutoAcceptStatisticsTest : public RouterTest {
 protected:
  static Catalog AutoAccepting() {
    Catalog catalog = KpiCatalog();
    catalog.agents[0].auto_accept[static_cast<std::size_t>(Channel::kVoice)] = true;
    return catalog;
  }
  AutoAcceptStatisticsTest() : RouterTest(AutoAccepting(), Timestamp(hours(24 * 20000 + 12))) {}
};

TEST_F(AutoAcceptStatisticsTest, AnAutoAcceptedContactCountsAsAnOfferToo) {
  Ready(kAlice);
  Create("c1");
  const PeriodFigures today = router_->AgentStatisticsOf(kAcme, now_).at(0).periods[kToday];
  EXPECT_EQ(today.answered, 1);
  EXPECT_EQ(today.offers, 1) << "never more accepted than offered";
}

TEST_F(StatisticsTest, CountsAndAveragesOfAQueuesDay) {
  Handle(Create("c1"), seconds(10), seconds(120), seconds(30));  // within 20 s
  Handle(Create("c2"), seconds(30), seconds(60), seconds(30));   // answered late
  const ContactId quick = Create("c3");
  Advance(seconds(3));
  Do(CancelContact{.tenant = kAcme, .contact = quick, .reason = "hangup"});  // short abandon
  const ContactId patient = Create("c4");
  Advance(seconds(25));
  Do(CancelContact{.tenant = kAcme, .contact = patient, .reason = "hangup"});

  const PeriodFigures today = Queue().periods[kToday];
  EXPECT_EQ(today.offered, 4);
  EXPECT_EQ(today.answered, 2);
  EXPECT_EQ(today.answered_within_threshold, 1);
  EXPECT_EQ(today.abandoned, 2);
  EXPECT_EQ(today.short_abandoned, 1);
  EXPECT_EQ(today.handled, 2);
  EXPECT_THAT(today.service_level, Optional(0.5));
  EXPECT_THAT(today.service_level_counting_abandons, Optional(DoubleNear(1.0 / 3, 1e-9)));
  EXPECT_THAT(today.abandon_rate, Optional(DoubleNear(1.0 / 3, 1e-9)));
  EXPECT_EQ(today.average_speed_of_answer, seconds(20));
  EXPECT_EQ(today.average_handle_time, seconds(120));  // (150 + 90) / 2
  EXPECT_EQ(today.average_after_contact_work, seconds(30));

  const TenantStatistics tenant = router_->TenantStatisticsOf(kAcme, now_).value();
  EXPECT_EQ(tenant.periods[kToday].offered, 4);
  EXPECT_EQ(tenant.periods[kToday].answered, 2);
  EXPECT_EQ(Alice().periods[kToday].answered, 2);
  EXPECT_EQ(Alice().periods[kToday].handled, 2);
  EXPECT_EQ(Alice().periods[kToday].offered, 0) << "offers to a queue, not an agent";
}

TEST_F(StatisticsTest, SummariesAgreeWithTheFullStatistics) {
  Handle(Create("c1"), seconds(10), seconds(120), seconds(30));
  Create("c2");
  Advance(seconds(7));
  Ready(kAlice);  // Offered c2: reserved, which the queue view counts as busy.

  const std::vector<QueueSummary> summaries = router_->QueueSummaries(now_);
  ASSERT_EQ(summaries.size(), 1u);
  const QueueSummary& summary = summaries[0];
  const QueueStatistics full = Queue();
  const QueueView view = router_->ListQueues(kAcme, now_).at(0);
  EXPECT_EQ(summary.tenant, kAcme);
  EXPECT_EQ(summary.queue, kBilling);
  EXPECT_EQ(summary.waiting, full.waiting);
  EXPECT_EQ(summary.longest_wait, full.longest_wait);
  EXPECT_EQ(summary.agents_ready, view.agents_ready);
  EXPECT_EQ(summary.agents_busy, view.agents_busy);
  EXPECT_EQ(summary.agents_not_ready, view.agents_not_ready);
  EXPECT_EQ(summary.today.offered, 2);
  EXPECT_EQ(summary.today.offered, full.periods[kToday].offered);
  EXPECT_EQ(summary.today.answered, full.periods[kToday].answered);
  EXPECT_EQ(summary.today.service_level, full.periods[kToday].service_level);
  EXPECT_EQ(summary.today.average_speed_of_answer, full.periods[kToday].average_speed_of_answer);
  EXPECT_EQ(summary.today.average_handle_time, full.periods[kToday].average_handle_time);

  const std::vector<TenantSummary> tenants = router_->TenantSummaries();
  ASSERT_EQ(tenants.size(), 1u);
  EXPECT_EQ(tenants[0].agents, router_->TenantStatisticsOf(kAcme, now_)->agents);
  EXPECT_EQ(tenants[0].agents[static_cast<std::size_t>(Activity::kReserved)], 1);
}

TEST_F(StatisticsTest, SurveysOfHandledContactsFeedCsat) {
  const ContactId waiting = Create("c0");
  EXPECT_EQ(Try(RecordSurvey{.tenant = kAcme, .contact = waiting, .score = 5}).status().code(),
            absl::StatusCode::kFailedPrecondition)
      << "it never reached an agent";
  Do(CancelContact{.tenant = kAcme, .contact = waiting, .reason = "hangup"});
  const ContactId first = Create("c1");
  Handle(first, seconds(10), seconds(60), seconds(10));
  const ContactId second = Create("c2");
  Handle(second, seconds(10), seconds(60), seconds(10));
  for (const int score : {0, 6}) {
    EXPECT_EQ(Try(RecordSurvey{.tenant = kAcme, .contact = first, .score = score}).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
  EXPECT_EQ(
      Try(RecordSurvey{.tenant = TenantId("globex"), .contact = first, .score = 5}).status().code(),
      absl::StatusCode::kNotFound);
  events_.clear();
  Do(RecordSurvey{.tenant = kAcme, .contact = first, .score = 5, .comment = "great"});
  Do(RecordSurvey{.tenant = kAcme, .contact = second, .score = 2});
  EXPECT_EQ(Try(RecordSurvey{.tenant = kAcme, .contact = first, .score = 1}).status().code(),
            absl::StatusCode::kAlreadyExists);

  ASSERT_EQ(EventsOf<SurveyRecorded>().size(), 2u);
  EXPECT_EQ(EventsOf<SurveyRecorded>()[0].agent, kAlice);
  EXPECT_EQ(EventsOf<SurveyRecorded>()[0].comment, "great");
  EXPECT_EQ(router_->FindContact(first)->csat, 5);
  const PeriodFigures today = Queue().periods[kToday];
  EXPECT_EQ(today.surveys, 2);
  EXPECT_THAT(today.csat, Optional(3.5));
  EXPECT_THAT(Alice().periods[kToday].csat, Optional(3.5));
  EXPECT_EQ(router_->TenantStatisticsOf(kAcme, now_)->periods[kToday].surveys, 2);
}

TEST_F(StatisticsTest, WindowsSlideByTheMinute) {
  Handle(Create("c1"), seconds(5), seconds(60), seconds(10));
  Advance(minutes(20));
  Handle(Create("c2"), seconds(5), seconds(60), seconds(10));
  EXPECT_EQ(Queue().periods[k15].answered, 1);
  EXPECT_EQ(Queue().periods[k30].answered, 2);
  Advance(minutes(45));  // c1 is 67 minutes old, c2 46.
  EXPECT_EQ(Queue().periods[k60].answered, 1);
  EXPECT_EQ(Queue().periods[k15].answered, 0);
  EXPECT_EQ(Queue().periods[kToday].answered, 2);
  EXPECT_EQ(Queue().periods[k15].service_level, std::nullopt) << "nothing to measure";
  EXPECT_EQ(Queue().periods[k15].start,
            std::chrono::floor<std::chrono::minutes>(now_) - minutes(14));
  EXPECT_EQ(Queue().periods[kToday].start, std::chrono::floor<std::chrono::days>(now_));
}

TEST_F(StatisticsTest, AgentsTimeInEachActivityAndOccupancy) {
  Ready(kAlice);
  Advance(seconds(60));  // idle
  const ContactId contact = Create("c1");
  Advance(seconds(10));  // reserved
  Do(AcceptOffer{.agent = kAlice, .contact = contact});
  Advance(seconds(110));  // busy
  Do(CompleteContact{.agent = kAlice, .contact = contact});
  Advance(seconds(30));  // wrap-up
  Do(SubmitWrapUp{.agent = kAlice, .contact = contact, .disposition = "done"});
  Do(SetAgentState{.agent = kAlice, .presence = AgentPresence::kNotReady, .reason = "lunch"});
  Advance(seconds(40));  // not ready, still going on

  const AgentStatistics alice = Alice();
  EXPECT_EQ(alice.activity, Activity::kNotReady);
  const PeriodFigures& today = alice.periods[kToday];
  auto in = [&](Activity activity) { return today.time_in[static_cast<std::size_t>(activity)]; };
  EXPECT_EQ(in(Activity::kIdle), seconds(60));
  EXPECT_EQ(in(Activity::kReserved), seconds(10));
  EXPECT_EQ(in(Activity::kBusy), seconds(110));
  EXPECT_EQ(in(Activity::kWrapUp), seconds(30));
  EXPECT_EQ(in(Activity::kNotReady), seconds(40));
  EXPECT_THAT(today.occupancy, Optional(DoubleNear(150.0 / 210.0, 1e-9)));
  EXPECT_EQ(alice.periods[k60].time_in, today.time_in) << "all within the hour";
  EXPECT_EQ(Queue().periods[kToday].time_in, today.time_in) << "the queue's only member";
}

TEST_F(StatisticsTest, ErlangCStaffingAndEstimatedWaitFollowTheQueuesFigures) {
  // Ten contacts in the last 15 minutes, each handled in a minute (talk and wrap-up).
  for (const char* id : {"c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9"}) {
    Handle(Create(id), seconds(1), seconds(30), seconds(30));
  }
  const QueueStatistics stats = Queue();
  ASSERT_EQ(stats.periods[k15].offered, 10);
  EXPECT_EQ(stats.arrivals_per_hour, 40.0);
  const double load = 40.0 / 3600 * 60;  // 2/3 of an Erlang
  EXPECT_EQ(stats.agents_needed, ErlangCAgentsNeeded(load, 60, 20, 0.8));
  EXPECT_EQ(stats.agents_needed, 2);
  EXPECT_EQ(stats.estimated_wait, std::nullopt) << "nobody logged in to serve it";
  Ready(kAlice);
  Create("w1");  // Offered to alice at once: a second one waits behind it.
  const ContactId second = Create("w2");
  EXPECT_EQ(router_->FindContact(second)->queue_position, 1);
  EXPECT_EQ(router_->FindContact(second)->estimated_wait, seconds(30)) << "half a handle time";
}

TEST(StatisticsDay, TodayStartsAgainAtTheTenantsMidnight) {
  Catalog catalog = KpiCatalog();
  ASSERT_TRUE(absl::LoadTimeZone("America/Sao_Paulo", &catalog.tenants[0].time_zone));
  Timestamp now =
      FromLocal(absl::CivilSecond(2026, 11, 25, 23, 50, 0), catalog.tenants[0].time_zone);
  std::unique_ptr<Router> router = std::move(Router::Create(catalog, now)).value();
  std::vector<Event> events;
  ASSERT_TRUE(router
                  ->Handle(CreateContact{.details = {.tenant = kAcme, .external_id = "late"},
                                         .queue = kBilling},
                           now, events)
                  .ok());
  ASSERT_TRUE(router->Handle(SetAgentState{.agent = kAlice}, now, events).ok());
  EXPECT_EQ(router->QueueStatisticsOf(kAcme, now).at(0).periods[kToday].offered, 1);
  now += minutes(15);  // 00:05 local, no command since midnight
  const AgentStatistics alice = router->AgentStatisticsOf(kAcme, now).at(0);
  EXPECT_EQ(router->QueueStatisticsOf(kAcme, now).at(0).periods[kToday].offered, 0);
  EXPECT_EQ(alice.periods[kToday].time_in[static_cast<std::size_t>(Activity::kReserved)],
            minutes(5))
      << "only the time since midnight";
  router->AdvanceTo(now, events);
  EXPECT_EQ(router->QueueStatisticsOf(kAcme, now).at(0).periods[kToday].offered, 0);
  EXPECT_EQ(router->QueueStatisticsOf(kAcme, now).at(0).periods[k60].offered, 1)
      << "the window crosses midnight";
  ASSERT_TRUE(router
                  ->Handle(CreateContact{.details = {.tenant = kAcme, .external_id = "early"},
                                         .queue = kBilling},
                           now, events)
                  .ok());
  EXPECT_EQ(router->QueueStatisticsOf(kAcme, now).at(0).periods[kToday].offered, 1)
      << "yesterday's last minute stays out of today";
  EXPECT_EQ(router->QueueStatisticsOf(kAcme, now).at(0).periods[k60].offered, 2);
}

}  // namespace
}  // namespace acd::routing
