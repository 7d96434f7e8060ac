#include "tests/tools/webhdfs_double.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <mutex>
#include <optional>
#include <thread>

#include "tests/tools/fake_hdfs.h"

namespace botify::testing {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
constexpr auto kNoThrow = net::as_tuple(net::use_awaitable);

enum class Role { kNamenode, kDatanode };

// A parsed WebHDFS request.
struct Call {
  Role role = Role::kNamenode;
  std::string method;
  std::string op;
  std::string path;  // the HDFS path, decoded
  std::map<std::string, std::string> params;
  std::string body;
  std::string Param(const std::string& key) const {
    auto it = params.find(key);
    return it == params.end() ? "" : it->second;
  }
};

std::optional<Call> ParseCall(Role role, const http::request<http::string_body>& req) {
  auto url = boost::urls::parse_origin_form(req.target());
  constexpr std::string_view kPrefix = "/webhdfs/v1";
  if (!url || !std::string(url->path()).starts_with(kPrefix)) return std::nullopt;
  Call call{role, std::string(req.method_string()),
            "",   std::string(url->path()).substr(11),
            {},   req.body()};
  if (call.path.empty()) call.path = "/";
  for (const auto& param : url->params()) call.params[param.key] = param.value;
  call.op = call.Param("op");
  for (char& c : call.op) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return call;
}

WebHdfsStep StepOf(const Call& call) {
  if (call.op == "CREATE") {
    return call.role == Role::kNamenode ? WebHdfsStep::kCreateNamenode
                                        : WebHdfsStep::kCreateDatanode;
  }
  if (call.op == "GETFILESTATUS") return WebHdfsStep::kGetFileStatus;
  if (call.op == "MKDIRS") return WebHdfsStep::kMkdirs;
  if (call.op == "RENAME") return WebHdfsStep::kRename;
  if (call.op == "DELETE") return WebHdfsStep::kDelete;
  return WebHdfsStep::kAny;
}

// The HTTP method WebHDFS requires for a step.
const char* MethodOf(WebHdfsStep step) {
  switch (step) {
    case WebHdfsStep::kGetFileStatus:
      return "GET";
    case WebHdfsStep::kDelete:
      return "DELETE";
    default:
      return "PUT";
  }
}

FakeReply BadRequest(const std::string& message) {
  return RemoteException(400, "IllegalArgumentException", message);
}

}  // namespace

class WebHdfsDouble::Impl {
 public:
  Impl()
      : namenode_(ioc_, {net::ip::make_address("127.0.0.1"), 0}),
        datanode_(ioc_, {net::ip::make_address("127.0.0.1"), 0}) {
    net::co_spawn(ioc_, Accept(namenode_, Role::kNamenode), net::detached);
    net::co_spawn(ioc_, Accept(datanode_, Role::kDatanode), net::detached);
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~Impl() {
    ioc_.stop();
    thread_.join();
  }

  std::uint16_t namenode_port() const { return namenode_.local_endpoint().port(); }
  std::uint16_t datanode_port() const { return datanode_.local_endpoint().port(); }

  // Guarded by mu_.
  mutable std::mutex mu_;
  FakeHdfs fs_;
  std::vector<WebHdfsFaultRule> faults_;
  std::vector<std::string> log_;
  std::function<void(int, bool)> hook_;

 private:
  net::awaitable<void> Accept(tcp::acceptor& acceptor, Role role);
  net::awaitable<void> Serve(tcp::socket socket, Role role);
  // The answer to a request, or nullopt to drop the connection.
  std::optional<FakeReply> Handle(Role role, const http::request<http::string_body>& req);
  std::optional<WebHdfsFault> TakeFault(WebHdfsStep step);
  FakeReply Apply(const Call& call, WebHdfsStep step);
  FakeReply Redirect(const Call& call) const;
  void RunHook(int seq, bool applied);

  net::io_context ioc_;
  tcp::acceptor namenode_;
  tcp::acceptor datanode_;
  std::thread thread_;
};

net::awaitable<void> WebHdfsDouble::Impl::Accept(tcp::acceptor& acceptor, Role role) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(kNoThrow);
    if (ec) co_return;
    net::co_spawn(ioc_, Serve(std::move(socket), role), net::detached);
  }
}

net::awaitable<void> WebHdfsDouble::Impl::Serve(tcp::socket socket, Role role) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(1 << 30);
    auto [rec, rn] = co_await http::async_read(stream, buffer, parser, kNoThrow);
    if (rec) co_return;
    const http::request<http::string_body> req = parser.release();
    std::optional<FakeReply> reply = Handle(role, req);
    if (!reply) co_return;  // dropped: the socket closes without an answer
    http::response<http::string_body> res{static_cast<http::status>(reply->status), 11};
    res.set(http::field::content_type, "application/json");
    if (!reply->location.empty()) res.set(http::field::location, reply->location);
    res.body() = reply->body;
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    auto [wec, wn] = co_await http::async_write(stream, res, kNoThrow);
    if (wec || !req.keep_alive()) co_return;
  }
}

void WebHdfsDouble::Impl::RunHook(int seq, bool applied) {
  std::function<void(int, bool)> hook;
  {
    std::lock_guard lock(mu_);
    hook = hook_;
  }
  if (hook) hook(seq, applied);
}

std::optional<WebHdfsFault> WebHdfsDouble::Impl::TakeFault(WebHdfsStep step) {
  for (WebHdfsFaultRule& rule : faults_) {
    if (rule.count <= 0 || (rule.step != WebHdfsStep::kAny && rule.step != step)) continue;
    if (rule.skip > 0) {
      --rule.skip;
      continue;
    }
    --rule.count;
    return rule.fault;
  }
  return std::nullopt;
}

std::optional<FakeReply> WebHdfsDouble::Impl::Handle(Role role,
                                                     const http::request<http::string_body>& req) {
  std::optional<Call> call = ParseCall(role, req);
  if (!call) return RemoteException(404, "FileNotFoundException", "not a /webhdfs/v1 path");
  const WebHdfsStep step = StepOf(*call);
  int seq;
  std::optional<WebHdfsFault> fault;
  {
    std::lock_guard lock(mu_);
    log_.push_back((role == Role::kNamenode ? "namenode " : "datanode ") + call->method + " " +
                   call->op + " " + call->path + " user=" + call->Param("user.name"));
    seq = static_cast<int>(log_.size());
    fault = TakeFault(step);
  }
  RunHook(seq, false);
  if (fault == WebHdfsFault::kDropBeforeApply) return std::nullopt;
  if (fault == WebHdfsFault::kForbidden) {
    return RemoteException(403, "AccessControlException",
                           "Permission denied: user=" + call->Param("user.name") +
                               ", access=WRITE, inode=\"" + call->path + "\"");
  }
  if (fault == WebHdfsFault::kServerError) {
    return RemoteException(500, "IOException", "injected failure on " + call->path);
  }
  FakeReply reply = Apply(*call, step);
  RunHook(seq, true);
  if (fault == WebHdfsFault::kDropAfterApply) return std::nullopt;
  return reply;
}

FakeReply WebHdfsDouble::Impl::Redirect(const Call& call) const {
  if (!call.body.empty()) return BadRequest("the namenode CREATE request must carry no data");
  boost::urls::url location;
  location.set_scheme("http");
  location.set_host_address("127.0.0.1");
  location.set_port_number(datanode_port());
  location.set_path("/webhdfs/v1" + call.path);
  location.params().append({"op", "CREATE"});
  location.params().append({"user.name", call.Param("user.name")});
  location.params().append({"namenoderpcaddress", "127.0.0.1:" + std::to_string(namenode_port())});
  location.params().append(
      {"overwrite", call.Param("overwrite").empty() ? "false" : call.Param("overwrite")});
  return {307, "", std::string(location.buffer())};
}

FakeReply WebHdfsDouble::Impl::Apply(const Call& call, WebHdfsStep step) {
  if (step == WebHdfsStep::kAny) return BadRequest("Invalid value for webhdfs parameter \"op\"");
  if (call.method != MethodOf(step)) {
    return BadRequest("op=" + call.op + " is not a " + call.method + " operation");
  }
  std::lock_guard lock(mu_);
  switch (step) {
    case WebHdfsStep::kCreateNamenode:
      return Redirect(call);
    case WebHdfsStep::kCreateDatanode:
      if (call.Param("namenoderpcaddress").empty()) return BadRequest("namenoderpcaddress missing");
      return fs_.Create(call.path, call.body, call.Param("overwrite") == "true");
    case WebHdfsStep::kGetFileStatus:
      return fs_.GetFileStatus(call.path);
    case WebHdfsStep::kMkdirs:
      return fs_.Mkdirs(call.path);
    case WebHdfsStep::kRename:
      return fs_.Rename(call.path, call.Param("destination"));
    case WebHdfsStep::kDelete:
      return fs_.Delete(call.path, call.Param("recursive") == "true");
    case WebHdfsStep::kAny:
      break;
  }
  return BadRequest("unreachable");
}

WebHdfsDouble::WebHdfsDouble() : impl_(std::make_unique<Impl>()) {}
WebHdfsDouble::~WebHdfsDouble() = default;

std::uint16_t WebHdfsDouble::namenode_port() const { return impl_->namenode_port(); }
std::uint16_t WebHdfsDouble::datanode_port() const { return impl_->datanode_port(); }

std::string WebHdfsDouble::Url(const std::string& root) const {
  return "webhdfs://127.0.0.1:" + std::to_string(namenode_port()) + root;
}

void WebHdfsDouble::InjectFault(const WebHdfsFaultRule& rule) {
  std::lock_guard lock(impl_->mu_);
  impl_->faults_.push_back(rule);
}

void WebHdfsDouble::SetHook(std::function<void(int, bool)> hook) {
  std::lock_guard lock(impl_->mu_);
  impl_->hook_ = std::move(hook);
}

std::map<std::string, std::string> WebHdfsDouble::Files() const {
  std::lock_guard lock(impl_->mu_);
  return impl_->fs_.files();
}

std::set<std::string> WebHdfsDouble::Dirs() const {
  std::lock_guard lock(impl_->mu_);
  return impl_->fs_.dirs();
}

std::vector<std::string> WebHdfsDouble::Log() const {
  std::lock_guard lock(impl_->mu_);
  return impl_->log_;
}

int WebHdfsDouble::requests() const {
  std::lock_guard lock(impl_->mu_);
  return static_cast<int>(impl_->log_.size());
}

}  // namespace botify::testing
