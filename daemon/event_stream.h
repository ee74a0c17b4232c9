#pragma once

#include <grpcpp/grpcpp.h>
#include <grpcpp/support/server_callback.h>

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace acd::daemon {

/// A server-streaming reactor with one write in flight and a bounded outbox. Producers (the core
/// strand) `Push` from any thread and never wait; a client too slow to drain `max_outbox`
/// messages is cut off with RESOURCE_EXHAUSTED instead of growing the daemon's memory.
///
/// Lifetime: shared. gRPC holds it (through `self_`) until `OnDone`; whoever registered it for
/// events may keep a pointer longer, and pushes to a finished stream are dropped.
template <typename Message>
class EventStream final : public grpc::ServerWriteReactor<Message>,
                          public std::enable_shared_from_this<EventStream<Message>> {
 public:
  static std::shared_ptr<EventStream> Create(std::size_t max_outbox) {
    auto stream = std::shared_ptr<EventStream>(new EventStream(max_outbox));
    stream->self_ = stream;
    return stream;
  }

  /// `on_done` runs once, on a gRPC thread, when the call is over; it must not block. Call before
  /// the reactor is handed to gRPC.
  void SetOnDone(std::function<void()> on_done) { on_done_ = std::move(on_done); }

  /// Sends the response headers, telling the client that the stream is registered and no event
  /// from now on will be missed. Any thread; once, before the first Push.
  void MarkLive() {
    // Holding `mu_` orders this before any Finish; the reactions it may run inline do not lock.
    std::lock_guard lock(mu_);
    if (finishing_ || finished_) return;
    this->StartSendInitialMetadata();
  }

  /// Queues `message` for the client. Any thread.
  void Push(Message message) {
    const Message* to_write = nullptr;
    bool finish_now = false;
    {
      std::lock_guard lock(mu_);
      if (finishing_) return;
      if (outbox_.size() >= max_outbox_ + picture_allowance_) {
        finishing_ = true;
        close_status_ = grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                     "event stream cut off: the client did not keep up with its "
                                     "events; reconnect and resume from the last sequence seen");
        finish_now = !writing_;
      } else {
        outbox_.push_back(std::move(message));
        if (!writing_) {
          writing_ = true;
          to_write = &outbox_.front();
        }
      }
    }
    // gRPC may run reactions inline, so it is never called with `mu_` held.
    if (to_write != nullptr) this->StartWrite(to_write);
    if (finish_now) FinishOnce();
  }

  /// Queues a picture the client asked for (what is open as the stream starts), whatever its
  /// size: the outbox's bound is raised by the picture's length until that many messages have
  /// been written, so that live events behind it still have the whole outbox. Any thread.
  void PushPicture(std::vector<Message> picture) {
    const Message* to_write = nullptr;
    {
      std::lock_guard lock(mu_);
      if (finishing_ || picture.empty()) return;
      picture_allowance_ += picture.size();
      for (Message& message : picture) outbox_.push_back(std::move(message));
      if (!writing_) {
        writing_ = true;
        to_write = &outbox_.front();
      }
    }
    if (to_write != nullptr) this->StartWrite(to_write);
  }

  /// Ends the stream with `status` after the write in flight, if any. Any thread.
  void Close(grpc::Status status) {
    bool finish_now = false;
    {
      std::lock_guard lock(mu_);
      if (finishing_) return;
      finishing_ = true;
      close_status_ = std::move(status);
      finish_now = !writing_;
    }
    if (finish_now) FinishOnce();
  }

  void OnWriteDone(bool ok) override {
    const Message* to_write = nullptr;
    bool finish_now = false;
    {
      std::lock_guard lock(mu_);
      outbox_.pop_front();
      if (picture_allowance_ > 0) --picture_allowance_;
      if (!ok) {
        // The client is gone; nothing more will be written.
        finishing_ = true;
        close_status_ = grpc::Status(grpc::StatusCode::CANCELLED, "client went away");
        writing_ = false;
        finish_now = true;
      } else if (!outbox_.empty() && !finishing_) {
        to_write = &outbox_.front();
      } else {
        writing_ = false;
        finish_now = finishing_;
      }
    }
    if (to_write != nullptr) this->StartWrite(to_write);
    if (finish_now) FinishOnce();
  }

  void OnCancel() override { Close(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled")); }

  void OnDone() override {
    if (on_done_) on_done_();
    self_.reset();  // May destroy `this`.
  }

 private:
  explicit EventStream(std::size_t max_outbox) : max_outbox_(max_outbox) {}

  void FinishOnce() {
    grpc::Status status;
    {
      std::lock_guard lock(mu_);
      if (finished_) return;
      finished_ = true;
      status = close_status_.value_or(grpc::Status::OK);
    }
    this->Finish(status);
  }

  const std::size_t max_outbox_;
  std::function<void()> on_done_;
  /// Keeps the reactor alive while gRPC may still call it; released in OnDone.
  std::shared_ptr<EventStream> self_;

  std::mutex mu_;  // Guards the fields below; never held while calling into gRPC.
  /// Messages not yet fully written; the front one is in flight while `writing_`.
  std::deque<Message> outbox_;
  /// How far a picture still raises the outbox's bound: one less per message written.
  std::size_t picture_allowance_ = 0;
  bool writing_ = false;
  /// No more pushes are accepted; the stream finishes once no write is in flight.
  bool finishing_ = false;
  bool finished_ = false;
  std::optional<grpc::Status> close_status_;
};

}  // namespace acd::daemon
