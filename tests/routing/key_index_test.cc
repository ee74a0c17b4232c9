#include "routing/key_index.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "routing/ids.h"

namespace acd::routing {
namespace {

/// Contacts as the router holds them, reduced to their external ids, counting the reads.
struct Contacts {
  std::map<std::uint64_t, std::string> external_ids;
  int reads = 0;
};

struct ExternalIdOf {
  std::string_view operator()(ContactId id) const {
    ++contacts->reads;
    return contacts->external_ids.at(id.value());
  }
  Contacts* contacts;
};

class KeyIndexTest : public testing::Test {
 protected:
  void Add(std::uint64_t id, std::string external_id) {
    contacts_.external_ids[id] = external_id;
    index_.Insert(external_id, ContactId(id));
  }

  Contacts contacts_;
  KeyIndex<ContactId, ExternalIdOf> index_{ExternalIdOf{&contacts_}};
};

TEST_F(KeyIndexTest, FindsEachContactByItsExternalId) {
  Add(1, "call-1");
  Add(2, "call-2");
  EXPECT_EQ(index_.Find("call-1"), ContactId(1));
  EXPECT_EQ(index_.Find("call-2"), ContactId(2));
  EXPECT_EQ(index_.Find("call-3"), std::nullopt);
  EXPECT_EQ(index_.Find(""), std::nullopt);
  EXPECT_EQ(index_.size(), 2U);
}

TEST_F(KeyIndexTest, AKeyFiledAlreadyKeepsItsFirstValue) {
  Add(1, "call-1");
  contacts_.external_ids[2] = "call-1";
  index_.Insert("call-1", ContactId(2));
  EXPECT_EQ(index_.Find("call-1"), ContactId(1));
  EXPECT_EQ(index_.size(), 1U);
}

TEST_F(KeyIndexTest, AnErasedKeyIsFreeAgain) {
  Add(1, "call-1");
  Add(2, "call-2");
  index_.Erase("call-1");
  contacts_.external_ids.erase(1);
  EXPECT_EQ(index_.Find("call-1"), std::nullopt);
  EXPECT_EQ(index_.Find("call-2"), ContactId(2));
  Add(3, "call-1");
  EXPECT_EQ(index_.Find("call-1"), ContactId(3));
}

TEST_F(KeyIndexTest, RecordsAreReadOnlyForTheKeySought) {
  for (std::uint64_t id = 0; id < 10'000; ++id) Add(id, "call-" + std::to_string(id));
  for (std::uint64_t id = 10'000; id < 20'000; ++id) {
    EXPECT_EQ(index_.Find("call-" + std::to_string(id)), std::nullopt);
  }
  EXPECT_EQ(contacts_.reads, 0) << "a new or unknown key needs no record read";
  EXPECT_EQ(index_.Find("call-1234"), ContactId(1234));
  EXPECT_EQ(contacts_.reads, 1);
}

}  // namespace
}  // namespace acd::routing
