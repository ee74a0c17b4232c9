#include "daemon/http_server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/ip/address.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <exception>
#include <memory>

#include "absl/status/status.h"

namespace acd::daemon {
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

namespace {
constexpr auto kIdleTimeout = std::chrono::seconds(30);
}  // namespace

/// One keep-alive connection: read a request, answer it, repeat.
class HttpServer::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const HttpServer& server)
      : stream_(std::move(socket)), server_(server) {}

  void Read() {
    request_ = {};
    stream_.expires_after(kIdleTimeout);
    http::async_read(stream_, buffer_, request_,
                     [self = shared_from_this()](beast::error_code error, std::size_t) {
                       if (!error) self->Answer();
                     });
  }

 private:
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
                      [self = shared_from_this()](beast::error_code error, std::size_t) {
                        if (error) return;
                        if (self->response_.keep_alive()) {
                          self->Read();
                        } else {
                          beast::error_code ignored;
                          self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                        }
                      });
  }

  beast::tcp_stream stream_;
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
    std::make_shared<Session>(std::move(socket), *this)->Read();
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
