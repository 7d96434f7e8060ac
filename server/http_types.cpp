#include "server/http_types.h"

#include <fmt/format.h>

namespace botify::server {

void Response::Reset() {
  status = http::status::ok;
  body.clear();
  content_type = "application/json";
  extra_headers.clear();
  close = false;
}

void Response::Error(http::status s, std::string_view message) {
  status = s;
  body.assign(R"({"error": )");
  AppendJsonString(&body, message);
  body.push_back('}');
  content_type = "application/json";
}

void SerializeResponse(const Response& r, unsigned version, bool keep_alive, std::string* out) {
  out->clear();
  const unsigned code = static_cast<unsigned>(r.status);
  fmt::format_to(std::back_inserter(*out), "HTTP/{}.{} {} {}\r\nServer: botify\r\n",
                 version / 10, version % 10, code, std::string_view(http::obsolete_reason(r.status)));
  fmt::format_to(std::back_inserter(*out), "Content-Type: {}\r\nContent-Length: {}\r\n",
                 r.content_type, r.body.size());
  if (!keep_alive) {
    out->append("Connection: close\r\n");
  } else if (version == 10) {
    out->append("Connection: keep-alive\r\n");
  }
  out->append(r.extra_headers);
  out->append("\r\n");
  out->append(r.body);
}

void AppendJsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  for (char c : s) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          fmt::format_to(std::back_inserter(*out), "\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

}  // namespace botify::server
