#include "server/http_session.h"

#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>

namespace botify::server {

namespace beast = boost::beast;

void SessionRegistry::Add(HttpSession* s) {
  sessions_.insert(s);
  count_.store(sessions_.size(), std::memory_order_relaxed);
}

void SessionRegistry::Remove(HttpSession* s) {
  sessions_.erase(s);
  count_.store(sessions_.size(), std::memory_order_relaxed);
}

void SessionRegistry::Sweep(std::chrono::steady_clock::time_point now, bool draining) {
  // Close() only cancels I/O; sessions unregister later from their destructors, so
  // iterating while closing is safe.
  for (HttpSession* s : sessions_) s->CloseIfIdle(now, draining);
}

void SessionRegistry::CloseAll() {
  for (HttpSession* s : sessions_) s->Close();
}

HttpSession::HttpSession(tcp::socket socket, SessionHandler& handler, SessionRegistry& registry,
                         const SessionLimits& limits, const std::atomic<bool>& draining)
    : socket_(std::move(socket)),
      handler_(handler),
      registry_(registry),
      limits_(limits),
      draining_(draining) {
  beast::error_code ec;
  peer_ = socket_.remote_endpoint(ec);
  socket_.set_option(tcp::no_delay(true), ec);
  if (limits_.send_buffer_bytes > 0) {
    socket_.set_option(boost::asio::socket_base::send_buffer_size(limits_.send_buffer_bytes), ec);
  }
  registry_.Add(this);
}

HttpSession::~HttpSession() { registry_.Remove(this); }

void HttpSession::Start() { DoRead(); }

void HttpSession::DoRead() {
  request_buffers_.Renew(&parser_);
  parser_->body_limit(limits_.body_limit);
  parser_->header_limit(static_cast<std::uint32_t>(limits_.header_limit));
  reading_ = true;
  read_deadline_ = std::chrono::steady_clock::now() + limits_.read_timeout;
  if (handler_.checks_header()) {
    // The body limit is applied once the header is admitted (OnHeader): the parser would
    // otherwise refuse an oversized Content-Length before Admit() decides on the token.
    parser_->body_limit(boost::none);
    http::async_read_header(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnHeader(ec); });
    return;
  }
  http::async_read(
      socket_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
}

void HttpSession::OnHeader(beast::error_code ec) {
  if (ec) return OnRead(ec);
  response_.Reset();
  if (!handler_.Admit(parser_->get(), peer_, &response_)) {
    reading_ = false;
    handler_.Rejected(parser_->get(), response_);
    return Respond(parser_->get().version(), false);  // then a lingering close: body unread
  }
  if (const auto length = parser_->content_length(); length && *length > limits_.body_limit) {
    return RespondToBadRequest(http::error::body_limit);  // 413, nothing of the body read
  }
  parser_->body_limit(limits_.body_limit);  // a chunked body is counted as it arrives
  if (limits_.admitted_body_timeout.count() > 0) {
    read_deadline_ = std::chrono::steady_clock::now() + limits_.admitted_body_timeout;
  }
  http::async_read(
      socket_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
}

void HttpSession::OnRead(beast::error_code ec) {
  reading_ = false;
  if (ec == http::error::end_of_stream || ec == boost::asio::error::operation_aborted ||
      ec == boost::asio::error::connection_reset || ec == boost::asio::error::eof) {
    return Close();
  }
  if (ec) return RespondToBadRequest(ec);
  const Request& request = parser_->get();
  response_.Reset();
  handler_.Handle(request, peer_, &response_);
  response_.omit_body = request.method() == http::verb::head;
  Respond(request.version(), request.keep_alive());
}

bool AnswerUnreadableRequest(beast::error_code ec, const SessionLimits& limits,
                             Response* response) {
  if (ec == http::error::body_limit) {
    response->Error(http::status::payload_too_large,
                    "request body is larger than " + std::to_string(limits.body_limit) + " bytes");
  } else if (ec == http::error::header_limit) {
    response->Error(
        http::status::request_header_fields_too_large,
        "request headers are larger than " + std::to_string(limits.header_limit) + " bytes");
  } else if (ec.category() == http::make_error_code(http::error::bad_target).category() ||
             ec == http::error::partial_message) {
    response->Error(http::status::bad_request, "malformed HTTP request: " + ec.message());
  } else {
    return false;
  }
  return true;
}

void HttpSession::RespondToBadRequest(beast::error_code ec) {
  response_.Reset();
  if (!AnswerUnreadableRequest(ec, limits_, &response_)) return Close();
  handler_.Rejected(parser_->get(), response_);
  Respond(11, false);
}

void HttpSession::Respond(unsigned version, bool keep_alive) {
  keep_alive = keep_alive && !response_.close && !draining_.load(std::memory_order_relaxed);
  SerializeResponse(response_, version, keep_alive, &out_);
  writing_ = true;
  write_deadline_ = std::chrono::steady_clock::now() + limits_.write_timeout;
  boost::asio::async_write(
      socket_, boost::asio::buffer(out_),
      [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
        self->OnWrite(ec, keep_alive);
      });
}

void HttpSession::OnWrite(beast::error_code ec, bool keep_alive) {
  writing_ = false;
  if (ec) return Close();
  if (!keep_alive) return LingerThenClose();
  DoRead();
}

// Closing a socket that still has unread input makes the kernel answer with RST, and a
// peer still sending (a body over the limit, say) may then lose the answer it has not
// read yet: it sees "connection reset" instead of 413. So, like nginx's lingering close:
// stop sending (the peer reads our answer, then EOF), read and discard what still comes,
// and close when the peer closes or kLingerTime has passed (the sweep enforces it).
void HttpSession::LingerThenClose() {
  beast::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_send, ignored);
  lingering_ = true;
  read_deadline_ = std::chrono::steady_clock::now() + kLingerTime;
  buffer_.clear();
  DiscardInput();
}

void HttpSession::DiscardInput() {
  socket_.async_read_some(buffer_.prepare(16 * 1024),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            if (ec) return self->Close();  // EOF: the peer has closed
                            self->DiscardInput();
                          });
}

void HttpSession::CloseIfIdle(std::chrono::steady_clock::time_point now, bool draining) {
  if (writing_) {
    if (now > write_deadline_) Close();  // the peer does not read its answers
    return;
  }
  if (lingering_) {
    if (now > read_deadline_) Close();
    return;
  }
  if (!reading_) return;
  if (now > read_deadline_ || (draining && !parser_->got_some())) Close();
}

void HttpSession::Close() {
  beast::error_code ignored;
  socket_.close(ignored);
}

}  // namespace botify::server
