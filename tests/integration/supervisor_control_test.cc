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

}  // namespace
}  // namespace acd::integration
