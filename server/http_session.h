// One HTTP/1.1 connection (the shape of Beast's async server examples): reads a request,
// lets the handler answer, writes the response in one write, repeats while keep-alive.
// Runs on one worker's single-threaded io_context, so it needs no strand or locks.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <unordered_set>

#include "server/http_types.h"
#include "server/request_buffers.h"

namespace botify::server {

using tcp = boost::asio::ip::tcp;

struct SessionLimits {
  // Largest request body; bounds memory per connection (the API's bodies are ~40 bytes).
  std::size_t body_limit = 64 * 1024;
  // Largest request header block.
  std::size_t header_limit = 8 * 1024;
  // A connection waiting this long for (the rest of) a request is closed.
  std::chrono::milliseconds read_timeout{30000};
  // With a handler that checks headers (admin): once a request's header is admitted (the
  // token checked), its body may take this long from then on, e.g. an index upload of
  // gigabytes. Until then read_timeout applies, so an unauthenticated client holds a
  // connection no longer than on the API. 0 = read_timeout.
  std::chrono::milliseconds admitted_body_timeout{0};
  // A response the peer does not take within this long closes the connection (nginx's
  // send_timeout): a client that sends and never reads must not hold a connection, and
  // its kernel buffers, forever.
  std::chrono::milliseconds write_timeout{30000};
  // Kernel send buffer per connection, bytes (SO_SNDBUF; 0 = the kernel's autotuning, up
  // to several MiB a socket). Answers are a few hundred bytes, so a small buffer costs
  // nothing and bounds the memory an unread connection pins.
  int send_buffer_bytes = 64 * 1024;
};

// The answer to a request the parser refused with `ec`: 413 (body over the limit), 431
// (headers over the limit) or 400 (malformed) into *response, which the caller has Reset().
// False if `ec` is not the request's fault (a socket error): there is nobody to answer.
bool AnswerUnreadableRequest(boost::beast::error_code ec, const SessionLimits& limits,
                             Response* response);

// What a session calls for each request. Called on the session's thread only.
class SessionHandler {
 public:
  virtual ~SessionHandler() = default;
  virtual void Handle(const Request& request, const tcp::endpoint& peer, Response* response) = 0;
  // Told about a request the session refused before it was complete (too large,
  // malformed); `partial` holds whatever of it was parsed. For metrics.
  virtual void Rejected(const Request& /*partial*/, const Response& /*response*/) {}
  // True if every request's header goes to Admit() before its body is read (admin: a
  // request without the token must not make the server buffer a body of up to 1 GiB).
  // Admit() sees every request, also one whose Content-Length is over the body limit: a
  // refusal (401, 403) comes before 413. Costs a second read operation per request, so the
  // public API does not use it.
  virtual bool checks_header() const { return false; }
  // With checks_header(): false refuses the request, with *refusal as the answer, before
  // its body is read (the connection then closes).
  virtual bool Admit(const Request& /*header*/, const tcp::endpoint& /*peer*/,
                     Response* /*refusal*/) {
    return true;
  }
};

class HttpSession;

// The live sessions of one worker thread, for idle timeouts and graceful drain.
// Thread-compatible: used only on its worker's thread (count() may be read anywhere).
class SessionRegistry {
 public:
  void Add(HttpSession* s);
  void Remove(HttpSession* s);
  // Closes sessions past their read deadline; with `draining`, also every session that
  // waits for a request it has not started receiving.
  void Sweep(std::chrono::steady_clock::time_point now, bool draining);
  // Closes everything (end of the drain grace period).
  void CloseAll();
  std::size_t count() const { return count_.load(std::memory_order_relaxed); }

 private:
  std::unordered_set<HttpSession*> sessions_;
  std::atomic<std::size_t> count_{0};
};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  // `handler`, `registry` and `draining` must outlive the session.
  HttpSession(tcp::socket socket, SessionHandler& handler, SessionRegistry& registry,
              const SessionLimits& limits, const std::atomic<bool>& draining);
  ~HttpSession();
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  void Start();
  // See SessionRegistry::Sweep.
  void CloseIfIdle(std::chrono::steady_clock::time_point now, bool draining);
  void Close();

 private:
  void DoRead();
  void OnRead(boost::beast::error_code ec);
  void OnHeader(boost::beast::error_code ec);
  void Respond(unsigned version, bool keep_alive);
  void RespondToBadRequest(boost::beast::error_code ec);
  void OnWrite(boost::beast::error_code ec, bool keep_alive);
  void LingerThenClose();
  void DiscardInput();

  // How long a closing connection keeps reading (and dropping) what the peer still sends.
  static constexpr std::chrono::milliseconds kLingerTime{2000};

  tcp::socket socket_;
  tcp::endpoint peer_;
  SessionHandler& handler_;
  SessionRegistry& registry_;
  const SessionLimits& limits_;
  const std::atomic<bool>& draining_;
  boost::beast::flat_buffer buffer_;
  RequestBuffers request_buffers_;       // declared before parser_: outlives it
  std::optional<RequestParser> parser_;  // over request_buffers_
  Response response_;
  std::string out_;
  bool reading_ = false;
  bool writing_ = false;
  std::chrono::steady_clock::time_point write_deadline_;
  bool lingering_ = false;  // answered with "Connection: close"; see LingerThenClose()
  // While reading: when the request must be complete. While lingering: when to close.
  std::chrono::steady_clock::time_point read_deadline_;
};

}  // namespace botify::server
