#include "clients/common/cli.h"

#include <string>

namespace acd::clients {

void AddGlobalOptions(CLI::App& app, GlobalOptions& options) {
  app.failure_message([](const CLI::App* failed, const CLI::Error& error) {
    const CLI::App* root = failed;
    while (root->get_parent() != nullptr) root = root->get_parent();
    return root->get_name() + ": " + error.what() + "\nRun with --help for more information.\n";
  });
  app.require_subcommand(1);
  app.add_option("--target", options.target, "acdd's gRPC address")
      ->envname("ACD_TARGET")
      ->type_name("HOST:PORT")
      ->capture_default_str();
  app.add_option("--token", options.token,
                 "API token; decides your tenant, role and (for agents) which agent you are")
      ->envname("ACD_TOKEN")
      ->type_name("TOKEN")
      ->required();
  app.add_option("--timeout", options.timeout_seconds, "deadline of each unary call")
      ->type_name("SECONDS")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  CLI::Option* ca = app.add_option("--tls-ca", options.tls_ca,
                                   "connect over TLS, trusting the CA certificates of FILE (PEM)")
                        ->envname("ACD_TLS_CA")
                        ->type_name("FILE")
                        ->check(CLI::ExistingFile);
  CLI::Option* cert = app.add_option("--tls-cert", options.tls_cert,
                                     "client certificate chain (PEM) for mutual TLS")
                          ->envname("ACD_TLS_CERT")
                          ->type_name("FILE")
                          ->check(CLI::ExistingFile)
                          ->needs(ca);
  CLI::Option* key = app.add_option("--tls-key", options.tls_key, "private key of --tls-cert (PEM)")
                         ->envname("ACD_TLS_KEY")
                         ->type_name("FILE")
                         ->check(CLI::ExistingFile)
                         ->needs(cert);
  cert->needs(key);
}

int ParseCommandLine(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
    return -1;
  } catch (const CLI::ParseError& error) {
    // app.exit prints the help text, or the error through the failure message above.
    return app.exit(error) == 0 ? 0 : kExitUsage;
  }
}

}  // namespace acd::clients
