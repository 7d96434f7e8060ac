// A connection the server answers with "Connection: close" while the peer is still
// sending: the answer must arrive, and the rest of the upload must not be reset.
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>
#include <string>

#include "tests/server_support.h"

using namespace botify::testing;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

TEST_CASE("a body over the limit gets its 413 and the rest of the upload is drained, not reset",
          "[server][http][limits]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", 10);
  TestServer server(dir, {dir / "tracks.json"});
  asio::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect({asio::ip::make_address("127.0.0.1"), server.port()});
  const std::size_t declared = 8u << 20;  // 8 MiB, far over the 64 KiB body limit
  const std::string head =
      "POST /next/1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(declared) + "\r\n\r\n";
  asio::write(socket, asio::buffer(head));
  const std::string chunk(256 * 1024, 'x');
  asio::write(socket, asio::buffer(chunk));  // the server answers once it passes the limit

  std::string answer;
  char buf[4096];
  boost::system::error_code ec;
  while (answer.find("\r\n\r\n") == std::string::npos) {
    const std::size_t n = socket.read_some(asio::buffer(buf), ec);
    REQUIRE_FALSE(ec);
    answer.append(buf, n);
  }
  CHECK(answer.rfind("HTTP/1.1 413", 0) == 0);

  // The server has stopped sending but still reads: the rest of the upload goes through
  // (a closed socket would answer it with RST: EPIPE or ECONNRESET here).
  for (int i = 0; i < 8; ++i) {
    asio::write(socket, asio::buffer(chunk), ec);
    REQUIRE_FALSE(ec);
  }
  socket.shutdown(tcp::socket::shutdown_send, ec);
  // Then the connection ends cleanly: whatever is left of the answer, then EOF.
  for (;;) {
    socket.read_some(asio::buffer(buf), ec);
    if (ec) break;
  }
  CHECK(ec == asio::error::eof);
  REQUIRE(server.Stop() == 0);
}
