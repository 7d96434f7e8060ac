#include "tools/shipping/target_uri.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace botify::tools {
namespace {

std::string NormalizePath(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

}  // namespace

Result<TargetUri> ParseTargetUri(const std::string& uri) {
  auto parsed = boost::urls::parse_uri(uri);
  if (!parsed) {
    return Status::InvalidArgument("target '" + uri + "': not a URI (" + parsed.error().message() +
                                   ")");
  }
  const boost::urls::url_view& u = *parsed;
  TargetUri target;
  target.path = NormalizePath(std::string(u.path()));
  if (target.path.empty() || target.path.front() != '/') {
    return Status::InvalidArgument("target '" + uri + "': the path must be absolute");
  }
  if (u.has_query() || u.has_fragment() || u.has_userinfo()) {
    return Status::InvalidArgument("target '" + uri + "': no query, fragment or user info");
  }
  const std::string scheme(u.scheme());
  if (scheme == "file") {
    if (!u.host().empty()) {
      return Status::InvalidArgument("target '" + uri + "': use file:///absolute/path");
    }
    return target;
  }
  if (scheme != "webhdfs" && scheme != "http") {
    return Status::InvalidArgument("target '" + uri + "': scheme must be file, webhdfs or http");
  }
  target.kind = TargetUri::Kind::kWebHdfs;
  target.host = std::string(u.host());
  if (target.host.empty()) {
    return Status::InvalidArgument("target '" + uri + "': the namenode host is missing");
  }
  target.port = u.has_port() ? u.port_number() : kDefaultWebHdfsPort;
  if (target.port == 0) {
    return Status::InvalidArgument("target '" + uri + "': port must be in 1..65535");
  }
  return target;
}

}  // namespace botify::tools
