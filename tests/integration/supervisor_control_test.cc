// Gateways and supervisors reshaping contacts in flight, and supervisors steering agents, through
// the real services: UpdateContact, MoveContact, SetContactPriority, AssignContact, LogOutAgent,
// forced states and BroadcastMessage.

#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/integration/services_fixture.h"

namespace acd::integration {
namespace {

using ::testing::HasSubstr;

class SupervisorControlTest : public RoutingServicesTest {
 protected:
  std::string CreateWaiting(const std::string& external_id) {
    v1::CreateContactResponse created;
    EXPECT_TRUE(Create("t-gateway", external_id, "acme.billing", created).ok());
    return created.contact().contact_id();
  }

  grpc::Status Move(const std::string& contact_id, const std::string& queue,
                    v1::MoveContactResponse& response) {
    v1::MoveContactRequest request;
    request.set_contact_id(contact_id);
    request.set_queue_id(queue);
    return supervision_->MoveContact(Call("t-lead").get(), request, &response);
  }

  grpc::Status Assign(const std::string& contact_id, const std::string& agent) {
    v1::AssignContactRequest request;
    request.set_contact_id(contact_id);
    request.set_agent_id(agent);
    v1::AssignContactResponse response;
    return supervision_->AssignContact(Call("t-lead").get(), request, &response);
  }

  /// Alice takes a new call, escalates it to a supervisor and wraps it up: the escalation
  /// stays open. Its id.
  std::string Escalate(const std::string& external_id) {
    const std::string contact = CreateWaiting(external_id);
    EXPECT_TRUE(Accept("t-alice", contact).ok());
    v1::EscalateContactRequest request;
    request.set_contact_id(contact);
    request.set_reason("refund over limit");
    request.mutable_supervisor();
    v1::EscalateContactResponse response;
    EXPECT_TRUE(desk_->EscalateContact(Call("t-alice").get(), request, &response).ok());
    v1::CompleteContactRequest complete;
    complete.set_contact_id(contact);
    v1::CompleteContactResponse completed;
    EXPECT_TRUE(desk_->CompleteContact(Call("t-alice").get(), complete, &completed).ok());
    v1::SubmitWrapUpRequest wrap_up;
    wrap_up.set_contact_id(contact);
    wrap_up.set_disposition_code("escalated");
    v1::SubmitWrapUpResponse wrapped;
    EXPECT_TRUE(desk_->SubmitWrapUp(Call("t-alice").get(), wrap_up, &wrapped).ok());
    return response.escalation().escalation_id();
  }

  grpc::Status Broadcast(v1::BroadcastMessageRequest request,
                         v1::BroadcastMessageResponse& response) {
    return supervision_->BroadcastMessage(Call("t-lead").get(), request, &response);
  }
};

TEST_F(SupervisorControlTest, AGatewayUpdatesAContactAndItsAgentSeesTheChange) {
  OpenStream<v1::AgentEvent> alice = AgentStream("t-alice");
  const std::string waiting = CreateWaiting("call-1");
  v1::UpdateContactRequest update;
  update.set_contact_id(waiting);
  update.set_priority(30);
  (*update.mutable_attributes())["intent"] = "refund";
  v1::UpdateContactResponse updated;
  ASSERT_TRUE(intake_->UpdateContact(Call("t-gateway").get(), update, &updated).ok());
  EXPECT_EQ(updated.contact().priority(), 30);
  EXPECT_EQ(updated.contact().attributes().at("intent"), "refund");

  ASSERT_TRUE(SetReady("t-alice").ok());
  ASSERT_TRUE(Accept("t-alice", waiting).ok());
  v1::UpdateContactRequest more;
  more.set_contact_id(waiting);
  more.add_remove_attributes("intent");
  (*more.mutable_attributes())["order"] = "A-17";
  ASSERT_TRUE(intake_->UpdateContact(Call("t-gateway").get(), more, &updated).ok());
  const v1::AgentEvent event =
      alice.ReadUntil([](const v1::AgentEvent& e) { return e.has_contact_updated(); });
  EXPECT_EQ(event.contact_updated().contact().contact_id(), waiting);
  EXPECT_FALSE(event.contact_updated().contact().attributes().contains("intent"));
  EXPECT_EQ(event.contact_updated().contact().attributes().at("order"), "A-17");

  // A connected contact's priority no longer matters; bad input is named.
  more.set_priority(5);
  grpc::Status refused = intake_->UpdateContact(Call("t-gateway").get(), more, &updated);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(refused.error_message(), HasSubstr("no longer waits"));
  more.set_priority(500);
  EXPECT_EQ(intake_->UpdateContact(Call("t-gateway").get(), more, &updated).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  more.set_contact_id("999");
  EXPECT_EQ(intake_->UpdateContact(Call("t-gateway").get(), more, &updated).error_code(),
            grpc::StatusCode::NOT_FOUND);
  more.set_contact_id(waiting);
  EXPECT_EQ(intake_->UpdateContact(Call("t-globex").get(), more, &updated).error_code(),
            grpc::StatusCode::NOT_FOUND)
      << "another tenant's contact";
  EXPECT_EQ(intake_->UpdateContact(Call("t-lead").get(), more, &updated).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(SupervisorControlTest, ASupervisorMovesAndReprioritisesContactsAndTheyLastARestart) {
  OpenStream<v1::ContactEvent> gateway = GatewayWatch("t-gateway");
  OpenStream<v1::AgentEvent> alice = AgentStream("t-alice");
  ASSERT_TRUE(SetReady("t-alice").ok());
  const std::string offered = CreateWaiting("call-1");
  const std::string waiting = CreateWaiting("call-2");

  // The offer to alice is taken back; the contact waits in acme.email, full as it may be.
  v1::MoveContactResponse moved;
  ASSERT_TRUE(Move(offered, "acme.email", moved).ok());
  EXPECT_EQ(moved.contact().queue_id(), "acme.email");
  EXPECT_EQ(moved.contact().state(), v1::CONTACT_STATE_QUEUED);
  const v1::AgentEvent rescinded =
      alice.ReadUntil([](const v1::AgentEvent& e) { return e.has_offer_rescinded(); });
  EXPECT_EQ(rescinded.offer_rescinded().reason(), v1::OFFER_RESCIND_REASON_SUPERVISOR);
  const v1::ContactEvent event =
      gateway.ReadUntil([](const v1::ContactEvent& e) { return e.has_moved(); });
  EXPECT_EQ(event.contact_id(), offered);
  EXPECT_EQ(event.moved().from_queue_id(), "acme.billing");
  EXPECT_EQ(event.moved().to_queue_id(), "acme.email");
  EXPECT_EQ(event.moved().moved_by(), "acme-lead");
  // Alice is free again and takes the other call.
  alice.ReadUntil([&](const v1::AgentEvent& e) {
    return e.has_offer() && e.offer().contact().contact_id() == waiting;
  });

  v1::SetContactPriorityRequest priority;
  priority.set_contact_id(offered);
  priority.set_priority(80);
  v1::SetContactPriorityResponse prioritised;
  ASSERT_TRUE(supervision_->SetContactPriority(Call("t-lead").get(), priority, &prioritised).ok());
  EXPECT_EQ(prioritised.contact().priority(), 80);

  EXPECT_EQ(Move(offered, "acme.never-heard-of", moved).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Move(offered, "globex.sales", moved).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Move("x", "acme.billing", moved).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Move(offered, "", moved).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_TRUE(Accept("t-alice", waiting).ok());
  EXPECT_EQ(Move(waiting, "acme.email", moved).error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  alice.context->TryCancel();
  gateway.context->TryCancel();
  Restart();
  const v1::Contact after = Get(offered);
  EXPECT_EQ(after.queue_id(), "acme.email");
  EXPECT_EQ(after.priority(), 80);
}

TEST_F(SupervisorControlTest, ASupervisorAssignsAContactToAChosenAgent) {
  OpenStream<v1::AgentEvent> bob = AgentStream("t-bob");
  const std::string contact = CreateWaiting("call-1");
  EXPECT_EQ(Assign(contact, "bob").error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << "bob is logged out";

  v1::SetAgentStateRequest break_request;
  break_request.set_agent_id("bob");
  break_request.set_state(v1::AGENT_STATE_NOT_READY);
  v1::SetAgentStateResponse on_break;
  ASSERT_TRUE(supervision_->SetAgentState(Call("t-lead").get(), break_request, &on_break).ok());
  const v1::AgentEvent forced =
      bob.ReadUntil([](const v1::AgentEvent& e) { return e.has_state_changed(); });
  EXPECT_EQ(forced.state_changed().changed_by(), "acme-lead");

  ASSERT_TRUE(Assign(contact, "bob").ok());
  const v1::AgentEvent offer = bob.ReadUntil([](const v1::AgentEvent& e) { return e.has_offer(); });
  EXPECT_EQ(offer.offer().contact().contact_id(), contact);
  v1::ExplainDecisionRequest explain;
  explain.set_contact_id(contact);
  v1::ExplainDecisionResponse explained;
  ASSERT_TRUE(supervision_->ExplainDecision(Call("t-lead").get(), explain, &explained).ok());
  ASSERT_GE(explained.decisions_size(), 1);
  EXPECT_EQ(explained.decisions(explained.decisions_size() - 1).trigger(),
            v1::DECISION_TRIGGER_SUPERVISOR_ASSIGNED);

  EXPECT_EQ(Assign(contact, "nobody").error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Assign(contact, "").error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Assign("999", "bob").error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(SupervisorControlTest, ASupervisorLogsOutAnAgentWhoLeftWithAWrapUpOpen) {
  OpenStream<v1::AgentEvent> alice = AgentStream("t-alice");
  ASSERT_TRUE(SetReady("t-alice").ok());
  const std::string contact = CreateWaiting("call-1");
  ASSERT_TRUE(Accept("t-alice", contact).ok());
  v1::LogOutAgentRequest log_out;
  log_out.set_agent_id("alice");
  log_out.set_reason("left for the day");
  v1::LogOutAgentResponse logged_out;
  const grpc::Status connected =
      supervision_->LogOutAgent(Call("t-lead").get(), log_out, &logged_out);
  EXPECT_EQ(connected.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(connected.error_message(), HasSubstr("connected"));

  v1::CompleteContactRequest complete;
  complete.set_contact_id(contact);
  v1::CompleteContactResponse completed;
  ASSERT_TRUE(desk_->CompleteContact(Call("t-alice").get(), complete, &completed).ok());
  ASSERT_TRUE(supervision_->LogOutAgent(Call("t-lead").get(), log_out, &logged_out).ok());
  EXPECT_EQ(logged_out.agent().state(), v1::AGENT_STATE_LOGGED_OUT);
  EXPECT_EQ(logged_out.agent().contact_ids_size(), 0);
  const v1::AgentEvent done =
      alice.ReadUntil([](const v1::AgentEvent& e) { return e.has_completed(); });
  EXPECT_EQ(done.completed().disposition_code(), "logged-out");
  EXPECT_TRUE(done.completed().system_disposition());
  EXPECT_EQ(Get(contact).state(), v1::CONTACT_STATE_COMPLETED);

  log_out.set_agent_id("dana");
  EXPECT_EQ(supervision_->LogOutAgent(Call("t-lead").get(), log_out, &logged_out).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(SupervisorControlTest, ABroadcastReachesOpenDesktopsOutsideTheirSequence) {
  OpenStream<v1::AgentEvent> alice = AgentStream("t-alice");
  ASSERT_TRUE(SetReady("t-alice").ok());
  const v1::AgentEvent ready =
      alice.ReadUntil([](const v1::AgentEvent& e) { return e.has_state_changed(); });

  v1::BroadcastMessageRequest request;
  request.set_team("red");
  request.set_text("Billing is breaching: please take calls");
  request.set_urgent(true);
  v1::BroadcastMessageResponse response;
  ASSERT_TRUE(Broadcast(request, response).ok());
  EXPECT_EQ(response.delivered(), 1) << "alice";
  EXPECT_EQ(response.not_connected(), 1) << "bob";
  const v1::AgentEvent message =
      alice.ReadUntil([](const v1::AgentEvent& e) { return e.has_supervisor_message(); });
  EXPECT_EQ(message.sequence(), 0u);
  EXPECT_EQ(message.supervisor_message().sender(), "acme-lead");
  EXPECT_EQ(message.supervisor_message().team(), "red");
  EXPECT_TRUE(message.supervisor_message().urgent());

  // The sequence goes on from where it was: a resume is not thrown off by messages.
  CreateWaiting("call-1");
  const v1::AgentEvent offer =
      alice.ReadUntil([](const v1::AgentEvent& e) { return e.has_offer(); });
  EXPECT_EQ(offer.sequence(), ready.sequence() + 1);

  request.set_team("blue");
  EXPECT_EQ(Broadcast(request, response).error_code(), grpc::StatusCode::NOT_FOUND);
  request.clear_team();
  request.add_agent_ids("dana");
  EXPECT_EQ(Broadcast(request, response).error_code(), grpc::StatusCode::NOT_FOUND);
  request.clear_agent_ids();
  request.set_text("");
  EXPECT_EQ(Broadcast(request, response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  request.set_text(std::string(2001, 'x'));
  EXPECT_EQ(Broadcast(request, response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  request.set_text("to everyone");
  ASSERT_TRUE(Broadcast(request, response).ok());
  EXPECT_EQ(response.delivered() + response.not_connected(), 2) << "the whole tenant";
}

TEST_F(SupervisorControlTest, AgentsAreListedWithTheirKpisOverTheWindowAsked) {
  ASSERT_TRUE(SetReady("t-alice").ok());
  HandleThroughWrapUp("t-alice", CreateWaiting("call-1"), "resolved");

  v1::ListAgentsRequest request;
  request.set_kpi_window(v1::KPI_WINDOW_LAST_15_MINUTES);
  v1::ListAgentsResponse response;
  ASSERT_TRUE(supervision_->ListAgents(Call("t-lead").get(), request, &response).ok());
  ASSERT_EQ(response.agents_size(), 2);
  const v1::AgentStatus& alice = response.agents(0);
  ASSERT_EQ(alice.agent_id(), "alice");
  EXPECT_EQ(alice.kpis().window(), v1::KPI_WINDOW_LAST_15_MINUTES);
  EXPECT_EQ(alice.kpis().offered(), 1);
  EXPECT_EQ(alice.kpis().accepted(), 1);
  EXPECT_EQ(alice.kpis().declined(), 0);
  EXPECT_EQ(alice.kpis().completed(), 1);
  EXPECT_TRUE(alice.kpis().has_aht());
  const v1::AgentStatus& bob = response.agents(1);
  EXPECT_EQ(bob.kpis().offered(), 0);
  EXPECT_EQ(bob.kpis().completed(), 0);

  request.set_kpi_window(static_cast<v1::KpiWindow>(99));
  EXPECT_EQ(supervision_->ListAgents(Call("t-lead").get(), request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(SupervisorControlTest, AWallboardGetsASnapshotAtOnceAndThenOneWhenSomethingChanged) {
  auto context = Call("t-lead");
  v1::WatchQueuesRequest request;
  request.add_queue_ids("acme.billing");
  request.set_include_agents(true);
  request.mutable_interval()->set_seconds(1);
  std::unique_ptr<grpc::ClientReader<v1::QueueSnapshot>> wallboard =
      supervision_->WatchQueues(context.get(), request);
  v1::QueueSnapshot snapshot;
  ASSERT_TRUE(wallboard->Read(&snapshot));
  EXPECT_EQ(snapshot.sequence(), 1u);
  ASSERT_EQ(snapshot.queues_size(), 1);
  EXPECT_EQ(snapshot.queues(0).queue_id(), "acme.billing");
  EXPECT_EQ(snapshot.queues(0).waiting(), 0);
  EXPECT_EQ(snapshot.agents_size(), 2) << "alice and bob are members";

  // Nothing changes until the contact arrives: the next picture is the one that shows it.
  CreateWaiting("call-1");
  ASSERT_TRUE(wallboard->Read(&snapshot));
  EXPECT_EQ(snapshot.sequence(), 2u);
  ASSERT_EQ(snapshot.queues_size(), 1);
  EXPECT_EQ(snapshot.queues(0).waiting(), 1);
  EXPECT_EQ(snapshot.queues(0).kpis().offered(), 1);
  context->TryCancel();
}

TEST_F(SupervisorControlTest, AWallboardAsksForSomethingSensibleOrIsTurnedAway) {
  const auto status_of = [&](const std::string& token, const v1::WatchQueuesRequest& request) {
    auto context = Call(token);
    std::unique_ptr<grpc::ClientReader<v1::QueueSnapshot>> reader =
        supervision_->WatchQueues(context.get(), request);
    v1::QueueSnapshot snapshot;
    while (reader->Read(&snapshot)) context->TryCancel();
    return reader->Finish().error_code();
  };
  v1::WatchQueuesRequest unknown;
  unknown.add_queue_ids("acme.nowhere");
  EXPECT_EQ(status_of("t-lead", unknown), grpc::StatusCode::NOT_FOUND);
  v1::WatchQueuesRequest too_often;
  too_often.mutable_interval()->set_nanos(500'000'000);
  EXPECT_EQ(status_of("t-lead", too_often), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status_of("t-alice", v1::WatchQueuesRequest()), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(SupervisorControlTest, AnOpenPictureLargerThanTheOutboxArrivesWhole) {
  stream_outbox_ = 4;
  Restart();
  ASSERT_TRUE(SetReady("t-alice").ok());
  std::vector<std::string> raised;
  for (int i = 0; i < 10; ++i) raised.push_back(Escalate("call-" + std::to_string(i)));

  auto context = Call("t-lead");
  v1::WatchEscalationsRequest request;
  request.set_include_open(true);
  std::unique_ptr<grpc::ClientReader<v1::EscalationEvent>> feed =
      supervision_->WatchEscalations(context.get(), request);
  std::vector<std::string> pictured;
  v1::EscalationEvent event;
  while (pictured.size() < raised.size() && feed->Read(&event)) {
    pictured.push_back(event.escalation().escalation_id());
  }
  EXPECT_EQ(pictured, raised);
  // Live events still flow behind it.
  const std::string next = Escalate("call-after");
  ASSERT_TRUE(feed->Read(&event)) << feed->Finish().error_message();
  EXPECT_EQ(event.escalation().escalation_id(), next);
  context->TryCancel();
}

TEST_F(SupervisorControlTest, TheEscalationFeedSendsWhatIsOpenThenEveryChangeAndResumes) {
  ASSERT_TRUE(SetReady("t-alice").ok());
  const std::string first = Escalate("call-1");

  auto context = Call("t-lead");
  v1::WatchEscalationsRequest request;
  request.set_include_open(true);
  std::unique_ptr<grpc::ClientReader<v1::EscalationEvent>> feed =
      supervision_->WatchEscalations(context.get(), request);
  v1::EscalationEvent event;
  ASSERT_TRUE(feed->Read(&event));
  EXPECT_EQ(event.escalation().escalation_id(), first);
  EXPECT_EQ(event.escalation().status(), v1::ESCALATION_STATUS_OPEN);
  const std::uint64_t as_of = event.sequence();
  EXPECT_GE(as_of, 1u) << "the raise was the feed's first event";

  const std::string second = Escalate("call-2");
  ASSERT_TRUE(feed->Read(&event));
  EXPECT_EQ(event.escalation().escalation_id(), second);
  EXPECT_EQ(event.sequence(), as_of + 1);
  v1::ResolveEscalationRequest resolve;
  resolve.set_escalation_id(first);
  resolve.set_resolution("approved");
  v1::ResolveEscalationResponse resolved;
  ASSERT_TRUE(supervision_->ResolveEscalation(Call("t-lead").get(), resolve, &resolved).ok());
  ASSERT_TRUE(feed->Read(&event));
  EXPECT_EQ(event.escalation().escalation_id(), first);
  EXPECT_EQ(event.escalation().status(), v1::ESCALATION_STATUS_RESOLVED);
  EXPECT_EQ(event.escalation().resolved_by(), "acme-lead");
  const std::uint64_t last_seen = event.sequence();
  context->TryCancel();

  // Across a restart the feed goes on from where it was.
  Restart();
  const auto resume = [&](std::uint64_t resume_after) {
    OpenStream<v1::EscalationEvent> stream{Call("t-lead"), nullptr};
    v1::WatchEscalationsRequest request_again;
    request_again.set_resume_after_sequence(resume_after);
    stream.reader = supervision_->WatchEscalations(stream.context.get(), request_again);
    return stream;
  };
  // Current: the feed goes live (and an escalation raised now arrives next in sequence).
  OpenStream<v1::EscalationEvent> current = resume(last_seen);
  current.reader->WaitForInitialMetadata();
  Escalate("call-3");
  ASSERT_TRUE(current.reader->Read(&event));
  EXPECT_GT(event.sequence(), last_seen) << "a start moves the numbers on, never back";
  current.context->TryCancel();
  for (const std::uint64_t stale : {last_seen - 1, last_seen + 5}) {
    OpenStream<v1::EscalationEvent> refused = resume(stale);
    EXPECT_FALSE(refused.reader->Read(&event));
    EXPECT_EQ(refused.reader->Finish().error_code(), grpc::StatusCode::OUT_OF_RANGE) << stale;
  }
}

}  // namespace
}  // namespace acd::integration
