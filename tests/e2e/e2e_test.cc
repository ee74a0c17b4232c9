// End-to-end tests: the real acdd, acd-gateway, acd-agent and acdctl binaries, started as a
// user would start them, talking over real sockets. Every wait is for an expected line of
// output (or an exit) with a deadline; nothing sleeps, and no assertion is about time.

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_split.h"
#include "tests/e2e/acdd_process.h"
#include "tests/e2e/child_process.h"

namespace acd::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Stream = ChildProcess::Stream;

constexpr char kAcdd[] = ACD_ACDD_PATH;
constexpr char kGateway[] = ACD_GATEWAY_PATH;
constexpr char kAgent[] = ACD_AGENT_PATH;
constexpr char kAcdctl[] = ACDCTL_PATH;
constexpr char kExampleConfig[] = ACD_EXAMPLE_CONFIG;

/// How long any one expected thing (a line, an exit) may take before the test gives up. Generous:
/// it only bounds a failing test, it never slows a passing one.
constexpr auto kPatience = std::chrono::seconds(20);

Deadline Soon() { return std::chrono::steady_clock::now() + kPatience; }

/// The environment for every program: the test's own, without the clients' fallbacks, so that
/// only the flags each test passes count.
const std::vector<std::string>& CleanEnvironment() {
  static const auto* const kEnvironment =
      new std::vector<std::string>(EnvironmentWithout({"ACD_TARGET", "ACD_TOKEN"}));
  return *kEnvironment;
}

/// The `key=value` fields of an output line (unquoted values only) after its first word.
std::map<std::string, std::string> Fields(const std::string& line) {
  std::map<std::string, std::string> fields;
  std::istringstream words(line);
  std::string word;
  words >> word;  // The line's kind.
  while (words >> word) {
    const std::size_t equals = word.find('=');
    if (equals != std::string::npos) fields[word.substr(0, equals)] = word.substr(equals + 1);
  }
  return fields;
}

/// Matches lines whose first word is `kind` and whose fields include every one of `wanted`.
std::function<bool(const std::string&)> LineIs(std::string kind,
                                               std::map<std::string, std::string> wanted) {
  return [kind = std::move(kind), wanted = std::move(wanted)](const std::string& line) {
    if (line.substr(0, line.find(' ')) != kind) return false;
    const std::map<std::string, std::string> fields = Fields(line);
    return std::ranges::all_of(wanted, [&fields](const auto& entry) {
      auto field = fields.find(entry.first);
      return field != fields.end() && field->second == entry.second;
    });
  };
}

/// What a test needs to know about a command that ran to completion, for assertions.
std::string Describe(const CommandResult& result) {
  std::string text = "exit ";
  if (!result.status) {
    text += "(none: still running at the deadline)";
  } else if (result.status->signal != 0) {
    text += "by signal " + std::to_string(result.status->signal);
  } else {
    text += std::to_string(result.status->code);
  }
  return text + "\nstdout:\n" + result.out + "stderr:\n" + result.err;
}

int ExitCode(const CommandResult& result) {
  return result.status && result.status->signal == 0 ? result.status->code : -1;
}

/// A fresh temporary directory per test, removed afterwards.
class TempDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "acd-e2e-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr) << "mkdtemp failed";
    temp_dir_ = pattern;
  }

  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(temp_dir_, ignored);
  }

  std::filesystem::path temp_dir_;
};

/// Each test gets its own acdd on free ports, with config/example.yaml and a fresh data dir.
class AcddTest : public TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    absl::StatusOr<RunningAcdd> acdd =
        StartAcdd({kAcdd, "--config", kExampleConfig, "--listen", "127.0.0.1:0", "--http",
                   "127.0.0.1:0", "--data-dir", (temp_dir_ / "data").string()},
                  CleanEnvironment(), Soon());
    ASSERT_TRUE(acdd.ok()) << acdd.status();
    acdd_ = std::move(acdd->process);
    grpc_address_ = acdd->grpc_address;
    http_address_ = acdd->http_address;
  }

  void TearDown() override {
    if (acdd_) {
      acdd_->Signal(SIGTERM);
      const std::optional<ExitStatus> exit = acdd_->Wait(Soon());
      EXPECT_TRUE(exit) << "acdd did not stop on SIGTERM";
      if (exit) {
        EXPECT_EQ(exit->code, 0) << acdd_->Transcript(Stream::kStderr);
      }
    }
    TempDirTest::TearDown();
  }

  /// argv for `program --target <acdd> --token <token> args...`.
  std::vector<std::string> ClientArgv(const char* program, const std::string& token,
                                      std::initializer_list<std::string> args) const {
    std::vector<std::string> argv = {program, "--target", grpc_address_, "--token", token};
    argv.insert(argv.end(), args);
    return argv;
  }

  /// Runs a client command to completion.
  CommandResult Run(const char* program, const std::string& token,
                    std::initializer_list<std::string> args) const {
    return RunCommand(ClientArgv(program, token, args), CleanEnvironment(), Soon());
  }

  /// Starts a long-running client command (a watch, an agent session).
  std::unique_ptr<ChildProcess> Start(const char* program, const std::string& token,
                                      std::initializer_list<std::string> args) const {
    absl::StatusOr<std::unique_ptr<ChildProcess>> child =
        ChildProcess::Start(ClientArgv(program, token, args), CleanEnvironment());
    EXPECT_TRUE(child.ok()) << child.status();
    return child.ok() ? std::move(*child) : nullptr;
  }

  /// Starts `acd-gateway watch` for `token` and waits until the watch is registered; nullptr
  /// (and a test failure) when it does not get there.
  std::unique_ptr<ChildProcess> StartGatewayWatch(const std::string& token) const {
    std::unique_ptr<ChildProcess> watch = Start(kGateway, token, {"watch"});
    if (watch == nullptr) return nullptr;
    if (!watch->WaitForLine(Stream::kStdout, LineIs("watching", {{"contacts", "all"}}), Soon())) {
      ADD_FAILURE() << "acd-gateway watch did not start:\n" << watch->Transcript(Stream::kStderr);
      return nullptr;
    }
    return watch;
  }

  /// Creates a contact with the acme gateway and returns its id ("" on failure, which fails the
  /// test).
  std::string CreateContact(const std::string& queue, const std::string& external_id,
                            const std::string& skill) const {
    const CommandResult created = Run(kGateway, "demo-gateway-acme",
                                      {"create", "--queue", queue, "--channel", "voice",
                                       "--external-id", external_id, "--skill", skill});
    EXPECT_EQ(ExitCode(created), 0) << Describe(created);
    const std::map<std::string, std::string> fields = Fields(created.out);
    EXPECT_THAT(created.out, HasSubstr("created=true")) << Describe(created);
    return fields.contains("id") ? fields.at("id") : "";
  }

  /// The whole answer of `GET path` on acdd's HTTP port (the test fails if none comes).
  std::string HttpGet(const std::string& path) const {
    const std::size_t colon = http_address_.rfind(':');
    EXPECT_NE(colon, std::string::npos) << http_address_;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port =
        htons(static_cast<std::uint16_t>(std::stoi(http_address_.substr(colon + 1))));
    EXPECT_EQ(inet_pton(AF_INET, http_address_.substr(0, colon).c_str(), &address.sin_addr), 1);
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    EXPECT_GE(fd, 0);
    if (connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
      ADD_FAILURE() << "cannot connect to " << http_address_;
      close(fd);
      return "";
    }
    const std::string request = "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    EXPECT_EQ(write(fd, request.data(), request.size()), static_cast<ssize_t>(request.size()));
    std::string response;
    const Deadline deadline = Soon();
    while (true) {
      pollfd readable{.fd = fd, .events = POLLIN};
      const auto left =
          std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        ADD_FAILURE() << "no complete answer; got so far:\n" << response;
        break;
      }
      if (poll(&readable, 1, static_cast<int>(left.count())) < 0) break;
      char buffer[1024];
      const ssize_t got = read(fd, buffer, sizeof(buffer));
      if (got <= 0) break;  // Connection: close ends the answer.
      response.append(buffer, static_cast<std::size_t>(got));
    }
    close(fd);
    return response;
  }

  std::unique_ptr<ChildProcess> acdd_;
  std::string grpc_address_;
  std::string http_address_;
};

TEST_F(AcddTest, OneContactFromCreationToWrapUp) {
  std::unique_ptr<ChildProcess> alice = Start(kAgent, "demo-agent-alice", {"watch"});
  ASSERT_NE(alice, nullptr);
  ASSERT_TRUE(alice->WaitForLine(Stream::kStdout, LineIs("connected", {}), Soon()))
      << alice->Transcript(Stream::kStderr);
  const CommandResult ready = Run(kAgent, "demo-agent-alice", {"state", "ready"});
  ASSERT_EQ(ExitCode(ready), 0) << Describe(ready);
  EXPECT_THAT(ready.out, HasSubstr("state state=ready"));
  std::unique_ptr<ChildProcess> gateway = StartGatewayWatch("demo-gateway-acme");
  ASSERT_NE(gateway, nullptr);

  const std::string id = CreateContact("acme.billing", "e2e-1", "billing:5");
  ASSERT_FALSE(id.empty());

  const std::optional<std::string> offer = alice->WaitForLine(
      Stream::kStdout,
      LineIs("offer", {{"contact", id}, {"external_id", "e2e-1"}, {"queue", "acme.billing"}}),
      Soon());
  ASSERT_TRUE(offer) << alice->Transcript(Stream::kStdout) << alice->Transcript(Stream::kStderr);
  EXPECT_THAT(*offer, HasSubstr("channel=voice"));

  // Bob is not offered the contact: he may not take it.
  const CommandResult bob_accept = Run(kAgent, "demo-agent-bob", {"accept", id});
  EXPECT_EQ(ExitCode(bob_accept), 1) << Describe(bob_accept);
  EXPECT_THAT(bob_accept.err, HasSubstr("acd-agent: FAILED_PRECONDITION: "));

  const CommandResult accept = Run(kAgent, "demo-agent-alice", {"accept", id});
  ASSERT_EQ(ExitCode(accept), 0) << Describe(accept);
  EXPECT_TRUE(
      LineIs("contact", {{"id", id}, {"state", "connected"}, {"agent", "alice"}})(accept.out))
      << accept.out;
  EXPECT_TRUE(gateway->WaitForLine(
      Stream::kStdout, LineIs("event", {{"contact", id}, {"kind", "assigned"}, {"agent", "alice"}}),
      Soon()))
      << gateway->Transcript(Stream::kStdout);

  const CommandResult complete = Run(kAgent, "demo-agent-alice", {"complete", id});
  ASSERT_EQ(ExitCode(complete), 0) << Describe(complete);
  EXPECT_TRUE(LineIs("contact", {{"id", id}, {"state", "wrap-up"}})(complete.out)) << complete.out;
  const CommandResult wrap_up =
      Run(kAgent, "demo-agent-alice", {"wrap-up", id, "--disposition", "resolved"});
  ASSERT_EQ(ExitCode(wrap_up), 0) << Describe(wrap_up);
  EXPECT_TRUE(gateway->WaitForLine(
      Stream::kStdout,
      LineIs("event", {{"contact", id}, {"kind", "completed"}, {"disposition", "resolved"}}),
      Soon()))
      << gateway->Transcript(Stream::kStdout);
  EXPECT_TRUE(alice->WaitForLine(Stream::kStdout, LineIs("completed", {{"contact", id}}), Soon()))
      << alice->Transcript(Stream::kStdout);

  const CommandResult agents = Run(kAcdctl, "demo-supervisor-acme", {"agents"});
  ASSERT_EQ(ExitCode(agents), 0) << Describe(agents);
  std::istringstream rows(agents.out);
  std::string row;
  std::getline(rows, row);
  EXPECT_THAT(row, HasSubstr("STATE"));  // The header.
  bool alice_listed = false;
  while (std::getline(rows, row)) {
    if (!row.starts_with("alice ")) continue;
    alice_listed = true;
    EXPECT_THAT(row, HasSubstr(" ready "));
    EXPECT_THAT(row, HasSubstr(" yes"));  // Her watch is connected.
  }
  EXPECT_TRUE(alice_listed) << agents.out;

  // Both streams end cleanly on SIGTERM, as a user's Ctrl-C would end them.
  for (ChildProcess* client : {alice.get(), gateway.get()}) {
    client->Signal(SIGTERM);
    const std::optional<ExitStatus> exit = client->Wait(Soon());
    ASSERT_TRUE(exit);
    EXPECT_EQ(exit->code, 0) << client->Transcript(Stream::kStderr);
  }
}

TEST_F(AcddTest, ASurveyedCallIsInTheCustomersHistoryAtTheNextCall) {
  const CommandResult ready = Run(kAgent, "demo-agent-alice", {"state", "ready"});
  ASSERT_EQ(ExitCode(ready), 0) << Describe(ready);
  const auto create = [&](const std::string& external_id) {
    const CommandResult created =
        Run(kGateway, "demo-gateway-acme",
            {"create", "--queue", "acme.billing", "--channel", "voice", "--external-id",
             external_id, "--skill", "billing:5", "--customer-id", "cust-77"});
    EXPECT_EQ(ExitCode(created), 0) << Describe(created);
    return Fields(created.out)["id"];
  };
  const std::string first = create("e2e-first");
  for (const std::initializer_list<std::string> step :
       {std::initializer_list<std::string>{"accept", first},
        std::initializer_list<std::string>{"complete", first},
        std::initializer_list<std::string>{"wrap-up", first, "--disposition", "resolved", "--notes",
                                           "refund issued"}}) {
    const CommandResult done = Run(kAgent, "demo-agent-alice", step);
    ASSERT_EQ(ExitCode(done), 0) << Describe(done);
  }
  const CommandResult survey =
      Run(kGateway, "demo-gateway-acme", {"survey", first, "--score", "5", "--comment", "great"});
  ASSERT_EQ(ExitCode(survey), 0) << Describe(survey);
  EXPECT_TRUE(LineIs("survey", {{"contact", first}, {"score", "5"}})(survey.out)) << survey.out;
  const CommandResult again = Run(kGateway, "demo-gateway-acme", {"survey", first, "--score", "1"});
  EXPECT_EQ(ExitCode(again), 1) << Describe(again);
  EXPECT_THAT(again.err, HasSubstr("ALREADY_EXISTS"));

  const std::string second = create("e2e-second");  // Offered to alice, still ready.
  const CommandResult history = Run(kAgent, "demo-agent-alice", {"history", second});
  ASSERT_EQ(ExitCode(history), 0) << Describe(history);
  EXPECT_TRUE(LineIs("interaction", {{"contact", first},
                                     {"outcome", "completed"},
                                     {"agent", "alice"},
                                     {"disposition", "resolved"},
                                     {"csat", "5"}})(history.out))
      << history.out;
  EXPECT_THAT(history.out, HasSubstr("notes=\"refund issued\""));
  EXPECT_THAT(history.out, HasSubstr("history customer=cust-77 interactions=1 next_page_token="));
}

TEST_F(AcddTest, SimulatedAgentCompletesEveryContact) {
  std::unique_ptr<ChildProcess> chen =
      Start(kAgent, "demo-agent-chen", {"run", "--ready", "--auto-accept"});
  ASSERT_NE(chen, nullptr);
  ASSERT_TRUE(chen->WaitForLine(Stream::kStdout, LineIs("state", {{"state", "ready"}}), Soon()))
      << chen->Transcript(Stream::kStdout) << chen->Transcript(Stream::kStderr);
  std::unique_ptr<ChildProcess> gateway = StartGatewayWatch("demo-gateway-acme");
  ASSERT_NE(gateway, nullptr);

  std::set<std::string> open;
  for (const std::string external_id : {"e2e-auto-1", "e2e-auto-2", "e2e-auto-3"}) {
    const std::string id = CreateContact("acme.support", external_id, "support:5");
    ASSERT_FALSE(id.empty());
    open.insert(id);
  }
  while (!open.empty()) {
    const std::optional<std::string> completed = gateway->WaitForLine(
        Stream::kStdout, LineIs("event", {{"kind", "completed"}, {"agent", "chen"}}), Soon());
    ASSERT_TRUE(completed) << "still open: " << open.size() << "\ngateway:\n"
                           << gateway->Transcript(Stream::kStdout) << "chen:\n"
                           << chen->Transcript(Stream::kStdout)
                           << chen->Transcript(Stream::kStderr);
    open.erase(Fields(*completed)["contact"]);
  }
  EXPECT_EQ(chen->Transcript(Stream::kStderr), "");  // No automated call failed.

  chen->Signal(SIGINT);
  const std::optional<ExitStatus> exit = chen->Wait(Soon());
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->code, 0);
}

TEST_F(AcddTest, WatchUntilDoneExitsWhenTheContactIsOver) {
  const std::string id = CreateContact("acme.billing", "e2e-until-done", "billing:1");
  ASSERT_FALSE(id.empty());
  std::unique_ptr<ChildProcess> watch =
      Start(kGateway, "demo-gateway-acme", {"watch", id, "--until-done"});
  ASSERT_NE(watch, nullptr);
  ASSERT_TRUE(watch->WaitForLine(Stream::kStdout, LineIs("watching", {{"contacts", id}}), Soon()));

  const CommandResult cancel =
      Run(kGateway, "demo-gateway-acme", {"cancel", id, "--reason", "caller-hangup"});
  ASSERT_EQ(ExitCode(cancel), 0) << Describe(cancel);
  EXPECT_TRUE(LineIs("contact", {{"id", id}, {"state", "abandoned"}})(cancel.out)) << cancel.out;

  EXPECT_TRUE(watch->WaitForLine(
      Stream::kStdout,
      LineIs("event", {{"contact", id}, {"kind", "abandoned"}, {"reason", "caller-hangup"}}),
      Soon()));
  const std::optional<ExitStatus> exit = watch->Wait(Soon());
  ASSERT_TRUE(exit) << "watch --until-done did not exit";
  EXPECT_EQ(exit->code, 0) << watch->Transcript(Stream::kStderr);
}

TEST_F(AcddTest, BadInputIsReportedWithItsCode) {
  const CommandResult unknown_queue =
      Run(kGateway, "demo-gateway-acme",
          {"create", "--queue", "acme.nowhere", "--channel", "voice", "--external-id", "e2e-bad"});
  EXPECT_EQ(ExitCode(unknown_queue), 1) << Describe(unknown_queue);
  EXPECT_THAT(unknown_queue.err, HasSubstr("acd-gateway: NOT_FOUND: "));
  EXPECT_THAT(unknown_queue.err, HasSubstr("acme.nowhere"));
  EXPECT_EQ(unknown_queue.out, "");

  const CommandResult bad_token = Run(kGateway, "not-a-token", {"get", "1"});
  EXPECT_EQ(ExitCode(bad_token), 1) << Describe(bad_token);
  EXPECT_THAT(bad_token.err, HasSubstr("acd-gateway: UNAUTHENTICATED: "));

  const CommandResult wrong_role = Run(kAcdctl, "demo-agent-alice", {"queues"});
  EXPECT_EQ(ExitCode(wrong_role), 1) << Describe(wrong_role);
  EXPECT_THAT(wrong_role.err, HasSubstr("acdctl: PERMISSION_DENIED: "));

  // Another tenant's contact does not exist, as far as globex can tell.
  const std::string id = CreateContact("acme.billing", "e2e-tenancy", "billing:1");
  ASSERT_FALSE(id.empty());
  const CommandResult acme_get = Run(kGateway, "demo-gateway-acme", {"get", id});
  EXPECT_EQ(ExitCode(acme_get), 0) << Describe(acme_get);
  const CommandResult globex_get = Run(kGateway, "demo-gateway-globex", {"get", id});
  EXPECT_EQ(ExitCode(globex_get), 1) << Describe(globex_get);
  EXPECT_THAT(globex_get.err, HasSubstr("acd-gateway: NOT_FOUND: "));
  EXPECT_EQ(globex_get.out, "");
}

TEST_F(AcddTest, ClientsReadTargetAndTokenFromTheEnvironment) {
  const std::string id = CreateContact("acme.billing", "e2e-env", "billing:1");
  ASSERT_FALSE(id.empty());
  std::vector<std::string> env = CleanEnvironment();
  env.emplace_back("ACD_TARGET=" + grpc_address_);
  env.emplace_back("ACD_TOKEN=demo-gateway-acme");
  const CommandResult get = RunCommand({kGateway, "get", id}, env, Soon());
  EXPECT_EQ(ExitCode(get), 0) << Describe(get);
  EXPECT_TRUE(LineIs("contact", {{"id", id}, {"external_id", "e2e-env"}})(get.out)) << get.out;
}

TEST_F(AcddTest, SigtermStopsTheDaemonCleanly) {
  // Open streams must not hold the shutdown up; their clients learn that the daemon left.
  std::unique_ptr<ChildProcess> alice = Start(kAgent, "demo-agent-alice", {"watch"});
  ASSERT_NE(alice, nullptr);
  ASSERT_TRUE(alice->WaitForLine(Stream::kStdout, LineIs("connected", {}), Soon()));
  std::unique_ptr<ChildProcess> gateway = StartGatewayWatch("demo-gateway-acme");
  ASSERT_NE(gateway, nullptr);

  acdd_->Signal(SIGTERM);
  const std::optional<ExitStatus> exit = acdd_->WaitAndDrain(Soon());
  ASSERT_TRUE(exit) << "acdd did not stop on SIGTERM";
  EXPECT_EQ(exit->code, 0);
  EXPECT_EQ(exit->signal, 0);
  const std::string& log = acdd_->Transcript(Stream::kStderr);
  for (const char* alarming : {"[error]", "[critical]", "[warning]", "fatal", "terminate",
                               "Sanitizer", "Segmentation", "Aborted"}) {
    EXPECT_THAT(log, Not(HasSubstr(alarming))) << log;
  }
  acdd_.reset();  // Stopped already.

  for (ChildProcess* client : {alice.get(), gateway.get()}) {
    const std::optional<ExitStatus> client_exit = client->Wait(Soon());
    ASSERT_TRUE(client_exit) << "a client kept waiting on a daemon that is gone";
    EXPECT_EQ(client_exit->code, 1);
    EXPECT_THAT(client->Transcript(Stream::kStderr), HasSubstr(": UNAVAILABLE: "));
  }
}

TEST_F(AcddTest, AnAgentDesktopRidesOutADaemonRestart) {
  std::unique_ptr<ChildProcess> alice =
      Start(kAgent, "demo-agent-alice", {"run", "--ready", "--reconnect"});
  ASSERT_NE(alice, nullptr);
  ASSERT_TRUE(alice->WaitForLine(Stream::kStdout, LineIs("state", {{"state", "ready"}}), Soon()))
      << alice->Transcript(Stream::kStderr);

  // The daemon restarts on the same port over the same data; the desktop keeps trying.
  acdd_->Signal(SIGTERM);
  const std::optional<ExitStatus> stopped = acdd_->Wait(Soon());
  ASSERT_TRUE(stopped && stopped->code == 0) << acdd_->Transcript(Stream::kStderr);
  ASSERT_TRUE(alice->WaitForLine(Stream::kStdout, LineIs("reconnecting", {}), Soon()))
      << alice->Transcript(Stream::kStdout) << alice->Transcript(Stream::kStderr);
  absl::StatusOr<RunningAcdd> restarted =
      StartAcdd({kAcdd, "--config", kExampleConfig, "--listen", grpc_address_, "--http",
                 "127.0.0.1:0", "--data-dir", (temp_dir_ / "data").string()},
                CleanEnvironment(), Soon());
  ASSERT_TRUE(restarted.ok()) << restarted.status();
  acdd_ = std::move(restarted->process);
  http_address_ = restarted->http_address;

  // Back within the disconnect grace, resuming after the state change it printed: still ready,
  // so the next call is offered to it, once.
  const std::optional<std::string> back = alice->WaitForLine(
      Stream::kStdout,
      [](const std::string& line) {
        return LineIs("connected", {})(line) && Fields(line).contains("resume_after");
      },
      Soon());
  ASSERT_TRUE(back) << alice->Transcript(Stream::kStdout) << alice->Transcript(Stream::kStderr);
  EXPECT_NE(Fields(*back).at("resume_after"), "0");
  const std::string id = CreateContact("acme.billing", "after-restart", "billing:5");
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(alice->WaitForLine(Stream::kStdout, LineIs("offer", {{"contact", id}}), Soon()))
      << alice->Transcript(Stream::kStdout) << alice->Transcript(Stream::kStderr);
  const std::string transcript = alice->Transcript(Stream::kStdout);
  const std::vector<std::string> lines = absl::StrSplit(transcript, '\n');
  EXPECT_EQ(std::ranges::count_if(lines, LineIs("offer", {{"contact", id}})), 1) << transcript;
}

TEST_F(AcddTest, ASupervisorReshapesTheFloorWithAcdctl) {
  const std::string supervisor = "demo-supervisor-acme";
  std::unique_ptr<ChildProcess> alice = Start(kAgent, "demo-agent-alice", {"watch"});
  ASSERT_NE(alice, nullptr);
  ASSERT_TRUE(alice->WaitForLine(Stream::kStdout, LineIs("connected", {}), Soon()));
  // Alice and Bob are logged in but not ready: the call waits.
  for (const char* token : {"demo-agent-alice", "demo-agent-bob"}) {
    const CommandResult away = Run(kAgent, token, {"state", "not-ready", "--reason", "break"});
    ASSERT_EQ(ExitCode(away), 0) << Describe(away);
  }
  const std::string id = CreateContact("acme.billing", "floor-1", "billing:5");
  ASSERT_FALSE(id.empty());

  const CommandResult priority = Run(kAcdctl, supervisor, {"priority", id, "90"});
  ASSERT_EQ(ExitCode(priority), 0) << Describe(priority);
  EXPECT_TRUE(LineIs("contact", {{"id", id}, {"priority", "90"}})(priority.out)) << priority.out;
  const CommandResult moved = Run(kAcdctl, supervisor, {"move", id, "acme.support"});
  ASSERT_EQ(ExitCode(moved), 0) << Describe(moved);
  EXPECT_TRUE(LineIs("contact", {{"id", id}, {"queue", "acme.support"}})(moved.out)) << moved.out;
  const CommandResult assigned = Run(kAcdctl, supervisor, {"assign", id, "alice"});
  ASSERT_EQ(ExitCode(assigned), 0) << Describe(assigned);
  EXPECT_TRUE(
      LineIs("contact", {{"id", id}, {"state", "offered"}, {"agent", "alice"}})(assigned.out))
      << assigned.out;
  EXPECT_TRUE(alice->WaitForLine(
      Stream::kStdout, LineIs("offer", {{"contact", id}, {"queue", "acme.support"}}), Soon()))
      << alice->Transcript(Stream::kStdout);

  // Alice's desktop is open, Bob's is not.
  const CommandResult broadcast =
      Run(kAcdctl, supervisor, {"broadcast", "huddle-at-three", "--team", "red", "--urgent"});
  ASSERT_EQ(ExitCode(broadcast), 0) << Describe(broadcast);
  EXPECT_TRUE(LineIs("broadcast", {{"delivered", "1"}, {"not_connected", "1"}})(broadcast.out))
      << broadcast.out;
  EXPECT_TRUE(alice->WaitForLine(
      Stream::kStdout,
      LineIs("supervisor_message", {{"text", "huddle-at-three"}, {"urgent", "true"}}), Soon()))
      << alice->Transcript(Stream::kStdout);

  const CommandResult logout = Run(kAcdctl, supervisor, {"logout", "bob"});
  ASSERT_EQ(ExitCode(logout), 0) << Describe(logout);
  EXPECT_TRUE(LineIs("agent", {{"id", "bob"}, {"state", "logged-out"}})(logout.out)) << logout.out;

  const CommandResult unknown = Run(kAcdctl, supervisor, {"move", "424242", "acme.support"});
  EXPECT_EQ(ExitCode(unknown), 1) << Describe(unknown);
  EXPECT_THAT(unknown.err, HasSubstr("acdctl: NOT_FOUND: "));
  const CommandResult out_of_range = Run(kAcdctl, supervisor, {"priority", id, "101"});
  EXPECT_EQ(ExitCode(out_of_range), 2) << Describe(out_of_range);
}

TEST_F(AcddTest, HealthzAnswersOk) {
  const std::string response = HttpGet("/healthz");
  EXPECT_TRUE(response.starts_with("HTTP/1.1 200")) << response;
  EXPECT_THAT(response, HasSubstr("\r\n\r\nok"));
}

TEST_F(AcddTest, ReadyzAndMetricsTellWhatTheDaemonIsDoing) {
  const std::string ready = HttpGet("/readyz");
  EXPECT_TRUE(ready.starts_with("HTTP/1.1 200")) << ready;
  EXPECT_THAT(ready, HasSubstr("\r\n\r\nready"));

  const CommandResult created =
      RunCommand({kGateway, "--target", grpc_address_, "--token", "demo-gateway-acme", "create",
                  "--queue", "acme.billing", "--channel", "voice", "--external-id", "e2e-metrics",
                  "--skill", "billing:1"},
                 CleanEnvironment(), Soon());
  ASSERT_EQ(ExitCode(created), 0) << Describe(created);
  const std::string metrics = HttpGet("/metrics");
  EXPECT_TRUE(metrics.starts_with("HTTP/1.1 200")) << metrics;
  EXPECT_THAT(metrics, HasSubstr("text/plain; version=0.0.4"));
  EXPECT_THAT(metrics,
              HasSubstr("acd_queue_waiting_contacts{tenant=\"acme\",queue=\"acme.billing\"} 1\n"));
  EXPECT_THAT(metrics, HasSubstr("acd_grpc_server_handled_total{grpc_service=\"acd.v1.Intake\","
                                 "grpc_method=\"CreateContact\",grpc_code=\"OK\"} 1\n"));
}

TEST_F(AcddTest, HealthzTellsWhileStorageFailsAndCreatesLandOnceItRecovers) {
  // Another process holds the store's write lock, as a backup tool might.
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open((temp_dir_ / "data" / "acd.db").c_str(), &other), SQLITE_OK);
  // The daemon may hold the file for a moment (a commit, a checkpoint): wait for it rather
  // than fail.
  ASSERT_EQ(sqlite3_busy_timeout(other, 20'000), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  const std::vector<std::string> create = {
      kGateway,        "--target",   grpc_address_,  "--token",   "demo-gateway-acme",
      "create",        "--queue",    "acme.billing", "--channel", "voice",
      "--external-id", "e2e-locked", "--skill",      "billing:1"};
  const CommandResult refused = RunCommand(create, CleanEnvironment(), Soon());
  EXPECT_EQ(ExitCode(refused), 1) << Describe(refused);
  EXPECT_THAT(refused.err, HasSubstr("UNAVAILABLE"));
  EXPECT_THAT(refused.err, HasSubstr("locked"));
  const std::string failing = HttpGet("/healthz");
  EXPECT_TRUE(failing.starts_with("HTTP/1.1 503")) << failing;
  EXPECT_THAT(failing, HasSubstr("locked"));
  const std::string not_ready = HttpGet("/readyz");
  EXPECT_TRUE(not_ready.starts_with("HTTP/1.1 503")) << not_ready;
  EXPECT_THAT(not_ready, HasSubstr("storage failing: "));

  ASSERT_EQ(sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);
  // The daemon retries on its own; wait for it to say so.
  std::string healthy;
  const Deadline deadline = Soon();
  do {
    healthy = HttpGet("/healthz");
  } while (!healthy.starts_with("HTTP/1.1 200") && std::chrono::steady_clock::now() < deadline);
  EXPECT_TRUE(healthy.starts_with("HTTP/1.1 200")) << healthy;
  const CommandResult retried = RunCommand(create, CleanEnvironment(), Soon());
  EXPECT_EQ(ExitCode(retried), 0) << Describe(retried);
  EXPECT_THAT(retried.out, HasSubstr("created=false")) << "the refused attempt landed on retry";
}

TEST_F(AcddTest, ASecondDaemonOnATakenPortRefusesToStart) {
  // Two daemons sharing a port would split the traffic between two routing states.
  const CommandResult second =
      RunCommand({kAcdd, "--config", kExampleConfig, "--listen", grpc_address_, "--http",
                  "127.0.0.1:0", "--data-dir", (temp_dir_ / "second").string()},
                 CleanEnvironment(), Soon());
  ASSERT_TRUE(second.status) << "the second acdd kept running on a taken port";
  EXPECT_EQ(ExitCode(second), 1) << Describe(second);
  EXPECT_THAT(second.err, HasSubstr("cannot listen for gRPC on " + grpc_address_));
  EXPECT_THAT(second.out, Not(HasSubstr("acdd ready")));
}

TEST_F(TempDirTest, SighupAppliesTheEditedConfigurationAndRefusesABrokenOne) {
  const std::filesystem::path config = temp_dir_ / "acd.yaml";
  std::filesystem::copy_file(kExampleConfig, config);
  absl::StatusOr<RunningAcdd> started =
      StartAcdd({kAcdd, "--config", config.string(), "--listen", "127.0.0.1:0", "--http",
                 "127.0.0.1:0", "--data-dir", (temp_dir_ / "data").string()},
                CleanEnvironment(), Soon());
  ASSERT_TRUE(started.ok()) << started.status();
  ChildProcess& acdd = *started->process;
  const auto run = [&](const char* program, const std::string& token,
                       std::vector<std::string> args) {
    std::vector<std::string> argv = {program, "--target", started->grpc_address, "--token", token};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv, CleanEnvironment(), Soon());
  };
  const std::vector<std::string> create = {"create", "--queue",       "acme.billing", "--channel",
                                           "voice",  "--external-id", "sighup-1"};
  const CommandResult before = run(kGateway, "e2e-new-gateway", create);
  EXPECT_THAT(before.err, HasSubstr("UNAUTHENTICATED")) << Describe(before);

  // The operator adds a gateway token, checks the file, and signals acdd.
  {
    std::ofstream out(config, std::ios::app);
    out << "\nan_unknown_key: {}\n";
  }
  const CommandResult typo = run(kAcdctl, "demo-admin", {"validate", config.string()});
  EXPECT_EQ(ExitCode(typo), 1) << Describe(typo);
  EXPECT_THAT(typo.out, HasSubstr("problem line="));
  acdd.Signal(SIGHUP);
  ASSERT_TRUE(acdd.WaitForLine(
      Stream::kStderr,
      [](const std::string& line) { return line.find("not applied") != line.npos; }, Soon()))
      << acdd.Transcript(Stream::kStderr);

  {
    std::ifstream example(kExampleConfig);
    std::ofstream out(config, std::ios::trunc);
    std::string line;
    while (std::getline(example, line)) {
      if (line.starts_with("records:")) {
        out << "  - {name: e2e-new-gateway, token: e2e-new-gateway, role: gateway, tenant: acme}\n";
      }
      out << line << '\n';
    }
  }
  const CommandResult checked = run(kAcdctl, "demo-admin", {"validate", config.string()});
  EXPECT_EQ(ExitCode(checked), 0) << Describe(checked);
  EXPECT_THAT(checked.out, HasSubstr("config valid=true"));
  const CommandResult dry = run(kAcdctl, "demo-admin", {"reload", "--dry-run"});
  EXPECT_EQ(ExitCode(dry), 0) << Describe(dry);
  EXPECT_THAT(dry.out, HasSubstr("change type=added kind=token tenant=acme id=e2e-new-gateway"));
  acdd.Signal(SIGHUP);
  ASSERT_TRUE(acdd.WaitForLine(
      Stream::kStderr,
      [](const std::string& line) { return line.find("configuration reloaded") != line.npos; },
      Soon()))
      << acdd.Transcript(Stream::kStderr);
  const CommandResult after = run(kGateway, "e2e-new-gateway", create);
  EXPECT_EQ(ExitCode(after), 0) << Describe(after);
  EXPECT_THAT(after.out, HasSubstr("created=true"));

  acdd.Signal(SIGTERM);
  const std::optional<ExitStatus> exit = acdd.Wait(Soon());
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->code, 0) << acdd.Transcript(Stream::kStderr);
}

TEST_F(TempDirTest, MalformedConfigIsRefusedWithFileAndLine) {
  std::ifstream example(kExampleConfig);
  ASSERT_TRUE(example) << kExampleConfig;
  const std::filesystem::path config = temp_dir_ / "typo.yaml";
  std::ofstream out(config);
  std::string line;
  int line_number = 0;
  int typo_line = 0;
  while (std::getline(example, line)) {
    ++line_number;
    const std::size_t key = line.find("offer_timeout:");
    if (typo_line == 0 && key != std::string::npos) {
      line.replace(key, std::string("offer_timeout:").size(), "offer_timout:");
      typo_line = line_number;
    }
    out << line << '\n';
  }
  out.close();
  ASSERT_NE(typo_line, 0) << "config/example.yaml has no offer_timeout key to misspell";

  const CommandResult acdd =
      RunCommand({kAcdd, "--config", config.string(), "--listen", "127.0.0.1:0", "--http",
                  "127.0.0.1:0", "--data-dir", (temp_dir_ / "data").string()},
                 CleanEnvironment(), Soon());
  ASSERT_TRUE(acdd.status) << "acdd kept running on a malformed config";
  EXPECT_NE(ExitCode(acdd), 0) << Describe(acdd);
  EXPECT_THAT(acdd.err, HasSubstr(config.string() + ":" + std::to_string(typo_line) + ":"));
  EXPECT_THAT(acdd.err, HasSubstr("offer_timout"));
  EXPECT_THAT(acdd.out, Not(HasSubstr("acdd ready")));
}

TEST(HelpTest, EveryProgramAndSubcommandExplainsItself) {
  const std::vector<std::vector<std::string>> commands = {
      {kAcdd},
      {kGateway},
      {kGateway, "create"},
      {kGateway, "cancel"},
      {kGateway, "get"},
      {kGateway, "watch"},
      {kAgent},
      {kAgent, "run"},
      {kAgent, "watch"},
      {kAgent, "state"},
      {kAgent, "accept"},
      {kAgent, "decline"},
      {kAgent, "complete"},
      {kAgent, "wrap-up"},
      {kAcdctl},
      {kAcdctl, "queues"},
      {kAcdctl, "agents"},
      {kAcdctl, "move"},
      {kAcdctl, "priority"},
      {kAcdctl, "assign"},
      {kAcdctl, "logout"},
      {kAcdctl, "broadcast"},
  };
  for (std::vector<std::string> argv : commands) {
    argv.emplace_back("--help");
    const CommandResult help = RunCommand(argv, CleanEnvironment(), Soon());
    const std::string name = argv.size() > 2 ? argv[0] + " " + argv[1] : argv[0];
    EXPECT_EQ(ExitCode(help), 0) << name << "\n" << Describe(help);
    EXPECT_THAT(help.out, HasSubstr("Usage:")) << name;
  }
}

TEST(HelpTest, UsageErrorsExitWithTwo) {
  // No --token (and no ACD_TOKEN): a usage error, reported before anything is sent.
  const CommandResult no_token = RunCommand({kGateway, "get", "1"}, CleanEnvironment(), Soon());
  EXPECT_EQ(ExitCode(no_token), 2) << Describe(no_token);
  EXPECT_THAT(no_token.err, HasSubstr("--token"));

  const CommandResult bad_channel = RunCommand({kGateway, "--token", "t", "create", "--queue", "q",
                                                "--channel", "fax", "--external-id", "x"},
                                               CleanEnvironment(), Soon());
  EXPECT_EQ(ExitCode(bad_channel), 2) << Describe(bad_channel);

  const CommandResult no_subcommand =
      RunCommand({kAgent, "--token", "t"}, CleanEnvironment(), Soon());
  EXPECT_EQ(ExitCode(no_subcommand), 2) << Describe(no_subcommand);
}

}  // namespace
}  // namespace acd::e2e
