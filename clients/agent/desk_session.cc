#include "clients/agent/desk_session.h"

#include <chrono>
#include <cmath>
#include <memory>
#include <optional>

#include "acd/v1/agent_desk.grpc.pb.h"
#include "clients/agent/agent_event_format.h"
#include "clients/agent/desk_automation.h"
#include "clients/common/connection.h"
#include "clients/common/signal_watcher.h"

namespace acd::clients::agent {

int RunDeskSession(const GlobalOptions& global, const SessionOptions& options, Output& output) {
  SignalWatcher signals;  // First: it must block the signals before gRPC starts its threads.
  const Connection connection(global);
  const std::unique_ptr<v1::AgentDesk::Stub> desk = v1::AgentDesk::NewStub(connection.channel());

  const std::unique_ptr<grpc::ClientContext> context = connection.NewStreamContext();
  const SignalWatcher::HandlerScope on_signal =
      signals.OnSignal([target = context.get()] { target->TryCancel(); });
  std::unique_ptr<grpc::ClientReader<v1::AgentEvent>> reader =
      desk->StreamEvents(context.get(), v1::StreamEventsRequest());
  // The daemon sends the response headers once the stream is registered: from then on the
  // agent counts as connected and no event is missed.
  reader->WaitForInitialMetadata();
  output.Print(KeyValueLine("connected"));

  std::optional<DeskAutomation> automation;
  if (options.auto_accept) {
    automation.emplace(*desk, connection, output,
                       DeskAutomation::Options{.handle_time = std::chrono::milliseconds(
                                                   std::llround(options.handle_seconds * 1000)),
                                               .disposition = options.disposition,
                                               .notes = options.notes});
  }

  if (options.set_ready) {
    v1::SetStateRequest request;
    request.set_state(v1::AGENT_STATE_READY);
    v1::SetStateResponse response;
    const grpc::Status status =
        desk->SetState(connection.NewCallContext().get(), request, &response);
    if (!status.ok()) {
      context->TryCancel();
      reader->Finish();
      if (signals.received()) return 0;
      output.PrintStatus(status, "set ready");
      return kExitFailure;
    }
    output.Print(StateLine(response));
  }

  v1::AgentEvent event;
  while (reader->Read(&event)) {
    output.Print(AgentEventLine(event));
    if (automation) automation->OnEvent(event);
  }
  const grpc::Status status = reader->Finish();
  if (automation) automation->Shutdown();
  if (signals.received()) return 0;
  if (!status.ok()) {
    output.PrintStatus(status);
    return kExitFailure;
  }
  output.PrintError("the daemon ended the event stream");
  return kExitFailure;
}

}  // namespace acd::clients::agent
