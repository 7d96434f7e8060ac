#include "server/http_types.h"

#include <fmt/format.h>

#include "base/append_number.h"

namespace botify::server {

void Response::Reset() {
  status = http::status::ok;
  body.clear();
  content_type = "application/json";
  extra_headers.clear();
  close = false;
  omit_body = false;
}

void Response::Error(http::status s, std::string_view message) {
  status = s;
  body.assign(R"({"error": )");
  AppendJsonString(&body, message);
  body.push_back('}');
  content_type = "application/json";
}

void SerializeResponse(const Response& r, unsigned version, bool keep_alive, std::string* out) {
  out->assign(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  AppendInt(out, static_cast<unsigned>(r.status));
  out->push_back(' ');
  out->append(std::string_view(http::obsolete_reason(r.status)));
  out->append("\r\nServer: botify\r\nContent-Type: ");
  out->append(r.content_type);
  out->append("\r\nContent-Length: ");
  AppendInt(out, r.body.size());
  out->append("\r\n");
  if (!keep_alive) {
    out->append("Connection: close\r\n");
  } else if (version == 10) {
    out->append("Connection: keep-alive\r\n");
  }
  out->append(r.extra_headers);
  out->append("\r\n");
  if (!r.omit_body) out->append(r.body);
}

namespace {

// Length of the well-formed UTF-8 sequence at the start of `s` (1-4), or 0 if it is not
// one (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF).
std::size_t Utf8SequenceLength(std::string_view s) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte(0);
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) {
    n = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    n = 3;
    if (lead == 0xE0) lo = 0xA0;
    if (lead == 0xED) hi = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    n = 4;
    if (lead == 0xF0) lo = 0x90;
    if (lead == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (s.size() < n || byte(1) < lo || byte(1) > hi) return 0;
  for (std::size_t i = 2; i < n; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  }
  return n;
}

}  // namespace

void AppendJsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  for (std::size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      const std::size_t n = Utf8SequenceLength(s.substr(i));
      if (n == 0) {
        out->append("\xEF\xBF\xBD");  // U+FFFD REPLACEMENT CHARACTER
        ++i;
      } else {
        out->append(s.substr(i, n));
        i += n;
      }
      continue;
    }
    ++i;
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
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
