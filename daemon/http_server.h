#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "daemon/tls_config.h"

namespace acd::daemon {

/// A small HTTP/1.1 server (Boost.Beast) for operational endpoints: health, metrics, wallboard.
/// It runs on its own thread so that a slow scraper never delays routing.
class HttpServer {
 public:
  /// What a handler answers: status code, content type and body.
  struct Response {
    unsigned status = 200;
    std::string content_type = "text/plain; charset=utf-8";
    std::string body;
  };
  /// Runs on the HTTP thread; must not block for long.
  using Handler = std::function<Response()>;

  HttpServer();
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Serves GET `path` with `handler`. Call before Start.
  void Handle(const std::string& path, Handler handler);

  /// Serves HTTPS only, with `tls` (with a client CA, clients must present a certificate it
  /// signed). Call before Start. INVALID_ARGUMENT when the certificates or key are unusable.
  absl::Status EnableTls(const TlsConfig& tls);

  /// Binds `host:port` (port 0 picks a free one) and starts serving. Returns the bound port.
  absl::StatusOr<std::uint16_t> Start(const std::string& host, std::uint16_t port);
  /// Stops accepting, closes connections and joins the thread. Idempotent.
  void Stop();

 private:
  template <typename Stream>
  class Session;
  void Accept();
  Response Dispatch(const std::string& method, const std::string& target) const;

  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::map<std::string, Handler> handlers_;
  /// Set by EnableTls: every connection is then TLS.
  std::unique_ptr<boost::asio::ssl::context> tls_;
  std::thread thread_;
};

}  // namespace acd::daemon
