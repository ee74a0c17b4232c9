// The daemon's services in-process on 127.0.0.1 port 0, driven by real gRPC clients.

#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

#include "daemon/sqlite_store.h"
#include "tests/integration/services_fixture.h"

namespace acd::integration {
namespace {

using ::testing::HasSubstr;
TEST_F(RoutingServicesTest, OneContactTravelsFromGatewayToAgentAndBack) {
  OpenStream<v1::AgentEvent> alice = AgentStream("t-alice");
  OpenStream<v1::ContactEvent> gateway = GatewayWatch("t-gateway");
  ASSERT_TRUE(SetReady("t-alice").ok());

  v1::CreateContactResponse created;
  ASSERT_TRUE(Create("t-gateway", "call-1", "acme.billing", created, 5).ok());
  EXPECT_TRUE(created.created());
  const std::string id = created.contact().contact_id();

  const v1::AgentEvent offer =
      alice.ReadUntil([](const v1::AgentEvent& event) { return event.has_offer(); });
  EXPECT_EQ(offer.offer().contact().contact_id(), id);
  EXPECT_EQ(offer.offer().contact().external_id(), "call-1");
  EXPECT_GT(offer.sequence(), 0u);

  ASSERT_TRUE(Accept("t-alice", id).ok());
  const v1::ContactEvent assigned =
      gateway.ReadUntil([](const v1::ContactEvent& event) { return event.has_assigned(); });
  EXPECT_EQ(assigned.contact_id(), id);
  EXPECT_EQ(assigned.external_id(), "call-1");
  EXPECT_EQ(assigned.assigned().agent_id(), "alice");
  EXPECT_EQ(assigned.assigned().agent_display_name(), "Alice");

  v1::CompleteContactRequest complete;
  complete.set_contact_id(id);
  v1::CompleteContactResponse completed_call;
  ASSERT_TRUE(desk_->CompleteContact(Call("t-alice").get(), complete, &completed_call).ok());
  EXPECT_EQ(completed_call.contact().state(), v1::CONTACT_STATE_WRAP_UP);

  v1::SubmitWrapUpRequest wrap_up;
  wrap_up.set_contact_id(id);
  wrap_up.set_disposition_code("resolved");
  wrap_up.set_notes("customer happy");
  v1::SubmitWrapUpResponse wrapped;
  ASSERT_TRUE(desk_->SubmitWrapUp(Call("t-alice").get(), wrap_up, &wrapped).ok());
  EXPECT_EQ(wrapped.contact().state(), v1::CONTACT_STATE_COMPLETED);

  const v1::ContactEvent done =
      gateway.ReadUntil([](const v1::ContactEvent& event) { return event.has_completed(); });
  EXPECT_EQ(done.completed().disposition_code(), "resolved");
  EXPECT_GT(done.sequence(), assigned.sequence());

  const v1::AgentEvent agent_done =
      alice.ReadUntil([](const v1::AgentEvent& event) { return event.has_completed(); });
  EXPECT_GT(agent_done.sequence(), offer.sequence());

  v1::ListAgentsResponse agents;
  ASSERT_TRUE(
      supervision_->ListAgents(Call("t-lead").get(), v1::ListAgentsRequest(), &agents).ok());
  ASSERT_EQ(agents.agents_size(), 2);
  EXPECT_EQ(agents.agents(0).agent_id(), "alice");
  EXPECT_EQ(agents.agents(0).state(), v1::AGENT_STATE_READY);
  EXPECT_TRUE(agents.agents(0).connected());
  EXPECT_EQ(agents.agents(0).contact_ids_size(), 0);
}

TEST_F(RoutingServicesTest, RetriedCreateReturnsTheSameContact) {
  v1::CreateContactResponse first;
  v1::CreateContactResponse again;
  ASSERT_TRUE(Create("t-gateway", "call-1", "acme.billing", first).ok());
  ASSERT_TRUE(Create("t-gateway", "call-1", "acme.billing", again).ok());
  EXPECT_TRUE(first.created());
  EXPECT_FALSE(again.created());
  EXPECT_EQ(first.contact().contact_id(), again.contact().contact_id());

  v1::ListQueuesResponse queues;
  ASSERT_TRUE(
      supervision_->ListQueues(Call("t-lead").get(), v1::ListQueuesRequest(), &queues).ok());
  ASSERT_EQ(queues.queues_size(), 3);
  EXPECT_EQ(queues.queues(0).queue_id(), "acme.billing");
  EXPECT_EQ(queues.queues(0).waiting(), 1);
  EXPECT_EQ(queues.queues(0).kpis().window(), v1::KPI_WINDOW_TODAY);
  EXPECT_EQ(queues.queues(0).kpis().offered(), 1) << "the retry is not a second arrival";
  EXPECT_EQ(queues.tenant_kpis().offered(), 1);

  v1::ListQueuesRequest last_15;
  last_15.set_kpi_window(v1::KPI_WINDOW_LAST_15_MINUTES);
  ASSERT_TRUE(supervision_->ListQueues(Call("t-lead").get(), last_15, &queues).ok());
  EXPECT_EQ(queues.queues(0).kpis().window(), v1::KPI_WINDOW_LAST_15_MINUTES);
  EXPECT_EQ(queues.queues(0).kpis().offered(), 1);
  v1::ListQueuesRequest bad_window;
  bad_window.set_kpi_window(static_cast<v1::KpiWindow>(42));
  EXPECT_EQ(supervision_->ListQueues(Call("t-lead").get(), bad_window, &queues).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(RoutingServicesTest, ScheduledClosedAndFullQueuesAnswerAsTheContractSays) {
  v1::CreateContactRequest email;
  email.set_external_id("mail-1");
  email.set_queue_id("acme.email");
  email.set_channel(v1::CHANNEL_EMAIL);
  email.mutable_not_before()->set_seconds(
      std::chrono::duration_cast<std::chrono::seconds>(
          (std::chrono::system_clock::now() + std::chrono::hours(1)).time_since_epoch())
          .count());
  v1::CreateContactResponse scheduled;
  ASSERT_TRUE(intake_->CreateContact(Call("t-gateway").get(), email, &scheduled).ok());
  EXPECT_EQ(scheduled.contact().state(), v1::CONTACT_STATE_SCHEDULED);
  EXPECT_EQ(scheduled.contact().not_before().seconds(), email.not_before().seconds());

  v1::CreateContactRequest call = email;
  call.set_external_id("call-later");
  call.set_channel(v1::CHANNEL_VOICE);
  v1::CreateContactResponse refused;
  grpc::Status live = intake_->CreateContact(Call("t-gateway").get(), call, &refused);
  EXPECT_EQ(live.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(live.error_message(), HasSubstr("live channels"));

  v1::CreateContactRequest bad_time = email;
  bad_time.set_external_id("mail-bad-time");
  bad_time.mutable_not_before()->set_nanos(-1);
  EXPECT_EQ(intake_->CreateContact(Call("t-gateway").get(), bad_time, &refused).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  grpc::Status closed = Create("t-gateway", "call-closed", "acme.never", refused);
  EXPECT_EQ(closed.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(closed.error_message(), HasSubstr("'acme.never' is closed"));

  v1::CreateContactResponse created;
  ASSERT_TRUE(Create("t-gateway", "call-1", "acme.email", created).ok()) << "the one place";
  grpc::Status full = Create("t-gateway", "call-2", "acme.email", refused);
  EXPECT_EQ(full.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(full.error_message(), HasSubstr("'acme.email' is full"));
}

TEST_F(RoutingServicesTest, CallersWithoutTheRightTokenAreTurnedAway) {
  v1::CreateContactResponse created;
  grpc::Status no_token = Create("", "call-1", "acme.billing", created);
  EXPECT_EQ(no_token.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  grpc::Status unknown = Create("t-nope", "call-1", "acme.billing", created);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  grpc::Status agent = Create("t-alice", "call-1", "acme.billing", created);
  EXPECT_EQ(agent.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(agent.error_message(), HasSubstr("agent"));

  v1::ListAgentsResponse agents;
  EXPECT_EQ(supervision_->ListAgents(Call("t-gateway").get(), v1::ListAgentsRequest(), &agents)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(RoutingServicesTest, BadInputGetsACanonicalStatusNamingTheProblem) {
  v1::CreateContactResponse created;
  grpc::Status unknown_queue = Create("t-gateway", "call-1", "acme.nope", created);
  EXPECT_EQ(unknown_queue.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(unknown_queue.error_message(), HasSubstr("acme.nope"));

  grpc::Status other_tenant = Create("t-globex", "call-1", "acme.billing", created);
  EXPECT_EQ(other_tenant.error_code(), grpc::StatusCode::NOT_FOUND);

  v1::CreateContactRequest no_channel;
  no_channel.set_external_id("call-2");
  no_channel.set_queue_id("acme.billing");
  grpc::Status missing_channel =
      intake_->CreateContact(Call("t-gateway").get(), no_channel, &created);
  EXPECT_EQ(missing_channel.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(missing_channel.error_message(), HasSubstr("channel"));

  v1::CreateContactRequest huge = no_channel;
  huge.set_channel(v1::CHANNEL_VOICE);
  huge.set_external_id(std::string(10'000, 'x'));
  grpc::Status too_long = intake_->CreateContact(Call("t-gateway").get(), huge, &created);
  EXPECT_EQ(too_long.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(too_long.error_message(), HasSubstr("external_id"));

  grpc::Status bad_id = Accept("t-alice", "not-a-number");
  EXPECT_EQ(bad_id.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad_id.error_message(), HasSubstr("contact_id"));

  v1::SetStateRequest no_state;
  v1::SetStateResponse state;
  EXPECT_EQ(desk_->SetState(Call("t-alice").get(), no_state, &state).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(RoutingServicesTest, OnlyTheOfferedAgentMayAcceptAndOtherTenantsSeeNothing) {
  ASSERT_TRUE(SetReady("t-alice").ok());
  v1::CreateContactResponse created;
  ASSERT_TRUE(Create("t-gateway", "call-1", "acme.billing", created).ok());
  const std::string id = created.contact().contact_id();
  ASSERT_EQ(created.contact().agent_id(), "alice");

  grpc::Status stolen = Accept("t-bob", id);
  EXPECT_EQ(stolen.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(stolen.error_message(), HasSubstr("not held by you"));
  EXPECT_EQ(Accept("t-alice", "999").error_code(), grpc::StatusCode::NOT_FOUND);

  v1::GetContactRequest get;
  get.set_contact_id(id);
  v1::GetContactResponse seen;
  EXPECT_EQ(intake_->GetContact(Call("t-globex").get(), get, &seen).error_code(),
            grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(intake_->GetContact(Call("t-gateway").get(), get, &seen).ok());
  EXPECT_EQ(seen.contact().state(), v1::CONTACT_STATE_OFFERED);
}

TEST_F(RoutingServicesTest, CancelRescindsTheOfferOnTheAgentsStream) {
  OpenStream<v1::AgentEvent> alice = AgentStream("t-alice");
  ASSERT_TRUE(SetReady("t-alice").ok());
  v1::CreateContactResponse created;
  ASSERT_TRUE(Create("t-gateway", "call-1", "acme.billing", created).ok());
  v1::CancelContactRequest cancel;
  cancel.set_contact_id(created.contact().contact_id());
  cancel.set_reason("caller hung up");
  v1::CancelContactResponse cancelled;
  ASSERT_TRUE(intake_->CancelContact(Call("t-gateway").get(), cancel, &cancelled).ok());
  EXPECT_EQ(cancelled.contact().state(), v1::CONTACT_STATE_ABANDONED);
  const v1::AgentEvent rescinded =
      alice.ReadUntil([](const v1::AgentEvent& event) { return event.has_offer_rescinded(); });
  EXPECT_EQ(rescinded.offer_rescinded().reason(), v1::OFFER_RESCIND_REASON_ABANDONED);
}

TEST_F(RoutingServicesTest, WatchingAnUnknownContactIsNotFound) {
  auto context = Call("t-gateway");
  v1::WatchContactsRequest request;
  request.add_contact_ids("42");
  auto reader = intake_->WatchContacts(context.get(), request);
  v1::ContactEvent event;
  EXPECT_FALSE(reader->Read(&event));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(RoutingServicesTest, AGatewayIsToldWhereItsWaitingContactsStand) {
  // Nobody is ready: both calls wait, in this order.
  v1::CreateContactResponse first, second;
  ASSERT_TRUE(Create("t-gateway", "call-1", "acme.billing", first).ok());
  ASSERT_TRUE(Create("t-gateway", "call-2", "acme.billing", second).ok());
  OpenStream<v1::ContactEvent> watch{Call("t-gateway"), nullptr};
  v1::WatchContactsRequest request;
  request.set_wait_updates(true);
  watch.reader = intake_->WatchContacts(watch.context.get(), request);

  std::map<std::string, int> positions;
  v1::ContactEvent event;
  while (positions.size() < 2 && watch.reader->Read(&event)) {
    ASSERT_TRUE(event.has_wait_updated()) << event.DebugString();
    EXPECT_EQ(event.sequence(), 0u) << "live only, outside the gateway's sequence";
    positions[event.external_id()] = event.wait_updated().queue_position();
  }
  EXPECT_EQ(positions["call-1"], 1);
  EXPECT_EQ(positions["call-2"], 2);

  // The first caller hangs up: the second moves up, and is told so.
  v1::CancelContactRequest cancel;
  cancel.set_contact_id(first.contact().contact_id());
  v1::CancelContactResponse cancelled;
  ASSERT_TRUE(intake_->CancelContact(Call("t-gateway").get(), cancel, &cancelled).ok());
  const v1::ContactEvent moved_up = watch.ReadUntil([](const v1::ContactEvent& update) {
    return update.has_wait_updated() && update.external_id() == "call-2";
  });
  EXPECT_EQ(moved_up.wait_updated().queue_position(), 1);
}

TEST_F(RoutingServicesTest, ARestartRecoversEveryAcknowledgedChangeFromTheJournal) {
  v1::CreateContactResponse first, second, third;
  ASSERT_TRUE(Create("t-gateway", "call-1", "acme.billing", first, 5).ok());
  ASSERT_TRUE(Create("t-gateway", "call-2", "acme.billing", second, 5).ok());
  ASSERT_TRUE(Create("t-gateway", "call-3", "acme.billing", third, 1).ok());
  const std::string id1 = first.contact().contact_id();
  const std::string id2 = second.contact().contact_id();
  const std::string id3 = third.contact().contact_id();
  std::uint64_t alice_sequence = 0;
  {
    OpenStream<v1::AgentEvent> alice = AgentStream("t-alice");
    ASSERT_TRUE(SetReady("t-alice").ok());
    ASSERT_TRUE(Accept("t-alice", id1).ok());
    alice_sequence =
        alice.ReadUntil([](const v1::AgentEvent& event) { return event.has_assigned(); })
            .sequence();
    alice.context->TryCancel();
  }
  ASSERT_TRUE(SetReady("t-bob").ok());  // Bob may only take call-3: offered, not answered.
  ASSERT_EQ(Get(id3).state(), v1::CONTACT_STATE_OFFERED);
  const v1::Contact waiting_before = Get(id2);
  ASSERT_EQ(waiting_before.state(), v1::CONTACT_STATE_QUEUED);
  v1::ListQueuesRequest kpi_request;
  v1::ListQueuesResponse kpis_before;
  ASSERT_TRUE(supervision_->ListQueues(Call("t-lead").get(), kpi_request, &kpis_before).ok());

  Restart();

  const v1::Contact connected = Get(id1);
  EXPECT_EQ(connected.state(), v1::CONTACT_STATE_CONNECTED);
  EXPECT_EQ(connected.agent_id(), "alice");
  const v1::Contact waiting_after = Get(id2);
  EXPECT_EQ(waiting_after.state(), v1::CONTACT_STATE_QUEUED);
  EXPECT_EQ(waiting_after.queue_position(), waiting_before.queue_position());
  EXPECT_EQ(waiting_after.virtual_start_at().seconds(),
            waiting_before.virtual_start_at().seconds());
  EXPECT_EQ(waiting_after.virtual_start_at().nanos(), waiting_before.virtual_start_at().nanos());
  // The offer in flight went back to the queue; Bob, still ready, is its only candidate again.
  const v1::Contact reoffered = Get(id3);
  EXPECT_EQ(reoffered.state(), v1::CONTACT_STATE_OFFERED);
  EXPECT_EQ(reoffered.agent_id(), "bob");

  // Today's counts came back: the queue has offered and answered what it had before.
  v1::ListQueuesResponse kpis_after;
  ASSERT_TRUE(supervision_->ListQueues(Call("t-lead").get(), kpi_request, &kpis_after).ok());
  ASSERT_EQ(kpis_after.queues_size(), kpis_before.queues_size());
  for (int q = 0; q < kpis_after.queues_size(); ++q) {
    EXPECT_EQ(kpis_after.queues(q).kpis().answered(), kpis_before.queues(q).kpis().answered())
        << kpis_after.queues(q).queue_id();
    EXPECT_GE(kpis_after.queues(q).kpis().offered(), kpis_before.queues(q).kpis().offered())
        << kpis_after.queues(q).queue_id();
  }

  // A retried create still finds its contact: nothing is created twice across a restart.
  v1::CreateContactResponse retried;
  ASSERT_TRUE(Create("t-gateway", "call-2", "acme.billing", retried, 5).ok());
  EXPECT_FALSE(retried.created());
  EXPECT_EQ(retried.contact().contact_id(), id2);
  v1::CreateContactResponse fourth;
  ASSERT_TRUE(Create("t-gateway", "call-4", "acme.billing", fourth).ok());
  EXPECT_GT(std::stoull(fourth.contact().contact_id()), std::stoull(id3));

  // Alice's stream numbers on from where it was.
  OpenStream<v1::AgentEvent> alice = AgentStream("t-alice");
  v1::CompleteContactRequest complete;
  complete.set_contact_id(id1);
  v1::CompleteContactResponse completed;
  ASSERT_TRUE(desk_->CompleteContact(Call("t-alice").get(), complete, &completed).ok());
  const v1::AgentEvent wrap_up =
      alice.ReadUntil([](const v1::AgentEvent& event) { return event.has_wrap_up_started(); });
  EXPECT_GT(wrap_up.sequence(), alice_sequence);
}

TEST_F(RoutingServicesTest, WhileStorageFailsChangesAreRefusedAndReadsServed) {
  v1::CreateContactResponse first;
  ASSERT_TRUE(Create("t-gateway", "call-1", "acme.billing", first).ok());

  // Another process takes the store's write lock: the daemon's next write cannot commit.
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open((data_dir_ / daemon::SqliteStore::kFileName).c_str(), &other), SQLITE_OK);
  // The daemon may hold the file for a moment (a commit, a checkpoint): wait for it rather
  // than fail.
  ASSERT_EQ(sqlite3_busy_timeout(other, 20'000), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  v1::CreateContactResponse refused;
  const grpc::Status failed = Create("t-gateway", "call-2", "acme.billing", refused);
  EXPECT_EQ(failed.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(failed.error_message(), HasSubstr("locked"));
  const grpc::Status refused_up_front = Create("t-gateway", "call-3", "acme.billing", refused);
  EXPECT_EQ(refused_up_front.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(refused_up_front.error_message(), HasSubstr("storage fails"));
  EXPECT_EQ(Get(first.contact().contact_id()).state(), v1::CONTACT_STATE_QUEUED);

  // The lock goes; the daemon's retries get through, and the gateway's retry of call-2 finds the
  // contact its first attempt made rather than making another.
  ASSERT_EQ(sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);
  v1::CreateContactResponse retried;
  grpc::Status status;
  const auto deadline = std::chrono::steady_clock::now() + kDeadline;
  do {
    status = Create("t-gateway", "call-2", "acme.billing", retried);
  } while (status.error_code() == grpc::StatusCode::UNAVAILABLE &&
           std::chrono::steady_clock::now() < deadline);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(retried.created());

  Restart();
  EXPECT_EQ(Get(retried.contact().contact_id()).state(), v1::CONTACT_STATE_QUEUED);
}

TEST_F(RoutingServicesTest, AnAgentReadsTheCustomersPastInteractionsNewestFirst) {
  const auto create_for_customer = [&](const std::string& external_id) {
    v1::CreateContactRequest request;
    request.set_external_id(external_id);
    request.set_queue_id("acme.billing");
    request.set_channel(v1::CHANNEL_VOICE);
    request.mutable_customer()->set_id("cust-9");
    request.mutable_customer()->set_display_name("Maria");
    v1::CreateContactResponse response;
    EXPECT_TRUE(intake_->CreateContact(Call("t-gateway").get(), request, &response).ok());
    return response.contact().contact_id();
  };
  const auto history = [&](const std::string& token, const std::string& contact, int page_size,
                           const std::string& page_token, v1::GetCustomerHistoryResponse& out) {
    v1::GetCustomerHistoryRequest request;
    request.set_contact_id(contact);
    request.set_page_size(page_size);
    request.set_page_token(page_token);
    return desk_->GetCustomerHistory(Call(token).get(), request, &out);
  };

  ASSERT_TRUE(SetReady("t-alice").ok());
  const std::string first = create_for_customer("call-1");
  HandleThroughWrapUp("t-alice", first, "resolved", "first call");
  const std::string second = create_for_customer("call-2");
  HandleThroughWrapUp("t-alice", second, "resolved", "refund promised");
  const std::string current = create_for_customer("call-3");
  ASSERT_EQ(Get(current).state(), v1::CONTACT_STATE_OFFERED);
  // The post-call survey of the second call.
  v1::RecordSurveyRequest survey;
  survey.set_contact_id(second);
  survey.set_score(4);
  survey.set_comment("sorted it out quickly");
  v1::RecordSurveyResponse surveyed;
  ASSERT_TRUE(intake_->RecordSurvey(Call("t-gateway").get(), survey, &surveyed).ok());
  EXPECT_EQ(surveyed.contact_id(), second);
  EXPECT_EQ(intake_->RecordSurvey(Call("t-gateway").get(), survey, &surveyed).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  survey.set_contact_id(current);
  EXPECT_EQ(intake_->RecordSurvey(Call("t-gateway").get(), survey, &surveyed).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION)
      << "the third call has not reached alice yet";
  Restart();  // The records are on disk, not in memory.
  ASSERT_TRUE(SetReady("t-alice").ok());
  ASSERT_EQ(Get(current).agent_id(), "alice");

  v1::GetCustomerHistoryResponse page;
  ASSERT_TRUE(history("t-alice", current, 1, "", page).ok());
  EXPECT_EQ(page.customer().id(), "cust-9");
  ASSERT_EQ(page.interactions_size(), 1);
  const v1::InteractionSummary& newest = page.interactions(0);
  EXPECT_EQ(newest.contact_id(), second);
  EXPECT_EQ(newest.outcome(), v1::CONTACT_STATE_COMPLETED);
  EXPECT_EQ(newest.agent_id(), "alice");
  EXPECT_EQ(newest.agent_display_name(), "Alice");
  EXPECT_EQ(newest.disposition_code(), "resolved");
  EXPECT_EQ(newest.notes(), "refund promised");
  EXPECT_EQ(newest.external_id(), "call-2");
  EXPECT_EQ(newest.customer().display_name(), "Maria");
  EXPECT_TRUE(newest.has_talk_time());
  EXPECT_EQ(newest.csat_score(), 4);
  ASSERT_FALSE(page.next_page_token().empty());

  v1::GetCustomerHistoryResponse last;
  ASSERT_TRUE(history("t-alice", current, 1, page.next_page_token(), last).ok());
  ASSERT_EQ(last.interactions_size(), 1);
  EXPECT_EQ(last.interactions(0).contact_id(), first);
  EXPECT_EQ(last.interactions(0).notes(), "first call");
  EXPECT_EQ(last.interactions(0).csat_score(), 0);
  v1::ListQueuesResponse queues;
  ASSERT_TRUE(
      supervision_->ListQueues(Call("t-lead").get(), v1::ListQueuesRequest(), &queues).ok());
  EXPECT_EQ(queues.tenant_kpis().csat_responses(), 1);
  EXPECT_DOUBLE_EQ(queues.tenant_kpis().csat(), 4.0);
  EXPECT_TRUE(last.next_page_token().empty());

  v1::GetCustomerHistoryResponse refused;
  EXPECT_EQ(history("t-bob", current, 0, "", refused).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(history("t-alice", current, -1, "", refused).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(history("t-alice", current, 0, "not-a-token", refused).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(RoutingServicesTest, OffersCarryTheCustomersRecentInteractionsAcrossARestart) {
  const auto create_for = [&](const std::string& customer, const std::string& external_id) {
    v1::CreateContactRequest request;
    request.set_external_id(external_id);
    request.set_queue_id("acme.billing");
    request.set_channel(v1::CHANNEL_VOICE);
    request.mutable_customer()->set_id(customer);
    v1::CreateContactResponse response;
    EXPECT_TRUE(intake_->CreateContact(Call("t-gateway").get(), request, &response).ok());
    return response.contact().contact_id();
  };
  const auto next_offer = [](OpenStream<v1::AgentEvent>& stream) {
    return stream.ReadUntil([](const v1::AgentEvent& event) { return event.has_offer(); }).offer();
  };

  OpenStream<v1::AgentEvent> alice = AgentStream("t-alice");
  ASSERT_TRUE(SetReady("t-alice").ok());
  const std::string first = create_for("cust-7", "call-1");
  EXPECT_EQ(next_offer(alice).customer_history_size(), 0) << "a new customer has no history";
  HandleThroughWrapUp("t-alice", first, "resolved", "first call");
  v1::RecordSurveyRequest survey;
  survey.set_contact_id(first);
  survey.set_score(5);
  v1::RecordSurveyResponse surveyed;
  ASSERT_TRUE(intake_->RecordSurvey(Call("t-gateway").get(), survey, &surveyed).ok());

  const std::string second = create_for("cust-7", "call-2");
  const v1::Offer offer = next_offer(alice);
  ASSERT_EQ(offer.contact().contact_id(), second);
  ASSERT_EQ(offer.customer_history_size(), 1);
  const v1::InteractionSummary& past = offer.customer_history(0);
  EXPECT_EQ(past.contact_id(), first);
  EXPECT_EQ(past.outcome(), v1::CONTACT_STATE_COMPLETED);
  EXPECT_EQ(past.agent_display_name(), "Alice");
  EXPECT_EQ(past.disposition_code(), "resolved");
  EXPECT_EQ(past.notes(), "first call");
  EXPECT_EQ(past.csat_score(), 5);
  HandleThroughWrapUp("t-alice", second, "refund", "refund promised");
  const std::string other = create_for("cust-8", "call-8");
  ASSERT_EQ(next_offer(alice).contact().contact_id(), other);
  HandleThroughWrapUp("t-alice", other, "resolved", "address changed");

  // A third call waits through the restart; the next start loads its customer's history.
  v1::SetStateRequest on_break;
  on_break.set_state(v1::AGENT_STATE_NOT_READY);
  v1::SetStateResponse state;
  ASSERT_TRUE(desk_->SetState(Call("t-alice").get(), on_break, &state).ok());
  const std::string third = create_for("cust-7", "call-3");
  alice.context->TryCancel();
  Restart();

  alice = AgentStream("t-alice");
  ASSERT_TRUE(SetReady("t-alice").ok());
  const v1::Offer after_restart = next_offer(alice);
  ASSERT_EQ(after_restart.contact().contact_id(), third);
  ASSERT_EQ(after_restart.customer_history_size(), 2);
  EXPECT_EQ(after_restart.customer_history(0).contact_id(), second);
  EXPECT_EQ(after_restart.customer_history(0).notes(), "refund promised");
  EXPECT_EQ(after_restart.customer_history(1).contact_id(), first);
  EXPECT_EQ(after_restart.customer_history(1).csat_score(), 5);
  HandleThroughWrapUp("t-alice", third, "resolved");

  // A customer first seen since the start: read from the store before the contact is created.
  const std::string returning = create_for("cust-8", "call-9");
  const v1::Offer read_back = next_offer(alice);
  ASSERT_EQ(read_back.contact().contact_id(), returning);
  ASSERT_EQ(read_back.customer_history_size(), 1);
  EXPECT_EQ(read_back.customer_history(0).contact_id(), other);
  EXPECT_EQ(read_back.customer_history(0).notes(), "address changed");
  EXPECT_EQ(read_back.customer_history(0).agent_display_name(), "Alice");
}

TEST_F(RoutingServicesTest, AgentsTransferEscalateAndScheduleFollowUps) {
  v1::CreateContactResponse created;
  ASSERT_TRUE(Create("t-gateway", "call-1", "acme.billing", created).ok());
  const std::string id = created.contact().contact_id();
  ASSERT_TRUE(SetReady("t-alice").ok());
  ASSERT_TRUE(Accept("t-alice", id).ok());

  // Alice hands the call to Bob by name (logged in, on a break): it waits for him alone.
  v1::SetStateRequest on_break;
  on_break.set_state(v1::AGENT_STATE_NOT_READY);
  v1::SetStateResponse state;
  ASSERT_TRUE(desk_->SetState(Call("t-bob").get(), on_break, &state).ok());
  v1::TransferContactRequest transfer;
  transfer.set_contact_id(id);
  transfer.set_reason("specialist");
  transfer.set_notes("wants a refund");
  v1::TransferContactResponse transferred;
  EXPECT_EQ(desk_->TransferContact(Call("t-alice").get(), transfer, &transferred).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT)
      << "no target";
  transfer.set_agent_id("alice");
  EXPECT_EQ(desk_->TransferContact(Call("t-alice").get(), transfer, &transferred).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT)
      << "to herself";
  transfer.set_agent_id("bob");
  const grpc::Status handed = desk_->TransferContact(Call("t-alice").get(), transfer, &transferred);
  ASSERT_TRUE(handed.ok()) << handed.error_message();
  EXPECT_EQ(transferred.contact().state(), v1::CONTACT_STATE_QUEUED);
  EXPECT_EQ(transferred.contact().pinned_agent_id(), "bob");
  ASSERT_TRUE(SetReady("t-bob").ok());
  ASSERT_EQ(Get(id).agent_id(), "bob");
  ASSERT_TRUE(Accept("t-bob", id).ok());

  // Bob asks a supervisor for help: the contact stays with him.
  v1::EscalateContactRequest escalate;
  escalate.set_contact_id(id);
  escalate.mutable_supervisor()->set_supervisor("acme-lead");
  v1::EscalateContactResponse escalated;
  EXPECT_EQ(desk_->EscalateContact(Call("t-bob").get(), escalate, &escalated).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT)
      << "no reason";
  escalate.set_reason("angry customer");
  escalate.mutable_supervisor()->set_supervisor("nobody");
  EXPECT_EQ(desk_->EscalateContact(Call("t-bob").get(), escalate, &escalated).error_code(),
            grpc::StatusCode::NOT_FOUND);
  escalate.mutable_supervisor()->set_supervisor("acme-lead");
  ASSERT_TRUE(desk_->EscalateContact(Call("t-bob").get(), escalate, &escalated).ok());
  EXPECT_EQ(escalated.escalation().contact_id(), id);
  EXPECT_EQ(escalated.escalation().status(), v1::ESCALATION_STATUS_OPEN);
  EXPECT_EQ(escalated.contact().agent_id(), "bob");
  EXPECT_EQ(desk_->EscalateContact(Call("t-bob").get(), escalate, &escalated).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);

  // A follow-up by e-mail tomorrow, then the call moves to the e-mail queue.
  v1::ScheduleFollowUpRequest follow_up;
  follow_up.set_contact_id(id);
  follow_up.set_queue_id("acme.email");
  follow_up.set_channel(v1::CHANNEL_EMAIL);
  follow_up.set_notes("send the refund form");
  v1::ScheduleFollowUpResponse scheduled;
  EXPECT_EQ(desk_->ScheduleFollowUp(Call("t-bob").get(), follow_up, &scheduled).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT)
      << "no not_before";
  follow_up.mutable_not_before()->set_seconds(
      std::chrono::duration_cast<std::chrono::seconds>(
          (std::chrono::system_clock::now() + std::chrono::hours(24)).time_since_epoch())
          .count());
  ASSERT_TRUE(desk_->ScheduleFollowUp(Call("t-bob").get(), follow_up, &scheduled).ok());
  EXPECT_EQ(scheduled.follow_up().state(), v1::CONTACT_STATE_SCHEDULED);
  EXPECT_EQ(scheduled.follow_up().follow_up_of_contact_id(), id);
  EXPECT_EQ(scheduled.follow_up().queue_id(), "acme.email");
  EXPECT_EQ(scheduled.follow_up().channel(), v1::CHANNEL_EMAIL);

  transfer.set_queue_id("acme.email");
  ASSERT_TRUE(desk_->TransferContact(Call("t-bob").get(), transfer, &transferred).ok());
  EXPECT_EQ(transferred.contact().queue_id(), "acme.email");
  EXPECT_EQ(transferred.contact().state(), v1::CONTACT_STATE_QUEUED);
  EXPECT_EQ(desk_->TransferContact(Call("t-bob").get(), transfer, &transferred).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION)
      << "no longer his";
}

TEST_F(RoutingServicesTest, SupervisorsReadDecisionsResolveEscalationsAndForceStates) {
  v1::CreateContactResponse created;
  ASSERT_TRUE(Create("t-gateway", "call-1", "acme.billing", created, 5).ok());
  const std::string id = created.contact().contact_id();
  ASSERT_TRUE(SetReady("t-alice").ok());

  // Why alice got it, and why bob did not.
  v1::ExplainDecisionRequest explain;
  explain.set_contact_id(id);
  v1::ExplainDecisionResponse explained;
  ASSERT_TRUE(supervision_->ExplainDecision(Call("t-lead").get(), explain, &explained).ok());
  ASSERT_EQ(explained.decisions_size(), 1);
  const v1::DecisionTrace& decision = explained.decisions(0);
  EXPECT_EQ(decision.chosen_agent_id(), "alice");
  EXPECT_EQ(decision.queue_id(), "acme.billing");
  EXPECT_EQ(decision.trigger(), v1::DECISION_TRIGGER_AGENT_AVAILABLE);
  EXPECT_EQ(decision.strategy(), v1::SELECTION_STRATEGY_LONGEST_IDLE);
  ASSERT_EQ(decision.effective_requirements_size(), 1);
  EXPECT_EQ(decision.effective_requirements(0).min_level(), 5);
  explain.set_contact_id("999");
  EXPECT_EQ(supervision_->ExplainDecision(Call("t-lead").get(), explain, &explained).error_code(),
            grpc::StatusCode::NOT_FOUND);
  explain.set_contact_id("x");
  EXPECT_EQ(supervision_->ExplainDecision(Call("t-lead").get(), explain, &explained).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  // Alice asks for help; a supervisor finds the escalation and resolves it.
  ASSERT_TRUE(Accept("t-alice", id).ok());
  v1::EscalateContactRequest escalate;
  escalate.set_contact_id(id);
  escalate.set_reason("refund over limit");
  escalate.mutable_supervisor();
  v1::EscalateContactResponse escalated;
  ASSERT_TRUE(desk_->EscalateContact(Call("t-alice").get(), escalate, &escalated).ok());
  v1::ListEscalationsRequest list;
  list.set_status(v1::ESCALATION_STATUS_OPEN);
  v1::ListEscalationsResponse open;
  ASSERT_TRUE(supervision_->ListEscalations(Call("t-lead").get(), list, &open).ok());
  ASSERT_EQ(open.escalations_size(), 1);
  EXPECT_EQ(open.escalations(0).contact_id(), id);
  v1::ResolveEscalationRequest resolve;
  resolve.set_escalation_id(open.escalations(0).escalation_id());
  resolve.set_resolution("approved");
  v1::ResolveEscalationResponse resolved;
  ASSERT_TRUE(supervision_->ResolveEscalation(Call("t-lead").get(), resolve, &resolved).ok());
  EXPECT_EQ(resolved.escalation().status(), v1::ESCALATION_STATUS_RESOLVED);
  EXPECT_EQ(resolved.escalation().resolved_by(), "acme-lead");
  EXPECT_EQ(resolved.escalation().resolution(), "approved");
  EXPECT_EQ(supervision_->ResolveEscalation(Call("t-lead").get(), resolve, &resolved).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::ListEscalationsResponse still_open;
  ASSERT_TRUE(supervision_->ListEscalations(Call("t-lead").get(), list, &still_open).ok());
  EXPECT_EQ(still_open.escalations_size(), 0);
  list.set_status(v1::ESCALATION_STATUS_RESOLVED);
  v1::ListEscalationsResponse done;
  ASSERT_TRUE(supervision_->ListEscalations(Call("t-lead").get(), list, &done).ok());
  EXPECT_EQ(done.escalations_size(), 1);

  // A supervisor puts bob on a break; other tenants' agents are out of reach.
  v1::SetAgentStateRequest force;
  force.set_agent_id("bob");
  force.set_state(v1::AGENT_STATE_NOT_READY);
  force.set_reason_code("meeting");
  v1::SetAgentStateResponse forced;
  ASSERT_TRUE(supervision_->SetAgentState(Call("t-lead").get(), force, &forced).ok());
  EXPECT_EQ(forced.agent().state(), v1::AGENT_STATE_NOT_READY);
  EXPECT_EQ(forced.agent().reason_code(), "meeting");
  force.set_agent_id("nobody");
  EXPECT_EQ(supervision_->SetAgentState(Call("t-lead").get(), force, &forced).error_code(),
            grpc::StatusCode::NOT_FOUND);
  force.set_agent_id("bob");
  EXPECT_EQ(supervision_->SetAgentState(Call("t-alice").get(), force, &forced).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(RoutingServicesTest, StaffingForTheQueuesAsTheyAreAndForWhatIfFigures) {
  v1::GetStaffingRequest request;
  request.add_queue_ids("acme.billing");
  v1::GetStaffingResponse live;
  ASSERT_TRUE(supervision_->GetStaffing(Call("t-lead").get(), request, &live).ok());
  ASSERT_EQ(live.queues_size(), 1);
  EXPECT_FALSE(live.queues(0).available()) << "no traffic yet";

  // 180 calls an hour of 3 minutes, 80% in 20 s, a quarter of paid time off the phones.
  request.set_arrival_rate_per_hour(180);
  request.mutable_aht()->set_seconds(180);
  request.set_service_level_target(0.8);
  request.mutable_service_level_threshold()->set_seconds(20);
  request.set_shrinkage(0.25);
  v1::GetStaffingResponse what_if;
  ASSERT_TRUE(supervision_->GetStaffing(Call("t-lead").get(), request, &what_if).ok());
  ASSERT_EQ(what_if.queues_size(), 1);
  const v1::QueueStaffing& staffing = what_if.queues(0);
  EXPECT_TRUE(staffing.available());
  EXPECT_DOUBLE_EQ(staffing.traffic_erlangs(), 9.0);
  EXPECT_EQ(staffing.agents_required(), 12);
  EXPECT_EQ(staffing.agents_required_with_shrinkage(), 16);
  EXPECT_NEAR(staffing.predicted_service_level(), 0.8094, 1e-4);

  request.set_service_level_target(1.5);
  EXPECT_EQ(supervision_->GetStaffing(Call("t-lead").get(), request, &what_if).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  request.set_service_level_target(0.8);
  request.add_queue_ids("globex.sales");  // Another tenant's.
  EXPECT_EQ(supervision_->GetStaffing(Call("t-lead").get(), request, &what_if).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(RoutingServicesTest, SupervisorsListInteractionsByTimeAndFilter) {
  ASSERT_TRUE(SetReady("t-alice").ok());
  for (const char* disposition : {"resolved", "callback-needed"}) {
    v1::CreateContactResponse created;
    ASSERT_TRUE(
        Create("t-gateway", std::string("call-") + disposition, "acme.billing", created).ok());
    HandleThroughWrapUp("t-alice", created.contact().contact_id(), disposition);
  }
  const auto hour_ago = std::chrono::duration_cast<std::chrono::seconds>(
      (std::chrono::system_clock::now() - std::chrono::hours(1)).time_since_epoch());
  v1::ListInteractionsRequest request;
  request.mutable_start_time()->set_seconds(hour_ago.count());
  request.set_page_size(1);
  v1::ListInteractionsResponse first;
  ASSERT_TRUE(supervision_->ListInteractions(Call("t-lead").get(), request, &first).ok());
  ASSERT_EQ(first.interactions_size(), 1);
  EXPECT_EQ(first.interactions(0).disposition_code(), "callback-needed");  // Newest first.
  EXPECT_EQ(first.interactions(0).agent_display_name(), "Alice");
  ASSERT_FALSE(first.next_page_token().empty());
  request.set_page_token(first.next_page_token());
  v1::ListInteractionsResponse second;
  ASSERT_TRUE(supervision_->ListInteractions(Call("t-lead").get(), request, &second).ok());
  ASSERT_EQ(second.interactions_size(), 1);
  EXPECT_EQ(second.interactions(0).disposition_code(), "resolved");
  EXPECT_TRUE(second.next_page_token().empty());

  request.clear_page_token();
  request.set_page_size(0);
  request.set_disposition_code("resolved");
  v1::ListInteractionsResponse filtered;
  ASSERT_TRUE(supervision_->ListInteractions(Call("t-lead").get(), request, &filtered).ok());
  EXPECT_EQ(filtered.interactions_size(), 1);
  request.clear_disposition_code();
  request.set_agent_id("bob");  // Bob handled nothing.
  v1::ListInteractionsResponse none;
  ASSERT_TRUE(supervision_->ListInteractions(Call("t-lead").get(), request, &none).ok());
  EXPECT_EQ(none.interactions_size(), 0);

  request.set_agent_id("nobody");
  EXPECT_EQ(supervision_->ListInteractions(Call("t-lead").get(), request, &none).error_code(),
            grpc::StatusCode::NOT_FOUND);
  request.clear_agent_id();
  request.mutable_end_time()->set_seconds(hour_ago.count() - 1);
  EXPECT_EQ(supervision_->ListInteractions(Call("t-lead").get(), request, &none).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  request.mutable_end_time()->set_seconds(hour_ago.count() + 32 * 24 * 3600);
  EXPECT_EQ(supervision_->ListInteractions(Call("t-lead").get(), request, &none).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  request.clear_start_time();
  EXPECT_EQ(supervision_->ListInteractions(Call("t-lead").get(), request, &none).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(RoutingServicesTest, SupervisorsListLiveContactsInRoutingOrder) {
  std::vector<std::string> ids;
  for (const auto& [external_id, priority] :
       std::vector<std::pair<std::string, int>>{{"low", 0}, {"high", 9}, {"mid", 5}}) {
    v1::CreateContactRequest request;
    request.set_external_id(external_id);
    request.set_queue_id("acme.billing");
    request.set_channel(v1::CHANNEL_VOICE);
    request.set_priority(priority);
    v1::CreateContactResponse created;
    ASSERT_TRUE(intake_->CreateContact(Call("t-gateway").get(), request, &created).ok());
    ids.push_back(created.contact().contact_id());
  }
  ASSERT_TRUE(SetReady("t-alice").ok());  // Takes the high one.

  v1::ListContactsRequest request;
  v1::ListContactsResponse listed;
  ASSERT_TRUE(supervision_->ListContacts(Call("t-lead").get(), request, &listed).ok());
  ASSERT_EQ(listed.contacts_size(), 3);
  EXPECT_EQ(listed.contacts(0).external_id(), "mid");  // Waiting, in routing order...
  EXPECT_EQ(listed.contacts(1).external_id(), "low");
  EXPECT_EQ(listed.contacts(2).external_id(), "high");  // ...then the others.
  EXPECT_EQ(listed.contacts(2).state(), v1::CONTACT_STATE_OFFERED);

  request.add_states(v1::CONTACT_STATE_QUEUED);
  request.set_page_size(1);
  v1::ListContactsResponse page;
  ASSERT_TRUE(supervision_->ListContacts(Call("t-lead").get(), request, &page).ok());
  ASSERT_EQ(page.contacts_size(), 1);
  EXPECT_EQ(page.contacts(0).external_id(), "mid");
  request.set_page_token(page.next_page_token());
  v1::ListContactsResponse next;
  ASSERT_TRUE(supervision_->ListContacts(Call("t-lead").get(), request, &next).ok());
  ASSERT_EQ(next.contacts_size(), 1);
  EXPECT_EQ(next.contacts(0).external_id(), "low");
  EXPECT_TRUE(next.next_page_token().empty());

  v1::ListContactsRequest by_agent;
  by_agent.set_agent_id("alice");
  ASSERT_TRUE(supervision_->ListContacts(Call("t-lead").get(), by_agent, &listed).ok());
  ASSERT_EQ(listed.contacts_size(), 1);
  EXPECT_EQ(listed.contacts(0).contact_id(), ids[1]);

  v1::ListContactsRequest bad;
  bad.add_states(v1::CONTACT_STATE_COMPLETED);
  EXPECT_EQ(supervision_->ListContacts(Call("t-lead").get(), bad, &listed).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  v1::ListContactsRequest unknown;
  unknown.set_queue_id("acme.nowhere");
  EXPECT_EQ(supervision_->ListContacts(Call("t-lead").get(), unknown, &listed).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(RoutingServicesTest, ShutdownEndsOpenStreams) {
  OpenStream<v1::AgentEvent> alice = AgentStream("t-alice");
  server_->Shutdown();
  v1::AgentEvent event;
  while (alice.reader->Read(&event)) {
  }
  EXPECT_EQ(alice.reader->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);
}

}  // namespace
}  // namespace acd::integration
