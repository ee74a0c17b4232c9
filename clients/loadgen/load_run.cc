#include "clients/loadgen/load_run.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "acd/v1/agent_desk.grpc.pb.h"
#include "acd/v1/intake.grpc.pb.h"
#include "clients/common/enum_names.h"
#include "sim/random.h"

namespace acd::clients::loadgen {

namespace v1 = ::acd::v1;
using Clock = std::chrono::steady_clock;

namespace {

double Seconds(Clock::duration duration) { return std::chrono::duration<double>(duration).count(); }

std::uint64_t Microseconds(Clock::duration duration) {
  return static_cast<std::uint64_t>(std::max<std::int64_t>(
      0, std::chrono::duration_cast<std::chrono::microseconds>(duration).count()));
}

/// Seconds of overlap between [from, to) and [window_from, window_to).
double Overlap(Clock::time_point from, Clock::time_point to, Clock::time_point window_from,
               Clock::time_point window_to) {
  const Clock::time_point start = std::max(from, window_from);
  const Clock::time_point end = std::min(to, window_to);
  return end > start ? Seconds(end - start) : 0.0;
}

double Ratio(double numerator, double denominator) {
  return denominator > 0 ? numerator / denominator : 0.0;
}

/// Counts the unary calls alive, so that the run ends only once gRPC is done with all of them.
/// Thread-safe.
class CallTally {
 public:
  void Begin() {
    std::lock_guard lock(mu_);
    ++alive_;
  }
  void End() {
    std::lock_guard lock(mu_);
    if (--alive_ == 0) none_.notify_all();
  }
  void WaitNone() {
    std::unique_lock lock(mu_);
    none_.wait(lock, [&] { return alive_ == 0; });
  }

 private:
  std::mutex mu_;  // Guards alive_.
  std::condition_variable none_;
  int alive_ = 0;
};

/// One unary call's context, request and response, alive until its reaction has run (or been
/// dropped unrun at shutdown).
template <typename Request, typename Response>
struct UnaryCall {
  UnaryCall(CallTally& calls, const std::string& authorization, std::chrono::microseconds timeout)
      : tally(calls) {
    tally.Begin();
    context.AddMetadata("authorization", authorization);
    context.set_deadline(std::chrono::system_clock::now() + timeout);
  }
  ~UnaryCall() { tally.End(); }
  UnaryCall(const UnaryCall&) = delete;
  UnaryCall& operator=(const UnaryCall&) = delete;

  CallTally& tally;
  grpc::ClientContext context;
  Request request;
  Response response;
};

/// What the gateway's stream said, reduced to what the simulation reads.
struct GatewayNews {
  enum class Kind { kAssigned, kAbandoned, kCompleted, kExpired };
  Kind kind;
  std::string external_id;
};

/// What an agent's stream said, reduced likewise.
struct DeskNews {
  enum class Kind { kOffer, kAssigned, kRescinded, kWrapUp, kCompleted };
  Kind kind;
  std::string contact_id;
  std::string external_id;
  bool auto_accepted = false;
};

}  // namespace

/// Thread-safe counts of streams opening and ending, for the setup and shutdown phases, which the
/// calling thread waits on.
class StreamTally {
 public:
  void Registered() { Bump(registered_); }
  void Ended(const grpc::Status& status, bool expected) {
    std::lock_guard lock(mu_);
    ++ended_;
    if (!expected && failure_.empty()) {
      failure_ = absl::StrCat(std::string(StatusCodeName(status.error_code())), ": ",
                              status.error_message());
    }
    changed_.notify_all();
  }
  /// Waits until `count` registered (true), a stream ended first, or the deadline.
  bool WaitRegistered(int count, Clock::time_point deadline) {
    std::unique_lock lock(mu_);
    changed_.wait_until(lock, deadline, [&] { return registered_ >= count || ended_ > 0; });
    return registered_ >= count && ended_ == 0;
  }
  void WaitEnded(int count) {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return ended_ >= count; });
  }
  std::string Failure() {
    std::lock_guard lock(mu_);
    return failure_;
  }
  int registered() {
    std::lock_guard lock(mu_);
    return registered_;
  }

 private:
  void Bump(int& counter) {
    std::lock_guard lock(mu_);
    ++counter;
    changed_.notify_all();
  }
  std::mutex mu_;  // Guards everything below.
  std::condition_variable changed_;
  int registered_ = 0;
  int ended_ = 0;
  std::string failure_;
};

/// The simulation: every member is touched on the io_context's thread only, except where said.
class LoadEngine {
 public:
  LoadEngine(Scenario scenario, RunOptions options)
      : scenario_(std::move(scenario)),
        options_(std::move(options)),
        call_timeout_(
            std::chrono::microseconds(std::llround(options_.global.timeout_seconds * 1e6))),
        random_(options_.seed),
        run_prefix_(absl::StrCat("lg",
                                 std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count(),
                                 "-")) {}

  absl::StatusOr<RunResult> Run();
  void Interrupt() {
    boost::asio::post(io_, [this] { EndArrivals(); });
  }

 private:
  template <typename Event>
  class StreamReader;
  class GatewayStream;
  class DeskStream;
  template <typename Event>
  friend class StreamReader;
  friend class GatewayStream;
  friend class DeskStream;

  struct ContactRecord {
    Clock::time_point sent;
    Clock::time_point accept_sent;
    std::string contact_id;
    /// Index into gateway_authorization_ of the gateway that created it.
    int gateway = 0;
    /// The agent with a pending offer, or -1.
    int offered_to = -1;
    bool acknowledged = false;
    bool failed = false;
    bool offered = false;
    bool accept_pending = false;
    bool assigned = false;
    bool abandoned = false;
    bool completed = false;
    bool Resolved() const { return failed || abandoned || completed; }
  };

  struct SimAgent {
    std::string authorization;
    int tenant = 0;
    std::unique_ptr<sim::Random> random;
    int busy = 0;
    Clock::time_point busy_since;
    bool on_break = false;
    Clock::time_point break_since;
    Clock::time_point next_break;
  };

  // Posting from gRPC's threads.
  void OnGatewayNews(GatewayNews news, Clock::time_point at) {
    boost::asio::post(io_, [this, news = std::move(news), at] { HandleGateway(news, at); });
  }
  void OnDeskNews(int agent, DeskNews news, Clock::time_point at) {
    boost::asio::post(io_,
                      [this, agent, news = std::move(news), at] { HandleDesk(agent, news, at); });
  }

  /// A stream ended before the run did: measuring goes on no further. Any thread.
  void StreamBroke() {
    boost::asio::post(io_, [this] { Finish(); });
  }

  /// Runs `action` on the simulation's thread at `at`.
  template <typename Action>
  void At(Clock::time_point at, Action action) {
    auto timer = std::make_shared<boost::asio::steady_timer>(io_, at);
    timer->async_wait(
        [this, timer, action = std::move(action)](const boost::system::error_code& error) mutable {
          if (!error && !action_stopped_) action();
        });
  }
  /// A real duration for `contact_centre_s` seconds of contact-centre time.
  Clock::duration Real(double contact_centre_s) const {
    return std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(contact_centre_s / scenario_.time_scale));
  }

  v1::Intake::Stub& Intake(std::size_t n) { return *intake_[n % intake_.size()]; }
  v1::AgentDesk::Stub& Desk(int agent) {
    return *desks_[static_cast<std::size_t>(agent) % desks_.size()];
  }

  void SetAgentsReady();
  void SetReady(int agent);
  void StartArrivals();
  void ArrivalTick();
  void SendCreate(Clock::time_point scheduled, Clock::time_point now);
  void EndArrivals();
  void CheckDrained();
  void Finish();
  void Progress();

  void HandleGateway(const GatewayNews& news, Clock::time_point at);
  void HandleDesk(int agent, const DeskNews& news, Clock::time_point at);
  /// Accepts an offer; `n` is the contact's record when this run created it (an agent also takes
  /// contacts it does not know: left waiting by an earlier run, or created by someone else).
  void Accept(int agent, const std::string& contact_id, std::optional<std::size_t> n);
  void StartHandling(int agent, const std::string& contact_id, Clock::time_point at);
  void Complete(int agent, const std::string& contact_id);
  /// Cancels the contacts of this run still waiting, so that none is left behind in the target.
  void CancelLeftovers();
  void SubmitWrapUp(int agent, const std::string& contact_id);
  void Abandon(std::size_t n);
  void AgentFree(int agent, Clock::time_point at);
  void SetState(int agent, v1::AgentState state, const std::string& reason);
  void ChangeBusy(int agent, int by, Clock::time_point at);
  std::optional<std::size_t> IndexOf(const std::string& external_id) const;

  Scenario scenario_;
  RunOptions options_;
  /// Deadline of each unary call (--timeout).
  const std::chrono::microseconds call_timeout_;
  sim::Random random_;
  const std::string run_prefix_;

  // Declared before io_: handlers dropped unrun when io_ is destroyed still end their calls.
  CallTally calls_;
  boost::asio::io_context io_;
  /// Set at shutdown: timers that fire then do nothing.
  bool action_stopped_ = false;
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  std::vector<std::unique_ptr<v1::Intake::Stub>> intake_;
  std::vector<std::unique_ptr<v1::AgentDesk::Stub>> desks_;
  std::vector<std::unique_ptr<GatewayStream>> gateway_streams_;
  std::vector<std::unique_ptr<DeskStream>> desk_streams_;
  StreamTally gateway_tally_;
  StreamTally desk_tally_;
  std::vector<std::string> gateway_authorization_;
  std::vector<SimAgent> agents_;

  std::deque<ContactRecord> contacts_;
  absl::flat_hash_map<std::string, std::size_t> index_by_contact_id_;
  std::int64_t in_flight_ = 0;
  std::int64_t unresolved_ = 0;  // acknowledged, not yet over
  std::int64_t waiting_ = 0;     // acknowledged, not yet assigned or over

  Clock::time_point arrivals_start_;
  Clock::time_point arrivals_end_;
  Clock::time_point next_arrival_;
  Clock::time_point drain_deadline_;
  Clock::time_point last_progress_;
  std::int64_t last_progress_offered_ = 0;
  bool arrivals_running_ = false;
  bool arrivals_over_ = false;
  bool finished_ = false;
  std::unique_ptr<boost::asio::steady_timer> arrival_timer_;

  RunResult result_;

  // Guards `ready_agents_`, `ready_failure_` and `done_`, which the calling thread waits on.
  std::mutex phase_mu_;
  std::condition_variable phase_changed_;
  int ready_agents_ = 0;
  std::string ready_failure_;
  bool done_ = false;
};

/// A server stream of `Event`s read on gRPC's threads: counted in `tally`, each event handed to
/// `OnEvent`, and an end the run did not ask for reported as a broken stream.
template <typename Event>
class LoadEngine::StreamReader : public grpc::ClientReadReactor<Event> {
 public:
  void Hang() {
    hung_up_ = true;
    context_.TryCancel();
  }
  void OnReadInitialMetadataDone(bool ok) override {
    if (ok) tally_.Registered();
  }
  void OnReadDone(bool ok) override {
    if (!ok) return;
    OnEvent(event_, Clock::now());
    this->StartRead(&event_);
  }
  void OnDone(const grpc::Status& status) override {
    tally_.Ended(status, hung_up_.load());
    if (!hung_up_) engine_.StreamBroke();
  }

 protected:
  StreamReader(LoadEngine& engine, StreamTally& tally, const std::string& authorization)
      : engine_(engine), tally_(tally) {
    context_.AddMetadata("authorization", authorization);
  }
  /// For the subclass's constructor, once it has bound its call to this reactor.
  void Start() {
    this->StartRead(&event_);
    this->StartCall();
  }
  virtual void OnEvent(const Event& event, Clock::time_point at) = 0;

  LoadEngine& engine_;
  grpc::ClientContext context_;

 private:
  StreamTally& tally_;
  std::atomic<bool> hung_up_{false};
  Event event_;
};

/// A tenant gateway's WatchContacts stream.
class LoadEngine::GatewayStream final : public StreamReader<v1::ContactEvent> {
 public:
  GatewayStream(LoadEngine& engine, v1::Intake::Stub& stub, const std::string& authorization)
      : StreamReader(engine, engine.gateway_tally_, authorization) {
    stub.async()->WatchContacts(&context_, &request_, this);
    Start();
  }

 private:
  void OnEvent(const v1::ContactEvent& event, Clock::time_point at) override {
    GatewayNews::Kind kind;
    switch (event.kind_case()) {
      case v1::ContactEvent::kAssigned:
        kind = GatewayNews::Kind::kAssigned;
        break;
      case v1::ContactEvent::kAbandoned:
        kind = GatewayNews::Kind::kAbandoned;
        break;
      case v1::ContactEvent::kCompleted:
        kind = GatewayNews::Kind::kCompleted;
        break;
      case v1::ContactEvent::kExpired:
        kind = GatewayNews::Kind::kExpired;
        break;
      default:
        return;  // Nothing the simulation follows.
    }
    engine_.OnGatewayNews({.kind = kind, .external_id = event.external_id()}, at);
  }

  v1::WatchContactsRequest request_;
};

/// An agent's StreamEvents stream.
class LoadEngine::DeskStream final : public StreamReader<v1::AgentEvent> {
 public:
  DeskStream(LoadEngine& engine, v1::AgentDesk::Stub& stub, const std::string& authorization,
             int agent)
      : StreamReader(engine, engine.desk_tally_, authorization), agent_(agent) {
    stub.async()->StreamEvents(&context_, &request_, this);
    Start();
  }

 private:
  void OnEvent(const v1::AgentEvent& event, Clock::time_point at) override {
    DeskNews news;
    switch (event.kind_case()) {
      case v1::AgentEvent::kOffer:
        news = {.kind = DeskNews::Kind::kOffer,
                .contact_id = event.offer().contact().contact_id(),
                .external_id = event.offer().contact().external_id()};
        break;
      case v1::AgentEvent::kAssigned:
        news = {.kind = DeskNews::Kind::kAssigned,
                .contact_id = event.assigned().contact().contact_id(),
                .external_id = event.assigned().contact().external_id(),
                .auto_accepted = event.assigned().auto_accepted()};
        break;
      case v1::AgentEvent::kOfferRescinded:
        news = {.kind = DeskNews::Kind::kRescinded,
                .contact_id = event.offer_rescinded().contact_id()};
        break;
      case v1::AgentEvent::kWrapUpStarted:
        news = {.kind = DeskNews::Kind::kWrapUp,
                .contact_id = event.wrap_up_started().contact_id()};
        break;
      case v1::AgentEvent::kCompleted:
        news = {.kind = DeskNews::Kind::kCompleted, .contact_id = event.completed().contact_id()};
        break;
      default:
        return;  // Nothing the simulation follows.
    }
    engine_.OnDeskNews(agent_, std::move(news), at);
  }

  const int agent_;
  v1::StreamEventsRequest request_;
};

absl::StatusOr<RunResult> LoadEngine::Run() {
  // Separate connections: a channel argument of its own keeps each channel off the others'.
  for (int c = 0; c < std::max(1, options_.connections); ++c) {
    grpc::ChannelArguments arguments;
    arguments.SetInt("acd.loadgen.connection", c);
    std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
    if (!options_.global.tls_ca.empty()) {
      auto read = [](const std::string& path) {
        std::string text;
        if (std::FILE* file = std::fopen(path.c_str(), "rb")) {
          char buffer[4096];
          std::size_t n = 0;
          while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, n);
          std::fclose(file);
        }
        return text;
      };
      grpc::SslCredentialsOptions tls{.pem_root_certs = read(options_.global.tls_ca)};
      if (!options_.global.tls_cert.empty()) {
        tls.pem_private_key = read(options_.global.tls_key);
        tls.pem_cert_chain = read(options_.global.tls_cert);
      }
      credentials = grpc::SslCredentials(tls);
    }
    channels_.push_back(grpc::CreateCustomChannel(options_.global.target, credentials, arguments));
    intake_.push_back(v1::Intake::NewStub(channels_.back()));
    desks_.push_back(v1::AgentDesk::NewStub(channels_.back()));
  }
  // Gateway g is tenant g / gateways_per_tenant's (g % gateways_per_tenant)-th token.
  for (const TenantMix& tenant : scenario_.tenants) {
    for (int k = 0; k < scenario_.gateways_per_tenant; ++k) {
      gateway_authorization_.push_back("Bearer " + scenario_.GatewayToken(tenant, k));
    }
  }
  const int tenant_count = static_cast<int>(scenario_.tenants.size());
  for (int i = 0; i < scenario_.agents; ++i) {
    SimAgent agent;
    agent.authorization = "Bearer " + scenario_.AgentToken(i);
    agent.tenant = i % tenant_count;
    agent.random = std::make_unique<sim::Random>(random_.Fork());
    agents_.push_back(std::move(agent));
  }

  auto work = boost::asio::make_work_guard(io_);
  std::thread simulation([this] { io_.run(); });
  absl::Status status = absl::OkStatus();
  const Clock::time_point setup_deadline =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(
                         std::chrono::duration<double>(options_.setup_timeout_s));

  for (std::size_t g = 0; g < gateway_authorization_.size(); ++g) {
    gateway_streams_.push_back(
        std::make_unique<GatewayStream>(*this, Intake(g), gateway_authorization_[g]));
  }
  if (!gateway_tally_.WaitRegistered(static_cast<int>(gateway_streams_.size()), setup_deadline)) {
    const std::string failure = gateway_tally_.Failure();
    status = absl::UnavailableError(absl::StrCat("the gateways' WatchContacts streams did not open",
                                                 failure.empty() ? " in time" : ": " + failure));
  }
  if (status.ok()) {
    for (int i = 0; i < scenario_.agents; ++i) {
      desk_streams_.push_back(std::make_unique<DeskStream>(
          *this, Desk(i), agents_[static_cast<std::size_t>(i)].authorization, i));
    }
    if (!desk_tally_.WaitRegistered(scenario_.agents, setup_deadline)) {
      const std::string failure = desk_tally_.Failure();
      status = absl::UnavailableError(absl::StrCat(
          desk_tally_.registered(), " of ", scenario_.agents,
          " agents' StreamEvents streams opened", failure.empty() ? " in time" : "; " + failure));
    }
  }
  if (status.ok() && options_.agents_ready) {
    boost::asio::post(io_, [this] { SetAgentsReady(); });
    std::unique_lock lock(phase_mu_);
    phase_changed_.wait_until(lock, setup_deadline, [&] {
      return ready_agents_ >= scenario_.agents || !ready_failure_.empty();
    });
    if (!ready_failure_.empty()) {
      status = absl::FailedPreconditionError(ready_failure_);
    } else if (ready_agents_ < scenario_.agents) {
      status = absl::DeadlineExceededError(
          absl::StrCat(ready_agents_, " of ", scenario_.agents, " agents ready in time"));
    }
  }
  if (status.ok()) {
    boost::asio::post(io_, [this] { StartArrivals(); });
    std::unique_lock lock(phase_mu_);
    phase_changed_.wait(lock, [&] { return done_; });
  }

  for (const auto& stream : gateway_streams_) stream->Hang();
  for (const auto& stream : desk_streams_) stream->Hang();
  gateway_tally_.WaitEnded(static_cast<int>(gateway_streams_.size()));
  desk_tally_.WaitEnded(static_cast<int>(desk_streams_.size()));
  // Calls still in flight (a late accept, say) end within their deadline; the simulation thread
  // runs their reactions, which start nothing new once stopped, until none is left.
  boost::asio::post(io_, [this] {
    action_stopped_ = true;
    arrivals_running_ = false;
    if (arrival_timer_) arrival_timer_->cancel();
  });
  calls_.WaitNone();
  io_.stop();
  simulation.join();
  if (status.ok()) {
    const std::string gateway_failure = gateway_tally_.Failure();
    const std::string desk_failure = desk_tally_.Failure();
    if (!gateway_failure.empty()) {
      status = absl::UnavailableError("a gateway stream broke: " + gateway_failure);
    } else if (!desk_failure.empty()) {
      status = absl::UnavailableError("an agent's stream broke: " + desk_failure);
    }
  }
  if (!status.ok()) return status;
  return std::move(result_);
}

void LoadEngine::SetAgentsReady() {
  // Each desktop first finishes what its agent still holds (an earlier run that ended with
  // calls under way, or a desktop closed mid-call), as a person at the desk would; a target
  // without GetDesk (the relay) holds nothing.
  for (int i = 0; i < scenario_.agents; ++i) {
    auto* call = new UnaryCall<v1::GetDeskRequest, v1::GetDeskResponse>(
        calls_, agents_[static_cast<std::size_t>(i)].authorization, call_timeout_);
    Desk(i).async()->GetDesk(
        &call->context, &call->request, &call->response, [this, call, i](grpc::Status status) {
          const std::shared_ptr<UnaryCall<v1::GetDeskRequest, v1::GetDeskResponse>> owned(call);
          boost::asio::post(io_, [this, owned, i, ok = status.ok()] {
            if (ok) {
              const Clock::time_point now = Clock::now();
              for (const v1::Offer& offer : owned->response.offers()) {
                Accept(i, offer.contact().contact_id(), std::nullopt);
              }
              for (const v1::Assignment& assignment : owned->response.assignments()) {
                StartHandling(i, assignment.contact().contact_id(), now);
              }
              for (const v1::WrapUpStarted& wrap_up : owned->response.wrap_ups()) {
                ChangeBusy(i, +1, now);
                SubmitWrapUp(i, wrap_up.contact_id());
              }
            }
            SetReady(i);
          });
        });
  }
}

void LoadEngine::SetReady(int agent) {
  auto* call = new UnaryCall<v1::SetStateRequest, v1::SetStateResponse>(
      calls_, agents_[static_cast<std::size_t>(agent)].authorization, call_timeout_);
  call->request.set_state(v1::AGENT_STATE_READY);
  Desk(agent).async()->SetState(
      &call->context, &call->request, &call->response, [this, call, agent](grpc::Status status) {
        std::lock_guard lock(phase_mu_);
        if (status.ok()) {
          ++ready_agents_;
        } else if (ready_failure_.empty()) {
          ready_failure_ = absl::StrCat(
              "agent ", agent, " (token ", scenario_.AgentToken(agent),
              ") could not be set ready: ", std::string(StatusCodeName(status.error_code())), ": ",
              status.error_message());
        }
        phase_changed_.notify_all();
        delete call;
      });
}

void LoadEngine::StartArrivals() {
  if (arrivals_over_) return;
  const Clock::time_point now = Clock::now();
  arrivals_start_ = now;
  arrivals_end_ = now + std::chrono::duration_cast<Clock::duration>(
                            std::chrono::duration<double>(options_.duration_s));
  last_progress_ = now;
  for (SimAgent& agent : agents_) {
    if (scenario_.break_every) {
      agent.next_break = now + Real(scenario_.break_every->Sample(*agent.random));
    }
  }
  arrivals_running_ = true;
  next_arrival_ = now;
  arrival_timer_ = std::make_unique<boost::asio::steady_timer>(io_);
  At(now + std::chrono::seconds(1), [this] { Progress(); });
  ArrivalTick();
}

void LoadEngine::ArrivalTick() {
  if (!arrivals_running_) return;
  const Clock::time_point now = Clock::now();
  while (next_arrival_ <= now && next_arrival_ < arrivals_end_) {
    SendCreate(next_arrival_, now);
    const double elapsed_cc = Seconds(next_arrival_ - arrivals_start_) * scenario_.time_scale;
    const double rate_real = scenario_.RateAt(elapsed_cc) * scenario_.time_scale;
    next_arrival_ +=
        rate_real > 0 ? std::chrono::duration_cast<Clock::duration>(
                            std::chrono::duration<double>(random_.Exponential(1.0 / rate_real)))
                      : std::chrono::duration_cast<Clock::duration>(std::chrono::milliseconds(100));
  }
  if (next_arrival_ >= arrivals_end_) {
    At(arrivals_end_, [this] { EndArrivals(); });
    return;
  }
  arrival_timer_->expires_at(next_arrival_);
  arrival_timer_->async_wait([this](const boost::system::error_code& error) {
    if (!error) ArrivalTick();
  });
}

void LoadEngine::SendCreate(Clock::time_point scheduled, Clock::time_point now) {
  if (in_flight_ >= options_.max_in_flight) {
    ++result_.skipped;
    return;
  }
  // Tenant, then queue, by weight.
  auto pick = [this](const auto& items) {
    double total = 0;
    for (const auto& item : items) total += item.weight;
    double draw = random_.Uniform() * total;
    for (std::size_t i = 0; i < items.size(); ++i) {
      draw -= items[i].weight;
      if (draw <= 0) return i;
    }
    return items.size() - 1;
  };
  const std::size_t tenant = pick(scenario_.tenants);
  const QueueMix& queue = scenario_.tenants[tenant].queues[pick(scenario_.tenants[tenant].queues)];
  const std::size_t n = contacts_.size();
  // Each of the tenant's gateways takes its turn.
  const std::size_t gateway = tenant * static_cast<std::size_t>(scenario_.gateways_per_tenant) +
                              n % static_cast<std::size_t>(scenario_.gateways_per_tenant);
  contacts_.push_back(ContactRecord{.sent = now, .gateway = static_cast<int>(gateway)});
  result_.send_lag.Record(Microseconds(now - scheduled));
  ++result_.offered;
  ++in_flight_;

  auto* call = new UnaryCall<v1::CreateContactRequest, v1::CreateContactResponse>(
      calls_, gateway_authorization_[gateway], call_timeout_);
  call->request.set_external_id(absl::StrCat(run_prefix_, n));
  call->request.set_queue_id(queue.id);
  call->request.set_channel(ParseChannel(queue.channel).value_or(v1::CHANNEL_VOICE));
  for (const auto& [skill, level] : queue.skills) {
    v1::SkillRequirement* requirement = call->request.add_required_skills();
    requirement->set_skill(skill);
    requirement->set_min_level(level);
  }
  Intake(n).async()->CreateContact(
      &call->context, &call->request, &call->response, [this, call, n](grpc::Status status) {
        const Clock::time_point at = Clock::now();
        const std::shared_ptr<UnaryCall<v1::CreateContactRequest, v1::CreateContactResponse>> owned(
            call);
        boost::asio::post(io_, [this, owned, n, at, status = std::move(status)] {
          --in_flight_;
          ContactRecord& record = contacts_[n];
          if (!status.ok()) {
            ++result_.create_failed;
            ++result_.create_errors[std::string(StatusCodeName(status.error_code()))];
            record.failed = true;
            CheckDrained();
            return;
          }
          record.acknowledged = true;
          ++result_.acknowledged;
          if (arrivals_running_) ++result_.acknowledged_in_window;
          result_.create_to_ack.Record(Microseconds(at - record.sent));
          record.contact_id = owned->response.contact().contact_id();
          index_by_contact_id_[record.contact_id] = n;
          if (!record.Resolved()) ++unresolved_;
          if (!record.assigned && !record.Resolved()) ++waiting_;
          if (scenario_.patience && !record.assigned && !record.Resolved()) {
            At(record.sent + Real(scenario_.patience->Sample(random_)), [this, n] { Abandon(n); });
          }
        });
      });
}

void LoadEngine::EndArrivals() {
  if (arrivals_over_) return;
  arrivals_over_ = true;
  const Clock::time_point now = Clock::now();
  if (!arrivals_running_) {
    // Interrupted before the arrivals started: nothing to drain.
    Finish();
    return;
  }
  arrivals_running_ = false;
  arrivals_end_ = std::min(arrivals_end_, now);
  arrival_timer_->cancel();
  result_.duration_s = Seconds(arrivals_end_ - arrivals_start_);
  result_.offered_in_window = result_.offered;
  result_.assigned_in_window = result_.assigned;
  drain_deadline_ = now + std::chrono::duration_cast<Clock::duration>(
                              std::chrono::duration<double>(options_.drain_s));
  At(drain_deadline_, [this] { Finish(); });
  CheckDrained();
}

void LoadEngine::CheckDrained() {
  if (!arrivals_over_ || finished_) return;
  if (in_flight_ > 0) return;
  if (options_.agents_ready && unresolved_ > 0) return;
  Finish();
}

void LoadEngine::Finish() {
  if (finished_) return;
  finished_ = true;
  const Clock::time_point now = Clock::now();
  if (arrivals_running_) {
    // A stream broke: the run ends here.
    arrivals_running_ = false;
    arrivals_end_ = std::min(arrivals_end_, now);
    arrival_timer_->cancel();
    result_.duration_s = Seconds(arrivals_end_ - arrivals_start_);
    result_.offered_in_window = result_.offered;
    result_.assigned_in_window = result_.assigned;
  }
  arrivals_over_ = true;
  // Busy time still running counts up to the end of the arrivals.
  for (std::size_t i = 0; i < agents_.size(); ++i) {
    if (agents_[i].busy > 0) {
      result_.busy_agent_s += Overlap(agents_[i].busy_since, now, arrivals_start_, arrivals_end_);
    }
    if (agents_[i].on_break) {
      result_.staffed_agent_s -=
          Overlap(agents_[i].break_since, now, arrivals_start_, arrivals_end_);
    }
  }
  result_.staffed_agent_s += static_cast<double>(agents_.size()) * result_.duration_s;
  result_.unresolved = unresolved_;
  if (options_.progress) Progress();
  if (options_.agents_ready) CancelLeftovers();
  std::lock_guard lock(phase_mu_);
  done_ = true;
  phase_changed_.notify_all();
}

void LoadEngine::Progress() {
  if (!options_.progress) return;
  const Clock::time_point now = Clock::now();
  const double since_last = std::max(1e-3, Seconds(now - last_progress_));
  const double rate = static_cast<double>(result_.offered - last_progress_offered_) / since_last;
  last_progress_ = now;
  last_progress_offered_ = result_.offered;
  char line[320];
  std::snprintf(line, sizeof line,
                "%6.1fs %s offered %lld (%.0f/s) acked %lld assigned %lld abandoned %lld "
                "waiting %lld | p99 create>ack %.2f ms, create>offer %.2f ms",
                Seconds(now - arrivals_start_), arrivals_running_ ? "running" : "draining",
                static_cast<long long>(result_.offered), rate,
                static_cast<long long>(result_.acknowledged),
                static_cast<long long>(result_.assigned), static_cast<long long>(result_.abandoned),
                static_cast<long long>(waiting_),
                static_cast<double>(result_.create_to_ack.ValueAtPercentile(99)) / 1000.0,
                static_cast<double>(result_.create_to_offer.ValueAtPercentile(99)) / 1000.0);
  options_.progress(line);
  if (!finished_) At(now + std::chrono::seconds(1), [this] { Progress(); });
}

std::optional<std::size_t> LoadEngine::IndexOf(const std::string& external_id) const {
  if (!external_id.starts_with(run_prefix_)) return std::nullopt;
  std::size_t n = 0;
  const char* digits = external_id.data() + run_prefix_.size();
  const char* end = external_id.data() + external_id.size();
  const auto [last, error] = std::from_chars(digits, end, n);
  if (error != std::errc() || last != end || n >= contacts_.size()) return std::nullopt;
  return n;
}

void LoadEngine::HandleGateway(const GatewayNews& news, Clock::time_point at) {
  if (finished_) return;
  const std::optional<std::size_t> n = IndexOf(news.external_id);
  if (!n) return;
  ContactRecord& record = contacts_[*n];
  const bool was_waiting = record.acknowledged && !record.assigned && !record.Resolved();
  const bool was_unresolved = record.acknowledged && !record.Resolved();
  switch (news.kind) {
    case GatewayNews::Kind::kAssigned: {
      if (record.assigned) return;
      record.assigned = true;
      ++result_.assigned;
      if (arrivals_running_) ++result_.assigned_in_window;
      if (record.accept_sent != Clock::time_point{}) {
        result_.accept_to_gateway.Record(Microseconds(at - record.accept_sent));
      }
      const double wait_s = Seconds(at - record.sent) * scenario_.time_scale;
      result_.answered_wait_total_s += wait_s;
      if (wait_s <= scenario_.service_level_threshold_s) ++result_.answered_within_threshold;
      break;
    }
    case GatewayNews::Kind::kAbandoned:
      if (record.abandoned) return;
      record.abandoned = true;
      ++result_.abandoned;
      break;
    case GatewayNews::Kind::kCompleted:
    case GatewayNews::Kind::kExpired:
      if (record.completed) return;
      record.completed = true;
      ++result_.completed;
      break;
  }
  if (was_waiting && (record.assigned || record.Resolved())) --waiting_;
  if (record.Resolved() && !record.contact_id.empty()) {
    // Nothing will look this contact up by its id any more: a long run keeps only the record.
    index_by_contact_id_.erase(record.contact_id);
    std::string().swap(record.contact_id);
  }
  if (was_unresolved && record.Resolved()) {
    --unresolved_;
    CheckDrained();
  }
}

void LoadEngine::HandleDesk(int agent, const DeskNews& news, Clock::time_point at) {
  if (finished_) return;
  std::optional<std::size_t> n;
  if (!news.external_id.empty()) {
    n = IndexOf(news.external_id);
    if (n) {
      contacts_[*n].contact_id = news.contact_id;
      index_by_contact_id_[news.contact_id] = *n;
    }
  } else if (auto found = index_by_contact_id_.find(news.contact_id);
             found != index_by_contact_id_.end()) {
    n = found->second;
  }
  SimAgent& sim_agent = agents_[static_cast<std::size_t>(agent)];
  switch (news.kind) {
    case DeskNews::Kind::kOffer: {
      if (n) {
        ContactRecord& record = contacts_[*n];
        if (!record.offered) {
          record.offered = true;
          result_.create_to_offer.Record(Microseconds(at - record.sent));
        }
        record.offered_to = agent;
      }
      At(at + Real(scenario_.think_time.Sample(*sim_agent.random)),
         [this, agent, contact_id = news.contact_id, n] { Accept(agent, contact_id, n); });
      return;
    }
    case DeskNews::Kind::kAssigned:
      if (!news.auto_accepted) return;
      if (n && !contacts_[*n].offered) {
        contacts_[*n].offered = true;
        result_.create_to_offer.Record(Microseconds(at - contacts_[*n].sent));
      }
      StartHandling(agent, news.contact_id, at);
      return;
    case DeskNews::Kind::kRescinded:
      if (n && contacts_[*n].offered_to == agent) contacts_[*n].offered_to = -1;
      return;
    case DeskNews::Kind::kWrapUp: {
      const std::string contact_id = news.contact_id;
      At(at + Real(scenario_.wrap_up_time.Sample(*sim_agent.random)),
         [this, agent, contact_id] { SubmitWrapUp(agent, contact_id); });
      return;
    }
    case DeskNews::Kind::kCompleted:
      ChangeBusy(agent, -1, at);
      AgentFree(agent, at);
      return;
  }
}

void LoadEngine::Accept(int agent, const std::string& contact_id, std::optional<std::size_t> n) {
  if (n) {
    ContactRecord& record = contacts_[*n];
    if (record.offered_to != agent || record.Resolved()) return;
    record.offered_to = -1;
    record.accept_pending = true;
    record.accept_sent = Clock::now();
  }
  auto* call = new UnaryCall<v1::AcceptOfferRequest, v1::AcceptOfferResponse>(
      calls_, agents_[static_cast<std::size_t>(agent)].authorization, call_timeout_);
  call->request.set_contact_id(contact_id);
  Desk(agent).async()->AcceptOffer(
      &call->context, &call->request, &call->response, [this, call, agent, n](grpc::Status status) {
        const Clock::time_point at = Clock::now();
        const std::shared_ptr<UnaryCall<v1::AcceptOfferRequest, v1::AcceptOfferResponse>> owned(
            call);
        boost::asio::post(io_, [this, owned, agent, n, at, ok = status.ok()] {
          if (n) contacts_[*n].accept_pending = false;
          if (!ok) {
            ++result_.accept_failed;
            return;
          }
          StartHandling(agent, owned->request.contact_id(), at);
        });
      });
}

void LoadEngine::StartHandling(int agent, const std::string& contact_id, Clock::time_point at) {
  ChangeBusy(agent, +1, at);
  SimAgent& sim_agent = agents_[static_cast<std::size_t>(agent)];
  At(at + Real(scenario_.handle_time.Sample(*sim_agent.random)),
     [this, agent, contact_id] { Complete(agent, contact_id); });
}

void LoadEngine::Complete(int agent, const std::string& contact_id) {
  auto* call = new UnaryCall<v1::CompleteContactRequest, v1::CompleteContactResponse>(
      calls_, agents_[static_cast<std::size_t>(agent)].authorization, call_timeout_);
  call->request.set_contact_id(contact_id);
  // The agent's stream says when its part is over (wrap-up started, or completed).
  Desk(agent).async()->CompleteContact(&call->context, &call->request, &call->response,
                                       [call](const grpc::Status&) { delete call; });
}

void LoadEngine::CancelLeftovers() {
  for (std::size_t n = 0; n < contacts_.size(); ++n) {
    const ContactRecord& record = contacts_[n];
    if (!record.acknowledged || record.assigned || record.Resolved()) continue;
    auto* call = new UnaryCall<v1::CancelContactRequest, v1::CancelContactResponse>(
        calls_, gateway_authorization_[static_cast<std::size_t>(record.gateway)], call_timeout_);
    call->request.set_contact_id(record.contact_id);
    call->request.set_reason("load run ended");
    Intake(n).async()->CancelContact(&call->context, &call->request, &call->response,
                                     [call](const grpc::Status&) { delete call; });
  }
}

void LoadEngine::SubmitWrapUp(int agent, const std::string& contact_id) {
  auto* call = new UnaryCall<v1::SubmitWrapUpRequest, v1::SubmitWrapUpResponse>(
      calls_, agents_[static_cast<std::size_t>(agent)].authorization, call_timeout_);
  call->request.set_contact_id(contact_id);
  call->request.set_disposition_code(scenario_.disposition);
  Desk(agent).async()->SubmitWrapUp(&call->context, &call->request, &call->response,
                                    [call](const grpc::Status&) { delete call; });
}

void LoadEngine::Abandon(std::size_t n) {
  const ContactRecord& record = contacts_[n];
  if (record.assigned || record.accept_pending || record.Resolved()) return;
  auto* call = new UnaryCall<v1::CancelContactRequest, v1::CancelContactResponse>(
      calls_, gateway_authorization_[static_cast<std::size_t>(record.gateway)], call_timeout_);
  call->request.set_contact_id(record.contact_id);
  call->request.set_reason("patience");
  Intake(n).async()->CancelContact(&call->context, &call->request, &call->response,
                                   [call](const grpc::Status&) { delete call; });
}

void LoadEngine::AgentFree(int agent, Clock::time_point at) {
  SimAgent& sim_agent = agents_[static_cast<std::size_t>(agent)];
  if (!scenario_.break_every || sim_agent.busy > 0 || sim_agent.on_break || !arrivals_running_ ||
      at < sim_agent.next_break) {
    return;
  }
  sim_agent.on_break = true;
  sim_agent.break_since = at;
  SetState(agent, v1::AGENT_STATE_NOT_READY, scenario_.break_reason);
  At(at + Real(scenario_.break_length.Sample(*sim_agent.random)), [this, agent] {
    if (finished_) return;  // Finish counted the break up to its end.
    SimAgent& back = agents_[static_cast<std::size_t>(agent)];
    const Clock::time_point now = Clock::now();
    result_.staffed_agent_s -= Overlap(back.break_since, now, arrivals_start_, arrivals_end_);
    back.on_break = false;
    back.next_break = now + Real(scenario_.break_every->Sample(*back.random));
    SetState(agent, v1::AGENT_STATE_READY, "");
  });
}

void LoadEngine::SetState(int agent, v1::AgentState state, const std::string& reason) {
  auto* call = new UnaryCall<v1::SetStateRequest, v1::SetStateResponse>(
      calls_, agents_[static_cast<std::size_t>(agent)].authorization, call_timeout_);
  call->request.set_state(state);
  call->request.set_reason_code(reason);
  Desk(agent).async()->SetState(&call->context, &call->request, &call->response,
                                [call](const grpc::Status&) { delete call; });
}

void LoadEngine::ChangeBusy(int agent, int by, Clock::time_point at) {
  if (finished_) return;  // Finish counted busy time up to its end.
  SimAgent& sim_agent = agents_[static_cast<std::size_t>(agent)];
  const int before = sim_agent.busy;
  sim_agent.busy = std::max(0, sim_agent.busy + by);
  if (before == 0 && sim_agent.busy > 0) sim_agent.busy_since = at;
  if (before > 0 && sim_agent.busy == 0 && arrivals_start_ != Clock::time_point{}) {
    result_.busy_agent_s += Overlap(sim_agent.busy_since, at, arrivals_start_, arrivals_end_);
  }
}

double RunResult::ServiceLevel() const {
  return Ratio(static_cast<double>(answered_within_threshold), static_cast<double>(assigned));
}
double RunResult::AverageSpeedOfAnswer() const {
  return Ratio(answered_wait_total_s, static_cast<double>(assigned));
}
double RunResult::AbandonRate() const {
  return Ratio(static_cast<double>(abandoned), static_cast<double>(assigned + abandoned));
}
double RunResult::Occupancy() const { return Ratio(busy_agent_s, staffed_agent_s); }

LoadRun::LoadRun(Scenario scenario, RunOptions options)
    : engine_(std::make_unique<LoadEngine>(std::move(scenario), std::move(options))) {}
LoadRun::~LoadRun() = default;
absl::StatusOr<RunResult> LoadRun::Run() { return engine_->Run(); }
void LoadRun::Interrupt() { engine_->Interrupt(); }

}  // namespace acd::clients::loadgen
