#pragma once

#include <atomic>
#include <csignal>
#include <functional>
#include <mutex>
#include <thread>

namespace acd::clients {

/// Turns SIGINT and SIGTERM into a call of a handler on a thread of its own, so that a program
/// blocked reading a stream can cancel it and exit cleanly.
///
/// Construct it before any other thread starts (gRPC's included: before the first channel): it
/// blocks the two signals in the constructing thread and every thread started afterwards
/// inherits that, so only the watcher's `sigwait` ever sees them. They stay blocked after the
/// watcher is destroyed.
class SignalWatcher {
 public:
  SignalWatcher();
  /// Stops the watcher's thread; a handler running is waited for.
  ~SignalWatcher();

  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

  /// Unsets the handler it was returned with when it goes out of scope; declare it after what
  /// the handler uses, so that no signal reaches a destroyed object.
  class [[nodiscard]] HandlerScope {
   public:
    explicit HandlerScope(SignalWatcher& watcher) : watcher_(watcher) {}
    ~HandlerScope() { watcher_.SetHandler(nullptr); }
    HandlerScope(const HandlerScope&) = delete;
    HandlerScope& operator=(const HandlerScope&) = delete;

   private:
    SignalWatcher& watcher_;
  };

  /// Sets what runs on each signal, on the watcher's thread, until the returned scope ends; it
  /// must not block for long nor call OnSignal. If a signal came before this call, `handler` runs
  /// at once on the calling thread. Any thread.
  HandlerScope OnSignal(std::function<void()> handler);

  /// Whether SIGINT or SIGTERM has arrived. Any thread.
  bool received() const { return received_.load(); }

 private:
  void SetHandler(std::function<void()> handler);
  void Watch();

  sigset_t signals_;
  std::atomic<bool> received_ = false;
  std::atomic<bool> stopping_ = false;
  std::mutex mu_;  // Guards handler_; held while it runs.
  std::function<void()> handler_;
  std::thread thread_;
};

}  // namespace acd::clients
