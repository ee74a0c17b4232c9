// Customer identifiers, notes and tokens never reach the logs: the real acdd at its most verbose
// (--log-level trace) takes contacts with distinctive customer data through every RPC that
// carries notes or comments, and its whole output is searched for them afterwards.

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "acd/v1/agent_desk.grpc.pb.h"
#include "acd/v1/intake.grpc.pb.h"
#include "acd/v1/supervision.grpc.pb.h"
#include "tests/e2e/acdd_process.h"
#include "tests/e2e/child_process.h"

namespace acd::e2e {
namespace {

constexpr char kAcdd[] = ACD_ACDD_PATH;
constexpr char kExampleConfig[] = ACD_EXAMPLE_CONFIG;
constexpr auto kPatience = std::chrono::seconds(20);
// Demo tokens of config/example.yaml.
constexpr char kGateway[] = "demo-gateway-acme";
constexpr char kAlice[] = "demo-agent-alice";
constexpr char kSupervisor[] = "demo-supervisor-acme";

// What must never be logged: the customer's identifiers, and what agents and customers wrote.
constexpr char kCustomerId[] = "+5511987650042";
constexpr char kCustomerName[] = "Zephyrine Quaglietti";
constexpr char kCustomerEmail[] = "zephyrine.q7@example.org";
constexpr char kWrapUpNotes[] = "wrapup-note: refunded card ending 4242";
constexpr char kTransferNotes[] = "transfer-note: wants to cancel the contract";
constexpr char kEscalationNotes[] = "escalation-note: threatens legal action";
constexpr char kFollowUpNotes[] = "follow-up-note: call back about the refund";
constexpr char kSurveyComment[] = "survey-comment: the agent was lovely";

Deadline Soon() { return std::chrono::steady_clock::now() + kPatience; }

std::unique_ptr<grpc::ClientContext> Call(const std::string& token,
                                          std::chrono::seconds timeout = kPatience) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + timeout);
  context->AddMetadata("authorization", absl::StrCat("Bearer ", token));
  return context;
}

class LogRedactionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "acd-redaction-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    absl::StatusOr<RunningAcdd> acdd =
        StartAcdd({kAcdd, "--config", kExampleConfig, "--listen", "127.0.0.1:0", "--http",
                   "127.0.0.1:0", "--data-dir", (dir_ / "data").string(), "--log-level", "trace"},
                  {}, Soon());
    ASSERT_TRUE(acdd.ok()) << acdd.status();
    acdd_ = std::move(acdd->process);
    auto channel = grpc::CreateChannel(acdd->grpc_address, grpc::InsecureChannelCredentials());
    intake_ = v1::Intake::NewStub(channel);
    desk_ = v1::AgentDesk::NewStub(channel);
    supervision_ = v1::Supervision::NewStub(channel);
  }

  void TearDown() override {
    acdd_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  /// Creates a chat for the customer in acme.billing; its id.
  std::string CreateChat(const std::string& external_id) {
    v1::CreateContactRequest request;
    request.set_external_id(external_id);
    request.set_queue_id("acme.billing");
    request.set_channel(v1::CHANNEL_CHAT);
    request.mutable_customer()->set_id(kCustomerId);
    request.mutable_customer()->set_display_name(kCustomerName);
    (*request.mutable_attributes())["email"] = kCustomerEmail;
    v1::CreateContactResponse response;
    const grpc::Status status = intake_->CreateContact(Call(kGateway).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.contact().contact_id();
  }

  /// Reads alice's events until the offer of `contact_id`, then accepts it.
  void AcceptWhenOffered(grpc::ClientReader<v1::AgentEvent>& events,
                         const std::string& contact_id) {
    v1::AgentEvent event;
    while (events.Read(&event)) {
      if (event.has_offer() && event.offer().contact().contact_id() == contact_id) break;
    }
    ASSERT_TRUE(event.has_offer()) << "no offer of contact " << contact_id;
    v1::AcceptOfferRequest accept;
    accept.set_contact_id(contact_id);
    v1::AcceptOfferResponse accepted;
    const grpc::Status status = desk_->AcceptOffer(Call(kAlice).get(), accept, &accepted);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  std::filesystem::path dir_;
  std::unique_ptr<ChildProcess> acdd_;
  std::unique_ptr<v1::Intake::Stub> intake_;
  std::unique_ptr<v1::AgentDesk::Stub> desk_;
  std::unique_ptr<v1::Supervision::Stub> supervision_;
};

TEST_F(LogRedactionTest, CustomerDataNotesAndTokensNeverReachTheLogs) {
  auto stream_context = Call(kAlice, std::chrono::seconds(120));
  std::unique_ptr<grpc::ClientReader<v1::AgentEvent>> events =
      desk_->StreamEvents(stream_context.get(), v1::StreamEventsRequest());
  events->WaitForInitialMetadata();
  v1::SetStateRequest ready;
  ready.set_state(v1::AGENT_STATE_READY);
  v1::SetStateResponse state;
  ASSERT_TRUE(desk_->SetState(Call(kAlice).get(), ready, &state).ok());

  // A chat taken to its end: wrap-up notes, then the customer's survey.
  const std::string first = CreateChat("chat-1");
  ASSERT_NO_FATAL_FAILURE(AcceptWhenOffered(*events, first));
  v1::CompleteContactRequest complete;
  complete.set_contact_id(first);
  v1::CompleteContactResponse completed;
  ASSERT_TRUE(desk_->CompleteContact(Call(kAlice).get(), complete, &completed).ok());
  v1::SubmitWrapUpRequest wrap_up;
  wrap_up.set_contact_id(first);
  wrap_up.set_disposition_code("resolved");
  wrap_up.set_notes(kWrapUpNotes);
  v1::SubmitWrapUpResponse wrapped;
  const grpc::Status wrapped_up = desk_->SubmitWrapUp(Call(kAlice).get(), wrap_up, &wrapped);
  ASSERT_TRUE(wrapped_up.ok()) << wrapped_up.error_message();
  v1::RecordSurveyRequest survey;
  survey.set_contact_id(first);
  survey.set_score(5);
  survey.set_comment(kSurveyComment);
  v1::RecordSurveyResponse surveyed;
  const grpc::Status recorded = intake_->RecordSurvey(Call(kGateway).get(), survey, &surveyed);
  ASSERT_TRUE(recorded.ok()) << recorded.error_message();

  // A second chat: the customer's history read, a follow-up scheduled, then transferred.
  const std::string second = CreateChat("chat-2");
  ASSERT_NO_FATAL_FAILURE(AcceptWhenOffered(*events, second));
  v1::GetCustomerHistoryRequest history_request;
  history_request.set_contact_id(second);
  v1::GetCustomerHistoryResponse history;
  const grpc::Status read_history =
      desk_->GetCustomerHistory(Call(kAlice).get(), history_request, &history);
  ASSERT_TRUE(read_history.ok()) << read_history.error_message();
  EXPECT_GE(history.interactions_size(), 1);
  v1::ScheduleFollowUpRequest follow_up;
  follow_up.set_contact_id(second);
  follow_up.set_notes(kFollowUpNotes);
  v1::ScheduleFollowUpResponse scheduled;
  // Whatever the answer (a follow-up may need more than this), the notes went through the daemon.
  (void)desk_->ScheduleFollowUp(Call(kAlice).get(), follow_up, &scheduled);
  v1::TransferContactRequest transfer;
  transfer.set_contact_id(second);
  transfer.set_queue_id("acme.support");
  transfer.set_reason("billing-to-support");
  transfer.set_notes(kTransferNotes);
  v1::TransferContactResponse transferred;
  const grpc::Status moved = desk_->TransferContact(Call(kAlice).get(), transfer, &transferred);
  EXPECT_TRUE(moved.ok()) << moved.error_message();

  // A third chat, escalated to the supervisor.
  const std::string third = CreateChat("chat-3");
  ASSERT_NO_FATAL_FAILURE(AcceptWhenOffered(*events, third));
  v1::EscalateContactRequest escalate;
  escalate.set_contact_id(third);
  escalate.mutable_supervisor()->set_supervisor("acme-supervisor");
  escalate.set_reason("angry-customer");
  escalate.set_notes(kEscalationNotes);
  v1::EscalateContactResponse escalated;
  const grpc::Status raised = desk_->EscalateContact(Call(kAlice).get(), escalate, &escalated);
  EXPECT_TRUE(raised.ok()) << raised.error_message();

  // Supervisors' reads of the same data.
  v1::ListInteractionsRequest interactions_request;
  interactions_request.set_customer_id(kCustomerId);
  interactions_request.mutable_start_time()->set_seconds(
      std::chrono::duration_cast<std::chrono::seconds>(
          (std::chrono::system_clock::now() - std::chrono::hours(24)).time_since_epoch())
          .count());
  v1::ListInteractionsResponse interactions;
  const grpc::Status listed =
      supervision_->ListInteractions(Call(kSupervisor).get(), interactions_request, &interactions);
  EXPECT_TRUE(listed.ok()) << listed.error_message();
  EXPECT_GE(interactions.interactions_size(), 1);
  v1::ListEscalationsResponse escalations;
  EXPECT_TRUE(
      supervision_
          ->ListEscalations(Call(kSupervisor).get(), v1::ListEscalationsRequest(), &escalations)
          .ok());
  v1::ListContactsResponse contacts;
  EXPECT_TRUE(
      supervision_->ListContacts(Call(kSupervisor).get(), v1::ListContactsRequest(), &contacts)
          .ok());

  // And a caller with a wrong token, whose secret must not be logged either.
  v1::GetContactRequest get;
  get.set_contact_id(first);
  v1::GetContactResponse got;
  EXPECT_EQ(intake_->GetContact(Call("wrong-secret-7f3a").get(), get, &got).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  // Everything acdd wrote, to its end: the stream ends when it shuts down.
  stream_context->TryCancel();
  acdd_->Signal(SIGTERM);
  const std::optional<ExitStatus> exit = acdd_->WaitAndDrain(Soon());
  ASSERT_TRUE(exit.has_value()) << "acdd did not stop";
  EXPECT_EQ(exit->code, 0);
  const std::string& log = acdd_->Transcript(ChildProcess::Stream::kStderr);
  const std::string& out = acdd_->Transcript(ChildProcess::Stream::kStdout);
  // Trace logging did log something, or this test proves nothing.
  EXPECT_NE(log.find("listening"), std::string::npos) << log;
  for (const char* secret :
       {kCustomerId, kCustomerName, kCustomerEmail, kWrapUpNotes, kTransferNotes, kEscalationNotes,
        kFollowUpNotes, kSurveyComment, kGateway, kAlice, kSupervisor, "wrong-secret-7f3a"}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << "logged in clear: " << secret << "\n" << log;
    EXPECT_EQ(out.find(secret), std::string::npos) << "printed in clear: " << secret;
  }
}

}  // namespace
}  // namespace acd::e2e
