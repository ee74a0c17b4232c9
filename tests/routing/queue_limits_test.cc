// Queues that cannot keep a contact: business hours, max size, max wait and their overflows; and
// short abandons.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "routing/local_time.h"
#include "routing/router.h"
#include "tests/routing/router_fixture.h"

namespace acd::routing {
namespace {

using namespace acd::routing::scenario;  // NOLINT(google-build-using-namespace): the test world
using std::chrono::minutes;
using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const QueueId kFront("acme.front");
const QueueId kOverflow("acme.overflow");
const QueueId kCallbacks("acme.callbacks");

absl::TimeZone SaoPaulo() {
  absl::TimeZone zone;
  absl::LoadTimeZone("America/Sao_Paulo", &zone);
  return zone;
}

/// acme.front (voice and chat; alice) overflows to acme.overflow (bob); acme.callbacks takes
/// callbacks (bob too). Each test sets front's limits.
Catalog LimitsCatalog() {
  Catalog catalog;
  catalog.tenants = {{.id = kAcme, .skills = {"billing"}}};
  catalog.queues = {
      {.id = kFront, .tenant = kAcme, .channels = {Channel::kVoice, Channel::kChat}},
      {.id = kOverflow, .tenant = kAcme, .channels = {Channel::kVoice, Channel::kChat}},
      {.id = kCallbacks, .tenant = kAcme, .channels = {Channel::kCallback}}};
  catalog.agents = {{.id = kAlice, .tenant = kAcme, .queues = {kFront}},
                    {.id = kBob, .tenant = kAcme, .queues = {kOverflow, kCallbacks}}};
  return catalog;
}

/// Weekdays 08:00-18:00 in São Paulo.
BusinessHours OfficeHours() {
  BusinessHours hours{.time_zone = SaoPaulo()};
  for (absl::Weekday day : {absl::Weekday::monday, absl::Weekday::tuesday, absl::Weekday::wednesday,
                            absl::Weekday::thursday, absl::Weekday::friday}) {
    hours.weekly.push_back({.day = day, .open_minute = 8 * 60, .close_minute = 18 * 60});
  }
  return hours;
}

Timestamp SaoPauloTime(int day, int hour, int minute = 0) {
  return FromLocal(absl::CivilSecond(2026, 11, day, hour, minute, 0), SaoPaulo());
}

class QueueLimitsTest : public RouterTest {
 protected:
  explicit QueueLimitsTest(const Catalog& catalog, Timestamp start = SaoPauloTime(25, 10))
      : RouterTest(catalog, start) {}

  absl::StatusOr<CommandResult> TryCreate(const std::string& external_id,
                                          Channel channel = Channel::kVoice) {
    return Try(CreateContact{.details = {.tenant = kAcme,
                                         .external_id = external_id,
                                         .origin = "test-gateway",
                                         .channel = channel},
                             .queue = kFront});
  }

  ContactView View(ContactId id) { return router_->FindContact(id).value(); }
};

// --- business hours --------------------------------------------------------------------------

Catalog ClosedCatalog(std::optional<Overflow> closed_overflow) {
  Catalog catalog = LimitsCatalog();
  catalog.queues[0].business_hours = OfficeHours();
  catalog.queues[0].closed_overflow = closed_overflow;
  return catalog;
}

class ClosedQueueTest : public QueueLimitsTest {
 protected:
  // Wednesday 25 November, 20:00 in São Paulo.
  ClosedQueueTest() : QueueLimitsTest(ClosedCatalog(std::nullopt), SaoPauloTime(25, 20)) {}
};

TEST_F(ClosedQueueTest, ACreateWhileClosedIsRefusedWithTheNextOpening) {
  absl::StatusOr<CommandResult> result = TryCreate("c1");
  EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(result.status().message(),
              HasSubstr("'acme.front' is closed; it opens at 2026-11-26T08:00-03:00 "
                        "(America/Sao_Paulo)"));
  EXPECT_THAT(events_, IsEmpty());
  EXPECT_EQ(router_->ListQueues(kAcme, now_)[0].waiting, 0);
}

class ClosingTimeTest : public QueueLimitsTest {
 protected:
  ClosingTimeTest() : QueueLimitsTest(ClosedCatalog(std::nullopt), SaoPauloTime(25, 17, 59)) {}
};

TEST_F(ClosingTimeTest, ContactsWaitingAtClosingTimeAreStillServed) {
  const ContactId contact = TryCreate("c1").value().contact;
  Advance(minutes(5));  // 18:04: closed.
  EXPECT_FALSE(TryCreate("c2").ok());
  Ready(kAlice);
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kAlice, contact)));
}

class ClosedOverflowToQueueTest : public QueueLimitsTest {
 protected:
  ClosedOverflowToQueueTest()
      : QueueLimitsTest(
            ClosedCatalog(Overflow{.action = OverflowAction::kQueue, .queue = kOverflow}),
            SaoPauloTime(25, 20)) {}
};

TEST_F(ClosedOverflowToQueueTest, AContactArrivingWhileClosedGoesToTheOtherQueue) {
  Ready(kBob);
  events_.clear();
  const ContactId contact = TryCreate("c1").value().contact;
  std::vector<ContactOverflowed> overflowed = EventsOf<ContactOverflowed>();
  ASSERT_EQ(overflowed.size(), 1u);
  EXPECT_EQ(overflowed[0].from_queue, kFront);
  EXPECT_EQ(overflowed[0].to_queue, kOverflow);
  EXPECT_EQ(overflowed[0].reason, kOverflowClosed);
  EXPECT_EQ(overflowed[0].channel, Channel::kVoice);
  EXPECT_THAT(EventsOf<ContactQueued>(),
              ElementsAre(::testing::Field(&ContactQueued::queue, kOverflow)));
  EXPECT_EQ(View(contact).queue, kOverflow);
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kBob, contact)));
}

class ClosedOverflowToCallbackTest : public QueueLimitsTest {
 protected:
  ClosedOverflowToCallbackTest()
      : QueueLimitsTest(
            ClosedCatalog(Overflow{.action = OverflowAction::kCallback, .queue = kCallbacks}),
            SaoPauloTime(25, 20)) {}
};

TEST_F(ClosedOverflowToCallbackTest, AContactArrivingWhileClosedBecomesACallback) {
  const ContactId contact = TryCreate("c1").value().contact;
  std::vector<ContactOverflowed> overflowed = EventsOf<ContactOverflowed>();
  ASSERT_EQ(overflowed.size(), 1u);
  EXPECT_EQ(overflowed[0].action, OverflowAction::kCallback);
  EXPECT_EQ(overflowed[0].channel, Channel::kCallback);
  EXPECT_EQ(View(contact).queue, kCallbacks);
  EXPECT_EQ(View(contact).details.channel, Channel::kCallback);
  EXPECT_EQ(View(contact).state, ContactState::kQueued);
}

// --- max size ----------------------------------------------------------------------------------

Catalog SizedCatalog(Overflow overflow) {
  Catalog catalog = LimitsCatalog();
  catalog.queues[0].max_size = 2;
  catalog.queues[0].overflow = overflow;
  return catalog;
}

class FullQueueRejectsTest : public QueueLimitsTest {
 protected:
  FullQueueRejectsTest() : QueueLimitsTest(SizedCatalog({.action = OverflowAction::kReject})) {}
};

TEST_F(FullQueueRejectsTest, ANewContactBeyondMaxSizeIsRefused) {
  ASSERT_TRUE(TryCreate("c1").ok());
  ASSERT_TRUE(TryCreate("c2").ok());
  events_.clear();
  absl::StatusOr<CommandResult> third = TryCreate("c3");
  EXPECT_EQ(third.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(third.status().message(), HasSubstr("'acme.front' is full (2 waiting)"));
  EXPECT_THAT(events_, IsEmpty());
  // A repeat of a create that got in is still answered with its contact.
  absl::StatusOr<CommandResult> repeat = TryCreate("c1");
  ASSERT_TRUE(repeat.ok());
  EXPECT_FALSE(repeat->created);
}

TEST_F(FullQueueRejectsTest, OfferedContactsDoNotCountAsWaiting) {
  Ready(kAlice);
  ASSERT_TRUE(TryCreate("c1").ok());  // offered to alice at once
  ASSERT_TRUE(TryCreate("c2").ok());
  ASSERT_TRUE(TryCreate("c3").ok());
  EXPECT_FALSE(TryCreate("c4").ok());
}

class FullQueueOverflowsTest : public QueueLimitsTest {
 protected:
  FullQueueOverflowsTest()
      : QueueLimitsTest(SizedCatalog({.action = OverflowAction::kQueue, .queue = kOverflow})) {}
};

TEST_F(FullQueueOverflowsTest, ANewContactBeyondMaxSizeGoesToTheOverflowQueue) {
  TryCreate("c1").IgnoreError();
  TryCreate("c2").IgnoreError();
  events_.clear();
  const ContactId third = TryCreate("c3").value().contact;
  EXPECT_EQ(View(third).queue, kOverflow);
  ASSERT_EQ(EventsOf<ContactOverflowed>().size(), 1u);
  EXPECT_EQ(EventsOf<ContactOverflowed>()[0].reason, kOverflowMaxSize);
}

// --- max wait ----------------------------------------------------------------------------------

Catalog WaitLimitCatalog(Overflow overflow) {
  Catalog catalog = LimitsCatalog();
  catalog.queues[0].max_wait = minutes(2);
  catalog.queues[0].overflow = overflow;
  catalog.queues[0].offer_timeout = seconds(20);
  return catalog;
}

class MaxWaitRejectsTest : public QueueLimitsTest {
 protected:
  MaxWaitRejectsTest() : QueueLimitsTest(WaitLimitCatalog({.action = OverflowAction::kReject})) {}
};

TEST_F(MaxWaitRejectsTest, AContactWaitingTooLongExpires) {
  const ContactId contact = TryCreate("c1").value().contact;
  Advance(minutes(2) - seconds(1));
  EXPECT_EQ(View(contact).state, ContactState::kQueued);
  Advance(seconds(1));
  EXPECT_EQ(View(contact).state, ContactState::kExpired);
  std::vector<ContactExpired> expired = EventsOf<ContactExpired>();
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0].queue, kFront);
  EXPECT_EQ(expired[0].reason, kOverflowMaxWait);
  EXPECT_EQ(router_->ListQueues(kAcme, now_)[0].waiting, 0);
  Ready(kAlice);
  EXPECT_THAT(TakeOffers(), IsEmpty());
}

TEST_F(MaxWaitRejectsTest, AnOfferedContactIsNotTakenAwayButExpiresIfItComesBackLate) {
  const ContactId contact = TryCreate("c1").value().contact;
  Advance(minutes(1) + seconds(50));
  Ready(kAlice);
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kAlice, contact)));
  Advance(seconds(15));  // Past the max wait while offered: nothing happens.
  EXPECT_EQ(View(contact).state, ContactState::kOffered);
  Do(DeclineOffer{.agent = kAlice, .contact = contact});
  Advance(Duration::zero());
  EXPECT_EQ(View(contact).state, ContactState::kExpired);
}

TEST_F(MaxWaitRejectsTest, AContactServedInTimeLeavesNoTimerBehind) {
  const ContactId contact = TryCreate("c1").value().contact;
  Ready(kAlice);
  Do(AcceptOffer{.agent = kAlice, .contact = contact});
  Advance(minutes(5));
  EXPECT_EQ(View(contact).state, ContactState::kConnected);
  EXPECT_THAT(EventsOf<ContactExpired>(), IsEmpty());
}

class MaxWaitOverflowsTest : public QueueLimitsTest {
 protected:
  MaxWaitOverflowsTest()
      : QueueLimitsTest(WaitLimitCatalog({.action = OverflowAction::kQueue, .queue = kOverflow})) {}
};

TEST_F(MaxWaitOverflowsTest, AContactWaitingTooLongMovesKeepingItsVirtualStart) {
  const Timestamp arrived = now_;
  const ContactId contact = TryCreate("c1").value().contact;
  Ready(kBob);
  events_.clear();
  Advance(minutes(2));
  EXPECT_EQ(View(contact).queue, kOverflow);
  EXPECT_EQ(View(contact).virtual_start, arrived);
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kBob, contact)));
}

class MaxWaitCallbackTest : public QueueLimitsTest {
 protected:
  MaxWaitCallbackTest()
      : QueueLimitsTest(
            WaitLimitCatalog({.action = OverflowAction::kCallback, .queue = kCallbacks})) {}
};

TEST_F(MaxWaitCallbackTest, AContactWaitingTooLongBecomesACallbackThatWaitsAsLongAsItTakes) {
  const ContactId contact = TryCreate("c1").value().contact;
  Advance(minutes(2));
  ASSERT_EQ(EventsOf<ContactOverflowed>().size(), 1u);
  EXPECT_EQ(EventsOf<ContactOverflowed>()[0].action, OverflowAction::kCallback);
  EXPECT_EQ(View(contact).details.channel, Channel::kCallback);
  EXPECT_EQ(View(contact).queue, kCallbacks);
  Advance(minutes(30));
  EXPECT_EQ(View(contact).state, ContactState::kQueued);
  Ready(kBob);
  EXPECT_THAT(TakeOffers(), ElementsAre(Offer(kBob, contact)));
}

// --- catalog checks ------------------------------------------------------------------------------

TEST(QueueLimitsCatalog, OverflowTargetsMustExistTakeTheChannelsAndNotGoRound) {
  Catalog catalog = LimitsCatalog();
  catalog.queues[0].overflow = {.action = OverflowAction::kQueue, .queue = QueueId("nowhere")};
  EXPECT_THAT(catalog.FindProblem()->message, HasSubstr("unknown queue 'nowhere'"));

  catalog.queues[0].overflow = {.action = OverflowAction::kQueue, .queue = kCallbacks};
  EXPECT_THAT(catalog.FindProblem()->message, HasSubstr("does not take channel 'voice'"));

  catalog.queues[0].overflow = {.action = OverflowAction::kCallback};
  EXPECT_THAT(catalog.FindProblem()->message, HasSubstr("does not take the callback channel"));

  catalog.queues[0].overflow = {.action = OverflowAction::kQueue, .queue = kOverflow};
  catalog.queues[1].overflow = {.action = OverflowAction::kQueue, .queue = kFront};
  EXPECT_THAT(catalog.FindProblem()->message, HasSubstr("goes round in a circle"));

  catalog.queues[1].overflow = {.action = OverflowAction::kReject};
  EXPECT_EQ(catalog.FindProblem(), std::nullopt);
}

// --- short abandons ------------------------------------------------------------------------------

class ShortAbandonTest : public QueueLimitsTest {
 protected:
  ShortAbandonTest() : QueueLimitsTest(LimitsCatalog()) {}
};

TEST_F(ShortAbandonTest, HangingUpWithinTheThresholdIsAShortAbandon) {
  const ContactId quick = TryCreate("c1").value().contact;
  const ContactId patient = TryCreate("c2").value().contact;
  Advance(seconds(4));
  Do(CancelContact{.tenant = kAcme, .contact = quick, .reason = "hangup"});
  Advance(seconds(1));
  Do(CancelContact{.tenant = kAcme, .contact = patient, .reason = "hangup"});
  EXPECT_THAT(EventsOf<ContactAbandoned>(),
              ElementsAre(::testing::Field(&ContactAbandoned::short_abandon, true),
                          ::testing::Field(&ContactAbandoned::short_abandon, false)));
}

}  // namespace
}  // namespace acd::routing
