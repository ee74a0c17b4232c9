// The customer-history cache that offers read: ordering, bounds, merging the store's copy and
// survey scores.

#include "daemon/customer_history.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "daemon/proto_convert.h"
#include "tests/routing/router_fixture.h"

namespace acd::daemon {
namespace {

using routing::scenario::kAcme;
using routing::scenario::kBilling;
using std::chrono::seconds;
using ::testing::ElementsAre;

class CustomerHistoryTest : public routing::scenario::RouterTest {
 protected:
  InteractionRow Ended(std::uint64_t contact, const std::string& customer, int ended_s) {
    return InteractionRow{.contact = contact,
                          .tenant = kAcme.value(),
                          .customer_id = customer,
                          .queue = kBilling.value(),
                          .agent = "alice",
                          .disposition = "resolved",
                          .started_at = routing::Timestamp(seconds(ended_s - 60)),
                          .ended_at = routing::Timestamp(seconds(ended_s))};
  }

  void Journal(std::vector<InteractionRow> rows, std::vector<SurveyRow> surveys = {}) {
    history_.Add(JournalRecord{.interactions = std::move(rows), .surveys = std::move(surveys)},
                 *router_);
  }

  /// The kept interactions' contact ids, newest first.
  std::vector<std::string> Kept(const std::string& customer) {
    google::protobuf::RepeatedPtrField<v1::InteractionSummary> out;
    history_.CopyTo(kAcme.value(), customer, out);
    std::vector<std::string> ids;
    for (const v1::InteractionSummary& summary : out) ids.push_back(summary.contact_id());
    return ids;
  }

  static std::string Id(std::uint64_t contact) {
    return convert::ContactIdString(routing::ContactId(contact));
  }

  CustomerHistory history_{{.customers = 2, .per_customer = 2}};
};

TEST_F(CustomerHistoryTest, KeepsTheNewestInteractionsOfEachCustomer) {
  Journal({Ended(1, "c1", 100)});
  Journal({Ended(2, "c1", 200), Ended(3, "c1", 300)});
  EXPECT_THAT(Kept("c1"), ElementsAre(Id(3), Id(2)));
  EXPECT_FALSE(history_.Loaded(kAcme.value(), "c1")) << "journaled alone, it may be incomplete";
  EXPECT_THAT(Kept("unknown"), ElementsAre());
  EXPECT_THAT(Kept(""), ElementsAre());
}

TEST_F(CustomerHistoryTest, TheStoresCopyMergesWithoutDuplicates) {
  Journal({Ended(3, "c1", 300)});
  // The store already has the journaled one and an older one.
  history_.Fill(kAcme.value(), "c1", {Ended(3, "c1", 300), Ended(1, "c1", 100)}, *router_);
  EXPECT_TRUE(history_.Loaded(kAcme.value(), "c1"));
  EXPECT_THAT(Kept("c1"), ElementsAre(Id(3), Id(1)));
  // Older than everything kept, with the cache full for the customer: not kept.
  history_.Fill(kAcme.value(), "c1", {Ended(0, "c1", 50)}, *router_);
  EXPECT_THAT(Kept("c1"), ElementsAre(Id(3), Id(1)));
}

TEST_F(CustomerHistoryTest, TheLeastRecentlyUsedCustomerGoesFirst) {
  history_.Fill(kAcme.value(), "c1", {Ended(1, "c1", 100)}, *router_);
  history_.Fill(kAcme.value(), "c2", {Ended(2, "c2", 100)}, *router_);
  EXPECT_THAT(Kept("c1"), ElementsAre(Id(1)));  // c1 used last: c2 goes.
  Journal({Ended(3, "c3", 100)});
  EXPECT_EQ(history_.size(), 2u);
  EXPECT_TRUE(history_.Loaded(kAcme.value(), "c1"));
  EXPECT_FALSE(history_.Loaded(kAcme.value(), "c2"));
  EXPECT_THAT(Kept("c2"), ElementsAre());
  EXPECT_THAT(Kept("c3"), ElementsAre(Id(3)));
}

TEST_F(CustomerHistoryTest, ASurveyScoresTheKeptInteraction) {
  const routing::ContactId contact =
      Do(routing::CreateContact{.details = {.tenant = kAcme,
                                            .external_id = "call-1",
                                            .origin = "gateway",
                                            .channel = routing::Channel::kVoice,
                                            .customer = {.id = "c1"}},
                                .queue = kBilling})
          .contact;
  Journal({Ended(contact.value(), "c1", 100)});
  Journal({}, {SurveyRow{.contact = contact.value(), .tenant = kAcme.value(), .score = 2}});
  google::protobuf::RepeatedPtrField<v1::InteractionSummary> out;
  history_.CopyTo(kAcme.value(), "c1", out);
  ASSERT_EQ(out.size(), 1);
  EXPECT_EQ(out[0].csat_score(), 2);
}

}  // namespace
}  // namespace acd::daemon
