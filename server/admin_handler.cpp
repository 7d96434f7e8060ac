#include "server/admin_handler.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/url/parse.hpp>

#include <filesystem>
#include <random>
#include <sstream>

#include "base/disk_space.h"
#include "base/file.h"
#include "server/http_status.h"

namespace botify::server {

namespace fs = std::filesystem;

namespace {

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

bool IsValidIndexName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.')
      return false;
  }
  return true;
}

// The query of `POST /admin/index/{name}`.
struct LoadQuery {
  std::string import;  // `?import=FILE`; "" = the body is the file
  storage::IngestOptions ingest;
};

// Parses the request target's query; an error for a target that is not a valid
// origin-form URL or an `allow_empty` that is not a bool.
Result<LoadQuery> ParseLoadQuery(std::string_view target) {
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return Status::InvalidArgument("malformed request target: " + url.error().message());
  LoadQuery query;
  if (auto it = url->params().find("import"); it != url->params().end()) {
    query.import = std::string((*it).value);
  }
  if (auto it = url->params().find("allow_empty"); it != url->params().end()) {
    const std::string value((*it).value);
    if (value != "true" && value != "false" && value != "1" && value != "0") {
      return Status::InvalidArgument("allow_empty must be true or false, got '" + value + "'");
    }
    query.ingest.allow_empty = value == "true" || value == "1";
  }
  return query;
}

}  // namespace

Result<std::string> ReadOrCreateToken(const std::string& path) {
  if (std::string token; ReadWholeFile(path, &token).ok()) {
    // As ssh does for a private key: a token other users can read is no secret.
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
      return Status::FailedPrecondition(fmt::format(
          "{}: the admin token is accessible to other users (mode {:04o}); run chmod 600 {}", path,
          st.st_mode & 07777, path));
    }
    token.erase(0, token.find_first_not_of(" \t\r\n"));
    token.erase(token.find_last_not_of(" \t\r\n") + 1);
    if (token.size() < 16)
      return Status::InvalidArgument(path + ": token is shorter than 16 characters");
    return token;
  }
  std::random_device rd;
  std::string token;
  for (int i = 0; i < 4; ++i) token += fmt::format("{:08x}", rd());
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) return Status::IoError("cannot create token file " + path);
  const std::string line = token + "\n";
  const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ::close(fd);
  if (!ok) return Status::IoError("cannot write token file " + path);
  return token;
}

AdminHandler::AdminHandler(Service& service, AdminOptions options)
    : service_(service), options_(std::move(options)) {
  std::error_code ec;
  fs::remove_all(options_.staging_dir, ec);  // uploads a crash left behind
  fs::create_directories(options_.staging_dir, ec);
}

bool AdminHandler::Authorized(const Request& request, const boost::asio::ip::address& peer,
                              Response* response) const {
  if (options_.loopback_only && !peer.is_loopback()) {
    response->Error(http::status::forbidden, "admin endpoints accept loopback clients only");
    return false;
  }
  const auto auth = request[http::field::authorization];
  constexpr std::string_view kBearer = "Bearer ";
  if (options_.token.empty() || auth.size() <= kBearer.size() || !auth.starts_with(kBearer) ||
      !ConstantTimeEquals(auth.substr(kBearer.size()), options_.token)) {
    response->Error(http::status::unauthorized, "missing or wrong admin token");
    response->extra_headers = "WWW-Authenticate: Bearer\r\n";
    return false;
  }
  return true;
}

void AdminHandler::Handle(const Request& request, const boost::asio::ip::address& peer,
                          Response* response) {
  if (!Authorized(request, peer, response)) return;
  std::string_view target = request.target();
  if (auto q = target.find('?'); q != std::string_view::npos) target = target.substr(0, q);
  const bool post = request.method() == http::verb::post;
  constexpr std::string_view kIndexPrefix = "/admin/index/";
  if (target == "/admin/status") {
    response->body = service_.StatusJson();
  } else if (target.starts_with(kIndexPrefix) && post) {
    LoadIndex(std::string(target.substr(kIndexPrefix.size())), request, response);
  } else if (target == "/admin/config" && post) {
    LoadConfig(request, response);
  } else if (target == "/admin/log/seal" && post) {
    if (service_.log() == nullptr) {
      response->Error(http::status::conflict, "this server does not write an event log");
    } else if (Status s = service_.log()->SealNow(); !s.ok()) {
      response->Error(HttpStatusFor(s.code()), "the event log was not sealed: " + s.message());
    } else {
      response->body = R"({"sealed": true})";
    }
  } else {
    response->Error(http::status::not_found, "no such admin endpoint (or wrong method)");
  }
}

bool AdminHandler::HasRoomToStage(std::uint64_t bytes, Response* response) const {
  Status room =
      RequireFreeDiskBytes(options_.staging_dir, bytes + options_.staging_headroom_bytes,
                           fmt::format("stage the index file ({} bytes, and {} bytes of headroom)",
                                       bytes, options_.staging_headroom_bytes));
  if (room.ok()) return true;
  response->Error(HttpStatusFor(room.code()),
                  room.message() + "; the previous generation keeps serving");
  return false;
}

bool AdminHandler::StageIndexFile(const Request& request, const std::string& import,
                                  const std::string& path, std::string* source_name,
                                  Response* response) const {
  if (import.empty()) {
    if (!HasRoomToStage(request.body().size(), response)) return false;
    if (!WriteWholeFile(path, request.body()).ok()) {
      response->Error(http::status::internal_server_error, "cannot stage the upload at " + path);
      return false;
    }
    *source_name = "the uploaded file";
    return true;
  }
  if (options_.import_dir.empty()) {
    response->Error(http::status::conflict,
                    "import is off on this server: start botify-server with --admin-import-dir");
    return false;
  }
  // A plain name inside the import folder: the admin API never reads anywhere else.
  if (!IsValidIndexName(import) || import == "." || import == "..") {
    response->Error(http::status::bad_request,
                    "import must be a file name in the import folder ([A-Za-z0-9_.-], no '/'), "
                    "got '" +
                        import + "'");
    return false;
  }
  if (!request.body().empty()) {
    response->Error(http::status::bad_request, "an ?import= request takes no body");
    return false;
  }
  const fs::path source = fs::path(options_.import_dir) / import;
  std::error_code ec;
  if (!fs::is_regular_file(source, ec)) {
    response->Error(http::status::not_found, "no file " + source.string() + " to import");
    return false;
  }
  const std::uint64_t size = fs::file_size(source, ec);
  if (ec) {
    response->Error(http::status::internal_server_error,
                    "cannot read the size of " + source.string() + ": " + ec.message());
    return false;
  }
  if (!HasRoomToStage(size, response)) return false;
  // Ingestion moves the file it is given, and the import folder's file must stay (other
  // loads may use it): copy it, disk to disk (copy_file_range or sendfile, no buffer here).
  fs::copy_file(source, path, fs::copy_options::overwrite_existing, ec);
  if (ec) {
    response->Error(http::status::internal_server_error,
                    "cannot copy " + source.string() + " to the staging folder: " + ec.message());
    return false;
  }
  *source_name = source.string();
  return true;
}

void AdminHandler::LoadIndex(const std::string& name, const Request& request, Response* response) {
  if (!IsValidIndexName(name)) {
    response->Error(http::status::bad_request,
                    "index name must be 1-64 characters of [A-Za-z0-9_.-], got '" + name + "'");
    return;
  }
  auto query = ParseLoadQuery(request.target());
  if (!query.ok()) {
    response->Error(http::status::bad_request, query.status().message());
    return;
  }
  const std::string path =
      (fs::path(options_.staging_dir) / fmt::format("upload-{}-{}.sst", name, uploads_++)).string();
  std::string source_name;
  if (!StageIndexFile(request, query->import, path, &source_name, response)) {
    std::error_code ec;
    fs::remove(path, ec);
    return;
  }
  IngestStaged(name, path, source_name, query->ingest, response);
}

void AdminHandler::IngestStaged(const std::string& name, const std::string& path,
                                const std::string& source, const storage::IngestOptions& options,
                                Response* response) {
  auto meta = service_.LoadIndex(name, path, options);
  std::error_code ec;
  fs::remove(path, ec);  // ingestion moved it on success; remove what a failure left
  if (!meta.ok()) {
    // The staging path means nothing to the client; it knows which file it sent.
    std::string problem = meta.status().message();
    for (auto at = problem.find(path); at != std::string::npos; at = problem.find(path, at)) {
      problem.replace(at, path.size(), source);
    }
    response->Error(
        HttpStatusFor(meta.status().code()),
        "index " + name + " not loaded, the previous generation keeps serving: " + problem);
    return;
  }
  response->body = meta->ToJson();
}

void AdminHandler::LoadConfig(const Request& request, Response* response) {
  auto config = serving::RoutingConfig::Parse(request.body());
  Status s = config.ok() ? service_.ReloadConfig(*config) : config.status();
  if (!s.ok()) {
    response->Error(HttpStatusFor(s.code()),
                    "config refused, the previous one keeps serving: " + s.message());
    return;
  }
  response->body = service_.StatusJson();
}

}  // namespace botify::server
