// Streams that survive the real world: a desktop or a gateway whose stream broke resumes from the
// last sequence it processed and gets exactly what it missed; a client that stops reading is cut
// off without holding up anyone else.

#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/services_fixture.h"

namespace acd::integration {
namespace {

using ::testing::HasSubstr;

class StreamResumeTest : public RoutingServicesTest {
 protected:
  /// Reads events until `last` has arrived, checking that their sequences follow each other
  /// from `after` on: nothing missing, nothing twice.
  template <typename Event>
  std::vector<Event> ReadThrough(OpenStream<Event>& stream, std::uint64_t after,
                                 std::uint64_t last) {
    std::vector<Event> events;
    Event event;
    while (after < last && stream.reader->Read(&event)) {
      EXPECT_EQ(event.sequence(), after + 1);
      after = event.sequence();
      events.push_back(event);
    }
    EXPECT_EQ(after, last) << stream.reader->Finish().error_message();
    return events;
  }

  /// Alice's desktop opens its stream, sets her ready and goes away: the sequence of that state
  /// change, the last event it saw.
  std::uint64_t GoReadyAndLeave() {
    OpenStream<v1::AgentEvent> alice = AgentStream("t-alice");
    EXPECT_TRUE(SetReady("t-alice").ok());
    const std::uint64_t last_seen =
        alice.ReadUntil([](const v1::AgentEvent& event) { return event.has_state_changed(); })
            .sequence();
    alice.context->TryCancel();
    return last_seen;
  }
};

TEST_F(StreamResumeTest, ADesktopThatReconnectsGetsWhatItMissedOnceAndInOrder) {
  const std::uint64_t last_seen = GoReadyAndLeave();
  v1::CreateContactResponse first;
  // While the desktop is away (within the disconnect grace, so alice stays ready), a contact is
  // offered to her and taken back when she declines it from her phone.
  ASSERT_TRUE(Create("t-gateway", "call-1", "acme.billing", first).ok());
  v1::DeclineOfferRequest decline;
  decline.set_contact_id(first.contact().contact_id());
  v1::DeclineOfferResponse declined;
  ASSERT_TRUE(desk_->DeclineOffer(Call("t-alice").get(), decline, &declined).ok());

  OpenStream<v1::AgentEvent> resumed = AgentStream("t-alice", last_seen);
  const std::vector<v1::AgentEvent> missed = ReadThrough(resumed, last_seen, last_seen + 2);
  ASSERT_EQ(missed.size(), 2u);
  EXPECT_TRUE(missed[0].has_offer());
  EXPECT_EQ(missed[0].offer().contact().contact_id(), first.contact().contact_id());
  EXPECT_TRUE(missed[1].has_offer_rescinded());

  // Live events follow the replayed ones with the next numbers.
  v1::SetStateRequest away;
  away.set_state(v1::AGENT_STATE_NOT_READY);
  away.set_reason_code("break");
  v1::SetStateResponse set;
  ASSERT_TRUE(desk_->SetState(Call("t-alice").get(), away, &set).ok());
  const std::vector<v1::AgentEvent> live = ReadThrough(resumed, last_seen + 2, last_seen + 3);
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].state_changed().reason_code(), "break");
}

TEST_F(StreamResumeTest, ADesktopStartsFromItsPictureAndStreamsFromItsSequence) {
  ASSERT_TRUE(SetReady("t-alice").ok());
  v1::CreateContactResponse created;
  ASSERT_TRUE(Create("t-gateway", "call-1", "acme.billing", created).ok());
  const std::string contact = created.contact().contact_id();

  v1::GetDeskResponse desk;
  ASSERT_TRUE(desk_->GetDesk(Call("t-alice").get(), v1::GetDeskRequest(), &desk).ok());
  EXPECT_EQ(desk.profile().agent_id(), "alice");
  EXPECT_EQ(desk.profile().display_name(), "Alice");
  EXPECT_EQ(desk.profile().team(), "red");
  ASSERT_EQ(desk.profile().skills_size(), 1);
  EXPECT_EQ(desk.profile().skills(0).skill(), "billing");
  EXPECT_EQ(desk.profile().skills(0).level(), 7);
  EXPECT_THAT(desk.profile().queue_ids(), ::testing::ElementsAre("acme.billing"));
  EXPECT_EQ(desk.state(), v1::AGENT_STATE_READY);
  EXPECT_FALSE(desk.connected());
  ASSERT_EQ(desk.offers_size(), 1);
  EXPECT_EQ(desk.offers(0).contact().contact_id(), contact);
  EXPECT_TRUE(desk.offers(0).has_expires_at());
  EXPECT_EQ(desk.sequence(), 2u) << "ready, then the offer";

  // Streaming from the picture's sequence: the next event is the next change, nothing before.
  OpenStream<v1::AgentEvent> alice = AgentStream("t-alice", desk.sequence());
  ASSERT_TRUE(Accept("t-alice", contact).ok());
  v1::AgentEvent event;
  ASSERT_TRUE(alice.reader->Read(&event));
  EXPECT_EQ(event.sequence(), desk.sequence() + 1);
  EXPECT_EQ(event.assigned().contact().contact_id(), contact);

  ASSERT_TRUE(desk_->GetDesk(Call("t-alice").get(), v1::GetDeskRequest(), &desk).ok());
  EXPECT_TRUE(desk.connected());
  EXPECT_EQ(desk.offers_size(), 0);
  ASSERT_EQ(desk.assignments_size(), 1);
  EXPECT_EQ(desk.assignments(0).contact().contact_id(), contact);
  EXPECT_EQ(desk.sequence(), event.sequence());
}

TEST_F(StreamResumeTest, ADesktopWhoseAgentHadNoEventYetMissesNothingBeforeItsStream) {
  v1::GetDeskResponse desk;
  ASSERT_TRUE(desk_->GetDesk(Call("t-bob").get(), v1::GetDeskRequest(), &desk).ok());
  ASSERT_EQ(desk.sequence(), 0u) << "nothing has happened to bob yet";
  // Between the picture and the stream, a supervisor sets bob ready.
  v1::SetAgentStateRequest force;
  force.set_agent_id("bob");
  force.set_state(v1::AGENT_STATE_READY);
  v1::SetAgentStateResponse forced;
  ASSERT_TRUE(supervision_->SetAgentState(Call("t-lead").get(), force, &forced).ok());

  OpenStream<v1::AgentEvent> bob = AgentStream("t-bob", desk.sequence());
  v1::AgentEvent event;
  ASSERT_TRUE(bob.reader->Read(&event));
  EXPECT_EQ(event.sequence(), 1u);
  EXPECT_EQ(event.state_changed().state(), v1::AGENT_STATE_READY);
  EXPECT_EQ(event.state_changed().changed_by(), "acme-lead");
}

TEST_F(StreamResumeTest, AGatewayWatchResumesWithTheEventsOfItsContacts) {
  std::uint64_t last_seen = 0;
  v1::CreateContactResponse created;
  {
    OpenStream<v1::ContactEvent> watch = GatewayWatch("t-gateway");
    ASSERT_TRUE(Create("t-gateway", "call-1", "acme.billing", created).ok());
    last_seen = watch.ReadUntil([](const v1::ContactEvent& event) { return event.has_queued(); })
                    .sequence();
    watch.context->TryCancel();
  }
  ASSERT_TRUE(SetReady("t-alice").ok());
  ASSERT_TRUE(Accept("t-alice", created.contact().contact_id()).ok());

  OpenStream<v1::ContactEvent> resumed = GatewayWatch("t-gateway", last_seen);
  v1::ContactEvent event;
  bool assigned = false;
  while (!assigned && resumed.reader->Read(&event)) {
    EXPECT_EQ(event.sequence(), ++last_seen) << "nothing missing, nothing twice";
    EXPECT_EQ(event.external_id(), "call-1");
    if (event.has_assigned()) {
      assigned = true;
      EXPECT_EQ(event.assigned().agent_id(), "alice");
    }
  }
  EXPECT_TRUE(assigned) << resumed.reader->Finish().error_message();
}

TEST_F(StreamResumeTest, AGatewayWatchesOnlyItsOwnContacts) {
  // Another gateway of the same tenant numbers its contacts' events in its own sequence.
  v1::CreateContactResponse theirs;
  ASSERT_TRUE(Create("t-chat", "chat-1", "acme.billing", theirs).ok());
  auto context = Call("t-gateway");
  v1::WatchContactsRequest request;
  request.add_contact_ids(theirs.contact().contact_id());
  std::unique_ptr<grpc::ClientReader<v1::ContactEvent>> watch =
      intake_->WatchContacts(context.get(), request);
  v1::ContactEvent event;
  EXPECT_FALSE(watch->Read(&event));
  const grpc::Status status = watch->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("not created with this gateway"));
}

TEST_F(StreamResumeTest, AWatchIncludingAChannelSeesOtherGatewaysContactsOnItAndResumes) {
  // A dialer watches its own contacts and every voice contact of the tenant.
  const auto open = [&](std::optional<std::uint64_t> resume_after) {
    OpenStream<v1::ContactEvent> stream{Call("t-chat"), nullptr};
    v1::WatchContactsRequest request;
    request.add_include_channels(v1::CHANNEL_VOICE);
    if (resume_after) request.set_resume_after_sequence(*resume_after);
    stream.reader = intake_->WatchContacts(stream.context.get(), request);
    stream.reader->WaitForInitialMetadata();
    return stream;
  };
  const auto create = [&](const std::string& token, const std::string& external_id,
                          v1::Channel channel) {
    v1::CreateContactRequest request;
    request.set_external_id(external_id);
    request.set_queue_id("acme.billing");
    request.set_channel(channel);
    v1::CreateContactResponse response;
    EXPECT_TRUE(intake_->CreateContact(Call(token).get(), request, &response).ok());
    return response.contact().contact_id();
  };

  std::uint64_t last_seen = 0;
  {
    OpenStream<v1::ContactEvent> watch = open(std::nullopt);
    const std::string voice = create("t-gateway", "call-1", v1::CHANNEL_VOICE);
    create("t-gateway", "chat-1", v1::CHANNEL_CHAT);
    const std::string own = create("t-chat", "own-1", v1::CHANNEL_CHAT);
    std::vector<std::string> seen;
    v1::ContactEvent event;
    while (watch.reader->Read(&event)) {
      EXPECT_GT(event.sequence(), last_seen);
      last_seen = event.sequence();
      seen.push_back(event.contact_id() + ":" + event.external_id());
      if (event.contact_id() == own) break;
    }
    // Another gateway's contact comes without that gateway's own id; its chat is not included.
    EXPECT_THAT(seen, ::testing::ElementsAre(voice + ":", own + ":own-1"));
    watch.context->TryCancel();
  }
  const std::string missed = create("t-gateway", "call-2", v1::CHANNEL_VOICE);
  OpenStream<v1::ContactEvent> resumed = open(last_seen);
  const v1::ContactEvent event = resumed.ReadUntil([](const v1::ContactEvent&) { return true; });
  EXPECT_EQ(event.contact_id(), missed);
  EXPECT_TRUE(event.has_queued());
  EXPECT_GT(event.sequence(), last_seen);

  // A channel that is not one is refused.
  OpenStream<v1::ContactEvent> refused{Call("t-chat"), nullptr};
  v1::WatchContactsRequest bad;
  bad.add_include_channels(static_cast<v1::Channel>(99));
  refused.reader = intake_->WatchContacts(refused.context.get(), bad);
  v1::ContactEvent none;
  EXPECT_FALSE(refused.reader->Read(&none));
  EXPECT_EQ(refused.reader->Finish().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(StreamResumeTest, AResumeBeyondWhatIsRetainedOrIssuedIsRefusedWithTheWayBack) {
  retention_.agent.events = 2;
  Restart();
  const std::uint64_t last_seen = GoReadyAndLeave();
  // Three events while away, one more than the daemon keeps: ready → not ready → ready → not
  // ready.
  for (const v1::AgentState state :
       {v1::AGENT_STATE_NOT_READY, v1::AGENT_STATE_READY, v1::AGENT_STATE_NOT_READY}) {
    v1::SetStateRequest request;
    request.set_state(state);
    request.set_reason_code(state == v1::AGENT_STATE_NOT_READY ? "break" : "");
    v1::SetStateResponse response;
    ASSERT_TRUE(desk_->SetState(Call("t-alice").get(), request, &response).ok());
  }
  const std::uint64_t last = last_seen + 3;

  for (const std::uint64_t resume : {last_seen, last + 1}) {
    OpenStream<v1::AgentEvent> refused = AgentStream("t-alice", resume);
    v1::AgentEvent event;
    EXPECT_FALSE(refused.reader->Read(&event));
    const grpc::Status status = refused.reader->Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::OUT_OF_RANGE) << "resume after " << resume;
    EXPECT_THAT(status.error_message(), HasSubstr("stream again from its sequence"));
    EXPECT_THAT(status.error_message(),
                HasSubstr(resume == last_seen ? "no longer retained" : "never issued"));
  }

  // The two most recent are still there.
  OpenStream<v1::AgentEvent> resumed = AgentStream("t-alice", last - 2);
  const std::vector<v1::AgentEvent> missed = ReadThrough(resumed, last - 2, last);
  ASSERT_EQ(missed.size(), 2u);
  EXPECT_EQ(missed[1].state_changed().state(), v1::AGENT_STATE_NOT_READY);

  // Refused streams never counted as connections: only the resumed one does.
  v1::ListAgentsResponse agents;
  ASSERT_TRUE(
      supervision_->ListAgents(Call("t-lead").get(), v1::ListAgentsRequest(), &agents).ok());
  for (const v1::AgentStatus& agent : agents.agents()) {
    EXPECT_EQ(agent.connected(), agent.agent_id() == "alice") << agent.agent_id();
  }
}

TEST_F(StreamResumeTest, ADesktopThatStopsReadingIsCutOffWhileOthersGetEverything) {
  stream_outbox_ = 16;
  Restart();
  // Alice's desktop hangs: it reads nothing. A channel of its own, with HTTP/2 flow control left
  // at its initial window, so that the daemon's writes to it soon wait.
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  const auto hung_channel = grpc::CreateCustomChannel(
      server_->grpc_address(), grpc::InsecureChannelCredentials(), arguments);
  const auto hung_desk = v1::AgentDesk::NewStub(hung_channel);
  auto hung_context = Call("t-alice");
  std::unique_ptr<grpc::ClientReader<v1::AgentEvent>> hung =
      hung_desk->StreamEvents(hung_context.get(), v1::StreamEventsRequest());
  hung->WaitForInitialMetadata();
  // Bob's desktop reads everything.
  OpenStream<v1::AgentEvent> bob = AgentStream("t-bob");

  // Far more than the flow-control window and the outbox hold: 500 messages of 2000 bytes each.
  constexpr int kMessages = 500;
  const std::string text(2000, 'x');
  // Bob reads as a working desktop does; the supervisor never gets more than a few messages
  // ahead of him, so that only Alice, who reads nothing, can fall behind.
  std::mutex mu;
  std::condition_variable arrived;
  int bob_received = 0;
  const auto bob_has = [&](int count) {
    std::unique_lock lock(mu);
    return arrived.wait_until(lock, std::chrono::steady_clock::now() + kDeadline,
                              [&] { return bob_received >= count; });
  };
  std::thread bob_reads([&] {
    v1::AgentEvent event;
    while (bob.reader->Read(&event)) {
      if (!event.has_supervisor_message()) continue;
      std::lock_guard lock(mu);
      ++bob_received;
      arrived.notify_all();
    }
  });
  for (int i = 0; i < kMessages && bob_has(i - 4); ++i) {
    v1::BroadcastMessageRequest request;
    request.add_agent_ids("alice");
    request.add_agent_ids("bob");
    request.set_text(text);
    v1::BroadcastMessageResponse response;
    EXPECT_TRUE(supervision_->BroadcastMessage(Call("t-lead").get(), request, &response).ok());
  }
  EXPECT_TRUE(bob_has(kMessages)) << "bob got " << bob_received << " of " << kMessages;
  bob.context->TryCancel();
  bob_reads.join();

  // Alice's desktop, reading at last, finds what was written before the cut and then the reason.
  int received = 0;
  v1::AgentEvent event;
  while (hung->Read(&event)) ++received;
  const grpc::Status status = hung->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(status.error_message(), HasSubstr("resume from the last sequence"));
  EXPECT_LT(received, kMessages);
}

}  // namespace
}  // namespace acd::integration
