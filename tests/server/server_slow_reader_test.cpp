// A client that sends requests and never reads the answers (issue 19): the server closes
// the connection after the write timeout instead of holding it, and its kernel buffers,
// forever.
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "tests/server_support.h"

using namespace botify::testing;

namespace {

// A loopback TCP connection with a tiny receive buffer, so the server's answers pile up.
int ConnectWithSmallReceiveBuffer(unsigned short port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  const int rcvbuf = 4096;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  return fd;
}

// Reads until EOF or an error; false if the peer still had not closed after `timeout`.
bool ReadsToEnd(int fd, std::chrono::milliseconds timeout, std::size_t* bytes) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[65536];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    const ssize_t n = read(fd, buf, sizeof(buf));
    if (n <= 0) return true;
    *bytes += static_cast<std::size_t>(n);
  }
  return false;
}

}  // namespace

TEST_CASE("a client that never reads its answers is disconnected after the write timeout",
          "[server][http][slow]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", 100);
  TestServer server(dir, {dir / "tracks.json", "", {"--write-timeout-ms", "300"}});
  const int fd = ConnectWithSmallReceiveBuffer(server.port());
  // 20,000 pipelined requests, ~2.6 MB of answers: far more than the socket buffers hold.
  std::string requests;
  for (int i = 0; i < 20000; ++i) requests += "GET /track/1 HTTP/1.1\r\nHost: x\r\n\r\n";
  std::size_t sent = 0;
  const auto send_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (sent < requests.size() && std::chrono::steady_clock::now() < send_deadline) {
    const ssize_t n =
        send(fd, requests.data() + sent, requests.size() - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // past the write timeout
  std::size_t received = 0;
  CHECK(ReadsToEnd(fd, std::chrono::seconds(5), &received));
  close(fd);
  INFO("received " << received << " bytes");
  CHECK(received < 20000u * 100u);  // cut off long before every answer was delivered
  // Other clients are served as before.
  HttpClient client(server.port());
  CHECK(client.Get("/track/2").status == 200);
}

TEST_CASE(
    "out of descriptors, the listener backs off, says so once in a while, and keeps serving the "
    "connections it has",
    "[server][http][fds]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", 100);
  // The server (a child of this process) inherits a limit of 64 descriptors; this
  // process gets its own limit back at once, for its many client sockets.
  rlimit original{};
  REQUIRE(getrlimit(RLIMIT_NOFILE, &original) == 0);
  rlimit tight = original;
  tight.rlim_cur = 64;
  REQUIRE(setrlimit(RLIMIT_NOFILE, &tight) == 0);
  std::unique_ptr<TestServer> server;
  try {
    server = std::make_unique<TestServer>(dir, TestServer::Options{dir / "tracks.json"});
  } catch (...) {
    setrlimit(RLIMIT_NOFILE, &original);
    throw;
  }
  REQUIRE(setrlimit(RLIMIT_NOFILE, &original) == 0);
  HttpClient first(server->port());
  REQUIRE(first.Get("/track/1").status == 200);
  std::vector<int> flood;
  for (int i = 0; i < 100; ++i) flood.push_back(ConnectWithSmallReceiveBuffer(server->port()));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  // The open connection is still served. (Not /metrics yet: a scrape reads the log
  // folder, which needs a descriptor too.)
  CHECK(first.Get("/track/3").status == 200);
  for (int fd : flood) close(fd);
  // Descriptors back: new connections are accepted again, and the shortage was counted.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  HttpClient later(server->port());
  CHECK(later.Get("/track/2").status == 200);
  const auto metrics = later.Get("/metrics");
  REQUIRE(metrics.status == 200);
  const auto at = metrics.body.find("\nbotify_accept_failures_total ");
  REQUIRE(at != std::string::npos);
  CHECK(std::stod(metrics.body.substr(at + 30)) >= 1);
  const std::string err = server->Stderr();
  const auto said = err.find("cannot accept connections");
  CHECK(said != std::string::npos);
  CHECK(err.find("cannot accept connections", said + 1) == std::string::npos);
}

TEST_CASE("an admin upload without the token is refused on its header, before its body",
          "[server][http][admin]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", 10);
  TestServer server(dir, {dir / "tracks.json"});
  const int fd = ConnectWithSmallReceiveBuffer(server.admin_port());
  // A 500 MB upload announced, only its first bytes sent.
  const std::string head =
      "POST /admin/index/x HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer wrong-token-0123456789\r\n"
      "Content-Length: 500000000\r\n\r\nSST...";
  REQUIRE(send(fd, head.data(), head.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(head.size()));
  std::string answer;
  char buf[4096];
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (answer.find("\r\n\r\n") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    const ssize_t n = read(fd, buf, sizeof(buf));
    if (n <= 0) break;
    answer.append(buf, static_cast<std::size_t>(n));
  }
  close(fd);
  CHECK_THAT(answer, Catch::StartsWith("HTTP/1.1 401"));
  CHECK_THAT(answer, Catch::Contains("Connection: close"));
  // The right token still works on a fresh connection.
  HttpClient admin(server.admin_port());
  CHECK(admin.Request("GET", "/admin/status", "", {{"Authorization", "Bearer " + server.token()}})
            .status == 200);
}

namespace {

// Everything the peer sends until it closes or `timeout` passes.
std::string ReadAnswer(int fd, std::chrono::milliseconds timeout) {
  std::string answer;
  char buf[4096];
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    const ssize_t n = read(fd, buf, sizeof(buf));
    if (n <= 0) break;
    answer.append(buf, static_cast<std::size_t>(n));
  }
  return answer;
}

}  // namespace

TEST_CASE(
    "an admin request over the body limit is answered 401 without the token and 413 with it, "
    "its body unread either way",
    "[server][http][admin]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", 10);
  TestServer server(dir, {dir / "tracks.json", "", {"--admin-body-limit", "1000"}});
  auto ask = [&](const std::string& auth) {
    const int fd = ConnectWithSmallReceiveBuffer(server.admin_port());
    const std::string head =
        "POST /admin/index/x HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: 5000\r\n\r\nSST...";
    REQUIRE(send(fd, head.data(), head.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(head.size()));
    std::string answer = ReadAnswer(fd, std::chrono::seconds(10));
    close(fd);
    return answer;
  };
  CHECK_THAT(ask(""), Catch::StartsWith("HTTP/1.1 401"));
  CHECK_THAT(ask("Authorization: Bearer wrong-token-0123456789\r\n"),
             Catch::StartsWith("HTTP/1.1 401"));
  const std::string with_token = ask("Authorization: Bearer " + server.token() + "\r\n");
  CHECK_THAT(with_token, Catch::StartsWith("HTTP/1.1 413"));
  CHECK_THAT(with_token, Catch::Contains("larger than 1000 bytes"));
}

TEST_CASE(
    "an idle admin connection is closed after the API's read timeout; an admitted upload gets "
    "longer for its body",
    "[server][http][admin]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", 10);
  TestServer server(dir, {dir / "tracks.json", "", {"--read-timeout-ms", "300"}});
  // Idle, and a header that never completes: both closed, long before the 300 s an
  // admitted upload may take.
  for (const std::string& sent : {std::string(), std::string("GET /admin/status HTTP/1.1\r\n")}) {
    const int fd = ConnectWithSmallReceiveBuffer(server.admin_port());
    if (!sent.empty()) REQUIRE(send(fd, sent.data(), sent.size(), MSG_NOSIGNAL) > 0);
    std::size_t bytes = 0;
    CHECK(ReadsToEnd(fd, std::chrono::seconds(20), &bytes));
    close(fd);
  }
  // With the token, a body that arrives after the read timeout is still read and answered.
  const int fd = ConnectWithSmallReceiveBuffer(server.admin_port());
  const std::string body = R"({"experiments": []})";
  const std::string head = "POST /admin/config HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                           server.token() + "\r\nContent-Length: " + std::to_string(body.size()) +
                           "\r\n\r\n";
  REQUIRE(send(fd, head.data(), head.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(head.size()));
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // 5x the read timeout
  REQUIRE(send(fd, body.data(), body.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(body.size()));
  const std::string answer = ReadAnswer(fd, std::chrono::seconds(5));
  close(fd);
  CHECK_THAT(answer, Catch::StartsWith("HTTP/1.1 200"));
}
