#include "clients/common/signal_watcher.h"

#include <pthread.h>

#include <utility>

namespace acd::clients {

SignalWatcher::SignalWatcher() {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGINT);
  sigaddset(&signals_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
  thread_ = std::thread([this] { Watch(); });
}

SignalWatcher::~SignalWatcher() {
  stopping_ = true;
  // A signal aimed at the watcher's thread wakes its sigwait; every thread has it blocked, so it
  // ends neither the thread nor the process.
  pthread_kill(thread_.native_handle(), SIGTERM);  // NOLINT(bugprone-bad-signal-to-kill-thread)
  thread_.join();
}

SignalWatcher::HandlerScope SignalWatcher::OnSignal(std::function<void()> handler) {
  SetHandler(std::move(handler));
  return HandlerScope(*this);
}

void SignalWatcher::SetHandler(std::function<void()> handler) {
  std::function<void()> run_now;
  {
    std::lock_guard lock(mu_);
    handler_ = std::move(handler);
    if (received_) run_now = handler_;
  }
  if (run_now) run_now();
}

void SignalWatcher::Watch() {
  while (true) {
    int signal = 0;
    if (sigwait(&signals_, &signal) != 0) continue;
    if (stopping_) return;
    // Held while the handler runs, so that once SetHandler returns the old handler is over.
    std::lock_guard lock(mu_);
    received_ = true;
    if (handler_) handler_();
  }
}

}  // namespace acd::clients
