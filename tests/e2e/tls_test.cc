// TLS end to end: the real acdd with certificates made by the test (the `openssl` command), its
// gRPC port reached with grpc::SslCredentials and its HTTP port with a Beast TLS client; plaintext
// clients, and clients without a certificate under mutual TLS, are turned away.

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "acd/v1/intake.grpc.pb.h"
#include "acd/v1/supervision.grpc.pb.h"
#include "tests/e2e/acdd_process.h"
#include "tests/e2e/child_process.h"
#include "tests/e2e/test_certificates.h"

namespace acd::e2e {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;

constexpr char kAcdd[] = ACD_ACDD_PATH;
constexpr char kOpenssl[] = ACD_OPENSSL_PATH;
constexpr char kAcdctl[] = ACDCTL_PATH;
constexpr char kExampleConfig[] = ACD_EXAMPLE_CONFIG;
// The demo supervisor token of config/example.yaml.
constexpr char kSupervisorToken[] = "demo-supervisor-acme";
constexpr auto kPatience = std::chrono::seconds(20);
/// For calls that must fail: a refused handshake fails at once, the deadline only bounds it.
constexpr auto kRefusalDeadline = std::chrono::seconds(10);

Deadline Soon() { return std::chrono::steady_clock::now() + kPatience; }

/// What an HTTP GET got: an error, or a status and body.
struct HttpAnswer {
  beast::error_code error;
  unsigned status = 0;
  std::string body;
};

/// GET `target` from `address` (127.0.0.1:PORT) over `stream`, a TCP or TLS stream, with every
/// step bounded by the stream's deadline.
template <typename Stream>
HttpAnswer Get(asio::io_context& io, Stream& stream, const std::string& address,
               const std::string& target) {
  HttpAnswer answer;
  const std::size_t colon = address.rfind(':');
  const asio::ip::tcp::endpoint endpoint(
      asio::ip::make_address(address.substr(0, colon)),
      static_cast<unsigned short>(std::stoi(address.substr(colon + 1))));
  http::request<http::empty_body> request{http::verb::get, target, 11};
  request.set(http::field::host, address);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  auto& tcp = beast::get_lowest_layer(stream);
  tcp.expires_after(kPatience);
  auto exchange = [&] {
    http::async_write(stream, request, [&](beast::error_code written, std::size_t) {
      if (written) {
        answer.error = written;
        return;
      }
      http::async_read(stream, buffer, response, [&](beast::error_code read, std::size_t) {
        answer.error = read;
        if (read) return;
        answer.status = response.result_int();
        answer.body = response.body();
      });
    });
  };
  tcp.async_connect(endpoint, [&](beast::error_code connected) {
    if (connected) {
      answer.error = connected;
      return;
    }
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      exchange();
    } else {
      stream.async_handshake(ssl::stream_base::client, [&](beast::error_code handshake) {
        if (handshake) {
          answer.error = handshake;
          return;
        }
        exchange();
      });
    }
  });
  io.run();
  return answer;
}

/// GET over TLS, trusting only the test CA and checking the server's name; with the client
/// certificate when `client_certificate`.
HttpAnswer HttpsGet(const TestCertificates& certs, bool client_certificate,
                    const std::string& address, const std::string& target) {
  asio::io_context io;
  ssl::context context(ssl::context::tls_client);
  context.add_certificate_authority(asio::buffer(certs.ca_pem));
  context.set_verify_mode(ssl::verify_peer);
  if (client_certificate) {
    context.use_certificate_chain(asio::buffer(certs.client_cert_pem));
    context.use_private_key(asio::buffer(certs.client_key_pem), ssl::context::pem);
  }
  beast::ssl_stream<beast::tcp_stream> stream(io, context);
  stream.set_verify_callback(ssl::host_name_verification("127.0.0.1"));
  return Get(io, stream, address, target);
}

HttpAnswer PlainGet(const std::string& address, const std::string& target) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  return Get(io, stream, address, target);
}

/// ListQueues over `channel` with `token` (none when empty): the status.
grpc::Status ListQueues(const std::shared_ptr<grpc::Channel>& channel,
                        std::chrono::seconds timeout = kPatience,
                        const std::string& token = kSupervisorToken) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + timeout);
  if (!token.empty()) context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  v1::ListQueuesResponse response;
  return v1::Supervision::NewStub(channel)->ListQueues(&context, v1::ListQueuesRequest(),
                                                       &response);
}

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "acd-tls-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    absl::StatusOr<TestCertificates> certs = MakeTestCertificates(kOpenssl, dir_, Soon());
    ASSERT_TRUE(certs.ok()) << certs.status();
    certs_ = std::move(*certs);
  }

  void TearDown() override {
    acdd_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  /// acdd with `config` (the example configuration by default) and the server certificate; with
  /// the test CA as the client CA (mutual TLS) when `mutual`.
  void StartAcddWithTls(bool mutual, const std::string& config = kExampleConfig) {
    std::vector<std::string> argv = {kAcdd,
                                     "--config",
                                     config,
                                     "--listen",
                                     "127.0.0.1:0",
                                     "--http",
                                     "127.0.0.1:0",
                                     "--data-dir",
                                     (dir_ / "data").string(),
                                     "--tls-cert",
                                     certs_.server_cert_file.string(),
                                     "--tls-key",
                                     certs_.server_key_file.string()};
    if (mutual) argv.insert(argv.end(), {"--tls-client-ca", certs_.ca_file.string()});
    absl::StatusOr<RunningAcdd> acdd = StartAcdd(argv, {}, Soon());
    ASSERT_TRUE(acdd.ok()) << acdd.status();
    acdd_ = std::move(acdd->process);
    grpc_address_ = acdd->grpc_address;
    http_address_ = acdd->http_address;
  }

  std::shared_ptr<grpc::Channel> TlsChannel(bool client_certificate) const {
    grpc::SslCredentialsOptions options{.pem_root_certs = certs_.ca_pem};
    if (client_certificate) {
      options.pem_private_key = certs_.client_key_pem;
      options.pem_cert_chain = certs_.client_cert_pem;
    }
    return grpc::CreateChannel(grpc_address_, grpc::SslCredentials(options));
  }

  std::filesystem::path dir_;
  TestCertificates certs_;
  std::unique_ptr<ChildProcess> acdd_;
  std::string grpc_address_;
  std::string http_address_;
};

TEST_F(TlsTest, MutualTlsServesClientsWithCertificatesOnly) {
  StartAcddWithTls(/*mutual=*/true);

  // A client with the CA's certificate gets through, and the bearer token still decides.
  const grpc::Status served = ListQueues(TlsChannel(/*client_certificate=*/true));
  EXPECT_TRUE(served.ok()) << served.error_message();

  const grpc::Status no_certificate =
      ListQueues(TlsChannel(/*client_certificate=*/false), kRefusalDeadline);
  EXPECT_EQ(no_certificate.error_code(), grpc::StatusCode::UNAVAILABLE)
      << no_certificate.error_message();
  const grpc::Status plaintext = ListQueues(
      grpc::CreateChannel(grpc_address_, grpc::InsecureChannelCredentials()), kRefusalDeadline);
  EXPECT_EQ(plaintext.error_code(), grpc::StatusCode::UNAVAILABLE) << plaintext.error_message();

  const HttpAnswer health =
      HttpsGet(certs_, /*client_certificate=*/true, http_address_, "/healthz");
  EXPECT_FALSE(health.error) << health.error.message();
  EXPECT_EQ(health.status, 200u);
  EXPECT_EQ(health.body, "ok\n");

  const HttpAnswer anonymous =
      HttpsGet(certs_, /*client_certificate=*/false, http_address_, "/healthz");
  EXPECT_TRUE(anonymous.error) << "served without a client certificate: " << anonymous.status;
  EXPECT_NE(anonymous.status, 200u);
  const HttpAnswer plain = PlainGet(http_address_, "/healthz");
  EXPECT_TRUE(plain.error) << "served in plaintext: " << plain.status;
  EXPECT_NE(plain.status, 200u);
}

TEST_F(TlsTest, TlsWithoutClientCaServesAnyTlsClient) {
  StartAcddWithTls(/*mutual=*/false);

  const grpc::Status served = ListQueues(TlsChannel(/*client_certificate=*/false));
  EXPECT_TRUE(served.ok()) << served.error_message();
  const grpc::Status plaintext = ListQueues(
      grpc::CreateChannel(grpc_address_, grpc::InsecureChannelCredentials()), kRefusalDeadline);
  EXPECT_EQ(plaintext.error_code(), grpc::StatusCode::UNAVAILABLE) << plaintext.error_message();

  // TLS does not replace the bearer token.
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kPatience);
  v1::ListQueuesResponse response;
  const grpc::Status anonymous = v1::Supervision::NewStub(TlsChannel(false))
                                     ->ListQueues(&context, v1::ListQueuesRequest(), &response);
  EXPECT_EQ(anonymous.error_code(), grpc::StatusCode::UNAUTHENTICATED);

  const HttpAnswer health =
      HttpsGet(certs_, /*client_certificate=*/false, http_address_, "/healthz");
  EXPECT_FALSE(health.error) << health.error.message();
  EXPECT_EQ(health.status, 200u);
  EXPECT_EQ(health.body, "ok\n");
}

/// CreateContact over `channel` with `token` (none when empty): the status.
grpc::Status CreateContact(const std::shared_ptr<grpc::Channel>& channel, const std::string& token,
                           const std::string& external_id) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kPatience);
  if (!token.empty()) context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  v1::CreateContactRequest request;
  request.set_external_id(external_id);
  request.set_queue_id("q");
  request.set_channel(v1::CHANNEL_VOICE);
  v1::CreateContactResponse response;
  return v1::Intake::NewStub(channel)->CreateContact(&context, request, &response);
}

TEST_F(TlsTest, CommandLineClientsSpeakTls) {
  StartAcddWithTls(/*mutual=*/true);
  const std::vector<std::string> acdctl = {kAcdctl,          "--target",  grpc_address_, "--token",
                                           kSupervisorToken, "--timeout", "10"};
  std::vector<std::string> with_tls = acdctl;
  with_tls.insert(with_tls.end(), {"--tls-ca", certs_.ca_file.string(), "--tls-cert",
                                   certs_.client_cert_file.string(), "--tls-key",
                                   certs_.client_key_file.string(), "queues"});
  const CommandResult served = RunCommand(with_tls, {}, Soon());
  ASSERT_TRUE(served.status.has_value());
  EXPECT_EQ(served.status->code, 0) << served.err;
  EXPECT_NE(served.out.find("acme.billing"), std::string::npos) << served.out;

  std::vector<std::string> plaintext = acdctl;
  plaintext.push_back("queues");
  const CommandResult refused = RunCommand(plaintext, {}, Soon());
  ASSERT_TRUE(refused.status.has_value());
  EXPECT_NE(refused.status->code, 0) << refused.out;
}

TEST_F(TlsTest, UnderMutualTlsAClientCertificateMayStandInForAToken) {
  // The test's client certificate has the common name acd-test-client.
  std::ofstream(dir_ / "acd.yaml") << R"(
tenants:
  - {id: t, name: T, skills: [general]}
queues:
  - {id: q, tenant: t, name: Q, channels: [voice]}
tokens:
  - {name: lead, client_certificate: acd-test-client, role: supervisor, tenant: t}
  - {name: gw, token: tls-test-gateway, role: gateway, tenant: t}
)";
  StartAcddWithTls(/*mutual=*/true, (dir_ / "acd.yaml").string());
  const std::shared_ptr<grpc::Channel> channel = TlsChannel(/*client_certificate=*/true);

  // Without a bearer token, the certificate is the supervisor's credential, and only that.
  const grpc::Status listed = ListQueues(channel, kPatience, /*token=*/"");
  EXPECT_TRUE(listed.ok()) << listed.error_message();
  EXPECT_EQ(CreateContact(channel, "", "c-1").error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // A bearer token, when sent, decides; a wrong one is not made good by the certificate.
  const grpc::Status created = CreateContact(channel, "tls-test-gateway", "c-2");
  EXPECT_TRUE(created.ok()) << created.error_message();
  EXPECT_EQ(ListQueues(channel, kPatience, "not-a-token").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(TlsTest, WithoutMutualTlsNoCertificateIsAsked) {
  std::ofstream(dir_ / "acd.yaml") << R"(
tenants:
  - {id: t, name: T, skills: [general]}
tokens:
  - {name: lead, client_certificate: acd-test-client, role: supervisor, tenant: t}
)";
  StartAcddWithTls(/*mutual=*/false, (dir_ / "acd.yaml").string());
  EXPECT_EQ(ListQueues(TlsChannel(/*client_certificate=*/true), kPatience, "").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(TlsTest, RefusesToStartWithAKeyThatIsNotTheCertificates) {
  const CommandResult result =
      RunCommand({kAcdd, "--config", kExampleConfig, "--listen", "127.0.0.1:0", "--http",
                  "127.0.0.1:0", "--data-dir", (dir_ / "data").string(), "--tls-cert",
                  certs_.server_cert_file.string(), "--tls-key", certs_.client_key_file.string()},
                 {}, Soon());
  ASSERT_TRUE(result.status.has_value()) << "acdd did not stop";
  EXPECT_EQ(result.status->code, 1) << result.err;
  EXPECT_NE(result.err.find("private key"), std::string::npos) << result.err;
  EXPECT_EQ(result.out.find("acdd ready"), std::string::npos) << result.out;
}

}  // namespace
}  // namespace acd::e2e
