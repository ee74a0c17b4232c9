#include "daemon/http_server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/ip/address.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <exception>
#include <memory>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace acd::daemon {
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

namespace {
constexpr auto kIdleTimeout = std::chrono::seconds(30);
}  // namespace

/// One keep-alive connection: read a request, answer it, repeat. `Stream` is a
/// beast::tcp_stream, or a beast::ssl_stream over one (after a TLS handshake).
template <typename Stream>
class HttpServer::Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  template <typename... Args>
  Session(const HttpServer& server, Args&&... stream_args)
      : stream_(std::forward<Args>(stream_args)...), server_(server) {}

  void Start() {
    if constexpr (kTls) {
      beast::get_lowest_layer(stream_).expires_after(kIdleTimeout);
      stream_.async_handshake(boost::asio::ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code error) {
                                if (!error) self->Read();
                              });
    } else {
      Read();
    }
  }

 private:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  void Read() {
    request_ = {};
    beast::get_lowest_layer(stream_).expires_after(kIdleTimeout);
    http::async_read(stream_, buffer_, request_,
                     [self = this->shared_from_this()](beast::error_code error, std::size_t) {
                       if (!error) self->Answer();
                     });
  }

  void Answer() {
    const Response answer =
        server_.Dispatch(std::string(request_.method_string()), std::string(request_.target()));
    response_ = {};
    response_.version(request_.version());
    response_.result(answer.status);
    response_.set(http::field::content_type, answer.content_type);
    response_.set(http::field::server, "acdd");
    response_.keep_alive(request_.keep_alive());
    response_.body() = answer.body;
    response_.prepare_payload();
    http::async_write(stream_, response_,
                      [self = this->shared_from_this()](beast::error_code error, std::size_t) {
                        if (error) return;
                        if (self->response_.keep_alive()) {
                          self->Read();
                        } else {
                          self->Close();
                        }
                      });
  }

  void Close() {
    if constexpr (kTls) {
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {});
    } else {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }
  }

  Stream stream_;
  const HttpServer& server_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
};

HttpServer::HttpServer() : acceptor_(io_) {}

HttpServer::~HttpServer() { Stop(); }

void HttpServer::Handle(const std::string& path, Handler handler) {
  handlers_[path] = std::move(handler);
}

absl::Status HttpServer::EnableTls(const TlsConfig& tls) {
  namespace ssl = boost::asio::ssl;
  auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
  beast::error_code error;
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                           ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                           ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                       error);
  if (error) return absl::InternalError(absl::StrCat("TLS setup: ", error.message()));
  context->use_certificate_chain(boost::asio::buffer(tls.cert_chain_pem), error);
  if (error) {
    return absl::InvalidArgumentError(
        absl::StrCat("unusable TLS certificate chain: ", error.message()));
  }
  context->use_private_key(boost::asio::buffer(tls.private_key_pem), ssl::context::pem, error);
  if (error) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unusable TLS private key (or it does not match the certificate): ", error.message()));
  }
  if (!tls.client_ca_pem.empty()) {
    context->add_certificate_authority(boost::asio::buffer(tls.client_ca_pem), error);
    if (error) {
      return absl::InvalidArgumentError(
          absl::StrCat("unusable TLS client CA certificates: ", error.message()));
    }
    context->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  }
  tls_ = std::move(context);
  return absl::OkStatus();
}

absl::StatusOr<std::uint16_t> HttpServer::Start(const std::string& host, std::uint16_t port) {
  beast::error_code error;
  const auto address = boost::asio::ip::make_address(host, error);
  if (error) return absl::InvalidArgumentError("bad HTTP listen address '" + host + "'");
  const tcp::endpoint endpoint(address, port);
  acceptor_.open(endpoint.protocol(), error);
  if (!error) acceptor_.set_option(tcp::acceptor::reuse_address(true), error);
  if (!error) acceptor_.bind(endpoint, error);
  if (!error) acceptor_.listen(boost::asio::socket_base::max_listen_connections, error);
  if (error) {
    return absl::UnavailableError("cannot listen for HTTP on " + host + ":" + std::to_string(port) +
                                  ": " + error.message());
  }
  const std::uint16_t bound = acceptor_.local_endpoint().port();
  Accept();
  work_.emplace(io_.get_executor());
  thread_ = std::thread([this] {
    try {
      io_.run();
    } catch (const std::exception& e) {
      spdlog::critical("HTTP server stopped by an exception: {}", e.what());
      std::terminate();
    }
  });
  return bound;
}

void HttpServer::Stop() {
  if (!thread_.joinable()) return;
  work_.reset();
  io_.stop();
  thread_.join();
}

void HttpServer::Accept() {
  acceptor_.async_accept(io_, [this](beast::error_code error, tcp::socket socket) {
    if (error) {
      if (error != boost::asio::error::operation_aborted) Accept();
      return;
    }
    if (tls_) {
      std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(*this, std::move(socket),
                                                                      *tls_)
          ->Start();
    } else {
      std::make_shared<Session<beast::tcp_stream>>(*this, std::move(socket))->Start();
    }
    Accept();
  });
}

HttpServer::Response HttpServer::Dispatch(const std::string& method,
                                          const std::string& target) const {
  const std::string path = target.substr(0, target.find('?'));
  auto handler = handlers_.find(path);
  if (handler == handlers_.end()) return Response{.status = 404, .body = "not found\n"};
  if (method != "GET" && method != "HEAD") {
    return Response{.status = 405, .body = "method not allowed\n"};
  }
  return handler->second();
}

}  // namespace acd::daemon
