// acd-relay: the bare gRPC relay the load generator measures acdd against. It serves just enough
// of acd.v1's Intake and AgentDesk for acd-loadgen to run unchanged against it: a create is
// answered at once and pushed as an offer onto one of the agent streams in turn, an accept is
// answered and the gateway told. Same transport, same messages and the same stream writer as
// acdd; no routing, no storage, no authentication.

#include <grpcpp/grpcpp.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <exception>
#include <iostream>
#include <memory>
#include <string>

#include "clients/common/cli.h"
#include "clients/common/signal_watcher.h"
#include "clients/relay/relay_hub.h"
#include "clients/relay/relay_services.h"

namespace acd::clients::relay {
namespace {

constexpr char kProgram[] = "acd-relay";

int Run(int argc, char** argv) {
  CLI::App app{
      "The bare gRPC relay acd-loadgen compares acdd with: creates answered at once and pushed\n"
      "round-robin onto the agents' streams, accepts answered and the gateway told. No routing,\n"
      "no storage, no authentication: for load tests on your own machine only.",
      kProgram};
  std::string listen = "127.0.0.1:50061";
  app.add_option("--listen", listen, "gRPC address; port 0 picks a free port")
      ->type_name("HOST:PORT")
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : kExitUsage;
  }

  // Before gRPC starts its threads.
  SignalWatcher signals;
  RelayHub hub;
  RelayIntake intake(hub);
  RelayDesk desk(hub);
  grpc::ServerBuilder builder;
  int bound_port = 0;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &bound_port);
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.RegisterService(&intake);
  builder.RegisterService(&desk);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || bound_port == 0) {
    std::cerr << kProgram << ": cannot listen on " << listen << "\n";
    return kExitFailure;
  }
  const std::string host = listen.substr(0, listen.rfind(':'));
  std::cout << "acd-relay ready grpc=" << host << ":" << bound_port << std::endl;
  const SignalWatcher::HandlerScope on_signal = signals.OnSignal(
      [&server] { server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2)); });
  server->Wait();
  return 0;
}

}  // namespace
}  // namespace acd::clients::relay

int main(int argc, char** argv) {
  try {
    return acd::clients::relay::Run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "acd-relay: " << e.what() << "\n";
    return acd::clients::kExitFailure;
  }
}
