#include "tests/server_support.h"

#include <signal.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "base/json_fields.h"
#include "storage/index_builder.h"

namespace botify::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace fs = std::filesystem;
using tcp = asio::ip::tcp;

void WriteCatalog(const std::string& path, int n, int artists) {
  std::ofstream out(path);
  for (int t = 0; t < n; ++t) {
    out << "{\"track\": " << t << ", \"artist\": \"artist " << t % artists
        << "\", \"title\": \"title " << t << "\"}\n";
  }
}

struct HttpClient::Impl {
  asio::io_context ioc;
  tcp::socket socket{ioc};
  beast::flat_buffer buffer;
  unsigned short port;
  bool connected = false;

  void Connect() {
    socket = tcp::socket(ioc);
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    socket.set_option(tcp::no_delay(true));
    buffer.clear();
    connected = true;
  }
};

HttpClient::HttpClient(unsigned short port) : impl_(std::make_unique<Impl>()) {
  impl_->port = port;
}

HttpClient::~HttpClient() = default;

HttpReply HttpClient::Request(const std::string& method, const std::string& target,
                              const std::string& body,
                              const std::map<std::string, std::string>& headers) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!impl_->connected) impl_->Connect();
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "127.0.0.1");
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    beast::error_code ec;
    http::write(impl_->socket, req, ec);
    http::response_parser<http::string_body> parser;
    parser.body_limit(1ull << 30);
    if (!ec) http::read(impl_->socket, impl_->buffer, parser, ec);
    if (ec) {  // the server closed a kept-alive connection: reconnect once
      impl_->connected = false;
      if (attempt == 0) continue;
      throw std::runtime_error("HTTP " + method + " " + target + ": " + ec.message());
    }
    auto res = parser.release();
    HttpReply reply;
    reply.status = static_cast<int>(res.result_int());
    reply.body = res.body();
    for (const auto& f : res) {
      std::string name(f.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      reply.headers[name] = std::string(f.value());
    }
    if (!res.keep_alive()) impl_->connected = false;
    return reply;
  }
  throw std::runtime_error("unreachable");
}

std::string HttpClient::Raw(const std::string& bytes) {
  impl_->Connect();
  beast::error_code ec;
  asio::write(impl_->socket, asio::buffer(bytes), ec);  // the server may answer early and close
  impl_->socket.shutdown(tcp::socket::shutdown_send, ec);
  std::string out;
  char buf[4096];
  while (true) {
    const std::size_t n = impl_->socket.read_some(asio::buffer(buf), ec);
    if (ec) break;
    out.append(buf, n);
  }
  impl_->connected = false;
  return out;
}

namespace {

unsigned short WaitForPortFile(const std::string& path, const ChildProcess& process,
                               const std::string& stderr_path) {
  for (int i = 0; i < 3000; ++i) {
    std::ifstream in(path);
    unsigned short port = 0;
    if (in >> port && port != 0) return port;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    (void)process;
  }
  throw std::runtime_error("botify-server did not start: " + ReadFile(stderr_path));
}

}  // namespace

TestServer::TestServer(const TempDir& dir, const Options& options)
    : dir_(dir), db_(options.db.empty() ? dir / "db" : options.db) {
  std::error_code ec;
  fs::remove(dir / "port", ec);
  fs::remove(dir / "admin_port", ec);
  std::vector<std::string> argv = {BOTIFY_SERVER_BINARY,
                                   "--db",
                                   db_,
                                   "--log-dir",
                                   dir / "logs",
                                   "--port",
                                   "0",
                                   "--admin-port",
                                   "0",
                                   "--port-file",
                                   dir / "port",
                                   "--admin-port-file",
                                   dir / "admin_port",
                                   "--admin-token-file",
                                   dir / "token",
                                   "--threads",
                                   "2"};
  if (!options.tracks.empty()) {
    argv.push_back("--tracks");
    argv.push_back(options.tracks);
  }
  if (!options.config.empty()) {
    WriteFile(config_path(), options.config);
    argv.push_back("--config");
    argv.push_back(config_path());
  }
  argv.insert(argv.end(), options.extra_args.begin(), options.extra_args.end());
  argv.insert(argv.begin(), options.wrapper.begin(), options.wrapper.end());
  process_ = std::make_unique<ChildProcess>(argv, dir / "server.out", dir / "server.err");
  port_ = WaitForPortFile(dir / "port", *process_, dir / "server.err");
  admin_port_ = WaitForPortFile(dir / "admin_port", *process_, dir / "server.err");
}

TestServer::~TestServer() = default;

std::string TestServer::token() const {
  std::string t = ReadFile(dir_ / "token");
  while (!t.empty() && (t.back() == '\n' || t.back() == ' ')) t.pop_back();
  return t;
}

int TestServer::Stop() {
  process_->Signal(SIGTERM);
  const int code = process_->Wait(30000);
  if (code == -1) {  // hung: leave a trace of every thread for whoever reads the failure
    std::string trace;
    RunCommand({"/usr/bin/gdb", "-p", std::to_string(process_->pid()), "-batch", "-ex",
                "thread apply all bt"},
               &trace, 60000);
    std::fprintf(stderr, "botify-server did not stop within 30 s; stderr:\n%s\nthreads:\n%s\n",
                 Stderr().c_str(), trace.c_str());
  }
  return code;
}

void TestServer::Kill() {
  process_->Signal(SIGKILL);
  process_->Wait(30000);
}

std::string TestServer::Stderr() const { return ReadFile(dir_ / "server.err"); }

std::vector<std::string> SealedLines(const std::string& log_dir) {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(fs::path(log_dir) / "sealed")) {
    files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> lines;
  for (const auto& f : files) {
    std::istringstream in(ReadFile(f));
    std::string line;
    while (std::getline(in, line)) lines.push_back(line);
  }
  return lines;
}

std::int64_t TrackOf(const HttpReply& reply) {
  auto obj = ParseObject(reply.body);
  REQUIRE(obj.ok());
  REQUIRE(obj->contains("track"));
  return obj->at("track").as_int64();
}

std::optional<double> MetricValue(const std::string& metrics_text, const std::string& series) {
  const std::string text = "\n" + metrics_text;
  const auto at = text.find("\n" + series + " ");
  if (at == std::string::npos) return std::nullopt;
  return std::stod(text.substr(at + series.size() + 2));
}

HttpReply LoadIndex(const TempDir& dir, TestServer& server, const std::string& name,
                    const std::string& lines, const std::string& session_model) {
  WriteFile(dir / "recs.jsonl", lines);
  auto catalog = catalog::Catalog::LoadJsonLines(dir / "tracks.json");
  REQUIRE(catalog.ok());
  storage::IndexBuildOptions options;
  options.session_model_path = session_model;
  REQUIRE(
      storage::BuildIndexSst(dir / "recs.jsonl", *catalog, dir / "idx.sst", options, nullptr).ok());
  HttpClient admin(server.admin_port());
  return admin.Request("POST", "/admin/index/" + name, ReadFile(dir / "idx.sst"),
                       {{"Authorization", "Bearer " + server.token()}});
}

}  // namespace botify::testing
