#include "clients/agent/desk_session.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

#include "acd/v1/agent_desk.grpc.pb.h"
#include "clients/agent/agent_event_format.h"
#include "clients/agent/desk_automation.h"
#include "clients/common/connection.h"
#include "clients/common/signal_watcher.h"

namespace acd::clients::agent {
namespace {

constexpr std::chrono::milliseconds kFirstRetry{250};
constexpr std::chrono::milliseconds kLongestRetry{8000};

/// The one event stream open at a time, and the wait between attempts, both ended by a signal.
class StreamControl {
 public:
  void Use(grpc::ClientContext* context) {
    std::lock_guard lock(mu_);
    context_ = context;
    if (stopped_ && context_ != nullptr) context_->TryCancel();
  }
  void Stop() {
    std::lock_guard lock(mu_);
    stopped_ = true;
    if (context_ != nullptr) context_->TryCancel();
    woken_.notify_all();
  }
  /// Waits `pause` unless stopped first; false when stopped.
  bool Pause(std::chrono::milliseconds pause) {
    std::unique_lock lock(mu_);
    return !woken_.wait_for(lock, pause, [this] { return stopped_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable woken_;
  grpc::ClientContext* context_ = nullptr;
  bool stopped_ = false;
};

/// Whether the daemon may answer later a call that failed with `status`: it is away, stopping or
/// busy.
bool Transient(const grpc::Status& status) {
  return status.error_code() == grpc::StatusCode::UNAVAILABLE ||
         status.error_code() == grpc::StatusCode::CANCELLED ||
         status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED;
}

/// Whether a stream that ended with `status` is worth opening again.
bool Retryable(const grpc::Status& status) {
  if (Transient(status)) return true;  // the daemon restarted or the network dropped
  switch (status.error_code()) {
    case grpc::StatusCode::RESOURCE_EXHAUSTED:  // the desktop fell behind
    case grpc::StatusCode::OUT_OF_RANGE:        // what it missed is gone: start from the desk
    case grpc::StatusCode::OK:                  // the daemon ended the stream
      return true;
    default:
      return false;
  }
}

}  // namespace

int RunDeskSession(const GlobalOptions& global, const SessionOptions& options, Output& output) {
  SignalWatcher signals;  // First: it must block the signals before gRPC starts its threads.
  StreamControl control;
  const SignalWatcher::HandlerScope on_signal = signals.OnSignal([&control] { control.Stop(); });
  const Connection connection(global);
  const std::unique_ptr<v1::AgentDesk::Stub> desk = v1::AgentDesk::NewStub(connection.channel());

  std::optional<DeskAutomation> automation;
  if (options.auto_accept) {
    automation.emplace(*desk, connection, output,
                       DeskAutomation::Options{.handle_time = std::chrono::milliseconds(
                                                   std::llround(options.handle_seconds * 1000)),
                                               .disposition = options.disposition,
                                               .notes = options.notes});
  }

  std::uint64_t resume_after = 0;  // The last sequence printed (supervisor messages have none).
  bool first = true;
  std::chrono::milliseconds retry = kFirstRetry;
  grpc::Status status;
  // Waits before the next attempt; false when a signal ended the session meanwhile.
  const auto back_off = [&] {
    output.Print(KeyValueLine("reconnecting")
                     .AddNumber("resume_after", static_cast<std::int64_t>(resume_after))
                     .AddNumber("retry_in_ms", retry.count()));
    const bool go_on = control.Pause(retry);
    retry = std::min(retry * 2, kLongestRetry);
    return go_on;
  };
  while (true) {
    if (!first) {
      // Is the daemon back? A stream that fails before its headers looks opened to a client.
      v1::GetDeskResponse picture;
      const grpc::Status back =
          desk->GetDesk(connection.NewCallContext().get(), v1::GetDeskRequest(), &picture);
      if (!back.ok()) {
        status = back;
        if (signals.received() || !Transient(back)) break;
        output.PrintStatus(back, "reconnect");
        if (!back_off()) break;
        continue;
      }
    }
    const std::unique_ptr<grpc::ClientContext> context = connection.NewStreamContext();
    control.Use(context.get());
    v1::StreamEventsRequest request;
    if (!first) request.set_resume_after_sequence(resume_after);
    std::unique_ptr<grpc::ClientReader<v1::AgentEvent>> reader =
        desk->StreamEvents(context.get(), request);
    // The daemon sends the response headers once the stream is registered: from then on the
    // agent counts as connected and no event is missed.
    reader->WaitForInitialMetadata();
    if (first) {
      output.Print(KeyValueLine("connected"));
    } else {
      output.Print(KeyValueLine("connected")
                       .AddNumber("resume_after", static_cast<std::int64_t>(resume_after)));
    }

    if (first && options.set_ready) {
      v1::SetStateRequest ready;
      ready.set_state(v1::AGENT_STATE_READY);
      v1::SetStateResponse response;
      const grpc::Status set = desk->SetState(connection.NewCallContext().get(), ready, &response);
      if (!set.ok()) {
        context->TryCancel();
        reader->Finish();
        control.Use(nullptr);
        if (automation) automation->Shutdown();
        if (signals.received()) return 0;
        output.PrintStatus(set, "set ready");
        return kExitFailure;
      }
      output.Print(StateLine(response));
    }
    first = false;

    v1::AgentEvent event;
    bool got_events = false;
    while (reader->Read(&event)) {
      got_events = true;
      if (event.sequence() != 0) resume_after = event.sequence();
      output.Print(AgentEventLine(event));
      if (automation) automation->OnEvent(event);
    }
    status = reader->Finish();
    control.Use(nullptr);
    if (signals.received() || !options.reconnect || !Retryable(status)) break;

    if (status.ok()) {
      output.PrintError("the daemon ended the event stream");
    } else {
      output.PrintStatus(status);
    }
    if (status.error_code() == grpc::StatusCode::OUT_OF_RANGE) {
      // The events after `resume_after` are gone: take the desk's picture and go on from it.
      v1::GetDeskResponse picture;
      const grpc::Status read =
          desk->GetDesk(connection.NewCallContext().get(), v1::GetDeskRequest(), &picture);
      if (read.ok()) {
        resume_after = picture.sequence();
        output.Print(KeyValueLine("resynced")
                         .AddNumber("sequence", static_cast<std::int64_t>(resume_after))
                         .AddNumber("offers", picture.offers_size())
                         .AddNumber("assignments", picture.assignments_size())
                         .AddNumber("wrap_ups", picture.wrap_ups_size()));
      }
    }
    if (got_events) retry = kFirstRetry;  // It worked for a while: start the backoff again.
    if (!back_off()) break;
  }

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
