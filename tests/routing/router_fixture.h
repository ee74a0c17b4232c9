#pragma once

// The world the router's scenario tests run in (tenants, queues and agents with short names) and
// a fixture that drives a router on a fake clock, keeping every event.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "routing/router.h"

namespace acd::routing::scenario {

using std::chrono::seconds;

inline const TenantId kAcme("acme");
inline const TenantId kGlobex("globex");
inline const QueueId kBilling("acme.billing");
inline const QueueId kSupport("acme.support");
inline const QueueId kSales("globex.sales");
inline const AgentId kAlice("alice");
inline const AgentId kBob("bob");
inline const AgentId kDana("dana");

/// Two tenants: acme (billing and support queues, agents alice and bob) and globex (sales,
/// agent dana).
inline Catalog TestCatalog() {
  Catalog catalog;
  catalog.tenants = {{.id = kAcme, .display_name = "Acme", .skills = {"billing", "support"}},
                     {.id = kGlobex, .display_name = "Globex", .skills = {"sales"}}};
  catalog.queues = {
      {.id = kBilling, .tenant = kAcme, .channels = {Channel::kVoice, Channel::kChat}},
      {.id = kSupport, .tenant = kAcme, .channels = {Channel::kVoice, Channel::kEmail}},
      {.id = kSales, .tenant = kGlobex, .channels = {Channel::kVoice}}};
  catalog.queues[0].offer_timeout = seconds(20);
  catalog.queues[1].service_level_threshold = seconds(60);
  for (TenantConfig& tenant : catalog.tenants) {
    tenant.agent_policy = {.decline_cooldown = seconds(5),
                           .no_answer_cooldown = seconds(30),
                           .not_ready_after_misses = 2,
                           .disconnect_grace = seconds(10)};
  }
  AgentConfig alice{.id = kAlice,
                    .tenant = kAcme,
                    .skills = {{"billing", 7}, {"support", 4}},
                    .queues = {kBilling, kSupport}};
  alice.capacity = {1, 2, 1, 1, 1, 1};
  AgentConfig bob{
      .id = kBob, .tenant = kAcme, .skills = {{"billing", 3}}, .queues = {kBilling, kSupport}};
  AgentConfig dana{.id = kDana, .tenant = kGlobex, .skills = {{"sales", 5}}, .queues = {kSales}};
  catalog.agents = {alice, bob, dana};
  return catalog;
}

/// Drives a router on a fake clock and keeps every event it produced.
class RouterTest : public ::testing::Test {
 protected:
  RouterTest() : RouterTest(TestCatalog()) {}
  explicit RouterTest(const Catalog& catalog)
      : router_(std::move(Router::Create(catalog, now_)).value()) {}
  RouterTest(const Catalog& catalog, Timestamp start)
      : now_(start), router_(std::move(Router::Create(catalog, now_)).value()) {}

  void Advance(Duration by) {
    now_ += by;
    router_->AdvanceTo(now_, events_);
  }

  absl::StatusOr<CommandResult> Try(const Command& command) {
    return router_->Handle(command, now_, events_);
  }

  CommandResult Do(const Command& command) {
    absl::StatusOr<CommandResult> result = Try(command);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.value_or(CommandResult{});
  }

  ContactId Create(const std::string& external_id, const QueueId& queue = kBilling,
                   std::vector<SkillLevel> skills = {}, Channel channel = Channel::kVoice,
                   std::optional<int> priority = std::nullopt, const TenantId& tenant = kAcme) {
    CreateContact create{.details = {.tenant = tenant,
                                     .external_id = external_id,
                                     .origin = "test-gateway",
                                     .channel = channel,
                                     .required_skills = std::move(skills)},
                         .queue = queue,
                         .priority = priority};
    return Do(create).contact;
  }

  void Ready(const AgentId& agent) {
    Do(SetAgentState{.agent = agent, .presence = AgentPresence::kReady});
  }

  /// The agents offered contacts since the last call, in order, as "agent:contact".
  std::vector<std::string> TakeOffers() {
    std::vector<std::string> offers;
    for (const Event& event : events_) {
      if (const auto* offer = std::get_if<OfferMade>(&event.body)) {
        offers.push_back(offer->agent.value() + ":" + std::to_string(offer->contact.value()));
      }
    }
    events_.clear();
    return offers;
  }

  template <typename T>
  std::vector<T> EventsOf() const {
    std::vector<T> found;
    for (const Event& event : events_) {
      if (const auto* body = std::get_if<T>(&event.body)) found.push_back(*body);
    }
    return found;
  }

  std::string Offer(const AgentId& agent, ContactId contact) {
    return agent.value() + ":" + std::to_string(contact.value());
  }

  ContactState StateOf(ContactId id) { return router_->FindContact(id).value().state; }

  Timestamp now_{seconds(1'000'000)};
  std::unique_ptr<Router> router_;
  std::vector<Event> events_;
};

}  // namespace acd::routing::scenario
