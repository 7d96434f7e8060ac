#include "tools/admin_client.h"

#include <charconv>
#include <fstream>
#include <sstream>

#include "base/file.h"
#include "base/json_fields.h"

namespace botify::tools {

Result<AdminTarget> ParseAdminTarget(std::string_view text) {
  std::string_view rest = text;
  if (rest.starts_with("http://")) rest.remove_prefix(7);
  while (rest.ends_with("/")) rest.remove_suffix(1);
  const auto colon = rest.rfind(':');
  if (colon == std::string_view::npos) {
    return Status::InvalidArgument("server '" + std::string(text) + "': expected host:port");
  }
  AdminTarget t;
  t.endpoint.host = colon == 0 ? "127.0.0.1" : std::string(rest.substr(0, colon));
  const auto port_text = rest.substr(colon + 1);
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
      port > 65535) {
    return Status::InvalidArgument("server '" + std::string(text) + "': bad port");
  }
  t.endpoint.port = static_cast<std::uint16_t>(port);
  t.label = t.endpoint.host + ":" + std::to_string(port);
  return t;
}

Result<std::string> ReadTokenFile(const std::string& path) {
  std::string token;
  if (Status s = ReadWholeFile(path, &token); !s.ok()) {
    return Status::IoError("cannot read the admin token file " + path + ": " + s.message());
  }
  token.erase(0, token.find_first_not_of(" \t\r\n"));
  token.erase(token.find_last_not_of(" \t\r\n") + 1);
  if (token.empty()) return Status::InvalidArgument(path + " is empty");
  return token;
}

Result<std::string> AdminClient::Call(const AdminTarget& target, std::string_view method,
                                      const std::string& path, std::string_view body) const {
  auto response = HttpExchange(target.endpoint, method, path, body, deadline_,
                               {{"Authorization", "Bearer " + token_}});
  if (!response.ok()) return response.status();
  if (response->status >= 200 && response->status < 300) return response->body;
  std::string message = response->body;
  if (auto obj = ParseObject(response->body); obj.ok() && obj->contains("error")) {
    message = std::string(obj->at("error").as_string());
  }
  const std::string where = target.label + " answered " + std::to_string(response->status);
  if (response->status == 401 || response->status == 403) {
    return Status::FailedPrecondition(where + ": " + message);
  }
  if (response->status >= 500) return Status::Unavailable(where + ": " + message);
  return Status::InvalidArgument(where + ": " + message);
}

}  // namespace botify::tools
