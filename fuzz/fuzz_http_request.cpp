// HTTP requests as the server's sessions read them (server/http_session.*): the bytes go
// through a Beast request parser with the session's limits, then to the real handlers,
// ApiHandler or AdminHandler, over a real Service and a RocksDB store in a temp folder.
// No socket: the input is the connection's whole byte stream (up to kMaxRequests
// pipelined requests), and end of input is the peer closing.
//
// Input: byte 0 picks the listener (bit 0: admin; bit 1: a non-loopback admin peer), the
// rest is the stream. Besides the sanitizers' checks, every answer must serialize to a
// response Beast parses, with the status the handler chose, and a JSON body that parses.
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/json/parse.hpp>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "server/admin_handler.h"
#include "server/api_handler.h"
#include "server/http_session.h"

namespace botify::fuzz {
namespace {

namespace beast = boost::beast;
namespace fs = std::filesystem;
using server::Request;
using server::Response;
using server::http::error;

constexpr int kMaxRequests = 4;
// The admin token; the seed corpus sends it, so the fuzzer starts past the 401.
constexpr std::string_view kAdminToken = "fuzz-admin-token-0123456789";

// A catalog of 50 tracks by 5 artists.
std::shared_ptr<const catalog::Catalog> SmallCatalog() {
  std::vector<catalog::TrackRecord> records;
  for (TrackId t = 0; t < 50; ++t) {
    records.push_back({t, "artist " + std::to_string(t % 5), "title " + std::to_string(t)});
  }
  return std::make_shared<const catalog::Catalog>(
      std::move(*catalog::Catalog::FromRecords(std::move(records))));
}

// The server's state, built once per process in a fresh temp folder removed at exit.
struct Harness {
  Harness() {
    std::string pattern = (fs::temp_directory_path() / "botify-fuzz-http-XXXXXX").string();
    Check(::mkdtemp(pattern.data()) != nullptr, "mkdtemp");
    dir = pattern;
    auto opened = storage::Store::Open({(dir / "db").string()});
    Check(opened.ok(), "cannot open the store");
    store = std::move(*opened);
    service = std::make_unique<server::Service>(SmallCatalog(), store.get(), &metrics, nullptr);
    api = std::make_unique<server::ApiHandler>(*service);
    // An empty import folder, so that ?import= requests reach the file checks too.
    std::filesystem::create_directories(dir / "import");
    admin = std::make_unique<server::AdminHandler>(
        *service, server::AdminOptions{.token = std::string(kAdminToken),
                                       .loopback_only = true,
                                       .staging_dir = (dir / "staging").string(),
                                       .import_dir = (dir / "import").string()});
  }
  ~Harness() {
    admin.reset();
    api.reset();
    service.reset();
    store.reset();
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }

  fs::path dir;
  std::unique_ptr<storage::Store> store;
  server::Metrics metrics{1};
  std::unique_ptr<server::Service> service;
  std::unique_ptr<server::ApiHandler> api;
  std::unique_ptr<server::AdminHandler> admin;
  server::WorkerContext ctx{0, 1, &metrics.shard(0)};
  server::SessionLimits limits;
};

using Parser = server::RequestParser;

// Feeds *input to the parser until the header (or the whole message) is parsed, the way
// http::read does: end of input is the peer's EOF. Consumed bytes leave *input.
beast::error_code Feed(Parser& parser, std::string_view* input, bool header_only) {
  beast::error_code ec;
  while (header_only ? !parser.is_header_done() : !parser.is_done()) {
    std::size_t used = 0;
    if (!input->empty()) {
      used = parser.put(boost::asio::buffer(input->data(), input->size()), ec);
      input->remove_prefix(used);
      if (ec == error::need_more) ec = {};
      if (ec) return ec;
    }
    if (used == 0) {  // nothing more will come
      if (!parser.got_some()) return error::end_of_stream;
      parser.put_eof(ec);
      return ec;
    }
  }
  return ec;
}

// The response as the client receives it must be well-formed.
void CheckResponse(const Response& response, unsigned version, bool keep_alive) {
  std::string wire;
  server::SerializeResponse(response, version, keep_alive, &wire);
  server::http::response_parser<server::http::string_body> parser;
  parser.skip(response.omit_body);
  parser.body_limit(std::uint64_t(1) << 30);
  beast::error_code ec;
  const std::size_t used = parser.put(boost::asio::buffer(wire), ec);
  if (ec == error::need_more) ec = {};
  if (!ec && !parser.is_done())
    parser.put(boost::asio::buffer(wire.data() + used, wire.size() - used), ec);
  Check(!ec && parser.is_done(), "the serialized response does not parse");
  Check(parser.get().result() == response.status, "the response status changed on the wire");
  if (response.content_type == "application/json" && !response.omit_body) {
    boost::system::error_code json_ec;
    boost::json::parse(response.body, json_ec);
    Check(!json_ec, "a JSON response body is not valid JSON");
  }
}

}  // namespace
}  // namespace botify::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace botify::fuzz;
  using namespace botify::server;
  static Harness h;
  if (size == 0) return 0;
  const bool to_admin = (data[0] & 1) != 0;
  const auto peer = (data[0] & 2) != 0 ? boost::asio::ip::make_address("10.1.2.3")
                                       : boost::asio::ip::make_address("127.0.0.1");
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  // Each input starts from the built-in config, whatever an earlier one loaded.
  Check(h.service->ReloadConfig(botify::serving::RoutingConfig::Default()).ok(), "default config");
  Response response;
  // As in HttpSession: the fields of each request come from one arena, reused; a small
  // one here, so that inputs also reach the spill to the heap.
  RequestArena arena(256);
  for (int i = 0; i < kMaxRequests; ++i) {
    Parser parser(std::piecewise_construct, std::make_tuple(),
                  std::make_tuple(ArenaAllocator<char>(&arena)));
    parser.body_limit(h.limits.body_limit);
    parser.header_limit(static_cast<std::uint32_t>(h.limits.header_limit));
    response.Reset();
    // The admin session checks the header before it reads the body (SessionHandler::Admit).
    beast::error_code ec = Feed(parser, &input, to_admin);
    if (!ec && to_admin && !h.admin->Authorized(parser.get(), peer, &response)) {
      CheckResponse(response, parser.get().version(), false);
      return 0;
    }
    if (!ec) ec = Feed(parser, &input, false);
    if (ec) {
      response.Reset();
      if (AnswerUnreadableRequest(ec, h.limits, &response)) {
        h.api->RecordRejected(parser.get(), h.ctx, response);
        CheckResponse(response, 11, false);
      }
      return 0;
    }
    const Request& request = parser.get();
    if (to_admin) {
      h.admin->Handle(request, peer, &response);
    } else {
      h.api->Handle(request, h.ctx, &response);
    }
    response.omit_body = request.method() == http::verb::head;
    CheckResponse(response, request.version(), request.keep_alive());
    if (!request.keep_alive()) return 0;
  }
  return 0;
}
